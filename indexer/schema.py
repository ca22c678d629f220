"""The one index schema, versioned, and the article -> document mapping.

Takes nothing (`make_schema`) or an `Article` (`to_document`); gives the Whoosh schema
and the document Whoosh stores. Text fields come in pairs: `title`/`title_exact`,
`body`/`body_exact`, `maxim`/`maxim_exact`; the first of each pair is stemmed and keeps
frequencies only (BM25F needs nothing more), the second keeps every word with its
position (phrases, maxims, the vocabulary for typo correction).
Bump `SCHEMA_VERSION` whenever a field, an analysis chain or a file beside the
segments changes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import NamedTuple

from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.system import pack_uint

from indexer.analysis import TextAnalyzer
from indexer.article import Article

SCHEMA_VERSION = 10  # 2: has_maxim; 3: positions files (indexer/positions.py); 4: no apostrophes;
# 5: British spellings stemmed as American, irregular plurals as singular, "1990's" as "1990s";
# 6: irregular pasts stemmed as their verbs ("written" as "write");
# 7: a number with a decimal point or thousands separators one word ("2.5", "10,000");
# 8: a word written with hyphens indexed whole too ("co-operation" also as "cooperation");
# 9: at its last part's place too ("cooperation agreement" a phrase of "co-operation agreement");
# 10: where it is written, not where the text says its parts apart before it
UNDATED = "undated"
TEXT_FIELDS = ("title", "body", "maxim")
FACETS = ("category", "tag", "author", "kind", "year", "month")


# Most words stand once in a field: their positions' encoding (a pickle of one delta)
# is looked up, not made again (a third of the time the exact fields took to add).
ONE_POSITION_MEMO = 1 << 16
_ONE_POSITION: dict[int, bytes] = {}


class Postings(NamedTuple):
    """One field's postings of one document (AnalyzedText.postings)."""

    terms: list[str]
    freqs: list[int]
    values: list[bytes]
    length: int  # the field's length, for BM25


class AnalyzedText(TEXT):
    """TEXT whose indexing takes the analyzer's term list directly.

    Whoosh's generic path builds a Token object per word and runs it through a
    generator chain; asking the analyzer for plain terms is several times faster and
    gives the same postings (frequency, weight, positions).
    """

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        terms, freqs, values, length = self.postings(value)
        # (Whoosh sums the second item as the field's length: a word written with
        # hyphens counts once, as its parts, not again whole; see `postings`.)
        whole = {}
        if length < sum(freqs):
            whole = Counter(t for *_, t in self.analyzer.compounds(value))
        for term, n, vbytes in zip(terms, freqs, values, strict=True):
            yield term.encode("utf-8"), n - whole.get(term, 0), n * boost, vbytes

    def postings(self, value: str) -> Postings:
        """The terms of `value`, each once, with their frequencies and encoded values, as
        three lists, and the field's length: what `index` gives, the terms not yet encoded
        and without the weights (the writer's fast path, indexer/writer.py, takes these).
        The length is the words' (the stemmed chain's: those it keeps), without the
        words written with hyphens that are indexed whole too, as Lucene leaves the
        tokens it stacks on another's place out of a field's length (discountOverlaps):
        a post's score for other words is the same as when they were not."""
        terms = self.analyzer.terms(value)
        # A word written with hyphens is indexed whole too ("co-operation" as
        # "cooperation"), at its first and its last part's places (indexer/analysis.py,
        # `compounds`), counted once.
        compounds = self.analyzer.compounds(value)
        if isinstance(self.format, Positions):
            positions: dict[str, list[int]] = defaultdict(list)
            for pos, term in enumerate(terms):
                positions[term].append(pos)
            twice: Counter = Counter()  # (a word's places more than its occurrences)
            for first, last, term in compounds:
                places = positions[term]
                unsorted = places and places[-1] > first  # ("cooperation" also written so)
                places.append(first)
                if last != first:
                    places.append(last)
                    twice[term] += 1
                if unsorted:
                    places.sort()
            encode = self.format.encode
            freqs, values = [], []
            for term, poslist in positions.items():
                n = len(poslist) - twice[term] if twice else len(poslist)
                if len(poslist) == 1 and poslist[0] < ONE_POSITION_MEMO:
                    value = _ONE_POSITION.get(poslist[0])
                    if value is None:
                        value = _ONE_POSITION[poslist[0]] = encode(poslist)
                else:
                    value = encode(poslist)
                freqs.append(n)
                values.append(value)
            return Postings(list(positions), freqs, values, len(terms))
        counts = Counter(terms)
        if compounds:
            counts.update(term for *_, term in compounds)
        freqs = list(counts.values())
        return Postings(list(counts), freqs, list(map(pack_uint, freqs)), len(terms))


def make_schema() -> Schema:
    stemmed, exact = TextAnalyzer(stem=True), TextAnalyzer(stem=False)
    fields = {
        "id": ID(unique=True, stored=True),
        "date": STORED(),  # ISO date or None, for display
        "day": NUMERIC(int, bits=32, sortable=True, signed=False),  # YYYYMMDD, 0 = undated
        "excerpt": BOOLEAN(stored=True),
        "has_maxim": BOOLEAN(),  # "write this on a rock" finds every post with a maxim
        "source": STORED(),
        "url": STORED(),
        "hash": STORED(),
    }
    for name in TEXT_FIELDS:
        fields[name] = AnalyzedText(analyzer=stemmed, phrase=False, stored=True)
        fields[f"{name}_exact"] = AnalyzedText(analyzer=exact, phrase=True)
    for name in ("category", "tag"):
        fields[name] = KEYWORD(stored=True, lowercase=False, commas=True, scorable=False)
    for name in ("author", "kind", "year", "month"):
        fields[name] = ID(stored=True)
    return Schema(**fields)


def to_document(article: Article, content_hash: str | None = None) -> dict:
    """The Whoosh document for one article (lists index one term per value)."""
    year = article.date[:4] if article.date else UNDATED
    month = article.date[:7] if article.date else UNDATED
    doc = {
        "id": article.id,
        "date": article.date,
        "day": int(article.date.replace("-", "")) if article.date else 0,
        "excerpt": article.excerpt,
        "has_maxim": bool(article.maxim),
        "source": article.source,
        "url": article.url,
        "hash": content_hash or article.content_hash(),
        "category": list(article.categories),
        "tag": list(article.tags),
        "kind": article.kind,
        "year": year,
        "month": month,
    }
    if article.author:
        doc["author"] = article.author
    for name in TEXT_FIELDS:
        value = getattr(article, name) or ""
        doc[name] = value
        doc[f"{name}_exact"] = value
    return doc
