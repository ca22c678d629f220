"""What a lookup decided for each key, kept per loaded index generation.

Takes the `IndexState` a query runs on and a key (`GenerationMemo.get`, `put`); gives
what was put for that key on that generation, or `MISSING`. Used for lookups whose
answer depends only on the generation and costs a search (a word's initials,
search/initials.py; a word written apart, search/run_together.py; a post's related
posts, search/articles.py). A generation is held weakly: one no longer searched takes
its memo with it.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable

MISSING = object()


class GenerationMemo:
    """At most `size` keys a generation; when full, all are forgotten (most keys a
    reader types are asked once)."""

    def __init__(self, size: int):
        self.size = size
        self._memos: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def get(self, state, key: Hashable):
        """What was put for `key` on `state`'s generation, or MISSING. (One lookup:
        another thread may empty the memo between two.)"""
        memo = self._memos.get(state)
        return MISSING if memo is None else memo.get(key, MISSING)

    def put(self, state, key: Hashable, value) -> None:
        memo = self._memos.setdefault(state, {})
        if len(memo) >= self.size:
            memo.clear()
        memo[key] = value
