"""Common English words: a word the collection lacks is not always a typo.

Takes a normalized word (`is_common_english`); gives whether it is one of English's
common words, by pyspellchecker's English word frequencies (counted in film subtitles:
at least COMMON occurrences, about 18,000 words). A blog, a small one above all, lacks
most of English: "tips", "advice", "ideas" typed beside its words are words it does
not have, not typos of "trips", "ad voice" or "idea". search/corrections.py corrects
such a word only where the query's other words are found with the correction, and
search/run_together.py does not split it with a typo.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache

COMMON = 1000  # ("biz" 1,004, "tips" 10,009, "advice" 42,510; "hel" 661, "teh" none)
# An entry of the dictionary's file, one a line ("word": count), whose count is COMMON
# (a power of ten) or more: as many digits or more, the first not 0 (a JSON number has
# no leading zeros). Told by the pattern alone: reading every entry's count as a number
# made a process's first typo search spend 0.2 s on the file, not 0.1.
_DIGITS = len(str(COMMON))
_COMMON_ENTRY = re.compile(rf'"([^"\W\d_]+)": [1-9]\d{{{_DIGITS - 1}}}')


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The common words, read once per process when first asked (0.07 s)."""
    try:
        return _from_file()
    except (OSError, ValueError, ModuleNotFoundError):  # (another layout: the API's way)
        return _from_api()


def is_common_english(word: str) -> bool:
    return word in common_words()


def _from_file() -> frozenset[str]:
    """The words from the dictionary's file as the package ships it, read with a pattern:
    as a dict of its 160,000 words (what its API builds), reading took 0.13 s and left a
    worker 20 MB larger, against 6 MB (a test compares the two)."""
    from importlib.resources import files

    packed = (files("spellchecker") / "resources" / "en.json.gz").read_bytes()
    text = gzip.decompress(packed).decode("utf-8")
    words = frozenset(_COMMON_ENTRY.findall(text))
    if len(words) < 1000:
        raise ValueError("the dictionary's file is not as expected")
    return words


def _from_api() -> frozenset[str]:
    from spellchecker import SpellChecker

    counts = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return frozenset(w for w, n in counts.items() if n >= COMMON and w.isalpha())
