"""The query's other words as the context of a correction: the documents that hold
them all.

Takes the index state and words; gives `holding_all` (docnum -> whether a document
has every word, exact fields, as a boolean array; `holding_all_but`, of all the words
but one, for each in turn), and from it `vouching` (whether a
candidate is found with the other words) and `counting` (in how many documents),
which search/corrections.py and search/real_words.py ask of near words.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from indexer.analysis import STOP_WORDS
from search.int_sets import distinct
from search.scoring import postings
from search.segment_data import EXACT_FIELDS
from search.state import IndexState

# A word in at most RARE posts may be a typo itself: it does not keep the other words
# from vouching for a correction (see fix_typos).
RARE = 2


def vouchers(known: list[str], word: str) -> list[str]:
    """The query's words that can vouch for a change of `word`: the others the
    collection has, stop words aside (in nearly every post, they vouch for anything)."""
    return [w for w in known if w != word and w not in STOP_WORDS]


def vouching(state: IndexState, others: list[str],
             memo: dict[str, np.ndarray] | None = None) -> Callable[[str], bool]:  # fmt: skip
    """together(candidate): whether a document holds `candidate` and every one of
    `others` (exact fields; see _context for a word of `others` that may be a typo)."""
    return together_in(state, context_docs(state, others, memo))


def counting(state: IndexState, others: list[str],
             memo: dict[str, np.ndarray] | None = None) -> Callable[[str], int]:  # fmt: skip
    """count(candidate): how many documents hold `candidate` and every one of `others`
    (as `vouching` asks it); its document frequency when there are no others."""
    if not others:
        df = state.vocabulary.df
        return lambda candidate: df.get(candidate, 0)
    return count_in(state, context_docs(state, others, memo))


def together_in(state: IndexState, context: np.ndarray) -> Callable[[str], bool]:
    """together(candidate): whether a document flagged in `context` holds it."""

    def together(candidate: str) -> bool:
        return any(context[postings(state, name, candidate)[1]].any() for name in EXACT_FIELDS)

    return together


def count_in(state: IndexState, context: np.ndarray) -> Callable[[str], int]:
    """count(candidate): how many documents flagged in `context` hold it."""
    return lambda candidate: int(context[exact_docs(state, candidate)].sum())


def context_docs(state: IndexState, others: list[str], memo: dict | None) -> np.ndarray:
    """holding_all(others), or, when no post holds them all, without those of them in
    at most RARE posts (such a word may be a typo itself: "raab" for "arab")."""
    context = holding_all(state, others, memo)
    rare = [w for w in others if state.vocabulary.df[w] <= RARE]
    if rare and len(rare) < len(others) and not context.any():
        context = holding_all(state, [w for w in others if w not in rare], memo)
    return context


def exact_docs(state: IndexState, word: str) -> np.ndarray:
    """The documents with `word` in any exact field (title, body, maxim), as an array;
    deleted ones too, which no search returns."""
    parts = [postings(state, name, word)[1] for name in EXACT_FIELDS]
    return distinct(np.concatenate(parts))


def holding_all(state: IndexState, words: list[str],
                memo: dict[str, np.ndarray] | None = None) -> np.ndarray:  # fmt: skip
    """docnum -> whether the document has every one of `words` (exact fields), as a
    boolean array: sets of Python ints made and intersected took 0.2 s for two common
    words at 100k. `memo` keeps each word's array for the next call (one query asks
    for the same words with one left out, once per word)."""
    flags = np.ones(state.doc_count_all, dtype=bool)
    for word in words:
        flags &= _has(state, word, memo)
    return flags


def holding_all_but(
    state: IndexState, words: list[str], memo: dict[str, np.ndarray] | None = None
) -> Callable[[str], np.ndarray]:
    """but(word): holding_all of the words of `words` other than `word` (one of them),
    asked of each in turn: each word's documents are read once, and how many of the
    words each document has counted once. (holding_all of the others, for each word of a
    paragraph pasted in quotes, read every word's documents again for each: 36 words
    at 100k posts took 0.9 s.)"""
    distinct = list(dict.fromkeys(words))
    has = {word: _has(state, word, memo) for word in distinct}
    held = np.zeros(state.doc_count_all, dtype=np.int32)
    for flags in has.values():
        held += flags

    def but(word: str) -> np.ndarray:
        return (held - has[word]) == len(distinct) - 1

    return but


def _has(state: IndexState, word: str, memo: dict[str, np.ndarray] | None) -> np.ndarray:
    """docnum -> whether the document has `word` (exact fields), kept in `memo`."""
    has_word = memo.get(word) if memo is not None else None
    if has_word is None:
        has_word = np.zeros(state.doc_count_all, dtype=bool)
        has_word[exact_docs(state, word)] = True
        if memo is not None:
            memo[word] = has_word
    return has_word
