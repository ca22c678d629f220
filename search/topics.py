"""Categories and tags searched as words: "entrepreneurship" finds the posts filed under it.

Takes the facet tables of a generation (`Topics(state.facet_table)`: the state keeps one,
`state.topics`) and a word of the query (`Topics.docs`); gives the
live documents whose categories or tags hold the word, or another form of it,
(`Topics.knows`) whether any category or tag has the word, so that the typo rules leave
it as typed, (`Topics.near`, `Topics.begun_by`) the word of theirs a typo or a word's
beginning may be, (`Topics.named`) the categories and tags a whole query names
(`Topics.names_at`: a run of its words), and (`Topics.names`) every one of them, for
suggestions. A name's words written as one are one of its words ("startups": "Start
Ups"), found as written or in the other number.

A blog files its posts under categories and tags that its readers see on every post and
type into the search box ("customer care", "start ups"), and a post is not always worded
like its category: "entrepreneurship" found nothing on the sample blog, whose category
"Entrepreneurship" holds a post that never says the word, and "customer care" four of
the category's 23 posts. Search engines for blogs make them searchable (Algolia's
WordPress plugin indexes them as attributes, below the title). Here they are read from
the facets the state already keeps (one bitmask per value), not indexed again: a word
that no post says matches the posts filed under it, scored TOPIC_WEIGHT times its idf
among those posts (about one mention in a body); a query that is a category's or tag's
name ("customer care") is answered by the posts that say it, and the answer names the
category, which the page offers as a filter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from rapidfuzz.distance import OSA

from indexer.analysis import STOP_WORDS, TextAnalyzer
from search.int_sets import distinct
from search.scored import Scored
from search.scoring import coordination_idf

TOPIC_FACETS = ("category", "tag")
TOPIC_WEIGHT = 1.0
DOCS_KEPT = 4096  # words whose documents are kept between queries

_EXACT = TextAnalyzer(stem=False)
_STEM = TextAnalyzer(stem=True)


class Topics:
    """The words of a generation's categories and tags, each with the posts under them,
    from the state's facet tables (`facet_table(name)`: where each document's values
    start, the value numbers by document, the values), which every search loads for its
    facet counts (the value masks, `state.facets`, took 0.38 s to load at 100k posts)."""

    def __init__(self, facet_table) -> None:
        self._tables = {name: facet_table(name) for name in TOPIC_FACETS}
        self._by_word: dict[str, list[tuple[str, int]]] = defaultdict(list)
        # A value by its words, stop words aside ("age customer": "The Age of the Customer")
        self._named: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
        # Names' words written as one: no typo is corrected to one ("smallbusines" is
        # split into "small business", search/run_together.py).
        self._joined: set[str] = set()
        for name, (_, _, values) in self._tables.items():
            for number, value in enumerate(values):
                words, joined = name_words(value)
                for word in words:  # ("The Age of the Customer": "the" files nothing)
                    self._by_word[word].append((name, number))
                if words:
                    self._named[tuple(words)].append((name, number))
                if joined:  # ("startups" for "Start Ups", as readers write it)
                    self._by_word[joined].append((name, number))
                    self._joined.add(joined)
        # By stem: made the first time a word is looked up (stemming words the index does
        # not have imports NLTK, a quarter of a cold search for words it has).
        self._by_stem: dict[str, list[tuple[str, int]]] | None = None
        self._docs: dict[str, np.ndarray] = {}
        self._names: list[tuple[str, str, int]] | None = None
        self._longest: int | None = None  # words of the longest name, stop words too

    def _filed(self, name: str, numbers: list[int]) -> np.ndarray:
        """The documents with any of the values `numbers` of facet `name`, ascending."""
        starts, by_doc, _ = self._tables[name]
        at = np.flatnonzero(np.isin(by_doc, numbers))
        return distinct(np.searchsorted(starts, at, "right") - 1)

    def named(self, words: list[str]) -> list[dict]:
        """The categories and tags whose name is `words` (a query's words in order, stop
        words aside: "customer care" is the category "Customer Care"), each
        {"facet", "value", "count"}, the category first."""
        key = tuple(w for w in words if w not in STOP_WORDS)
        out = []
        for name, number in self._named.get(key, ()):
            _, by_doc, values = self._tables[name]
            out.append({"facet": name, "value": values[number],
                        "count": int(np.count_nonzero(by_doc == number))})  # fmt: skip
        return out

    def _stems(self) -> dict[str, list[tuple[str, int]]]:
        """The names' words (not their words as one: "smallbusy" and "smallbusiness"
        share a stem) by stem."""
        if self._by_stem is None:
            self._by_stem = defaultdict(list)
            for topic_word, filed in self._by_word.items():
                if topic_word not in self._joined:
                    self._by_stem[_STEM.stems[topic_word]].extend(filed)
        return self._by_stem

    def _forms(self, word: str) -> list[tuple[str, int]]:
        """(facet, value number) of the names with `word`: as written, a name's word in
        another form ("customers": "Customer Care"), or a name's words as one, with a
        plural's "s" or without ("startup": "Start Ups")."""
        filed = list(self._by_word.get(word, ()))
        if word in STOP_WORDS:
            return filed
        filed += self._stems().get(_STEM.stems[word], [])
        # (The other number: "smallbusines" is no singular of "smallbusiness".)
        other = word[:-1] if word.endswith("s") else word + "s"
        if other in self._joined and not word.endswith("ss"):
            filed += self._by_word[other]
        return filed

    def names(self) -> list[tuple[str, str, int]]:
        """Every category and tag with posts filed under it, as (facet, value, how many
        posts): the categories first, each facet's by most posts."""
        if self._names is None:
            self._names = []
            for name, (_, by_doc, values) in self._tables.items():
                counts = np.bincount(by_doc, minlength=len(values)).tolist()
                order = sorted(range(len(values)), key=lambda n: (-counts[n], values[n]))
                self._names += [(name, values[n], counts[n]) for n in order if counts[n]]
        return self._names

    def names_at(self, words: list[str], start: int) -> list[tuple[str, str, int]]:
        """(facet, value, how many words) of each category and tag whose name
        words[start:] begins with (stop words aside, as `named` reads a name; the words
        taken begin and end with a word that is none), the longest first, each length's
        categories before its tags."""
        if self._longest is None:
            self._longest = max((len(_EXACT.words(value)) for _, _, values in
                                 self._tables.values() for value in values), default=0)  # fmt: skip
        out = []
        for end in range(min(len(words), start + self._longest), start, -1):
            if words[start] in STOP_WORDS or words[end - 1] in STOP_WORDS:
                continue
            key = tuple(w for w in words[start:end] if w not in STOP_WORDS)
            out += [(name, self._tables[name][2][number], end - start)
                    for name, number in self._named.get(key, ())]  # fmt: skip
        return out

    def knows(self, word: str, forms: bool = True) -> bool:
        """Whether a category or tag has `word`, as written ("startups": "Start Ups") or
        (`forms`) in another form ("startup"; which stems the word)."""
        return word in self._by_word or (forms and bool(self._forms(word)))

    def joins(self, word: str) -> bool:
        """Whether `word` is a name's words written as one ("startups")."""
        return word in self._joined

    def near(self, word: str, allowed: int) -> str | None:
        """The categories' and tags' word at most `allowed` edits from `word` (a
        transposition one) with the same first letter: the nearest, then the one
        filed most often; None if there is none."""
        if not allowed:
            return None
        near = [(OSA.distance(word, w, score_cutoff=allowed), -len(filed), w)
                for w, filed in self._by_word.items()
                if w[:1] == word[:1] and w not in self._joined]  # fmt: skip
        near = [n for n in near if 0 < n[0] <= allowed]
        return min(near)[2] if near else None

    def begun_by(self, word: str, least: int, allowed: int = 0) -> str | None:
        """The categories' and tags' word that `word`, of `least` letters or more,
        begins, or begins less a plural's "s" ("entrepreneur", "entrepreneurs":
        "entrepreneurship"), or (`allowed`) begins with that many typos, not in the
        first letter ("entrepeneur"): the one filed most often, then the shortest; None
        if none."""
        heads = [h for h in {word, word[:-1] if word.endswith("s") else word} if len(h) >= least]

        def begins(w: str, head: str) -> bool:
            if w == head or len(w) <= len(head) - allowed:
                return False
            if w.startswith(head):
                return True
            if not allowed or w[0] != head[0]:
                return False
            ends = range(len(head) - allowed, min(len(head) + allowed, len(w) - 1) + 1)
            return any(OSA.distance(head, w[:n], score_cutoff=allowed) <= allowed for n in ends)

        found = [(-len(filed), len(w), w) for w, filed in self._by_word.items()
                 if w not in self._joined and any(begins(w, h) for h in heads)]  # fmt: skip
        return min(found)[2] if found else None

    def docs(self, word: str) -> np.ndarray:
        """The documents filed under a category or tag with `word` in any form
        ("customers" finds "Customer Care"), ascending."""
        if word in STOP_WORDS:
            return np.zeros(0, np.int64)
        found = self._docs.get(word)
        if found is None:
            filed = self._forms(word)
            parts = [self._filed(name, [n for f, n in filed if f == name]) for name in TOPIC_FACETS]
            if len(self._docs) >= DOCS_KEPT:  # (words typed are endless: typos, garbage)
                self._docs.clear()
            found = self._docs[word] = distinct(np.concatenate(parts)).astype(np.int64)
        return found

    def scores(self, word: str, documents: int) -> Scored:
        """The documents under `word`'s categories and tags, each scored TOPIC_WEIGHT
        times the word's idf among them (`documents`: how many live ones there are)."""
        found = self.docs(word)
        if not len(found):
            return Scored.empty()
        idf = coordination_idf(len(found), documents)
        return Scored(found, np.full(len(found), TOPIC_WEIGHT * idf))


def name_words(value: str) -> tuple[list[str], str | None]:
    """The words of a category's or tag's name `value`, stop words aside ("The Age of the
    Customer": "age", "customer"), and, of a name of two words or more, its words written
    as one ("agecustomer"; else None)."""
    words = [w for w in _EXACT.words(value) if w not in STOP_WORDS]
    return words, "".join(words) if len(words) > 1 else None


def words_of_names(values: Iterable[str]) -> set[str]:
    """Every word a search finds `values` (categories' and tags' names) by: their words,
    and each name's words written as one ("customercare" for "Customer Care")."""
    out = set()
    for value in values:
        words, joined = name_words(value)
        out.update(words)
        if joined:
            out.add(joined)
    return out


def files_by_topic(unit, vocabulary) -> bool:
    """Whether a query unit matches the categories and tags: a word no post says (a
    word of the text finds its posts by their words: ranking by categories too, on the
    known-item evaluation at 10k, where categories are words such as "trade" and
    "gold", put 41 targets lower and 15 higher), not a phrase, a prefix or a word asked
    of one field (`title:`)."""
    return (not (unit.phrase or unit.prefix or unit.fields) and len(unit.words) == 1
            and unit.words[0] not in vocabulary.df)  # fmt: skip
