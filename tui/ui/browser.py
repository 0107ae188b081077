"""Opening a link in a browser or a player: http(s) only, never through a shell, the URL as
one argument. Text-mode programs get the terminal, the reader suspended meanwhile."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import webbrowser
from collections.abc import Callable, Sequence
from pathlib import PurePath

from tui.core.text.sanitize import safe_url

_PLACEHOLDER = re.compile(r"%[us]")

TEXT_MODE = frozenset(
    {"w3m", "lynx", "elinks", "links", "links2", "browsh", "carbonyl", "www-browser"}
)
"""Browsers that draw in the terminal: started under the reader they would fight it for it."""

RunInTerminal = Callable[[list[str]], None]
"""Runs an argv in the foreground with the terminal handed over; raises BrowserError."""


class BrowserError(Exception):
    """The link was refused or no browser could be started; ``str`` is one line."""


def command_for(template: Sequence[str], url: str) -> list[str]:
    """The argv for ``url``: ``%u`` (newsboat's spelling) or ``%s`` in an item becomes the URL,
    else the URL is appended as one more item."""
    if any(_PLACEHOLDER.search(part) for part in template):
        return [_PLACEHOLDER.sub(lambda _: url, part) for part in template]
    return [*template, url]


def browser_command(url: str, configured: Sequence[str], environ: dict[str, str]) -> list[str]:
    """The argv to run: the configured command, else $BROWSER (``command_for`` places the URL).
    Returns [] when neither is set (then Python's ``webbrowser`` decides)."""
    command = list(configured)
    if not command:
        first = environ.get("BROWSER", "").split(os.pathsep)[0].strip()
        command = shlex.split(first) if first else []
    return command_for(command, url) if command else []


def needs_terminal(argv: Sequence[str]) -> bool:
    return bool(argv) and PurePath(argv[0]).name in TEXT_MODE


def start(argv: list[str], run_in_terminal: RunInTerminal | None) -> None:
    """Run a text-mode program through ``run_in_terminal``, anything else detached."""
    if needs_terminal(argv):
        if run_in_terminal is None:
            raise BrowserError(f"{PurePath(argv[0]).name} needs the terminal; not started")
        run_in_terminal(argv)
        return
    try:
        subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            shell=False,
        )
    except OSError as exc:
        raise BrowserError(f"cannot start {argv[0]} ({exc.strerror or exc})") from exc


def open_in_browser(
    url: str | None,
    *,
    configured: Sequence[str] = (),
    base: str | None = None,
    run_in_terminal: RunInTerminal | None = None,
) -> str:
    """Start a browser on ``url`` and return the URL opened.

    Raises BrowserError for a URL that is not http(s) (``javascript:``, ``file:``, a leading
    ``-``) or when no browser can be started.
    """
    safe = checked_url(url, base)
    argv = browser_command(safe, configured, dict(os.environ))
    if argv:
        start(argv, run_in_terminal)
        return safe
    try:
        browser = webbrowser.get()
    except webbrowser.Error as exc:
        raise BrowserError("no browser found: set browser in config.toml") from exc
    # Exactly GenericBrowser (BackgroundBrowser is a subclass): a text-mode browser found on
    # the PATH, such as lynx or w3m, which needs the terminal.
    if type(browser) is webbrowser.GenericBrowser:
        template = [browser.name, *browser.args]
        if run_in_terminal is None:
            raise BrowserError("no graphical browser: set browser in config.toml")
        run_in_terminal(command_for(template, safe))
        return safe
    if not browser.open(safe):
        raise BrowserError("the browser did not start")
    return safe


def checked_url(url: str | None, base: str | None = None) -> str:
    """``url`` made absolute, if it is http(s) and cannot pass for an option; else BrowserError."""
    safe = safe_url(url, base)
    if safe is None or safe.startswith("-"):
        raise BrowserError("not an http(s) link; not opened")
    return safe
