"""Common English words: a word the collection lacks is not always a typo.

Takes a normalized word (`is_common_english`); gives whether it is one of English's
common words, by pyspellchecker's English word frequencies (counted in film subtitles:
at least COMMON occurrences, about 18,000 words). A blog, a small one above all, lacks
most of English: "tips", "advice", "ideas" typed beside its words are words it does
not have, not typos of "trips", "ad voice" or "idea". search/corrections.py corrects
such a word only where the query's other words are found with the correction, and
search/run_together.py does not split it with a typo.

The indexer keeps the words in each generation (`save_common_words`: english.txt, one
a line), and a process that loads a generation reads them from there
(`learn_saved_words`): 2 ms, where finding them in the dictionary's 160,000 entries took
0.1 s of a process's first search of a word the collection lacks.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import re
from functools import lru_cache
from pathlib import Path

from indexer.word_forms import american

COMMON = 1000  # ("biz" 1,004, "tips" 10,009, "advice" 42,510; "hel" 661, "teh" none)
# An entry of the dictionary's file, one a line ("word": count), whose count is COMMON
# (a power of ten) or more: as many digits or more, the first not 0 (a JSON number has
# no leading zeros). Told by the pattern alone: reading every entry's count as a number
# made a process's first typo search spend 0.2 s on the file, not 0.1.
_DIGITS = len(str(COMMON))
_COMMON_ENTRY = re.compile(rf'"([^"\W\d_]+)": [1-9]\d{{{_DIGITS - 1}}}')


SAVED_FILE = "english.txt"
_saved_in: Path | None = None  # a generation whose english.txt is read first


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The common words, read once per process when first asked: from the generation
    `learn_saved_words` named if it keeps them for this dictionary (2 ms), else from
    the dictionary (0.1 s)."""
    saved = _read_saved(_saved_in) if _saved_in is not None else None
    if saved is not None:
        return saved
    try:
        return _from_file()
    except (OSError, ValueError, ModuleNotFoundError):  # (another layout: the API's way)
        return _from_api()


def learn_saved_words(folder: str | Path) -> None:
    """Read the common words from generation `folder` (see save_common_words) when they
    are first asked for, unless this process has them already."""
    global _saved_in
    if not common_words.cache_info().currsize:
        _saved_in = Path(folder)


def save_common_words(folder: str | Path) -> None:
    """Keep the common words in generation `folder` (english.txt), unless it keeps them
    for this very dictionary already (a generation starts with hard links to the
    previous one's files). The first line says which dictionary (its file's size and
    time) and COMMON: words of another are not read (`common_words`)."""
    stamp = _stamp()
    if stamp is None:  # (not a file of its own: then the dictionary is read each time)
        return
    path = Path(folder) / SAVED_FILE
    if _first_line(path) == stamp:
        return
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join([stamp, *sorted(common_words())]), encoding="utf-8")
    os.replace(tmp, path)


def _dictionary() -> Path | None:
    """The dictionary's file, found without importing its package (5 ms more)."""
    spec = importlib.util.find_spec("spellchecker")
    places = spec.submodule_search_locations if spec is not None else None
    return Path(places[0]) / "resources" / "en.json.gz" if places else None


def _stamp() -> str | None:
    try:
        path = _dictionary()
        found = os.stat(path) if path is not None else None
    except (OSError, ValueError, ImportError):
        return None
    return None if found is None else f"{COMMON} {found.st_size} {found.st_mtime_ns}"


def _first_line(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.readline().rstrip("\n")
    except (OSError, UnicodeDecodeError):
        return None


def _read_saved(folder: Path) -> frozenset[str] | None:
    """The words generation `folder` keeps for this dictionary; None if it keeps none
    (an older version's generation), or another dictionary's."""
    try:
        text = (folder / SAVED_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    stamp, _, words = text.partition("\n")
    found = frozenset(words.split("\n"))
    return found if stamp == _stamp() and len(found) >= 1000 else None


def is_common_english(word: str) -> bool:
    """Whether `word` is one of the common words, or a British spelling of one (the
    dictionary's words are American: "colour" was a typo to be split, "co loud")."""
    words = common_words()
    return word in words or american(word) in words


def _from_file() -> frozenset[str]:
    """The words from the dictionary's file as the package ships it, read with a pattern:
    as a dict of its 160,000 words (what its API builds), reading took 0.13 s and left a
    worker 20 MB larger, against 6 MB (a test compares the two)."""
    path = _dictionary()
    if path is None:
        raise ModuleNotFoundError("spellchecker")
    packed = path.read_bytes()
    text = gzip.decompress(packed).decode("utf-8")
    words = frozenset(_COMMON_ENTRY.findall(text))
    if len(words) < 1000:
        raise ValueError("the dictionary's file is not as expected")
    return words


def _from_api() -> frozenset[str]:
    from spellchecker import SpellChecker

    counts = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return frozenset(w for w, n in counts.items() if n >= COMMON and w.isalpha())
