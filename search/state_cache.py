"""The warm-up cache of a generation on disk: a base, and a layer naming it.

Takes a generation's folder and what `search.state.IndexState` computed for it; gives
it back to a later process. Two files, each a few pickles (the stamp first, so that a
reader checks it without reading the rest):

- `state.base`: the stamp (this module's version, the generation it was made in), the
  head (`SEGMENTS`: the segment id and document count of each segment it was made of;
  `DOCUMENTS`: their sum), then the data (`CACHED` of search/state.py but the groups);
- `state.cache`: the stamp (this generation's name), then the layer (the name of the
  generation whose base it builds on, and this generation's segments), then the
  duplicate groups (their file's identity, and the groups as `KeptGroups`).

Why a base: the data of 100k posts is 33 MB, and an update of one post changes a few of
its entries. Written whole in every generation it took 0.13 s of a one-post update at
100k, and reading it back to carry it forward 0.06 s more. A new generation starts with
hard links to the previous one's files, so the base travels forward unwritten. The
indexer reads only the base's head and the data of the segments after it (kept beside
each segment: search/segment_data.py), and writes the layer and the groups; each reader
carries the base forward over those segments when it loads (search/state_patch.py).
The indexer writes a new base when Whoosh merged away a segment of the base's, or when
the segments after it hold over `LAYER_SHARE` of the documents.

Like Whoosh's own files these are pickles: the index folder must be writable only by
those trusted to run code as rocksearch.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

CACHE_FILE = "state.cache"
BASE_FILE = "state.base"
VERSION = 14  # 12: the whole data in state.cache; 13: a base and a layer; 14: words once
SEGMENTS = "segments"  # (segment id, documents) of each segment, in order
DOCUMENTS = "documents"  # in a base's head: the documents of its segments
BASE = "base"  # in a layer: the generation whose base it builds on
# A new base once the documents in segments after it exceed this share of all.
LAYER_SHARE = 0.1

_UNREADABLE = (OSError, EOFError, ValueError, AttributeError, ImportError, IndexError,
               pickle.PickleError)  # fmt: skip


def _stamp(generation: str) -> dict:
    return {"version": VERSION, "generation": generation}


def _write(path: Path, *pickles) -> None:
    """Pickles written one after another to a temporary name, then renamed over `path`
    (which may be a hard link to an earlier generation's file: that one is untouched)."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        for item in pickles:
            pickle.dump(item, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def write_base(folder: Path, generation: str, segments: list | None, data: dict) -> None:
    """Keep `data`, the data of these `segments`, as the base made in `generation`."""
    documents = sum(n for _, n in segments or ())
    _write(folder / BASE_FILE, _stamp(generation), {SEGMENTS: segments, DOCUMENTS: documents},
           data)  # fmt: skip


def write_layer(folder: Path, generation: str, base: str, segments: list | None,
                groups) -> None:  # fmt: skip
    """Keep the layer of `generation`: built on the base made in generation `base`,
    with these `segments`, and its duplicate `groups`."""
    _write(folder / CACHE_FILE, _stamp(generation), {BASE: base, SEGMENTS: segments}, groups)


def _read(path: Path, accept, more: int) -> list | None:
    """The stamp of file `path` and the `more` pickles after it, if `accept(stamp)`;
    None if the file is missing or torn, or its stamp is not accepted."""
    try:
        with open(path, "rb") as f:
            stamp = pickle.load(f)
            if not accept(stamp):
                return None
            return [stamp, *(pickle.load(f) for _ in range(more))]
    except _UNREADABLE:
        return None


def read_layer(folder: Path, generation: str, groups: bool = True) -> tuple[dict, object] | None:
    """(layer, groups) of `generation`'s own cache (groups None unless asked for); None
    if it is missing, torn, of another version, or another generation's (the hard link
    a new generation starts with, before the indexer writes its own)."""
    found = _read(folder / CACHE_FILE, lambda stamp: stamp == _stamp(generation), 1 + groups)
    if found is None or not isinstance(found[1], dict) or not isinstance(found[1].get(BASE), str):
        return None
    return found[1], found[2] if groups else None


def read_base(
    folder: Path, generation: str | None, whole: bool = True
) -> tuple[str, dict, dict | None] | None:
    """(the generation it was made in, its head, its data) of the base in `folder`, if
    it is this version's and, when `generation` is given, made in that one; with `whole`
    false the data is not read (None). None if missing, torn or not as asked."""

    def accept(stamp) -> bool:
        made = stamp.get("generation") if isinstance(stamp, dict) else None
        return (isinstance(made, str) and stamp.get("version") == VERSION
                and generation in (None, made))  # fmt: skip

    found = _read(folder / BASE_FILE, accept, 1 + whole)
    if found is None or not isinstance(found[1], dict):
        return None
    head, data = found[1], found[2] if whole else None
    if not isinstance(head.get(SEGMENTS), list) or whole and not isinstance(data, dict):
        return None
    return found[0]["generation"], head, data
