"""Segment files are read in place from the memory map (indexer/mapped_files.py): these
tests pin the Whoosh internals it relies on, so an upgrade that moves them fails here."""

from __future__ import annotations

import io
import pickle
import struct

import whoosh.filedb.compound as compound
from whoosh.filedb.structfile import BufferFile

from indexer.mapped_files import MappedFile, install
from indexer.store import open_current
from search.engine import search
from search.state import IndexState
from tests.conftest import ARTICLES, index_of


def test_opening_an_index_maps_its_segment_files_without_a_copy(tmp_path):
    index = index_of(tmp_path, ARTICLES)
    state = IndexState(open_current(index))
    [(leaf, _)] = state.reader.leaf_readers()
    postings = leaf._terms._postfile  # the W3 codec's postings file, opened on load
    assert compound.BufferFile is MappedFile
    assert isinstance(postings, MappedFile)
    assert not isinstance(postings.file, io.BytesIO)  # Whoosh's own copied the bytes
    assert isinstance(postings._buf, memoryview)  # a view of the compound file's map


def test_a_mapped_file_reads_as_whooshs_buffer_file_does():
    data = (struct.pack("!i", 1234) + b"two\nlines\n" + pickle.dumps({"a": [1, 2]}, 2)
            + b"tail")  # fmt: skip
    ours, theirs = MappedFile(memoryview(data)), BufferFile(memoryview(data))
    for f in (ours, theirs):
        f.seek(0)
    assert ours.read_int() == theirs.read_int() == 1234
    assert ours.tell() == theirs.tell() == 4
    assert ours.file.readline() == theirs.file.readline() == b"two\n"
    assert ours.file.readline() == theirs.file.readline() == b"lines\n"
    assert ours.read_pickle() == theirs.read_pickle() == {"a": [1, 2]}
    assert ours.read() == theirs.read() == b"tail"
    assert ours.read(5) == theirs.read(5) == b""  # at the end, as a file
    ours.seek(-4, 2)
    assert ours.read(2) == b"ta"
    ours.seek(-2, 1)
    assert ours.read() == b"tail"
    assert ours.get(4, 3) == b"two"


def test_searches_answer_the_same_from_mapped_files(tmp_path, monkeypatch):
    index = index_of(tmp_path, ARTICLES)
    queries = ["cash", "customer service", '"write this on a rock"', "custmer"]
    mapped = [search(IndexState(open_current(index)), q).to_dict() for q in queries]
    monkeypatch.setattr(compound, "BufferFile", BufferFile)  # Whoosh's own, copying
    copied = [search(IndexState(open_current(index)), q).to_dict() for q in queries]
    for a, b in zip(mapped, copied, strict=True):
        a.pop("took_ms"), b.pop("took_ms")
    assert mapped == copied
    assert any(r["total"] for r in mapped)
    install()
    assert compound.BufferFile is MappedFile
