"""Opening a link in a browser: http(s) only, never through a shell, the URL as one argument."""

from __future__ import annotations

import os
import shlex
import subprocess
import webbrowser
from collections.abc import Sequence

from tui.core.text.sanitize import safe_url


class BrowserError(Exception):
    """The link was refused or no browser could be started; ``str`` is one line."""


def browser_command(url: str, configured: Sequence[str], environ: dict[str, str]) -> list[str]:
    """The argv to run: the configured command, else $BROWSER; the URL appended as one item.

    A ``%s`` item in the command is replaced by the URL instead. Returns [] when neither
    is set (then Python's ``webbrowser`` decides).
    """
    command = list(configured)
    if not command:
        first = environ.get("BROWSER", "").split(os.pathsep)[0].strip()
        command = shlex.split(first) if first else []
    if not command:
        return []
    if "%s" in command:
        return [url if part == "%s" else part for part in command]
    return [*command, url]


def open_in_browser(
    url: str | None, *, configured: Sequence[str] = (), base: str | None = None
) -> str:
    """Start a browser on ``url`` and return the URL opened.

    Raises BrowserError for a URL that is not http(s) (``javascript:``, ``file:``, a leading
    ``-``) or when no browser can be started.
    """
    safe = safe_url(url, base)
    if safe is None or safe.startswith("-"):
        raise BrowserError("not an http(s) link; not opened")
    argv = browser_command(safe, configured, dict(os.environ))
    if argv:
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
        return safe
    try:
        browser = webbrowser.get()
    except webbrowser.Error as exc:
        raise BrowserError("no browser found: set browser in config.toml") from exc
    # A text-mode browser would take over this terminal under the reader.
    if type(browser) is webbrowser.GenericBrowser:
        raise BrowserError("no graphical browser: set browser in config.toml")
    if not browser.open(safe):
        raise BrowserError("the browser did not start")
    return safe
