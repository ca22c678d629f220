"""The two analysis chains: exact token lists for fixed sentences, and pickling."""

from __future__ import annotations

import pickle
import time

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.query import Phrase, Term

from indexer.analysis import FOLD, TextAnalyzer, compound_spans, fold
from indexer.article import Article
from indexer.schema import make_schema, to_document
from indexer.store import open_current

SENTENCE = "It’s the Customers’ move — write this on a rock… Café owners’ “No problem”!"


def tokens(analyzer, text, **kw):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in
            analyzer(text, positions=True, chars=True, **kw)]  # fmt: skip


def test_exact_chain_keeps_every_word_with_offsets():
    words = [t.text for t in TextAnalyzer(stem=False)(SENTENCE)]
    assert words == ["it", "the", "customers", "move", "write", "this", "on", "a", "rock",
                     "cafe", "owners", "no", "problem"]  # fmt: skip
    toks = tokens(TextAnalyzer(stem=False), SENTENCE)
    for text, _, start, end in toks:  # (the offsets hold the word as written: "It’s")
        written = SENTENCE[start:end].lower().replace("’s", "").replace("é", "e")
        assert written == text
    assert [pos for _, pos, _, _ in toks] == list(range(13))


def test_stemmed_chain_drops_stop_words_without_renumbering():
    toks = tokens(TextAnalyzer(stem=True), SENTENCE)
    assert [(t, p) for t, p, _, _ in toks] == [
        ("custom", 2), ("move", 3), ("write", 4), ("rock", 8), ("cafe", 9),
        ("owner", 10), ("no", 11), ("problem", 12),
    ]  # fmt: skip
    assert SENTENCE[toks[0][2] : toks[0][3]] == "Customers"  # ("It’s" is the stop word "it")


def test_typographic_folding_makes_curly_and_straight_the_same():
    stem = TextAnalyzer(stem=True)
    assert stem.terms("It’s “customer’s” choice — really…") == stem.terms(
        "It's \"customer's\" choice - really..."
    )
    assert stem.terms("customers customer's Customer") == ["custom", "custom", "custom"]


def test_folding_maps_each_character_alone_and_keeps_the_offsets():
    # Every folded character, beside one another, beside letters that stay (accents,
    # other quotes), and at the ends: one character for one, as a translation table.
    folded = "".join(chr(code) for code in FOLD)
    text = f"{folded}Café «x» {folded[::-1]}½ ‘It’s’ — “ok”…\u00a0end`"
    assert fold(text) == text.translate(FOLD)
    assert len(fold(text)) == len(text)
    assert fold("“Don’t” — it’s 9–5…") == "\"Don't\" - it's 9-5."
    assert fold("plain `ascii`") == "plain 'ascii'"
    assert fold("naïve") == "naïve"  # accents are the analyzer's, not folding's


def test_apostrophes_are_dropped_as_readers_type_without_them():
    """ "don't" is "dont", "O'Reilly" "oreilly" (what readers type on phones), and a
    final "'s" goes ("customer's" is "customer", as Lucene's English possessive filter
    takes it), in both chains and on both paths."""
    text = "Don’t ask O'Reilly: the customer's rock'n'roll isn't business's"
    exact, stem = TextAnalyzer(stem=False), TextAnalyzer(stem=True)
    assert exact.words(text) == ["dont", "ask", "oreilly", "the", "customer", "rocknroll",
                                 "isnt", "business"]  # fmt: skip
    assert stem.terms(text) == ["dont", "ask", "oreilli", "custom", "rocknrol", "isnt", "busi"]
    assert [t.text for t in exact(text)] == exact.words(text)
    assert exact.words("Café don’t") == ["cafe", "dont"]  # the path for non-ASCII text
    # After a number, "'s" is a plural (a decade's), not a possessive.
    assert exact.words("the 1990's and '80’s") == ["the", "1990s", "and", "80s"]


def test_a_british_spelling_is_stemmed_as_the_american():
    """ "colour" and "color" are one term of the stemmed chain (indexer/word_forms.py), in
    every form; the exact chain keeps each as written."""
    stem, exact = TextAnalyzer(stem=True), TextAnalyzer(stem=False)
    pairs = [("colour", "color"), ("colours", "colors"), ("organised", "organized"),
             ("organisation", "organization"), ("catalogue", "catalog"), ("centre", "center"),
             ("travelling", "traveling"), ("analyse", "analyze")]  # fmt: skip
    for british, american in pairs:
        assert stem.terms(british) == stem.terms(american), british
        assert exact.terms(british) == [british]
    assert stem.terms("colour")[0] != stem.terms("colt")[0]
    # Irregular plurals, which Snowball leaves as they are, are their singulars.
    for plural, singular in [("women", "woman"), ("businessmen", "businessman"),
                             ("children", "child"), ("criteria", "criterion")]:  # fmt: skip
        assert stem.terms(plural) == stem.terms(singular), plural
    assert stem.terms("acumen") != stem.terms("acuman")
    # So are irregular pasts their verbs, as Snowball makes "wrote" of "writes"; the
    # forms that are other words too are left alone ("thought", "found", "fed").
    for past, verb in [("written", "write"), ("wrote", "writes"), ("sold", "selling"),
                       ("bought", "buy"), ("went", "go"), ("taught", "teaching")]:  # fmt: skip
        assert stem.terms(past) == stem.terms(verb), past
        assert exact.terms(past) == [past]
    for word, other in [("thought", "think"), ("found", "find"), ("fed", "feed")]:
        assert stem.terms(word) != stem.terms(other), word


def test_fast_path_and_token_path_agree():
    for stem in (True, False):
        analyzer = TextAnalyzer(stem=stem)
        assert analyzer.terms(SENTENCE) == [t.text for t in analyzer(SENTENCE)]


def test_both_chains_share_the_last_word_list_and_each_gives_its_own_terms(monkeypatch):
    """The exact chain reuses the words the stemmed chain found in the same string (as
    Whoosh adds body, then body_exact), and still gives its own terms; another string
    is analysed again."""
    stemmed, exact = TextAnalyzer(stem=True), TextAnalyzer(stem=False)
    text = "Customers' franchises were the Customer's choice"
    analysed, words = [], TextAnalyzer.words
    monkeypatch.setattr(TextAnalyzer, "words", lambda self, t: analysed.append(t) or words(self, t))
    assert stemmed.terms(text) == ["custom", "franchis", "were", "custom", "choic"]
    assert exact.terms(text) == ["customers", "franchises", "were", "the", "customer", "choice"]
    other = "Rocks roll"
    assert exact.terms(other) == ["rocks", "roll"] and stemmed.terms(other) == ["rock", "roll"]
    assert analysed == [text, other]  # once a string, whichever chain asked


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


def test_a_word_written_with_hyphens_is_also_one_word_at_its_parts_places():
    """ "co-operation" is the words "co" and "operation", and "cooperation" too, at the
    places of "co" and "operation" (so "cooperation" is a word of the index, and a
    phrase that starts or ends with it is where the post says it); the stemmed chain
    gives its stem. A dash that is
    no hyphen, a part with digits or an apostrophe inside joins nothing."""
    exact, stemmed = TextAnalyzer(stem=False), TextAnalyzer(stem=True)
    text = (
        "We value co-operation's worth and Wi\u2011Fi on-line, state-of-the-art; "
        "customers\u2014they paid for covid-19, rock'n-roll and rock-n'-roll too."
    )
    words = exact.terms(text)
    found = exact.compounds(text)
    assert [w for *_, w in found] == ["cooperation", "wifi", "online", "stateoftheart"]
    assert [words[first] for first, _, _ in found] == ["co", "wi", "on", "state"]
    assert [words[last] for _, last, _ in found] == ["operation", "fi", "line", "art"]
    assert [w for *_, w in stemmed.compounds(text)] == ["cooper", "wifi", "onlin", "stateoftheart"]
    assert exact.compounds("No hyphen here, 2024-11-29 and B-52.") == []
    # Where it is written, not where the text says its parts apart before it (a phrase
    # around it is found there: "pct third-quarter decline").
    assert exact.compounds("e mail, then an e-mail") == [(4, 5, "email")]
    text = "A third quarter loss. Third-quarter sales rose, a 0.4 pct third-quarter decline."
    found = [(first, w) for first, _, w in exact.compounds(text)]
    assert found == [(4, "thirdquarter"), (11, "thirdquarter")]
    assert exact.compounds("Caf\u00e9-Bar") == [(0, 1, "cafebar")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcxyzÉéİıß'- -\u2014\u2013\u2010\u2011.,0123 \n", max_size=80))
def test_a_hyphenated_words_place_holds_its_first_part(text):
    exact, stemmed = TextAnalyzer(stem=False), TextAnalyzer(stem=True)
    words = exact.terms(text)
    found = exact.compounds(text)
    assert all("".join(words[first : last + 1]) == word for first, last, word in found)
    assert [p for p, _, _ in found] == sorted(p for p, _, _ in found)
    stemmed.terms(text)
    assert len(stemmed.compounds(text)) <= len(found)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "ab", "a-b", "b-a-b", " ", " ", "-", "'", "0.1", ",",
                                  "\n", "\u2014"]), max_size=24).map("".join))  # fmt: skip
def test_a_hyphenated_word_stands_after_the_words_written_before_it(text):
    """Its first place is the number of words before it in the text, wherever the text
    also says its parts apart (the first run of them had stood for it)."""
    exact = TextAnalyzer(stem=False)
    words = exact.terms(text)
    placed = []
    for start, _, parts in compound_spans(text.lower()):
        at = len(exact.words(text[:start]))
        if words[at : at + len(parts)] == parts:  # (else read otherwise: not joined)
            placed.append((at, "".join(parts)))
    assert [(first, word) for first, _, word in exact.compounds(text)] == placed


def test_many_hyphenated_words_take_linear_time():
    exact = TextAnalyzer(stem=False)
    text = "co-op x-ray " * 50_000 + "-".join(["ab"] * 50_000) + "-1"
    started = time.perf_counter()
    words = exact.terms(text)
    found = exact.compounds(text)
    assert len(found) == 100_000 and words[found[-1][0]] == "x"
    assert time.perf_counter() - started < 3


def test_a_hyphenated_word_is_found_whole_in_a_real_index(tmp_path):
    schema = make_schema()
    ix = whoosh_index.create_in(str(tmp_path), schema)
    article = Article(id="a1", title="Co-operation pays", body="The co-operation agreement.")
    with ix.writer() as writer:
        writer.add_document(**to_document(article))
    with whoosh_index.open_dir(str(tmp_path)).searcher() as searcher:
        assert [h["id"] for h in searcher.search(Term("body", "cooper"))] == ["a1"]
        assert [h["id"] for h in searcher.search(Term("title_exact", "cooperation"))] == ["a1"]
        phrase = Phrase("body_exact", ["the", "cooperation"])
        assert [h["id"] for h in searcher.search(phrase)] == ["a1"]
        phrase = Phrase("body_exact", ["co", "operation", "agreement"])
        assert [h["id"] for h in searcher.search(phrase)] == ["a1"]
        phrase = Phrase("body_exact", ["cooperation", "agreement"])
        assert [h["id"] for h in searcher.search(phrase)] == ["a1"]
        # (Not with words on both sides: two places are no token as long as two words,
        # which Lucene's position length gives.)
        phrase = Phrase("body_exact", ["the", "cooperation", "agreement"])
        assert [h["id"] for h in searcher.search(phrase)] == []
        # Counted once: one occurrence, at two places.
        assert searcher.reader().frequency("body_exact", "cooperation") == 1
        # Its length is its words' (Lucene's discountOverlaps): "cooperation" stands on
        # the place of "co", and the post's score for other words is as it was.
        reader = searcher.reader()
        assert reader.doc_field_length(0, "body_exact") == 4
        assert reader.doc_field_length(0, "body") == 3  # (the stemmed chain drops "the")


def test_the_writers_fast_path_gives_a_hyphenated_word_the_same_postings_and_length(tmp_path):
    """indexer/writer.py adds AnalyzedText's postings directly: the same terms, places
    and lengths as Whoosh's own writer gives through `index` (above)."""
    from tests.conftest import index_of

    body = "The co-operation agreement: co-operation, cooperation."
    generation = open_current(index_of(tmp_path, [{"id": "a1", "title": "T", "body": body}]))
    with generation.open().searcher() as searcher:
        reader = searcher.reader()
        assert reader.doc_field_length(0, "body_exact") == 7
        assert reader.doc_field_length(0, "body") == 6
        assert reader.frequency("body_exact", "cooperation") == 3
        assert reader.frequency("body", "cooper") == 3
        phrase = Phrase("body_exact", ["the", "cooperation"])
        assert [h["id"] for h in searcher.search(phrase)] == ["a1"]
        phrase = Phrase("body_exact", ["cooperation", "agreement"])
        assert [h["id"] for h in searcher.search(phrase)] == ["a1"]


TOKENIZER_CASES = [
    SENTENCE,
    "rock'n'roll isn't ''quoted'' o'clock's 'tis",
    "snake_case CamelCase x2 2024-11-29 3.14 a__b",
    "Ünïcödé straße ﬁne İstanbul ΣΊΣΥΦΟΣ 東京 naïve\nnew\tline",
    "",
    "''' ___ ... 'a' b'",
    "2.5 billion, 10,000 and 1,250,000.50; v3.10.3 1,2,3 10,20 1,2345 1,000,00 2.x 4.'s",
]


def test_a_number_with_a_point_or_thousands_separators_is_one_word():
    """ "2.5" and "3.10.3" are one word each, "10,000" is "10000" as readers type it; a
    comma not before three digits is a list's ("1,2,3")."""
    from indexer.analysis import TextAnalyzer

    text = "It was 2.5 billion, $10,000, 1,250,000.50, v3.10.3, 1,2,3 or 1,2345 in 2020."
    expected = ["it", "was", "2.5", "billion", "10000", "1250000.50", "v3.10.3", "1", "2",
                "3", "or", "1", "2345", "in", "2020"]  # fmt: skip
    exact = TextAnalyzer(stem=False)
    assert exact.words(text) == expected
    assert [w for _, _, w in exact.spans(text)] == expected
    assert [w for _, _, w in exact.spans(text.replace("It", "Ça"))][2:] == expected[2:]
    assert TextAnalyzer(stem=True).terms("2.5 billions") == ["2.5", "billion"]


def test_the_tokenizer_is_nltks_regexp_tokenizer():
    """TOKEN_RE stands in for NLTK's RegexpTokenizer(TOKEN_PATTERN): same words, same offsets."""
    from nltk.tokenize import RegexpTokenizer

    from indexer.analysis import TOKEN_PATTERN, TOKEN_RE

    nltk_tokenizer = RegexpTokenizer(TOKEN_PATTERN)
    for text in TOKENIZER_CASES:
        assert TOKEN_RE.findall(text) == nltk_tokenizer.tokenize(text)
        assert [m.span() for m in TOKEN_RE.finditer(text)] == list(
            nltk_tokenizer.span_tokenize(text)
        )


def test_a_stem_keeps_its_words_first_letter():
    """search/rerank.py (holds_stems) stems only the title words whose first letter
    begins a query stem: Snowball's English stemmer must keep a word's first letter,
    its exceptions ("dying": "die", "skies": "sky") and y-words included."""
    from nltk.stem.snowball import SnowballStemmer

    stemmer = SnowballStemmer("english")
    words = ["dying", "lying", "tying", "skies", "skis", "ugly", "early", "only", "news",
             "idly", "gently", "yelling", "yes", "generalizations", "happiness", "says",
             "owed", "aed", "ied", "eyed", "ying", "yy"]  # fmt: skip
    assert all(stemmer.stem(w)[0] == w[0] for w in words)


def test_learned_stems_are_the_stemmers(tmp_path):
    """The stems an index keeps for its vocabulary (taught to the stem cache, so that a
    search needs no stemmer) are the Snowball stemmer's, word for word."""
    from nltk.stem.snowball import SnowballStemmer

    from search.prepare import prepare_generation
    from search.state import IndexState
    from tests.conftest import ARTICLES, index_of

    generation = open_current(index_of(tmp_path, ARTICLES))
    prepare_generation(generation)  # what `rocksearch index` does before it publishes
    vocab = IndexState(generation).warm().vocabulary
    stemmer = SnowballStemmer("english")
    assert vocab.stems, "the index kept no stems"
    assert len(vocab.words) >= 50
    for word in vocab.words:
        assert vocab.stems.get(word, word) == stemmer.stem(word), word
    # Words the cache stems without NLTK (numbers, one or two letters) too.
    from indexer.analysis import _StemCache

    for word in ("2026", "1129", "0", "x9", "ok", "us", "ii", "9s"):
        assert _StemCache()[word] == stemmer.stem(word), word


def indexed_by_the_cli(tmp_path, cli_command, records: list[dict]) -> tuple:
    """(index, corpus, the project's folder): `records` indexed by `rocksearch index` in a
    process of its own, as a user's would be (the warm-up cache and stems.txt written)."""
    import subprocess
    from pathlib import Path

    from tests.conftest import write_jsonl

    corpus = write_jsonl(tmp_path / "articles.jsonl", records)
    index = tmp_path / "index"
    root = str(Path(__file__).resolve().parents[1])
    subprocess.run([*cli_command, "--index", str(index), "index", "--corpus", str(corpus)],
                   cwd=root, check=True, capture_output=True)  # fmt: skip
    return index, corpus, root


def test_a_search_for_indexed_words_does_not_import_nltk(tmp_path, cli_command):
    """A cold `rocksearch search` for words of the index, or a category's name, answers
    without NLTK (its import is a quarter of a cold search); a word the index does not
    have is still stemmed."""
    import subprocess
    import sys

    from tests.conftest import ARTICLES

    index, _, root = indexed_by_the_cli(tmp_path, cli_command, ARTICLES)
    program = (
        "import sys\n"
        "from search.engine import search\n"
        f"found = search({str(index)!r}, sys.argv[1])\n"
        "print(found.total, 'nltk.stem.snowball' in sys.modules)\n"
    )

    def run(query: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", program, query], capture_output=True,
                              text=True, cwd=root, check=True)  # fmt: skip
        return done.stdout.split()

    assert run("customers referral") == ["2", "False"]
    # A category's name: also searched as its words written as one, "customercare",
    # which no post says; its stem was kept with the generation (named-stems.txt).
    assert run("customer care") == ["1", "False"]
    assert run("zyxwvuts") == ["0", "True"]  # not a word of the index: NLTK stems it


def test_an_update_of_known_words_does_not_import_nltk(tmp_path, cli_command):
    """`rocksearch index` after an edit whose words the index has analyses them with the
    stems the last run kept (indexer.analysis.save_stems), without NLTK; a new word is
    still stemmed, by NLTK, and found by its other forms."""
    import subprocess
    import sys

    from tests.conftest import ARTICLES, write_jsonl

    records = [dict(a) for a in ARTICLES]
    index, corpus, root = indexed_by_the_cli(tmp_path, cli_command, records)
    program = (
        "import sys\n"
        "from rocksearch_cli import main\n"
        f"code = main(['--index', {str(index)!r}, 'index', '--corpus', {str(corpus)!r}])\n"
        "print(code, 'nltk.stem.snowball' in sys.modules)\n"
    )

    def update(text: str) -> list[str]:
        records[0]["body"] += text
        write_jsonl(corpus, records)
        done = subprocess.run([sys.executable, "-c", program], capture_output=True,
                              text=True, cwd=root, check=True)  # fmt: skip
        return done.stdout.split()[-2:]

    assert update(" Customers watch cash every week.") == ["0", "False"]
    assert update(" 20261129 ok.") == ["0", "False"]  # numbers, short words: as Snowball
    assert update(" Zyxwvutsing daily.") == ["0", "True"]  # a new word: NLTK stems it
    from search.engine import search

    assert [h["id"] for h in search(index, "zyxwvutsed").hits] == [records[0]["id"]]


def test_stems_kept_for_the_next_run_gain_new_words_only(tmp_path):
    """A generation's stems file (save_stems) gains the new words of a layer's segments
    (add_stems): rewritten when a word is new to it, left as it is (the hard link from
    the previous generation) otherwise; what the next run learns has them all."""
    from indexer import analysis

    analysis.save_stems(tmp_path, ["rocks", "cash", "flow"], {"rocks": "rock"})
    path = tmp_path / analysis.STEMS_FILE
    before = path.stat().st_ino
    analysis.add_stems(tmp_path, {"cash", "rocks"}, {"rocks": "rock"})
    assert path.stat().st_ino == before  # nothing new: not rewritten
    analysis.add_stems(tmp_path, {"cash", "selling", "tea", "hiring"},
                       {"selling": "sell", "hiring": "hire"})  # fmt: skip
    assert path.stat().st_ino != before
    learnt = analysis._StemCache()
    analysis.STEMS, saved = learnt, analysis.STEMS
    try:
        analysis._learn_saved(tmp_path)
        [(words, differing)] = learnt._known
    finally:
        analysis.STEMS = saved
    assert set(words) == {"rocks", "cash", "flow", "selling", "tea", "hiring"}
    assert differing == {"rocks": "rock", "selling": "sell", "hiring": "hire"}
    (tmp_path / "none").mkdir()  # no file (or a torn one): the new words' stems alone
    analysis.add_stems(tmp_path / "none", {"tea", "selling"}, {"selling": "sell"})
    words, keys, values = (tmp_path / "none" / analysis.STEMS_FILE).read_text().split("\0")
    assert sorted(words.split("\n")) == ["selling", "tea"] and (keys, values) == ("selling", "sell")


def test_the_stems_of_category_words_are_kept_and_learnt(tmp_path):
    """A generation keeps the stems of its categories' words that no post says
    (save_named_stems): rewritten only when one is new to the file, and a search process
    learns them into its stem cache (learn_named_stems); a torn line is skipped."""
    from indexer import analysis

    analysis.save_named_stems(tmp_path, ["customercare", "startups"])
    path = tmp_path / analysis.NAMED_STEMS_FILE
    assert path.read_text() == "customercare customercar\nstartups startup\n"
    before = path.stat().st_ino
    analysis.save_named_stems(tmp_path, ["startups"])
    assert path.stat().st_ino == before  # nothing new: not rewritten
    with path.open("a") as f:
        f.write("torn\n")
    analysis.save_named_stems(tmp_path, ["uncategorized", "startups"])
    learnt = analysis._StemCache()
    analysis.STEMS, saved = learnt, analysis.STEMS
    try:
        analysis.learn_named_stems(tmp_path)
        analysis.learn_named_stems(tmp_path / "none")  # no file: nothing learnt
    finally:
        analysis.STEMS = saved
    assert dict(learnt) == {"customercare": "customercar", "startups": "startup",
                            "uncategorized": "uncategor"}  # fmt: skip
