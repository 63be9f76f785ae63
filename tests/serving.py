"""Real servers for the operations tests: `mandates serve` (uvicorn) in a child process, its JSON log
in a file, stopped with SIGTERM as a process manager would."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from config.settings import ROOT


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now, as the system picks it: tests run side by side
    (other checkouts, other suites) never ask for the same fixed port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mandates(*args: str, env: dict[str, str], log: Path | None = None) -> subprocess.CompletedProcess:
    """Runs a `mandates` command to its end."""
    with open(log or os.devnull, "ab") as stderr:
        return subprocess.run(
            [sys.executable, "-m", "config.cli", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            check=True,
        )


@contextlib.contextmanager
def serving(port: int, env: dict[str, str], log: Path, *options: str) -> Iterator[str]:
    """`mandates serve` on 127.0.0.1:port until the block ends; yields its base URL."""
    with open(log, "ab") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "config.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *options],
            cwd=ROOT,
            env=env,
            stdout=stderr,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server on port {port} stopped: see {log}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server on port {port} did not answer: see {log}")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_lines(*logs: Path) -> list[dict]:
    """Every line of the logs as JSON (a line that is not JSON fails the test that reads it)."""
    lines = []
    for log in logs:
        for text in log.read_text(encoding="utf-8").splitlines():
            lines.append(json.loads(text))
    return lines
