"""Bodies that wait for a parser worker are parsed one by one and saved together."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tui.core.errors import ParseError
from tui.core.refresh import workers
from tui.core.refresh.ingest import Ingest, Outcome
from tui.core.refresh.workers import WorkerPool
from tui.core.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "cache.db") as s:
        yield s


def rss(count: int, tag: str) -> bytes:
    items = "".join(
        f"<item><title>{tag} {n}</title><guid>urn:{tag}:{n}</guid></item>" for n in range(count)
    )
    return f'<rss version="2.0"><channel><title>{tag}</title>{items}</channel></rss>'.encode()


def job(store: Store, name: str, body: bytes) -> Ingest:
    feed = store.add_feed(f"https://{name}.example/feed")
    return Ingest(feed.id, body, feed.url, "application/rss+xml", 200, f'"{name}"', None, None)


def test_a_batch_saves_what_parsed_and_fails_only_the_broken_body(store: Store) -> None:
    jobs = [
        job(store, "a", rss(2, "a")),
        job(store, "broken", b"<html><body>a page</body></html>"),
        job(store, "c", rss(3, "c")),
    ]
    first, broken, third = workers.ingest_into(store, jobs)
    assert (first, third) == (2, 3)
    assert isinstance(broken, ParseError)
    etags = {f.url.split("/")[2]: f.etag for f in store.list_feeds()}
    assert etags == {"a.example": '"a"', "broken.example": None, "c.example": '"c"'}


@pytest.mark.parametrize("processes", [0, 1])
def test_bodies_waiting_together_each_get_their_own_outcome(store: Store, processes: int) -> None:
    jobs = [job(store, f"f{n}", rss(n + 1, f"f{n}")) for n in range(9)]
    jobs.append(job(store, "broken", b"\x00\x01 not a feed"))
    pool = WorkerPool(processes, batch=4)

    async def ingest_all() -> list[int | BaseException]:
        calls = [pool.ingest(store, j, timeout=10) for j in jobs]
        return await asyncio.gather(*calls, return_exceptions=True)

    try:
        outcomes = asyncio.run(ingest_all())
    finally:
        pool.close()
    assert outcomes[:9] == list(range(1, 10))
    assert isinstance(outcomes[9], ParseError)
    assert store.count_entries() == sum(range(1, 10))


def test_a_batch_that_fails_as_a_whole_is_retried_one_body_at_a_time(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker that dies or runs out of time fails its whole batch: the bodies are tried
    # again one by one, so only the one at fault fails.
    real = workers.ingest_into
    batches: list[int] = []

    def dies_on_poison(store: Store, jobs: Sequence[Ingest]) -> list[Outcome]:
        batches.append(len(jobs))
        if any(j.body == b"poison" for j in jobs):
            raise RuntimeError("the worker died")
        return real(store, jobs)

    monkeypatch.setattr(workers, "ingest_into", dies_on_poison)
    jobs = [job(store, f"f{n}", rss(1, f"f{n}")) for n in range(4)]
    jobs.insert(2, job(store, "poison", b"poison"))
    pool = WorkerPool(0, batch=3)

    async def ingest_all() -> list[int | BaseException]:
        calls = [pool.ingest(store, j, timeout=10) for j in jobs]
        return await asyncio.gather(*calls, return_exceptions=True)

    outcomes = asyncio.run(ingest_all())
    assert [o for n, o in enumerate(outcomes) if n != 2] == [1, 1, 1, 1]
    assert isinstance(outcomes[2], RuntimeError)
    assert 1 < max(batches) <= 3  # they waited together, three at most
    assert store.count_entries() == 4


@pytest.mark.parametrize("processes", [0, 1])
def test_a_body_handed_over_as_the_last_batch_ends_is_still_ingested(
    store: Store, processes: int
) -> None:
    # The caller of the last batch wakes up before that batch's drain is forgotten: a body
    # it hands over at once must start a drain of its own, not wait on a finished one.
    jobs = [job(store, f"f{n}", rss(1, f"f{n}")) for n in range(3)]
    pool = WorkerPool(processes, batch=2)

    async def one_after_another() -> list[int]:
        return [await pool.ingest(store, j, timeout=10) for j in jobs]

    try:
        outcomes = asyncio.run(asyncio.wait_for(one_after_another(), 20))
    finally:
        pool.close()
    assert outcomes == [1, 1, 1]
