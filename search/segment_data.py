"""What the query layer keeps of one Whoosh segment, computed once and kept beside it.

Takes a segment reader and the generation's folder (`segment_data`); gives a
`SegmentData`: the segment's words of the exact fields with their document counts, the
field lengths, the documents of each facet value, the days, the normalized titles and
maxims, the ids, and the stems of its words (so that a search needs no stemmer for
them), all by the segment's own document numbers and for every document it holds
(deleted ones too: which are deleted changes from one generation to the next, the
segment does not).

Why per segment: Whoosh never rewrites a segment, and a new generation starts with hard
links to the previous one's files. So the file written here, `MAIN_<segment>.rss`,
travels with its segment into every later generation (its name follows Whoosh's segment
pattern, so Whoosh deletes it with the segment), and a publish of 50 changed articles
computes only the small segment they went into: 0.1 s at 10k articles, where computing
the whole generation's warm-up took 5 s. `search.state` puts a generation's segments
together (offsets, deletions) into what a search uses.

Like Whoosh's own files the file is a pickle: the index folder must be writable only by
those trusted to run code as rocksearch.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from indexer.analysis import TextAnalyzer, stems_differing
from indexer.positions import field_lengths
from indexer.schema import FACETS
from indexer.stored_copies import whoosh_stored

SUFFIX = ".rss"
VERSION = 2
EXACT_FIELDS = ("title_exact", "body_exact", "maxim_exact")
LENGTH_FIELDS = ("title", "body", "maxim", "title_exact", "body_exact", "maxim_exact")

_EXACT = TextAnalyzer(stem=False)


@dataclass
class SegmentData:
    doc_count: int  # the segment's documents, deleted ones included
    words: dict[str, dict[str, int]]  # exact field -> word -> documents that have it
    lengths: dict[str, list[int]]  # field -> docnum -> length (Whoosh's rounded length)
    facets: dict[str, dict[str, int]]  # facet -> value -> bitmask of local docnums
    days: list[int]  # docnum -> YYYYMMDD (0: undated)
    titles: list[str]  # docnum -> normalized title
    maxims: dict[int, str]  # docnum -> normalized maxim, for documents with one
    ids: list[str]  # docnum -> article id
    # word -> Snowball stem, for the exact fields' words whose stem is not the word
    # itself; None in data kept before 2026-11-29 (`segment_data` adds it when keeping)
    stems: dict[str, str] | None = None


def _stems(words: dict[str, dict[str, int]]) -> dict[str, str]:
    """The stems of the words of every exact field that differ from the word."""
    return stems_differing(set().union(*words.values()))


def file_for(folder: str | Path, segment_id: str) -> Path:
    return Path(folder) / f"{segment_id}{SUFFIX}"


def compute(leaf) -> SegmentData:
    """Everything for segment reader `leaf`, read from its own files."""
    count = leaf.doc_count_all()
    words: dict[str, dict[str, int]] = {}
    for name in EXACT_FIELDS:
        if name in leaf.schema:
            words[name] = {
                (btext.decode("utf-8") if isinstance(btext, bytes) else btext):
                    info.doc_frequency()
                for btext, info in leaf.iter_field(name)
            }  # fmt: skip
    lengths = {name: field_lengths(leaf, name) for name in LENGTH_FIELDS if name in leaf.schema}
    facets: dict[str, dict[str, int]] = {}
    for name in FACETS:
        values = {}
        if name in leaf.schema:
            for btext in leaf.lexicon(name):
                mask = 0
                for d in leaf.postings(name, btext).all_ids():
                    mask |= 1 << d
                values[btext.decode("utf-8")] = mask
        facets[name] = values
    if "day" in leaf.schema and leaf.has_column("day"):
        column = leaf.column_reader("day")
        days = [column[d] or 0 for d in range(count)]
    else:
        days = [0] * count
    stored = whoosh_stored(leaf)
    titles: list[str] = []
    maxims: dict[int, str] = {}
    ids: list[str] = []
    for d in range(count):
        fields = stored(d)
        titles.append(" ".join(_EXACT.words(fields.get("title") or "")))
        if fields.get("maxim"):
            maxims[d] = " ".join(_EXACT.words(fields["maxim"]))
        ids.append(fields.get("id", ""))
    return SegmentData(count, words, lengths, facets, days, titles, maxims, ids, _stems(words))


def load(folder: str | Path, segment_id: str) -> SegmentData | None:
    """The kept data of a segment, or None if there is none (or it is unreadable)."""
    try:
        data = pickle.loads(file_for(folder, segment_id).read_bytes())
    except (OSError, EOFError, ValueError, AttributeError, ImportError, pickle.PickleError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    return data["data"]


def save(folder: str | Path, segment_id: str, data: SegmentData) -> None:
    """Keep `data` beside its segment (a temporary name, then a rename)."""
    path = file_for(folder, segment_id)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        pickle.dump({"version": VERSION, "data": data}, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def segment_data(leaf, folder: str | Path, keep: bool = False) -> SegmentData:
    """The data of segment reader `leaf`: kept from an earlier generation when there,
    computed otherwise (and kept, with `keep`: the indexer's, before it publishes)."""
    segment = leaf.segment()
    if segment is None:
        return compute(leaf)
    found = load(folder, segment.segment_id())
    if found is not None and found.doc_count == leaf.doc_count_all():
        if found.stems is None and keep:  # kept by an older version
            found.stems = _stems(found.words)
            save(folder, segment.segment_id(), found)
        return found
    found = compute(leaf)
    if keep:
        save(folder, segment.segment_id(), found)
    return found
