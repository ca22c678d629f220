"""A server keeps answering from the previous generation while it warms up a new one."""

from __future__ import annotations

import time

from search.engine import search
from search.state import get_state
from tests.conftest import ARTICLES, index_of


def test_new_generation_is_warmed_in_the_background_then_used(tmp_path):
    index = index_of(tmp_path, ARTICLES)
    old = get_state(index)
    assert search(index, "franchising").total == 0
    index_of(tmp_path, [*ARTICLES, {"id": "f", "title": "Franchising", "body": "A system."}])
    assert get_state(index) is old  # answers at once, from the generation it has
    deadline = time.monotonic() + 20
    while get_state(index) is old:
        assert search(index, "cash").total == 1  # searches go on meanwhile
        assert time.monotonic() < deadline, "the new generation was never swapped in"
        time.sleep(0.01)
    assert search(index, "franchising").total == 1
    assert old.generation.path.exists()  # kept for a while for searches still on it


def test_wait_loads_the_new_generation_in_the_caller(tmp_path):
    index = index_of(tmp_path, ARTICLES)
    old = get_state(index)
    index_of(tmp_path, ARTICLES[:1])
    assert get_state(index, wait=True) is not old
    assert search(index, "cash").total == 0
