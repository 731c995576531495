"""Measuring: percentiles, child processes timed with their own peak RSS, and a Chroma server for a run."""

from __future__ import annotations

import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (numpy's default); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


@dataclass(frozen=True)
class ChildRun:
    """One finished child process: exit code, output, wall seconds and its own peak RSS."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float


def run_child(
    cmd: Sequence[str], env: dict[str, str], cwd: Path | None = None, timeout: float = 3600
) -> ChildRun:
    """Run `cmd` to completion; wall time and RSS high-water mark come from wait4 for this child alone.

    (getrusage(RUSAGE_CHILDREN) would give the largest child so far, not this one.)
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(list(cmd), env=env, cwd=cwd, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ChildRun(
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            seconds=seconds,
            peak_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int | None = None) -> float:
    """Current resident set size of a process (this one by default), in MiB."""
    import psutil

    return float(psutil.Process(pid or os.getpid()).memory_info().rss) / 2**20


class ChromaServer:
    """`chroma run` on a free loopback port over a folder, started and stopped by the benchmark."""

    def __init__(self, path: Path, env: dict[str, str], log_path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.host = "127.0.0.1"
        self._env = env
        self._log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None
        self.peak_rss_mb = math.nan

    def start(self, timeout: float = 60) -> Self:
        self.path.mkdir(parents=True, exist_ok=True)
        log = self._log_path.open("wb")
        self._proc = subprocess.Popen(
            [
                str(VENV_BIN / "chroma"),
                "run",
                "--path",
                str(self.path),
                "--host",
                self.host,
                "--port",
                str(self.port),
            ],
            env=self._env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        url = f"http://{self.host}:{self.port}/api/v2/heartbeat"
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(
                    f"chroma run exited with {self._proc.returncode}; see {self._log_path}"
                )
            try:
                with urllib.request.urlopen(url, timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"chroma run did not answer on {url} within {timeout:.0f}s")

    def current_rss_mb(self) -> float:
        assert self._proc is not None
        return rss_mb(self._proc.pid)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and record its peak RSS from wait4."""
        if self._proc is None or self._proc.returncode is not None:
            return
        self._proc.send_signal(signal.SIGTERM)
        timer = threading.Timer(20, self._proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(self._proc.pid, 0)
        finally:
            timer.cancel()
        self._proc.returncode = os.waitstatus_to_exitcode(status)
        self.peak_rss_mb = usage.ru_maxrss / 1024

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
