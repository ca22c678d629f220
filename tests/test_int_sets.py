"""search/int_sets.py's helpers give what numpy's own calls give, to the last bit."""

import numpy as np
import pytest

from search.int_sets import common, distinct, distinct_inverse, located, runs_of


def postings_over_fields(seed: int, size: int) -> np.ndarray:
    """Docnums of one word in three fields: each field's ascending and distinct, the
    fields sharing many documents (as title, maxim and body do)."""
    rng = np.random.default_rng(seed)
    return np.concatenate([np.sort(rng.choice(3 * size + 1, size, replace=False))
                           for _ in range(3)]).astype(np.int32)  # fmt: skip


@pytest.mark.parametrize("size", [0, 1, 7, 300])
def test_distinct_and_inverse_are_numpys(size):
    ids = postings_over_fields(size, size)
    held, at = np.unique(ids, return_inverse=True)
    mine, where = distinct_inverse(ids)
    assert mine.tolist() == held.tolist() and where.tolist() == at.tolist()
    assert distinct(ids).tolist() == held.tolist()


@pytest.mark.parametrize("size", [0, 1, 7, 300])
def test_sums_are_bincounts_in_the_order_given(size):
    ids = postings_over_fields(size + 10, size)
    weights = np.random.default_rng(size).random(len(ids)) * 1e3
    held, at = np.unique(ids, return_inverse=True)
    expected = np.bincount(at, weights=weights, minlength=len(held))
    mine, where = distinct_inverse(ids)  # (as scoring._summed sums a word's fields)
    sums = np.bincount(where, weights=weights, minlength=len(mine))
    assert mine.tolist() == held.tolist()
    assert sums.tobytes() == expected.tobytes()  # the same floats, not nearly


def test_runs_of_an_ascending_array():
    values, counts = runs_of(np.array([2, 2, 5, 9, 9, 9]))
    assert values.tolist() == [2, 5, 9] and counts.tolist() == [2, 1, 3]
    values, counts = runs_of(np.zeros(0, dtype=np.int64))
    assert values.tolist() == [] and counts.tolist() == []


def test_common_values_of_two_sorted_sets():
    a, b = np.array([1, 4, 6, 9, 12]), np.array([0, 4, 9, 10, 13])
    assert common(a, b).tolist() == np.intersect1d(a, b).tolist() == [4, 9]
    assert common(a, b[:0]).tolist() == [] and common(a[:0], b).tolist() == []
    assert common(np.array([20]), b).tolist() == []  # past the end of `second`
    at, found = located(np.array([4, 20, 5]), b)
    assert found.tolist() == [True, False, False] and at.tolist() == [1, 0, 2]
