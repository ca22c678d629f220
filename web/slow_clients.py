"""A gunicorn worker that reads each request, and sends each answer, in its event loop.

gunicorn's threaded worker (gthread) hands a connection to one of its few threads as
soon as its first bytes arrive; the thread then waits for the rest of the request, and
for the client to take the answer. So a few clients that send a byte at a time, or read
nothing ("slowloris"), hold every thread: twelve such connections stopped `rocksearch
serve` (2 workers x 4 threads, as it was) for seconds. gunicorn's maintainers advise a buffering
proxy in front; `rocksearch serve` is often the server readers reach, so it buffers too.

Takes the worker's settings and `request_timeout` (seconds); gives `buffering_worker(
request_timeout)`, a worker class for gunicorn's `worker_class`. Its event loop, as
nginx for the app behind it:
- reads a request's head and body (up to BODY_CAP bytes; past it 413, and 411 for a
  body of a length not given) without a thread, and tells a client that expects it to
  go on ("100 Continue"); a thread takes the connection only once its request is all
  there. A request not all there `request_timeout` seconds after the wait for it began
  (accepted, or kept alive after an answer) is answered 408, and closed;
- sends what the kernel did not take at once of the thread's answer (HeldAnswer, which
  sends an answer's head and body in one send), and
  drops an answer of which the client takes nothing for `request_timeout` seconds;
- lingers before a close (RFC 9112 section 9.6) without blocking: gunicorn did it in a
  blocking read of up to 2 s in its event loop.

It also shares new connections out: a worker whose threads are all busy takes one in
ACCEPT_DELAY at most, and leaves the rest to a worker with a thread free (gthread took
all it could, and kept-alive clients that connected together were often all one
worker's while the other idled).

This is the one module that reaches into gunicorn's worker internals (TConn and its
parser's unreader, the worker's poller, enqueue_req, handle_request, finish_request,
nr_conns, murder_pending, set_accept_enabled and `_accepting`, worker_connections), as
gunicorn 27 has them; tests/test_slow_clients.py pins them.
"""

from __future__ import annotations

import contextlib
import errno
import re
import selectors
import socket
import time
from functools import partial

from gunicorn.workers.gthread import TConn, ThreadWorker

# A request head longer than this is handed to gunicorn's parser as it stands: the
# parser refuses one past its limits (limit_request_line, limit_request_fields) at once.
HEAD_CAP = 64 * 1024
# The largest request body taken (the editors' forms are a few kB); a larger one is
# refused, 413, before a thread would wait for it.
BODY_CAP = 1024 * 1024
# How long a closed connection is read from, for what the client still sends, and how
# much (as gunicorn's util.close_graceful), before it is closed for good.
LINGER, LINGER_BYTES = 2.0, 64 * 1024
# How long a stopping worker still reads requests and sends answers (gunicorn's
# STOP_KEEPALIVE_LINGER for kept-alive connections).
STOP_LINGER = 2.0
# Connections one client address may hold in a worker at once (a browser opens six).
PER_CLIENT = 100
# How long a worker whose threads are all busy leaves new connections to the others.
ACCEPT_DELAY = 0.05
_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*(\d+)[ \t]*\r?$", re.I | re.M)
_EXPECT = re.compile(rb"^expect[ \t]*:[ \t]*100-continue[ \t]*\r?$", re.I | re.M)
_CHUNKED = re.compile(rb"^transfer-encoding[ \t]*:", re.I | re.M)


def answer(status: str, text: str) -> bytes:
    """A whole HTTP answer that closes the connection: `text` as plain text."""
    body = text.encode()
    return (f"HTTP/1.1 {status}\r\nConnection: close\r\nContent-Type: text/plain\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body  # fmt: skip


TIMED_OUT = answer("408 Request Timeout", "The request took too long to send.")
TOO_LARGE = answer("413 Content Too Large", f"A request body may have {BODY_CAP} bytes at most.")
LENGTH_REQUIRED = answer("411 Length Required", "A request body needs a Content-Length.")
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
MORE, WHOLE = "more", "whole"


def judged(received: bytes | bytearray) -> str | bytes:
    """What the event loop does with the bytes a request has sent so far: WHOLE (a thread
    can read the request without waiting: its head, and its body if it has one), MORE
    (wait for more), CONTINUE (tell the client to send its body, then wait for it), or
    an answer to send before closing (a body too large, or of a length not given)."""
    end = received.find(b"\r\n\r\n")
    head = bytes(received[: len(received) if end < 0 else end])
    if head.count(b"\n") != head.count(b"\r\n"):
        return WHOLE  # a line ended by a bare LF: the parser refuses it (400) at once
    if end < 0:
        return WHOLE if len(received) > HEAD_CAP else MORE
    if _CHUNKED.search(head):
        return LENGTH_REQUIRED  # (no form sends one; a thread would read it as it comes)
    length = _LENGTH.search(head)
    if length is None:
        return WHOLE
    size = int(length.group(1))
    if size > BODY_CAP:
        return TOO_LARGE
    if len(received) - (end + 4) >= size:
        return WHOLE
    return CONTINUE if _EXPECT.search(head) else MORE


class HeldAnswer:
    """Stands in for a connection's socket while a thread writes its answer: what the
    kernel does not take at once is kept in `unsent`, for the event loop to send, so a
    client that does not read its answers holds no thread."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.unsent = bytearray()
        # gunicorn sends an answer's head, then its body, each in a send of its own: the
        # head waits here for the body, so that an answer is one send (a system call and,
        # on loopback, the client woken once), not two. `flush` sends a head left alone.
        self.head: bytes | None = None
        self.started = False

    def sendall(self, data) -> None:
        if not self.started:
            self.started = True
            self.head = bytes(data)
            return
        if self.head is not None:
            data, self.head = self.head + bytes(data), None
        self._send(data)

    def flush(self) -> None:
        """Send what is held (a head whose answer has no body)."""
        if self.head is not None:
            data, self.head = self.head, None
            self._send(data)

    def _send(self, data) -> None:
        if not self.unsent:
            data = memoryview(data)
            while data:
                try:
                    data = data[self.sock.send(data, socket.MSG_DONTWAIT) :]
                except BlockingIOError:
                    break
        self.unsent += data

    def send(self, data) -> int:
        self.sendall(data)
        return len(data)

    def __getattr__(self, name: str):
        return getattr(self.sock, name)


class BufferedConn(TConn):
    """A connection whose request is read, and whose answer is sent, in the event loop:
    the parser is given the request's bytes first (TConn.init makes the parser in the
    thread), and a graceful close lingers in the loop, not in a blocking read."""

    def __init__(self, worker: BufferingWorker, *args) -> None:
        super().__init__(*args)
        self.worker = worker
        self.received = bytearray()
        self.unsent = bytearray()
        self.deadline = 0.0
        self.ready = False  # its request is all in `received`: a thread may take it
        self.told_to_go_on = False  # ("100 Continue" sent for the request being read)
        self.drained = 0  # bytes read while lingering before the close

    def init(self) -> None:
        super().init()  # (a connection kept alive is initialised once: its parser stays)
        if self.received:
            self.parser.unreader.unread(bytes(self.received))
            self.received = bytearray()

    def close(self, graceful: bool = False) -> None:
        if graceful and self.worker is not None:
            # gunicorn lingers up to 2 s in a blocking read, on the worker's one event
            # loop: twelve clients that kept their connection after "Connection: close"
            # stalled every other client of the server for 5.8 s.
            self.worker.linger(self)
        else:
            self.closed()

    def closed(self) -> None:
        """Close the socket for good, and count the connection off its client's."""
        if self.worker is not None:
            self.worker.client_closed(self)
            self.worker = None
        super().close()


class BufferingWorker(ThreadWorker):
    """gthread, but a connection goes to a thread only with its whole request, and
    leaves it once its answer is written, sent or not."""

    request_timeout = 10.0
    # Connections one client address may hold in a worker at once (None: any number,
    # as behind a proxy, where every connection is the proxy's).
    per_client: int | None = PER_CLIENT

    def init_process(self) -> None:
        # Connections reading a request, sending an answer, lingering before a close: each
        # with its deadline, the first to expire first (dicts keep their order).
        self.reading: dict[BufferedConn, None] = {}
        self.answering: dict[BufferedConn, None] = {}
        self.lingering: dict[BufferedConn, None] = {}
        self.clients: dict[str | None, int] = {}  # open connections by client address
        self.stopping_at: float | None = None  # (see murder_pending)
        self.busy = 0  # requests handed to the threads and not yet finished
        self.accepted_at = 0.0  # when the last connection was taken
        # A file's answer too goes through HeldAnswer.sendall: sendfile would write to the
        # socket itself, ahead of what is unsent.
        self.cfg.set("sendfile", False)
        super().init_process()

    def set_accept_enabled(self, enabled: bool) -> None:
        """gthread's, but a worker whose threads are all busy takes one new connection
        in ACCEPT_DELAY at most, and leaves the rest to a worker with a thread free.
        gthread took every connection it could: of sixteen clients that connected
        together and kept their connections alive, all (or all but one) were one
        worker's in three runs of four, while the other idled, and the server answered
        half as many requests."""
        super().set_accept_enabled(enabled and self._may_accept())

    def _may_accept(self) -> bool:
        # (Some, not none: clients that keep a worker's threads busy on connections it
        # has would otherwise starve new ones of a server whose workers all are busy.)
        return self.busy < self.cfg.threads or time.monotonic() - self.accepted_at >= ACCEPT_DELAY

    def accept(self, listener) -> None:
        """gthread's accept, with a BufferedConn (gunicorn's would go to a thread at once)."""
        try:
            client_sock, client_addr = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        client = client_addr[0] if isinstance(client_addr, tuple) else None
        if self.per_client is not None and self.clients.get(client, 0) >= self.per_client:
            # One address holding this many already (idle, or sending slowly) would have
            # it hold every connection the worker keeps: 2,500 idle ones kept a reader
            # waiting 9 s. Refused at once; a proxy in front limits them itself.
            client_sock.close()
            return
        self.nr_conns += 1
        self.accepted_at = time.monotonic()
        self.clients[client] = self.clients.get(client, 0) + 1
        self.enqueue_req(
            BufferedConn(self, self.cfg, client_sock, client_addr, listener.getsockname())
        )

    def client_closed(self, conn: BufferedConn) -> None:
        client = conn.client[0] if isinstance(conn.client, tuple) else None
        left = self.clients.get(client, 0) - 1
        if left > 0:
            self.clients[client] = left
        else:
            self.clients.pop(client, None)

    def enqueue_req(self, conn) -> None:
        """Every way to a thread goes through here: a new connection, a kept-alive one
        that became readable, and one whose last answer left bytes of its next request
        buffered (pipelining). Only a whole request goes on."""
        if not isinstance(conn, BufferedConn) or conn.ready or self.cfg.is_ssl:
            if isinstance(conn, BufferedConn):
                conn.ready = False
            self.busy += 1
            if self._accepting and not self._may_accept():
                super().set_accept_enabled(False)
            super().enqueue_req(conn)
            return
        if conn.parser is not None:  # what the last request's parser read ahead
            conn.received += conn.parser.unreader.take_buffered()
        conn.sock.setblocking(False)
        conn.told_to_go_on = False
        if self._went_on(conn):
            return
        # Read at once: a kept-alive connection comes here because it became readable,
        # and a new one's request mostly came with it. (Waiting for the poller first
        # cost every request a second trip round the event loop: some 10% of a
        # request's server CPU, measured against gthread.)
        came = self._received(conn)
        if came is False or (came and self._went_on(conn)):
            return
        self._wait(self.reading, conn, selectors.EVENT_READ, self._on_readable)

    def _wait(self, waiting: dict, conn: BufferedConn, event: int, callback) -> None:
        conn.deadline = time.monotonic() + self.request_timeout
        waiting[conn] = None
        self.poller.register(conn.sock, event, partial(callback, conn))

    def _stop(self, waiting: dict, conn: BufferedConn) -> None:
        waiting.pop(conn, None)
        with contextlib.suppress(KeyError, ValueError, OSError):  # (unregistered already)
            self.poller.unregister(conn.sock)

    def _on_readable(self, conn: BufferedConn, _sock) -> None:
        if self._received(conn):
            self._went_on(conn, reading=True)

    def _received(self, conn: BufferedConn) -> bool | None:
        """Read what `conn` has sent, without waiting: True if bytes came, None if none
        yet, False if the client went away (the connection is then closed)."""
        try:
            data = conn.sock.recv(65536)
        except BlockingIOError:
            return None
        except OSError:
            data = b""
        if not data:
            self._stop(self.reading, conn)  # (if it was waiting there)
            self._close(conn)
            return False
        conn.received += data
        return True

    def _went_on(self, conn: BufferedConn, reading: bool = False) -> bool:
        """Act on what `conn` has sent so far (see `judged`): True if it went on (to a
        thread, or closed with an answer), False if it waits for more."""
        verdict = judged(conn.received)
        if verdict is MORE:
            return False
        if verdict is CONTINUE:
            if not conn.told_to_go_on:
                conn.told_to_go_on = True
                with contextlib.suppress(OSError):  # (gunicorn's thread may tell it again)
                    conn.sock.send(CONTINUE, socket.MSG_DONTWAIT)
            return False
        if reading:
            self._stop(self.reading, conn)
        if verdict is WHOLE:
            conn.ready = True
            conn.data_ready = True  # (gthread's handle() would otherwise wait for data again)
            conn.sock.setblocking(True)
            self.enqueue_req(conn)
        else:  # an answer that refuses it
            with contextlib.suppress(OSError):
                conn.sock.send(verdict, socket.MSG_DONTWAIT)
            self.nr_conns -= 1
            self.linger(conn)
        return True

    def handle_request(self, req, conn) -> bool:
        """gthread's, writing the answer to a HeldAnswer (in a thread)."""
        if not isinstance(conn, BufferedConn) or self.cfg.is_ssl:
            return super().handle_request(req, conn)
        sock = conn.sock
        conn.sock = held = HeldAnswer(sock)
        try:
            return super().handle_request(req, conn)
        finally:
            held.flush()
            conn.sock = sock
            conn.unsent = held.unsent

    def finish_request(self, conn, fs) -> None:
        """gthread's, once the rest of the answer is sent (in the event loop)."""
        # Its thread is free (what is left to send, the loop sends): gthread's run loop,
        # next round, asks set_accept_enabled to take connections again.
        self.busy -= 1
        if (isinstance(conn, BufferedConn) and conn.unsent and not fs.cancelled()
                and fs.exception() is None):  # fmt: skip
            conn.sock.setblocking(False)
            self._wait(self.answering, conn, selectors.EVENT_WRITE,
                       partial(self._on_writable, fs=fs))  # fmt: skip
            return
        super().finish_request(conn, fs)

    def _on_writable(self, conn: BufferedConn, _sock, fs) -> None:
        try:
            sent = conn.sock.send(conn.unsent)
        except BlockingIOError:
            return
        except OSError:  # the client went away
            self._stop(self.answering, conn)
            self._close(conn)
            return
        del conn.unsent[:sent]
        if conn.unsent:  # it reads: its deadline starts again (and it goes last)
            self.answering.pop(conn)
            self.answering[conn] = None
            conn.deadline = time.monotonic() + self.request_timeout
            return
        self._stop(self.answering, conn)
        super().finish_request(conn, fs)

    def linger(self, conn: BufferedConn) -> None:
        """Close `conn` as RFC 9112 section 9.6 asks (gunicorn's util.close_graceful): send
        FIN, read what the client still sends until it closes or LINGER seconds pass, then
        close; but in the event loop."""
        try:
            conn.sock.shutdown(socket.SHUT_WR)
        except OSError:
            conn.closed()
            return
        conn.sock.setblocking(False)
        self.lingering[conn] = None
        conn.drained = 0
        conn.deadline = time.monotonic() + LINGER
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_lingering, conn))

    def _on_lingering(self, conn: BufferedConn, _sock) -> None:
        try:
            data = conn.sock.recv(65536)
            conn.drained += len(data)
            if data and conn.drained < LINGER_BYTES:
                return
        except BlockingIOError:
            return
        except OSError:
            pass
        self._stop(self.lingering, conn)
        conn.closed()

    def _close(self, conn: BufferedConn) -> None:
        self.nr_conns -= 1
        conn.closed()

    def murder_pending(self) -> None:
        """gthread's expiry of connections waiting for data; then of requests not all
        sent, answers not all taken and lingering closes past their deadlines (the run
        loop calls this at least once a second)."""
        super().murder_pending()
        now = time.monotonic()
        if not self.alive and self.stopping_at is None:
            # Stopping: what is being read or sent gets STOP_LINGER seconds more at most,
            # as gunicorn gives kept-alive connections (it had waited 30 s for them).
            self.stopping_at = now + STOP_LINGER
        last = now if self.stopping_at is None or now < self.stopping_at else float("inf")
        for conn in expired(self.reading, last):
            self._stop(self.reading, conn)
            if conn.received:
                # A courtesy: never waiting for a client that does not read.
                with contextlib.suppress(OSError):
                    conn.sock.send(TIMED_OUT, socket.MSG_DONTWAIT)
            if self.alive:
                self.log.info("closed %s: its request was not all sent within %g s",
                              conn.client, self.request_timeout)  # fmt: skip
            self._close(conn)
        for conn in expired(self.answering, last):
            self._stop(self.answering, conn)
            if self.alive:
                self.log.info("closed %s: it took none of its answer for %g s",
                              conn.client, self.request_timeout)  # fmt: skip
            self._close(conn)
        for conn in expired(self.lingering, now):
            self._stop(self.lingering, conn)
            conn.closed()


def expired(waiting: dict[BufferedConn, None], now: float) -> list[BufferedConn]:
    """The connections of `waiting` (in deadline order) whose deadline has passed."""
    out = []
    for conn in waiting:
        if conn.deadline > now:
            break
        out.append(conn)
    return out


def buffering_worker(request_timeout: float, per_client: int | None = PER_CLIENT
                     ) -> type[BufferingWorker]:  # fmt: skip
    """The worker class for gunicorn's `worker_class`: its request timeout, and the
    connections one client address may hold in a worker (None: any number)."""
    return type("BufferingWorker", (BufferingWorker,),
                {"request_timeout": float(request_timeout), "per_client": per_client})  # fmt: skip
