"""NLTK's stemmer imported without the rest of NLTK (indexer/nltk_loading.py): pinned,
so an NLTK upgrade whose stemmer module imports more fails here."""

from __future__ import annotations

import textwrap

from tests.conftest import run_fresh

# Words of every kind the stemmer has rules for: plurals, -ing, -ed, -ly, Porter2's
# exceptions, y-words, British spellings, numbers and short words.
WORDS = ["running", "customers", "generalizations", "happiness", "dying", "skies", "skis",
         "news", "early", "gently", "yelling", "says", "owed", "colour", "organisation",
         "proceed", "exceeded", "herrings", "cosmos", "atlas", "2026", "ok", "a", "aed",
         "hopefully", "relational", "conditional", "ponies", "caresses", "feed", "agreed",
         "controlling", "fitting", "cycling", "marketing", "zyxwvutsing"]  # fmt: skip


def test_the_stemmer_comes_without_the_rest_of_nltk():
    """Making the stemmer in a fresh process loads its own few modules (the whole of
    NLTK is some 245, a tenth of a second or more), and leaves no stand-in behind."""
    out = run_fresh("""
        import sys
        from indexer.analysis import STEMS
        STEMS.stemmer()
        print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] == "nltk")))
    """)
    loaded = set(out.split())
    assert "nltk.stem.snowball" in loaded
    assert not loaded & {"nltk", "nltk.stem", "nltk.corpus", "nltk.data"}, loaded
    assert len(loaded) <= 8, loaded


def test_its_stems_are_those_of_nltk_imported_whole():
    lean = run_fresh(f"""
        from indexer.nltk_loading import snowball_stemmer
        stem = snowball_stemmer()
        print(" ".join(stem(w) for w in {WORDS!r}))
    """)
    whole = run_fresh(f"""
        import nltk
        from nltk.stem.snowball import SnowballStemmer
        stem = SnowballStemmer("english").stem
        print(" ".join(stem(w) for w in {WORDS!r}))
    """)
    assert lean.split() == whole.split()
    assert lean.split()[:3] == ["run", "custom", "general"]


def test_a_later_import_of_nltk_is_the_whole_one():
    """After the lean import, code that imports NLTK gets all of it (its tokenizers,
    its corpus readers), with the stemmer's module the one already loaded; a stemmer
    that wants the stop word lists asks the real corpus reader (which, with no NLTK data
    on this machine, says so as it does when NLTK was imported whole)."""
    out = run_fresh("""
        import sys
        from indexer.nltk_loading import import_stemmer_module, snowball_stemmer
        snowball_stemmer()
        lean = sys.modules["nltk.stem.snowball"]
        import nltk
        from nltk.tokenize import RegexpTokenizer
        import nltk.corpus, nltk.stem
        print(nltk.stem.SnowballStemmer is lean.SnowballStemmer,
              import_stemmer_module() is lean,
              "stand-in" not in (sys.modules["nltk.corpus"].__doc__ or ""),
              hasattr(sys.modules["nltk.corpus"], "wordnet"), hasattr(nltk, "word_tokenize"),
              RegexpTokenizer(r"\\w+").tokenize("two words") == ["two", "words"])
        try:
            lean.SnowballStemmer("english", ignore_stopwords=True)
            print("made")
        except LookupError:
            print("LookupError")
    """)
    assert out.split() == ["True"] * 6 + ["LookupError"]


def test_nltk_imported_first_is_used_as_it_is():
    out = run_fresh("""
        import sys, nltk
        from indexer.nltk_loading import import_stemmer_module
        print(import_stemmer_module() is sys.modules["nltk.stem.snowball"],
              sys.modules["nltk"] is nltk)
    """)
    assert out.split() == ["True", "True"]


def test_a_stemmer_module_that_wants_more_of_its_package_is_imported_the_usual_way(tmp_path):
    """An NLTK whose stemmer reads a name of the package itself (which the stand-ins do
    not have) is imported whole, as before: slower, but the same stemmer, and nothing
    loaded through the stand-ins is left for the real package to trip on."""
    package = tmp_path / "nltk"
    (package / "stem").mkdir(parents=True)
    (package / "__init__.py").write_text("LANGUAGE = 'english'\nimport nltk.stem\n")
    (package / "stem" / "__init__.py").write_text("")
    (package / "stem" / "helper.py").write_text("SUFFIX = 's'\n")
    stemmer = textwrap.dedent("""
        from nltk.stem.helper import SUFFIX
        from nltk import LANGUAGE

        class SnowballStemmer:
            def __init__(self, language):
                assert language == LANGUAGE

            def stem(self, word):
                return word.removesuffix(SUFFIX)
    """)
    (package / "stem" / "snowball.py").write_text(stemmer)
    out = run_fresh(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from indexer.nltk_loading import snowball_stemmer
        stem = snowball_stemmer()
        import nltk
        print(stem("cats"), nltk.LANGUAGE, sys.modules["nltk.stem.helper"].__name__)
    """)
    assert out.split() == ["cat", "english", "nltk.stem.helper"]
