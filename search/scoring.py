"""Matching and BM25F scoring straight from Whoosh's posting blocks.

Takes a loaded `IndexState` and a query unit (`unit_scores`); gives {docnum: score}
for every live document the unit matches. Scores are Whoosh's BM25F (the same idf,
average field lengths and formula, K1=1.2, B=0.75), summed over the unit's fields with
field boosts.

Why not Whoosh's matchers: they walk every posting through a tree of Python matcher
objects (union over fields, intersection over words), which measured 17 to 40 ms for a
two-word query on 10k articles here. Reading each term's posting blocks once, as
arrays, and scoring them in one loop gives the same numbers several times faster.
The block reader uses W3 codec internals (whoosh-reloaded 2.7, pinned); any other
matcher falls back to the public id()/weight()/next() walk.
"""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Iterator
from itertools import accumulate, islice
from pickle import loads

from whoosh.collectors import TimeLimit
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE

from indexer.analysis import STOP_WORDS, TextAnalyzer

K1 = 1.2
B = 0.75
FIELD_BOOSTS = {"title": 3.0, "maxim": 2.0, "body": 1.0}
PHRASE_FACTOR = 1.5  # a quoted phrase's words count half again

_STEM = TextAnalyzer(stem=True)


def term_postings(reader, field: str, term: str) -> tuple[int, list[tuple[int, object]]]:
    """(document frequency, [(docnum offset, matcher)] per segment that has the term),
    with one term lookup per segment where doc_frequency() and postings() take two.
    Deleted documents are not filtered out: the caller drops them."""
    btext = term.encode("utf-8")
    df, found = 0, []
    for leaf, offset in reader.leaf_readers():
        terms = getattr(leaf, "_terms", None)
        try:
            if hasattr(terms, "term_info") and hasattr(leaf, "_codec"):
                info = terms.term_info(field, btext)
                matcher = leaf._codec.postings_reader(
                    terms._postfile, info, leaf.schema[field].format, term=(field, btext)
                )
                df += info.doc_frequency()
            else:  # another reader: the public calls
                matcher = leaf.postings(field, btext)
                df += leaf.doc_frequency(field, btext)
        except TermNotFound:
            continue
        found.append((offset, matcher))
    return df, found


def holds_any(docs: list[int], low: int, high: int) -> bool:
    """Whether sorted `docs` has a docnum in low..high (a posting block's range)."""
    i = bisect.bisect_left(docs, low)
    return i < len(docs) and docs[i] <= high


def block_ids(raw) -> tuple[int, ...]:
    """The docnums of a W3 posting block (segment-local): what _read_ids gives, with
    the gaps summed in C (Whoosh sums them in a Python generator, id by id)."""
    if raw._data is None:
        raw._read_data()
    ids = raw._data[0]
    raw._ids = ids = ids if raw._byteids else tuple(accumulate(ids))
    return ids


def blocks(postings, within: list[int] | None = None) -> Iterator[tuple]:
    """(docnums, term frequencies) per posting block of `term_postings`, docnums global
    to the index; with sorted docnums `within`, only the blocks whose docnum range
    holds one of them."""
    for offset, matcher in postings:
        raw = getattr(matcher, "child", matcher)
        if all(hasattr(raw, a) for a in ("_read_data", "_byteids", "_next_block")):
            low = offset
            while raw.is_active():
                high = raw._maxid + offset
                if within is None or holds_any(within, low, high):
                    ids = block_ids(raw)
                    raw._read_weights()
                    yield (ids if not offset else [d + offset for d in ids]), raw._weights
                low = high + 1
                raw._next_block()
        else:
            ids, weights = [], []
            while matcher.is_active():
                ids.append(matcher.id() + offset)
                weights.append(matcher.weight())
                matcher.next()
            yield ids, weights


def bm25_parts(state, field: str, df: int, boost: float) -> tuple[float, list[float]]:
    """(idf * (K1 + 1) * boost, docnum -> length norm): a term's score in a document
    is factor * tf / (tf + norm)."""
    idf = math.log(state.doc_count_all / (df + 1)) + 1
    return idf * (K1 + 1) * boost, state.norms(field, K1, B)


def add_term(
    state, field: str, term: str, boost: float, acc: dict, deadline: float, only=None
) -> None:
    """Add the BM25F score of `term` in `field` to acc[docnum] for every doc that has it
    (of the set `only`, when given)."""
    df, postings = term_postings(state.reader, field, term)
    if not df:
        return
    factor, norms = bm25_parts(state, field, df, boost)
    get = acc.get
    within = sorted(only) if only is not None and len(only) * 4 < df else None
    for ids, tfs in blocks(postings, within):
        if only is None:
            for d, tf in zip(ids, tfs, strict=False):
                acc[d] = get(d, 0.0) + factor * tf / (tf + norms[d])
        else:
            for d, tf in zip(ids, tfs, strict=False):
                if d in only:
                    acc[d] = get(d, 0.0) + factor * tf / (tf + norms[d])
        if time.perf_counter() > deadline:
            raise TimeLimit()


def add_tfs(state, field: str, term: str, boost: float, acc: dict, tfs: dict) -> None:
    """add_term for documents whose frequency of `term` is known: {docnum: frequency}."""
    if not tfs:
        return
    df = state.reader.doc_frequency(field, term)  # no postings opened: only the count
    factor, norms = bm25_parts(state, field, df, boost)
    get = acc.get
    for d, tf in tfs.items():
        acc[d] = get(d, 0.0) + factor * tf / (tf + norms[d])


_PROTO = b"\x80\x02"  # pickle protocol 2, as Whoosh writes each posting's gaps


def decode_gaps(values: list[bytes]) -> list[list[int]]:
    """The gaps between positions (the first from 0) of several postings in Whoosh's
    Positions format: each a 4-byte count, then its gaps as a protocol-2 pickle of a
    list. Summed (itertools.accumulate), they are what Positions.decode_positions gives.

    The postings' pickled lists are joined into one pickle of a list of lists, so that
    a block of postings is one call to pickle.loads rather than one each; a value of
    another shape is decoded on its own.
    """
    bodies = []
    for value in values:
        if value[_INT_SIZE : _INT_SIZE + 2] != _PROTO:
            return [_gaps_of_one(v) for v in values]
        end = -1 if value.endswith(b".") else len(value)
        bodies.append(value[_INT_SIZE + 2 : end])
    return loads(_PROTO + b"(" + b"".join(bodies) + b"l.")


def _gaps_of_one(value: bytes) -> list[int]:
    if not value.endswith(b"."):
        value += b"."
    return loads(value[_INT_SIZE:])


def gaps_in(
    state, field: str, term: str, docs: list[int] | None, deadline: float
) -> dict[int, list[int]]:
    """docnum -> the gaps between the positions of `term` in `field` (see decode_gaps),
    for the documents of sorted `docs` only (every document with the term when `docs`
    is None).

    Blocks whose docnum range holds none of `docs` are skipped without being read.
    """
    out: dict[int, list[int]] = {}
    wanted = None if docs is None else set(docs)
    for offset, matcher in term_postings(state.reader, field, term)[1]:
        raw = getattr(matcher, "child", matcher)
        if not hasattr(raw, "_read_values") or not hasattr(raw, "_byteids"):  # the public walk
            while matcher.is_active():
                if wanted is None or matcher.id() + offset in wanted:
                    positions = list(matcher.value_as("positions"))
                    previous = [0, *positions[:-1]]
                    out[matcher.id() + offset] = [
                        b - a for a, b in zip(previous, positions, strict=True)
                    ]
                matcher.next()
            continue
        low = offset
        while raw.is_active():
            high = raw._maxid + offset
            if docs is None or holds_any(docs, low, high):
                ids = block_ids(raw)  # reads the whole block: ids, weights and positions
                raw._read_values()
                values = raw._values
                if wanted is None:
                    hits = [(d + offset, values[n]) for n, d in enumerate(ids)]
                else:
                    hits = [(d + offset, values[n]) for n, d in enumerate(ids)
                            if d + offset in wanted]  # fmt: skip
                if hits:
                    decoded = decode_gaps([v for _, v in hits])
                    out.update(zip([d for d, _ in hits], decoded, strict=True))
                if time.perf_counter() > deadline:
                    raise TimeLimit()
            low = high + 1
            raw._next_block()
    return out


def phrase_docs(state, words: list[str], deadline: float, tfs: dict | None = None) -> set[int]:
    """Documents with the exact phrase in title, maxim or body; `tfs`, when given, gets
    {(field, word): {docnum: frequency}} for the documents found in each field."""
    found: set[int] = set()
    for field in FIELD_BOOSTS:
        name = f"{field}_exact"
        found |= phrase_in(state, name, words, deadline, exclude=found,
                           tfs=None if tfs is None else tfs.setdefault(name, {}))  # fmt: skip
    return found


def phrase_in(
    state, name: str, words: list[str], deadline: float, within=None, exclude=(), tfs=None
) -> set[int]:
    """Documents (of sorted docnums `within`, when given) with the exact phrase in the
    exact field `name`; `tfs`, when given, gets {word: {docnum: frequency}} for them
    (read on the way, so scoring them reads no posting twice).

    Rarest word first: its documents are the candidates, with the places where the
    phrase could start in each. Each next word, rarest first, keeps the candidates
    where some start fits it too, reading only the posting blocks that hold them; so
    the most common words ("the", "and"), whose postings are the longest, are read
    last and only where the few documents left are. (Whoosh reads a block's ids,
    frequencies and positions in one go, so a test on ids alone costs about as much
    as this test on positions, and narrows less.) Positions are handled in C: gaps
    from one pickle call per block, summed into sets by itertools.
    """
    places: dict[str, list[int]] = {}  # word -> its places in the phrase
    for i, word in enumerate(words):
        places.setdefault(word, []).append(i)
    reader = state.reader
    df = {w: reader.doc_frequency(name, w) for w in places}
    if not all(df.values()):
        return set()
    starts: dict[int, set[int]] = {}
    candidates: list[int] | None = None if within is None else list(within)
    for n, word in enumerate(sorted(places, key=df.__getitem__)):
        where = gaps_in(state, name, word, candidates, deadline)
        kept = []
        for d in where if candidates is None else candidates:
            fits = starts.get(d) if n else None
            gaps = where.get(d)
            if not gaps:
                continue
            for i in places[word]:
                # The places where the phrase would start, summed in C from -i.
                here = set(islice(accumulate(gaps, initial=-i), 1, None))
                fits = here if fits is None else fits & here
            if fits and d not in exclude:
                starts[d] = fits
                kept.append(d)
        if tfs is not None:
            tfs[word] = {d: len(where[d]) for d in kept}
        candidates = sorted(kept)
        if not candidates:
            break
    found = set(candidates or ())
    if tfs is not None:
        for word, known in tfs.items():
            tfs[word] = {d: tf for d, tf in known.items() if d in found}
    return found


def unit_scores(state, unit, deadline: float, words_for_prefix: list[str] | None = None) -> dict:
    """{docnum: score} of one word, phrase or prefix unit (see search.query.Unit)."""
    acc: dict[int, float] = {}
    if unit.prefix:
        for word in words_for_prefix or []:
            for field, boost in FIELD_BOOSTS.items():
                add_term(state, f"{field}_exact", word, boost, acc, deadline)
    elif unit.phrase and len(unit.words) > 1:
        known: dict[str, dict[str, dict[int, int]]] = {}
        allowed = phrase_docs(state, unit.words, deadline, known)
        if allowed:
            # Scored by its telling words only, and only where the phrase is: a stop
            # word's long posting list would cost much and change little. Frequencies
            # read while finding the phrase are used as they are; the others (a word
            # in the body of a post whose title has the phrase) are looked up.
            content = [w for w in unit.words if w not in STOP_WORDS] or unit.words
            for word in dict.fromkeys(content):
                for field, boost in FIELD_BOOSTS.items():
                    name = f"{field}_exact"
                    have = known.get(name, {}).get(word, {})
                    add_tfs(state, name, word, boost * PHRASE_FACTOR, acc, have)
                    rest = allowed - have.keys()
                    if rest:
                        add_term(state, name, word, boost * PHRASE_FACTOR, acc, deadline,
                                 only=rest)  # fmt: skip
            for d in allowed:
                acc.setdefault(d, 0.0)
    elif unit.phrase or unit.words[0] in STOP_WORDS:
        for field, boost in FIELD_BOOSTS.items():
            add_term(state, f"{field}_exact", unit.words[0], boost, acc, deadline)
    else:
        stem = _STEM.stems[unit.words[0]]
        for field, boost in FIELD_BOOSTS.items():
            add_term(state, field, stem, boost, acc, deadline)
    live = state.deleted
    if live:
        acc = {d: s for d, s in acc.items() if d not in live}
    return acc
