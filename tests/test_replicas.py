"""Read replicas: one machine builds, another serves finished generations. Two real
servers, one on the index and one on a copy kept by `rocksearch replicate`."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from editorial import pins
from editorial.db import connect
from indexer.build import build_index
from tests.conftest import ROOT, write_jsonl
from tests.servers import running_server
from tests.test_search import ARTICLES

pytestmark = pytest.mark.slow


def ask(base: str, q: str) -> dict:
    url = f"{base}/api/search?{urllib.parse.urlencode({'q': q})}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def replicate(cli_command, source, destination) -> str:
    done = subprocess.run([*cli_command, "--index", str(source), "replicate", str(destination)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_replica_serves_what_the_primary_built(tmp_path, cli_command):
    primary, replica = tmp_path / "primary" / "index", tmp_path / "replica" / "index"
    posts = [dict(a) for a in ARTICLES]
    write_jsonl(tmp_path / "a.jsonl", posts)
    build_index(tmp_path / "a.jsonl", primary)
    conn = connect(primary / "editorial.sqlite3")
    pins.set_pins(conn, "customers", ["franchise"], [])
    conn.close()
    first = replicate(cli_command, primary, replica)
    assert first.strip().endswith("serves gen-000001 (1 pins copied)")
    assert (replica / "CURRENT").read_text().strip() == "gen-000001"

    with running_server(primary) as a, running_server(replica) as b:
        for q in ("customers", "custmer servise", '"write this on a rock"', "cash flow"):
            left, right = ask(a, q), ask(b, q)
            assert [h["id"] for h in left["hits"]] == [h["id"] for h in right["hits"]], q
            assert left["total"] == right["total"]
        assert ask(b, "customers")["hits"][0]["id"] == "franchise"  # the pin went along

        posts[2]["body"] += " A zeppelin of receivables."
        write_jsonl(tmp_path / "a.jsonl", posts)
        build_index(tmp_path / "a.jsonl", primary)
        old = {p.name: p.stat().st_ino for p in (replica / "gen-000001").iterdir()}
        assert "gen-000002" in replicate(cli_command, primary, replica)
        new = replica / "gen-000002"
        linked = [p.name for p in new.iterdir() if old.get(p.name) == p.stat().st_ino]
        assert any(name.endswith(".seg") for name in linked)  # unchanged segments: links
        for base in (b, a):  # each server switches over once it has warmed the new one
            deadline = time.monotonic() + 30
            while ask(base, "zeppelin")["total"] == 0:
                assert time.monotonic() < deadline, f"{base} never served the new generation"
                time.sleep(0.2)
            assert [h["id"] for h in ask(base, "zeppelin")["hits"]] == ["cash"]
    again = replicate(cli_command, primary, replica)  # nothing new: nothing copied
    assert "serves gen-000002" in again
    assert sorted(p.name for p in replica.iterdir() if p.name.startswith(("gen-", ".inc"))) == [
        "gen-000001", "gen-000002"]  # fmt: skip


def test_replicating_onto_itself_is_refused(tmp_path, cli_command):
    write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    build_index(tmp_path / "a.jsonl", tmp_path / "index")
    index = str(tmp_path / "index")
    done = subprocess.run([*cli_command, "--index", index, "replicate", index],
                          cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("rocksearch: the destination is the source index itself")


def test_a_destination_inside_the_source_or_a_file_is_refused(tmp_path):
    """A replica inside the source index is refused: into a generation's folder it wrote a
    CURRENT and a copy of the generation into a folder that must never change. A file
    as the destination is one sentence, not a traceback (FileExistsError)."""
    from indexer.replicate import ReplicaError, replicate

    write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    summary = build_index(tmp_path / "a.jsonl", tmp_path / "index")
    generation = tmp_path / "index" / summary.generation
    before = sorted(p.name for p in generation.iterdir())
    for inside in (generation, tmp_path / "index" / "replica"):
        with pytest.raises(ReplicaError, match="is inside the source index"):
            replicate(tmp_path / "index", inside)
    assert sorted(p.name for p in generation.iterdir()) == before
    assert not (tmp_path / "index" / "replica").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(ReplicaError, match="is a file, not a folder"):
        replicate(tmp_path / "index", tmp_path / "file")
    with pytest.raises(ReplicaError, match="cannot be made"):
        replicate(tmp_path / "index", tmp_path / "file" / "under")


def test_a_file_of_the_same_name_and_size_but_new_content_is_copied_not_linked(tmp_path):
    """A generation's own files keep their names from one generation to the next; one
    whose size did not change must still be copied when its content did."""
    from indexer.replicate import replicate as copy_to
    from indexer.store import open_current
    from search.prepare import prepare_generation

    primary, replica = tmp_path / "primary", tmp_path / "replica"
    write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    build_index(tmp_path / "a.jsonl", primary, before_publish=prepare_generation)
    copy_to(primary, replica)
    old = (open_current(replica).path / "duplicates.json").read_bytes()
    write_jsonl(tmp_path / "a.jsonl", [*ARTICLES, {"id": "new", "title": "New", "body": "Cash."}])
    build_index(tmp_path / "a.jsonl", primary, before_publish=prepare_generation)
    changed = open_current(primary).path / "duplicates.json"
    changed.write_bytes(old[::-1])  # another content of the same size
    assert len(changed.read_bytes()) == len(old) and changed.read_bytes() != old
    copy_to(primary, replica)
    assert (open_current(replica).path / "duplicates.json").read_bytes() == changed.read_bytes()


def test_a_replica_takes_the_duplicate_groups_from_the_warm_up_cache(tmp_path, monkeypatch):
    from indexer.replicate import replicate as copy_to
    from indexer.store import open_current
    from search import duplicate_store
    from search.prepare import prepare_generation
    from search.state import IndexState

    posts = [*ARTICLES, {**ARTICLES[0], "id": "copy", "title": ARTICLES[0]["title"] + " (copy)"}]
    write_jsonl(tmp_path / "a.jsonl", posts)
    build_index(tmp_path / "a.jsonl", tmp_path / "primary", before_publish=prepare_generation)
    copy_to(tmp_path / "primary", tmp_path / "replica")

    def not_read(*args, **kwargs):
        raise AssertionError("duplicates.json was read: the warm-up cache's groups were not used")

    monkeypatch.setattr(duplicate_store, "load_duplicates", not_read)
    state = IndexState(open_current(tmp_path / "replica")).warm()
    assert any(len(d) > 1 for d in state.groups["docnums"])
