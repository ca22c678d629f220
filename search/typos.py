"""Typo tolerance: a word the collection does not have, corrected towards one it has.

Takes a normalized word and the index vocabulary (`correct`); gives the correction or
None. The rules follow Meilisearch and Typesense: words of 5 to 8 letters may carry one
typo, words of 9 or more two; a transposition ("custmoer") counts as one (optimal
string alignment distance), and, as in Meilisearch, a typo in the first letter counts
as two. A word that occurs in the collection is never corrected.
Among candidates, the nearest wins, then the most frequent.
"""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import OSA

from search.state import Vocabulary

ONE_TYPO_FROM = 5
TWO_TYPOS_FROM = 9


def allowed_typos(word: str) -> int:
    if len(word) >= TWO_TYPOS_FROM:
        return 2
    return 1 if len(word) >= ONE_TYPO_FROM else 0


def correct(word: str, vocab: Vocabulary) -> str | None:
    """The collection's word nearest to `word`, if `word` is not in it and one is near."""
    if word in vocab.df:
        return None
    return nearest(word, vocab, min_df=1)


def suggest(word: str, vocab: Vocabulary) -> str | None:
    """For a rare word the collection has: a near word at least ten times as frequent."""
    df = vocab.df.get(word, 0)
    if not df or df > 2:
        return None
    return nearest(word, vocab, min_df=10 * df)


def nearest(word: str, vocab: Vocabulary, min_df: int) -> str | None:
    k = allowed_typos(word)
    if k == 0 or not word.isalpha():
        return None
    found: list[tuple[str, int]] = []
    for length in range(len(word) - k, len(word) + k + 1):
        # Same first letter: up to k typos, among the words of that head and length.
        bucket = vocab.by_head.get((word[0], length), [])
        found += [(c, d) for c, d, _ in process.extract(
            word, bucket, scorer=OSA.distance, score_cutoff=k, limit=8)]  # fmt: skip
    if k == 2:
        # Another first letter is two typos, so only one edit, at the start, is left:
        # a handful of lookups instead of a scan of every word of those lengths.
        found += [(c, 1) for c in first_letter_edits(word, vocab.heads) if c in vocab.df]
    best: tuple[int, int, str] | None = None
    for candidate, distance in found:
        if candidate == word or vocab.df[candidate] < min_df:
            continue
        key = (distance, -vocab.df[candidate], candidate)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def first_letter_edits(word: str, heads: set[str]) -> set[str]:
    """Words one edit from `word` that start with another letter (from `heads`)."""
    edits = {word[1:], word[1] + word[0] + word[2:]}
    edits.update(h + word[1:] for h in heads)  # a substitution
    edits.update(h + word for h in heads)  # an insertion
    return {e for e in edits if e and e[0] != word[0]}
