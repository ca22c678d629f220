"""Fixed-window rate counting that adds a worker's hits to the shared counters in batches.

Takes a `limits` storage (web/ratelimit_store.py's SQLite file by default, shared by the
gunicorn workers); gives `Batches.hit(limit, client, scope)`: whether this request is
within `limit`, the requests left in the window and when the window ends, as `limits`'
FixedWindowRateLimiter (`hit`, then `get_window_stats`) answers them.

Writing every request to the shared counter was a SQLite upsert a request, 2.5-3% of an
API request's CPU. Here each worker counts a client's requests in its own memory and
adds them to the shared counter a batch at a time (a SHAREth of the limit: 600 a minute,
every 9th request), so a busy client costs a write now and then. What a worker holds
unwritten (less than a batch) the others do not see, so their view of the count lags by
at most a batch a worker; in the limit's last MARGIN batches every request is written
and the shared count decides, so with up to MARGIN workers the limit holds exactly
(each has written all it holds before the count reaches the limit), and past that at
most a batch a worker gets through. A client's first request in a window is always
written: the window's end comes from the shared counter, so every worker shows the same
X-RateLimit-Reset. X-RateLimit-Remaining is this worker's view, so far from the limit
it may say up to a batch a worker more than are left (in the last quarter, exact).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from limits import RateLimitItem
from limits.storage import Storage

SHARE = 64  # a batch is this share of the limit
# Past amount - MARGIN batches every request is written: a worker's view of the count
# lags by what the other workers hold unwritten (under a batch each), so with up to
# MARGIN workers each of them writes every request before the count reaches the limit.
MARGIN = 16
PRUNE_EVERY = 1000  # hits between sweeps of the windows that have ended


@dataclass
class _Window:
    count: int = 0  # the shared count, as the last write returned it
    pending: int = 0  # this worker's requests since, not yet written
    until: float = 0.0  # when the window ends (0: not yet written)


class Batches:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.lock = threading.Lock()
        self.windows: dict[str, _Window] = {}
        self.hits = 0

    def hit(self, limit: RateLimitItem, *identifiers: str) -> tuple[bool, int, float]:
        """(allowed, remaining, reset) for one more request counted against `limit`.
        Raises what the storage raises (its `base_exceptions`)."""
        key = limit.key_for(*identifiers)
        batch = max(1, limit.amount // SHARE)
        now = time.time()
        with self.lock:
            self.hits += 1
            if self.hits % PRUNE_EVERY == 0:
                self.windows = {k: w for k, w in self.windows.items() if w.until > now}
            window = self.windows.get(key)
            if window is None or 0 < window.until <= now:
                window = self.windows[key] = _Window()
            window.pending += 1
            seen = window.count + window.pending
            write = (
                not window.until or window.pending >= batch or seen > limit.amount - MARGIN * batch
            )
            if write:
                adding, window.pending = window.pending, 0
        if write:
            count = self.storage.incr(key, limit.get_expiry(), amount=adding)
            until = self.storage.get_expiry(key)
            with self.lock:
                # (Another thread may have written meanwhile: the higher count is the later.)
                window.count = max(window.count, count)
                window.until = until
                seen = count + window.pending
        return seen <= limit.amount, max(0, limit.amount - seen), window.until
