"""Limits on one article: a 50 MB post is cut and said, indexed in bounded memory, and
searching it or opening its page stays within the time budget; a 20 MB paragraph in any
format is read in memory of a few times its size; odd ids and titles."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from indexer.article import Article
from indexer.sources import MAX_BODY_CHARS, read_corpus
from tests.conftest import ROOT, log_in, write_jsonl
from tests.exporters import to_wxr
from web import create_app


@pytest.mark.slow
def test_a_50_mb_post_is_cut_indexed_and_answered_in_time(tmp_path):
    paragraph = "Customers remember the service long after the price is forgotten. " * 60
    body = "\n\n".join([paragraph] * 12_500)  # about 50 MB
    posts = [{"id": "huge", "title": "The whole archive in one post", "body": body},
             {"id": "small", "title": "A normal post", "body": "Customers first."}]  # fmt: skip
    write_jsonl(tmp_path / "a.jsonl", posts)
    del body, posts
    code = (
        "import json, resource, sys\n"
        "from indexer.build import build_index\n"
        f"s = build_index({str(tmp_path / 'a.jsonl')!r}, {str(tmp_path / 'index')!r})\n"
        "print(json.dumps({'problems': [str(p) for p in s.problems], 'docs': s.documents,\n"
        "  'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True, timeout=300)  # fmt: skip
    summary = json.loads(out.stdout)
    assert summary["docs"] == 2
    (problem,) = summary["problems"]
    assert problem.startswith("a.jsonl:1: the post 'The whole archive in one post' has ")
    assert f"(the limit is {MAX_BODY_CHARS:,})" in problem
    assert summary["peak_mb"] < 800, summary  # the 50 MB line, not 1.85 GB

    client = create_app({"index": str(tmp_path / "index"), "TESTING": True}).test_client()
    log_in(client, tmp_path / "index")  # the compare page is an editor's
    client.get("/api/search?q=warm")  # the first request loads the index
    for url in ("/api/search?q=the", "/api/search?q=customers+service", "/articles/huge?q=the",
                "/api/articles/huge?q=price", "/search?q=remember",
                "/editor/duplicates/compare?a=huge&b=small"):  # fmt: skip
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, url
        assert time.perf_counter() - started < 1.0, url


def test_ids_titles_and_control_characters(tmp_path):
    posts = [
        {"id": "   ", "title": "Spaces for an id", "body": "x"},
        {"id": "nul\x00id", "title": "A NUL in the id", "body": "x"},
        {"id": "long-title", "title": "word " * 30_000, "body": "Body\x00 with a NUL."},
        {"id": "fine", "title": "Fine", "body": "Fine."},
    ]
    write_jsonl(tmp_path / "a.jsonl", posts)
    items = list(read_corpus(tmp_path / "a.jsonl"))
    articles = {a.id: a for a in items if hasattr(a, "title")}
    problems = [str(p) for p in items if not hasattr(p, "title")]
    assert sorted(articles) == ["fine", "long-title"]
    assert len(articles["long-title"].title) <= 501 and articles["long-title"].title.endswith("…")
    assert articles["long-title"].body == "Body with a NUL."
    assert problems == [
        "a.jsonl:1: its id is empty (only spaces); article skipped",
        "a.jsonl:2: its id is over 200 characters or holds control characters; article skipped",
        "a.jsonl:3: the title is over 500 characters; cut there",
    ]


def _one_paragraph_post(kind: str, folder, paragraph: str):
    """A post of `kind` whose body is `paragraph` and then "The end."."""
    if kind == "markdown":
        path = folder / "big.md"
        path.write_text(f"---\ntitle: Big\ndate: 2024-01-01\n---\n\n{paragraph}\n\nThe end.\n")
    elif kind == "html page":
        path = folder / "big.html"
        path.write_text(f'<html><body><article class="post"><h1 class="entry-title">Big</h1>'
                        f'<div class="entry-content"><p>{paragraph}</p><p>The end.</p></div>'
                        f"</article></body></html>")  # fmt: skip
    elif kind == "wxr":
        path = folder / "export.xml"
        big = Article(id="1", title="Big", body=f"{paragraph}\n\nThe end.", date="2024-01-01")
        path.write_text(to_wxr([big]))
    else:  # a scraped page, as the blog's own corpus is
        path = folder / "page.txt"
        path.write_text(f"Big post title for the test\n\nMarch 10, 2023 by Jim Blasingame\n\n"
                        f"{paragraph}\n\nThe end.\n")  # fmt: skip
    return path


@pytest.mark.parametrize("kind", ["markdown", "html page", "wxr"])
def test_a_paragraph_over_10_mb_is_cut_not_lost(tmp_path, kind):
    """libxml2 drops a text of over 10 MB without an error unless told not to: the post
    was read as having no text and skipped. It is cut at the body limit and said."""
    paragraph = "Customers remember the service. " * 350_000  # 11.2 MB, one paragraph
    path = _one_paragraph_post(kind, tmp_path, paragraph)
    items = list(read_corpus(path))
    (article,) = [a for a in items if hasattr(a, "title")]
    problems = [str(p) for p in items if not hasattr(p, "title")]
    assert article.title == "Big" and article.body.startswith("Customers remember the service.")
    assert MAX_BODY_CHARS - 100 < len(article.body) <= MAX_BODY_CHARS
    (problem,) = problems
    size = len(paragraph.strip() + "\n\nThe end.")
    assert f"the post 'Big' has {size:,} characters; the first" in problem


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["markdown", "html page", "wxr", "scraped page"])
def test_a_20_mb_paragraph_is_read_in_a_few_times_its_size(tmp_path, kind):
    """Collapsing a paragraph's white space made a string of each of its words at once
    (str.split, and a pattern's sub alike): 2.6 million of them here, and a 200 MB post
    took 4.5 GB to read. Measured in processes of their own: how much higher the peak
    memory of one reading the big post is than of one reading a small post of the kind."""
    paragraph = "Customers remember the service. " * 650_000  # 20.8 MB, one paragraph
    (tmp_path / "small").mkdir()
    (tmp_path / "big").mkdir()
    small = _one_paragraph_post(kind, tmp_path / "small", "Customers remember the service.")
    big = _one_paragraph_post(kind, tmp_path / "big", paragraph)
    size_mb = len(paragraph) / 2**20
    del paragraph
    # (The peak from /proc: getrusage's counts the process before its exec too, a copy
    # of this one's memory, at times.)
    code = (
        "import json, re, sys\n"
        "from indexer.sources import read_corpus\n"
        "items = list(read_corpus(sys.argv[1]))\n"
        "peak = re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1)\n"
        "print(json.dumps({'problems': [str(i) for i in items if not hasattr(i, 'title')],\n"
        "  'bodies': [len(i.body) for i in items if hasattr(i, 'title')],\n"
        "  'peak_mb': int(peak) / 1024}))"
    )

    def reading(path) -> dict:
        out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                             text=True, cwd=ROOT, check=True, timeout=300)  # fmt: skip
        return json.loads(out.stdout)

    read = reading(big)
    read["grew_mb"] = read["peak_mb"] - reading(small)["peak_mb"]
    (body,) = read["bodies"]
    assert MAX_BODY_CHARS - 100 < body <= MAX_BODY_CHARS
    (problem,) = read["problems"]
    assert "has 20,800,009 characters; the first" in problem, problem
    # 6 to 9 times the paragraph's size here (the file's bytes and text, the rendered or
    # parsed HTML, the paragraph, its copies stripped and collapsed); 14 to 18 before.
    assert read["grew_mb"] < 11 * size_mb, read["grew_mb"]
