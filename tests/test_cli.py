"""The rocksearch command line, run as a user runs it (a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import CORPUS, ROOT


def run(cli_command, *args, env=None):
    return subprocess.run(
        [*cli_command, *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120
    )


def test_index_prints_a_summary_and_json(cli_command, corpus_dir, index_dir):
    result = run(cli_command, "--index", str(index_dir), "index", "--corpus", str(corpus_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("3 added, 0 updated, 0 unchanged, 0 deleted, 0 errors in ")
    result = run(
        cli_command, "--index", str(index_dir), "index", "--corpus", str(corpus_dir), "--json"
    )
    summary = json.loads(result.stdout)
    assert (summary["added"], summary["unchanged"], summary["errors"]) == (0, 3, 0)


def test_index_with_nothing_changed_writes_a_warm_up_cache_this_version_reads(
    cli_command, corpus_dir, index_dir
):
    """An index an older version built (its warm-up cache of another version) gets the
    cache again from a `rocksearch index` that finds nothing changed; else every cold
    search computes the state (2.5 s at 100k articles)."""
    import pickle

    from indexer.store import open_current
    from search.state import STATE_CACHE, IndexState

    assert (
        run(cli_command, "--index", str(index_dir), "index", "--corpus", str(corpus_dir)).returncode
        == 0
    )
    generation = open_current(index_dir)
    cache = generation.path / STATE_CACHE
    data = pickle.loads(cache.read_bytes())
    cache.write_bytes(pickle.dumps(dict(data, version=data["version"] - 1)))
    assert not IndexState(generation).load_cache()
    result = run(cli_command, "--index", str(index_dir), "index", "--corpus", str(corpus_dir))
    assert result.returncode == 0 and " 3 unchanged" in result.stdout, result.stderr
    assert open_current(index_dir).path == generation.path  # nothing published
    assert IndexState(open_current(index_dir)).load_cache()


def test_index_reports_bad_files_and_exits_1(cli_command, corpus_dir, index_dir):
    (corpus_dir / "bad.jsonl").write_text('{"title": "x"}\nnot json\n', encoding="utf-8")
    result = run(cli_command, "--index", str(index_dir), "index", "--corpus", str(corpus_dir))
    assert result.returncode == 1
    assert "bad.jsonl:1: has no body; article skipped" in result.stderr
    assert "bad.jsonl:2: is not valid JSON" in result.stderr
    assert "3 added" in result.stdout


def test_export_writes_every_article_of_the_pages(cli_command):
    result = run(cli_command, "export", "--corpus", str(CORPUS))
    assert result.returncode == 0, result.stderr
    articles = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(articles) == 35
    first = articles[0]
    assert set(first) == {"id", "title", "date", "author", "categories", "tags", "body",
                          "maxim", "kind", "excerpt", "url", "source"}  # fmt: skip
    assert first["source"] == {"file": "000_48a949337a022983.txt", "line": 33}


def test_a_spreadsheet_of_posts_is_indexed_and_searched(cli_command, index_dir, tmp_path):
    """A blog kept as a table (Webflow's CSV of its CMS collection): `rocksearch index`
    reads its posts, says which row is not one, and the search finds them by their words,
    categories and maxims."""
    import csv

    corpus = tmp_path / "blog"
    corpus.mkdir()
    with open(corpus / "Blog Posts.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([
            ["Name", "Slug", "Draft", "Published On", "Post Body", "Category"],
            ["Price is a promise", "price", "false", "Mar 10 2023",
             "<p>Customers remember what you charged.</p><p>Write this on a rock … "
             "Never compete on price alone.</p>", "Pricing"],
            ["Hiring slowly", "hiring", "true", "", "<p>A draft about hiring.</p>", ""],
            ["", "", "false", "", "", ""],
        ])  # fmt: skip
    result = run(cli_command, "--index", str(index_dir), "index", "--corpus", str(corpus))
    assert result.returncode == 1  # (a row that is no post)
    assert result.stdout.startswith("1 added, ")
    assert result.stderr == "Blog Posts.csv:4: a post with no title and no text; skipped\n"
    found = run(cli_command, "--index", str(index_dir), "search", "charged", "--json")
    hits = json.loads(found.stdout)["hits"]
    assert [(h["title"], h["date"], h["categories"]) for h in hits] == [
        ("Price is a promise", "2023-03-10", ["Pricing"])]  # fmt: skip
    maxims = run(cli_command, "--index", str(index_dir), "search", "write this on a rock price",
                 "--json")  # fmt: skip
    assert json.loads(maxims.stdout)["hits"][0]["maxim"] == "Never compete on price alone."
    assert json.loads(run(cli_command, "--index", str(index_dir), "search", "hiring",
                          "--json").stdout)["total"] == 0  # fmt: skip


def test_missing_corpus_and_missing_index_are_sentences(cli_command, index_dir, tmp_path):
    result = run(cli_command, "--index", str(index_dir), "index", "--corpus", str(tmp_path / "x"))
    assert result.returncode == 2
    assert result.stderr.startswith("rocksearch: The corpus ") and "Traceback" not in result.stderr
    result = run(cli_command, "--index", str(index_dir), "search", "customers")
    assert result.returncode == 2
    assert "There is no index at" in result.stderr and "rocksearch index" in result.stderr
    # An empty corpus folder (the wrong --corpus, most likely) is indexed, and said.
    (tmp_path / "empty").mkdir()
    result = run(cli_command, "--index", str(index_dir), "index", "--corpus",
                 str(tmp_path / "empty"))  # fmt: skip
    assert result.returncode == 0
    assert result.stderr == (f"The corpus {tmp_path / 'empty'} holds no articles: nothing in "
                             "it is a file rocksearch reads.\n")  # fmt: skip
    # An index path that is a file (or under one): a sentence, not NotADirectoryError.
    (tmp_path / "a-file").write_text("x")
    for index in (tmp_path / "a-file", tmp_path / "a-file" / "below"):
        for args in (["search", "customers"], ["index", "--corpus", str(CORPUS)]):
            result = run(cli_command, "--index", str(index), *args)
            assert result.returncode == 2, result.stderr
            assert result.stderr == (f"rocksearch: The index {index} cannot be a folder: it, "
                                     "or a folder above it, is a file. Pass --index with a "
                                     "folder (or set ROCKSEARCH_INDEX).\n")  # fmt: skip


def test_serve_on_a_port_in_use_or_a_host_not_here_is_one_sentence(
    cli_command, corpus_dir, index_dir
):
    """Where the server cannot listen it says so at once, in one sentence with what to do,
    and exits 2; gunicorn would retry five times over five seconds, two log lines each,
    after "serving … at http://…" had been printed."""
    import socket
    import time

    run(cli_command, "--index", str(index_dir), "index", "--corpus", str(corpus_dir))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = run(cli_command, "--index", str(index_dir), "serve", "--port", str(port))
        assert time.monotonic() - started < 4  # (not gunicorn's five tries)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"rocksearch: 127.0.0.1:{port} is in use (another `rocksearch "
                             "serve`?): stop it, or serve on another port with --port or "
                             "ROCKSEARCH_PORT.\n")  # fmt: skip
    args = ["serve", "--host", "192.0.2.1", "--port", str(port)]  # (a documentation address)
    result = run(cli_command, "--index", str(index_dir), *args)
    assert result.returncode == 2 and result.stderr.startswith(
        f"rocksearch: cannot listen on 192.0.2.1:{port}: 192.0.2.1 is not an address of this"
    ), result.stderr


def test_a_setting_out_of_range_is_one_sentence(cli_command, corpus_dir, index_dir):
    """A number set outside what works is refused, naming the variable or the option and
    the range, exit 2: a time limit of -1 stopped every search at once ("the query took
    too long"), nan or inf let a query hold a worker, --workers 0 served nothing."""
    import os

    from search.settings import SettingError, load_settings

    run(cli_command, "--index", str(index_dir), "index", "--corpus", str(corpus_dir))
    for value in ("-1", "nan", "inf", "0"):
        env = {**os.environ, "ROCKSEARCH_TIME_LIMIT": value}
        result = run(cli_command, "--index", str(index_dir), "search", "cash", env=env)
        assert result.returncode == 2, value
        said = f"rocksearch: ROCKSEARCH_TIME_LIMIT={value!r} is out of range: it must be from"
        assert result.stderr.startswith(said + " 0.01 to 30 ("), result.stderr
    env = {**os.environ, "ROCKSEARCH_TIME_LIMIT": "2"}
    assert run(cli_command, "--index", str(index_dir), "search", "cash", env=env).returncode == 0
    # (a page of 0 results asked for is refused as the API refuses it, not read as 10)
    result = run(cli_command, "--index", str(index_dir), "search", "cash", "--per-page", "0")
    assert (result.returncode, result.stderr) == (
        2, "rocksearch: per_page must be between 1 and 100\n")  # fmt: skip
    result = run(cli_command, "--index", str(index_dir), "serve", "--workers", "0")
    assert result.returncode == 2
    said = "rocksearch: --workers 0 is out of range: it must be at least 1"
    assert result.stderr.startswith(said), result.stderr
    for environ in ({"ROCKSEARCH_PORT": "65536"}, {"ROCKSEARCH_PER_PAGE": "0"},
                    {"ROCKSEARCH_MAX_PER_PAGE": "5"}, {"ROCKSEARCH_ANALYTICS_DAYS": "0"},
                    {"ROCKSEARCH_PROXIES": "-1"}):  # fmt: skip
        with pytest.raises(SettingError, match="ROCKSEARCH_"):
            load_settings(environ)
    edges = {"ROCKSEARCH_PORT": "65535", "ROCKSEARCH_PROXIES": "0",
             "ROCKSEARCH_ANALYTICS": "off", "ROCKSEARCH_TIME_LIMIT": "0.01"}  # fmt: skip
    kept = load_settings(edges)
    assert (kept["port"], kept["proxies"], kept["analytics"], kept["time_limit"]) == (
        65535, 0, False, 0.01)  # fmt: skip


@pytest.mark.parametrize(
    ("option", "said"),
    [("--delay -1", "-1 is less than 0"), ("--delay inf", "inf is not a finite number"),
     ("--concurrency 0", "0 is less than 1"), ("--max-pages 0", "0 is less than 1"),
     ("--timeout 0", "0 must be more than 0"), ("--max-mb nan", "nan is not a finite number")],
)  # fmt: skip
def test_crawl_options_out_of_range_are_refused_before_any_request(cli_command, tmp_path,
                                                                   option, said):  # fmt: skip
    """A crawl option that cannot work is refused by name before any request is sent (a
    --delay of -1 sent requests at once, a --timeout of 0 failed every request as
    "Operation now in progress"): exit 2. The address is nobody's; nothing is fetched."""
    name, value = option.split()
    result = run(cli_command, "crawl", "http://127.0.0.1:9/", "--corpus", str(tmp_path / "c"),
                 name, value)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"rocksearch crawl: error: argument {name}: {said}"
    assert not (tmp_path / "c").exists()


def test_search_finds_what_was_indexed(cli_command, corpus_dir, index_dir):
    run(cli_command, "--index", str(index_dir), "index", "--corpus", str(corpus_dir))
    result = run(cli_command, "--index", str(index_dir), "search", "--json", "cash", "flow")
    data = json.loads(result.stdout)
    assert data["hits"][0]["id"] == "cash-2"


def test_search_reads_dash_words_as_exclusions_and_takes_options_anywhere(
    cli_command, corpus_dir, index_dir
):
    run(cli_command, "index", "--corpus", str(corpus_dir), "--index", str(index_dir))
    result = run(cli_command, "search", "-net", "--index", str(index_dir), "business", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["parsed"] == "business AND NOT net"
    assert {h["id"] for h in data["hits"]} == {"rock-1", "cash-2"}


def test_search_without_words_or_filters_says_what_to_give(cli_command, corpus_dir, index_dir):
    run(cli_command, "--index", str(index_dir), "index", "--corpus", str(corpus_dir))
    result = run(cli_command, "--index", str(index_dir), "search")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: rocksearch search")
    assert "give words to search for" in result.stderr
    missing = run(cli_command, "--index", "no-such-index", "search", "cash")
    assert f"There is no index at {ROOT / 'no-such-index'}" in missing.stderr


def test_search_names_collapsed_copies_and_all_lists_them(cli_command, index_dir):
    run(cli_command, "index", "--corpus", str(CORPUS), "--index", str(index_dir))
    shown = run(cli_command, "--index", str(index_dir), "search", "celebrate", "customers")
    assert shown.returncode == 0, shown.stderr
    assert "1 of them are other versions of a post shown, not listed; --all lists" in shown.stdout
    title = "**Celebrate** your **customers** this week\n"  # marked, as in a pipe
    assert shown.stdout.count(title) == 1
    assert "  also: Celebrate your customers this week [" in shown.stdout
    every = run(cli_command, "--index", str(index_dir), "search", "celebrate", "customers", "--all")
    assert every.stdout.count(title) == 2


def test_output_cut_short_by_a_pipe_is_not_an_error(cli_command, tmp_path):
    """`rocksearch export | head -1`: the reader stops early; rocksearch exits 0 quietly."""
    import os

    read, write = os.pipe()
    proc = subprocess.Popen([*cli_command, "export", "--corpus", str(CORPUS)], cwd=ROOT,
                            stdout=write, stderr=subprocess.PIPE)  # fmt: skip
    os.close(write)
    with os.fdopen(read, "rb") as reader:
        first = reader.readline()  # then the pipe is closed, long before the end
    assert json.loads(first)["title"]
    assert proc.wait(timeout=120) == 0
    with proc.stderr:
        assert b"Traceback" not in proc.stderr.read()


def test_index_watch_says_a_run_refused_for_a_file_being_written_is_made_again(monkeypatch, capsys):
    """Under `--watch`, a run that finds a corpus file changed while it was read (being
    written) publishes nothing and says the watching indexes it again once it holds
    still; not "run `rocksearch index` again", the advice for a single run."""
    import rocksearch_cli
    from indexer.store import CorpusChanged

    def refused(args, settings):
        raise CorpusChanged("corpus/posts.jsonl")

    monkeypatch.setattr(rocksearch_cli, "index_once", refused)
    assert rocksearch_cli._index_watched(None, {}) == 2
    said = capsys.readouterr().err
    assert "corpus/posts.jsonl changed while it was read" in said
    assert "indexing it again once it holds still" in said and "run `rocksearch" not in said


def test_index_watch_waits_for_a_corpus_that_went_away(monkeypatch, capsys):
    """A corpus folder that goes away under `--watch` (a deployment replacing it) stopped
    the watching; it now says so and watches for it to come back. Missing from the start,
    it is still an error (most likely a wrong --corpus)."""
    import rocksearch_cli
    from indexer.sources import CorpusNotFound

    def gone(args, settings):
        raise CorpusNotFound("The corpus /srv/blog does not exist: pass --corpus …")

    monkeypatch.setattr(rocksearch_cli, "index_once", gone)
    assert rocksearch_cli._index_watched(None, {}, watching=True) == 2
    said = capsys.readouterr().err
    assert "/srv/blog does not exist" in said and "watching for the corpus to come back" in said
    with pytest.raises(CorpusNotFound):
        rocksearch_cli._index_watched(None, {})


def test_index_watch_publishes_each_change_until_stopped(cli_command, corpus_dir, index_dir):
    """`rocksearch index --watch`: one summary line per change of the corpus; a search
    finds the change; SIGINT stops it between runs, with the index as published."""
    import signal

    from search.engine import search
    from search.state import get_state
    from tests.conftest import ARTICLES, write_jsonl

    proc = subprocess.Popen(
        [*cli_command, "--index", str(index_dir), "index", "--corpus", str(corpus_dir),
         "--json", "--watch"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        first = json.loads(proc.stdout.readline())
        assert first["added"] == 3
        edited = [dict(a) for a in ARTICLES]
        edited[1]["body"] += " Receivables are a promise, deposits are cash."
        write_jsonl(corpus_dir / "articles.jsonl", edited)
        second = json.loads(proc.stdout.readline())
        assert (second["updated"], second["unchanged"]) == (1, 2)
        found = search(get_state(index_dir, wait=True), "deposits")
        assert [h["id"] for h in found.hits] == ["cash-2"]
        write_jsonl(corpus_dir / "articles.jsonl", edited[:2])
        third = json.loads(proc.stdout.readline())
        assert third["deleted"] == 1
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert proc.returncode in (0, 130)
    assert search(get_state(index_dir, wait=True), "networking").total == 0
    proc.stdout.close()
    proc.stderr.close()


def test_index_watch_publishes_a_scheduled_post_when_its_day_begins(tmp_path, monkeypatch):
    """A Markdown post dated later is left out until its day (Hugo and Jekyll publish it
    then). Under `--watch` it came only with the next change of some file, days later
    maybe; the watcher now indexes again when each day begins."""
    import threading
    import time

    import indexer.importers.markdown as markdown
    import rocksearch_cli
    from indexer import watch
    from indexer.build import STOP
    from search.engine import search
    from search.state import get_state

    corpus, index = tmp_path / "content", tmp_path / "index"
    corpus.mkdir()
    (corpus / "now.md").write_text("---\ntitle: Out now\ndate: 2026-01-05\n---\nPublished.\n")
    (corpus / "soon.md").write_text("---\ntitle: Coming soon\ndate: 2026-03-01\n---\nNews.\n")
    day = ["2026-02-28"]
    monkeypatch.setattr(markdown, "today", lambda: day[0])
    monkeypatch.setattr(watch, "next_day", lambda: time.time() + 0.5)  # (a day in 0.5 s)
    watching = threading.Thread(target=rocksearch_cli.main, args=(
        ["--index", str(index), "index", "--corpus", str(corpus), "--watch"],))  # fmt: skip
    watching.start()
    try:
        deadline = time.monotonic() + 60
        while not (index / "CURRENT").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert search(get_state(index, wait=True), "news").total == 0
        day[0] = "2026-03-01"  # (the day begins: no file changes)
        while time.monotonic() < deadline:
            if search(get_state(index, wait=True), "news").total == 1:
                break
            time.sleep(0.1)
        assert [h["title"] for h in search(get_state(index, wait=True), "news").hits] == [
            "Coming soon"
        ]
    finally:
        STOP.set()
        watching.join(timeout=30)
        STOP.clear()
    assert not watching.is_alive()


def test_index_watch_says_a_refused_write_and_tries_again_soon(tmp_path, monkeypatch, capsys):
    """A full disk under `--watch` stopped the watching (the exception ended it): it now
    says so, and tries again after RETRY_SECONDS (space is often freed by something else)
    though no file changed."""
    import errno
    import threading
    import time

    import indexer.build as build
    import rocksearch_cli
    from indexer.build import STOP
    from search.engine import search
    from search.state import get_state
    from tests.conftest import ARTICLES, write_jsonl

    corpus, index = tmp_path / "articles.jsonl", tmp_path / "index"
    write_jsonl(corpus, ARTICLES)
    full = [True]
    real = build._build_index

    def refused_while_full(*args):
        if full[0]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args)

    monkeypatch.setattr(build, "_build_index", refused_while_full)
    monkeypatch.setattr(rocksearch_cli, "RETRY_SECONDS", 0.3)
    watching = threading.Thread(target=rocksearch_cli.main, args=(
        ["--index", str(index), "index", "--corpus", str(corpus), "--watch"],))  # fmt: skip
    watching.start()
    try:
        deadline, said = time.monotonic() + 20, ""
        while "tried again" not in said and time.monotonic() < deadline:
            said += capsys.readouterr().err
            time.sleep(0.05)
        assert f"Could not write the index in {index}: No space left on device" in said
        assert "it is tried again in 0.3 s, or at the next change" in said
        full[0] = False  # (space freed; no file of the corpus changed)
        while not (index / "CURRENT").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert search(get_state(index, wait=True), "cash").total == 1
    finally:
        STOP.set()
        watching.join(timeout=30)
        STOP.clear()
    assert not watching.is_alive()


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_output_an_encoding_cannot_hold_is_printed_not_a_traceback(tmp_path, encoding):
    from tests.conftest import ARTICLES, index_of

    index = index_of(tmp_path, ARTICLES)
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    for command in (["maxims"], ["search", "customers"]):
        result = subprocess.run([sys.executable, "-m", "rocksearch_cli", "--index", str(index),
                                 *command], cwd=ROOT, env=env, capture_output=True,
                                timeout=60)  # fmt: skip
        assert result.returncode == 0, result.stderr.decode(encoding)
        out = result.stdout.decode(encoding)
        assert "are the reason you?re in business." in out, out


def test_the_next_day_begins_at_midnight_utc():
    from datetime import UTC, datetime

    from indexer.watch import next_day

    late = datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC).timestamp()
    assert next_day(late) == datetime(2026, 3, 1, tzinfo=UTC).timestamp()
    assert next_day(datetime(2026, 3, 1, tzinfo=UTC).timestamp()) == datetime(
        2026, 3, 2, tzinfo=UTC).timestamp()  # fmt: skip


# What a command imports that it does not use: each import of these is paid by every call
# (feedparser, markdown-it and its kin some 0.1 s together; the importers' package, lxml).
HEAVY = ("feedparser", "markdown_it", "frontmatter", "yaml", "lxml", "indexer.importers")


def modules_after(cli_args: list[str]) -> set[str]:
    """The heavy modules a real process has imported after running `cli_args`."""
    code = (
        "import sys, rocksearch_cli\n"
        f"rocksearch_cli.main({cli_args!r})\n"
        f"print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}"
        f" or m.startswith({HEAVY!r}))))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return set(result.stdout.splitlines()[-1].split())


def test_a_search_and_a_json_lines_index_import_no_importer_they_do_not_use(corpus_dir, index_dir):
    indexed = modules_after(["--index", str(index_dir), "index", "--corpus", str(corpus_dir)])
    assert not indexed & {"feedparser", "markdown_it", "frontmatter", "yaml", "lxml"}, indexed
    assert "indexer.importers.jsonl" in indexed  # (what it does use)
    searched = modules_after(["--index", str(index_dir), "search", "cash"])
    assert not searched, searched


def test_a_run_that_changed_nothing_counts_the_groups_without_reading_them(
    corpus_dir, index_dir, monkeypatch, capsys
):
    """The count comes from the generation's small summary: parsing every group took
    0.24 s of a 100k index's run that changed nothing."""
    import rocksearch_cli

    args = ["--index", str(index_dir), "index", "--corpus", str(corpus_dir)]
    assert rocksearch_cli.main(args) == 0
    found = capsys.readouterr().out.splitlines()[-1]
    count, rest = found.split(" ", 1)
    assert rest.startswith("groups of duplicate posts (") and found.endswith(" s)")
    # A run that changed nothing did not take the seconds the groups took to find.
    assert rocksearch_cli.main(args) == 0
    first = capsys.readouterr().out.splitlines()[-1]
    assert first == f"{count} groups of duplicate posts (unchanged)"
    # A generation an older version wrote has no summary: it gets one from such a run.
    from indexer.store import read_pointer
    from search.duplicate_store import SUMMARY_FILE

    summary = index_dir / read_pointer(index_dir) / SUMMARY_FILE
    summary.unlink()
    assert rocksearch_cli.main(args) == 0
    assert capsys.readouterr().out.splitlines()[-1] == first and summary.exists()

    def unread(*args):
        raise AssertionError("the groups were read")

    monkeypatch.setattr(rocksearch_cli, "load_duplicates", unread)
    assert rocksearch_cli.main(args) == 0
    assert capsys.readouterr().out.splitlines()[-1] == first


def test_an_index_run_pauses_the_cyclic_collector_and_gives_it_back(corpus_dir, index_dir):
    """The collector's full passes over the objects a run keeps found nothing (0.3 s of a
    one-post update at 100k): it is off while the index is written and on again after,
    also when the run fails, unless the process exits next."""
    import gc

    import indexer.build
    import rocksearch_cli

    seen = []
    real = indexer.build.build_index

    def build_index(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    args = ["--index", str(index_dir), "index", "--corpus", str(corpus_dir)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(indexer.build, "build_index", build_index)
        assert gc.isenabled() and rocksearch_cli.main(args) == 0
        assert seen == [False] and gc.isenabled()
        mp.setattr(indexer.build, "build_index", lambda *a, **k: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            rocksearch_cli.main(args)
        assert gc.isenabled()
        # The `rocksearch` command exits once the run is done (run()): left off, so that
        # its first pass does not walk every object the run made (0.03-0.05 s at 100k).
        mp.setattr(indexer.build, "build_index", real)
        try:
            assert rocksearch_cli.main(args, exiting=True) == 0
            assert not gc.isenabled()
        finally:
            gc.enable()
        watching = ["--index", str(index_dir), "index", "--watch", "--corpus", str(corpus_dir)]
        mp.setattr("indexer.watch.wait_for_change", lambda *a, **k: None)
        assert rocksearch_cli.main(watching, exiting=True) == 0
        assert gc.isenabled()  # (a watching process lives on)


def test_a_search_of_its_own_process_leaves_the_collector_paused_till_it_exits(
    corpus_dir, index_dir, capsys
):
    """A search run by the `rocksearch` command loads the state with the collector paused
    and leaves it so (the process exits next); run in a process that goes on, it gives
    the collector back, also when the search fails."""
    import gc

    import rocksearch_cli
    import search.engine

    assert (
        rocksearch_cli.main(["--index", str(index_dir), "index", "--corpus", str(corpus_dir)]) == 0
    )
    seen = []
    real = search.engine.search  # (imported by the command: not before)

    def searching(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    args = ["--index", str(index_dir), "search", "customer", "service"]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search.engine, "search", searching)
        try:
            assert rocksearch_cli.main(args, exiting=True) == 0
            assert seen == [False] and not gc.isenabled()
        finally:
            gc.enable()
        assert rocksearch_cli.main(args) == 0
        assert seen == [False, False] and gc.isenabled()
        assert "customer" in capsys.readouterr().out.lower()
        mp.setattr(search.engine, "parse_query", lambda q: 1 / 0)
        mp.setattr(search.engine, "search", real)
        with pytest.raises(ZeroDivisionError):
            rocksearch_cli.main(args)
        assert gc.isenabled()


def test_search_says_when_a_rare_word_was_searched_with_a_near_word(cli_command, tmp_path):
    from tests.conftest import write_jsonl

    posts = [{"id": f"r{n}", "title": f"Sales {n}", "body": f"A monthly record of sales {n}."}
             for n in range(12)]  # fmt: skip
    posts.append({"id": "typo", "title": "Exports", "body": "Exports hit a monthly reord."})
    (tmp_path / "corpus").mkdir()
    write_jsonl(tmp_path / "corpus" / "posts.jsonl", posts)
    index = str(tmp_path / "index")
    assert run(cli_command, "--index", index, "index", "--corpus", str(tmp_path / "corpus"))
    result = run(cli_command, "--index", index, "search", "monthly", "reord")
    assert result.returncode == 0, result.stderr
    assert "'reord' is in few posts: also searched for record, below its posts" in result.stdout
    assert "showing results for" not in result.stdout


def test_an_update_whose_groups_took_a_whole_pass_says_so(corpus_dir, index_dir, capsys):
    """Over a fifth of the posts changed: the groups are found by a whole pass (minutes
    at 100k posts), and the summary says so and why; a first build and a run that
    changed nothing do not."""
    import rocksearch_cli
    from tests.conftest import ARTICLES, write_jsonl

    args = ["--index", str(index_dir), "index", "--corpus", str(corpus_dir)]
    assert rocksearch_cli.main(args) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(" s)")  # (a first build)
    records = [dict(a) for a in ARTICLES]
    records[0]["body"] += " Edited."
    write_jsonl(corpus_dir / "articles.jsonl", records)  # one of three: over a fifth
    assert rocksearch_cli.main(args) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(
        " s, a whole pass: 1 of 3 posts changed, over 20%)")  # fmt: skip
    assert rocksearch_cli.main([*args, "--json"]) == 0  # (nothing changed since)
    answer = json.loads(capsys.readouterr().out)
    assert answer["duplicates_whole_pass"] is False and answer["duplicates_whole_pass_why"] is None
    (index_dir / answer["generation"] / "duplicates.work").unlink()
    records[1]["body"] += " Edited."  # (still a whole pass, for another reason)
    write_jsonl(corpus_dir / "articles.jsonl", records)
    assert rocksearch_cli.main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["duplicates_whole_pass_why"] == (
        "no working data kept (duplicates.work is missing)")  # fmt: skip
