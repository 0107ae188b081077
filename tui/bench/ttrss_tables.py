"""Seed and inspect a private tt-rss's tables with ``psql``, as tt-rss itself stores things.

tt-rss refuses to fetch feeds from loopback addresses, so tests and the benchmark put
categories, feeds and articles straight into its tables. One ``psql`` run per call, and
articles go in with one ``COPY`` each, so 10,000 take seconds.

Table shapes are tt-rss 21's (schema version 140): an article is a row of
``ttrss_entries`` plus the owner's row of ``ttrss_user_entries`` (unread, marked, tags);
a user's preference is a row of ``ttrss_user_prefs``, absent meaning off.
"""

from __future__ import annotations

import hashlib
import secrets
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ADMIN = "admin"
ADMIN_PASSWORD = "password"
_NO_LABELS = '{"no-labels":1}'
"""tt-rss's label cache for an article without labels (saves a query per article read)."""


@dataclass(frozen=True, slots=True)
class SeedArticle:
    title: str
    link: str
    content: str = ""
    author: str = ""
    updated: datetime | None = None
    """When the feed says the article was updated; now when None."""
    unread: bool = True
    marked: bool = False
    tags: tuple[str, ...] = ()
    enclosures: tuple[tuple[str, str], ...] = ()
    """(url, MIME type) pairs."""


@dataclass(frozen=True, slots=True)
class Flags:
    unread: bool
    marked: bool


class Psql:
    """Runs SQL through ``psql`` on the cluster's unix socket."""

    def __init__(self, argv: list[str]) -> None:
        self._argv = [*argv, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]

    def run(self, script: str) -> list[str]:
        """The output lines of ``script`` (fields joined by ``|``); RuntimeError on failure."""
        done = subprocess.run(
            self._argv, input=script.encode("utf-8"), capture_output=True, check=False
        )
        if done.returncode != 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            errors = [line for line in lines if "ERROR" in line] or lines
            raise RuntimeError(f"psql failed: {errors[0] if errors else done.returncode}")
        return [line for line in done.stdout.decode("utf-8").splitlines() if line]


class TtrssTables:
    """Direct access to one tt-rss database; every method acts for one user (admin by
    default) and returns tt-rss's own ids."""

    def __init__(self, psql: Psql) -> None:
        self._psql = psql

    def sql(self, script: str) -> list[str]:
        """Run any SQL: the escape hatch for a check no method covers."""
        return self._psql.run(script)

    def prepare_admin(self) -> None:
        """Give ``admin`` the password ``ADMIN_PASSWORD`` and API access."""
        self.set_password(ADMIN, ADMIN_PASSWORD)
        self.set_api_access(ADMIN, True)

    def add_user(self, login: str, password: str, *, api: bool = True) -> int:
        uid = int(
            self._psql.run(
                f"INSERT INTO ttrss_users (login, pwd_hash, access_level, created) "
                f"VALUES ({_q(login)}, '', 0, now()) RETURNING id;"
            )[0]
        )
        self.set_password(login, password)
        self.set_api_access(login, api)
        return uid

    def set_password(self, login: str, password: str) -> None:
        # tt-rss 21's auth_internal: "MODE2:" + sha256(salt + password), salt per user.
        salt = secrets.token_hex(32)
        digest = hashlib.sha256((salt + password).encode("utf-8")).hexdigest()
        self._psql.run(
            f"UPDATE ttrss_users SET pwd_hash = {_q('MODE2:' + digest)}, salt = {_q(salt)} "
            f"WHERE login = {_q(login)};"
        )

    def set_api_access(self, login: str, enabled: bool) -> None:
        """The user's ENABLE_API_ACCESS preference (off when its row is missing)."""
        value = "true" if enabled else "false"
        self._psql.run(
            f"DELETE FROM ttrss_user_prefs WHERE pref_name = 'ENABLE_API_ACCESS' "
            f"AND owner_uid = {_uid(login)};\n"
            f"INSERT INTO ttrss_user_prefs (owner_uid, pref_name, profile, value) "
            f"VALUES ({_uid(login)}, 'ENABLE_API_ACCESS', NULL, '{value}');"
        )

    def expire_sessions(self) -> None:
        """Forget every session, as tt-rss does when one times out."""
        self._psql.run("DELETE FROM ttrss_sessions;")

    def add_category(self, title: str, *, owner: str = ADMIN) -> int:
        return int(
            self._psql.run(
                f"INSERT INTO ttrss_feed_categories (owner_uid, title) "
                f"VALUES ({_uid(owner)}, {_q(title)}) RETURNING id;"
            )[0]
        )

    def add_feed(
        self,
        url: str,
        title: str,
        *,
        category: int | None = None,
        site_url: str = "",
        owner: str = ADMIN,
    ) -> int:
        cat = "NULL" if category is None else str(int(category))
        return int(
            self._psql.run(
                f"INSERT INTO ttrss_feeds (owner_uid, title, cat_id, feed_url, site_url) "
                f"VALUES ({_uid(owner)}, {_q(title)}, {cat}, {_q(url)}, {_q(site_url)}) "
                f"RETURNING id;"
            )[0]
        )

    def feeds(self, *, owner: str = ADMIN) -> dict[str, int]:
        """The user's subscriptions: feed URL -> feed id."""
        rows = self._psql.run(
            f"SELECT id, feed_url FROM ttrss_feeds WHERE owner_uid = {_uid(owner)};"
        )
        return {url: int(fid) for fid, url in (row.split("|", 1) for row in rows)}

    def add_articles(
        self, feed_id: int, articles: Iterable[SeedArticle], *, owner: str = ADMIN
    ) -> list[int]:
        """Store ``articles`` in ``feed_id``, in order; their new ids, ascending."""
        batch = secrets.token_hex(8)
        now = datetime.now(UTC)
        # COPY's text format escapes backslashes, so no value can end the data early (in
        # CSV a line "\." inside a quoted value does, in PostgreSQL 15).
        entry_lines: list[str] = []
        enclosure_lines: list[str] = []
        for n, article in enumerate(articles):
            entry_lines.append(_copy_line(_entry_row(n, batch, article, now)))
            enclosure_lines += (_copy_line([n, *pair]) for pair in article.enclosures)
        with tempfile.TemporaryDirectory(prefix="yuedu-seed-") as scratch:
            entry_file = Path(scratch) / "entries.tsv"
            enclosure_file = Path(scratch) / "enclosures.tsv"
            entry_file.write_text("".join(entry_lines), encoding="utf-8")
            enclosure_file.write_text("".join(enclosure_lines), encoding="utf-8")
            return self._insert_articles(feed_id, owner, entry_file, enclosure_file)

    def _insert_articles(
        self, feed_id: int, owner: str, entry_file: Path, enclosure_file: Path
    ) -> list[int]:
        script = f"""
CREATE TEMP TABLE seed (n int, title text, guid text, link text, updated timestamp,
    content text, author text, unread boolean, marked boolean, tags text);
CREATE TEMP TABLE seed_enclosure (n int, url text, mime text);
\\copy seed FROM {_q(str(entry_file))}
\\copy seed_enclosure FROM {_q(str(enclosure_file))}
CREATE TEMP TABLE seeded AS
    WITH e AS (
        INSERT INTO ttrss_entries (title, guid, link, updated, content, content_hash,
            date_entered, date_updated, author)
        SELECT title, guid, link, updated, content, 'SHA1:' || md5(content), now(), now(),
            author
        FROM seed ORDER BY n
        RETURNING id, guid)
    SELECT seed.n, e.id FROM e JOIN seed USING (guid);
INSERT INTO ttrss_user_entries (ref_id, uuid, feed_id, owner_uid, marked, unread, tag_cache,
    label_cache, last_read, last_marked)
SELECT seeded.id, '', {int(feed_id)}, {_uid(owner)}, seed.marked, seed.unread, seed.tags,
    {_q(_NO_LABELS)}, CASE WHEN seed.unread THEN NULL ELSE now() END,
    CASE WHEN seed.marked THEN now() ELSE NULL END
FROM seeded JOIN seed USING (n);
INSERT INTO ttrss_enclosures (content_url, content_type, title, duration, post_id)
SELECT seed_enclosure.url, seed_enclosure.mime, '', '', seeded.id
FROM seed_enclosure JOIN seeded USING (n);
SELECT id FROM seeded ORDER BY n;
"""
        return [int(line) for line in self._psql.run(script)]

    def newest_article_id(self) -> int:
        """The highest article id so far (0 when there is none): a sync cursor that skips
        everything stored before."""
        return int(self._psql.run("SELECT coalesce(max(id), 0) FROM ttrss_entries;")[0])

    def flags(self, article_id: int, *, owner: str = ADMIN) -> Flags:
        rows = self._psql.run(
            f"SELECT unread, marked FROM ttrss_user_entries "
            f"WHERE ref_id = {int(article_id)} AND owner_uid = {_uid(owner)};"
        )
        if not rows:
            raise KeyError(article_id)
        unread, marked = rows[0].split("|")
        return Flags(unread == "t", marked == "t")

    def set_flags(
        self,
        article_ids: Sequence[int],
        *,
        unread: bool | None = None,
        marked: bool | None = None,
        owner: str = ADMIN,
    ) -> None:
        sets = [
            f"{name} = {'true' if value else 'false'}"
            for name, value in (("unread", unread), ("marked", marked))
            if value is not None
        ]
        if not sets or not article_ids:
            return
        self._psql.run(
            f"UPDATE ttrss_user_entries SET {', '.join(sets)} "
            f"WHERE ref_id IN ({_ids(article_ids)}) AND owner_uid = {_uid(owner)};"
        )

    def purge(self, article_ids: Sequence[int]) -> None:
        """Delete articles outright, as tt-rss's purge of old articles does."""
        if article_ids:
            self._psql.run(f"DELETE FROM ttrss_entries WHERE id IN ({_ids(article_ids)});")


def _entry_row(n: int, batch: str, article: SeedArticle, now: datetime) -> list[object]:
    updated = (article.updated or now).astimezone(UTC).replace(tzinfo=None)
    return [
        n,
        article.title,
        f"yuedu-seed:{batch}:{n}",
        article.link,
        updated.isoformat(sep=" "),
        article.content,
        article.author,
        "t" if article.unread else "f",
        "t" if article.marked else "f",
        ",".join(article.tags),
    ]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _copy_line(values: Sequence[object]) -> str:
    """One row of COPY's text format."""
    return "\t".join(str(v).translate(_COPY_ESCAPES) for v in values) + "\n"


def _q(text: str) -> str:
    """A SQL string literal (standard_conforming_strings is on: only quotes double)."""
    return "'" + text.replace("'", "''") + "'"


def _uid(login: str) -> str:
    return f"(SELECT id FROM ttrss_users WHERE login = {_q(login)})"


def _ids(article_ids: Sequence[int]) -> str:
    return ",".join(str(int(i)) for i in article_ids)
