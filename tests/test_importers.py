"""Every importer on fixtures written for the tests, bad input, and a round trip of corpus/."""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.article import Article, SourceError, Unpublished
from indexer.importers import ImportOptions, archives, choose, read_file
from indexer.sources import read_corpus
from tests.conftest import CORPUS, ROOT
from tests.exporters import (
    to_wxr,
    write_docx,
    write_html_pages,
    write_markdown,
    write_odt,
    write_xlsx,
)

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def read(path, **options) -> tuple[dict[str, Article], list[str]]:
    items = list(read_corpus(path, ImportOptions(**options)))
    articles = {a.title: a for a in items if isinstance(a, Article)}
    return articles, [str(e) for e in items if isinstance(e, SourceError)]


def read_within(seconds: float, path) -> tuple[dict[str, Article], list[str]]:
    """`read`, which must take under `seconds` (an input whose reading time grew with the
    square of a field's length)."""
    started = time.perf_counter()
    found = read(path)
    assert time.perf_counter() - started < seconds
    return found


def write_files(root: Path, files: dict[str, str]) -> Path:
    """A folder of files from {relative path: text}, as a site's source folder is."""
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def test_wordpress_export_gives_published_posts_only():
    articles, problems = read(FIXTURES / "export.xml")
    assert problems == []
    assert list(articles) == [
        "You should never have “a customer from hell”",
        "VIDEO: Your future and customer paradigms",
        "The small business podcast, episode 12",
        "Cash is a fact",
    ]  # no draft, page, attachment, private or password-protected post
    hell = articles["You should never have “a customer from hell”"]
    assert hell.date == "2021-05-04"  # post_date_gmt
    assert hell.author == "Jim Blasingame"  # dc:creator "jim" through wp:author
    assert hell.categories == ["Customer Care", "Finance / Accounting & Taxes"]
    assert hell.tags == ["customers", "customer service"]
    assert hell.maxim == "You should never have a customer from hell."
    assert hell.url == "https://blog.example/2021/05/customer-from-hell/"
    assert hell.id.startswith("customer-from-hell-")
    # Gutenberg comments gone, the [caption] kept as text, the photo credit dropped.
    assert hell.body.split("\n\n") == [
        "Every small business has met one: the customer who is never satisfied.",
        "An unhappy customer at the counter",
        "Fire the customer from hell before they cost you the customers you love.",
        "Write this on a rock …",
        "You should never have a customer from hell.",
    ]
    video = articles["VIDEO: Your future and customer paradigms"]
    assert video.kind == "video" and video.author == "A. Guest"
    assert "youtube" not in video.body and "[sic]" in video.body  # [embed] gone, [sic] kept
    assert video.body.count("\n\n") == 1  # classic post: blank lines are paragraphs
    assert articles["The small business podcast, episode 12"].kind == "audio"
    cash = articles["Cash is a fact"]
    assert cash.excerpt and cash.body == "Profit is an opinion, cash is a fact."


def test_pages_come_from_an_export_only_when_asked():
    articles, _ = read(FIXTURES / "export.xml", post_types=frozenset({"post", "page"}))
    assert "About Jim" in articles


def test_export_ids_survive_a_title_edit(tmp_path):
    text = (FIXTURES / "export.xml").read_text("utf-8")
    edited = tmp_path / "export.xml"
    edited.write_text(text.replace("Cash is a fact]]>", "Cash is a fact, not an opinion]]>"))
    before, _ = read(FIXTURES / "export.xml")
    after, _ = read(edited)
    assert after["Cash is a fact, not an opinion"].id == before["Cash is a fact"].id


def test_rss_feed_with_full_text_and_an_impossible_date():
    articles, problems = read(FIXTURES / "feed.rss")
    celebrate = articles["Celebrate your customers this week"]
    assert celebrate.maxim == "Celebrate your customers every week."
    assert "appeared first" not in celebrate.body and not celebrate.excerpt
    assert celebrate.date == "2022-10-03" and celebrate.author == "Jim Blasingame"
    phones = articles["Smartphones and customer expectations"]
    assert phones.date is None  # Feb 31: kept, undated, and said
    assert problems == [
        "feed.rss: entry 2 ('Smartphones and customer expectations'): date 'Mon, 31 Feb 2022 "
        "11:00:00 +0000' is not a date; indexed without a date"
    ]


def test_atom_feed_of_summaries_gives_excerpts():
    articles, problems = read(FIXTURES / "summaries.atom")
    assert problems == []
    golden = articles["“Thank you” is golden, “No problem” is a problem"]
    assert golden.excerpt and golden.body == "When a customer says thank you, say you are welcome."
    assert (golden.categories, golden.tags) == (["Customer Care"], ["manners"])
    assert articles["The small business podcast, episode 13"].kind == "audio"  # enclosure


def test_rest_api_answer_resolves_embedded_names():
    articles, problems = read(FIXTURES / "posts-page-1.json")
    assert problems == []
    barriers = articles["Don’t be stupid — eliminate barriers"]  # entities decoded
    assert barriers.categories == ["Customer Care", "Small Business"]
    assert barriers.tags == ["barriers", "customers"]
    assert barriers.author == "Jim Blasingame" and barriers.date == "2017-09-05"
    assert barriers.maxim == "Remove every barrier between you and your customers."
    assert articles["VIDEO: Differentiating between users and customers"].kind == "video"


def test_single_post_page_uses_the_theme_markup_and_drops_furniture():
    articles, problems = read(FIXTURES / "post.html")
    assert problems == []
    (post,) = articles.values()
    assert post.title == "Blasingame’s new law of customer relevance"
    assert (post.date, post.author) == ("2016-08-22", "Jim Blasingame")
    assert post.categories == ["Customer Care", "Age of the Customer"]
    assert post.tags == ["relevance", "customers"]
    assert post.maxim == "Relevance is the customer’s new prime expectation."
    assert post.url == "https://blog.example/2016/08/new-law-of-customer-relevance/"
    body = post.body
    for furniture in ("desk-789632_640", "Share this", "Twitter", "Recent Posts", "Copyright"):
        assert furniture not in body
    assert body.count("\n\n") == 2


def test_archive_page_gives_each_post_with_the_page_category():
    articles, problems = read(FIXTURES / "archive.html")
    assert list(articles) == [
        "A Solid Gold Gift From Customers: “Follow Me Home”",
        "Allow customers to see your business’s authentic side",
        "Are Your Customers Creating Storms?",
    ]
    follow = articles["A Solid Gold Gift From Customers: “Follow Me Home”"]
    assert follow.excerpt and follow.body.endswith("relationship.…")
    assert follow.categories == ["Customer Care"] and follow.tags == ["loyalty"]
    assert follow.url == "https://blog.example/2013/04/follow-me-home/"
    video = articles["Allow customers to see your business’s authentic side"]
    assert video.kind == "video" and video.date == "2014-06-02"
    assert video.body == "Customers want to see the people behind the counter."  # Vimeo line gone
    assert problems == [
        "archive.html:22: post 3 ('Are Your Customers Creating Storms?'): date 'not a date' "
        "is not a date; indexed undated"
    ]


def test_hugo_site_skips_drafts_and_names_bad_front_matter():
    articles, problems = read(FIXTURES / "hugo")
    assert sorted(articles) == [
        "Broken front matter",  # (its fields read line by line)
        "Storytelling Gave Birth To The Marketplace",  # TOML front matter
        "The customer is now in control of your business — get over it!",
        "What chair do you reserve for customers?",  # a page bundle
    ]
    assert problems == [
        "content/posts/broken.md:4: the YAML front matter is not valid (found unexpected end "
        "of stream); read line by line",
        "content/posts/broken.md:1: date '[2024-01-01' is not a date; indexed without a date",
    ]
    control = articles["The customer is now in control of your business — get over it!"]
    assert (control.date, control.tags) == ("2015-03-02", ["control", "customers"])
    assert control.maxim == "The customer is in control."
    assert "youtube" not in control.body and "*" not in control.body
    chair = articles["What chair do you reserve for customers?"]
    assert chair.tags == ["chairs", "hospitality"] and chair.id.startswith("third-")


def laughs(levels: int) -> str:
    """YAML front matter lines that nest aliases: 9**levels "lol"s, written in a few
    lines (the "billion laughs")."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghij"
    for before, name in zip(names, names[1:levels], strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{before}"] * 9) + "]")
    return "\n".join(lines) + f"\ndate: *{names[levels - 1]}\n"


def test_a_date_of_nested_yaml_aliases_is_named_briefly(tmp_path):
    """A front matter's date that is an alias of nested aliases (a "billion laughs"):
    the post is indexed undated and the problem quotes the value cut short. It was
    written out whole: at nine levels, a message of 2 GB and 8 GB of memory."""
    (tmp_path / "laughs.md").write_text(f"---\ntitle: Laughs\n{laughs(6)}---\n\nCash.\n")
    articles, problems = read(tmp_path)
    assert articles["Laughs"].date is None
    [said] = problems
    assert said.startswith("laughs.md:1: date [[[...], [...], [...], [...], ...], ")
    assert said.endswith("is not a date; indexed without a date") and len(said) < 300


def test_front_matter_yaml_cannot_read_is_read_line_by_line(tmp_path):
    """A colon in an unquoted title is not valid YAML: the post was skipped. Its fields
    are read one line at a time (lists, quotes and booleans too), and that is said."""
    (tmp_path / "pricing.md").write_text(
        "---\ntitle: Pricing: the basics\ndate: 2024-01-01\ntags: [pricing, 'money']\n"
        'categories:\n  - Money\n  - "Small business"\n---\n\nPrice it right.\n'
    )
    (tmp_path / "draft.md").write_text("---\ntitle: Draft: not yet\ndraft: true\n---\n\nSoon.\n")
    articles, problems = read(tmp_path)
    assert list(articles) == ["Pricing: the basics"]  # (the draft stays a draft)
    post = articles["Pricing: the basics"]
    assert (post.date, post.tags, post.categories, post.body) == (
        "2024-01-01",
        ["pricing", "money"],
        ["Money", "Small business"],
        "Price it right.",
    )
    assert sorted(problems) == [
        f"{name}.md:2: the YAML front matter is not valid (mapping values are not allowed in "
        "this context); read line by line" for name in ("draft", "pricing")]  # fmt: skip


@pytest.mark.parametrize(
    ("head", "suffix", "chosen"),
    [
        (
            b'<?xml version="1.0"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">',  # noqa: E501
            ".xml",
            "wxr",
        ),  # noqa: E501
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', ".xml", "feed"),
        (b'{"db":[{"meta":{"exported_on":1764633600000,"version":"5.96.0"}', ".json", "ghost"),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', ".txt", "feed"),
        (b"<!DOCTYPE html><html><body>", ".txt", "html"),
        (b"\xef\xbb\xbf<html><body>", ".dat", "html"),
        (b"---\ntitle: x\n---\n", ".txt", "markdown"),
        (b'[{"id": 1, "title": {"rendered": "x"}}]', ".json", "wp_rest"),
        (b'{"title": "x", "body": "y"}\n', ".json", "jsonl"),
        (b"Skip to content\n\nA post title here\n", ".txt", "text_page"),
    ],
)
def test_the_importer_is_chosen_by_content(head, suffix, chosen):
    assert choose(head, suffix) == chosen


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("sitemap.xml", b'<?xml version="1.0"?><urlset><url><loc>https://x/</loc></url></urlset>',
         "sitemap.xml: is a sitemap"),
        ("photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.html: is a binary file"),
        ("empty.xml", b"   \n", "empty.xml: the file is empty"),
        ("none.xml", b'<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel></channel></rss>',  # noqa: E501
         "none.xml: the WordPress export holds no posts"),
        ("bomb.xml", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&b;</title></item></channel></rss>',  # noqa: E501
         "bomb.xml: declares XML entities"),
        ("xxe.rss", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&x;</title></item></channel></rss>',  # noqa: E501
         "xxe.rss: declares XML entities"),
        ("bad.json", b'[{"title": {"rendered": "x"}, "content": ', "bad.json: is not a WordPress REST API answer"),  # noqa: E501
        ("broken.html", b"<html><body><article><h1>Half a page</h1><p>It ends here", None),
    ],
)  # fmt: skip
def test_bad_files_cost_only_themselves(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.jsonl").write_text(json.dumps({"title": "Good", "body": "Fine text."}))
    articles, problems = read(tmp_path)
    assert "Good" in articles
    if message:
        assert len(problems) == 1 and problems[0].startswith(message)
    else:  # broken HTML is read as browsers read it
        assert articles["Half a page"].body == "It ends here" and problems == []


def test_a_truncated_export_keeps_the_posts_before_the_cut(tmp_path):
    text = (FIXTURES / "export.xml").read_text("utf-8")
    cut = text[: text.index("<title><![CDATA[The small business podcast")]
    (tmp_path / "cut.xml").write_text(cut)
    articles, problems = read(tmp_path / "cut.xml")
    assert list(articles) == [
        "You should never have “a customer from hell”",
        "VIDEO: Your future and customer paradigms",
    ]
    assert len(problems) == 1 and "the export is broken or cut off here" in problems[0]
    assert "the 2 posts before this point were imported" in problems[0]


def five_post_export() -> bytes:
    posts = [Article(id=str(n), title=f"Post {n}", body=f"Body of post {n}, café.",
                     date=f"2024-01-0{n}") for n in range(1, 6)]  # fmt: skip
    return to_wxr(posts).encode()


@pytest.mark.parametrize(
    ("fault", "title", "message"),
    [
        # (a post pasted from an old system into a UTF-8 blog)
        ((b"post 3, caf\xc3\xa9", b"post 3, caf\xe9"), "Post 3",
         "it is not UTF-8 (byte 0xe9); read as Windows-1252 there"),
        ((b"<title><![CDATA[Post 3]]></title>", b"<title>Q&A: Post 3</title>"), "Q&A: Post 3",
         "it has an & not written as &amp;; read as one"),
        ((b"Body of post 3", b"Body ]]> of post 3"), "Post 3",
         "it is not well-formed XML (Opening and ending tag mismatch"),
    ],
)  # fmt: skip
def test_one_broken_post_in_an_export_costs_only_itself(tmp_path, fault, title, message):
    """An XML parser stops at an export's first fault: the posts after it were lost. They
    are read one at a time from there (as WordPress's importer does), the broken one
    mended where it can be, and said with its line."""
    (tmp_path / "export.xml").write_bytes(five_post_export().replace(*fault))
    articles, problems = read(tmp_path)
    assert sorted(articles) == sorted(["Post 1", "Post 2", title, "Post 4", "Post 5"])
    assert articles[title].body == "Body of post 3, café."
    assert [a.source["line"] for a in articles.values()] == [9, 26, 43, 60, 77]
    (problem,) = problems
    assert problem.startswith(f"export.xml:43: item 3 ({title!r}): {message}")


THUMBNAIL = b'<media:thumbnail url="x.jpg"/>'  # (a plugin's tag whose prefix is never declared)


def _junk_after_post_2(data: bytes) -> bytes:
    ends = [n for n in range(len(data)) if data.startswith(b"\t</item>", n)]
    return data[: ends[1]] + b"\t</item>\n<junk" + data[ends[1] + len(b"\t</item>") :]


@pytest.mark.parametrize(
    ("fault", "problem"),
    [
        # Junk between posts stops the parser: the posts are read one at a time from there.
        (lambda d: d.replace(b"\t</item>", b"\t</item>\n<junk", 1),
         "export.xml:27: the export is not well-formed XML here (error parsing attribute "
         "name, line 27, column 2); the posts after it were read one at a time"),
        # libxml2 reads on past an undeclared prefix, and lxml raises it only once the
        # file has ended: the message had said the export was cut off there, nothing
        # after it imported, though every post was read.
        (lambda d: d.replace(b"<title><![CDATA[Post 2]]></title>",
                             b"<title><![CDATA[Post 2]]></title>" + THUMBNAIL),
         "export.xml:27: the export breaks a rule of XML here (Namespace prefix media on "
         "thumbnail is not defined, line 27, column 64); every post was read all the same"),
        # One read past (in the channel), then one that stops the parser: lxml's
        # exception names the first; the message names the stop.
        (lambda d: _junk_after_post_2(d.replace(b"</wp:wxr_version>",
                                                b"</wp:wxr_version>" + THUMBNAIL)),
         "export.xml:44: the export is not well-formed XML here (error parsing attribute "
         "name, line 44, column 2); the posts after it were read one at a time"),
    ],
)  # fmt: skip
def test_an_export_with_a_fault_outside_a_post_keeps_every_post(tmp_path, fault, problem):
    (tmp_path / "export.xml").write_bytes(fault(five_post_export()))
    articles, problems = read(tmp_path)
    assert sorted(articles) == [f"Post {n}" for n in range(1, 6)]
    assert problems == [problem]


@pytest.mark.parametrize(
    ("name", "data", "where"),
    [
        ("post.md", b"---\ntitle: Caf\xe9 notes\ndate: 2024-01-01\n---\n\nCr\xe8me br\xfbl\xe9e.\n",
         "post.md:2"),
        ("posts.jsonl", b'{"title": "Fine", "body": "Fine."}\n'
                        b'{"title": "Caf\xe9 notes", "body": "Cr\xe8me br\xfbl\xe9e."}\n',
         "posts.jsonl:2"),
        ("posts.json", b'[{"title": "Caf\xe9 notes", "body": "Cr\xe8me br\xfbl\xe9e."}]',
         "posts.json:1"),
    ],
)  # fmt: skip
def test_a_stray_byte_that_is_not_utf8_costs_no_post(tmp_path, name, data, where):
    """Markdown and JSON are UTF-8, but a post pasted from an old system brings Latin-1
    bytes: the post was skipped ("is not UTF-8 text"). Each such byte is read as
    Windows-1252, the rest as UTF-8, and said."""
    (tmp_path / name).write_bytes(data)
    articles, problems = read(tmp_path)
    assert articles["Café notes"].body == "Crème brûlée."
    assert problems == [f"{where}: is not UTF-8 (byte 0xe9); read as Windows-1252 there"]


def test_a_rest_api_answer_with_a_stray_byte_keeps_its_posts(tmp_path):
    data = (FIXTURES / "posts-page-1.json").read_bytes()
    data = data.replace(b"Barriers keep customers out.", b"Barriers keep clients out \x96 all.")
    (tmp_path / "posts-page-1.json").write_bytes(data)
    articles, problems = read(tmp_path)
    barriers = articles["Don’t be stupid — eliminate barriers"]
    assert barriers.body.startswith("Barriers keep clients out – all.")
    assert len(articles) == len(read(FIXTURES / "posts-page-1.json")[0])
    (problem,) = problems
    assert problem == "posts-page-1.json:18: is not UTF-8 (byte 0x96); read as Windows-1252 there"


def test_a_stray_byte_after_a_byte_order_mark_is_named_as_it_is(tmp_path):
    """A REST API answer saved by Windows' Notepad starts with a byte order mark: the
    stray byte was named as the one three places before it ("byte 0xbf", the mark's
    last), since the decoder that takes the mark off counts from after it."""
    data = (FIXTURES / "posts-page-1.json").read_bytes()
    data = data.replace(b"Barriers keep customers out.", b"Barriers keep clients out \x96 all.")
    (tmp_path / "posts-page-1.json").write_bytes(b"\xef\xbb\xbf" + data)
    articles, problems = read(tmp_path)
    assert len(articles) == len(read(FIXTURES / "posts-page-1.json")[0])
    assert problems == [
        "posts-page-1.json:18: is not UTF-8 (byte 0x96); read as Windows-1252 there"]  # fmt: skip


def test_a_file_that_is_not_text_is_still_skipped(tmp_path):
    junk = bytes(range(1, 256)) * 20  # (no NUL: not caught as binary by its first bytes)
    (tmp_path / "junk.md").write_bytes(b"---\ntitle: x\n---\n" + junk)
    articles, problems = read(tmp_path)
    assert not articles
    assert problems == ["junk.md:5: is not text (2,560 of its 5,117 bytes are not UTF-8); skipped"]


def test_a_wordpress_com_export_zip_is_read_as_the_exports_inside_it(tmp_path):
    """WordPress.com's Export gives a .zip of WXR files: it was passed over as a site's
    download, and the blog had no posts. Each file inside is read, named inside the zip;
    what is no article file (an image, macOS's __MACOSX) is passed over."""
    export = (FIXTURES / "export.xml").read_bytes()
    posts = [Article(id="late", title="A later post", body="Written after the split.",
                     date="2024-05-01")]  # fmt: skip
    with zipfile.ZipFile(tmp_path / "blog.wordpress.2026-12-02.000.zip", "w") as zipped:
        zipped.writestr("blog.wordpress.2026-12-02.000.xml", export)
        zipped.writestr("blog.wordpress.2026-12-02.001.xml", to_wxr(posts))
        zipped.writestr("__MACOSX/._blog.wordpress.2026-12-02.000.xml", b"\x00\x05\x16\x07")
        zipped.writestr("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
        zipped.writestr("stats.csv", "day,views\n2026-12-01,120\n")  # (no article file)
    with gzip.open(tmp_path / "more.jsonl.gz", "wt") as packed:
        packed.write(json.dumps({"title": "Gzipped", "body": "Kept small."}) + "\n")
    articles, problems = read(tmp_path)
    assert problems == []
    assert sorted(articles) == sorted([*read(FIXTURES / "export.xml")[0], "A later post",
                                       "Gzipped"])  # fmt: skip
    assert articles["A later post"].source == {
        "file": "blog.wordpress.2026-12-02.000.zip/blog.wordpress.2026-12-02.001.xml",
        "line": 9, "item": 1}  # fmt: skip
    assert articles["Gzipped"].source == {"file": "more.jsonl.gz/more.jsonl", "line": 1}


def test_a_broken_or_endless_archive_costs_only_itself(tmp_path, monkeypatch):
    (tmp_path / "a.jsonl").write_text(json.dumps({"title": "Fine", "body": "Fine."}) + "\n")
    (tmp_path / "cut.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (tmp_path / "cut.xml.gz").write_bytes(gzip.compress(b"<rss>" * 100)[:20])
    with zipfile.ZipFile(tmp_path / "nested.zip", "w") as zipped:
        zipped.writestr("inner.zip", (tmp_path / "cut.zip").read_bytes())
    # (a zip of nothing but zips is read as their files, Notion's parts, and no deeper)
    with zipfile.ZipFile(tmp_path / "deep.zip", "w") as zipped:
        zipped.write(tmp_path / "nested.zip", "mid.zip")
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("a.jsonl", b" " * 5000)
    monkeypatch.setattr(archives, "MAX_UNPACKED", 4000)
    articles, problems = read(tmp_path)
    assert list(articles) == ["Fine"]
    assert [p.split(" (")[0] for p in problems] == [
        "bomb.zip/a.jsonl: the archive unpacks to more than 0 GB; the rest of it is skipped",
        "cut.xml.gz: is a broken gzip file",
        "cut.zip: is a broken zip file",
        "deep.zip/mid.zip/inner.zip: is an archive inside an archive; skipped",
        "nested.zip/inner.zip: is a broken zip file",
    ]


@pytest.mark.parametrize("backup", ["blog-01-05-2019.xml", "blog-12-02-2026.xml"])
def test_a_blogger_backup_gives_its_published_posts_only(backup):
    """A Blogger backup (Settings → Back up content) is an Atom feed of the whole blog:
    every entry was a post, its settings, template, drafts and readers' comments too,
    and "…/kind#post" a category. Older backups say what an entry is with a category of
    Google's kind scheme, newer ones (since 2021) with <blogger:type> and <blogger:status>."""
    articles, problems = read(FIXTURES / "blogger" / backup)
    assert list(articles) == ["Cash is a fact"] and problems == []
    cash = articles["Cash is a fact"]
    assert (cash.body, cash.date, cash.author, cash.categories, cash.tags) == (
        "Profit is an opinion, cash is a fact.", "2019-04-02", "Jim Blasingame", ["Cash Flow"],
        [])  # fmt: skip
    assert cash.id.startswith("cash-is-fact-")  # (the same id from either backup)
    assert cash.url in ("https://smallbiznotes.blogspot.com/2019/04/cash-is-fact.html", None)
    with_pages, _ = read(FIXTURES / "blogger" / backup, post_types={"post", "page"})
    assert sorted(with_pages) == ["About me", "Cash is a fact"]


def test_an_odd_row_of_a_ghost_export_costs_only_itself(tmp_path):
    """A row whose id or text is of another type (a list, an object) raised in the
    importer, and the whole export was "could not be read"."""
    export = json.loads((FIXTURES / "ghost-export.json").read_text())
    data = export["db"][0]["data"]
    data["posts"][0]["html"] = {"not": "text"}
    data["posts_tags"].append({"id": "pt9", "post_id": ["6650a5"], "tag_id": "t1"})
    data["users"].append({"id": {"odd": 1}, "name": "Nobody"})
    (tmp_path / "ghost.json").write_text(json.dumps(export))
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["Cash is a fact", "Hiring your first employee"]
    assert articles["Cash is a fact"].body == "Profit is an opinion, cash is a fact."
    assert articles["Hiring your first employee"].tags == [] and problems == []


def test_a_ghost_export_gives_its_public_published_posts_with_tags_and_authors():
    """A Ghost export was "JSON, but neither an article nor a list of articles". Its
    posts are read with their tags and authors joined from Ghost's own tables; drafts,
    pages (unless asked), members-only posts and Ghost's internal #tags are not."""
    articles, problems = read(FIXTURES / "ghost-export.json")
    assert sorted(articles) == ["Cash is a fact", "Hiring your first employee"]
    assert problems == []
    cash = articles["Cash is a fact"]
    assert (cash.body, cash.maxim, cash.date, cash.author, cash.tags) == (
        "Profit is an opinion, cash is a fact.\n\nWrite this on a rock … Cash is king.",
        "Cash is king.", "2019-04-02", "Jim Blasingame", ["Cash Flow", "Money"])  # fmt: skip
    assert cash.id.startswith("cash-is-a-fact-")
    hiring = articles["Hiring your first employee"]
    assert (hiring.body, hiring.author) == ("Hire slowly.\n\nFire quickly.", "Guest Writer")
    pages, _ = read(FIXTURES / "ghost-export.json", post_types={"page"})
    assert list(pages) == ["About"]


def test_a_ghost_exports_scheduled_post_is_read_once_its_time_has_come(tmp_path, monkeypatch):
    """Ghost publishes a scheduled post at its time, which may come after the export was
    made: it was never read. It is once its time has come; until then the export is
    read again by every run (its reader says so: Unpublished)."""
    from datetime import UTC, datetime

    import indexer.importers.ghost as ghost
    from indexer.article import Unpublished

    export = json.loads((FIXTURES / "ghost-export.json").read_text())
    draft = export["db"][0]["data"]["posts"][2]
    draft.update(status="scheduled", published_at="2026-03-01T10:00:00.000Z",
                 html="<p>Soon.</p>")  # fmt: skip
    (tmp_path / "ghost.json").write_text(json.dumps(export))
    monkeypatch.setattr(ghost, "now", lambda: datetime(2026, 3, 1, 9, 59, tzinfo=UTC))
    items = list(read_file(tmp_path / "ghost.json", "ghost.json"))
    assert "Unfinished" not in [a.title for a in items if isinstance(a, Article)]
    assert Unpublished("ghost.json") in items
    monkeypatch.setattr(ghost, "now", lambda: datetime(2026, 3, 1, 10, 0, tzinfo=UTC))
    post = read(tmp_path)[0]["Unfinished"]
    assert (post.body, post.date) == ("Soon.", "2026-03-01")


BEAR_HEADER = ["uid", "title", "slug", "alias", "published date", "all tags", "publish",
               "make discoverable", "is page", "content", "canonical url", "meta description",
               "meta image", "lang", "class name", "first published at"]  # fmt: skip


def bear_row(uid: str, title: str, content: str, date: str = "2025-05-23T22:00:00+00:00",
             tags: str = "[]", publish: str = "True", page: str = "False",
             summary: str = "") -> list[str]:  # fmt: skip
    return [uid, title, uid.lower(), "", date, tags, publish, "True", page, content, "",
            summary, "", "en", "", date]  # fmt: skip


def test_a_bear_blog_export_gives_its_published_posts(tmp_path):
    """Bear Blog's export is one CSV, each post's Markdown in its `content` (a real
    one: flschr/bearblog-automation's): it was "not an article file". Published posts
    are read with their tags; drafts are not, pages only when asked for; a text longer
    than the csv module's own field limit is read; a bad date costs the date."""
    import csv

    rows = [BEAR_HEADER,
            bear_row("EqTWJ", "🍿 Inside (★★★☆☆)", "![A man](https://x.example/y.webp)\n\n"
                     "[Inside](https://de.wikipedia.org) ist eines dieser Kammerspiele.\n\n"
                     "Aber Dafoe liefert.", tags='["blog", "popcornfieber"]'),
            bear_row("Draft1", "Not yet", "Soon.", publish="False"),
            bear_row("Page1", "About", "Me.", page="True"),
            bear_row("Long1", "Long", "Cash is king. " * 20_000),
            bear_row("Odd1", "Odd date", "Text.", date="sometime"),
            bear_row("Pic1", "Only a picture", "![A photo](https://x.example/p.webp)",
                     summary="A photo of the shop."),
            bear_row("Pic2", "Aderlass", "![My arm on the rest, giving blood](https://x.example/"
                     "a.webp)\r\n")]  # fmt: skip
    with open(tmp_path / "bear_blog_export.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["Aderlass", "Long", "Odd date", "Only a picture",
                                "🍿 Inside (★★★☆☆)"]  # fmt: skip
    # (a photo post: what its image's description says; it was "has no body text")
    blood = articles["Aderlass"]
    assert (blood.kind, blood.body) == ("image", "My arm on the rest, giving blood")
    inside = articles["🍿 Inside (★★★☆☆)"]
    assert (inside.date, inside.tags, inside.body) == (
        "2025-05-23", ["blog", "popcornfieber"],
        "Inside ist eines dieser Kammerspiele.\n\nAber Dafoe liefert.")  # fmt: skip
    assert len(articles["Long"].body) > 131072
    picture = articles["Only a picture"]
    assert (picture.body, picture.excerpt) == ("A photo of the shop.", True)
    assert problems == ["bear_blog_export.csv:10: post 'Odd date': date 'sometime' is not a "
                        "date; indexed without a date"]  # fmt: skip
    pages, _ = read(tmp_path, post_types={"page"})
    assert list(pages) == ["About"]


def test_a_bear_blog_export_cut_short_keeps_every_post_before_the_cut(tmp_path):
    """An export cut off inside a post's text (a download stopped): every post before
    it is read, and the cut one with the text it has."""
    import csv

    rows = [BEAR_HEADER, bear_row("A1", "Cash", "Cash is king."),
            bear_row("B2", "Pricing", "Prices are promises.\n\nKeep them.")]  # fmt: skip
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    whole = out.getvalue()
    (tmp_path / "bear.csv").write_text(whole[: whole.index("Keep them")], encoding="utf-8")
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["Cash", "Pricing"] and problems == []
    assert articles["Pricing"].body == "Prices are promises."


def write_table(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    """A CSV file of `rows` (the header first), written as a spreadsheet writes one."""
    import csv

    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


WEBFLOW_HEADER = ["Name", "Slug", "Collection ID", "Item ID", "Archived", "Draft", "Created On",
                  "Updated On", "Published On", "Post Body", "Post Summary", "Main Image",
                  "🪘 Category", "Tags"]  # fmt: skip


def webflow_row(name: str, body: str, published: str = "", *, archived: str = "false",
                draft: str = "false", summary: str = "", category: str = "",
                tags: str = "") -> list[str]:  # fmt: skip
    return [name, name.lower().replace(" ", "-"), "64ad", f"item-{name}", archived, draft,
            "Fri Mar 10 2023 10:00:00 GMT+0000 (Coordinated Universal Time)", "", published,
            body, summary, "", category, tags]  # fmt: skip


def test_a_csv_table_of_posts_from_a_site_builder_is_read(tmp_path):
    """Webflow exports a blog as a CSV of its CMS collection, named by the collection's
    fields; it was "not an article file". A row is a post: its HTML text, its dates in
    JavaScript's form, an emoji before a column's name, tags in one cell; archived and
    draft rows are not read, a photo post is searched by its image's description, a post
    with no text by its summary (an excerpt), and one dated in the future on its day."""
    write_table(tmp_path / "Blog Posts.csv", [
        WEBFLOW_HEADER,
        webflow_row("How to price your services",
                    "<p>Pricing is the hardest call a small business makes.</p><p>Write this "
                    "on a rock &hellip; Never compete on price alone.</p>",
                    "Fri Mar 10 2023 10:00:00 GMT+0000 (Coordinated Universal Time)",
                    category="Pricing", tags="pricing; strategy"),
        webflow_row("Old news", "<p>Archived text.</p>", archived="true"),
        webflow_row("Half written", "<p>Draft text.</p>", draft="true"),
        webflow_row("Our shop", '<figure><img src="a.jpg" alt="Our new shop front on Main '
                    'Street"></figure>', "3/25/2024"),
        webflow_row("In brief", "", "3/5/2024", summary="Cash flow <em>first</em>."),
        webflow_row("Next century", "<p>Not yet.</p>", "1/1/2099"),
    ])  # fmt: skip
    articles, problems = read(tmp_path)
    assert problems == []
    assert sorted(articles) == ["How to price your services", "In brief", "Our shop"]
    price = articles["How to price your services"]
    assert (price.date, price.categories, price.tags, price.maxim, price.kind) == (
        "2023-03-10", ["Pricing"], ["pricing", "strategy"], "Never compete on price alone.",
        "article")  # fmt: skip
    assert price.body.startswith("Pricing is the hardest call a small business makes.\n\n")
    assert price.source == {"file": "Blog Posts.csv", "line": 2}
    shop = articles["Our shop"]
    assert (shop.kind, shop.body, shop.date) == ("image", "Our new shop front on Main Street",
                                                 "2024-03-25")  # fmt: skip
    brief = articles["In brief"]
    assert (brief.body, brief.excerpt, brief.date) == ("Cash flow first.", True, "2024-03-05")
    # (the post of 2099 is read again by every run, so that it is indexed on its day)
    items = list(read_file(tmp_path / "Blog Posts.csv", "Blog Posts.csv"))
    assert any(isinstance(i, Unpublished) for i in items)


def test_a_hubspot_table_takes_the_post_title_not_the_internal_name(tmp_path):
    """HubSpot names a post twice: `Name` is its internal name, `Post Title` the title
    readers see. Its state says which are published; its address and author are kept."""
    write_table(tmp_path / "hubspot-blog-posts.csv", [
        ["Name", "Post Title", "Post Body", "Publish Date", "Author", "State", "URL", "Tags"],
        ["pricing-q3-internal", "Pricing in the third quarter", "<p>Prices rise.</p>",
         "2024-07-01T09:00:00Z", "Jim Blasingame", "PUBLISHED",
         "https://blog.example/pricing-q3", "Pricing, Cash"],
        ["draft-1", "Unfinished", "<p>Soon.</p>", "", "Jim Blasingame", "DRAFT", "", ""],
    ])  # fmt: skip
    articles, problems = read(tmp_path)
    assert problems == [] and list(articles) == ["Pricing in the third quarter"]
    post = articles["Pricing in the third quarter"]
    assert (post.author, post.url, post.date, post.tags) == (
        "Jim Blasingame",
        "https://blog.example/pricing-q3",
        "2024-07-01",
        ["Pricing", "Cash"],
    )


def test_a_wordpress_table_export_keeps_published_posts_and_their_addresses(tmp_path):
    """WP All Export writes a WordPress site's posts as CSV: status, post type, permalink,
    categories apart by "|", the author's display name. Published posts are read with
    their addresses (the id's key, so it stays as a title is edited); drafts are not,
    nor pages unless asked for."""
    write_table(tmp_path / "posts-export.csv", [
        ["ID", "Title", "Content", "Excerpt", "Date", "Post Type", "Permalink", "Categories",
         "Tags", "Status", "Author Display Name"],
        ["12", "Cash is king", "<p>Count it daily.</p>[gallery ids=\"3\"]", "",
         "2021-05-04 10:00:00", "post", "https://blog.example/cash-is-king/",
         "Cash Flow|Finance", "cash", "publish", "Jim Blasingame"],
        ["13", "Not yet", "<p>Soon.</p>", "", "2021-06-01 10:00:00", "post",
         "https://blog.example/?p=13", "", "", "draft", "Jim Blasingame"],
        ["2", "About", "<p>About me.</p>", "", "2020-01-01 10:00:00", "page",
         "https://blog.example/about/", "", "", "publish", "Jim Blasingame"],
    ])  # fmt: skip
    articles, problems = read(tmp_path)
    assert problems == [] and list(articles) == ["Cash is king"]
    cash = articles["Cash is king"]
    assert (cash.body, cash.url, cash.categories, cash.author, cash.date) == (
        "Count it daily.", "https://blog.example/cash-is-king/", ["Cash Flow", "Finance"],
        "Jim Blasingame", "2021-05-04")  # fmt: skip
    assert list(read(tmp_path, post_types={"page"})[0]) == ["About"]


def test_a_table_saved_by_a_european_spreadsheet_is_read_day_first(tmp_path):
    """A spreadsheet in a European locale saves CSV with ";" between cells and dates day
    first (Notion's and Airtable's tables have a status and Markdown text). A date the
    row's column cannot read costs only that date, said with the row's line; a blank
    line is nothing."""
    write_table(tmp_path / "posts.csv", [
        ["Name", "Status", "Tags", "Date", "Content", "Author"],
        ["Pricing in hard times", "Published", "pricing, cash", "25.03.2024",
         "Raise prices **slowly**.\n\nWrite this on a rock … Price is a promise.", "Jim"],
        [],
        ["Half done", "Draft", "", "01.04.2024", "Not yet.", "Jim"],
        ["Early March", "Published", "", "02.03.2024", "Spring sales.", "Jim"],
        ["Some day", "Published", "", "sometime", "Text.", ""],
    ], delimiter=";")  # fmt: skip
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["Early March", "Pricing in hard times", "Some day"]
    hard = articles["Pricing in hard times"]
    assert (hard.date, hard.tags, hard.maxim, hard.author) == (
        "2024-03-25", ["pricing", "cash"], "Price is a promise.", "Jim")  # fmt: skip
    assert hard.body.startswith("Raise prices slowly.")
    assert articles["Early March"].date == "2024-03-02"  # (day first, as the column shows)
    assert problems == ["posts.csv:8: post 'Some day': date 'sometime' is not a date; "
                        "indexed without a date"]  # fmt: skip


def test_a_stray_quote_in_a_table_costs_only_its_line(tmp_path):
    """A cell that starts with a quote nothing closes (a table edited by hand) made the
    csv module read the rest of the file as that one cell: every post after it was lost,
    said only as a post with no text. Now that line is read without quotes, the lines
    after it as rows again, and the problem names the line; a cell quoted as CSV quotes
    it, over several lines, is still one cell."""
    (tmp_path / "posts.csv").write_text(
        'Title,Body,Date\nFirst,"Fine text,\n\nover two paragraphs.",2024-01-01\n'
        '"Broken,A stray quote opens the title.,2024-01-02\nThird,More text.,2024-01-03\n'
        'Fourth,"He said ""no"".",2024-01-04\n', encoding="utf-8")  # fmt: skip
    items = list(read_corpus(tmp_path, ImportOptions()))
    articles = [a for a in items if isinstance(a, Article)]
    assert [(a.title, a.body, a.source["line"]) for a in articles] == [
        ("First", "Fine text,\n\nover two paragraphs.", 2),
        ("Broken", "A stray quote opens the title.", 5),
        ("Third", "More text.", 6),
        ('Fourth', 'He said "no".', 7)]  # fmt: skip
    assert [str(e) for e in items if isinstance(e, SourceError)] == [
        "posts.csv:5: a quote opens a cell here that is not closed as CSV closes one; the line "
        "is read without quotes, the next as rows"]  # fmt: skip


def test_a_csv_table_not_of_posts_is_one_problem_naming_its_columns(tmp_path):
    """A CSV with no column for a post's title or text (a mailing list, a sheet of
    figures) is said to be one, with the columns it has; the files beside it are read."""
    write_table(tmp_path / "subscribers.csv", [["Email", "Signed up"], ["a@x.example", "2024"]])
    write_table(tmp_path / "posts.csv", [["Title", "Body"], ["Cash", "Cash is king."]])
    articles, problems = read(tmp_path)
    assert list(articles) == ["Cash"]
    assert problems == [
        "subscribers.csv: is a CSV table, but not one of posts: its header row names no "
        "column for a post's title (title, name, headline…) nor for a post's text (body, "
        "content, summary…); its columns: 'Email', 'Signed up'"]  # fmt: skip


def test_an_excel_workbook_of_posts_is_read_as_its_table(tmp_path):
    """HubSpot exports a blog in Excel's format, and a blog kept in a spreadsheet is an
    .xlsx: each was passed over as a zip of no posts, without a word. Its first sheet
    with a table of posts is read as a CSV table is (a title row above the table passed
    over), a row's line its number in the sheet; date cells are days. A workbook with no
    table of posts, a damaged one and a presentation are each one problem naming it."""
    import datetime

    write_xlsx(tmp_path / "blog.xlsx", {
        "Figures": [["Month", "Visits"], ["March", 1200]],
        "Posts": [
            ["Our blog, 2024"],
            [],
            ["Post Title", "Post Body", "Publish Date", "Draft", "Tags", "Views"],
            ["Cash is king", "<p>Cash first.</p><p>Write this on a rock … Cash is a fact.</p>",
             datetime.date(2024, 3, 25), False, "cash; finance", 120],
            ["Not yet", "<p>Soon.</p>", datetime.date(2024, 4, 1), True, "", 0],
            ["Old style", "Plain text, typed in a cell.", "3/5/2024", None, "", 7.5],
        ],
    })  # fmt: skip
    write_xlsx(tmp_path / "numbers.xlsx", {"Sheet1": [["Month", "Visits"], ["March", 1200]]})
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    with zipfile.ZipFile(tmp_path / "notes.pptx", "w") as doc:
        doc.writestr("[Content_Types].xml", "<Types/>")
        doc.writestr("ppt/presentation.xml", "<p:presentation/>")
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["Cash is king", "Old style"]
    cash = articles["Cash is king"]
    assert (cash.date, cash.tags, cash.maxim, cash.source) == (
        "2024-03-25",
        ["cash", "finance"],
        "Cash is a fact.",
        {"file": "blog.xlsx", "line": 4},
    )
    assert (articles["Old style"].body, articles["Old style"].date) == (
        "Plain text, typed in a cell.", "2024-03-05")  # fmt: skip
    assert problems[0].startswith("broken.xlsx: is not a spreadsheet that can be read (")
    assert problems[1:] == [
        "notes.pptx: is a PowerPoint presentation, not a blog's posts nor an archive of them; "
        "skipped (save the posts as HTML or Markdown, or export the blog)",
        "numbers.xlsx: is a workbook, but not one of posts: its header row names no column "
        "for a post's title (title, name, headline…) nor for a post's text (body, content, "
        "summary…); its columns: 'Month', 'Visits'"]  # fmt: skip


def test_a_workbook_that_unpacks_past_its_limit_is_not_opened(tmp_path, monkeypatch):
    """A workbook is read whole: one that unpacks to more than MAX_UNPACKED (a zip bomb
    named .xlsx) is one problem, not the memory it asks for; a workbook within it is read."""
    from indexer.importers import spreadsheets

    write_xlsx(tmp_path / "posts.xlsx", {"Posts": [["Title", "Body"], ["Cash", "Cash first."]]})
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"<" * 200_000)
    limit = spreadsheets.unpacked_size(tmp_path / "posts.xlsx") + 1000
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED", limit)
    articles, problems = read(tmp_path)
    assert list(articles) == ["Cash"]
    assert problems == [f"bomb.xlsx: is a workbook that unpacks to 0.0 GB, more than "
                        f"{limit / 2**30:g} GB; skipped"]  # fmt: skip


def test_a_movable_type_or_typepad_export_gives_its_published_entries(tmp_path):
    """Movable Type's and TypePad's export is a text file of entries (metadata lines, then
    sections after lines of five dashes, entries apart by eight): it was read as a scraped
    page ("no line looks like a post title", or one post of all of it). Published
    entries are read with their author, date, categories and tags, their body and
    extended body as one text, a maxim in it found; a reader's comment is not the
    entry's text; drafts are not read; a date no calendar has costs only the date."""
    articles, problems = read(FIXTURES / "movable_type")
    assert sorted(articles) == ["Markdown entry", 'You should never have "a customer from hell"']
    hell = articles['You should never have "a customer from hell"']
    assert (hell.author, hell.date, hell.categories, hell.tags, hell.maxim) == (
        "Jim Blasingame", "2008-03-25", ["Customer Care", "Selling"],
        ["customers", "customer service", "hell"],
        "You should never have a customer from hell.")  # fmt: skip
    assert hell.body == (
        "This is one of those customers from hell.\n\nWrite this on a rock … "
        "You should never have a customer from hell.\n\nThe rest of the story."
    )
    assert hell.source == {"file": "typepad-export.txt", "line": 1}
    assert articles["Markdown entry"].body == "Some bold words."
    assert problems == ["typepad-export.txt:46: entry 'Markdown entry': date '13/04/2008 "
                        "10:00:00 AM' is not a date; indexed without a date"]  # fmt: skip
    # The seed's scraped pages (.txt too) are still pages.
    assert choose(next(CORPUS.glob("*.txt")).read_bytes()[:8192], ".txt") == "text_page"


MT_LINES = st.sampled_from(["AUTHOR: Jim", "TITLE: Cash", "TITLE:", "STATUS: Publish",
                            "STATUS: Draft", "STATUS: Future", "DATE: 03/25/2008 10:15:00 AM",
                            "DATE: 99/99/9999", "DATE:", "TAGS: \"a,b", "TAGS: x,,y",
                            "CONVERT BREAKS: markdown", "CONVERT BREAKS: 0", "CATEGORY: A",
                            "BASENAME:", "-----", "--------", "BODY:", "EXTENDED BODY:",
                            "EXCERPT:", "COMMENT:", "<p>Cash is king.</p>", "**bold**",
                            "![a shop](x.jpg)", ""]) | st.text(max_size=15)  # fmt: skip


@given(st.lists(MT_LINES, max_size=40))
@settings(max_examples=150, deadline=None)
def test_odd_movable_type_exports_cost_at_most_their_entries(lines):
    """Any mix of an export's lines (metadata, sections, dashes, text) reads to entries,
    drafts and entries to come left out, or problems naming the file, never an
    importer's fault; every entry read has a title."""
    from indexer.importers.movable_type import read_movable_type

    items = list(read_movable_type("AUTHOR: Jim\n" + "\n".join(lines), "export.txt"))
    assert all(isinstance(a, Article | SourceError | Unpublished) for a in items)
    assert all(a.title for a in items if isinstance(a, Article))


def test_an_article_written_in_word_or_as_an_opendocument_is_read(tmp_path, monkeypatch):
    """A columnist's folder of pieces written in Word (.docx) or LibreOffice (.odt): each
    was "a Word document", or passed over as an archive of no posts. Each is an
    article: its title the document's own, else its paragraph styled as the title (a
    kicker above it stays text), its text its paragraphs (a tab is a space), its author
    the document's creator, its date its file's name's. An old .doc, a damaged file and
    one that unpacks to too much are each one problem naming it."""
    from indexer.importers import documents

    write_docx(tmp_path / "2019-04-02-cash.docx", [
        ("Subtitle", "Small Business Advocate"), ("Title", "Cash is a fact"),
        ("", "Profit is an opinion.\tCash is a fact."), ("Heading2", "Why"),
        ("", "Write this on a rock … Cash is king.")], creator="Jim Blasingame")  # fmt: skip
    write_docx(tmp_path / "draft 3.docx", [("", "Hiring slowly pays.")],
               title="Hire slowly")  # fmt: skip
    write_odt(tmp_path / "pricing.odt", [("h", "Price is a promise"),
                                         ("p", "Keep  your promises.")], creator="Jim")  # fmt: skip
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    write_docx(tmp_path / "huge.docx", [("", "Words. " * 2000)])
    # A name that starts as a date does but is none: the article, without a date, said.
    write_docx(tmp_path / "2019-13-45-odd.docx", [("Title", "An odd name"), ("", "Text.")])
    # What else a folder of documents holds: Word's owner file of a document open for
    # editing, Windows' thumbnails (passed over without a word); a file named .docx
    # that is no zip, an RTF file (each named); a web app's "Export to Word", HTML named
    # .doc (read as the page it is).
    (tmp_path / "~$sh is a fact.docx").write_bytes(b"\x0eJim Blasingame" + b"\x00" * 40)
    (tmp_path / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    (tmp_path / "renamed.docx").write_text("Just some text.", encoding="utf-8")
    (tmp_path / "notes.rtf").write_text("{\\rtf1\\ansi Notes}", encoding="utf-8")
    (tmp_path / "exported.doc").write_text(
        "<html><head><title>Tips on tipping</title></head><body><h1>Tips on tipping</h1>"
        "<p>Tip well, and often.</p></body></html>", encoding="utf-8")  # fmt: skip
    monkeypatch.setattr(documents, "MAX_PART", 10_000)
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["An odd name", "Cash is a fact", "Hire slowly",
                                "Price is a promise", "Tips on tipping"]  # fmt: skip
    assert articles["An odd name"].date is None
    cash = articles["Cash is a fact"]
    assert (cash.date, cash.author, cash.maxim, cash.body) == (
        "2019-04-02", "Jim Blasingame", "Cash is king.",
        "Small Business Advocate\n\nProfit is an opinion. Cash is a fact.\n\nWhy\n\n"
        "Write this on a rock … Cash is king.")  # fmt: skip
    assert cash.source == {"file": "2019-04-02-cash.docx", "line": None}
    assert (articles["Hire slowly"].body, articles["Hire slowly"].date) == (
        "Hiring slowly pays.", None)  # fmt: skip
    pricing = articles["Price is a promise"]
    assert (pricing.body, pricing.author) == ("Keep your promises.", "Jim")
    assert [p.split(" (")[0] for p in problems] == [
        "2019-13-45-odd.docx: date '2019-13-45' is not a date; indexed without a date",
        "broken.docx: is not a document that can be read",
        "huge.docx: has a part that unpacks to more than 0 MB; skipped",
        "notes.rtf: is a Rich Text document, which is not read; save it as .docx",
        "old.doc: is a Word 97-2003 document, which is not read; save it as .docx",
        "renamed.docx: is not a document that can be read"]  # fmt: skip


NOTION_ID = "0123456789abcdef0123456789abcdef"


def notion_page(title: str, properties: str, text: str) -> str:
    """A page of a Notion database as its export writes it in Markdown."""
    return f"# {title}\n\n{properties}\n{text}\n" if properties else f"# {title}\n\n{text}\n"


def test_a_notion_export_reads_its_pages_with_their_properties(tmp_path):
    """Notion exports a database (a blog kept in Notion) as a CSV of its pages'
    properties beside a folder of the pages in Markdown, each starting with its title
    and its properties. The properties were read as the first paragraph of text, drafts
    were posts, and the CSV gave every post again: now the properties are the post's
    date, tags, author and status, drafts are not read, nor the CSV; a page whose first
    paragraph only looks like properties keeps it as text; zipped, the same."""
    database = f"Blog {NOTION_ID}"
    pages = {
        "Pricing in hard times": ("Author: Jim Blasingame\nCreated: March 5, 2024 10:00 AM\n"
                                  "Status: Published\nTags: pricing, cash\n",
                                  "Raise prices slowly.\n\nWrite this on a rock … Price is a "
                                  "promise."),
        "Half done": ("Created: April 1, 2024 9:00 AM\nStatus: Draft\n", "Not yet."),
        "An idea": ("Created: April 2, 2024 9:00 AM\nStatus: Not started\n", "Someday."),
        "Unticked": ("Published: No\nCreated: April 3, 2024 9:00 AM\n", "Held back."),
        "A note": ("", "Note: this page has no properties.\n\nJust text."),
    }  # fmt: skip
    for n, (title, (properties, text)) in enumerate(pages.items()):
        page = tmp_path / database / f"{title} {n:032x}.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text(notion_page(title, properties, text), encoding="utf-8")
    (tmp_path / database / f"Pricing in hard times {0:032x}").mkdir()
    (tmp_path / database / f"Pricing in hard times {0:032x}" / "chart.png").write_bytes(
        b"\x89PNG\r\n\x1a\n"
    )
    table = "Name,Created,Status,Tags,Summary\nPricing in hard times,2024-03-05,Published,,Raise.\n"
    for suffix in (".csv", "_all.csv"):
        (tmp_path / f"{database}{suffix}").write_text(table, encoding="utf-8")
    articles, problems = read(tmp_path)
    assert problems == []
    assert sorted(articles) == ["A note", "Pricing in hard times"]
    pricing = articles["Pricing in hard times"]
    assert (pricing.date, pricing.tags, pricing.author, pricing.maxim, pricing.excerpt) == (
        "2024-03-05",
        ["pricing", "cash"],
        "Jim Blasingame",
        "Price is a promise.",
        False,
    )
    assert pricing.body.startswith("Raise prices slowly.")
    assert pricing.id.startswith("pricing-in-hard-times-") and "0" * 32 not in pricing.id
    # (each post once: the CSV tables beside the pages are not read)
    items = list(read_corpus(tmp_path, ImportOptions()))
    assert sum(isinstance(i, Article) for i in items) == 2
    assert articles["A note"].body == "Note: this page has no properties.\n\nJust text."
    # The export as Notion gives it: a zip of the same files.
    with zipfile.ZipFile(tmp_path.parent / "Export-1.zip", "w") as zipped:
        for file in tmp_path.rglob("*"):
            if file.is_file():
                zipped.write(file, file.relative_to(tmp_path).as_posix())
    zipped_articles, problems = read(tmp_path.parent / "Export-1.zip")
    assert problems == [] and sorted(zipped_articles) == ["A note", "Pricing in hard times"]
    # A large export is a zip of zips, each a part: each part is read as its files. A zip
    # in a zip is not read otherwise.
    (tmp_path.parent / "whole").mkdir()
    with zipfile.ZipFile(tmp_path.parent / "whole" / "Export.zip", "w") as zipped:
        zipped.write(tmp_path.parent / "Export-1.zip", "Export-1-Part-1.zip")
    zipped_articles, problems = read(tmp_path.parent / "whole")
    assert problems == [] and sorted(zipped_articles) == ["A note", "Pricing in hard times"]
    with zipfile.ZipFile(tmp_path.parent / "whole" / "Export.zip", "a") as zipped:
        zipped.writestr("logo.png", b"\x89PNG\r\n\x1a\n")
    _, problems = read(tmp_path.parent / "whole")
    assert problems == ["Export.zip/Export-1-Part-1.zip: is an archive inside an archive; skipped"]


def test_a_table_without_ids_keeps_posts_titled_alike_and_their_ids(tmp_path):
    """A table with no id, address or slug names each post by its title: two posts
    titled alike were one id, the second skipped as a duplicate (704 of the 10k corpus
    saved as CSV). Now the second is its own post, and a row added above keeps every
    id. Plain text that names a company in angle brackets, as news agencies do, is no
    HTML (it had been an element, and the post had no text)."""
    rows = [["Title", "Body"], ["Monday tip", "Count the cash."], ["Monday tip", "Call a client."],
            ["Mall deal", "<Video Shopping Mall Inc> said it signed WJTC-TV."]]  # fmt: skip
    write_table(tmp_path / "posts.csv", rows)
    items = [a for a in read_corpus(tmp_path, ImportOptions()) if isinstance(a, Article)]
    assert [(a.title, a.body) for a in items] == [
        ("Monday tip", "Count the cash."), ("Monday tip", "Call a client."),
        ("Mall deal", "<Video Shopping Mall Inc> said it signed WJTC-TV.")]  # fmt: skip
    ids = [a.id for a in items]
    write_table(tmp_path / "posts.csv", [rows[0], ["Pricing", "New post."], *rows[1:]])
    again = [a for a in read_corpus(tmp_path, ImportOptions()) if isinstance(a, Article)]
    assert [a.id for a in again][1:] == ids and len(set(ids)) == 3


CSV_CELLS = st.sampled_from(["", "true", "no", "Draft", "PUBLISHED", "scheduled", "page",
                             "3/25/2024", "25.03.2024", "13/13/2024", "2099-01-01",
                             "Fri Mar 10 2023 10:00:00 GMT+0000", "[1, {}]", '["a", 2]',
                             "<p>Cash &amp; <b>king</b></p>", "<img alt='A shop'>", "**bold**",
                             "a;b|c,d", "http://x.example/p", "javascript:alert(1)"]) | st.text(
    max_size=12)  # fmt: skip
CSV_NAMES = st.sampled_from(["Name", "Title", "Post Body", "Content", "Summary", "Draft",
                             "Archived", "Published", "Status", "Type", "Date", "Tags",
                             "Published On", "🪘 Category", "URL", "Slug", "Item ID", "Author",
                             ""])  # fmt: skip


@given(st.lists(CSV_NAMES, min_size=1, max_size=8),
       st.lists(st.lists(CSV_CELLS, max_size=9), max_size=5), st.sampled_from(",;\t"))  # fmt: skip
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_odd_csv_tables_cost_at_most_their_rows(tmp_path, header, rows, delimiter):
    """A CSV table of any columns and cells (a row short or long, a date no calendar has,
    a list where a name goes): each row is a post, nothing (a draft, a page, a post to
    come) or a problem naming the file, never an importer's fault; a good file beside it
    is read."""
    write_table(tmp_path / "table.csv", [header, *rows], delimiter)
    (tmp_path / "good.jsonl").write_text(json.dumps({"title": "Good", "body": "Fine."}) + "\n")
    articles, problems = read(tmp_path)
    assert "Good" in articles
    assert all(p.startswith("table.csv") and "could not be read" not in p for p in problems)
    assert all(a.title and (a.body or a.kind != "article") for a in articles.values())


MEDIUM_POST = """<!DOCTYPE html><html><head><title>{title}</title></head><body>
<article class="h-entry"><header><h1 class="p-name">{title}</h1></header>
<section data-field="subtitle" class="p-summary">Profit is an opinion.</section>
<section data-field="body" class="e-content"><section class="section"><div class="section-content">
<h3 class="graf graf--h3 graf--leading graf--title">{title}</h3>
<p class="graf graf--p">{text}</p></div></section></section>
<footer><p>By <a href="https://medium.com/@jim" class="p-author h-card">Jim Blasingame</a> on
<a href="https://medium.com/p/3f2a1b"><time class="dt-published" datetime="2019-04-02T16:00:00.000Z"
>April 2, 2019</time></a>.</p><p><a href="https://medium.com/@jim/{slug}" class="p-canonical"
>Canonical link</a></p><p>Exported from <a href="https://medium.com">Medium</a> on December 2,
2026.</p></footer></article></body></html>"""


MEDIUM_RESPONSE = (
    MEDIUM_POST.format(title="This is a comment", text="This is a comment",
                       slug="this-is-a-comment-a1b2c3")
    .replace('<h3 class="graf graf--h3 graf--leading graf--title">This is a comment</h3>', "")
    .replace('<section data-field="subtitle" class="p-summary">Profit is an opinion.</section>', "")
)  # fmt: skip


def test_a_medium_export_gives_its_posts_not_its_drafts_or_account_pages(tmp_path):
    """Medium's export (a zip) holds the posts as h-entry pages (microformats2), the
    drafts beside them ("draft_…") and the account's own pages (profile, claps,
    bookmarks). Only the posts are read: title, text without the title repeated as its
    heading, author, date and address from the h-entry. A response to someone's story
    (titled by its own text, with no heading) is its text: it was "has no body text" in
    every run."""
    pages = {
        "posts/2019-04-02_Cash-is-a-fact-3f2a1b.html": MEDIUM_POST.format(
            title="Cash is a fact", text="Profit is an opinion, cash is a fact.",
            slug="cash-is-a-fact-3f2a1b"),
        "posts/draft_Half-an-idea-9a8b7c.html": MEDIUM_POST.format(
            title="Half an idea", text="Not yet.", slug="half-an-idea-9a8b7c"),
        # A response to someone's story, titled by its own text (TryGhost/migrate's).
        "posts/2024-06-03_This-is-a-comment-a1b2c3.html": MEDIUM_RESPONSE,
        "profile/profile.html": '<html><body><h3 class="p-name">Jim</h3>'
                                "<p>Joined Medium in 2015.</p></body></html>",
        "claps/claps-0001.html": "<html><body><article><h1>Claps</h1><p>A post I liked by "
                                 "someone else.</p></article></body></html>",
        "README.html": "<html><body><h1>Medium export</h1><p>Your data.</p></body></html>",
    }  # fmt: skip
    with zipfile.ZipFile(tmp_path / "medium-export-0a1b2c.zip", "w") as zipped:
        for member, text in pages.items():
            zipped.writestr(member, text)
    articles, problems = read(tmp_path)
    assert list(articles) == ["Cash is a fact", "This is a comment"] and problems == []
    assert articles["This is a comment"].body == "This is a comment"
    cash = articles["Cash is a fact"]
    assert (cash.body, cash.author, cash.date, cash.url) == (
        "Profit is an opinion, cash is a fact.", "Jim Blasingame", "2019-04-02",
        "https://medium.com/@jim/cash-is-a-fact-3f2a1b")  # fmt: skip
    write_files(tmp_path / "unzipped", pages)  # (the same, unzipped into a folder)
    assert list(read(tmp_path / "unzipped")[0]) == ["Cash is a fact", "This is a comment"]


SUBSTACK_POSTS = (
    "post_id,post_date,is_published,email_sent_at,inbox_sent_at,type,audience,title,subtitle,"
    "podcast_url\n"
    "101.cash-is-a-fact,2019-04-02T16:00:00.000Z,true,2019-04-02T16:00:05.000Z,,newsletter,"
    "everyone,Cash is a fact,Profit is an opinion,\n"
    "102.what-members-paid-for,2019-05-02T16:00:00.000Z,true,,,newsletter,only_paid,"
    "What members paid for,,\n"
    "103.half-an-idea,,false,,,newsletter,everyone,Half an idea,,\n"
    '104.ask-me-anything,2019-06-02T16:00:00.000Z,true,,,thread,everyone,"Ask me, anything",,\n'
    "105.episode-12,2019-07-02T16:00:00.000Z,true,,,podcast,everyone,Episode 12,,"
    "https://example.com/12.mp3\n"
    "106.lost-file,2019-08-02T16:00:00.000Z,true,,,newsletter,everyone,A lost file,,\n"
)


@pytest.mark.parametrize("zipped", [False, True])
def test_a_substack_export_gives_its_public_published_posts(tmp_path, zipped):
    """A Substack export lists its posts in posts.csv and keeps their text in posts/,
    beside subscribers' addresses and each email's opens: read as files, its pages had no
    titles and its paid posts were public. posts.csv is read, with each post's page."""
    files = {
        "posts.csv": SUBSTACK_POSTS,
        # (Substack's buttons and sign-up box in a post: in every post, no one's text)
        "posts/101.cash-is-a-fact.html": "<p>Profit is an opinion, cash is a fact.</p>"
        '<p class="button-wrapper"><a class="button primary" href="/subscribe"><span>Sign '
        'up now</span></a></p><div class="captioned-button-wrap"><div class="preamble"><p '
        'class="cta-caption">Thanks for reading! Subscribe for free.</p></div></div>',
        "posts/102.what-members-paid-for.html": "<p>For members.</p>",
        "posts/103.half-an-idea.html": "<p>Not yet.</p>",
        "posts/104.ask-me-anything.html": "<p>Ask away.</p>",
        "posts/105.episode-12.html": "<p>We talk about hiring.</p>",
        "posts/101.cash-is-a-fact.opens.csv": "email,timestamp\nreader@example.com,2019\n",
        "email_list.smallbiz.csv": "email,active_subscription\nreader@example.com,true\n",
    }
    if zipped:
        with zipfile.ZipFile(tmp_path / "export.zip", "w") as archive:
            for member, text in files.items():
                archive.writestr(member, text)
    else:
        write_files(tmp_path, files)
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["Cash is a fact", "Episode 12"]
    cash = articles["Cash is a fact"]
    assert (cash.body, cash.date, cash.kind) == (
        "Profit is an opinion, cash is a fact.", "2019-04-02", "article")  # fmt: skip
    assert cash.id.startswith("cash-is-a-fact-") and articles["Episode 12"].kind == "audio"
    where = "export.zip/posts.csv" if zipped else "posts.csv"
    assert problems == [f"{where}:7: post 'A lost file': posts/106.lost-file.html is missing; "
                        "skipped"]  # fmt: skip


def test_a_substack_post_with_a_date_that_is_none_is_kept_undated_and_said(tmp_path):
    """A post whose post_date is no date costs only its date, with a message naming it."""
    files = {
        "posts.csv": SUBSTACK_POSTS.replace(
            "2019-04-02T16:00:00.000Z,true", "2019-13-45,true", 1
        ),  # fmt: skip
        "posts/101.cash-is-a-fact.html": "<p>Cash.</p>",
    }
    write_files(tmp_path, files)
    articles, problems = read(tmp_path)
    assert articles["Cash is a fact"].date is None and articles["Cash is a fact"].body == "Cash."
    assert (
        "posts.csv:2: post 'Cash is a fact': date '2019-13-45' is not a date; indexed "
        "without a date" in problems
    )


def test_page_not_utf8_and_not_saying_so_is_read_and_said(tmp_path):
    page = "<html><body><article><h1>Café</h1><p>Crème brûlée.</p></article></body></html>"
    (tmp_path / "p.html").write_bytes(page.encode("cp1252"))
    articles, problems = read(tmp_path)
    assert articles["Café"].body == "Crème brûlée."
    assert problems == ["p.html: is not UTF-8 (byte 0xe9) and names no character set; "
                        "read as Windows-1252"]  # fmt: skip


@pytest.fixture(scope="module")
def corpus_articles() -> list[Article]:
    return [a for a in read_corpus(CORPUS) if isinstance(a, Article)]


def facts(articles) -> list[tuple]:
    return sorted(
        (a.title, a.date, tuple(a.categories), tuple(a.tags), a.maxim, a.kind) for a in articles
    )


@pytest.mark.parametrize("form", ["wxr", "html", "markdown"])
def test_round_trip_of_the_corpus(tmp_path, corpus_articles, form):
    assert len(corpus_articles) == 35
    if form == "wxr":
        (tmp_path / "export.xml").write_text(to_wxr(corpus_articles), "utf-8")
    elif form == "html":
        write_html_pages(corpus_articles, tmp_path / "site")
    else:
        write_markdown(corpus_articles, tmp_path / "content")
    articles, problems = read(tmp_path)
    items = [a for a in read_corpus(tmp_path) if isinstance(a, Article)]
    assert problems == []
    assert facts(items) == facts(corpus_articles)
    assert len(articles) <= len(items)


def test_export_memory_stays_flat_as_it_grows(tmp_path):
    """Peak memory reading a 20,000-post export is within 1.5x of a 2,000-post one."""
    item = ("<item><title>Post {n}</title><link>https://b.example/{n}/</link>"
            "<guid>https://b.example/?p={n}</guid><content:encoded><![CDATA[<p>" + "word " * 200
            + "</p>]]></content:encoded><wp:post_name>p{n}</wp:post_name>"
            "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>\n")  # fmt: skip
    head = ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/'
            'modules/content/" xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n')  # fmt: skip  # noqa: E501
    peaks = {}
    for count in (2_000, 20_000):
        path = tmp_path / f"export-{count}.xml"
        with path.open("w") as out:
            out.write(head)
            for n in range(count):
                out.write(item.format(n=n))
            out.write("</channel></rss>\n")
        code = (
            "import resource, sys; from indexer.sources import read_corpus\n"
            f"n = sum(1 for a in read_corpus({str(path)!r}) if hasattr(a, 'title'))\n"
            "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=ROOT, check=True)  # fmt: skip
        n, peak = map(int, out.stdout.split())
        assert n == count
        peaks[count] = peak
    assert peaks[20_000] <= 1.5 * peaks[2_000], peaks


def test_json_lines_bad_lines_cost_only_themselves(tmp_path):
    good = [json.dumps({"id": f"g{n}", "title": f"Good {n}", "body": "Fine."}) for n in range(5)]
    bad = [
        "[" * 2000 + "]" * 2000,  # nested deeper than json can read
        '{"id": "s\\ud800", "title": "Lone surrogate id", "body": "x"}',
        '{"id": "c1", "title": "Lone surrogate category", "body": "x", "categories": ["a\\udc00"]}',
    ]
    data = "\ufeff" + "\n".join([good[0], *bad, *good[1:]]) + "\n"  # a BOM before line 1
    (tmp_path / "a.jsonl").write_text(data, "utf-8")
    articles, problems = read(tmp_path)
    assert sorted(articles) == [f"Good {n}" for n in range(5)]
    assert problems == [
        "a.jsonl:2: is JSON nested too deeply to read; line skipped",
        "a.jsonl:3: its id holds a lone surrogate (not valid Unicode); article skipped",
        "a.jsonl:4: a category or tag holds a lone surrogate (not valid Unicode); article skipped",
    ]


def test_control_characters_do_not_end_an_export_or_a_page(tmp_path):
    text = (FIXTURES / "export.xml").read_text("utf-8")
    (tmp_path / "export.xml").write_text(
        text.replace("never satisfied.", "never\x0c satis\x01fied.")
    )
    page = "<html><body><article><h1>Form\x0cfeed</h1><p>Text\x0b here\x01.</p></article>"
    (tmp_path / "page.html").write_text(page)
    articles, problems = read(tmp_path)
    assert problems == []
    assert len(articles) == 5
    hell = articles["You should never have “a customer from hell”"]
    assert "the customer who is never satisfied." in hell.body
    assert articles["Form feed"].body == "Text here ."


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=8,
)
ODD_RECORDS = st.dictionaries(
    st.sampled_from(["id", "title", "body", "date", "categories", "tags", "kind", "url", "maxim"]),
    JSON_VALUES
    | st.text(alphabet=st.characters(codec=None, min_codepoint=0xD800, max_codepoint=0xDFFF)),
)


ODD_FEED_ITEMS = st.dictionaries(
    st.sampled_from(["id", "title", "url", "content_html", "content_text", "summary",
                     "date_published", "date_modified", "tags", "authors", "author",
                     "attachments"]),
    JSON_VALUES,
)  # fmt: skip


@given(st.lists(ODD_FEED_ITEMS | JSON_VALUES, max_size=6), JSON_VALUES)
@settings(max_examples=60, deadline=None)
def test_odd_json_feed_items_cost_only_themselves(odd, feed_author):
    """A JSON Feed's items of any shape: each is an article, or a problem naming it; a
    good item after them is read (an importer's fault would cost the whole feed)."""
    from indexer.importers.json_feed import read_json_feed

    good = {"id": "g", "title": "Good post", "content_text": "Fine text here."}
    feed = {"version": "https://jsonfeed.org/version/1.1", "author": feed_author,
            "authors": [feed_author], "items": [*odd, good]}  # fmt: skip
    items = list(read_json_feed(json.dumps(feed).encode(), "feed.json"))
    assert [a.title for a in items if isinstance(a, Article)][-1] == "Good post"
    assert all(isinstance(a, Article | SourceError) for a in items)


# Pieces of markup a photo post's text may be made of, odd ones too.
MARKUP_PIECES = st.sampled_from([
    "<img>", "<img alt=''>", '<img alt="IMG_1.JPG">', '<img alt="A shop">', "<IMG ALT=x>",
    "<p>", "</p>", "<figure>", "<div>", "</div>", "<!--", "]]>", "&#0;", "\x00", "é",
    "<html>", "<body>", "<img alt='" + "a" * 300 + "'>",
])  # fmt: skip
ODD_STAMPS = st.sampled_from(["2019-05-02 10:00", "2019-13-45 99:99", "2019-02-30", "-", "",
                              "2020-01-03T10:00:00", "sometime"])  # fmt: skip


@given(st.lists(MARKUP_PIECES | st.text(max_size=20), max_size=30),
       st.sampled_from(["", "<h1>T</h1>", "<h1><a href='https://www.linkedin.com/pulse/x'>T</a></h1>",
                        "<h1><a href='http://[oops/'></a></h1>", "<h1><a>T</a></h1>"]),
       st.none() | ODD_STAMPS)  # fmt: skip
@settings(max_examples=120, deadline=None)
def test_odd_markup_in_a_photo_post_or_a_linkedin_page_costs_at_most_that_post(
    pieces, heading, published
):
    """Any mix of images and descriptions, well formed or not, in a feed's entry, a JSON
    Feed's item and a LinkedIn export's page (its heading and publication line odd too,
    or missing): each reads to an article or a problem naming the file (or, for a
    draft, nothing), never an importer's fault."""
    from indexer.importers.feeds import read_feed
    from indexer.importers.html_pages import read_html
    from indexer.importers.json_feed import read_json_feed

    html = "".join(pieces)
    feed = {"version": "https://jsonfeed.org/version/1.1",
            "items": [{"id": "1", "title": "Odd", "content_html": html}]}  # fmt: skip
    rss = ('<?xml version="1.0"?><rss version="2.0"><channel><title>B</title><item>'
           f"<title>Odd</title><description><![CDATA[{html}]]></description></item>"
           "</channel></rss>")  # fmt: skip
    when = "" if published is None else f'<p class="published">Published on {published}</p>'
    page = (f'<html><body><img class="cover-img" src="c.jpg" alt="">{heading}'
            f'<p class="created">Created on 2019-05-01 09:12</p>{when}<div>{html}</div>'
            "</body></html>")  # fmt: skip
    raw = functools.partial(str.encode, encoding="utf-8", errors="surrogatepass")
    items = [*read_json_feed(json.dumps(feed).encode(), "feed.json"),
             *read_feed(raw(rss), "feed.rss", ImportOptions()),
             *read_html(raw(page), "page.html", ImportOptions())]  # fmt: skip
    assert all(isinstance(a, Article | SourceError) for a in items)


ODD_FRONT_MATTER = st.dictionaries(
    st.sampled_from(["title", "Title", "date", "pubDate", "datePublished", "draft", "Draft",
                     "status", "tags", "categories", "taxonomies", "author", "authors",
                     "summary", "description", "slug", "path", "expiryDate", "kind"]),
    JSON_VALUES,
)  # fmt: skip


@given(ODD_FRONT_MATTER, st.sampled_from(["", "{{< youtube x >}}", ":::tip\n[[a|b]]\n:::"]))
@settings(max_examples=80, deadline=None)
def test_odd_front_matter_values_cost_at_most_their_post(fields, text):
    """Front matter of any shape (JSON is YAML): the post is read, or skipped with a
    problem naming its file, never an importer's fault."""
    from indexer.importers.markdown import read_markdown

    items = list(read_markdown(f"---\n{json.dumps(fields)}\n---\n{text}\n", "post.md"))
    assert all(isinstance(a, Article | SourceError | Unpublished) for a in items)


@given(st.lists(ODD_RECORDS | JSON_VALUES, max_size=6), st.booleans(), st.integers(0, 3000))
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_odd_json_lines_never_stop_a_run_and_good_ones_are_all_indexed(tmp_path, odd, bom, depth):
    from indexer.build import build_index

    good = [
        {"id": f"good-{n}", "title": f"Good post {n}", "body": "Fine text here."} for n in range(3)
    ]
    lines = [json.dumps(r, ensure_ascii=True) for r in odd] + ["[" * depth + "]" * depth]
    lines += [json.dumps(r) for r in good]
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "a.jsonl").write_text(("\ufeff" if bom else "") + "\n".join(lines), "utf-8")
    summary = build_index(folder / "a.jsonl", folder / "index")
    from search.engine import search

    found = {h["id"] for h in search(folder / "index", "good post", per_page=50).hits}
    assert {f"good-{n}" for n in range(3)} <= found
    assert summary.documents >= 3


def test_an_export_date_comes_from_the_first_candidate_that_is_a_date(tmp_path):
    text = (FIXTURES / "export.xml").read_text("utf-8")
    text = text.replace("<wp:post_date_gmt><![CDATA[2021-05-04 14:00:00]]>",
                        "<wp:post_date_gmt><![CDATA[2021-13-45 14:00:00]]>")  # fmt: skip
    text = text.replace("<wp:post_date_gmt><![CDATA[2020-01-15 12:00:00]]>",
                        "<wp:post_date_gmt><![CDATA[someday]]>")  # fmt: skip
    text = text.replace("<wp:post_date><![CDATA[2020-01-15 07:00:00]]>",
                        "<wp:post_date><![CDATA[never]]>")  # fmt: skip
    text = text.replace("<pubDate>Wed, 15 Jan 2020 12:00:00 +0000</pubDate>", "")
    (tmp_path / "export.xml").write_text(text)
    articles, problems = read(tmp_path / "export.xml")
    # A bad GMT date, a good local one: the local date, and nothing to report.
    assert articles["You should never have “a customer from hell”"].date == "2021-05-04"
    # No date at all: undated, and the first bad one named.
    assert articles["VIDEO: Your future and customer paradigms"].date is None
    assert problems == ["export.xml:71: item 2 ('VIDEO: Your future and customer paradigms'): "
                        "date 'someday' is not a date; indexed without a date"]  # fmt: skip


def test_a_markdown_date_that_is_no_date_costs_the_date_not_the_post(tmp_path):
    """PyYAML reads `2022-02-30` as a date and fails on it: the whole post was skipped
    ("the front matter cannot be read"), where a JSON Lines or HTML post with such a
    date is indexed undated. Real dates, with a time and a zone, read as before."""
    (tmp_path / "impossible.md").write_text(
        "---\ntitle: Leap day\ndate: 2022-02-30\ntags: [calendar]\n---\nThe body.\n"
    )
    (tmp_path / "zoned.md").write_text(
        "---\ntitle: Zoned\ndate: 2021-05-04 10:00:00 -05:00\n---\nAnother body.\n"
    )
    articles, problems = read(tmp_path)
    assert problems == ["impossible.md:1: date '2022-02-30' is not a date; indexed without a date"]
    leap = articles["Leap day"]
    assert (leap.date, leap.tags, leap.body) == (None, ["calendar"], "The body.")
    assert articles["Zoned"].date == "2021-05-04"


def test_a_json_lines_id_with_a_line_break_and_a_title_that_is_not_text(tmp_path):
    """A line break or a tab in an id is refused like the other control characters (it
    split the "file:line" messages and the reports that carry ids); a title that is a
    number is named as such, not as missing."""
    lines = [
        {"id": "two\nlines", "title": "Line break", "body": "b"},
        {"id": "tab\there", "title": "Tab", "body": "b"},
        {"title": 5, "body": "b"},
        {"id": "fine", "title": "Fine", "body": "b"},
    ]
    (tmp_path / "posts.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    articles, problems = read(tmp_path)
    assert list(articles) == ["Fine"]
    refused = "its id is over 200 characters or holds control characters; article skipped"
    assert problems == [
        f"posts.jsonl:1: {refused}",
        f"posts.jsonl:2: {refused}",
        "posts.jsonl:3: 'title' must be a string, not 5; article skipped",
    ]


def test_utf16_files_with_a_byte_order_mark_are_read_as_text(tmp_path):
    """Windows PowerShell 5's `>` writes UTF-16 with a byte order mark: its NUL bytes
    made such a file "a binary file", skipped. Any importer reads it now, and a broken
    one is named."""
    record = {"title": "PowerShell post", "body": "Saved by Windows, café."}
    (tmp_path / "posts.jsonl").write_bytes(
        b"\xff\xfe" + (json.dumps(record, ensure_ascii=False) + "\r\n").encode("utf-16-le")
    )
    (tmp_path / "post.md").write_bytes(
        b"\xfe\xff" + "---\ntitle: Big endian\ntags: [bom]\n---\nA body.\n".encode("utf-16-be")
    )
    (tmp_path / "broken.jsonl").write_bytes(b"\xff\xfe" + "abc".encode("utf-16-le") + b"\x00\xd8")
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["Big endian", "PowerShell post"]
    assert articles["PowerShell post"].body == "Saved by Windows, café."
    assert articles["PowerShell post"].source == {"file": "posts.jsonl", "line": 1}
    assert articles["Big endian"].tags == ["bom"]
    assert problems == ["broken.jsonl: is UTF-16 text with a broken character at byte 8; skipped"]


def test_a_wordpress_atom_feed_titles_read_as_text_and_a_day_that_does_not_exist(tmp_path):
    """WordPress's Atom feed writes titles as HTML in CDATA ("Don&#8217;t"): they were
    indexed with the entities showing. feedparser carries 2022-02-30 over into March 1:
    the post is now undated and the date named, as elsewhere."""
    (tmp_path / "atom.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>'
        '<entry><title type="html"><![CDATA[Q&#038;A: Don&#8217;t stop]]></title>'
        "<id>https://b.example/?p=1</id><published>2022-02-30T10:00:00Z</published>"
        "<link href='https://b.example/qa/'/>"
        '<content type="html"><![CDATA[<p>The answers.</p>]]></content></entry>'
        '<entry><title type="html"><![CDATA[AT&amp;T &amp; me]]></title>'
        "<id>https://b.example/?p=2</id><published>2022-03-01T10:00:00Z</published>"
        '<content type="html"><![CDATA[<p>A phone story.</p>]]></content></entry></feed>'
    )
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["AT&T & me", "Q&A: Don’t stop"]
    assert articles["Q&A: Don’t stop"].date is None
    assert articles["AT&T & me"].date == "2022-03-01"
    assert problems == [
        "atom.xml: entry 1 ('Q&A: Don’t stop'): date '2022-02-30T10:00:00Z' is not a date; "
        "indexed without a date"
    ]


def test_a_maxim_after_a_colon_or_a_dash_and_sentences_that_only_start_like_one(tmp_path):
    """The author writes "Write this on a rock … X"; after a colon or a dash the maxim
    came out as ": X" or "— X". A sentence that only starts with the words ("… on a
    rock-solid plan", "… on a rock and read it daily") gave a maxim it does not have."""
    posts = {
        "colon": "Write this on a rock: Cash is king.",
        "dash": "Write this on a rock — Serve the customer first.",
        "alone": "Write this on a rock …\n\nNever stop learning.",
        "solid": "Write this on a rock-solid plan of your own.",
        "sentence": "Write this on a rock and read it every day.",
    }
    for name, text in posts.items():
        (tmp_path / f"{name}.md").write_text(f"---\ntitle: {name}\n---\nFirst words.\n\n{text}\n")
    articles, problems = read(tmp_path)
    assert problems == []
    assert {title: a.maxim for title, a in articles.items()} == {
        "colon": "Cash is king.",
        "dash": "Serve the customer first.",
        "alone": "Never stop learning.",
        "solid": None,
        "sentence": None,
    }


def test_an_export_with_no_post_of_the_types_asked_says_what_it_has():
    """`--post-types product` (or a misspelt type) imported nothing without a word; the
    export's published types are now named. Types are lower-case, as WordPress's are."""
    import argparse

    from rocksearch_cli import import_options

    articles, problems = read(FIXTURES / "export.xml", post_types=frozenset({"product"}))
    assert articles == {}
    assert problems == [
        "export.xml: no published item is of the types asked for (product); its published "
        "items are page (1), post (5): see --post-types"
    ]
    options = import_options(argparse.Namespace(post_types="POST, Page"))
    assert options.post_types == frozenset({"post", "page"})
    assert read(FIXTURES / "export.xml", post_types=options.post_types)[0]


def test_a_blogs_whole_source_folder_gives_its_posts_not_its_packages_or_builds(tmp_path):
    """Given a Jekyll blog's source folder, the packages' READMEs (node_modules, vendor),
    the built site (_site: every post again as HTML) and the drafts were posts too; a
    layout whose page has no body ("<html>{{ content }}</html>") stopped the whole run
    with lxml's AssertionError (a layout is not read now; a page like it elsewhere is
    named as a post with no text)."""
    site = write_files(tmp_path / "blog", {
        "_posts/2021-05-04-cash.md": "---\ntitle: Cash flow\n---\nCash is king.\n",
        "_drafts/draft.md": "---\ntitle: Draft\n---\nNot yet.\n",
        "node_modules/left-pad/notes.md": "# left-pad\n\nPads strings.\n",
        "vendor/bundle/gems/x/notes.md": "# A gem\n\nRuby things.\n",
        "_site/2021/05/04/cash/index.html":
            "<html><body><article><h1>Cash flow</h1><p>Cash is king.</p></article></body></html>",
        "_layouts/post.html": "---\nlayout: default\n---\n<html>{{ content }}</html>\n",
    })  # fmt: skip
    articles, problems = read(site)
    assert sorted(articles) == ["Cash flow"] and problems == []
    (site / "page.html").write_text("---\nlayout: default\n---\n<html>{{ content }}</html>\n")
    articles, problems = read(site)
    assert sorted(articles) == ["Cash flow"]
    assert problems == ["page.html:1: a post with no title and no text; skipped"]


def test_a_jekyll_file_name_dates_its_post_with_months_and_days_of_one_digit(tmp_path):
    """Jekyll reads "2021-9-1-alt-date.md" as a post of 1 September 2021 named
    "alt-date" (TryGhost/migrate's Jekyll fixtures have one): it was undated, the date
    left in its id."""
    write_files(tmp_path, {"_posts/2021-9-1-alt-date.md": "---\ntitle: Alt\n---\nText.\n"})
    post = read(tmp_path)[0]["Alt"]
    assert (post.date, post.id.rsplit("-", 1)[0]) == ("2021-09-01", "alt-date")


def test_a_hugo_posts_keys_are_read_in_any_case_and_a_jekyll_posts_as_written(tmp_path):
    """Hugo reads front matter keys in any case (an old archetype wrote `Title`, `Date`,
    `Draft`): such a post had no title, date or tags, and a draft was indexed; so was
    one with `draft = "true"`, which Hugo reads as a draft. Jekyll reads the keys as
    written: `Draft: true` leaves its post on the site."""
    write_files(tmp_path, {
        "content/posts/cash.md": "+++\nTitle = 'Cash flow'\nDate = 2023-03-10\nDraft = false\n"
                                 "Tags = ['cash']\nCategories = ['Money']\n+++\nCash is king.\n",
        "content/posts/draft.md": "---\nTitle: Not yet\nDraft: true\n---\nSoon.\n",
        "content/posts/quoted.md": "+++\ntitle = 'Later'\ndraft = \"true\"\n+++\nLater.\n",
        "content/posts/both.md": "---\ntitle: Pricing\nTITLE: PRICING\n---\nPrices.\n",
        "jekyll/_posts/2021-05-04-sale.md": "---\ntitle: Sale\nDraft: true\nTags: x\n---\nOff.\n",
    })  # fmt: skip
    articles, problems = read(tmp_path)
    assert problems == []
    assert sorted(articles) == ["Cash flow", "Pricing", "Sale"]
    cash = articles["Cash flow"]
    assert (cash.date, cash.tags, cash.categories) == ("2023-03-10", ["cash"], ["Money"])
    assert articles["Sale"].tags == []


def test_a_markdown_post_that_is_only_an_embed_is_searched_by_its_summary(tmp_path):
    """A post whose text is only a shortcode (a map, a video) was "has no body text;
    skipped", though it is a page of the site (hugo-clarity's own map post): its
    summary or description is its text, marked as an excerpt, and one that is only a
    video is a video post. A post with nothing at all is still said."""
    write_files(tmp_path, {
        "map.md": "---\ntitle: Using OpenStreetMap\ndescription: Using maps in this theme\n"
                  '---\n\n{{<openstreetmap mapName="demo" scale="14">}}\n',
        "talk.md": "---\ntitle: My talk\n---\n{{< youtube w7Ft2ymGmfc >}}\n",
        "tour.md": "---\ntitle: Shop tour\nsummary: A walk round the *shop*.\n---\n"
                   "{{< vimeo 146022717 >}}\n",
        "empty.md": "---\ntitle: Empty\n---\n{{< figure src=\"a.jpg\" >}}\n",
        "photo.md": "---\ntitle: Shop front\n---\n![The shop at dawn](shop.jpg)\n",
    })  # fmt: skip
    articles, problems = read(tmp_path)
    assert problems == ["empty.md:1: the post 'Empty' has no body text; skipped"]
    shown = {t: (a.kind, a.body, a.excerpt) for t, a in articles.items()}
    assert shown == {
        "Using OpenStreetMap": ("article", "Using maps in this theme", True),
        "My talk": ("video", "", False),
        "Shop tour": ("video", "A walk round the shop.", True),
        "Shop front": ("image", "The shop at dawn", False),
    }


def test_a_zola_posts_taxonomies_are_its_tags_and_categories(tmp_path):
    """Zola files a page under the site's taxonomies in a table of their own: a Zola
    blog's tags and categories were not read."""
    write_files(tmp_path, {
        "content/blog/cash.md": '+++\ntitle = "Cash flow"\ndate = 2023-03-10\n\n[taxonomies]\n'
                                'tags = ["cash", "money"]\ncategories = ["Finance"]\n+++\nKing.\n',
        "content/blog/_index.md": '+++\ntitle = "Blog"\nsort_by = "date"\n+++\n',
    })  # fmt: skip
    articles, problems = read(tmp_path)
    assert problems == []
    cash = articles["Cash flow"]
    assert (cash.date, cash.tags, cash.categories) == ("2023-03-10", ["cash", "money"], ["Finance"])


def test_pelicans_metadata_lines_are_fields_not_text(tmp_path):
    """Pelican's Markdown posts open with "Key: value" lines and no "---" around them:
    they were the post's title and text ("Title: My super title Date: 2010-12-03 …").
    Its drafts and hidden posts (`Status`) are left out; a post whose first line only
    looks like a field stays text."""
    write_files(tmp_path, {
        "content/super.md": "Title: My super title\nDate: 2010-12-03 10:20\nCategory: Python\n"
                            "Tags: pelican, publishing\nAuthors: Alexis Metaireau, Conan Doyle\n"
                            "Summary: Short version\n    for the index\n\nThe content.\n",
        "content/draft.md": "Title: Not yet\nStatus: draft\n\nSoon.\n",
        "content/hidden.md": "Title: Unlisted\nStatus: hidden\n\nHere.\n",
        "content/note.md": "Note: cash is king.\n\nSo plan for it.\n",
    })  # fmt: skip
    articles, problems = read(tmp_path)
    assert problems == [] and sorted(articles) == ["My super title", "Note: cash is king."]
    post = articles["My super title"]
    assert (post.body, post.date, post.author) == ("The content.", "2010-12-03", "Alexis Metaireau")
    assert (post.categories, post.tags) == (["Python"], ["pelican", "publishing"])
    assert articles["Note: cash is king."].body == "Note: cash is king.\n\nSo plan for it."


NAMED_MONTHS = ["Jul 08 2022", "July 8, 2022", "Fri Jul 08 2022", "8 July 2022", "8th Jul. 2022",
                "Fri Jul 08 2022 09:00:00 GMT+0000"]  # fmt: skip


@pytest.mark.parametrize("written", NAMED_MONTHS)
def test_a_date_with_its_month_named_is_a_date(tmp_path, written):
    """Astro's blog template dates its posts `pubDate: 'Jul 08 2022'` (JavaScript reads
    any such date), and has no `date`: its posts were undated."""
    write_files(tmp_path, {"src/content/blog/first.md": f"---\ntitle: First\npubDate: '{written}'"
                                                        "\n---\nLorem ipsum.\n"})  # fmt: skip
    articles, problems = read(tmp_path)
    assert problems == [] and articles["First"].date == "2022-07-08"


def test_a_hashnode_backups_post_is_dated_by_its_date_published(tmp_path):
    """Hashnode's GitHub backup writes a post's day as `datePublished`, as JavaScript
    writes a date: such posts were undated."""
    write_files(tmp_path, {"cash.md": (
        '---\ntitle: "Cash flow"\ndatePublished: Wed Mar 15 2023 10:00:00 GMT+0000 '
        "(Coordinated Universal Time)\nslug: cash-flow\ntags: finance, small-business\n---\n\n"
        "Cash is king.\n"
    )})  # fmt: skip
    post = read(tmp_path)[0]["Cash flow"]
    assert (post.date, post.tags) == ("2023-03-15", ["finance", "small-business"])


def test_an_mdx_posts_javascript_statements_are_no_text(tmp_path):
    """An MDX post's `import` and `export` statements (to the next blank line, as MDX
    reads them) were paragraphs of its text (Astro's blog template's "Using MDX"); in a
    fenced code block they are the post's example, and stay."""
    write_files(tmp_path, {"using-mdx.mdx": (
        "---\ntitle: Using MDX\n---\n\nimport HeaderLink from '../components/HeaderLink.astro';\n"
        "import {\n  Chart,\n} from './chart.js';\n\nexport const year = 2024;\n\n"
        "Here is a component.\n\n<HeaderLink href=\"#\">Embedded component</HeaderLink>\n\n"
        "```js\nimport Chart from './chart.js';\n```\n\nThe end.\n"
    )})  # fmt: skip
    articles, problems = read(tmp_path)
    assert problems == []
    assert articles["Using MDX"].body == (
        "Here is a component.\n\nEmbedded component\n\nimport Chart from './chart.js';\n\nThe end."
    )


def test_a_docusaurus_blog_gives_its_authors_names_and_text(tmp_path):
    """Docusaurus' blog template (facebook/docusaurus, create-docusaurus): a post names
    its authors by their keys in the blog's authors.yml (the author facet said
    "slorber"); its admonitions' fences (":::tip", ":::") were paragraphs; a JSX
    button's JavaScript (`onClick={() => alert(…)}`) ended its tag for the Markdown
    parser, and the rest was text. In a code block, a fence is the post's example. An
    inline author is read too, and an edited authors file reaches the index."""
    blog = write_files(tmp_path / "blog", {
        "authors.yml": "slorber:\n  name: Sébastien Lorber\n  title: Docusaurus maintainer\n"
                       "yangshun:\n  name: Yangshun Tay\n",
        "2021-08-01-mdx-blog-post.mdx": "---\nslug: mdx\ntitle: MDX Blog Post\nauthors: "
            "[slorber]\n---\n\nBlog posts support MDX.\n\n:::tip[Mind the button]\n\nUse "
            "React.\n\n<button onClick={() => alert('clicked!')}>Click me!</button>\n\n:::\n",
        "2021-08-26-welcome/index.mdx": "---\ntitle: Welcome\nauthors: [yangshun, slorber]\n"
                                        "---\n\nWelcome aboard.\n\n```md\n:::note\n```\n",
        "2021-09-01-guest.md": "---\ntitle: Guest post\nauthors:\n  - name: Ann Guest\n"
                               "    title: Baker\n---\n\nBread.\n",
    })  # fmt: skip
    articles, problems = read(blog)
    assert problems == []
    shown = {t: (a.date, a.author, a.body) for t, a in articles.items()}
    assert shown == {
        "MDX Blog Post": ("2021-08-01", "Sébastien Lorber",
                          "Blog posts support MDX.\n\nMind the button\n\nUse React."),
        "Welcome": ("2021-08-26", "Yangshun Tay", "Welcome aboard.\n\n:::note"),
        "Guest post": ("2021-09-01", "Ann Guest", "Bread."),
    }  # fmt: skip
    from indexer.build import build_index
    from search.engine import search

    index = tmp_path / "index"
    old = time.time() - 60
    for file in blog.rglob("*"):
        os.utime(file, (old, old))
    build_index(blog, index)
    (blog / "authors.yml").write_text("yangshun:\n  name: Yangshun T.\n")
    build_index(blog, index)
    authors = {h["title"]: h["author"] for h in search(index, "welcome OR mdx").hits}
    assert authors == {"Welcome": "Yangshun T.", "MDX Blog Post": "slorber"}


def test_a_json_feed_gives_its_items(tmp_path):
    """A JSON Feed (jsonfeed.org; Micro.blog's blogs and many static sites publish one):
    read as JSON before, the whole feed was one record "has no body; article skipped".
    Each item is a post: its HTML or text, else its summary (an excerpt); a micro-post
    titled by its first words; the feed's author where the item names none (1.0's
    `author` too); a podcast episode with no text an audio post. A bad item costs only
    itself."""
    feed = {
        "version": "https://jsonfeed.org/version/1", "title": "Cash notes",
        "author": {"name": "Jim Blasingame"},
        "items": [
            {"id": "1", "title": "Cash flow", "url": "https://notes.example/cash-flow",
             "content_html": "<p>Cash is the <b>oxygen</b> of a small business.</p>",
             "date_published": "2021-05-03T10:00:00-07:00", "tags": ["cash", "money"],
             "authors": [{"name": "Ann Guest"}]},
            {"id": "2", "content_text": "Pricing is a promise.\n\nKeep it.",
             "date_published": "2021-05-04T09:00:00Z"},
            {"id": "3", "title": "Hiring", "summary": "Hire for attitude.",
             "date_modified": "2021-05-05T09:00:00Z"},
            {"id": "4", "title": "Episode 12", "attachments": [
                {"url": "https://notes.example/12.mp3", "mime_type": "audio/mpeg"}]},
            "not an item",
            {"id": "6", "title": "Dated oddly", "content_text": "Text.",
             "date_published": "yesterday"},
        ],
    }  # fmt: skip
    (tmp_path / "feed.json").write_text(json.dumps(feed))
    articles, problems = read(tmp_path)
    assert problems == [
        "feed.json: item 5 is not an object; skipped",
        "feed.json: item 6 ('Dated oddly'): date 'yesterday' is not a date; indexed without a date",
    ]
    shown = {t: (a.date, a.author, a.kind, a.excerpt, a.body) for t, a in articles.items()}
    assert shown == {
        "Cash flow": ("2021-05-03", "Ann Guest", "article", False,
                      "Cash is the oxygen of a small business."),
        "Pricing is a promise.": ("2021-05-04", "Jim Blasingame", "article", False,
                                  "Pricing is a promise.\n\nKeep it."),
        "Hiring": ("2021-05-05", "Jim Blasingame", "article", True, "Hire for attitude."),
        "Episode 12": (None, "Jim Blasingame", "audio", False, ""),
        "Dated oddly": (None, "Jim Blasingame", "article", False, "Text."),
    }  # fmt: skip
    assert articles["Cash flow"].tags == ["cash", "money"]
    assert articles["Cash flow"].url == "https://notes.example/cash-flow"
    (tmp_path / "feed.json").write_text('{"version": "https://jsonfeed.org/version/1.1"}')
    assert read(tmp_path)[1] == ["feed.json: is a JSON Feed with no list of items; skipped"]


def test_a_generators_built_site_is_not_read_again(tmp_path):
    """Given an Astro project's folder, its dist/ (the site Astro built: a page for
    every post) was read too, so each post was indexed twice. A project folder that a
    generator's file marks has its output folder left out; a folder named so in any
    other corpus is read."""
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>First post</title>'
            '<meta property="og:type" content="article"></head><body><article><h1>First '
            "post</h1><p>Lorem ipsum dolor sit amet.</p></article></body></html>")  # fmt: skip
    site = write_files(tmp_path / "blog", {
        "astro.config.mjs": "export default {};\n",
        "src/content/blog/first.md": "---\ntitle: First post\npubDate: 'Jul 08 2022'\n---\n"
                                     "Lorem ipsum dolor sit amet.\n",
        "dist/blog/first/index.html": page,
    })  # fmt: skip
    items = list(read_corpus(site, ImportOptions()))
    assert [a.source["file"] for a in items] == ["src/content/blog/first.md"]
    (site / "astro.config.mjs").unlink()
    read_again = [a for a in read_corpus(site, ImportOptions()) if isinstance(a, Article)]
    assert sorted(a.source["file"] for a in read_again) == [
        "dist/blog/first/index.html",
        "src/content/blog/first.md",
    ]


def test_a_sites_own_files_and_its_projects_code_are_no_posts(tmp_path):
    """Beside a site's posts: GitHub Pages' CNAME, Netlify's _redirects, a mirror's
    robots.txt, a web manifest, a Pelican project's pelicanconf.py and requirements.txt.
    Each was a problem ("not an article file", "no articles found") in every run."""
    site = write_files(tmp_path / "blog", {
        "content/cash.md": "Title: Cash flow\nDate: 2021-05-04\n\nCash is king.\n",
        "content/CNAME": "blog.example.com\n",
        "content/robots.txt": "User-agent: *\nDisallow: /admin/\n",
        "content/ads.txt": "google.com, pub-0000, DIRECT, f08c47fec0942fa0\n",
        "content/_redirects": "/old /new 301\n",
        "content/site.webmanifest": '{"name": "Blog", "icons": []}\n',
        "pelicanconf.py": "AUTHOR = 'Alexis'\nSITENAME = 'Blog'\n",
        "tasks.py": "import os\n",
        "requirements.txt": "pelican\nmarkdown\n",
    })  # fmt: skip
    articles, problems = read(site)
    assert problems == [] and list(articles) == ["Cash flow"]


def test_obsidians_markdown_is_read_as_its_site_shows_it(tmp_path):
    """A note of an Obsidian vault (Quartz, Obsidian Publish): its links ("[[Cash
    flow]]", "[[Cash flow|cash]]"), embeds, highlights, callouts and comments are none
    of Markdown's, and were text as typed. A link is its text, an embed and a comment
    are left out; in code they are the note's example (Jupyter's `%%time` too)."""
    write_files(tmp_path, {"content/pricing.md": (
        "---\ntitle: Pricing\n---\n\nSee [[Cash flow]], [[Cash flow|cash]] and "
        "[[Hiring#First hire]].\n\n![[chart.png]]\n\nA ==price is a promise==. %% check %%\n\n"
        "> [!tip] Mind the margin\n\nWrite `[[link]]` for a link.\n\n%%\nA note to self.\n%%\n\n"
        "Time a cell with `%%time` and `%%timeit`.\n\n```python\n%%time\nx = 1\n```\n"
    )})  # fmt: skip
    assert read(tmp_path)[0]["Pricing"].body == (
        "See Cash flow, cash and Hiring.\n\nA price is a promise.\n\nMind the margin\n\n"
        "Write [[link]] for a link.\n\nTime a cell with %%time and %%timeit.\n\n%%time x = 1"
    )


def test_a_jekyll_post_without_a_title_is_titled_by_its_name(tmp_path):
    """Jekyll titles a post with no title by its name ("welcome-to-jekyll": "Welcome To
    Jekyll"), as minima's own example posts have it: its first heading or first words
    were its title. Elsewhere a post without one still takes its first heading."""
    write_files(tmp_path, {
        "_posts/2016-05-20-welcome-to-jekyll.md": "---\nlayout: post\n---\nYou'll find "
                                                  "this post in your `_posts` directory.\n",
        "_posts/2016-05-19-codeblocks-ahoy.md": "---\nlayout: post\n---\n# Execute code\n\n"
                                                "Blocks of code.\n",
        "notes/plan.md": "---\nlayout: post\n---\n# A plan\n\nPlan ahead.\n",
    })  # fmt: skip
    articles, problems = read(tmp_path)
    assert problems == [] and sorted(articles) == ["A plan", "Codeblocks Ahoy",
                                                   "Welcome To Jekyll"]  # fmt: skip
    assert articles["Codeblocks Ahoy"].body == "Execute code\n\nBlocks of code."


def test_a_markdown_line_of_brackets_or_colons_is_read_at_once(tmp_path):
    """A line of 10,000 "[[" took 20 s to read (Obsidian's link pattern tried from each,
    to the line's end and back: 80 s for 20,000), one of ":::" and 5,000 ": " half a
    second (a container's: 2 s for 10,000), one of 5,000 "![" 0.4 s (an image's alt
    text: 7 s for 20,000 "![a")."""
    write_files(tmp_path, {
        "brackets.md": "---\ntitle: Brackets\n---\n" + "[[" * 10_000 + "\n\nText.\n",
        "colons.md": "---\ntitle: Colons\n---\n:::" + ": " * 5_000 + "x\n\nText.\n",
        "images.md": "---\ntitle: Images\n---\n" + "![" * 5_000 + "\n\nText.\n",
    })  # fmt: skip
    articles, problems = read_within(3, tmp_path)
    assert sorted(articles) == ["Brackets", "Colons", "Images"] and problems == []


def test_an_eleventy_starter_blog_gives_its_posts_and_nothing_else(tmp_path):
    """Eleventy's own starter blog (11ty/eleventy-base-blog), as its repository has it:
    JavaScript front matter ("---js") was read as text (the code the post's title, and
    a draft indexed); its 404 page was a post; netlify.toml ("[build]") and the feed's
    stylesheet were each "not an article file", so every run exited 1; and a post
    tagged "another tag" had the tags "another" and "tag". A Jekyll post's space list
    is still a list of tags, as Jekyll reads it."""
    site = write_files(tmp_path / "blog", {
        "eleventy.config.js": "export default function (config) {}\n",
        "netlify.toml": '[build]\n\tpublish = "_site"\n',
        "content/404.md": "---\npermalink: 404.html\neleventyExcludeFromCollections: true\n"
                          "---\n# Content not found.\n\nGo home.\n",
        "content/about.md": "---js\nconst eleventyNavigation = {\n\tkey: \"About\",\n"
                            "\ttitle: \"Menu\"\n};\n---\n# About\n\nI am a person.\n",
        "content/blog/first.md": "---\ntitle: First post\ndate: 2018-05-01\ntags: another tag"
                                 "\n---\nAgile frameworks.\n",
        "content/blog/fifth.md": '---js\nconst title = "A fifth post";\nconst date = '
                                 '"2023-01-23";\nconst draft = true;\n---\nA draft.\n',
        "content/blog/sixth.md": "---javascript\n{\n  title: 'The sixth post',\n  date: "
                                 '"2023-02-01",\n  tags: ["pricing", "sales"],\n  now: '
                                 "function() { return 1; },\n}\n---\nPrices.\n",
        "content/feed/pretty-atom-feed.xsl": '<?xml version="1.0"?>\n<xsl:stylesheet '
                                             'version="3.0"/>\n',
        "public/img/favicon.svg": '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/'
                                  '2000/svg"><circle r="4"/></svg>\n',
        "jekyll/_posts/2021-05-04-cash.md": "---\ntitle: Cash\ntags: cash flow\n---\nKing.\n",
    })  # fmt: skip
    articles, problems = read(site)
    assert problems == []
    assert sorted(articles) == ["About", "Cash", "First post", "The sixth post"]
    assert articles["About"].body == "I am a person."
    assert articles["First post"].tags == ["another tag"]
    sixth = articles["The sixth post"]
    assert (sixth.date, sixth.tags, sixth.body) == ("2023-02-01", ["pricing", "sales"], "Prices.")
    assert articles["Cash"].tags == ["cash", "flow"]


def test_markup_attributes_in_markdown_are_no_text(tmp_path):
    """kramdown's attribute lists (Jekyll: `{: .notice}` after a paragraph, as Minimal
    Mistakes' own test post has them, `{:target="_blank"}` after a link) and Goldmark's
    heading attributes (Hugo: `## Title {#id}`) were indexed and shown as words; so were
    the notes inside Liquid's and kramdown's comments."""
    write_files(tmp_path, {"_posts/2010-02-05-post-notice.md": (
        '---\ntitle: "Post: Notice"\n---\n\n**Changes:** We updated our policy.\n'
        '{: .notice}\n\nA [link](https://x.example){:target="_blank"} inline.\n\n'
        "## A heading {#custom-id .big}\n\nEnd.\n{: .notice--info}\n\n{% comment %}\nA note "
        "to self.\n{% endcomment %}\n{::comment}\nAnother.\n{:/comment}\n")})  # fmt: skip
    post = read(tmp_path)[0]["Post: Notice"]
    assert post.body.split("\n\n") == ["Changes: We updated our policy.", "A link inline.",
                                        "A heading", "End."]  # fmt: skip


def test_a_fault_in_an_importer_costs_its_file_only(tmp_path, monkeypatch):
    """Whatever an importer or its parser raises on one file's content is that file's
    problem, named, and the other files are read."""
    from indexer.importers import markdown

    def broken(text, name):
        yield from ()
        raise KeyError("a parser's fault")

    monkeypatch.setattr(markdown, "read_markdown", broken)
    import indexer.importers as importers

    monkeypatch.setitem(importers.READERS, "markdown", importers._whole(broken, text=True))
    (tmp_path / "a.md").write_text("---\ntitle: A\n---\nText.\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"title": "B", "body": "Text."}) + "\n")
    articles, problems = read(tmp_path)
    assert list(articles) == ["B"]
    fault = KeyError("a parser's fault")
    assert problems == [f"a.md: could not be read: KeyError in its importer ({fault}); the rest "
                        "of it is skipped"]  # fmt: skip


def test_a_hugo_leaf_bundles_other_files_are_no_posts(tmp_path):
    """A Markdown file in a Hugo leaf bundle (a folder with an index.md) other than its
    index is a page resource, of which Hugo publishes no page: hugoBasicExample's home
    page sections (homepage/about.md beside a headless homepage/index.md) were posts
    with addresses that do not exist. A branch bundle's (_index.md) pages are posts, and
    a folder of Markdown files that is no Hugo site is read whole."""
    site = write_files(tmp_path / "site", {
        "config.toml": 'baseURL = "https://b.example/"\n',
        "content/homepage/index.md": "---\nheadless: true\n---\n",
        "content/homepage/about.md": "---\ntitle: Our Difference\n---\nLorem ipsum.\n",
        "content/posts/_index.md": "---\ntitle: Posts\n---\n",
        "content/posts/cash.md": "---\ntitle: Cash flow\n---\nCash is king.\n",
        "content/posts/chairs/index.md": "---\ntitle: Chairs\n---\nA chair for customers.\n",
        "content/posts/chairs/index.fr.md": "---\ntitle: Chaises\n---\nUne chaise.\n",
        "content/posts/chairs/credits.md": "---\ntitle: Credits\n---\nPhotos by me.\n",
        "content/posts/chairs/notes/more.md": "---\ntitle: More\n---\nMore notes.\n",
        "content/posts/chairs/gallery/index.md": "---\ntitle: Gallery\n---\nPhotos.\n",
    })  # fmt: skip
    articles, problems = read(site)
    assert problems == []
    # ("index.fr.md" in a site without French is one of the bundle's files.)
    assert sorted(articles) == ["Cash flow", "Chairs"]
    assert articles["Chairs"].url == "https://b.example/posts/chairs/"
    # Each index of a bundle in a language of the site is the bundle's: hugo-theme-stack's
    # exampleSite lost its "About" and "Placeholder Text" to their translations.
    (site / "config.toml").write_text('baseURL = "https://b.example/"\n[languages.en]\n'
                                      "weight = 1\n[languages.fr]\nweight = 2\n")  # fmt: skip
    (site / "content" / "_index.fr.md").write_text("---\ntitle: Accueil\n---\n")
    articles, problems = read(site)
    assert sorted(articles) == ["Cash flow", "Chairs", "Chaises"] and problems == []
    assert articles["Chaises"].id.startswith("chairs-")  # (named by its folder, as its English)
    (site / "config.toml").unlink()
    assert sorted(read(site)[0]) == ["Cash flow", "Chairs", "Chaises", "Credits", "Gallery",
                                     "More", "Our Difference"]  # fmt: skip


def test_a_hugo_sites_folder_gives_the_posts_under_content_only(tmp_path):
    """Given a Hugo site's folder (not its content/), the built pages (public/), the
    theme's demo posts and the archetypes (post-shaped templates) were read too."""
    site = write_files(tmp_path / "site", {
        "hugo.toml": 'baseURL = "https://b.example/"\n',
        "content/posts/cash.md": '+++\ntitle = "Cash flow"\n+++\nCash is king.\n',
        "archetypes/default.md": '---\ntitle: "{{ .Name | title }}"\n---\n',
        "public/posts/cash/index.html":
            "<html><body><article><h1>Cash flow</h1><p>Cash is king.</p></article></body></html>",
        "themes/ananke/exampleSite/content/post/demo.md": "---\ntitle: Demo\n---\nLorem.\n",
    })  # fmt: skip
    # A section's list page (and the home page's) is not a post: each gave a problem, so
    # every run of a Hugo site exited 1.
    (site / "content" / "_index.md").write_text("---\ntitle: Home\n---\n")
    (site / "content" / "posts" / "_index.md").write_text("---\ntitle: Posts\n---\n")
    # Nor is a page its template makes (PaperMod's search and archives pages must exist,
    # with a layout and no text); a post with no text is still reported.
    (site / "content" / "search.md").write_text('---\ntitle: Search\nlayout: "search"\n---\n')
    (site / "content" / "archives.md").write_text(
        '---\ntitle: Archive\nlayout: archives\nurl: "/archives/"\n---\n'
    )
    articles, problems = read(site)
    assert list(articles) == ["Cash flow"] and problems == []
    (site / "content" / "posts" / "empty.md").write_text("---\ntitle: Empty\nlayout: post\n---\n")
    assert read(site)[1] == ["content/posts/empty.md:1: the post 'Empty' has no body text; skipped"]
    (site / "content" / "posts" / "empty.md").unlink()
    assert articles["Cash flow"].source["file"] == "content/posts/cash.md"
    (site / "hugo.toml").unlink()  # not a Hugo site: every folder is read
    assert len(read(site)[0]) > 1


def test_a_jekyll_post_imported_from_wordpress(tmp_path):
    """jekyll-import writes a WordPress blog's posts as HTML with YAML front matter, the
    author as its login, email and display name: the name is the author."""
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_config.yml").write_text("url: https://b.example\n")
    (tmp_path / "_posts" / "2010-03-05-cash.html").write_text(
        "---\nlayout: post\ntitle: Cash flow\ndate: 2010-03-05 10:00:00.000000000 -05:00\n"
        "type: post\nstatus: publish\nauthor:\n  login: admin\n  email: a@b.example\n"
        "  display_name: Jim Blasingame\n---\n<p>Cash is the <em>oxygen</em> of a business.</p>\n"
    )
    articles, problems = read(tmp_path)
    assert problems == []
    cash = articles["Cash flow"]
    assert (cash.author, cash.date, cash.body) == (
        "Jim Blasingame",
        "2010-03-05",
        "Cash is the oxygen of a business.",
    )
    assert cash.url == "https://b.example/2010/03/05/cash.html"


def test_a_ghost_post_page_with_read_more_cards_is_that_post(tmp_path):
    """Ghost's Casper shows three other posts' cards under a post ("read more"), not
    named as related posts: the page was read as a list of four, the post without its
    author, tags or own id, and each card a post of its own on every page."""
    cards = "".join(
        f'<article class="post-card post"><a class="post-card-content-link" href="/{slug}/">'
        f'<header class="post-card-header"><h2 class="post-card-title">{title}</h2></header>'
        f'<div class="post-card-excerpt">{title} in brief.</div></a></article>'
        for slug, title in (("pricing", "Pricing for profit"), ("hiring", "Hiring well"))
    )
    (tmp_path / "cash-flow.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><title>Cash flow is king</title>'
        '<link rel="canonical" href="https://ghost.example/cash-flow/">'
        '<meta property="og:type" content="article">'
        '<meta property="og:title" content="Cash flow is king">'
        '<meta property="article:tag" content="Money">'
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "Article", "headline": "Cash flow is king", "author": {"@type": '
        '"Person", "name": "Jim Blasingame"}, "datePublished": "2023-03-10T09:00:00.000Z"}'
        '</script></head><body class="post-template tag-money"><main>'
        '<article class="article post tag-money"><header class="article-header">'
        '<h1 class="article-title">Cash flow is king</h1></header>'
        '<section class="gh-content"><p>Cash is the oxygen of a small business.</p>'
        "</section></article></main>"
        f'<aside class="read-more-wrap"><div class="read-more">{cards}</div></aside>'
        "</body></html>"
    )
    articles, problems = read(tmp_path)
    assert problems == [] and list(articles) == ["Cash flow is king"]
    post = articles["Cash flow is king"]
    assert (post.author, post.tags, post.date, post.url) == (
        "Jim Blasingame",
        ["Money"],
        "2023-03-10",
        "https://ghost.example/cash-flow/",
    )
    assert "listing" not in post.source
    # Its home page lists the same cards: each a post, read as the excerpt it is.
    (tmp_path / "cash-flow.html").unlink()
    (tmp_path / "index.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><title>Blog</title>'
        '<link rel="canonical" href="https://ghost.example/">'
        '<meta property="og:type" content="website"></head><body class="home-template">'
        f"<main>{cards}</main></body></html>"
    )
    articles, problems = read(tmp_path)
    assert problems == [] and list(articles) == ["Pricing for profit", "Hiring well"]
    card = articles["Hiring well"]
    assert (card.body, card.excerpt, card.url) == (
        "Hiring well in brief.",
        True,
        "https://ghost.example/hiring/",
    )


def test_a_blogger_post_page_with_its_popular_posts_widget(tmp_path):
    """Blogger's themes (Contempo and its kin) mark a post's page "item-view" and list
    popular posts beside it as <article>s: the post is read alone, with its author (an
    hCard in "post-author")."""
    popular = "".join(
        f'<article class="post"><h3 class="post-title"><a href="https://n.blogspot.com/'
        f'{slug}.html">{title}</a></h3><div class="post-snippet">{title}...</div></article>'
        for slug, title in (("pricing", "Pricing for profit"), ("hiring", "Hiring well"))
    )
    (tmp_path / "post.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="UTF-8">'
        "<title>Small Business Notes: Cash flow is king</title>"
        '<link href="https://n.blogspot.com/2023/03/cash.html" rel="canonical">'
        '<meta content="Cash flow is king" property="og:title"></head>'
        '<body class="variant-indie_light item-view"><main>'
        '<article class="post-outer-container"><div class="post">'
        '<h3 class="post-title entry-title">Cash flow is king</h3>'
        '<span class="byline post-author vcard"><span class="fn">Jim Blasingame</span></span>'
        '<time class="published" datetime="2023-03-10T09:00:00-05:00">March 10</time>'
        '<div class="post-body entry-content"><p>Cash is the oxygen of a business.</p></div>'
        '<a href="https://n.blogspot.com/search/label/Money" rel="tag">Money</a>'
        "</div></article></main>"
        f'<aside><div class="widget PopularPosts">{popular}</div></aside></body></html>'
    )
    articles, problems = read(tmp_path)
    assert problems == [] and list(articles) == ["Cash flow is king"]
    post = articles["Cash flow is king"]
    assert (post.author, post.tags, post.date) == ("Jim Blasingame", ["Money"], "2023-03-10")


def test_a_papermod_list_page_gives_each_entry_its_link_and_date(tmp_path):
    """Hugo's PaperMod (its most used theme) writes a list page's entry with a title that
    is no link, a link over the whole card, and its date in a span's title: the entries
    had no address (so a crawl could not tell them from their own pages) and no date."""
    entries = "".join(
        f'<article class="post-entry"><header class="entry-header">'
        f'<h2 class="entry-hint-parent">{title}</h2></header>'
        f'<div class="entry-content"><p>{title}, in brief...</p></div>'
        f"<footer class=\"entry-footer\"><span title='{day} 09:00:00 +0000 UTC'>{day}</span>"
        f'</footer><a class="entry-link" aria-label="post link to {title}" '
        f'href="https://blog.example/posts/{slug}/"></a></article>'
        for slug, title, day in (("cash", "Cash flow", "2023-03-10"),
                                 ("pricing", "Pricing", "2023-02-01"))
    )  # fmt: skip
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Notes</title>'
        '<link rel="canonical" href="https://blog.example/"></head>'
        f'<body class="list"><main class="main">{entries}</main></body></html>'
    )
    articles, problems = read(tmp_path)
    assert problems == []
    assert {t: (a.url, a.date) for t, a in articles.items()} == {
        "Cash flow": ("https://blog.example/posts/cash/", "2023-03-10"),
        "Pricing": ("https://blog.example/posts/pricing/", "2023-02-01"),
    }


def test_a_hugo_sections_name_is_no_category(tmp_path):
    """Hugo's themes write the post's section ("posts", its folder) as article:section:
    every post of such a blog was filed under "posts". A real section is kept."""

    def page(section: str, address: str) -> str:
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Cash flow</title>'
            f'<meta property="og:url" content="{address}">'
            '<meta property="og:type" content="article">'
            f'<meta property="article:section" content="{section}"></head><body class="">'
            '<article class="post-single"><h1 class="post-title">Cash flow</h1>'
            '<div class="post-content"><p>Cash is king.</p></div></article></body></html>'
        )

    (tmp_path / "a.html").write_text(page("posts", "https://b.example/posts/cash-flow/"))
    (tmp_path / "b.html").write_text(page("Money", "https://c.example/2023/03/cash-flow/"))
    items = list(read_corpus(tmp_path))
    assert [a.categories for a in items] == [[], ["Money"]]


def test_a_post_pages_date_above_its_text_is_no_text(tmp_path):
    """Astro's blog template prints a post's date above its title, in the article, with
    no element for its text: "Jul 8, 2022" was the first paragraph of every post."""
    (tmp_path / "first-post.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"/><title>First post</title>'
        '<link rel="canonical" href="https://astro.example/blog/first-post/"/></head><body>'
        '<header><nav><a href="/">Home</a></nav></header><main><article><div class="prose">'
        '<div class="title"><div class="date"><time datetime="2022-07-08T00:00:00.000Z">Jul 8, '
        "2022</time></div><h1>First post</h1><hr/></div><p>Lorem ipsum dolor sit amet.</p>"
        "<p>Opened on 2022-07-08.</p></div></article></main></body></html>"
    )
    post = read(tmp_path)[0]["First post"]
    assert (post.date, post.body) == ("2022-07-08", "Lorem ipsum dolor sit amet.\n\n"
                                                    "Opened on 2022-07-08.")  # fmt: skip


def test_a_substack_post_page_is_its_text_and_its_date(tmp_path):
    """A Substack post's page holds its text in "available-content", beside its
    subtitle, byline, like count and subscribe box (all read as its text before), and
    its title has the class "published" (read as its date, "not a date")."""
    (tmp_path / "post.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Cash flow is king</title>'
        '<meta property="og:type" content="article">'
        '<link rel="canonical" href="https://notes.substack.com/p/cash-flow-is-king">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Cash flow '
        'is king", "datePublished": "2023-03-10T09:00:00+00:00", "author": [{"@type": '
        '"Person", "name": "Jim Blasingame"}]}</script></head><body>'
        '<article class="typography newsletter-post post"><div class="post-header">'
        '<h1 class="post-title published">Cash flow is king</h1>'
        '<h3 class="subtitle">Why cash matters</h3><div class="post-meta"><a href="/@jim">Jim '
        'Blasingame</a><div>Mar 10, 2023</div><div class="label">12</div></div></div>'
        '<div class="available-content"><div class="body markup"><p>Cash is the oxygen of a '
        'small business.</p><p class="button-wrapper"><a class="button primary" href="/p/'
        'cash-flow-is-king/comments"><span>Leave a comment</span></a></p></div></div>'
        '<div class="subscription-widget-wrap"><p>Thanks for reading! Subscribe.</p></div>'
        "</article></body></html>"
    )
    articles, problems = read(tmp_path)
    assert problems == []
    post = articles["Cash flow is king"]
    assert (post.body, post.date, post.author) == (
        "Cash is the oxygen of a small business.",
        "2023-03-10",
        "Jim Blasingame",
    )


def test_a_home_page_its_json_ld_calls_a_site_or_a_list_is_no_post(tmp_path):
    """Jekyll's Minima lists posts with no post markup; its home page's JSON-LD
    (jekyll-seo-tag) says it is the WebSite, Yoast's says CollectionPage: each was read
    by trafilatura as a post, "My blog", its text the titles it lists. A page that says
    it is a WebPage is still read."""
    listing = (
        '<main><h2>Posts</h2><ul class="post-list"><li><span class="post-meta">May 4, 2021'
        '</span><h3><a class="post-link" href="/cash.html">Cash flow is king</a></h3></li>'
        "</ul></main>"
    )

    def page(ld: dict, content: str) -> str:
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>My blog</title>'
            f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
            f"<body>{content}</body></html>"
        )

    (tmp_path / "index.html").write_text(page({"@type": "WebSite", "name": "My blog"}, listing))
    (tmp_path / "yoast.html").write_text(page({"@graph": [
        {"@type": "CollectionPage", "name": "Blog"}, {"@type": "WebSite", "name": "Blog"}
    ]}, listing))  # fmt: skip
    about = "<main><h1>About</h1><p>" + "I write about cash and pricing for owners. " * 8
    (tmp_path / "about.html").write_text(page({"@type": "WebPage"}, about + "</p></main>"))
    articles, problems = read(tmp_path)
    assert problems == [] and list(articles) == ["About"]


def block_theme_cards(*posts: tuple[str, str]) -> str:
    """A block theme's Query Loop of other posts (Twenty Twenty-Five's "More posts")."""
    return (
        '<ul class="wp-block-post-template">'
        + "".join(
            f'<li class="wp-block-post post-{n} post type-post hentry">'
            f'<h3 class="wp-block-post-title"><a href="https://n.example/{slug}/">{title}</a></h3>'
            f'<div class="wp-block-post-date"><time datetime="2023-02-0{n}T09:00:00+00:00">'
            f"Feb {n}, 2023</time></div></li>"
            for n, (slug, title) in enumerate(posts, start=1)
        )
        + "</ul>"
    )


def test_a_block_themes_post_page_is_its_post_not_the_more_posts_under_it(tmp_path):
    """WordPress's default theme since 6.7 (Twenty Twenty-Five) wraps no post element
    around a post's own text, and lists "More posts" under it as post elements: the page
    gave those cards as its posts (a date for their text) and lost the post itself."""
    cards = block_theme_cards(("pricing", "Pricing for profit"), ("hiring", "Hiring well"))
    (tmp_path / "post.html").write_text(
        '<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8">'
        "<title>Cash flow is king &#8211; Notes</title>"
        '<link rel="canonical" href="https://n.example/cash-flow/"></head>'
        '<body class="post-template-default single single-post postid-12">'
        '<header><p class="wp-block-site-title"><a href="https://n.example">Notes</a></p></header>'
        '<main class="wp-block-group"><h1 class="wp-block-post-title">Cash flow is king</h1>'
        '<div class="entry-content wp-block-post-content"><p>Cash is the oxygen of a '
        "small business.</p></div>"
        '<div class="wp-block-post-date"><time datetime="2023-03-10T09:00:00+00:00">'
        "March 10, 2023</time></div>"
        '<div class="wp-block-post-author-name"><a href="https://n.example/author/jim/">'
        "Jim Blasingame</a></div>"
        '<div class="taxonomy-category wp-block-post-terms">'
        '<a href="https://n.example/category/money/" rel="tag">Money</a></div>'
        '<div class="taxonomy-post_tag wp-block-post-terms">'
        '<a href="https://n.example/tag/cash/" rel="tag">cash</a></div>'
        f"<h2>More posts</h2>{cards}</main></body></html>"
    )
    articles, problems = read(tmp_path)
    assert problems == [] and list(articles) == ["Cash flow is king"]
    post = articles["Cash flow is king"]
    assert (post.body, post.date, post.author, post.categories, post.tags, post.url) == (
        "Cash is the oxygen of a small business.", "2023-03-10", "Jim Blasingame",
        ["Money"], ["cash"], "https://n.example/cash-flow/",
    )  # fmt: skip
    # A "Blog" page of such a theme holds its Query Loop in its own text: still a list,
    # its cards' excerpts read as such (a card with a title alone has nothing to read).
    cards = cards.replace(
        "</time></div></li>",
        '</time></div><div class="wp-block-post-excerpt"><p>In brief.</p></div></li>',
        1,
    )
    (tmp_path / "post.html").unlink()
    (tmp_path / "blog.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="UTF-8"><title>Blog</title>'
        '<link rel="canonical" href="https://n.example/blog/"></head>'
        '<body class="page-template-default page page-id-5"><main>'
        '<h1 class="wp-block-post-title">Blog</h1>'
        f'<div class="entry-content wp-block-post-content">{cards}</div></main></body></html>'
    )
    articles, problems = read(tmp_path)
    assert problems == [] and list(articles) == ["Pricing for profit"]
    card = articles["Pricing for profit"]
    assert (card.body, card.excerpt, card.date) == ("In brief.", True, "2023-02-01")


def test_a_single_posts_related_posts_are_not_posts_of_their_own(tmp_path):
    """Astra (and Jetpack, YARPP) list related posts under a single post as <article>s
    with a title and an excerpt: each was read as a post of its own, so every page of
    such a blog added its neighbours' stubs. A post tagged "related reading" is a post."""
    related = "".join(
        f'<article class="ast-related-post post-{n} post type-post hentry">'
        f'<h3 class="entry-title"><a href="https://b.example/{n}/">Other {n}</a></h3>'
        f'<div class="entry-content"><p>An excerpt of post {n}…</p></div></article>'
        for n in (40, 41)
    )
    (tmp_path / "single.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><title>Cash – Blog</title>'
        '<link rel="canonical" href="https://b.example/cash/"></head><body class="single">'
        '<article class="post-12 post type-post hentry tag-related-reading">'
        '<h1 class="entry-title">Cash flow</h1><div class="entry-content"><p>Cash is the '
        "oxygen of a business.</p></div></article>"
        f'<div class="ast-single-related-posts-container"><h2>Related Posts</h2>{related}'
        "</div></body></html>"
    )
    articles, problems = read(tmp_path)
    assert list(articles) == ["Cash flow"] and problems == []
    assert articles["Cash flow"].body == "Cash is the oxygen of a business."


def test_a_jekyll_sites_folder_gives_its_posts(tmp_path):
    """Given a new Jekyll site's folder (what `jekyll new` makes), its 404 page was a
    post, and its Gemfile and its home page (a layout's name and nothing else) were each
    a problem in every run, so every `rocksearch index` of it exited 1."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: My blog\ntheme: minima\n")
    (site / "index.md").write_text("---\nlayout: home\n---\n")
    (site / "404.html").write_text("---\nlayout: default\n---\n<h1>404</h1><p>Not found.</p>\n")
    (site / "Gemfile").write_text('source "https://rubygems.org"\n')
    (site / "_posts" / "2021-05-04-welcome.markdown").write_text(
        "---\ntitle: Welcome\ncategories: jekyll update\n---\nThe first post.\n"
    )
    articles, problems = read(site)
    assert list(articles) == ["Welcome"] and problems == []
    assert articles["Welcome"].date == "2021-05-04"


def test_markdown_tables_footnotes_and_definitions_are_text(tmp_path):
    """Hugo's and Jekyll's Markdown read GitHub's tables, footnotes and definition lists;
    CommonMark alone does not: a price table was indexed as "| Plan | Price | |------|",
    a footnote as "[^1]: …" and its mark glued to a word ("ref[^1]"). A table in HTML
    (as WordPress stores one) ran its cells together: "Price$10"."""
    (tmp_path / "plans.md").write_text(
        "---\ntitle: Plans\n---\n"
        "Our plans, in brief[^1].\n\n"
        "| Plan | Price |\n|------|-------|\n| Basic | $10 |\n| ~~Gold~~ | $99 |\n\n"
        "Churn\n: Customers who leave.\n\n"
        "<table><tr><td>Setup</td><td>free</td></tr></table>\n\n"
        "[^1]: Prices before tax.\n"
    )
    articles, problems = read(tmp_path)
    assert problems == []
    assert articles["Plans"].body.split("\n\n") == [
        "Our plans, in brief.",
        "Plan Price",
        "Basic $10",
        "Gold $99",
        "Churn",
        "Customers who leave.",
        "Setup free",
        "Prices before tax.",
    ]


def test_a_repositorys_own_files_and_templates_are_not_posts(tmp_path):
    """Given an Eleventy blog's folder: its README was a post, its home page template
    (index.njk, front matter and all) another, and package.json and its lock were each
    "an article with no title" in every run."""
    site = tmp_path / "site"
    (site / "content" / "blog").mkdir(parents=True)
    (site / "README.md").write_text("# eleventy-base-blog\n\nA starter repository.\n")
    (site / "LICENSE").write_text("MIT License\n")
    (site / "package.json").write_text('{"name": "blog", "version": "9.0.0"}\n')
    (site / "package-lock.json").write_text('{"name": "blog", "lockfileVersion": 3}\n')
    (site / "content" / "index.njk").write_text("---\nlayout: home.njk\n---\n<h1>Latest</h1>\n")
    (site / "content" / "blog" / "first.md").write_text("---\ntitle: First\n---\nHello.\n")
    articles, problems = read(site)
    assert list(articles) == ["First"] and problems == []


@pytest.mark.parametrize(
    "files",
    [
        # Hugo's headless bundles and `build: {render: never}` pages, and Eleventy's
        # `permalink: false` pages, feed other pages and have no address a reader can
        # open: each was a post.
        {
            "headless/index.md": "---\ntitle: Shared blurbs\nheadless: true\n---\nA blurb.\n",
            "never.md": "---\ntitle: Hidden\nbuild:\n  render: never\n---\nHidden text.\n",
            "old.md": "+++\ntitle = 'Old'\n[_build]\nrender = 'never'\n+++\nOld text.\n",
            "data.md": "---\ntitle: Data\npermalink: false\n---\nFor a collection only.\n",
            "post.md": "---\ntitle: A post\npermalink: /a-post/\n---\nRead me.\n",
        },
        # Minimal Mistakes' `search: false` (its own test post "Exclude Post from Search
        # Index"), PaperMod's `searchHidden: true` and Just the Docs' `search_exclude:
        # true` ask the site's search to leave a post out: rocksearch is that search.
        {
            "_posts/2017-11-28-post-exclude-search.md":
                '---\ntitle: "Exclude Post from Search Index"\nsearch: false\n---\nNo.\n',
            "content/posts/hidden.md": "---\ntitle: Hidden\nsearchHidden: true\n---\nNo.\n",
            "docs/page.md": "---\ntitle: Docs page\nsearch_exclude: true\n---\nNo.\n",
            "_posts/2017-11-29-shown.md": "---\ntitle: A post\nsearch: true\n---\nRead me.\n",
        },
        # A page that asks search engines not to index it, as a crawl of it would see:
        # PaperMod's `robotsNoIndex`, Docusaurus' `unlisted`, a theme's `noindex` and
        # `robots: noindex`.
        {
            "content/posts/a.md": "---\ntitle: A\nrobotsNoIndex: true\n---\nNo.\n",
            "blog/b.md": "---\ntitle: B\nunlisted: true\n---\nNo.\n",
            "c.md": "---\ntitle: C\nnoindex: true\n---\nNo.\n",
            "d.md": "---\ntitle: D\nrobots: noindex, follow\n---\nNo.\n",
            "e.md": "---\ntitle: A post\nrobots: index, follow\n---\nRead me.\n",
        },
    ],
)  # fmt: skip
def test_pages_the_site_does_not_offer_are_not_posts(tmp_path, files):
    write_files(tmp_path, files)
    articles, problems = read(tmp_path)
    assert list(articles) == ["A post"] and problems == []


def test_a_json_document_of_articles_is_read_as_json_lines_are(tmp_path):
    """A .json file holding an array of articles (the shape most scripts and CMSs write),
    one pretty-printed article, or {"posts": [...]} was "not an article file", or each of
    its lines "not valid JSON". A .json file of JSON Lines is still JSON Lines."""
    records = [{"title": "Array one", "body": "A."}, {"title": "Array two", "body": "B."}]
    write_files(tmp_path, {
        "array.json": json.dumps(records),
        "pretty.json": json.dumps({"title": "Pretty", "body": "Indented."}, indent=2),
        "wrapped.json": json.dumps({"posts": [{"title": "Wrapped", "body": "In posts."}]}),
        "lines.json": "".join(json.dumps({"title": f"Line {n}", "body": "L."}) + "\n"
                              for n in (1, 2)),
        "bad.json": '[{"title": "Fine", "body": "F."}, {"title": 7, "body": "x"}]',
    })  # fmt: skip
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["Array one", "Array two", "Fine", "Line 1", "Line 2",
                                "Pretty", "Wrapped"]  # fmt: skip
    assert problems == ["bad.json:2: 'title' must be a string, not 7; article skipped"]


def test_an_export_s_items_not_imported_cost_no_message_and_none_imported_one(tmp_path):
    """An attachment whose title has a bare & (TryGhost/migrate's sample export) was read
    by the post-at-a-time reader and said to be mended, though it is never imported: the
    run exited 1 for nothing. An export of drafts alone imported nothing, silently."""
    items = five_post_export().split(b"\t<item>")
    items[3] = items[3].replace(b"<title><![CDATA[Post 3]]></title>", b"<title>Q&A</title>")
    items[3] = items[3].replace(b"<![CDATA[post]]></wp:post_type>",
                                b"<![CDATA[attachment]]></wp:post_type>")  # fmt: skip
    (tmp_path / "media.xml").write_bytes(b"\t<item>".join(items))
    articles, problems = read(tmp_path / "media.xml")
    assert sorted(articles) == ["Post 1", "Post 2", "Post 4", "Post 5"] and problems == []
    drafts = five_post_export().replace(b"<![CDATA[publish]]>", b"<![CDATA[draft]]>")
    (tmp_path / "drafts.xml").write_bytes(drafts)
    assert read(tmp_path / "drafts.xml") == ({}, [
        "drafts.xml: none of the export's items (5) is a published post (drafts, "
        "scheduled, private and password-protected posts, attachments and menus are not "
        "imported)"])  # fmt: skip


def test_json_of_no_articles_and_rest_answers_of_other_types_say_so_once(tmp_path):
    """Users or categories saved from a REST API as JSON gave a "has no title" for each
    record; an answer of pages (not asked for) gave nothing at all, and the run looked
    clean with nothing imported. Each is now one message, as an export of other types
    gets (the WordPress importer's own fixtures, TryGhost/migrate's, have both)."""
    users = [{"id": n, "name": f"User {n}", "slug": f"u{n}", "avatar_urls": {}} for n in (1, 2)]
    pages = [
        {
            "id": 9,
            "type": "page",
            "status": "publish",
            "slug": "about",
            "title": {"rendered": "About"},
            "content": {"rendered": "<p>Us.</p>"},
        }
    ]
    write_files(tmp_path, {"users.json": json.dumps(users), "pages.json": json.dumps(pages)})
    articles, problems = read(tmp_path)
    assert articles == {}
    assert problems == [
        "pages.json: no published item is of the types asked for (post); its published "
        "items are page (1): see --post-types",
        "users.json: is JSON, but none of its 2 records is an article (no title or body; "
        "the first has id, name, slug, avatar_urls); skipped",
    ]
    articles, problems = read(tmp_path / "pages.json", post_types=frozenset({"post", "page"}))
    assert list(articles) == ["About"] and problems == []


def test_post_pages_and_rest_posts_marked_noindex_are_left_out(tmp_path):
    """A thank-you page, a preview or a thin post the author marked noindex was indexed
    and found like any post. A post page that says noindex (or none) to every robot or
    to rocksearch is left out, as Algolia's and Elastic's crawlers leave it; one that
    says it to Google alone is read; a listing page's noindex leaves its posts in (each
    has its own page); a REST API post is left out when Yoast says its page is noindex."""

    def page(title: str, head: str = "", posts: int = 1) -> str:
        articles = "".join(f"<article><h2>{title} {n}</h2><p>Words of post {n}.</p></article>"
                           for n in range(posts)) if posts > 1 else \
            f"<article><h1>{title}</h1><p>Check your inbox for the link.</p></article>"  # fmt: skip
        return f"<html><head><title>{title}</title>{head}</head><body>{articles}</body></html>"

    write_files(tmp_path / "mirror", {
        "thanks.html": page("Thanks", '<meta name="robots" content="noindex, follow">'),
        "preview.html": page("Preview", '<META NAME="Robots" CONTENT="None">'),
        "ours.html": page("Ours", '<meta name="rocksearch" content="noindex">'),
        "google.html": page("Google only", '<meta name="googlebot" content="noindex">'),
        "open.html": page("Open", '<meta name="robots" content="index, follow">'),
        "page-2.html": page("Listed", '<meta name="robots" content="noindex, follow">', posts=2),
    })  # fmt: skip
    articles, problems = read(tmp_path / "mirror")
    assert problems == []
    assert sorted(articles) == ["Google only", "Listed 0", "Listed 1", "Open"]

    def post(n: int, robots: dict | None) -> dict:
        found = {"id": n, "title": {"rendered": f"Post {n}"}, "status": "publish",
                 "type": "post", "content": {"rendered": f"<p>Text {n}.</p>"}}  # fmt: skip
        if robots is not None:
            found["yoast_head_json"] = {"robots": robots}
        return found

    (tmp_path / "posts.json").write_text(json.dumps([
        post(1, {"index": "noindex", "follow": "follow"}),
        post(2, {"index": "index", "follow": "follow", "max-snippet": "max-snippet:-1"}),
        post(3, None),
    ]))  # fmt: skip
    articles, problems = read(tmp_path / "posts.json")
    assert problems == [] and sorted(articles) == ["Post 2", "Post 3"]


def test_robots_headers_apply_to_every_robot_or_to_rocksearch():
    from indexer.importers.robots_meta import asks_noindex, header_directives

    def noindex(*values: str) -> bool:
        return asks_noindex(header_directives(values))

    assert noindex("noindex") and noindex("NoIndex, nofollow") and noindex("none")
    assert noindex("rocksearch: noindex") and noindex("googlebot: nofollow", "noindex")
    assert not noindex("googlebot: noindex") and not noindex("nofollow, noarchive")
    assert not noindex("unavailable_after: 25 Jun 2010 15:00:00 PST")
    assert noindex("noindex, unavailable_after: 25 Jun 2010 15:00:00 PST")
    assert not noindex() and not noindex("max-snippet: 20")


def test_an_export_leaves_out_the_posts_its_seo_plugin_marks_noindex(tmp_path):
    """Yoast SEO keeps a post's "no, don't show it in search results" as post meta "1"
    ("2" is yes); Rank Math as a serialized list. Such a post is left out of an export's
    import, as a crawl of its page leaves it out."""
    text = (FIXTURES / "export.xml").read_text("utf-8")

    def meta(key: str, value: str) -> str:
        return (f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key>"
                f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>")  # fmt: skip

    cash = "<wp:post_id>107</wp:post_id>"
    assert cash in text
    for marks, gone in [
        (meta("_yoast_wpseo_meta-robots-noindex", "1"), {"Cash is a fact"}),
        (meta("_yoast_wpseo_meta-robots-noindex", "2"), set()),
        (meta("rank_math_robots", 'a:2:{i:0;s:7:"noindex";i:1;s:8:"nofollow";}'),
         {"Cash is a fact"}),
        (meta("rank_math_robots", 'a:1:{i:0;s:5:"index";}'), set()),
    ]:  # fmt: skip
        (tmp_path / "export.xml").write_text(text.replace(cash, cash + marks), "utf-8")
        articles, problems = read(tmp_path / "export.xml")
        assert problems == []
        assert len(articles) == 4 - len(gone) and not gone & set(articles)


def listing(*posts: str, page: str = "", heading: str = "", body: str = "") -> str:
    """A blog's list page (home, archive or category page: its address under `page`) of
    the posts named."""
    items = "".join(
        f'<article class="post type-post hentry"><h2 class="entry-title">'
        f'<a href="https://b.example/{slug}/">{slug.title()}</a></h2>'
        f'<div class="entry-summary"><p>What {slug} teaches a small business.</p></div>'
        "</article>"
        for slug in posts
    )
    return (
        f'<html><head><link rel="canonical" href="https://b.example/{page}"></head>'
        f'<body class="{body}">{heading}<main>{items}</main></body></html>'
    )


def test_a_list_pages_post_keeps_its_id_when_a_new_post_moves_it_a_page_down(tmp_path):
    """A blog read from its archive pages: each post was named by the page it was on, so
    a new post moved every other one to a new id (its pins and clicks lost), and the
    same post on the home page and on its category's page was indexed twice."""
    before = write_files(tmp_path / "before", {
        "index.html": listing("cash", "pricing"),
        "page/2/index.html": listing("hiring", "storms", page="page/2/"),
        "category/news/index.html": listing("rocks", page="category/news/"),
    })  # fmt: skip
    after = write_files(tmp_path / "after", {
        "index.html": listing("rocks", "cash"),
        "page/2/index.html": listing("pricing", "hiring", page="page/2/"),
        # An archive's last page lists one post (known by its link leading elsewhere,
        # or by WordPress's body classes).
        "page/3/index.html": listing("storms", page="page/3/"),
        "category/news/index.html": listing("rocks", body="archive category"),
        # the same post again, on its category's page: one post, and no problem
        "category/money/index.html": listing("cash", "pricing", page="category/money/",
                                             heading="<h1>Category: Money</h1>"),
    })  # fmt: skip
    old, problems = read(before)
    assert problems == []
    new, problems = read(after)
    assert problems == []
    assert sorted(old) == sorted(new) == ["Cash", "Hiring", "Pricing", "Rocks", "Storms"]
    assert {t: a.id for t, a in old.items()} == {t: a.id for t, a in new.items()}
    assert new["Cash"].categories == ["Money"]  # (its category page, first by name)


def test_a_noindex_category_page_with_one_post_keeps_its_post(tmp_path):
    """Yoast marks category and tag pages noindex; a category with one post was read as
    that post's own page, so its noindex left the post out."""
    page = listing("rocks", page="category/news/").replace(
        "<head>", '<head><meta name="robots" content="noindex, follow">'
    )
    (tmp_path / "news.html").write_text(page)
    articles, problems = read(tmp_path)
    assert list(articles) == ["Rocks"] and problems == []
    own = page.replace("category/news/", "rocks/")  # (the post's own page says noindex)
    (tmp_path / "news.html").write_text(own)
    assert read(tmp_path)[0] == {}


def test_a_character_that_does_not_exist_or_a_malformed_field_costs_a_feed_nothing(tmp_path):
    """A hostile test (mutated feeds) found one character lose a whole feed: a reference
    to no character ("&#xD800;", "&#x110000;"), which feedparser raises on rather than
    reads (kurtmckee/feedparser#591, open); an XML declaration whose encoding is not
    ASCII; an entry whose description is never closed (feedparser gives its summary as
    None) or whose "<links" tag is cut (its link a mapping). Each was "could not be
    read: … in its importer; the rest of it is skipped": every post of the feed lost."""
    item = "<item><title>{}</title><link>https://b.example/{}/</link>{}</item>"
    feeds = {
        "surrogate.rss": item.format("Cash &#xD800; flow", "cash",
                                     "<description>&amp;#xD800; Keep it.</description>"),
        "beyond.rss": item.format("Pricing &#x110000;", "pricing",
                                  "<description>Raise &amp;#1114112; prices.</description>"),
        "cut.rss": "<item><title>Unclosed</title><description><![CDATA[<p>x</p>]]></content\n"
                   "</item>" + item.format("After it", "after", "<description>Read.</description>"),
        "links.rss": "<item><title>Tag cut</title><links week</title>"
                     "<link>https://b.example/t/</link><description>Text.</description></item>",
    }  # fmt: skip
    for name, items in feeds.items():
        (tmp_path / name).write_text(f"<rss><channel><title>B</title>{items}</channel></rss>")
    (tmp_path / "declared.rss").write_bytes(
        b'<?xml version="1.0" encoding="u\xf8f-8"?><rss><channel><title>B</title>'
        + item.format("Declared", "declared", "<description>Hiring.</description>").encode()
        + b"</channel></rss>"
    )
    articles, problems = read(tmp_path)
    assert sorted(articles) == [
        "After it",
        "Cash \ufffd flow",
        "Declared",
        "Pricing \ufffd",
        "Tag cut",
    ]
    assert articles["Cash \ufffd flow"].body == "\ufffd Keep it."
    assert articles["Pricing \ufffd"].body == "Raise \ufffd prices."
    assert articles["After it"].url == "https://b.example/after/"
    assert articles["Tag cut"].url is None  # (its link is the mapping: none)
    assert "cut.rss: the post 'Unclosed' has no body text; skipped" in problems
    assert not any("in its importer" in p for p in problems), problems


def test_a_malformed_address_or_json_ld_field_on_a_page_costs_it_nothing(tmp_path):
    """Python's urlsplit raises on "http://[oops/" (an unclosed IPv6 bracket): a post
    whose title linked there, and a page whose JSON-LD headline was an object, were
    lost whole ("ValueError in its importer", "AttributeError in its importer")."""
    (tmp_path / "linked.html").write_text(
        "<html><head><title>Linked</title></head><body><article class='post'>"
        "<h2 class='entry-title'><a href='http://[oops/'>Bracketed</a></h2>"
        "<div class='entry-content'><p>Cash flow is king.</p></div></article></body></html>"
    )
    (tmp_path / "ld.html").write_text(
        "<html><head><title>Hiring well</title><script type='application/ld+json'>"
        '{"@type": "BlogPosting", "headline": {"text": 1}, "url": ["x"]}</script></head>'
        "<body><main><p>Hire for attitude and train for skill, every time you hire, "
        "because skills can be taught to people who want to learn them.</p>"
        "<p>Attitude cannot be taught, and it shows in every customer's visit.</p>"
        "</main></body></html>"
    )
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["Bracketed", "Hiring well"]
    assert articles["Bracketed"].url is None
    assert articles["Bracketed"].body == "Cash flow is king."
    assert "Hire for attitude" in articles["Hiring well"].body
    assert not any("in its importer" in p for p in problems), problems


def test_a_wordpress_item_that_refers_to_no_character_is_read_and_named(tmp_path):
    """libxml2's recovering parser kept "&#xD800;" as bytes that are not UTF-8, and lxml
    raised on the item's text: every post after it in the export was lost."""
    posts = [
        Article(id=f"p{n}", title=f"Post {n}", body=f"Body {n} about cash flow.") for n in range(3)
    ]
    export = to_wxr(posts).replace("<![CDATA[Post 1]]>", "Post &#xD800;1")
    (tmp_path / "export.xml").write_text(export)
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["Post 0", "Post 2", "Post \ufffd1"]
    assert articles["Post \ufffd1"].body == "Body 1 about cash flow."
    assert problems == [
        "export.xml:26: item 2 ('Post \ufffd1'): it refers to a character that does not exist "
        "(such as &#xD800;); read as \ufffd"
    ]
    # In the export's <rss> tag, read again around each post once the XML parser has
    # stopped there: every post was lost.
    (tmp_path / "export.xml").write_text(to_wxr(posts).replace('xmlns:wp="', 'xmlns:wp="&#xD800;'))
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["Post 0", "Post 1", "Post 2"], problems
    assert not any("in its importer" in p for p in problems), problems


def test_a_feed_whose_author_is_a_hundred_thousand_letters_is_read_at_once(tmp_path):
    """feedparser looks for an e-mail address in an author's name with a pattern whose
    time grows with the square of its length: a 100 kB feed whose one author was a run
    of letters took 94 s to read (a hostile fuzz found it). The name is cut first."""
    (tmp_path / "feed.rss").write_text(
        '<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>B</title>'
        "<item><title>Long author</title><link>https://b.example/long/</link>"
        f"<dc:creator><![CDATA[Jim {'a' * 100_000}]]></dc:creator>"
        "<description>Cash flow is king.</description></item>"
        "<item><title>Next</title><author>Jim Blasingame</author>"
        "<description>Hire for attitude.</description></item></channel></rss>"
    )
    articles, problems = read_within(5, tmp_path)  # (0.05 s here; 94 s before)
    assert sorted(articles) == ["Long author", "Next"]
    assert articles["Long author"].body == "Cash flow is king."
    assert articles["Long author"].author.startswith("Jim aaa")
    assert articles["Next"].author == "Jim Blasingame"


def test_a_page_whose_printed_date_is_fifty_thousand_letters_is_read_at_once(tmp_path):
    """A printed date ("March 10, 2023") was looked for with an unbounded run of letters
    for the month, tried from every letter to the end: a page whose <time> held 50,000
    letters took 29 s (a hostile test of long fields found it)."""
    (tmp_path / "post.html").write_text(
        "<html><head><title>T</title></head><body><article class='post'>"
        f"<h1 class='entry-title'>Long date</h1><time class='published'>{'a' * 50_000}</time>"
        "<div class='entry-content'><p>Cash flow is king.</p></div></article>"
        "<article class='post'><h1 class='entry-title'>Dated</h1>"
        "<time class='published'>Posted on Sept. 3, 2021 by Jim</time>"
        "<div class='entry-content'><p>Hire for attitude.</p></div></article></body></html>"
    )
    articles, _ = read_within(5, tmp_path)  # (0.05 s here; 29 s before)
    assert articles["Long date"].date is None
    assert articles["Dated"].date == "2021-09-03"


def test_a_parser_s_message_that_quotes_a_huge_attribute_is_cut_short(tmp_path):
    """libxml2 quotes the input in some messages ("Specification mandates value for
    attribute X"): an attribute name of 60,000 letters gave a problem that long."""
    posts = [Article(id=f"p{n}", title=f"Post {n}", body=f"Body {n}.") for n in range(2)]
    export = to_wxr(posts).replace("<guid ", "<guid isPerma" + "a" * 60_000 + " ", 1)
    (tmp_path / "export.xml").write_text(export)
    articles, problems = read(tmp_path)
    assert sorted(articles) == ["Post 1"]  # (libxml2's lenient reading lost Post 0's text)
    assert len(problems) == 2 and all(len(p) < 400 for p in problems), [len(p) for p in problems]
    assert "mandates value for attribute isPermaaaa" in problems[0]


def test_an_entry_of_twenty_thousand_categories_is_read_at_once_with_its_first_500(tmp_path):
    """feedparser searches an entry's list of terms for each new one: an entry of 20,000
    categories took 7 s to read (a hostile test of repeated elements found it), one of
    100,000 minutes. Each entry's first 500 are read, and that is said."""
    terms = "".join(f"<category><![CDATA[c{n}]]></category>" for n in range(20_000))
    (tmp_path / "feed.rss").write_text(
        "<rss><channel><title>B</title>"
        f"<item><title>Many</title><description>Cash flow.</description>{terms}</item>"
        "<item><title>Few</title><description>Hiring.</description>"
        "<category>Hiring</category><category>People</category></item></channel></rss>"
    )
    articles, problems = read_within(3, tmp_path)  # (0.1 s here; 7 s before)
    assert articles["Many"].categories == [f"c{n}" for n in range(500)]
    assert articles["Few"].categories == ["Hiring", "People"]
    assert problems == [
        "feed.rss: an entry has more than 500 categories; the first 500 of each were read"
    ]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet="ab c\t\n\r\xa0\u3000\u2028\x1c", max_size=60))
def test_long_texts_lose_the_same_white_space_collapsed_a_piece_at_a_time(monkeypatch, text):
    """collapse_spaces on a text cut into pieces of 7 characters (every kind of cut: in
    a word, in white space, a piece all white space) gives what splitting and joining
    the whole gives."""
    from indexer.importers import html_text

    monkeypatch.setattr(html_text, "LONG_TEXT", 7)
    assert html_text.collapse_spaces(text) == " ".join(text.split())


PHOTO = ('<figure class="wp-block-image"><img src="https://b.example/shop.jpg" '
         'alt="The shop at dawn, before the first customer"/></figure>'
         '<img src="https://b.example/IMG_2041.jpg" alt="IMG_2041.jpg"/>')  # fmt: skip


def photo_sources(root: Path) -> None:
    """One photo post (no text, one described image and one named by its file only) in
    each HTML-holding source: a WordPress export, an RSS feed, a JSON Feed, a Ghost
    export, a WordPress REST API answer and a post page; in the export a photo named by
    its file alone too; and a list page whose cards show only their posts' thumbnails."""
    item = ("<item><title>{}</title><link>https://b.example/{}/</link>"
            "<content:encoded><![CDATA[{}]]></content:encoded>{}</item>")  # fmt: skip
    wp = ("<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
          "<wp:post_date_gmt>2024-03-01 10:00:00</wp:post_date_gmt>")  # fmt: skip
    (root / "export.xml").write_text(
        '<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<wp:wxr_version>1.2</wp:wxr_version>"
        + item.format("WP photo", "wp", PHOTO, wp)
        + item.format("WP unnamed", "wpu", PHOTO.split("</figure>")[1], wp)
        + "</channel></rss>"
    )  # fmt: skip
    (root / "feed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>B</title>'
        + item.format("Feed photo", "f", PHOTO, "<pubDate>Fri, 01 Mar 2024 10:00:00 GMT</pubDate>")
        + "</channel></rss>"
    )  # fmt: skip
    (root / "feed.json").write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "B",
        "items": [{"id": "1", "title": "JSON Feed photo", "content_html": PHOTO}]}))  # fmt: skip
    export = json.loads((FIXTURES / "ghost-export.json").read_text())
    post = dict(export["db"][0]["data"]["posts"][0], id="ph1", uuid="ph1", slug="photo",
                title="Ghost photo", html=PHOTO, plaintext="", custom_excerpt=None)  # fmt: skip
    export["db"][0]["data"]["posts"] = [post]
    (root / "ghost.json").write_text(json.dumps(export))
    (root / "posts.json").write_text(json.dumps([{
        "id": 1, "date_gmt": "2024-03-01T10:00:00", "link": "https://b.example/rest/",
        "guid": {"rendered": "https://b.example/?p=1"}, "title": {"rendered": "REST photo"},
        "content": {"rendered": PHOTO, "protected": False}, "excerpt": {"rendered": ""},
        "format": "standard", "type": "post"}]))  # fmt: skip
    (root / "page.html").write_text(
        "<html><head><title>Page photo</title></head><body>"
        '<article class="post"><h1 class="entry-title">Page photo</h1>'
        '<img class="avatar" src="/jim.jpg" alt="Jim Blasingame"/>'
        f'<div class="entry-content">{PHOTO}</div></article></body></html>'
    )  # fmt: skip
    card = ('<article class="post"><h2 class="entry-title"><a href="/{0}/">{0}</a></h2>'
            '<div class="entry-summary"><img src="/{0}.jpg" alt="{0} thumbnail"/></div>'
            "</article>")  # fmt: skip
    (root / "list.html").write_text(
        f"<html><body>{card.format('Listed one')}{card.format('Listed two')}</body></html>"
    )


def test_a_photo_post_is_searched_by_its_images_descriptions(tmp_path):
    """A post that is only a photo, in any source that holds HTML, is an image post
    whose text is its image's description (alt text), as a Markdown post's is: each had
    been "has no body text; skipped". A description that only names the file says
    nothing: such a post is found by its title. On a post page, only the post's content
    is asked (the avatar beside it is the theme's)."""
    photo_sources(tmp_path)
    articles, problems = read(tmp_path)
    shown = {t: (a.kind, a.body) for t, a in articles.items()}
    described = ("image", "The shop at dawn, before the first customer")
    assert shown == {
        **{title: described for title in (
            "WP photo", "Feed photo", "JSON Feed photo", "Ghost photo", "REST photo",
            "Page photo")},
        "WP unnamed": ("image", ""),
    }  # fmt: skip
    assert problems == []


def wp_item(title: str, post_id: int, content: str, kind: str = "post", parent: int = 0,
            alt: str | None = None, caption: str = "") -> str:  # fmt: skip
    """One <item> of a WordPress export: a published post, or an attachment."""
    meta = (f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
            f"<wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>"
            if alt is not None else "")  # fmt: skip
    return (f"<item><title>{title}</title><link>https://b.example/{post_id}/</link>"
            f"<content:encoded><![CDATA[{content}]]></content:encoded>"
            f"<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>"
            f"<wp:post_id>{post_id}</wp:post_id><wp:post_parent>{parent}</wp:post_parent>"
            f"<wp:post_type>{kind}</wp:post_type><wp:status>"
            f"{'inherit' if kind == 'attachment' else 'publish'}</wp:status>"
            f"<wp:post_date_gmt>2024-03-01 10:00:00</wp:post_date_gmt>{meta}</item>")  # fmt: skip


def test_a_wordpress_gallery_post_is_searched_by_its_images_descriptions(tmp_path):
    """A post that is a classic gallery and nothing else ("[gallery ids=…]", or
    "[gallery]": the images uploaded to it) was "has no body text; skipped": the
    shortcode names its images by id, and their descriptions are the export's
    attachment items, after the post as often as before it. It is an image post now,
    whose text is its images' alt texts and captions, in the gallery's order; a file's
    name says nothing. With no description (or an export without its media), it is
    found by its title. A post with text says what it says."""
    items = [
        wp_item("Opening day", 10, '[gallery columns="2" ids="13, 12,14"]'),
        wp_item("shop-front", 12, "", "attachment", 10, alt="Our new shop front"),
        wp_item("crowd", 13, "", "attachment", 10, alt="", caption="<p>The first customers</p>"),
        wp_item("IMG_2041", 14, "", "attachment", 10, alt="IMG_2041.jpg"),
        wp_item("lights", 21, "", "attachment", 20, alt="Lights in the window"),
        wp_item("Holiday windows", 20, '[gallery link="file"]'),
        wp_item("Lost photos", 30, '[gallery ids="99"]'),
        wp_item("Words", 40, '<p>Our week.</p>[gallery ids="12"]'),
    ]
    (tmp_path / "export.xml").write_text(
        '<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<wp:wxr_version>1.2</wp:wxr_version>" + "".join(items) + "</channel></rss>"
    )  # fmt: skip
    articles, problems = read(tmp_path)
    assert {t: (a.kind, a.body) for t, a in articles.items()} == {
        "Opening day": ("image", "The first customers\n\nOur new shop front"),
        "Holiday windows": ("image", "Lights in the window"),
        "Lost photos": ("image", ""),
        "Words": ("article", "Our week."),
    }
    assert problems == []
    assert articles["Opening day"].url == "https://b.example/10/"


def test_a_gallery_post_mended_in_a_broken_export_is_read_and_said(tmp_path):
    """In an export read one post at a time after a fault, a gallery post that had to
    be mended (an & not written as &amp;) is read with its images' descriptions, and
    the mending is said, as for any post (the gallery is given once the export is read,
    and its message had been lost with it)."""
    items = [wp_item("First", 1, "<p>Words.</p>"),
             wp_item("Q&A gallery", 10, '[gallery ids="12"]'),
             wp_item("shop", 12, "", "attachment", 10, alt="Our new shop front")]  # fmt: skip
    text = ('<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            "<wp:wxr_version>1.2</wp:wxr_version>\n" + "\n".join(items)
            + "\n</channel></rss>")  # fmt: skip
    # (On lines of their own, as WordPress writes them: the blocks read one at a time.)
    text = text.replace("<item>", "\n\t<item>\n").replace("</item>", "\n\t</item>\n")
    (tmp_path / "export.xml").write_text(text.replace("\t</item>", "\t</item>\n<junk", 1))
    articles, problems = read(tmp_path)
    assert {t: a.body for t, a in articles.items()} == {
        "First": "Words.", "Q&A gallery": "Our new shop front"}  # fmt: skip
    assert any("'Q&A gallery'" in p and "not written as &amp;" in p for p in problems), problems


GALLERY_ATTRIBUTES = st.sampled_from([
    "", ' ids="1,2"', " ids='2'", ' ids=""', ' include="1 2"', ' ids="1,,x"', " ids=", '="',
    ' ids="' + "9," * 300 + '"', ' ids="1" ids="2"', "[gallery]",
])  # fmt: skip
IDS = st.sampled_from(["1", "2", "", "x", "0", "5", " 1 "])


@given(st.lists(GALLERY_ATTRIBUTES, min_size=1, max_size=3),
       st.lists(st.tuples(IDS, IDS, st.none() | MARKUP_PIECES | st.text(max_size=10),
                          MARKUP_PIECES | st.text(max_size=10)), max_size=4))  # fmt: skip
@settings(max_examples=80, deadline=None)
def test_odd_galleries_and_attachments_cost_at_most_their_post(attributes, attachments):
    """A gallery post's shortcodes and its attachments, odd ones too (ids that are no
    number, an attachment of no post or of itself, any alt text or caption): each reads
    to an article or a problem naming the file, never an importer's fault."""
    content = "".join(f"[gallery{a}]" for a in attributes)
    items = [wp_item("Gallery", 5, content)]
    items += [wp_item("img", i, "", "attachment", p, alt=alt, caption=caption)  # type: ignore[arg-type]
              for i, p, alt, caption in attachments]  # fmt: skip
    data = ('<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            "<wp:wxr_version>1.2</wp:wxr_version>" + "".join(items)
            + "</channel></rss>")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xml"
        path.write_bytes(data.encode("utf-8", "surrogatepass"))
        found = list(read_corpus(path, ImportOptions()))
    assert all(isinstance(a, Article | SourceError) for a in found)
    assert not [a for a in found if "could not be read" in str(a)]  # (the importer's fault)
    gallery = [a for a in found if isinstance(a, Article) and a.title == "Gallery"]
    assert gallery or any(isinstance(a, SourceError) for a in found)


def linkedin_page(title: str, body: str, published: str | None = "2019-05-02 10:00",
                  slug: str = "cash-fact-jim-blasingame") -> str:  # fmt: skip
    """An article's page as LinkedIn's data export writes it (Articles/Articles/)."""
    when = f'<p class="published">Published on {published}</p>' if published else ""
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        f"<title>{title}</title><style>body {{ font-family: sans-serif }}</style></head><body>"
        '<img class="cover-img" src="https://media.licdn.com/cover.jpg" alt="">'
        f'<h1><a href="https://www.linkedin.com/pulse/{slug}">{title}</a></h1>'
        f'<p class="created">Created on 2019-05-01 09:12</p>{when}<div>{body}</div></body></html>'
    )


@pytest.mark.parametrize("zipped", [True, False])
def test_a_linkedin_exports_articles_are_read_with_their_dates_and_addresses(tmp_path, zipped):
    """LinkedIn's data export (a zip; its articles one page each under Articles/Articles)
    was read as any page: "Created on …" and "Published on …" were its first
    paragraphs, its address on LinkedIn was lost, and drafts were indexed. Now each
    published article is read with its publication day and address, its headings kept;
    a draft (no publication line) is left out; a photo article is searched by its
    image's description; each by the export's owner, named in its Profile.csv (they
    had no author). Unpacked, the export's tables (Profile.csv, Connections.csv…) are
    passed over as in the zip: each had been "not an article file"; a change to the
    profile has the articles read again."""
    pages = {
        "Articles/Articles/2019-05-02 10:00:00.0-Cash-is-a-fact.html": linkedin_page(
            "Cash is a fact",
            "<p>Profit is an opinion, but cash is a fact.</p><h2>Why cash matters</h2>"
            "<p>The bank asks about cash, never about profit.</p>"),
        "Articles/Articles/2019-06-01 08:00:00.0-Draft.html": linkedin_page(
            "Unfinished thoughts", "<p>Not ready yet.</p>", published=None, slug="draft"),
        "Articles/Articles/2020-01-03 10:00:00.0-Shop.html": linkedin_page(
            "Our shop", '<p><img src="https://media.licdn.com/s.jpg" alt="The shop at dawn"></p>',
            published="2020-01-03 10:00", slug="our-shop-jim-blasingame"),
        "Articles/Articles/2019-03-01 10:00:00.0-Leap.html": linkedin_page(
            "Leap day", "<p>Dated oddly.</p>", published="2019-02-30 10:00", slug="leap"),
        "Profile.csv": "\ufeffFirst Name,Last Name,Maiden Name,Address,Birth Date,Headline,"
                       'Summary\nJim,Blasingame,,,,"Small business expert, author",'
                       '"Radio host"\n',  # (as LinkedIn writes it, a BOM first)
        "Connections.csv": "First Name,Last Name,Company\nAnn,Lee,Acme\n",
    }  # fmt: skip
    if zipped:
        with zipfile.ZipFile(tmp_path / "Basic_LinkedInDataExport_12-07-2026.zip", "w") as z:
            for name, text in pages.items():
                z.writestr(name, text)
    else:
        write_files(tmp_path, pages)
    articles, problems = read(tmp_path)
    where = "Basic_LinkedInDataExport_12-07-2026.zip/" if zipped else ""
    assert problems == [
        f"{where}Articles/Articles/2019-03-01 10:00:00.0-Leap.html: the article "
        "'Leap day': date '2019-02-30 10:00' is not a date; indexed without a date"
    ]
    assert {a.author for a in articles.values()} == {"Jim Blasingame"}  # (the profile's)
    shown = {t: (a.date, a.url, a.kind, a.body) for t, a in articles.items()}
    assert shown == {
        "Cash is a fact": ("2019-05-02", "https://www.linkedin.com/pulse/cash-fact-jim-blasingame",
                           "article", "Profit is an opinion, but cash is a fact.\n\n"
                           "Why cash matters\n\nThe bank asks about cash, never about profit."),
        "Our shop": ("2020-01-03", "https://www.linkedin.com/pulse/our-shop-jim-blasingame",
                     "image", "The shop at dawn"),
        "Leap day": (None, "https://www.linkedin.com/pulse/leap", "article", "Dated oddly."),
    }  # fmt: skip
    if not zipped:
        from indexer.importers.layouts import read_beside

        page = tmp_path / "Articles" / "Articles" / "2019-03-01 10:00:00.0-Leap.html"
        assert read_beside(page) == [tmp_path / "Profile.csv"]
        (tmp_path / "Profile.csv").write_text("First Name,Last Name\n")  # (no row: no name)
        articles, problems = read(tmp_path)
        assert len(articles) == 3 and {a.author for a in articles.values()} == {None}


def test_a_photo_post_of_many_images_is_read_at_once(tmp_path):
    """A gallery post of 50,000 described images (no other text): each description
    once, read in a moment (the check for a description already kept was a list's,
    which made such a post take minutes)."""
    images = "".join(f'<img src="/p{i}.jpg" alt="Photo {i} of the shop">' for i in range(50_000))
    (tmp_path / "feed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>B</title>'
        f"<item><title>Gallery</title><content:encoded><![CDATA[{images}]]></content:encoded>"
        "</item></channel></rss>"
    )
    articles, problems = read_within(5, tmp_path)
    gallery = articles["Gallery"]
    assert gallery.kind == "image" and gallery.body.startswith("Photo 0 of the shop\n\nPhoto 1 ")
