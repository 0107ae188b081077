"""The fork server every worker process is forked from, and starting it early.

Starting it spawns a fresh Python that imports the parser before it can fork a worker:
about a quarter of a second. A command that knows it will parse starts it before its own
imports, so that the two run on two cores at once instead of one after the other.
This module imports nothing of the project, so that starting early costs no imports.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
from multiprocessing import forkserver, resource_tracker

# Not feedparser: only the feeds the fast path turns down need it, and imported in the fork
# server it took 6 MB in every worker and in the server itself.
_PRELOAD = ["tui.core.refresh.ingest", "tui.core.feeds.parse.feed"]


def start_fork_server() -> None:
    """Start multiprocessing's fork server (with the parser preloaded) and its resource
    tracker, unless they run already. Returns at once: the server imports on its own.

    Both are handed ``sys.stderr.fileno()``, so they are started with the real stderr:
    under a running Textual app sys.stderr is a capture object whose fileno() is -1, and
    the start fails with "bad value(s) in fds_to_keep" for every feed.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return  # not on this system: starting the pool says so, feed by feed
    multiprocessing.get_context("forkserver").set_forkserver_preload(_PRELOAD)
    real = sys.__stderr__
    if real is None:
        return  # the pool starts them itself, with the preload set above
    with contextlib.redirect_stderr(real):
        resource_tracker.ensure_running()
        forkserver.ensure_running()
