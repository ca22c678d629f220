"""NLTK's Snowball stemmer imported without the rest of NLTK.

Takes nothing; `snowball_stemmer()` gives NLTK's English Snowball stemmer's `stem`
(indexer/analysis.py makes it on the first word no vocabulary has).

`import nltk.stem.snowball` runs `nltk/__init__.py` first, which imports nearly all of
NLTK (245 modules: parsers, corpora readers, `nltk.data` with `urllib.request`), and
then `nltk/stem/__init__.py`, which imports every stemmer of every language. The
English stemmer needs six small modules of them. At 100k posts the full import was
0.1-0.2 s of the 0.6-0.8 s that `rocksearch index` takes to make one edit with a new
word searchable, and of a cold search for a word the index lacks (#12's targets of a
second); the six modules take 15 ms. So while the stemmer's module is imported, three
stand-ins answer for the packages it is imported through: `nltk` and `nltk.stem`, each
an empty package on NLTK's own folders (their submodules load from there as they
would), and `nltk.corpus`, whose `stopwords` is read only by a stemmer told to ignore
stop words (this project never does: it gets the real corpus loader when asked). Then
the stand-ins leave `sys.modules`, so a later `import nltk` is the real, whole one,
and finds the stemmer's modules already loaded. This is the project's one reach into
how NLTK imports; tests/test_nltk_loading.py pins it, so an NLTK upgrade whose stemmer
imports otherwise fails there (and if the lean import fails here, NLTK is imported
the usual way: slower, never wrong).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from collections.abc import Callable

STEMMER = "nltk.stem.snowball"


class _StopWords:
    """NLTK's stop word lists, imported when first asked for (the real `nltk.corpus`
    then: a stemmer made with ignore_stopwords=True reads them; ours never are)."""

    def __getattr__(self, name: str):
        from nltk.corpus import stopwords

        return getattr(stopwords, name)


def _stand_ins(folder: str) -> dict[str, types.ModuleType]:
    """The packages the stemmer's module is imported through, empty, on NLTK's folders."""
    nltk = types.ModuleType("nltk", f"a stand-in while the stemmer is imported ({__name__})")
    nltk.__path__ = [folder]
    stem = types.ModuleType("nltk.stem", nltk.__doc__)
    stem.__path__ = [os.path.join(folder, "stem")]
    corpus = types.ModuleType("nltk.corpus", nltk.__doc__)
    corpus.stopwords = _StopWords()
    return {"nltk": nltk, "nltk.stem": stem, "nltk.corpus": corpus}


def import_stemmer_module() -> types.ModuleType:
    """`nltk.stem.snowball`, imported through stand-ins for the packages above it when
    NLTK is not imported yet; the usual import when it is, or when that fails."""
    if STEMMER in sys.modules or "nltk" in sys.modules:
        return importlib.import_module(STEMMER)
    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        return importlib.import_module(STEMMER)  # (raises ModuleNotFoundError)
    placed = _stand_ins(list(spec.submodule_search_locations)[0])
    before = set(sys.modules)
    sys.modules.update(placed)
    try:
        return importlib.import_module(STEMMER)
    except Exception:
        # Some module on the way wanted more of NLTK than the stand-ins give (a newer
        # NLTK): forget what was loaded through them and import NLTK the usual way.
        for name in set(sys.modules) - before:
            if name == "nltk" or name.startswith("nltk."):
                del sys.modules[name]
        placed = {}
        return importlib.import_module(STEMMER)
    finally:
        for name, module in placed.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def snowball_stemmer() -> Callable[[str], str]:
    """The `stem` of NLTK's English Snowball stemmer (Porter2)."""
    return import_stemmer_module().SnowballStemmer("english").stem
