"""A client that sends its request slowly holds none of the server's threads
(web/slow_clients.py), and pins the gunicorn internals that module relies on."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.request

import pytest

from tests.conftest import ARTICLES, index_of
from tests.servers import running_server, workers_holding
from web.slow_clients import (
    BODY_CAP,
    CONTINUE,
    HEAD_CAP,
    LENGTH_REQUIRED,
    MORE,
    TOO_LARGE,
    WHOLE,
    HeldAnswer,
    judged,
)

TIMEOUT = 3.0  # ROCKSEARCH_REQUEST_TIMEOUT of the server these tests start

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (b"GET /api/search?q=cash HTTP/1.1\r\nHost: x\r\n", MORE),
        (b"GET /api/search?q=cash HTTP/1.1\r\nHost: x\r\n\r\n", WHOLE),
        (b"POST /editor/login HTTP/1.1\r\nContent-Length: 10\r\n\r\nname=", MORE),
        (b"POST /editor/login HTTP/1.1\r\ncontent-length:10\r\n\r\nname=a&b=c", WHOLE),
        (b"POST / HTTP/1.1\r\nContent-Length: 10\r\nHost: x\r\n\r\nname=", MORE),
        (b"POST / HTTP/1.1\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n", CONTINUE),
        (b"POST / HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nab", WHOLE),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", LENGTH_REQUIRED),
        (b"POST / HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % (BODY_CAP + 1), TOO_LARGE),
        (b"POST / HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % BODY_CAP, MORE),
        (b"GET / HTTP/1.1\r\nX-Long: " + b"a" * HEAD_CAP, WHOLE),  # the parser refuses it
        (b"GET / HTTP/1.1\nHost: x", WHOLE),  # a bare LF: refused (400) at once, as before
    ],
)
def test_what_the_event_loop_does_with_what_a_request_has_sent(received, expected):
    assert judged(received) == expected


def test_the_gunicorn_internals_the_worker_relies_on_are_there():
    """gunicorn 27's gthread worker, as web/slow_clients.py reaches into it: an upgrade
    that moves them breaks here first."""
    import inspect

    from gunicorn import util
    from gunicorn.config import Config
    from gunicorn.http.unreader import Unreader
    from gunicorn.workers.gthread import TConn, ThreadWorker

    for name in ("accept", "enqueue_req", "murder_pending", "init_process", "handle",
                 "handle_request", "finish_request", "on_client_socket_readable",
                 "set_accept_enabled"):  # fmt: skip
        assert callable(getattr(ThreadWorker, name)), name
    for method, parameters in [(ThreadWorker.handle_request, ["self", "req", "conn"]),
                               (ThreadWorker.finish_request, ["self", "conn", "fs"])]:  # fmt: skip
        assert list(inspect.signature(method).parameters) == parameters
    # Answers are written with the socket's sendall (HeldAnswer's), unless sendfile is on.
    assert "sock.sendall(data)" in inspect.getsource(util.write)
    assert "sendfile" in Config().settings
    assert "data_ready" in inspect.getsource(ThreadWorker.handle)
    assert "self.poller" in inspect.getsource(ThreadWorker.init_process)
    assert "nr_conns" in inspect.getsource(ThreadWorker.accept)
    # The run loop turns accepting on and off through set_accept_enabled, which keeps
    # `_accepting`; worker_connections is the cap it checks.
    assert "self.set_accept_enabled(can_accept)" in inspect.getsource(ThreadWorker.run)
    assert "self._accepting = enabled" in inspect.getsource(ThreadWorker.set_accept_enabled)
    assert "self.worker_connections" in inspect.getsource(ThreadWorker.__init__)
    assert "self.enqueue_req(conn)" in inspect.getsource(ThreadWorker.finish_request)
    source = inspect.getsource(TConn)
    for name in ("def init", "self.parser", "self.initialized", "self.data_ready"):
        assert name in source, name
    assert callable(Unreader.unread) and callable(Unreader.take_buffered)


def test_an_answer_goes_out_in_one_send_and_a_head_alone_when_flushed():
    """gunicorn writes an answer's head and its body apart: the head waits for the body,
    so the client gets both from one send; an answer with no body (a 304) is its head,
    sent when the request is done."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.setblocking(False)
        held = HeldAnswer(ours)
        held.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
        with pytest.raises(BlockingIOError):
            theirs.recv(1024)  # nothing yet: the head waits
        held.sendall(b"hello")
        assert theirs.recv(1024) == b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
        held.flush()  # nothing held
        with pytest.raises(BlockingIOError):
            theirs.recv(1024)

        alone = HeldAnswer(ours)
        alone.sendall(b"HTTP/1.1 304 Not Modified\r\n\r\n")
        alone.flush()
        assert theirs.recv(1024) == b"HTTP/1.1 304 Not Modified\r\n\r\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slow")
    index_of(folder, ARTICLES)
    env = {"ROCKSEARCH_REQUEST_TIMEOUT": str(TIMEOUT), "ROCKSEARCH_ANALYTICS": "false",
           "ROCKSEARCH_RATE_LIMIT": "100000/minute"}  # fmt: skip
    with running_server(folder / "index", workers=1, threads=2, env=env) as base:
        yield base


def port_of(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def a_reader_is_answered_at_once(server: str, times: int = 3) -> None:
    """A reader's search, `times` over, each answered within 1.5 s with its results."""
    for _ in range(times):
        started = time.monotonic()
        with urllib.request.urlopen(f"{server}/api/search?q=cash+flow", timeout=1.5) as r:
            answer = json.load(r)
        assert time.monotonic() - started < 1.5
        assert answer["hits"][0]["title"] == "Cash flow is the oxygen of a small business"


def dribble(port: int, first: bytes, more: bytes, until: float) -> None:
    """Send `first`, then `more` a few bytes at a time until the time `until` or until
    the server closes the connection."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(first)
            while time.monotonic() < until:
                s.sendall(more)
                time.sleep(0.25)
    except OSError:
        pass


def test_slow_clients_leave_the_threads_to_readers(server):
    """Six clients sending their requests a line at a time (three a head, three a body),
    against a worker of two threads: a reader's search is answered at once, with its
    results. (gunicorn's own gthread gave each slow client a thread until it was done:
    the reader waited behind them.)"""
    port = port_of(server)
    until = time.monotonic() + 6
    slow = [(b"GET /api/search?q=cash HTTP/1.1\r\nHost: x\r\n", b"X-Slow: 1\r\n")] * 3
    slow += [(b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n", b"q=a&")] * 3
    clients = [threading.Thread(target=dribble, args=(port, first, more, until), daemon=True)
               for first, more in slow]  # fmt: skip
    for client in clients:
        client.start()
    time.sleep(0.8)  # every slow client has begun its request
    a_reader_is_answered_at_once(server)
    for client in clients:
        client.join(timeout=10)


def test_a_request_not_sent_in_time_is_answered_408_and_closed(server):
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=TIMEOUT + 3) as s:
        started = time.monotonic()
        s.sendall(b"GET /api/search?q=cash HTTP/1.1\r\nHost: x\r\n")  # and nothing more
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
        waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), answer
    assert answer.endswith(b"\r\nContent-Length: 34\r\n\r\nThe request took too long to send.")
    assert TIMEOUT - 0.1 < waited < TIMEOUT + 1.5


def test_a_connection_that_sends_nothing_is_closed_after_the_timeout(server):
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=TIMEOUT + 3) as s:
        started = time.monotonic()
        assert s.recv(4096) == b""  # closed, with no answer: no request was begun
        assert TIMEOUT - 0.1 < time.monotonic() - started < TIMEOUT + 1.5


def read_answers(s: socket.socket, count: int) -> list[bytes]:
    """The status lines of `count` answers read from `s` (each with a Content-Length)."""
    buffer, statuses = b"", []
    while len(statuses) < count:
        head_end = buffer.find(b"\r\n\r\n")
        if head_end < 0:
            chunk = s.recv(65536)
            assert chunk, f"closed after {statuses}"
            buffer += chunk
            continue
        head = buffer[:head_end].decode("latin-1")
        length = next(int(line.split(":", 1)[1]) for line in head.split("\r\n")
                      if line.lower().startswith("content-length:"))  # fmt: skip
        while len(buffer) < head_end + 4 + length:
            buffer += s.recv(65536)
        statuses.append(head.split("\r\n", 1)[0].encode())
        buffer = buffer[head_end + 4 + length :]
    return statuses


def test_kept_alive_and_pipelined_requests_are_all_answered(server):
    request = b"GET /api/search?q=%s HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=5) as s:
        s.sendall(request % b"cash")
        assert read_answers(s, 1) == [b"HTTP/1.1 200 OK"]
        third = request % b"sales"
        s.sendall(request % b"flow" + request % b"rock" + third[:20])  # the third in parts
        time.sleep(0.3)
        s.sendall(third[20:])
        assert read_answers(s, 3) == [b"HTTP/1.1 200 OK"] * 3


def test_answers_without_a_body_reach_the_client(server):
    """A 304 (the ETag the client has) and the answer to HEAD are a head alone: held
    for a body that never comes, they are sent when the request is done."""
    with urllib.request.urlopen(f"{server}/api/search?q=cash") as r:
        etag = r.headers["ETag"]
    request = (b"GET /api/search?q=cash HTTP/1.1\r\nHost: x\r\nIf-None-Match: %s\r\n\r\n"
               % etag.encode())  # fmt: skip
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=5) as s:
        s.sendall(request)
        assert head_of(s).startswith(b"HTTP/1.1 304 NOT MODIFIED\r\n")
        s.sendall(b"HEAD /api/search?q=cash HTTP/1.1\r\nHost: x\r\n\r\n")
        assert head_of(s).startswith(b"HTTP/1.1 200 OK\r\n")


def head_of(s: socket.socket) -> bytes:
    """An answer's head read from `s` (the answer has no body), within its timeout."""
    received = b""
    while not received.endswith(b"\r\n\r\n"):
        chunk = s.recv(65536)
        assert chunk, f"closed after {received!r}"
        received += chunk
    return received


def test_a_client_that_expects_100_continue_is_told_to_go_on(server):
    """curl sends "Expect: 100-continue" before a large body and waits for it: the body
    is not waited for before a thread has the request."""
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=5) as s:
        s.sendall(b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                  b"Expect: 100-continue\r\n\r\n")  # fmt: skip
        answer = s.recv(4096)
        assert answer.startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        s.sendall(b"q=ab")
        while b"\r\n\r\nHTTP/1.1 405 " not in answer:  # (the API searches by GET; the
            chunk = s.recv(65536)  # answer may come with the 100, as the body is not read)
            assert chunk, answer
            answer += chunk


def test_clients_that_do_not_read_their_answers_leave_the_threads_to_readers(server):
    """Six clients that ask for many answers at once (pipelined) and read none: what the
    kernel does not take is kept by the event loop, so a reader's search is answered at
    once. (gunicorn's gthread wrote each answer from a thread, which waited for the
    client to read: two such clients held a worker's two threads.)"""
    many = b"GET /api/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n" * 300
    clients = []
    try:
        for _ in range(6):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
            s.connect(("127.0.0.1", port_of(server)))
            s.sendall(many)
            clients.append(s)
        time.sleep(1)  # the threads have written what the kernel takes
        a_reader_is_answered_at_once(server)
        s = clients[0]  # and a client that reads gets every answer, whole
        assert read_answers(s, 300) == [b"HTTP/1.1 200 OK"] * 300
    finally:
        for s in clients:
            s.close()


def test_clients_that_keep_a_closed_connection_stall_no_one(server):
    """Twelve clients that ask for "Connection: close" and then keep the connection
    open. gunicorn lingered up to 2 s on each, reading, in the worker's one event loop:
    a reader's search waited behind them (5.8 s for twelve on two workers)."""
    clients = []
    try:
        for n in range(12):
            s = socket.create_connection(("127.0.0.1", port_of(server)))
            s.sendall(b"GET /api/search?q=cash&n=%d HTTP/1.1\r\nHost: x\r\n"
                      b"Connection: close\r\n\r\n" % n)  # fmt: skip
            clients.append(s)
        time.sleep(0.5)
        a_reader_is_answered_at_once(server)
        answer = b""  # and each got its answer, then the server's close
        while chunk := clients[-1].recv(65536):
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and answer.endswith(b"}\n")
    finally:
        for s in clients:
            s.close()


@pytest.mark.parametrize(
    ("head", "status"),
    [
        (b"Content-Length: %d\r\n" % (BODY_CAP * 50), b"413 Content Too Large"),
        (b"Transfer-Encoding: chunked\r\n", b"411 Length Required"),
    ],
)
def test_a_body_too_large_or_of_no_given_length_is_refused_before_it_is_sent(server, head, status):
    """No form takes more than a few kB: a thread would have read such a body as slowly
    as it came (and Flask would have parsed 50 MB of form)."""
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=5) as s:
        started = time.monotonic()
        s.sendall(b"POST /editor/login HTTP/1.1\r\nHost: x\r\n" + head + b"\r\nname=a")
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 " + status + b"\r\n"), answer
    assert time.monotonic() - started < 1


def test_one_address_cannot_hold_every_connection(server):
    """1,100 idle connections from one address, more than a worker keeps (1,000): past
    PER_CLIENT its connections are closed at once, and a reader from another address is
    answered at once. (Before, the worker stopped accepting, and a reader waited until
    the idle ones timed out: 9 s for 2,500 against two workers.)"""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2000:
        pytest.skip(f"this process may open {hard} files, fewer than the test needs")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2000), hard))
    port, idle = port_of(server), []
    try:
        for _ in range(1100):
            s = socket.socket()
            s.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                s.connect(("127.0.0.1", port))
            idle.append(s)
        time.sleep(0.5)
        s = idle[-1]  # one past the hundred: closed by the server, with no answer
        s.setblocking(True)
        s.settimeout(2)
        with contextlib.suppress(ConnectionResetError):
            assert s.recv(100) == b""
        reader = socket.socket()
        reader.bind(("127.0.0.2", 0))  # another address (all of 127/8 is this machine)
        reader.settimeout(1.5)
        reader.connect(("127.0.0.1", port))
        with reader:
            reader.sendall(b"GET /api/search?q=cash+flow HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_answers(reader, 1) == [b"HTTP/1.1 200 OK"]
    finally:
        for s in idle:
            s.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_stopping_server_waits_for_idle_connections_two_seconds_at_most(tmp_path):
    """Stopped (SIGTERM, as a service manager stops it) with idle connections open, one
    of them halfway through a request: it exits in seconds. (gunicorn's gthread waited
    out its graceful timeout, 30 s, for them.)"""
    index_of(tmp_path, ARTICLES)
    env = {"ROCKSEARCH_ANALYTICS": "false"}  # (the default request timeout: 10 s)
    idle = []
    with running_server(tmp_path / "index", workers=1, threads=2, env=env) as base:
        for _ in range(5):
            idle.append(socket.create_connection(("127.0.0.1", port_of(base))))
        idle[0].sendall(b"GET /api/search?q=cash HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.5)
        started = time.monotonic()
    assert time.monotonic() - started < 5  # (stopped and waited for by running_server)
    for s in idle:
        s.close()


def keep_searching(port: int, word: bytes, until: float, ports: set, answered: list) -> None:
    """One client: a connection kept alive, a search for `word` on it again and again
    until the time `until`; its local port goes into `ports`, its count of answers into
    `answered`."""
    request = b"GET /api/search?q=%s HTTP/1.1\r\nHost: x\r\n\r\n" % word
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        ports.add(s.getsockname()[1])
        count = 0
        while time.monotonic() < until:
            s.sendall(request)
            assert read_answers(s, 1) == [b"HTTP/1.1 200 OK"]
            count += 1
        answered.append(count)


def test_clients_that_connect_together_are_shared_by_the_workers(tmp_path):
    """Eight clients connect at once and keep searching on their connections, against
    two workers of one thread each: both workers serve some (at least two each), in
    each of three rounds, and every client is answered. gunicorn's gthread took every
    connection it could: often all sixteen clients of the HTTP benchmark were one
    worker's while the other idled."""
    index_of(tmp_path, ARTICLES)
    env = {"ROCKSEARCH_ANALYTICS": "false", "ROCKSEARCH_RATE_LIMIT": "100000/minute"}
    with running_server(tmp_path / "index", workers=2, threads=1, env=env) as base:
        port = port_of(base)
        for round_ in range(3):
            until = time.monotonic() + 1.5
            ports: set[int] = set()
            answered: list[int] = []
            clients = [threading.Thread(target=keep_searching, daemon=True,
                                        args=(port, word, until, ports, answered))
                       for word in [b"cash", b"flow", b"sales", b"rock"] * 2]  # fmt: skip
            for c in clients:
                c.start()
            time.sleep(1.0)  # every client is connected, and searching
            held = workers_holding(port, ports)
            for c in clients:
                c.join(timeout=15)
            assert len(answered) == 8 and min(answered) > 0, answered
            assert sum(held.values()) == 8 and len(held) == 2, (round_, held)
            assert min(held.values()) >= 2, (round_, held)
