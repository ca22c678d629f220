"""British and American spellings: one word to the stemmer, whichever a writer used.

Takes a normalized word (`american`); gives its American spelling if it is a British
spelling of a word ("colour" -> "color", "organised" -> "organized", "catalogue" ->
"catalog"), else the word itself. The stemmed chain (indexer/analysis.py) stems the
American spelling, so a post that says "colour" and one that says "color" share a
term, and a reader who types either finds both, as "customers" finds "customer". The
exact chain keeps the word as written, so the spelling typed still ranks first.

Without it a British reader's word was a typo to every part of the search that looks
for one: "colour" on a blog that says "color" became "co loud" (two words run together,
one of them corrected), "analyse" "an a lose", "realise" "real".

The pairs are breame's list (about 1,700 British spellings with their inflections,
from the American-British English Translator's data), loaded on the first word the
stemmer is asked for that no vocabulary taught it: where NLTK is imported anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache


@cache
def _pairs() -> Mapping[str, str]:
    from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

    return BRITISH_ENGLISH_SPELLINGS


def american(word: str) -> str:
    """The American spelling of `word` (lower-case, as analysed) if it is a British one."""
    return _pairs().get(word, word)
