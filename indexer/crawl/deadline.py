"""A time limit for a whole HTTP request, which httpx's timeouts are not.

Takes a limit in seconds (`transport`, `within`); gives an httpx transport whose every
read of the network, the answer's status line and headers included, waits no longer
than what is left of the limit of the request under way in its thread (`within`), and
fails with httpcore's ReadTimeout once it is spent. httpx's read timeout is per read:
a server that sent a byte every tenth of a second held a crawl on one page for ever,
in the body (which a check between its chunks had bounded) or, before this, in the
status line and headers, which httpx reads before it gives the answer back.

httpx's transport takes no network backend of its own, so `transport` wraps the one
of the connection pool HTTPTransport made in a backend whose streams keep the limit:
the one place the crawler reaches inside httpx (tests/test_crawl.py pins it with a
server that trickles its headers in).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import httpcore
import httpx

# .deadline: a time.monotonic() value, or None; .answered: whether a read inside
# `within` has had bytes.
_local = threading.local()


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Every network read of this thread's requests inside the block ends by `seconds`
    from now."""
    _local.deadline, _local.answered = time.monotonic() + seconds, False
    try:
        yield
    finally:
        _local.deadline = None


def answered() -> bool:
    """Whether the server sent anything in this thread's last `within` block: a server
    slow to finish its answer, not one that never began it."""
    return getattr(_local, "answered", False)


def _left(timeout: float | None) -> float | None:
    deadline = getattr(_local, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the whole answer took too long")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._stream.read(max_bytes, _left(timeout))
        if data:
            _local.answered = True
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> _Stream:
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, _left(timeout)))

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend):
        self._backend = backend

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _Stream(self._backend.connect_tcp(host, port, _left(timeout), local_address,
                                                 socket_options))  # fmt: skip

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _Stream(self._backend.connect_unix_socket(path, _left(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def transport(**options) -> httpx.HTTPTransport:
    """An HTTPTransport (`options` as it takes them) whose reads keep `within`'s limit."""
    made = httpx.HTTPTransport(**options)
    pool = made._pool
    pool._network_backend = _Backend(pool._network_backend)
    return made
