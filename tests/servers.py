"""A real `rocksearch serve` (gunicorn) on a free port of 127.0.0.1, for the tests that
need the real server: `running_server(index_dir, …)` yields its base URL."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(index_dir: Path, workers: int = 1, threads: int = 4, env: dict | None = None,
                   ready_path: str = "/maxims") -> Iterator[str]:  # fmt: skip
    """Start the server, wait until `ready_path` answers (30 s at most), stop it after."""
    port = free_port()
    # The synonyms file beside the index: never the project's own (the server runs in ROOT).
    synonyms = str(Path(index_dir).parent / "synonyms.txt")
    environ = {**os.environ, "ROCKSEARCH_INDEX": str(index_dir),
               "ROCKSEARCH_SYNONYMS": synonyms, **(env or {})}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "rocksearch_cli", "serve", "--port", str(port),
         "--workers", str(workers), "--threads", str(threads)],
        cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + ready_path, timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise AssertionError(
                        f"the server did not start: {proc.stderr.read()}"
                    ) from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()
