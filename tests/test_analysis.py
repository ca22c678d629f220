"""The two analysis chains: exact token lists for fixed sentences, and pickling."""

from __future__ import annotations

import pickle

from whoosh import index as whoosh_index
from whoosh.query import Phrase, Term

from indexer.analysis import TextAnalyzer
from indexer.article import Article
from indexer.schema import make_schema, to_document

SENTENCE = "It’s the Customers’ move — write this on a rock… Café owners’ “No problem”!"


def tokens(analyzer, text, **kw):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in
            analyzer(text, positions=True, chars=True, **kw)]  # fmt: skip


def test_exact_chain_keeps_every_word_with_offsets():
    words = [t.text for t in TextAnalyzer(stem=False)(SENTENCE)]
    assert words == ["it's", "the", "customers", "move", "write", "this", "on", "a", "rock",
                     "cafe", "owners", "no", "problem"]  # fmt: skip
    toks = tokens(TextAnalyzer(stem=False), SENTENCE)
    for text, _, start, end in toks:
        assert SENTENCE[start:end].lower().replace("’", "'").replace("é", "e") == text
    assert [pos for _, pos, _, _ in toks] == list(range(13))


def test_stemmed_chain_drops_stop_words_without_renumbering():
    toks = tokens(TextAnalyzer(stem=True), SENTENCE)
    assert [(t, p) for t, p, _, _ in toks] == [
        ("it", 0), ("custom", 2), ("move", 3), ("write", 4), ("rock", 8), ("cafe", 9),
        ("owner", 10), ("no", 11), ("problem", 12),
    ]  # fmt: skip
    assert SENTENCE[toks[1][2] : toks[1][3]] == "Customers"


def test_typographic_folding_makes_curly_and_straight_the_same():
    stem = TextAnalyzer(stem=True)
    assert stem.terms("It’s “customer’s” choice — really…") == stem.terms(
        "It's \"customer's\" choice - really..."
    )
    assert stem.terms("customers customer's Customer") == ["custom", "custom", "custom"]


def test_fast_path_and_token_path_agree():
    for stem in (True, False):
        analyzer = TextAnalyzer(stem=stem)
        assert analyzer.terms(SENTENCE) == [t.text for t in analyzer(SENTENCE)]


def test_overlong_words_are_dropped():
    assert TextAnalyzer(stem=False).terms("ok " + "x" * 41 + " fine") == ["ok", "fine"]


def test_analyzer_pickles_after_use_and_works_after_unpickling():
    analyzer = TextAnalyzer(stem=True)
    analyzer.terms("customers are running")  # builds the NLTK objects and caches
    clone = pickle.loads(pickle.dumps(analyzer))
    assert clone == analyzer
    assert clone.terms("customers are running") == ["custom", "run"]


def test_schema_round_trip_through_a_real_index(tmp_path):
    schema = make_schema()
    schema["body"].analyzer.terms("warm the caches up")
    ix = whoosh_index.create_in(str(tmp_path), pickle.loads(pickle.dumps(schema)))
    article = Article(id="a1", title="Write this on a rock", body="Customers' needs come first.")
    with ix.writer() as writer:
        writer.add_document(**to_document(article))
    reopened = whoosh_index.open_dir(str(tmp_path))  # unpickles the stored schema
    with reopened.searcher() as searcher:
        assert searcher.search(Term("body", "custom"))[0]["id"] == "a1"
        phrase = Phrase("title_exact", ["write", "this", "on", "a", "rock"])
        assert searcher.search(phrase)[0]["id"] == "a1"
