"""`rocksearch serve`: the app behind gunicorn, a production WSGI server.

Takes the settings (host, port, workers, threads, index); gives a running server
(`serve`, which blocks). Each worker process loads the index state once, after the
fork, with a warm-up search, so the first readers do not pay for it.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
import sys
import threading

from gunicorn.app.base import BaseApplication

from web import create_app
from web.slow_clients import PER_CLIENT, buffering_worker

log = logging.getLogger("rocksearch.web")
SWITCH_INTERVAL = 0.0005  # while a new generation is loaded in the background
_switches = {"loads": 0, "default": sys.getswitchinterval()}
_switches_lock = threading.Lock()


@contextlib.contextmanager
def short_switches():
    """Python's GIL passed between threads every SWITCH_INTERVAL while a new generation
    is loaded and warmed in a background thread of a worker: pure Python that would hold
    it for 5 ms stretches (the default interval), while a request thread waits that long
    again after each of its many short file reads. Only then: at other times the forced
    switches between a worker's request threads cost 2-3% of a request's CPU."""
    with _switches_lock:
        _switches["loads"] += 1
        sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        yield
    finally:
        with _switches_lock:
            _switches["loads"] -= 1
            if not _switches["loads"]:
                sys.setswitchinterval(_switches["default"])


def warm_up(app) -> None:
    from indexer.analysis import load_stemmer
    from search import state
    from search.english import common_words
    from search.state import get_state

    state.background_load = short_switches

    # NLTK's stemmer, imported on first use, cost a worker's first search of a word no
    # vocabulary has (a typo) 0.13-0.3 s, with the GIL held against its other threads.
    load_stemmer()
    try:
        get_state(app.config["ROCKSEARCH"]["index"], wait=True).warm()
    except Exception as exc:  # a missing index is reported per request, as a 503
        log.warning("warm-up search failed: %s", exc)
    # Likewise the English words, asked of a word the collection lacks (after the warm-up:
    # read from the generation, which keeps them).
    common_words()


class Server(BaseApplication):
    def __init__(self, settings: dict):
        self.settings = settings
        super().__init__()

    def load_config(self):
        s = self.settings
        self.cfg.set("bind", f"{s['host']}:{s['port']}")
        self.cfg.set("workers", s["workers"])
        self.cfg.set("threads", s["threads"])
        # gthread, but each request read whole before a thread takes it (slow clients).
        # Behind a proxy every connection is the proxy's: it limits them per client.
        per_client = None if s["proxies"] else PER_CLIENT
        self.cfg.set("worker_class", buffering_worker(s["request_timeout"], per_client))
        self.cfg.set("timeout", 30)
        # gunicorn's largest request line (its default, 4,094 bytes, answered a 5,000-
        # character query with a bare 414): the app shortens long queries and says so.
        self.cfg.set("limit_request_line", 8190)
        self.cfg.set("accesslog", "-")
        self.cfg.set("post_worker_init", lambda worker: warm_up(worker.wsgi))

    def load(self):
        return create_app(dict(self.settings))


class ServeError(Exception):
    """The server cannot listen where it was asked to (the message says why and what to
    do)."""


def check_secret_key(settings: dict) -> None:
    """Raise ServeError if the key that signs editors' cookies can be neither read nor
    made (a read-only index folder, a full disk): every worker would fail to start, and
    gunicorn would say only "Worker failed to boot"."""
    from web.auth import secret_key

    try:
        secret_key(settings)
    except OSError as exc:
        raise ServeError(
            f"cannot keep the editors' secret key in {exc.filename}: "
            f"{exc.strerror}. Set ROCKSEARCH_SECRET_KEY to a long random string (shared by "
            "every server), or let rocksearch write that folder."
        ) from exc


def check_address(host: str, port: int) -> None:
    """Raise ServeError if nothing could listen on host:port now. gunicorn itself retries
    a port in use five times, a second apart, with two log lines each, then exits."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}: no such host ({exc.strerror}); "
                         "give another with --host or ROCKSEARCH_HOST.") from exc  # fmt: skip
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # (as gunicorn binds)
        try:
            probe.bind(address)
        except OSError as exc:
            where = f"{host}:{port}"
            if exc.errno == errno.EADDRINUSE:
                why = (f"{where} is in use (another `rocksearch serve`?): stop it, or "
                       "serve on another port with --port or ROCKSEARCH_PORT.")  # fmt: skip
            elif exc.errno == errno.EACCES:
                why = (f"cannot listen on {where}: permission denied (ports below 1024 "
                       "need root); choose another with --port or ROCKSEARCH_PORT.")  # fmt: skip
            elif exc.errno == errno.EADDRNOTAVAIL:
                why = (f"cannot listen on {where}: {host} is not an address of this "
                       "machine; give another with --host or ROCKSEARCH_HOST.")  # fmt: skip
            else:
                why = f"cannot listen on {where}: {exc.strerror}."
            raise ServeError(why) from exc


def preload() -> None:
    """What every worker needs and can share, done once in the master before it forks
    them, so that the workers share those pages (copy-on-write), not each its own copy:
    NLTK's stemmer (importing it, 265 modules, was 15 MB of each worker's memory). No
    thread, file or connection is opened: the index is loaded by each worker
    (`warm_up`), which may switch generations on its own."""
    import gc

    from indexer.analysis import load_stemmer

    load_stemmer()
    # The collector writes into the header of every object it examines: in a worker,
    # each page of the master's objects would be copied at its first full collection.
    # Frozen, they are never examined (nor freed: they live as long as the server).
    gc.freeze()


def serve(settings: dict) -> None:
    preload()
    Server(settings).run()
