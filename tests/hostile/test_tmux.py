"""The real reader in tmux, every byte it writes recorded with ``pipe-pane``: while it shows
injected feeds it uses no escape sequence that it does not also use on clean feeds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile import feeds
from tests.hostile.feeds import CORPUS, GOOD_FEEDS, REPO, Yuedu
from tests.httpserver import HTTPTestServer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

WIDTH, HEIGHT = 160, 50
# CSI finals whose parameters are counts or positions; for every other final the parameters
# say what the sequence does (?1049h, 6n, 2J, 21t) and belong to its kind.
_COUNTED = frozenset("mHfABCDEFGdX@PLMST")
_SEQUENCE = re.compile(
    r"""
    \x1b\[ (?P<csi_params>[0-?]*) (?P<csi_mid>[ -/]*) (?P<csi_final>[@-~])
    | \x1b\] (?P<osc>[0-9]*) (?P<osc_body>[^\x07\x1b]*) (?:\x07|\x1b\\)
    | \x1b (?P<string>[P_^X]) [^\x1b]* \x1b\\
    | \x1b (?P<other>[ -/]*[0-~])
    | (?P<c1>[\x80-\x9f])
    | (?P<control>[\x00-\x07\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f])
    """,
    re.VERBOSE | re.DOTALL,
)

_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P_^X][^\x1b]*\x1b\\"
    r"|\x1b[ -/]*[0-~]",
    re.DOTALL,
)


def escape_kinds(output: str) -> Counter[str]:
    """The kinds of escape sequences and controls in terminal output, with their counts.

    OSC 8 hyperlinks count by target too, so a feed's link cannot hide among the app's.
    """
    kinds: Counter[str] = Counter()
    for match in _SEQUENCE.finditer(output):
        if match["csi_final"]:
            final = match["csi_final"]
            params = "" if final in _COUNTED else match["csi_params"]
            kinds[f"CSI {params}{match['csi_mid']}{final}"] += 1
        elif match["osc"] is not None:
            kinds[f"OSC {match['osc']}"] += 1
            if match["osc"] == "8":
                kinds[f"OSC 8 {match['osc_body'].split(';', 2)[-1]}"] += 1
        elif match["string"]:
            kinds[f"ESC {match['string']} string"] += 1
        elif match["other"]:
            kinds[f"ESC {match['other']}"] += 1
        elif match["c1"]:
            kinds[f"C1 {ord(match['c1']):02x}"] += 1
        else:
            kinds[f"control {ord(match['control']):02x}"] += 1
    return kinds


class Tmux:
    """One private tmux server running the reader on a home, recording its output."""

    def __init__(self, workdir: Path, home: Path) -> None:
        self.socket = f"yuedu-hostile-{os.getpid()}-{workdir.name}"
        self.record = workdir / "output.bin"
        self.done = workdir / "output.done"
        gate = workdir / "gate"
        os.mkfifo(gate)
        app = " ".join([sys.executable, "-m", "tui", "--home", str(home)])
        # The app waits on the gate until the recording is running, so it misses no byte.
        command = f"cat {gate} >/dev/null; cd {REPO} && exec {app}"
        self.tmux("new-session", "-d", "-s", "reader", "-x", str(WIDTH), "-y", str(HEIGHT), command)
        self.tmux("pipe-pane", "-o", "-t", "reader", f"cat >> {self.record}; touch {self.done}")
        self._open_gate(gate)

    def _open_gate(self, gate: Path, timeout: float = 30.0) -> None:
        # Non-blocking: a gate nobody reads (the session died) must fail, not hang.
        deadline = time.monotonic() + timeout
        while True:
            try:
                fd = os.open(gate, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("the reader's session never started") from None
                time.sleep(0.02)
                continue
            os.write(fd, b"go\n")
            os.close(fd)
            return

    def tmux(self, *args: str, check: bool = True) -> str:
        env = {k: v for k, v in os.environ.items() if k != "TMUX"}
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=env
        )
        if check and result.returncode != 0:
            raise AssertionError(f"tmux {args[0]}: {result.stderr.strip()}")
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "reader")

    def wait_for_screen(self, *texts: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts} not on screen:\n{screen}")
            time.sleep(0.05)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "reader", key, check=False)

    def output(self, timeout: float = 30.0) -> bytes:
        """Everything the app wrote, once it has exited and the recording is closed."""
        deadline = time.monotonic() + timeout
        while not self.done.exists():
            if time.monotonic() > deadline:
                raise AssertionError("the reader did not exit:\n" + self.screen())
            time.sleep(0.05)
        return self.record.read_bytes()

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


def record_session(workdir: Path, home: Path, article_texts: tuple[str, ...]) -> tuple[bytes, str]:
    """Start the reader, open the first entry, go back, quit; its output and the article."""
    workdir.mkdir()
    session = Tmux(workdir, home)
    try:
        session.wait_for_screen("entries ·")
        session.keys("Enter")
        article = session.wait_for_screen("Link:", *article_texts)
        # Back from the article, from the list to the feeds, and quit.
        session.keys("q")
        session.keys("q")
        session.keys("q")
        return session.output(), article
    finally:
        session.kill()


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("tmux")
    with HTTPTestServer() as server:
        clean = Yuedu(root / "clean")
        hostile = Yuedu(root / "hostile")
        for cli in (clean, hostile):
            cli.configure(feeds.FAST_CONFIG)
        clean.subscribe(
            [
                server.url(server.serve_bytes(f"/{n}", (CORPUS / "feeds" / n).read_bytes()))
                for n in GOOD_FEEDS[:3]
            ]
        )
        hostile.subscribe(
            [
                server.url(server.serve_bytes("/i.rss", feeds.injected_rss())),
                server.url(server.serve_bytes("/i.atom", feeds.injected_atom())),
                server.url(server.serve_bytes("/i.json", feeds.injected_json())),
            ]
        )
        for cli in (clean, hostile):
            assert "0 failed" in cli.ok("refresh")
        yield clean.home, hostile.home


def test_the_reader_writes_no_escape_sequence_a_feed_put_there(
    homes: tuple[Path, Path], tmp_path: Path
) -> None:
    clean_home, hostile_home = homes
    clean_raw, _ = record_session(tmp_path / "clean", clean_home, ())
    hostile_raw, article = record_session(
        tmp_path / "hostile",
        hostile_home,
        (feeds.marker("title"), feeds.marker("feedtitle"), feeds.marker("author")),
    )
    clean = escape_kinds(clean_raw.decode("utf-8"))
    hostile_text = hostile_raw.decode("utf-8")
    hostile = escape_kinds(hostile_text)
    assert "CSI ?1049h" in clean, "the recording holds the app's output"
    assert set(hostile) <= set(clean), sorted(set(hostile) - set(clean))
    for kind in ("OSC 0", "OSC 2", "OSC 52", "CSI 6n", "CSI 2J", "OSC 8 https://evil.example/"):
        assert kind not in hostile, kind
    # Between the app's own sequences: text, and the carriage returns it moves with.
    text = _ESCAPE_SEQUENCE.sub("", hostile_text).replace("\r", "")
    assert not feeds.forbidden_in(text), feeds.forbidden_in(text)
    # The printable rest is on the screen, markup and all, as typed.
    assert "[@click=app.quit]Q[/]" in article
    assert "[link=file:///etc/passwd]L[/link]" in article
