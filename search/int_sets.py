"""Sets of integers (document numbers, shingles, pair codes) as sorted numpy arrays.

Takes an integer array; gives its distinct values, sorted (`distinct`), or how many of
them each group has (`distinct_counts`). Why not `np.unique`: from numpy 2.3 it finds
the distinct values of an integer array through a hash table when nothing but the
values is asked for, and on this project's machines that is 10 to 80 times slower than
sorting (measured with numpy 2.4.6: 2.7 ms against 0.02 ms for 1,000 values, 1.8 s
against 0.02 s for 1.5 million), which a query at 100k posts paid several times over.
"""

from __future__ import annotations

import numpy as np


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of `values`, sorted (what np.unique gives), by a sort."""
    found = np.sort(values)
    if len(found) > 1:
        found = found[np.concatenate(([True], found[1:] != found[:-1]))]
    return found


def distinct_counts(groups: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """For each group 0..count-1, how many distinct values it has, where entry i of
    `values` belongs to group `groups[i]` (both non-negative, values below 2**32)."""
    codes = distinct((groups.astype(np.int64) << 32) | values.astype(np.int64))
    return np.bincount(codes >> 32, minlength=count)
