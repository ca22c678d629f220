"""A real `rocksearch serve` (gunicorn) on a free port of 127.0.0.1, for the tests that
need the real server: `running_server(index_dir, …)` yields its base URL."""

from __future__ import annotations

import contextlib
import http.client
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
        if workers > 1:
            # ("Up" once one worker answers; another may still be loading the index, and
            # takes no connection until it is done: under load, the first clients of a
            # test were then all the first worker's.)
            every_worker_answers(port, workers, ready_path, deadline)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()


def workers_holding(port: int, client_ports: set[int]) -> dict[int, int]:
    """How many of the connections from `client_ports` each server process holds
    (Linux: the server's sockets in /proc/net/tcp, their owners' file descriptors)."""
    inodes = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(name) as table:
            for line in list(table)[1:]:
                fields = line.split()
                local, remote = fields[1], fields[2]
                if (int(local.rsplit(":", 1)[1], 16) == port
                        and int(remote.rsplit(":", 1)[1], 16) in client_ports):  # fmt: skip
                    inodes.add(f"socket:[{fields[9]}]")
    held: dict[int, int] = {}
    for fd_folder in Path("/proc").glob("[0-9]*/fd"):
        with contextlib.suppress(OSError):
            for fd in fd_folder.iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in inodes:
                        pid = int(fd_folder.parent.name)
                        held[pid] = held.get(pid, 0) + 1
    return held


def every_worker_answers(port: int, workers: int, path: str, deadline: float) -> None:
    """Wait until each of the server's `workers` has answered `path` (by the monotonic
    clock's `deadline`): a new connection for each request, whose holder is looked up
    while it is open."""
    seen: set[int] = set()
    while len(seen) < workers:
        if time.monotonic() > deadline:
            raise AssertionError(f"only {len(seen)} of the server's {workers} workers answer")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", path)
            connection.getresponse().read()
            seen.update(workers_holding(port, {connection.sock.getsockname()[1]}))
        finally:
            connection.close()
