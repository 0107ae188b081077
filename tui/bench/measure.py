"""Wall time, CPU and peak memory of a command and every process it starts.

``run_measured`` runs the command under ``python -m tui.bench.measure``, a small parent
that makes itself the child subreaper (Linux), so parser workers and the forkserver that
outlive the command are reaped by it and their CPU time lands in its RUSAGE_CHILDREN. A
sampling thread sums RSS and PSS over the whole process tree every 20 ms; PSS counts
pages shared between forked workers once, RSS counts them in every process.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

_PR_SET_CHILD_SUBREAPER = 36
SAMPLE_INTERVAL = 0.02


@dataclass(frozen=True, slots=True)
class Measured:
    wall: float
    """Seconds from spawning the command to its exit."""
    cpu: float
    """User + system seconds of the command and all its descendants."""
    main_cpu: float
    """User + system seconds of the command's own process (the rest: its workers)."""
    peak_rss: int
    """Largest sum of RSS over the process tree, in bytes."""
    peak_pss: int
    processes: int
    """Most processes seen at once in the tree."""
    returncode: int
    output: str
    """The tail of the command's stdout and stderr."""


def run_measured(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 900
) -> Measured:
    """Run ``argv`` (a list, no shell) and measure it; raises RuntimeError if it fails."""
    from tui.bench.child import python_env

    wrapper = [sys.executable, "-m", "tui.bench.measure", *argv]
    done = subprocess.run(
        wrapper,
        env=dict(env) if env else python_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"measuring {argv!r} failed: {done.stderr.strip()[-2000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    measured = Measured(**data)
    if measured.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} exited with {measured.returncode}: {measured.output[-2000:]}"
        )
    return measured


class TreeSampler:
    """Samples the memory of ``root``'s descendants (and ``root`` itself if asked)."""

    def __init__(
        self, root: int, *, include_root: bool = False, interval: float = SAMPLE_INTERVAL
    ) -> None:
        self._root = psutil.Process(root)
        self._interval = interval
        self._include_root = include_root
        self.peak_rss = 0
        self.peak_pss = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        try:
            procs = self._root.children(recursive=True)
        except psutil.Error:
            return
        if self._include_root:
            procs.append(self._root)
        rss = pss = 0
        for proc in procs:
            try:
                info = proc.memory_full_info()
            except psutil.Error:
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.processes = max(self.processes, len(procs))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self._interval)


def _become_subreaper() -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap_all(deadline: float) -> None:
    """Wait for every descendant; kill whatever is still alive at ``deadline``."""
    killed = False
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid:
            continue
        if time.monotonic() > deadline and not killed:
            for proc in psutil.Process().children(recursive=True):
                proc.kill()
            killed = True
        time.sleep(0.01)


def _main(argv: Sequence[str]) -> int:
    _become_subreaper()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"yuedu-bench-measure-{os.getpid()}.log"
    with log.open("w+b") as out:
        sampler = TreeSampler(os.getpid())
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=subprocess.STDOUT)
        sampler.start()
        # wait4 gives the command's own CPU apart from its workers'.
        _, status, own = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        returncode = proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
        _reap_all(time.monotonic() + 15)
        out.seek(0)
        output = out.read()[-4000:].decode("utf-8", "replace")
    log.unlink(missing_ok=True)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    measured = Measured(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        main_cpu=own.ru_utime + own.ru_stime,
        peak_rss=sampler.peak_rss,
        peak_pss=sampler.peak_pss,
        processes=sampler.processes,
        returncode=returncode,
        output=output,
    )
    sys.stdout.write(json.dumps(asdict(measured)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
