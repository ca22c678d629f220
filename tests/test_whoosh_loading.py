"""Whoosh imported without `urllib.request` and the `cached_property` package
(indexer/whoosh_loading.py): pinned, so a Whoosh upgrade that uses them otherwise
fails here."""

from __future__ import annotations

from tests.conftest import index_of, run_fresh


def test_a_fresh_process_imports_neither_module_nor_asyncio():
    """The CLI's and the library's first imports (what a cold search, an update and a
    server worker load before answering) leave out what only Whoosh's shims needed:
    `urllib.request` (http.client, email: 36 ms) and `cached_property` (asyncio: 27 ms)."""
    for first in ("rocksearch_cli", "search.engine", "indexer.build"):
        out = run_fresh(f"""
            import sys
            import {first}
            import whoosh.reading, whoosh.compat
            print(sorted(m for m in ("urllib.request", "cached_property", "asyncio")
                         if m in sys.modules))
        """)
        assert out.strip() == "[]", first


def test_the_real_modules_are_there_for_whoever_imports_them_later(tmp_path):
    """The stand-ins leave sys.modules once Whoosh is imported: a later import gets the
    real modules; Whoosh's `urlretrieve` fetches (a local file: no network) through the
    real one."""
    source = tmp_path / "source.txt"
    source.write_text("fetched")
    out = run_fresh(f"""
        import indexer, whoosh.compat
        import urllib.request, cached_property
        assert hasattr(urllib.request, "Request")
        assert hasattr(cached_property, "threaded_cached_property")
        import urllib
        assert urllib.request is __import__("sys").modules["urllib.request"]
        whoosh.compat.urlretrieve({source.as_uri()!r}, {str(tmp_path / "copy.txt")!r})
        print(open({str(tmp_path / "copy.txt")!r}).read())
    """)
    assert out.strip() == "fetched"


def test_a_segment_reader_keeps_its_deleted_documents_as_whoosh_does(tmp_path):
    """Whoosh's one cached_property (a segment reader's deleted documents) works with
    functools' in its place: computed once, kept on the reader."""
    index = index_of(tmp_path, [{"id": "a", "title": "A", "body": "One."},
                                {"id": "b", "title": "B", "body": "Two."}])  # fmt: skip
    generation = next(index.glob("gen-*"))
    out = run_fresh(f"""
        import functools
        import indexer, whoosh.index, whoosh.reading
        assert whoosh.reading.cached_property is functools.cached_property
        with whoosh.index.open_dir({str(generation)!r}).reader() as reader:
            for segment, _ in reader.leaf_readers():
                deleted = segment.deleted_docs_set
                assert segment.deleted_docs_set is deleted
                print(sorted(deleted), reader.doc_count())
    """)
    assert out.split("\n")[0] == "[] 2"
