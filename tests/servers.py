"""A real `rocksearch serve` (gunicorn) on a free port of 127.0.0.1, for the tests that
need the real server: `running_server(index_dir, …)` yields its base URL."""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def largest_file_of(size: int) -> Callable[[], None]:
    """A preexec_fn: the child may write no file past `size` bytes. Its writes past it
    fail with EFBIG ("File too large"; Python ignores SIGXFSZ), as a full disk's fail
    with ENOSPC, for any user (root too), with no file system to fill."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@contextlib.contextmanager
def running_server(index_dir: Path, workers: int = 1, threads: int = 4, env: dict | None = None,
                   ready_path: str = "/maxims",
                   largest_file: int | None = None) -> Iterator[str]:  # fmt: skip
    """Start the server, wait until `ready_path` answers (30 s at most), stop it after.
    `largest_file`: the server may write no file past this many bytes (RLIMIT_FSIZE, a
    disk that refuses writes, as a full one does: see largest_file)."""
    port = free_port()
    # The synonyms file beside the index: never the project's own (the server runs in ROOT).
    synonyms = str(Path(index_dir).parent / "synonyms.txt")
    environ = {**os.environ, "ROCKSEARCH_INDEX": str(index_dir),
               "ROCKSEARCH_SYNONYMS": synonyms, **(env or {})}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "rocksearch_cli", "serve", "--port", str(port),
         "--workers", str(workers), "--threads", str(threads)],
        cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        preexec_fn=None if largest_file is None else largest_file_of(largest_file),
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
