"""config.toml -> typed settings, and the one place that turns them into engine options.

A bad key or value names the key and the file. The engines (the fetcher, the line
breaker, the layout) load only when their options are asked for.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from tui.core.errors import ConfigError

if TYPE_CHECKING:
    from tui.core.feeds.download import DownloadLimits
    from tui.core.feeds.fetch import FetchSettings
    from tui.core.text.breaker import WrapOptions
    from tui.core.text.convert import Target
    from tui.core.text.display import DisplayOptions
    from tui.core.text.lines import LayoutOptions
    from tui.core.text.ruby import RubyMode


COMMAND_DOWNLOADS = 32
"""Feeds downloaded at once by ``yuedu refresh``: a refresh where nothing changed is a
round trip per feed, so it waits on latency rather than on the CPU."""
READER_DOWNLOADS = 16


@dataclass(frozen=True, slots=True)
class FetchConfig:
    concurrency: int = 0
    """Feeds downloaded at once, in total; 0: 32 for ``yuedu refresh``, 16 in the reader,
    where the downloads share the machine with the keys (more made its refresh slower)."""
    per_host: int = 4
    """Feeds downloaded at once from one host."""
    timeout: float = 30.0
    """Seconds one feed may take in all, redirects and the whole body included; a server
    may also be silent this long (a slow feed that answers in 25 s needs ``timeout`` > 25)."""
    connect_timeout: float = 10.0
    """Seconds to wait for a connection."""
    max_size_mib: float = 10.0
    """Largest feed body accepted, after decompression, in MiB."""

    @property
    def downloads(self) -> int:
        """Feeds downloaded at once: ``concurrency``, or the command line's when 0."""
        return self.concurrency or COMMAND_DOWNLOADS

    def settings(self) -> FetchSettings:
        """The fetcher's settings for this section."""
        from tui.core.feeds.fetch import FetchSettings

        return FetchSettings(
            concurrency=self.downloads,
            per_host=self.per_host,
            connect_timeout=self.connect_timeout,
            read_timeout=self.timeout,
            deadline=self.timeout,
            max_bytes=int(self.max_size_mib * 1024 * 1024),
        )


@dataclass(frozen=True, slots=True)
class TextConfig:
    strict_kana: bool = False
    """Keep small kana and ー off the start of a line (CSS line-break: strict)."""
    phrases: bool = False
    """Prefer breaking Japanese and Chinese between phrases (needs the budoux package)."""
    cjk_spacing: bool = False
    """Show a space between CJK and Latin text (display only; the text is not changed)."""
    ambiguous_width: int = 1
    """Cells for East Asian Ambiguous characters such as “ ” …: 2 for terminals set that way."""
    script: Target = "keep"
    """Show Chinese text in this script: keep (as the feed wrote it), hans (Simplified), hant
    (Traditional), hant-tw or hant-hk (Traditional with Taiwan's or Hong Kong's words)."""
    fix_punctuation: bool = True
    """Show ASCII , : ; ? ! ( ) between Chinese or Japanese characters as ，：；？！（）."""
    ruby: RubyMode = "show"
    """Ruby readings (漢字 over かんじ): show as 漢字(かんじ), or hide (the base text alone)."""

    def wrap_options(self) -> WrapOptions:
        """How the line breaker measures and breaks, for titles in lists as for articles."""
        from tui.core.text.breaker import WrapOptions

        return WrapOptions(
            strict_kana=self.strict_kana,
            phrases=self.phrases,
            ambiguous_width=self.ambiguous_width,
        )

    def display_options(self) -> DisplayOptions:
        """How feed text is shown, in articles, titles, lists and the status bar."""
        from tui.core.text.display import DisplayOptions

        return DisplayOptions(self.script, self.fix_punctuation, self.ruby)

    def layout_options(self) -> LayoutOptions:
        """How articles are laid out."""
        from tui.core.text.lines import LayoutOptions

        return LayoutOptions(
            wrap=self.wrap_options(), cjk_spacing=self.cjk_spacing, display=self.display_options()
        )


@dataclass(frozen=True, slots=True)
class PlayerConfig:
    command: tuple[str, ...] = ()
    """Plays an enclosure, e.g. ["mpv", "%u"]: %u (or %s) is the URL, else it is added last.
    It runs in this terminal, the reader suspended meanwhile. Empty: the browser opens it."""
    download_dir: str = ""
    """Folder enclosures are downloaded to; empty: your Downloads folder."""
    max_download_mib: float = 4096.0
    """Largest enclosure downloaded, in MiB."""

    def download_folder(self) -> Path:
        if self.download_dir:
            return Path(self.download_dir).expanduser()
        import platformdirs

        return Path(platformdirs.user_downloads_dir())

    def download_limits(self, fetch: FetchConfig) -> DownloadLimits:
        """The feed fetcher's timeouts with this section's size cap."""
        from tui.core.feeds.download import DownloadLimits

        return DownloadLimits(fetch.settings(), int(self.max_download_mib * 1024 * 1024))


SYNC_SERVICES = ("ttrss", "greader", "miniflux")


@dataclass(frozen=True, slots=True)
class SyncConfig:
    service: str = ""
    """The server to sync with: ttrss (Tiny Tiny RSS), greader (the Google Reader API:
    FreshRSS, Inoreader, The Old Reader, Miniflux's endpoint) or miniflux; empty: no sync,
    feeds are fetched by yuedu itself."""
    url: str = ""
    """The server's address: tt-rss's base (https://host/tt-rss/), the Google Reader API's
    base (https://host/api/greader.php) or Miniflux's (https://host/)."""
    user: str = ""
    password_command: str = ""
    """A shell command whose first line of output is the password, e.g. "pass show rss".
    Without it the password comes from the YUEDU_SYNC_PASSWORD environment variable. The
    password is never written to the config or the cache."""

    @property
    def enabled(self) -> bool:
        return bool(self.service)


@dataclass(frozen=True, slots=True)
class Config:
    theme: str = "textual-dark"
    """Textual theme name, e.g. textual-dark, textual-light, nord, gruvbox."""
    refresh_on_start: bool = True
    """Refresh every feed when the reader opens."""
    auto_reload_minutes: int = 0
    """Refresh every feed this often while the reader is open; 0 turns it off."""
    browser: tuple[str, ...] = ()
    """Command that opens links, e.g. ["firefox", "--new-tab"] or ["w3m", "%u"]: %u (or %s) is
    the URL, else it is added as the last argument. Text-mode browsers (w3m, lynx, elinks...)
    run in this terminal, the reader suspended meanwhile. Empty: $BROWSER, else the system's
    default browser."""
    confirm_delete: bool = True
    """Ask before deleting a feed."""
    max_entries_per_feed: int = 0
    """Keep at most this many entries per feed (starred ones are always kept); 0 keeps all."""
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Binding id -> comma-separated keys, e.g. down = "j,down,ctrl+n"."""
    fetch: FetchConfig = field(default_factory=FetchConfig)
    text: TextConfig = field(default_factory=TextConfig)
    player: PlayerConfig = field(default_factory=PlayerConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)

    def for_reader(self) -> Config:
        """This config as the reader uses it: fewer downloads at once unless set."""
        if self.fetch.concurrency:
            return self
        return replace(self, fetch=replace(self.fetch, concurrency=READER_DOWNLOADS))


_SECTIONS: dict[str, type[Any]] = {
    "fetch": FetchConfig,
    "text": TextConfig,
    "player": PlayerConfig,
    "sync": SyncConfig,
}


def load_config(path: Path) -> Config:
    """Read ``path``; a missing file gives the defaults."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"cannot read the file ({exc.__class__.__name__})", subject=str(path)
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", subject=str(path)) from exc
    except RecursionError:  # tomllib recurses once per level of nested arrays and tables
        raise ConfigError("not valid TOML: nested too deeply", subject=str(path)) from None
    try:
        return config_from_mapping(raw, source=str(path))
    except RecursionError:  # dotted keys a thousand deep parse, then fail to print
        raise ConfigError("a value is nested too deeply", subject=str(path)) from None


def config_from_mapping(raw: Mapping[str, Any], *, source: str = "config") -> Config:
    values: dict[str, Any] = {}
    top = {f.name: f for f in fields(Config)}
    for key, value in raw.items():
        if key not in top:
            raise ConfigError(f"unknown key {key!r}", subject=source)
        if key in _SECTIONS:
            values[key] = _section(_SECTIONS[key], key, value, source)
        elif key == "keymap":
            values[key] = _keymap(value, source)
        else:
            values[key] = _coerce(key, value, Config.__dataclass_fields__[key].type, source)
    config = Config(**values)
    _validate(config, source)
    return config


def _section(cls: type[Any], name: str, value: Any, source: str) -> Any:
    if not isinstance(value, Mapping):
        raise ConfigError(f"[{name}] must be a table", subject=source)
    known = {f.name: f for f in fields(cls)}
    out = {}
    for key, item in value.items():
        if name == "sync" and key == "password":
            raise ConfigError(
                "sync.password is never read from the config: set sync.password_command "
                "or the YUEDU_SYNC_PASSWORD environment variable",
                subject=source,
            )
        if key not in known:
            raise ConfigError(f"unknown key '{name}.{key}'", subject=source)
        out[key] = _coerce(f"{name}.{key}", item, known[key].type, source)
    return cls(**out)


def _keymap(value: Any, source: str) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise ConfigError('[keymap] must be a table of binding id = "keys"', subject=source)
    out: dict[str, str] = {}
    for key, keys in value.items():
        if isinstance(keys, list) and all(isinstance(k, str) for k in keys):
            keys = ",".join(keys)
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(
                f'keymap.{key} must be a string of keys like "j,down"', subject=source
            )
        out[str(key)] = keys.replace(" ", "")
    return MappingProxyType(out)


# Settings that take one of a few words; checked against the engine's list in _validate.
_WORDS = ("Target", "RubyMode")


def _coerce(key: str, value: Any, annotation: Any, source: str) -> Any:
    kind = str(annotation)
    if kind in _WORDS:
        kind = "str"
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{key} must be true or false, not {value!r}", subject=source)
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"{key} must be a whole number, not {value!r}", subject=source)
    if kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(f"{key} must be a number, not {value!r}", subject=source)
    if kind == "str":
        if isinstance(value, str):
            return value
        raise ConfigError(f"{key} must be a string, not {value!r}", subject=source)
    if kind.startswith("tuple[str"):
        if isinstance(value, str):
            return tuple(value.split())
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigError(f"{key} must be a list of strings", subject=source)
    raise ConfigError(f"{key} cannot be set here", subject=source)


def _validate(config: Config, source: str) -> None:
    checks = [
        (config.auto_reload_minutes >= 0, "auto_reload_minutes must be 0 or more"),
        (config.max_entries_per_feed >= 0, "max_entries_per_feed must be 0 or more"),
        (0 <= config.fetch.concurrency <= 256, "fetch.concurrency must be between 0 and 256"),
        (1 <= config.fetch.per_host <= 64, "fetch.per_host must be between 1 and 64"),
        (0 < config.fetch.timeout <= 3600, "fetch.timeout must be between 0 and 3600 seconds"),
        (0 < config.fetch.connect_timeout <= 600, "fetch.connect_timeout must be positive"),
        (0 < config.fetch.max_size_mib <= 1024, "fetch.max_size_mib must be between 0 and 1024"),
        (config.text.ambiguous_width in (1, 2), "text.ambiguous_width must be 1 or 2"),
        (config.player.max_download_mib > 0, "player.max_download_mib must be positive"),
    ]
    for ok, reason in checks:
        if not ok:
            raise ConfigError(reason, subject=source)
    _check_words(config.text, source)
    _check_sync(config.sync, source)


def _check_sync(sync: SyncConfig, source: str) -> None:
    if not sync.service:
        return
    if sync.service not in SYNC_SERVICES:
        raise ConfigError(
            f"sync.service must be one of {', '.join(SYNC_SERVICES)}, not {sync.service!r}",
            subject=source,
        )
    if not sync.url.startswith(("http://", "https://")):
        raise ConfigError("sync.url must be an http:// or https:// address", subject=source)


def _check_words(text: TextConfig, source: str) -> None:
    from tui.core.text.ruby import RUBY_MODES

    if text.ruby not in RUBY_MODES:
        raise ConfigError(f"text.ruby must be show or hide, not {text.ruby!r}", subject=source)
    if text.script != "keep":
        from tui.core.text.convert import TARGETS

        if text.script not in TARGETS:
            raise ConfigError(
                f"text.script must be one of {', '.join(TARGETS)}, not {text.script!r}",
                subject=source,
            )
