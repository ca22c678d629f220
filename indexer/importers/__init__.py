"""Importers: one module per kind of source, and the registry that picks one per file.

Takes a file (`read_file`); gives its articles and problems. Which importer reads a file
is decided by its first bytes, not its name alone (`choose`): an `.xml` may be a
WordPress export, a feed or a sitemap, a `.txt` may hold HTML. The importers:

| module        | reads                                                            |
|---------------|------------------------------------------------------------------|
| `pages`       | pages scraped from the blog as text (the seed corpus)            |
| `jsonl`       | JSON Lines, one article a line (`rocksearch export` writes them) |
| `wxr`         | WordPress exports (WXR), streamed                                |
| `feeds`       | RSS and Atom feeds (feedparser)                                  |
| `json_feed`   | JSON Feed (jsonfeed.org 1.0 and 1.1)                             |
| `wp_rest`     | WordPress REST API answers (`/wp-json/wp/v2/posts?_embed`)       |
| `html_pages`  | HTML post and archive pages (lxml; trafilatura as the fallback)  |
| `markdown`    | Markdown posts with YAML, TOML, JavaScript or Pelican front matter |
| `notion`      | a Notion database's pages (Markdown), their properties as front matter |
| `movable_type`| Movable Type's and TypePad's export (a text file of entries)     |
| `ghost`       | Ghost exports (JSON: posts, tags and authors joined)             |
| `substack`    | Substack exports (posts.csv, with posts/ beside it)              |
| `bear_blog`   | Bear Blog exports (one CSV, each post's Markdown in it)          |
| `csv_posts`   | any other CSV table of posts (Webflow, HubSpot, Wix, a sheet)   |
| `spreadsheets`| Excel and OpenDocument workbooks of posts, read as CSV tables    |
| `documents`   | an article written in Word (.docx) or as an OpenDocument text    |
| `archives`    | zip and gzip archives of any of these (WordPress.com's export)   |

A Markdown post's site, and what its site says of it, are `static_sites`'s; where the
site publishes it, `site_addresses`'s. Every importer hands its posts to
`post.assemble`, so furniture, maxims, excerpts and kinds follow the same rules
whatever the source.
"""

from __future__ import annotations

import codecs
import functools
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from indexer.article import Article, Known, SourceError
from indexer.importers import (
    archives,
    bear_blog,
    csv_posts,
    documents,
    feeds,
    ghost,
    html_pages,
    json_feed,
    jsonl,
    linkedin,
    markdown,
    movable_type,
    site_addresses,
    spreadsheets,
    static_sites,
    substack,
    wp_rest,
    wxr,
)
from indexer.importers.encoding import file_text
from indexer.importers.options import ImportOptions
from indexer.importers.pages import parse_page
from indexer.importers.post import importer_fault

SNIFF_BYTES = 8192
# Raised when an importer other than the JSON Lines reader changes what it makes of the
# same bytes (1: Markdown tables and footnotes, table cells apart; 2: posts marked
# noindex left out, and a list page's posts whose own pages were crawled; 3: a Hugo or
# Jekyll site's Markdown posts given their live addresses; 4: a list page's post named by
# its link, not its page; 5: Jekyll's :name is the file's whole name, and its
# `defaults` and posts collection's permalinks read; 6: a Markdown page its template
# fills, with a layout and no text, skipped without a problem; an author given as a
# mapping, jekyll-import's, read; a Hugo file's language code not in its address; 7:
# a post page's cards of other posts, Ghost's "read more" and Blogger's popular posts,
# not read as posts; an hCard in "post-author" an author; a block theme's post page
# read as its post, not as the "More posts" under it; PaperMod's list entries' links
# and dates; a Hugo section's name in article:section no category; Substack's post
# pages' text and date; a page its JSON-LD calls the site or a list, with no post
# markup, no post; 8: a Hugo post past its expiryDate left out, Hugo's date keys in any
# case; Substack's buttons and sign-up boxes no text; a Jekyll name's one-digit month or
# day; Eleventy's JavaScript front matter; a 404 page no post; a tag of several words
# one tag outside Jekyll's posts; a post kept out of the site's search left out;
# kramdown's and Goldmark's markup attributes, and Liquid's comments, no text; an
# export's faults read past, and its items never imported, said as they are; 9: a
# Markdown post's keys in any case outside Jekyll's posts, as Hugo reads them; a file
# in a Hugo leaf bundle, other than its index, no post; a post that is only an embed
# searched by its summary; Zola's taxonomies, addresses and dated names; Pelican's
# metadata; Astro's pubDate and named months; MDX's statements no text; Docusaurus'
# authors file; containers' fences no text; Hexo's addresses; WordPress's scheduled
# and Ghost's posts once due; a post page's date above its text no text; Obsidian's
# links, embeds, highlights, callouts and comments; a Medium response's text;
# Pelican's addresses; a photo post's alt text; an untitled Jekyll post's name; a
# post whose page asks not to be indexed left out; 10: a photo post of a WordPress
# export or REST API, a feed, a JSON Feed, a Ghost or Substack export or a post page
# searched by its images' descriptions; a description that is only a file's name
# left out; a LinkedIn export's article pages read as such, their drafts left out; 11:
# a WordPress export's gallery post searched by its attachments' descriptions; 12: a
# LinkedIn export's articles by its owner, named in its Profile.csv; 13: a CSV table of
# posts, with a header row naming its columns, read (it was "not an article file"); 14: an
# Excel or OpenDocument workbook of one (passed over as an archive of no posts); 15: a
# Notion page's properties read as its front matter; 16: a Movable Type or TypePad export
# read as its entries, not as a scraped page; 17: a Word document or an OpenDocument text
# read as an article; 18: a .doc of HTML read as its page, Office's owner files passed
# over):
# the read cache then reads such files again instead of keeping what the last run made
# of them.
IMPORTERS_VERSION = 18
TEXT_PAGE_SUFFIXES = {".txt", ".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# What a site mirror holds beside its pages: skipped without a word.
ASSET_SUFFIXES = {
    ".css", ".js", ".mjs", ".map", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico",
    ".woff", ".woff2", ".ttf", ".eot", ".otf", ".mp3", ".mp4", ".webm", ".ogg", ".wav",
    ".pdf", ".zip", ".gz", ".avif", ".bmp", ".tiff",
}  # fmt: skip
# A site generator's templates, and a repository's own files: never a post. Skipped
# without a word: given a blog's whole source folder (Eleventy's, say), its README was a
# post, and package.json and its lock each "an article with no title" in every run.
TEMPLATE_SUFFIXES = {
    ".njk", ".liquid", ".hbs", ".handlebars", ".mustache", ".ejs", ".pug",
    ".jsx", ".tsx", ".ts", ".vue", ".svelte", ".astro", ".scss", ".sass", ".less",
    ".xsl", ".xslt",  # (a feed's stylesheet for browsers: Eleventy's starter has one)
    # A static site's configuration, whatever its first bytes (netlify.toml starts with
    # "[build]", which the test for a JSON file saved as an asset let through).
    ".toml", ".yaml", ".yml", ".ini", ".cfg", ".lock", ".webmanifest",
    # A project's code (Pelican's pelicanconf.py and tasks.py: "not an article file" in
    # every run). Not .php or .pl: a mirror saves such a site's pages under their names.
    ".py", ".rb", ".sh", ".go", ".rs", ".java", ".kt", ".swift", ".c", ".h", ".cpp", ".cs",
}  # fmt: skip
REPOSITORY_FILES = re.compile(
    r"(?:readme|licen[cs]e|changelog|contributing|code_of_conduct)(?:\.\w+)?"
    r"|package(?:-lock)?\.json|composer\.json|[jt]sconfig\.json|vercel\.json"
    r"|gemfile|rakefile|makefile|dockerfile|procfile|requirements(?:[-_.][\w.-]+)?\.txt"
    # A site's own files beside its pages (GitHub Pages' CNAME, Netlify's _redirects and
    # _headers, a mirror's robots.txt): each was a problem in every run.
    r"|cname|_redirects|_headers|(?:robots|humans|ads|app-ads|security|llms)\.txt"
    r"|manifest\.json|browserconfig\.xml|crossdomain\.xml"
    # What the system leaves in a folder of documents: Word's and Excel's owner file of
    # a document open for editing ("~$pricing.docx", a few bytes: "not an article
    # file" while the columnist wrote), Windows' thumbnails and folder settings.
    r"|~\$.*|thumbs\.db|desktop\.ini",
    re.I,
)
SITEMAP = re.compile(rb"<(?:urlset|sitemapindex)\b", re.I)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # (Word 97-2003's file, Excel's .xls)

Reader = Callable[[Path, str, bytes, ImportOptions], Iterator[Article | SourceError]]


def _whole(read: Callable[..., Iterator[Article | SourceError]], text: bool = False,
           options: bool = False) -> Reader:  # fmt: skip
    """An importer that needs the whole file, as bytes or (UTF-8) text."""

    def reader(path: Path, name: str, head: bytes, opts: ImportOptions):
        data = path.read_bytes()
        if not text:
            yield from (read(data, name, opts) if options else read(data, name))
            return
        decoded, problems = file_text(data, name)
        yield from problems  # (read all the same, unless it is no text: encoding.py)
        if decoded is not None:
            yield from read(decoded.lstrip("\ufeff"), name)

    return reader


def _read_markdown(path: Path, name: str, head: bytes, opts: ImportOptions):
    """A Markdown post, with its address on the live site when it is a Hugo or Jekyll
    site's (static_sites.py)."""
    place = static_sites.place_of(path)
    address = None
    if static_sites.bundle_indexes(path, place):
        return  # (a page resource of a Hugo leaf bundle: no page of its own)
    if place is not None:

        def address(fields: dict, day: str | None, title: str) -> str | None:
            return site_addresses.post_url(place, path.name, fields, day, title)

    authors = static_sites.author_names(static_sites.authors_file(path))
    read = functools.partial(markdown.read_markdown, address=address, authors=authors)
    yield from _whole(read, text=True)(path, name, head, opts)


def _read_html(path: Path, name: str, head: bytes, opts: ImportOptions):
    """An HTML page; a LinkedIn export's article with its owner as the author."""
    read = functools.partial(html_pages.read_html, author=linkedin.author_of(path))
    yield from _whole(read, options=True)(path, name, head, opts)


READERS: dict[str, Reader] = {
    "wxr": wxr.read_wxr,
    "feed": _whole(feeds.read_feed, options=True),
    "html": _read_html,
    "markdown": _read_markdown,
    "wp_rest": _whole(wp_rest.read_rest, options=True),
    "ghost": _whole(ghost.read_ghost, options=True),
    "json_feed": _whole(json_feed.read_json_feed),
    "substack": substack.read_substack,
    "bear_blog": _whole(bear_blog.read_bear_blog, options=True),
    "csv_posts": _whole(csv_posts.read_csv_posts, options=True),
    "movable_type": _whole(movable_type.read_movable_type, text=True),
    "spreadsheet": spreadsheets.read_spreadsheet,
    "document": documents.read_document,
    "jsonl": _whole(jsonl.read_jsonl),  # read_file passes `known` to it directly
    "json": _whole(jsonl.read_json),
    "text_page": _whole(parse_page, text=True),
}


def choose(head: bytes, suffix: str) -> str:
    """The importer for a file starting with `head`, or a sentence saying why there is none
    (a sentence always contains a space; an importer's name never does)."""
    if not head.strip():
        return "the file is empty"
    if suffix in spreadsheets.SUFFIXES:  # (a zip, or Excel's old binary file)
        return "spreadsheet"
    if suffix in documents.SUFFIXES:  # (a zip; one that is not says so: read_document)
        return "document"
    if suffix == ".doc" and head.startswith(OLE_MAGIC):
        # (A .doc that holds HTML, as a web app's "Export to Word" writes it, is a page.)
        return "is a Word 97-2003 document, which is not read; save it as .docx (Word's Save As)"
    if head.startswith(b"{\\rtf"):
        return "is a Rich Text document, which is not read; save it as .docx (Word's Save As)"
    if b"\x00" in head:
        return "is a binary file, not text or HTML; skipped"
    if substack.sniff(head):
        return "substack"
    if bear_blog.sniff(head):
        return "bear_blog"
    if suffix in csv_posts.SUFFIXES:
        return "csv_posts" if csv_posts.sniff(head) else csv_posts.why_not(head)
    if movable_type.sniff(head):
        return "movable_type"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if wxr.sniff(head):
        return "wxr"
    if SITEMAP.search(head[:2048]):
        return (
            "is a sitemap (a list of page addresses, no articles); skipped: "
            "`rocksearch crawl` fetches the pages a sitemap lists"
        )
    if feeds.sniff(head):
        return "feed"
    if html_pages.sniff(head):
        return "html"
    if markdown.sniff(head) or suffix in markdown.SUFFIXES:
        return "markdown"
    if ghost.sniff(head):
        return "ghost"
    if json_feed.sniff(head):
        return "json_feed"
    if wp_rest.sniff(head):
        return "wp_rest"
    if suffix == ".json" and jsonl.is_document(head):
        return "json"  # (an array of articles, or one pretty-printed)
    if jsonl.sniff(head):
        return "jsonl"
    if suffix in TEXT_PAGE_SUFFIXES:
        return "text_page"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "is XML or markup, but not a WordPress export, feed, sitemap or HTML page"
    return (
        "not an article file (expected a WordPress export, a feed, HTML pages, Markdown, "
        "REST API JSON, JSON Lines, a CSV table or workbook of posts, Word documents or "
        "scraped .txt pages)"
    )


def read_file(
    file: Path,
    name: str,
    options: ImportOptions | None = None,
    known: jsonl.KnownLines | None = None,
    *,
    unpacked: bool = False,
) -> Iterator[Article | Known | SourceError]:
    """Every article in one file, and a SourceError (naming it) for each problem. In a
    JSON Lines file, what `known` (jsonl.KnownLines) recognises comes back as `Known` items.
    A zip or gzip archive is read as the files inside it (archives.py); `unpacked`: the
    file came out of one, and is not unpacked again (a zip that holds itself)."""
    options = options or ImportOptions()
    suffix = file.suffix.lower()
    if suffix in TEMPLATE_SUFFIXES or REPOSITORY_FILES.fullmatch(file.name):
        return
    try:
        with file.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        yield SourceError(name, None, f"cannot be read: {exc.strerror or exc}")
        return
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield from _from_utf16(file, name, options)
        return
    if archives.is_archive(head) and suffix not in spreadsheets.SUFFIXES | documents.SUFFIXES:
        if unpacked:
            yield SourceError(name, None, "is an archive inside an archive; skipped")
        else:
            yield from archives.read_archive(file, name, head, options, _unpacked)
        return
    if suffix in ASSET_SUFFIXES and (
        suffix == ".svg" or not head.lstrip().startswith((b"<", b"{", b"["))
    ):
        # A stylesheet, script or image of a site mirror (and its SVG images, which are
        # markup: each was "not a WordPress export, feed, sitemap or HTML page", so every
        # run of Astro's blog template exited 1 for its favicon).
        return
    chosen = choose(head, suffix)
    if " " in chosen:
        yield SourceError(name, None, chosen)
        return
    try:
        if chosen == "jsonl" and known is not None:
            yield from jsonl.read_jsonl_file(file, name, known)
        else:
            yield from READERS[chosen](file, name, head, options)
    except OSError as exc:
        yield SourceError(name, None, f"cannot be read: {exc.strerror or exc}")
    except RecursionError:
        yield SourceError(name, None, "is nested too deeply to read; skipped")
    except Exception as exc:
        # A fault in an importer or a parser on this file's content (lxml's assertion on
        # a bodiless page stopped the whole run): this file's alone, named, the rest read.
        why = importer_fault(exc)
        yield SourceError(name, None, f"could not be read: {why}; the rest of it is skipped")


def _unpacked(file: Path, name: str, options: ImportOptions):
    return read_file(file, name, options, unpacked=True)


def _from_utf16(file: Path, name: str, options: ImportOptions) -> Iterator[Article | SourceError]:
    """A file of UTF-16 text with its byte order mark (what Windows PowerShell 5's `>`
    and "Unicode" in older editors write), read as the same text in UTF-8 from a
    temporary copy: every importer then reads it as it reads any other file. Its NUL
    bytes made it "a binary file" before."""
    try:
        text = file.read_bytes().decode("utf-16")  # (the BOM says which byte order)
    except OSError as exc:
        yield SourceError(name, None, f"cannot be read: {exc.strerror or exc}")
        return
    except UnicodeDecodeError as exc:
        yield SourceError(name, None, f"is UTF-16 text with a broken character at byte "
                                      f"{exc.start:,}; skipped")  # fmt: skip
        return
    with tempfile.TemporaryDirectory(prefix="rocksearch-utf16-") as folder:
        copy = Path(folder) / Path(name).name  # (the same suffix: it can choose the importer)
        copy.write_bytes(text.lstrip("\ufeff").encode("utf-8"))
        yield from read_file(copy, name, options)


__all__ = ["ImportOptions", "choose", "read_file"]
