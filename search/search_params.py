"""What a search may be asked, as every caller names it: the orders of its results
(`SORTS`), and the error a parameter that cannot be used raises (`SearchError`).

Apart from search/engine.py so that a caller may name them without loading the query
layer: the CLI builds its options with them for every command, `rocksearch index`
included, which searches nothing.
"""

from __future__ import annotations

SORTS = ("relevance", "newest", "oldest")


class SearchError(ValueError):
    """A parameter that cannot be used (page 0, an unknown sort…); the message says why."""
