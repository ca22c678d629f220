"""HTML page importer: a saved post page or archive page in, its posts out.

Takes the bytes of one HTML page (saved from a browser, a `wget --mirror`, or fetched by
`rocksearch crawl`); gives one `Article` per post on it and a `SourceError` per problem.
A page's own structure is used where it has one, as blog themes write it:

* each top-level `<article>` (or `.hentry`/`.type-post` element in older themes) is a
  post: its title from `.entry-title` or the first heading, its link from the title's
  link, its date from `<time datetime>`, categories from `rel="category tag"` links,
  tags from `rel="tag"` links, its kind from the `format-video`-style class WordPress
  adds, its text from `.entry-content` (or Ghost's `.gh-content`; else `.entry-summary`
  or a Ghost card's excerpt: an excerpt); on one post's own page with other posts'
  cards beside it, that post alone (`page_posts`);
* microformats2 (`h-entry`: `p-name`, `e-content`, `p-author`, `u-url`), as IndieWeb
  themes and Medium's export write it, the same (a Medium export's drafts, `draft_…`
  files, are not read);
* JSON-LD `BlogPosting`/`Article` and `og:`/`article:` meta fill in what a single post
  page leaves out (date, author, section, keywords, canonical address);
* a page with none of that goes to trafilatura, a well-kept main-content extractor;
* a LinkedIn export's article page to its own reader (linkedin.py).

A post page whose robots meta tag (or the X-Robots-Tag the crawl recorded) says
noindex or none is not read (robots_meta.py); a listing page's posts are.

Pages are parsed with lxml. The character set comes from a byte order mark, the page's
own `<meta charset>`, the Content-Type the crawl recorded, then UTF-8; a page that is
none of these is read as Windows-1252 and says so.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from indexer.addresses import joined, split
from indexer.article import Article, SourceError
from indexer.importers.html_text import (
    CONTROL,
    WIDGETS,
    element_paragraphs,
    element_photo_text,
    html_parser,
    inline_text,
)
from indexer.importers.linkedin import is_linkedin_article, read_article
from indexer.importers.options import ImportOptions, address_key
from indexer.importers.post import (
    assemble,
    first_date,
    parse_when,
    quoted,
    said,
    slug_from_url,
    stable_id,
    text_of,
)
from indexer.importers.robots_meta import asks_noindex, header_directives, meta_directives

if TYPE_CHECKING:
    from lxml.html import HtmlElement  # (lxml is imported where a page is parsed)

HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|meta|title|div|p)\b",
    re.I | re.S,
)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
ARCHIVE_HEADING = re.compile(
    r"^(?:(Category|Tag)(?: Archives?)?(?: for)?\s*:|Posts? (?:tagged|in))"
    r"\s*['‘\"“]?(.+?)['’\"”]?$",
    re.I,
)
FORMAT_CLASS = re.compile(r"\bformat-(video|audio|image|gallery|podcast)\b")
POST_TYPES = ("BlogPosting", "Article", "NewsArticle", "Posting", "SocialMediaPosting")
# Parts of a post element that are never its text.
NOT_TEXT = (
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' screen-reader-text ')"
    " or contains(@class, 'sharedaddy') or contains(@class, 'jp-relatedposts')"
    " or contains(@class, 'entry-meta') or contains(@class, 'entry-footer')"
    " or contains(@class, 'post-navigation') or contains(@class, 'comments')"
    " or contains(@class, 'author-box') or contains(@class, 'share')"
    # (a block theme's blocks of a post's date, terms and author, beside its text)
    " or contains(@class, 'wp-block-post-date') or contains(@class, 'wp-block-post-terms')"
    " or contains(@class, 'wp-block-post-author') or " + WIDGETS + "]"
)


def has_class(name: str) -> str:
    # (The cheap test first: lxml stops at its `false`, so the class attribute is split
    # into words only where it holds the name at all; one such test per element, ten
    # of them per post, cost a tenth of reading a page.)
    return (f"(contains(@class, '{name}') "
            f"and contains(concat(' ', normalize-space(@class), ' '), ' {name} '))")  # fmt: skip


def sniff(head: bytes) -> bool:
    return bool(HTML_START.match(head.lstrip(b"\xef\xbb\xbf")))


def decode(data: bytes, content_type: str | None) -> tuple[str, str | None]:
    """(text, a problem or None): BOM, then <meta charset>, then HTTP's, then UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), None
    names = []
    if m := META_CHARSET.search(data[:4096]):
        names.append(m.group(1).decode("ascii", "replace"))
    if content_type and (m := HEADER_CHARSET.search(content_type)):
        names.append(m.group(1))
    for name in names:
        try:
            return data.decode(name), None
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        said = f" although it says {names[0]}" if names else " and names no character set"
        return data.decode("cp1252", "replace"), (
            f"is not UTF-8 (byte 0x{data[exc.start]:02x}){said}; read as Windows-1252"
        )


@functools.lru_cache(maxsize=256)
def _compiled(expression: str):
    from lxml import etree

    return etree.XPath(expression)


def xpath(el, expression: str) -> list:
    """el.xpath(expression), the expression compiled once: lxml compiles the text of an
    expression on every call, a fifth of reading a post page (its two dozen XPaths,
    the same for every page)."""
    return _compiled(expression)(el)


def first_text(el, xpath_: str) -> str | None:
    for found in xpath(el, xpath_):
        text = inline_text(found if isinstance(found, str) else found.text_content())
        if text:
            return text
    return None


def json_ld_items(doc) -> list[dict]:
    """Every JSON-LD item of the page (inside lists and @graph too)."""
    out: list[dict] = []
    for script in xpath(doc, "//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                out.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
    return out


def ld_types(item: dict) -> list:
    types = item.get("@type")
    return types if isinstance(types, list) else [types]


def json_ld_posts(doc) -> list[dict]:
    return [item for item in json_ld_items(doc) if any(t in POST_TYPES for t in ld_types(item))]


# What a page's JSON-LD says it is when it is a site's home page or a list of posts
# (jekyll-seo-tag's home page: a WebSite alone; Yoast's: a CollectionPage), and the
# types that say nothing of the page itself.
LIST_PAGE_TYPES = frozenset({"CollectionPage", "Blog", "ItemList", "SearchResultsPage"})
NOT_A_PAGE_TYPES = frozenset({"WebSite", "Organization", "Person", "BreadcrumbList",
                              "ImageObject", "SearchAction", "EntryPoint", "ListItem"})  # fmt: skip


def said_to_list(doc: HtmlElement) -> bool:
    """Whether the page's JSON-LD says it is a list of posts or the site's home page
    (and no post): with no post markup either, trafilatura read it as a post, the list
    of titles and dates its text ("My blog", found for every post it listed)."""
    types = {t for item in json_ld_items(doc) for t in ld_types(item) if isinstance(t, str)}
    if types & set(POST_TYPES):
        return False
    if types & LIST_PAGE_TYPES:
        return True
    return "WebSite" in types and not types - NOT_A_PAGE_TYPES


def ld_names(value) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def ld_author(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else None


def meta(doc, prop: str) -> str | None:
    found = xpath(doc, f"//meta[@property='{prop}' or @name='{prop}']/@content")
    return found[0].strip() if found and found[0].strip() else None


def metas(doc, prop: str) -> list[str]:
    return [v.strip() for v in xpath(doc, f"//meta[@property='{prop}']/@content") if v.strip()]


# Where a post's title and text are: themes' classes, and microformats2's in an h-entry.
TITLE = f".//*[{has_class('entry-title')} or {has_class('post-title')}] | .//h1 | .//h2 | .//h3"
TITLE_MF2 = TITLE.replace("]", f" or {has_class('p-name')}]", 1)
CONTENT = (f".//*[{has_class('entry-content')} or {has_class('post-content')} "
           f"or @itemprop='articleBody' or {has_class('post-body')} "
           f"or {has_class('gh-content')} or {has_class('available-content')}]")  # fmt: skip
CONTENT_MF2 = CONTENT[:-1] + f" or {has_class('e-content')}]"
# A list page's excerpt of a post (WordPress's, its block themes', Ghost's cards':
# Casper's and Source's), read where the post element has no whole text.
SUMMARY = (f".//*[{has_class('entry-summary')} or {has_class('post-card-excerpt')} "
           f"or {has_class('gh-card-excerpt')} "
           f"or {has_class('wp-block-post-excerpt')}]")  # fmt: skip


def h_entry(el) -> bool:
    """Whether the post element is (or is inside) a microformats2 `h-entry`: only then
    are its `p-name`, `e-content`, `p-author` and `u-url` looked for (each look is an
    XPath over the post's elements, a few per cent of reading a page)."""
    return any("h-entry" in (node.get("class") or "") for node in (el, *el.iterancestors()))


def post_elements(doc) -> list:
    found = xpath(doc, "//article[not(ancestor::article)]")
    if not found:
        found = xpath(
            doc,
            f"//*[({has_class('hentry')} or {has_class('type-post')})"
            f" and not(ancestor::*[{has_class('hentry')}])]",
        )
    return [el for el in found if "comment" not in (el.get("class") or "") and not related(el)]


def related(el) -> bool:
    """Whether a post element is, or is inside, a theme's or plugin's "related posts" block
    (Astra's `ast-related-post`, Jetpack's `jp-relatedposts`, YARPP's `yarpp-related`):
    other posts' titles and excerpts under a single post, each read as a post of its own
    before. A category's or tag's class ("tag-related-reading") is not such a block."""
    for node in (el, *el.iterancestors()):
        for token in (node.get("class") or "").split():
            if "related" in token and not token.startswith(("category-", "tag-")):
                return True
    return False


def page_terms(doc) -> tuple[list[str], list[str]]:
    """An archive page's own category or tag ("Category: Customer Care")."""
    heading = first_text(
        doc, f"//h1[{has_class('page-title')} or {has_class('archive-title')}] | //h1"
    )
    if heading and (m := ARCHIVE_HEADING.match(heading)):
        kind = (m.group(1) or "").lower()
        return ([m.group(2)], []) if kind == "category" else ([], [m.group(2)])
    return [], []


def medium_draft(doc, name: str) -> bool:
    """Whether the page is a draft in a Medium export (its posts/ folder holds the
    drafts too, named "draft_…"; each page says "Exported from Medium")."""
    return PurePosixPath(name).name.startswith("draft_") and from_medium_export(doc)


def from_medium_export(doc) -> bool:
    """Whether the page is one of a Medium export's: each says "Exported from Medium"."""
    return bool(xpath(doc, "//footer//a[@href='https://medium.com']"))


def medium_untitled(doc) -> bool:
    """Whether the page is, in a Medium export, a response to someone's story or a story
    with no title of its own: Medium titles such a page by the start of its text, and
    gives it no heading (`graf--title`) and no subtitle. Its text is not the title
    repeated as a heading: it is the text. (Its first paragraph was dropped as such, and
    a response of one paragraph was "has no body text" in every run.)"""
    return from_medium_export(doc) and not xpath(
        doc, "//*[contains(@class, 'graf--title')] | //*[@data-field='subtitle']"
    )


def noindex(doc, origin: dict) -> bool:
    """Whether a parsed page asks not to be indexed, by its robots meta tags or by the
    X-Robots-Tag headers the crawl recorded in its `origin`."""
    headers = origin.get("robots")
    headers = headers if isinstance(headers, list) else ()
    return asks_noindex(meta_directives(doc) | header_directives(headers))


def left_out_as_noindex(data: bytes, origin: dict) -> bool:
    """Whether read_html leaves this page out as a post page marked noindex (the
    crawler counts them)."""
    import lxml.html
    from lxml import etree

    text, _ = decode(data, origin.get("content_type"))
    try:
        doc = lxml.html.document_fromstring(CONTROL.sub(" ", text), parser=html_parser())
    except (etree.ParserError, ValueError):
        return False
    base = page_address(doc, origin)
    return is_single(doc, page_posts(doc, base), base) and noindex(doc, origin)


def page_address(doc: HtmlElement, origin: dict) -> str | None:
    """The page's own address: its canonical link, og:url, or where the crawl found it."""
    return (
        first_text(doc, "//link[@rel='canonical']/@href")
        or meta(doc, "og:url")
        or origin.get("url")
    )


# WordPress's body classes (body_class()), Ghost's and Blogger's (its themes since
# 2017: "item-view" on a post's page, "feed-view" on its lists): a post's or a page's
# own page, and the pages that list posts (the home page's, an archive's, a category's,
# a later page of any).
SINGLE_BODY = frozenset({"single", "singular", "page", "attachment", "error404",
                         "post-template", "page-template", "item-view"})  # fmt: skip
LISTING_BODY = frozenset({"home", "blog", "archive", "paged", "category", "tag", "search",
                          "author", "date", "tax", "home-template", "tag-template",
                          "author-template", "feed-view"})  # fmt: skip


def page_posts(doc: HtmlElement, base: str | None) -> list:
    """The page's post elements: all of them on a page that lists posts; on one post's
    own page with other posts' cards beside it (Ghost's "read more", a theme's "you
    might also like" not named as related posts), that post's alone. The page says it
    is one post's (its body class, or og:type "article") and names the post (its JSON-LD
    headline or og:title), and one element has that title: before, the post was read as
    one of a list (no author, no tags, a list page's id) and each card as a post of its
    own, on every post page of such a blog. Where every element is a card (its link
    leads elsewhere) and the post's text is outside them, as WordPress's block themes
    write a post's page (Twenty Twenty-Five's "More posts" under it), the cards are
    dropped and the page's <main> is the post (its text was lost: the cards were read
    as the page's posts, with their dates for text)."""
    elements = post_elements(doc)
    if not elements:
        return elements
    if not (body_classes(doc) & SINGLE_BODY or (meta(doc, "og:type") or "").lower() == "article"):
        return elements
    if base and all(_leads_elsewhere(el, base) for el in elements):
        cards = set(elements)  # (lxml gives one node the same object while it is held)
        # Text neither in a card nor around one (a block theme's "Blog" page holds its
        # Query Loop's cards in its own text: a list, left as it was).
        if any(cards.isdisjoint(found.iterancestors()) and cards.isdisjoint(found.iter())
               for found in xpath(doc, CONTENT)):  # fmt: skip
            for el in elements:
                el.drop_tree()
            body = doc.find("body")
            holder = xpath(doc, "//main")
            return holder[:1] or ([body] if body is not None else [])
    if len(elements) < 2:
        return elements
    names = {inline_text(str(item.get("headline") or "")).casefold() for item in json_ld_posts(doc)}
    names |= {(meta(doc, "og:title") or "").casefold()}
    names.discard("")
    own = []
    for el in elements:
        title = title_of(el)
        if title and inline_text(title[0].text_content()).casefold() in names:
            own.append(el)
    return own if len(own) == 1 else elements


def is_single(doc: HtmlElement, elements: list, base: str | None) -> bool:
    """Whether a page is one post's own page (or has no post markup), not a page that
    lists posts. A list page may list one post (a category's only post, an archive's
    last page): known by WordPress's body classes, else by its post's link leading
    elsewhere than the page itself. Read as a post's page, its post was named by the
    page, not by its link (a new id whenever it moved), and a category page's noindex
    left the post out."""
    if len(elements) != 1:
        return not elements
    classes = body_classes(doc)
    if classes & SINGLE_BODY:
        return True
    if classes & LISTING_BODY:
        return False
    return not base or not _leads_elsewhere(elements[0], base)


def body_classes(doc: HtmlElement) -> set[str]:
    """The classes of the page's <body> (SINGLE_BODY and LISTING_BODY tell from them)."""
    body = doc.find("body")
    return set((body.get("class") or "").split()) if body is not None else set()


def _leads_elsewhere(el: HtmlElement, base: str) -> bool:
    """Whether a post element links to another page than `base` (another post's card)."""
    link = post_link(el, title_of(el), base)
    return bool(link) and _where(link) != _where(base)


def _where(url: str) -> tuple[str, str, str]:
    """An address as compared: host (no www.), path (no trailing slash), query."""
    parts = split(url.strip())
    if parts is None:
        return "", url.strip(), ""  # (no address: compared as written)
    host = parts.netloc.lower().removeprefix("www.")
    return host, parts.path.rstrip("/"), parts.query


def read_html(data: bytes, name: str, options: ImportOptions,
              author: str | None = None) -> Iterator[Article | SourceError]:  # fmt: skip
    """The posts of one HTML page, and its problems. `author`: a LinkedIn export's
    owner, for its articles' pages (linkedin.author_of)."""
    origin = options.origin(name)
    text, problem = decode(data, origin.get("content_type"))
    text = CONTROL.sub(" ", text)
    if problem:
        yield SourceError(name, None, problem)
    import lxml.html
    from lxml import etree

    try:
        doc = lxml.html.document_fromstring(text, parser=html_parser())
    except (etree.ParserError, ValueError) as exc:
        yield SourceError(name, None, f"is not a readable HTML page ({said(exc)}); skipped")
        return
    base = page_address(doc, origin)
    if medium_draft(doc, name):
        return  # (a draft is not published: nothing to search)
    if is_linkedin_article(doc):  # (a LinkedIn export's: its own reader, linkedin.py)
        yield from read_article(doc, name, author)
        return
    elements = page_posts(doc, base)
    single = is_single(doc, elements, base)
    if single and noindex(doc, origin):
        # A post page that asks search engines not to index it is left out, as a draft
        # is. A listing page's noindex is about the listing: each of its posts has its
        # own page, and is read.
        return
    ld = json_ld_posts(doc)
    if not elements:
        if said_to_list(doc):
            return  # (a list of posts: each is read from its own page)
        yield from fallback(text, name, base, ld)
        return
    categories, tags = page_terms(doc) if not single else ([], [])
    for number, el in enumerate(elements, start=1):
        link = post_link(el, title_of(el), base) if not single and options.crawled else None
        if link and address_key(link) in options.crawled:
            # A listing page's post whose own page the crawl saved too (a Hugo site's
            # sitemap lists its home, section and tag pages beside the posts): read
            # there, whole, not again here as an excerpt under another id.
            continue
        yield from read_post(el, doc, name, number, base, ld if single else [], single,
                             categories, tags)  # fmt: skip


def read_post(
    el: HtmlElement,
    doc: HtmlElement,
    name: str,
    number: int,
    base: str | None,
    ld: list[dict],
    single: bool,
    page_categories: list[str],
    page_tags: list[str],
) -> Iterator[Article | SourceError]:
    """One post element as an Article; on a single post page, the page's metadata helps."""
    info = ld[0] if ld else {}
    title_el = title_of(el)
    title = inline_text(title_el[0].text_content()) if title_el else ""
    link = post_link(el, title_el, base)
    if single:
        title = title or inline_text(text_of(info.get("headline"))) or meta(doc, "og:title") or ""
        link = link or text_of(info.get("url")) or base
    when, problem = post_date(el, doc, info, single)
    author, categories, tags = post_people_and_terms(el, doc, info, single)
    kind = m.group(1) if (m := FORMAT_CLASS.search(el.get("class") or "")) else None
    paragraphs, excerpt, photos = post_text(el, title_el)
    if (paragraphs and title and paragraphs[0].casefold() == title.casefold()
            and not (single and medium_untitled(doc))):  # fmt: skip
        paragraphs = paragraphs[1:]  # (the title again as the text's heading: Medium's)
    if single and not paragraphs and isinstance(info.get("articleBody"), str):
        paragraphs = [p for p in info["articleBody"].split("\n") if p.strip()]
    if single and not paragraphs and photos is not None:
        # A photo post: its images' descriptions. (Not a list page's card: its own page
        # has them, and a card's picture may be the post's thumbnail.)
        paragraphs, kind = photos, kind or "image"
    if not single and title and not kind and not any(p.strip() for p in paragraphs):
        return  # (a list page's card with a title alone: its own page has its text)
    if single:
        key = first_text(doc, "//link[@rel='shortlink']/@href") or link or base or name
    elif link:
        # A list page's post is named by its link alone, not by the page it was on: on a
        # blog's archive pages a new post moves every other one page down, and each was
        # given a new id (its pins and clicks lost); the same post on the home page and
        # on its category's page is one post (read once: sources.read_corpus).
        key = f"listing:{link}"
    else:
        key = f"{name}#{title or number}"
    yield assemble(
        title=title,
        paragraphs=paragraphs,
        file=name,
        line=el.sourceline,
        article_id=stable_id(slug_from_url(link) or title or name, key),
        date=when,
        author=author,
        categories=categories + page_categories,
        tags=tags + page_tags,
        kind_hint=kind,
        excerpt=excerpt,
        url=link,
        source_extra={"item": number, "listing": True} if not single else None,
    )
    if problem:
        yield SourceError(name, el.sourceline, f"post {number} ({quoted(title)}): {problem}")


def title_of(el: HtmlElement) -> list:
    return xpath(el, TITLE_MF2 if h_entry(el) else TITLE)


def post_link(el: HtmlElement, title_el: list, base: str | None) -> str | None:
    """A post element's address: its title's link, else its bookmark's (or, in
    microformats2, its u-url's; Medium's export says p-canonical), made absolute."""
    hrefs = []
    if title_el:
        hrefs = xpath(title_el[0], ".//a/@href") or xpath(title_el[0], "ancestor::a/@href")
    # (else its bookmark: WordPress's; or a link over the whole card, PaperMod's, Hugo's
    # most used theme, whose titles are no links)
    link = (
        hrefs[0]
        if hrefs
        else first_text(el, f".//a[contains(@rel, 'bookmark') or {has_class('entry-link')}]/@href")
    )
    if not link and h_entry(el):
        link = first_text(el, f".//a[{has_class('u-url')} or {has_class('p-canonical')}]/@href")
    link = joined(base or "", link) if link else None
    return link if link and split(link) is not None else None  # ("http://[": no link)


def post_date(el, doc, info: dict, single: bool) -> tuple[str | None, str | None]:
    """(YYYY-MM-DD or None, a problem or None) from <time datetime>, a printed date or meta."""
    raw = first_text(el, ".//time[@datetime]/@datetime") or first_text(
        el, f".//*[{has_class('published')} or {has_class('entry-date')}]"
    )
    if not raw:
        # A date written in full in a title, its printed form shown (Hugo's PaperMod:
        # <span title="2023-03-10 09:00:00 +0000 UTC">March 10, 2023</span>).
        # (Its day: Go's "+0000 UTC" after the time is no ISO 8601.)
        raw = next((t[:10] for t in xpath(el, ".//span/@title") if ISO_DAY.match(t)), None)
    page_date = None
    if single:
        page_date = info.get("datePublished") or meta(doc, "article:published_time")
        page_date = page_date if isinstance(page_date, str) else None
    raw = raw or page_date
    if not raw or not isinstance(raw, str):
        return None, None
    try:
        return parse_when(raw), None
    except ValueError:
        when = parse_long_date(raw)
    if not when and page_date and page_date != raw:
        # (The printed "date" was none: Substack's title has the class "published".)
        return post_date_of(page_date)
    return when, None if when else f"date {quoted(raw)} is not a date; indexed undated"


def post_date_of(raw: str) -> tuple[str | None, str | None]:
    """(YYYY-MM-DD or None, a problem or None) of a page's own date (JSON-LD or meta)."""
    try:
        return parse_when(raw), None
    except ValueError:
        return None, f"date {quoted(raw)} is not a date; indexed undated"


def post_people_and_terms(
    el: HtmlElement, doc: HtmlElement, info: dict, single: bool
) -> tuple[str | None, list[str], list[str]]:
    """(author, categories, tags): rel="category tag" links are categories, rel="tag" tags."""
    author = first_text(
        el, f".//*[{has_class('author')} or {has_class('post-author')}]//*[{has_class('fn')}] "
        f"| .//a[@rel='author'] "
        f"| .//*[{has_class('author')}]//a | .//*[{has_class('entry-author-name')}]"
        f"| .//*[{has_class('wp-block-post-author-name')}]"
    )  # fmt: skip
    if not author and h_entry(el):  # (microformats2's h-entry)
        author = first_text(el, f".//*[{has_class('p-author')}]")
    links = xpath(el, ".//a[@rel]")
    # (A block theme's terms are all rel="tag"; its categories' block says whose they are.)
    of_categories = set(xpath(el, f".//*[{has_class('taxonomy-category')}]//a[@rel]"))
    categories = [inline_text(a.text_content()) for a in links
                  if "category" in a.get("rel") or a in of_categories]  # fmt: skip
    tags = [inline_text(a.text_content()) for a in links
            if a.get("rel").split() == ["tag"] and a not in of_categories]  # fmt: skip
    if single:
        author = author or ld_author(info.get("author")) or meta(doc, "author")
        categories = categories or ld_names(info.get("articleSection")) or meta_sections(doc)
        tags = tags or ld_names(info.get("keywords")) or metas(doc, "article:tag")
    return author, categories, tags


def meta_sections(doc: HtmlElement) -> list[str]:
    """The page's article:section meta, but a Hugo site's section (the folder its posts
    are in, "posts", the first part of the post's address): every post of such a blog
    had the category "posts"."""
    parts = split(page_address(doc, {}) or "")
    folder = parts.path.strip("/").split("/")[0].casefold() if parts else ""
    return [s for s in metas(doc, "article:section") if s.casefold() != folder]


def post_text(el, title_el: list) -> tuple[list[str], bool, list[str] | None]:
    """(paragraphs, is an excerpt, where there are no paragraphs the images'
    descriptions: html_text.photo_text) from the post's content element, else the post
    itself. A content element with no text but its images' descriptions is a photo post
    (not the post element: its images may be the theme's, an author's portrait)."""
    found = xpath(el, CONTENT_MF2 if h_entry(el) else CONTENT)
    excerpt = False
    if not found:
        found = xpath(el, SUMMARY)
        excerpt = bool(found)
    if found:
        body = found[0]
    else:
        body = el
        for part in xpath(el, ".//header | .//footer") + title_el[:1]:
            if part.getparent() is not None:
                part.getparent().remove(part)
    for more in xpath(body, f".//a[{has_class('more-link')} or {has_class('read-more')}]"):
        excerpt = True
        more.drop_tree()
    for part in xpath(body, NOT_TEXT):
        if part.getparent() is not None:
            part.drop_tree()
    paragraphs = element_paragraphs(body)
    while paragraphs and is_a_date(paragraphs[0]):
        # (The post's date, where the theme prints it above the text: "Jul 8, 2022" was
        # the first paragraph of every post of Astro's blog template.)
        paragraphs.pop(0)
    return paragraphs, excerpt, element_photo_text(body) if found and not paragraphs else None


def is_a_date(text: str) -> bool:
    """Whether a paragraph is a date and nothing else ("Jul 8, 2022", "2022-07-08")."""
    if len(text) > 40 or not any(c.isdigit() for c in text):
        return False
    try:
        return parse_when(text) is not None
    except ValueError:
        return False


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]|$)")
MONTHS = "january february march april may june july august september october november december"


# A month's name is a whole word of 3-9 letters: unbounded ("[A-Za-z]+"), a date of
# 50,000 letters was tried from each of them to the end, and the page took 29 s.
LONG_DATE = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})")
LONG_DATE_DAY_FIRST = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\b\.?,?\s+(\d{4})")


def parse_long_date(text: str) -> str | None:
    """ "March 10, 2023" or "10 March 2023", as themes print dates, to YYYY-MM-DD."""
    m = LONG_DATE.search(text) or LONG_DATE_DAY_FIRST.search(text)
    if not m:
        return None
    a, b, year = m.groups()
    month_name, day = (a, b) if not a.isdigit() else (b, a)
    names = MONTHS.split()
    month = next((i for i, n in enumerate(names, 1) if n.startswith(month_name.lower()[:3])), 0)
    try:
        return parse_when(f"{int(year):04d}-{month:02d}-{int(day):02d}") if month else None
    except ValueError:
        return None


def fallback(
    text: str, name: str, base: str | None, ld: list[dict]
) -> Iterator[Article | SourceError]:
    """A page with no post markup: JSON-LD's articleBody, else trafilatura's main text."""
    import trafilatura  # imported only for pages that need it: 0.2 s

    found = trafilatura.bare_extraction(
        text, url=base, with_metadata=True, include_comments=False, include_tables=True
    )
    if found is None:
        yield SourceError(name, None, "no post found on this HTML page (no article, no main text)")
        return
    got = found.as_dict()
    info = ld[0] if ld else {}
    paragraphs = [p for p in (got.get("text") or "").split("\n") if p.strip()]
    title = inline_text(text_of(info.get("headline"))) or got.get("title") or ""
    url = text_of(info.get("url")) or base
    # A guessed date that is not one is no problem worth a message: the page is undated.
    when, _ = first_date(*(d for d in (info.get("datePublished"), got.get("date"))
                           if isinstance(d, str)))  # fmt: skip
    yield assemble(
        title=title,
        paragraphs=paragraphs,
        file=name,
        line=None,
        article_id=stable_id(slug_from_url(url) or title or name, url or name),
        date=when,
        author=ld_author(info.get("author")) or got.get("author"),
        categories=ld_names(info.get("articleSection")) or got.get("categories") or [],
        tags=ld_names(info.get("keywords")) or got.get("tags") or [],
        url=url,
    )
