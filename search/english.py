"""Common English words: a word the collection lacks is not always a typo.

Takes a normalized word (`is_common_english`); gives whether it is one of English's
common words, by pyspellchecker's English word frequencies (counted in film subtitles:
at least COMMON occurrences, about 19,000 words). A blog, a small one above all, lacks
most of English: "tips", "advice", "ideas" typed beside its words are words it does
not have, not typos of "trips", "ad voice" or "idea". search/corrections.py corrects
such a word only where the query's other words are found with the correction, and
search/run_together.py does not split it with a typo.
"""

from __future__ import annotations

from functools import lru_cache

COMMON = 1000  # ("biz" 1,004, "tips" 10,009, "advice" 42,510; "hel" 661, "teh" none)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The common words, read once per process when first asked (0.13 s)."""
    # (Imported here: the dictionary is needed only for words the collection lacks.)
    from spellchecker import SpellChecker

    counts = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return frozenset(w for w, n in counts.items() if n >= COMMON and w.isalpha())


def is_common_english(word: str) -> bool:
    return word in common_words()
