"""A worker's own cache of `/api/search` answers, keyed by what their ETag is made of.

Takes the JSON body of an answer, what search analytics records of it, and its key (the
whole digest its ETag is cut from); gives the body back for the same key with this
request's `took_ms` written in. The ETag is already the API's promise that two requests
get the same answer: it is made of the generation, its duplicate groups, the editors'
synonyms and pins, today's date and the whole URL. So a cached answer is right for as
long as its key is made again; a new generation, an editor's pin or synonym, or
midnight makes another key, and the old entry ages out of the cache unasked. Readers
repeat searches (the common words, the author's maxims): a repeat costs the ETag and a
copy, not a search.

Answers stopped at the time limit, and editors' `explain=true` answers, are never put
in (the view decides). Bounded by bytes, least recently used out first; one per
gunicorn worker process (a repeat that reaches the other worker is searched there once).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

# The one place `took_ms` sits in an answer's compact JSON: every string before it (the
# query, its parse, the filters) is written with its quotes escaped, so these bytes
# cannot occur inside one.
_TOOK = b',"took_ms":'
# What an entry costs besides its bytes (the objects holding them, its record, its key).
_OVERHEAD = 400


class Cached(NamedTuple):
    head: bytes  # the body up to and with `"took_ms":`
    tail: bytes  # from the comma after the number
    record: tuple  # what analytics records but the time: (query, filters, total, page, corrected)

    def body(self, took_ms: float) -> bytes:
        return self.head + repr(round(took_ms, 2)).encode() + self.tail


class AnswerCache:
    """Answers by key, at most `max_bytes` of them (with a fixed cost an entry); safe to
    share between a worker's threads."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Cached] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Cached | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, body: bytes, record: tuple) -> None:
        """Keep `body` (an answer's JSON as the API writes it) under `key`; an answer
        without the `took_ms` field, or larger than a tenth of the cache, is not kept."""
        at = body.find(_TOOK)
        if at < 0 or len(body) * 10 > self.max_bytes:  # (a cache of 0 bytes keeps none)
            return
        start = at + len(_TOOK)
        end = body.find(b",", start)
        if end < 0:
            return
        entry = Cached(body[:start], body[end:], record)
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = entry
            self._bytes += _size(entry)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key)
        self._bytes -= _size(entry)

    def __len__(self) -> int:
        return len(self._entries)


def _size(entry: Cached) -> int:
    return len(entry.head) + len(entry.tail) + _OVERHEAD
