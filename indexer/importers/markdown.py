"""Markdown importer: a static site's post (Hugo, Jekyll, Zola, Eleventy, Astro, Docusaurus,
Pelican) in, one article out.

Takes the text of one Markdown (or MDX) file with front matter (YAML between `---`
lines, read by python-frontmatter; TOML between `+++` lines, read by the standard
library's tomllib; Eleventy's JavaScript, its plain values; Pelican's `Key: value`
lines), its keys in any case outside a Jekyll post, as Hugo reads them;
gives its `Article`, nothing for a draft (`draft: true`, Jekyll's `published: false`,
Pelican's `Status: draft`),
a page never written to the site (Hugo's `headless`, Eleventy's `permalink: false`) or
one not on it today (Hugo's `publishDate` still to come, `expiryDate` passed),
and a `SourceError` naming the file and line when the front matter is not valid (YAML
that YAML cannot read, its fields read line by line; TOML, the post skipped). The text
is rendered by markdown-it-py (CommonMark, with the tables, strikethrough, footnotes and
definition lists that Hugo's Goldmark and Jekyll's kramdown read too) and read as HTML,
so emphasis, links, lists and table rows become plain paragraphs, a footnote's text a
paragraph at the end (its "[1]" marks and back-links dropped); Hugo shortcodes
(`{{< youtube … >}}`) and Liquid tags (`{% include … %}`) are template code, not text,
and are dropped, as are containers' fences (`:::tip`) and MDX's JavaScript. A dated
file name (`2021-05-04-title.md`) gives the date when the front matter has none; a post
that is only an embed is searched by its summary.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import NamedTuple

from indexer.article import Article, SourceError, Unpublished, http_url
from indexer.importers.html_text import (
    descriptions,
    html_paragraphs,
    inline_text,
)
from indexer.importers.notion import PAGE_ID, is_page, page_fields
from indexer.importers.post import assemble, parse_when, stable_id

SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".mdx"}
TOML_FRONT = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)", re.S)
TEMPLATE_CODE = re.compile(r"\{\{[<%].*?[%>]\}\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
# Comments, which the site never shows, with what they hold: Liquid's (Jekyll's) `{%
# comment %}…{% endcomment %}` and kramdown's `{::comment}…{:/comment}`. Their tags alone
# were dropped, so the notes inside them were indexed as the post's text.
COMMENTS = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}"
                      r"|\{::comment\}.*?\{:/comment\}", re.S)  # fmt: skip
# Attributes for the page's markup, not text: kramdown's (Jekyll's Markdown) `{: .notice}`
# after a paragraph, `{:target="_blank"}` after a link, and its `{::comment}`-style
# extensions; Goldmark's (Hugo's) `{#id .class}` at a heading's end. They were indexed
# as words ("notice", "target", "blank") and shown in snippets.
MARKUP_ATTRIBUTES = re.compile(r"\{:[^{}\n]*\}|(?m:^(#{1,6}[ \t].*?)[ \t]*\{[#.][^{}\n]*\}[ \t]*$)")
# A dated file name: its date (month and day of one digit or two, as Jekyll reads them:
# "2021-9-1-title.md"; Zola's "2018-10-10_title.md" too) and its slug.
JEKYLL_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[-_](.+)$")
HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
KIND_FIELDS = ("kind", "format", "post_format")
# Pelican's `Status` of a post not published, or published but in no list (a search is
# one).
UNLISTED = ("draft", "hidden")
# What a post with no text of its own is searched by: its summary (Hugo's `summary`, the
# `description` of Hugo's and jekyll-seo-tag's meta tags, Jekyll's `excerpt`).
SUMMARY_FIELDS = ("summary", "description", "excerpt")
# Hugo's embedded video shortcodes ("{{< youtube w7Ft2ymGmfc >}}", "{{< vimeo 146022717 >}}").
VIDEO_SHORTCODE = re.compile(r"\{\{[<%]\s*(?:youtube|vimeo)\b", re.I)


def sniff(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf")
    return text.startswith((b"---\n", b"---\r\n", b"+++\n", b"+++\r\n"))


FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")
ESM = re.compile(r"(?:import|export)[ \t{*]")


def prose_lines(content: str) -> Iterator[tuple[str, bool]]:
    """Each line of Markdown, and whether it is prose: not a fenced code block's (its
    fences included), whose text is the post's example, as written."""
    fence = None
    for line in content.split("\n"):
        if fence is None and (m := FENCE.match(line)):
            fence = m.group(1)[0] * 3
            yield line, False
        elif fence is not None:
            if line.lstrip().startswith(fence):
                fence = None
            yield line, False
        else:
            yield line, True


# A container's fence (Docusaurus' admonitions ":::tip" … ":::", VitePress' "::: warning
# Title", MyST's ":::{note}", Pandoc's fenced divs "::: {.note}"): markup, not text; the
# title after its kind is shown ("::: warning Mind the cash", ":::note[Mind the cash]").
CONTAINER = re.compile(r"[ \t]{0,3}:{3,}[ \t]*(?:\{[^}\n]*\}|[\w-]+)?(.*)")


def without_containers(content: str) -> str:
    """Markdown without its containers' fences (their titles kept, each a paragraph of
    its own): ":::tip" and ":::" were paragraphs of a Docusaurus post's text."""
    if ":::" not in content:
        return content
    out = []
    for line, prose in prose_lines(content):
        if prose and (m := CONTAINER.fullmatch(line)):
            # (its title: what follows its kind, less the colons a fence may end with, or
            # in brackets; a pattern that also matched the colons took 2 s a long line)
            title = m.group(1).strip().rstrip(":").strip()
            if title.startswith("[") and title.endswith("]"):
                title = title[1:-1].strip()
            line = f"{title}\n" if title else ""
        out.append(line)
    return "\n".join(out)


# Obsidian's Markdown (Quartz and Obsidian Publish sites): an embed ("![[chart.png]]",
# "![[Other note]]"), a link ("[[Cash flow]]", "[[Cash flow|cash]]", "[[Cash flow#Tips]]"),
# a highlight ("==cash is king=="), a callout's kind ("> [!tip] Mind the cash") and a
# comment ("%% a note to self %%"). Markdown has none of them: "[[Cash flow]]" was text.
# (No "[" inside one: a line of "[[[[…" had each try run to the line's end and back, 80 s
# for 40,000 brackets.)
OBSIDIAN_EMBED = re.compile(r"!\[\[[^\[\]\n]*\]\]")
OBSIDIAN_LINK = re.compile(r"\[\[([^\[\]|#\n]*)(?:#([^\[\]|\n]*))?(?:\|([^\[\]\n]*))?\]\]")
OBSIDIAN_HIGHLIGHT = re.compile(r"==(?=\S)([^=\n]*?\S)==")
OBSIDIAN_CALLOUT = re.compile(r"^((?:[ \t]*>)+[ \t]*)\[![\w-]+\][+-]?[ \t]*", re.M)
OBSIDIAN_COMMENT = re.compile(r"%%.*?%%")  # (within a line; a block's "%%" lines alone)


def _linked(m: re.Match) -> str:
    page, heading, alias = m.group(1), m.group(2), m.group(3)
    return (alias or page or heading or "").strip()


def _obsidian_prose(text: str) -> str:
    text = OBSIDIAN_EMBED.sub("", OBSIDIAN_COMMENT.sub("", text))
    return OBSIDIAN_HIGHLIGHT.sub(r"\1", OBSIDIAN_LINK.sub(_linked, text))


def obsidian_markdown(content: str) -> str:
    """Markdown without Obsidian's own syntax (OBSIDIAN_*): a link is its text (its
    alias, else its page's name), an embed and a comment (`%%…%%` in a line, or lines
    between two lines that are "%%") are left out, a highlight and a callout's title are
    text. In code (a fenced block, a span in backticks: Jupyter's `%%time`), the post's
    example, kept."""
    if "[[" not in content and "==" not in content and "[!" not in content and (
            "%%" not in content):  # fmt: skip
        return content
    out, commented = [], False
    for line, prose in prose_lines(content):
        if prose and line.strip() == "%%":
            commented = not commented
            continue
        if commented:
            continue
        if prose:
            spans = line.split("`")  # (the odd ones are code)
            spans[::2] = [_obsidian_prose(text) for text in spans[::2]]
            line = OBSIDIAN_CALLOUT.sub(r"\1", "`".join(spans))
        out.append(line)
    return "\n".join(out)


# A JSX attribute's JavaScript value (`onClick={() => alert('hi')}`): its ">" ended the
# tag for the Markdown parser, and the rest was text.
JSX_VALUE = re.compile(r"(\s[\w:.-]+)=\{(?:[^{}\n]|\{[^{}\n]*\})*\}")


def mdx_markdown(content: str) -> str:
    """An MDX file's Markdown without its JavaScript: an `import` or `export` at the
    start of a block goes on to the next blank line (MDX's rule), and is code, not text
    ("import HeaderLink from '../../components/HeaderLink.astro';" was a paragraph of
    Astro's blog template); a JSX attribute's JavaScript value is left out (`<button
    onClick={() => alert('clicked!')}>` of Docusaurus' template had "alert('clicked!')}>"
    as text). In a fenced code block, or a line with code in it, they are the post's
    example, kept."""
    out, skipping, after_blank = [], False, True
    for line, prose in prose_lines(content):
        blank = not line.strip()
        if prose and after_blank and ESM.match(line):
            skipping = True
        elif prose and "={" in line and "`" not in line:
            line = JSX_VALUE.sub(r'\1=""', line)
        if skipping and blank:
            skipping = False
        if not skipping:
            out.append(line)
        after_blank = blank
    return "\n".join(out)


def names(value, spaces: bool = False) -> list[str]:
    """Tags or categories as a list, a comma list or, with `spaces` (a Jekyll post's, as
    Jekyll reads them), a space list. Elsewhere a name of several words is one name:
    Eleventy's own starter blog tags a post "another tag", not "another" and "tag"."""
    if isinstance(value, str):
        parts = value.split(",") if "," in value or not spaces else value.split()
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int | float)]
    return []


@functools.cache
def _markdown():
    """The renderer: CommonMark with what static sites' Markdown adds (GitHub's tables and
    strikethrough; footnotes and definition lists from mdit-py-plugins). markdown-it-py,
    python-frontmatter and PyYAML are imported when a Markdown file is read (some 50 ms
    together), not by every command."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin)
    # A footnote's mark ("[1]" after a word) and its back-link ("↩") are navigation, not
    # text: "ref[^1]" became the word "ref" glued to "[1]".
    md.add_render_rule("footnote_ref", lambda *args: "")
    md.add_render_rule("footnote_anchor", lambda *args: "")
    return md


@functools.cache
def _yaml_handler():
    """python-frontmatter's YAML handler with PyYAML's safe loader, except that a date
    that is no date ("2022-02-30") stays the text it was, as in a JSON Lines file:
    read_markdown then names it and indexes the post undated. PyYAML raises ValueError
    for it, which lost the whole post. Made when first used (PyYAML's import)."""
    import frontmatter
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LenientLoader(base):
        def timestamp(self, node):
            try:
                return self.construct_yaml_timestamp(node)
            except ValueError:
                return self.construct_scalar(node)

    LenientLoader.add_constructor("tag:yaml.org,2002:timestamp", LenientLoader.timestamp)

    class Handler(frontmatter.YAMLHandler):
        def load(self, fm: str, **kwargs):
            return yaml.load(fm, Loader=LenientLoader)  # noqa: S506 (a safe loader)

    return Handler()


def front_matter(text: str, name: str) -> tuple[dict, str, SourceError | None] | SourceError:
    """(the fields, the text after them, a problem read past or None), or the problem
    that costs the post."""
    if m := JS_FRONT.match(text):
        return js_fields(m.group(1)), text[m.end() :], None
    if m := TOML_FRONT.match(text):
        try:
            return tomllib.loads(m.group(1)), text[m.end() :], None
        except tomllib.TOMLDecodeError as exc:
            return SourceError(name, 1, f"the TOML front matter is not valid ({exc}); skipped")
    import frontmatter
    import yaml

    handler = frontmatter.detect_format(text, frontmatter.handlers)
    if isinstance(handler, frontmatter.YAMLHandler):
        handler = _yaml_handler()
    try:
        post = frontmatter.loads(text, handler=handler)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # (python-frontmatter's YAML starts with the newline that ends the opening ---
        # line: its line 0 is the file's line 1)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        why = f"the YAML front matter is not valid ({problem})"
        if m := YAML_FRONT.match(text):  # (its fields one line at a time: see below)
            fields = fields_line_by_line(m.group(1))
            return fields, text[m.end() :], SourceError(name, line, f"{why}; read line by line")
        return SourceError(name, line, f"{why}; skipped")
    except ValueError as exc:
        return SourceError(name, 1, f"the front matter cannot be read ({exc}); skipped")
    if not isinstance(post.metadata, dict):
        return SourceError(name, 1, "the front matter is not a set of fields; skipped")
    if not post.metadata and (block := metadata_block(text)) is not None:
        return (*block, None)
    return dict(post.metadata), post.content, None


# Pelican's metadata (MultiMarkdown's and Python-Markdown's too): "Key: value" lines at the
# top of the file, up to its first blank line, with no "---" around them. They were the
# post's title and text ("Title: My super title Date: 2010-12-03 …").
META_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*?)[ \t]*\r?")


def metadata_block(text: str) -> tuple[dict, str] | None:
    """(the fields, the text after them) of a file that opens with such lines, one of
    them its title (so that a post whose first line is "Note: …" stays text); None for
    any other. A line indented under a field goes on with its value."""
    lines = text.split("\n")
    fields: dict[str, str] = {}
    key, end = None, len(lines)
    for n, line in enumerate(lines):
        if not line.strip():
            end = n
            break
        if m := META_LINE.fullmatch(line):
            key = m.group(1).lower()
            fields[key] = m.group(2)
        elif key and line[:1] in (" ", "\t"):
            fields[key] = f"{fields[key]} {line.strip()}".strip()
        else:
            return None
    if not isinstance(fields.get("title"), str) or not fields["title"]:
        return None
    return fields, "\n".join(lines[end:])


# Eleventy's JavaScript front matter ("---js" … "---"). It is code, never run here: its
# simple fields are read (`js_fields`). Read as YAML before, it was no front matter, so
# the code was the post's text and its title, and a draft (`const draft = true;`, as in
# Eleventy's own starter blog) was indexed.
JS_FRONT = re.compile(r"\A---[ \t]*(?:js|javascript)[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)",
                      re.S)  # fmt: skip
# `const title = "…";` (or `let`, `var`, `export const`); and, where the whole front
# matter is one object literal (the older form), its `title: "…",` lines.
JS_DECLARATION = re.compile(
    r"^(?:export[ \t]+)?(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*=[ \t]*(.+?)[ \t]*;?$"
)
JS_PROPERTY = re.compile(r"^[\"']?([A-Za-z_$][\w$]*)[\"']?[ \t]*:[ \t]*(.+?)[ \t]*,?$")


def js_fields(code: str) -> dict:
    """The fields of JavaScript front matter that are written as plain values: strings
    (in any of its three quotes, without `${…}`), numbers, true and false, null, and
    lists of such values, each on one line. A field made by code (a function, a call,
    an object over several lines) is left out, and so is what is inside one."""
    fields: dict = {}
    whole_object = code.lstrip().startswith("{")
    depth = 0  # (of braces and brackets, before the line: 0 outside any)
    for line in code.splitlines():
        line = line.strip()
        m = JS_PROPERTY.match(line) if whole_object and depth == 1 else None
        if m is None and depth == 0:
            m = JS_DECLARATION.match(line)
        depth += line.count("{") + line.count("[") - line.count("}") - line.count("]")
        if m is None:
            continue
        key, value = m.groups()
        if (value[:1] in "'`" and value[-1:] == value[:1] and len(value) > 1
                and value[:1] not in value[1:-1] and "${" not in value):  # fmt: skip
            fields[key] = value[1:-1]
            continue
        try:
            fields[key] = json.loads(value)
        except ValueError:
            continue  # (code, not a value)
    return fields


# YAML front matter and the text after it, for front matter that YAML cannot read.
YAML_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
FIELD_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
ITEM_LINE = re.compile(r"^[ \t]+-[ \t]+(.*?)[ \t]*$")
BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def fields_line_by_line(block: str) -> dict:
    """The top-level `key: value` lines of front matter that is not valid YAML, as text.
    Its commonest fault is a colon in an unquoted title ("title: Pricing: the basics"):
    one such line cost the post, as it costs a Hugo site its build. A value in quotes is
    unquoted (an unclosed quote dropped), `[a, b]` and `- item` lines under an empty key
    are lists, true/false (yes/no, on/off) are booleans, so a draft stays a draft;
    nested fields are left out."""
    fields: dict = {}
    current = None
    for line in block.splitlines():
        if m := FIELD_LINE.match(line):
            key, value = m.group(1), m.group(2) or ""
            current = None if value else key
            fields[key] = _value(value) if value else []
        elif current and (m := ITEM_LINE.match(line)):
            fields[current].append(_unquoted(m.group(1)))
    return fields


def _value(value: str):
    if value.lower() in BOOLEANS:
        return BOOLEANS[value.lower()]
    if value.startswith("[") and value.endswith("]"):
        return [_unquoted(v.strip()) for v in value[1:-1].split(",") if v.strip()]
    return _unquoted(value)


def _unquoted(value: str) -> str:
    if value[:1] in ("'", '"'):
        quote = value[0]
        value = value[1:-1] if len(value) > 1 and value.endswith(quote) else value[1:]
        if quote == '"':
            value = value.replace('\\"', '"')
    return value


def unrendered(fields: dict) -> bool:
    """Whether the front matter says the page is never written to the site: Hugo's
    `headless: true` and `build: {render: never}` (or `_build`), Eleventy's
    `permalink: false`. Such a file feeds other pages; readers cannot open it."""
    if fields.get("headless") is True or fields.get("permalink") is False:
        return True
    build = fields.get("build") or fields.get("_build")
    return isinstance(build, dict) and str(build.get("render", "")).lower() in ("never", "false")


# The layouts of posts and pages whose text is their own: one of these with no text is a
# post that lost it (reported). Any other layout with no text is a page its template
# fills (search, archives, tags: see `template_page`).
CONTENT_LAYOUTS = frozenset({"post", "posts", "single", "article", "articles", "blog", "page",
                             "default", ""})  # fmt: skip


def template_page(fields: dict) -> bool:
    """Whether the front matter names a layout (or a Hugo type) that makes the page
    from a template: PaperMod's content/search.md (`layout: search`) and archives.md
    (`layout: archives`) have no text of their own, and each gave a "has no body text"
    problem, so every run of such a site exited 1."""
    for key in ("layout", "type"):
        value = fields.get(key)
        if isinstance(value, str) and value.strip().lower() not in CONTENT_LAYOUTS:
            return True
    return False


def keys_in_lower_case(fields: dict) -> dict:
    """`fields` with their keys in lower case; of two keys that differ only in case, the
    one written in lower case stands (Hugo's own order is a map's: none)."""
    lowered = {k.lower() if isinstance(k, str) else k: v for k, v in fields.items()}
    lowered.update((k, v) for k, v in fields.items() if isinstance(k, str) and k.islower())
    return lowered


def day_of(fields: dict, keys: tuple[str, ...]) -> str | None:
    """The day (YYYY-MM-DD) the first of `keys` that the front matter sets gives, in any
    case (Hugo reads `expiryDate` as `expirydate`); None when none is set, or it is no
    date (`published: true`, Jekyll's flag, is none)."""
    lowered = {k.lower(): v for k, v in fields.items() if isinstance(k, str)}
    for key in keys:
        value = lowered.get(key)
        if value and not isinstance(value, bool):
            try:
                return parse_when(value)
            except ValueError:
                return None
    return None


# Front matter by which a theme's own site search leaves a post out: Minimal Mistakes'
# `search: false`, PaperMod's `searchHidden: true`, Just the Docs' `search_exclude:
# true`, Docsy's `exclude_search: true` (keys in any case, as Hugo reads them); and by
# which its page asks search engines not to index it, as a crawl of the page would see
# (robots_meta.py): PaperMod's `robotsNoIndex: true`, Docusaurus' `unlisted: true`, a
# theme's `noindex: true`, `robots: noindex`.
HIDDEN_FROM_SEARCH = {"search": False, "searchhidden": True, "search_exclude": True,
                      "exclude_search": True, "robotsnoindex": True, "unlisted": True,
                      "noindex": True}  # fmt: skip


def hidden_from_search(fields: dict) -> bool:
    """Whether the front matter asks the site's search, or search engines, to leave the
    post out."""
    for key, value in fields.items():
        if not isinstance(key, str):
            continue
        if HIDDEN_FROM_SEARCH.get(key.lower(), ...) is value:
            return True
        if key.lower() == "robots" and isinstance(value, str) and "noindex" in value.lower():
            return True
    return False


# The keys of the day a post is published: Hugo's (and its aliases), Astro's `pubDate`,
# Hashnode's `datePublished` (its GitHub backups' posts).
PUBLISHED_KEYS = ("publishdate", "pubdate", "published", "publish_date", "datepublished",
                  "date_published")  # fmt: skip


def publication_day(fields: dict, when: str | None) -> str | None:
    """The day a post is published: Hugo's `publishDate` (or `pubdate`, `published`)
    when set, else its date."""
    return day_of(fields, PUBLISHED_KEYS) or when


def expiry_day(fields: dict) -> str | None:
    """The day a post stops being published: Hugo's `expiryDate` (or `unpublishDate`),
    from which Hugo leaves it out of the site (unless built with --buildExpired)."""
    return day_of(fields, ("expirydate", "unpublishdate"))


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def author_of(fields: dict, authors: Mapping[str, str]) -> str | None:
    """The post's (first) author: `author`, else the first of `authors` (a name, or a
    mapping with one: jekyll-import's `display_name`, Docusaurus' inline author), a key
    of the blog's authors file its name there (`authors`: Docusaurus')."""
    listed = fields.get("authors")
    author = fields.get("author") or (
        listed[0] if isinstance(listed, list) and listed and isinstance(listed[0], dict)
        else (names(listed) or [None])[0]
    )  # fmt: skip
    if isinstance(author, dict):  # (jekyll-import's posts from WordPress: login, email, name)
        author = author.get("display_name") or author.get("name")
    if not isinstance(author, str):
        return None
    return authors.get(author, author)


class MarkdownText(NamedTuple):
    """A post's Markdown read (`paragraphs_of`): its paragraphs; "video" when it embeds
    one with a shortcode, "image" when it shows an image, else None; the images' alt
    texts, in order (what a post that is only a photo says of it)."""

    paragraphs: list[str]
    media: str | None
    alts: list[str]


# A Markdown image ("![A photo of the shop](shop.webp)"), its alt text (no "[" in it: a
# line of "![![…" had each try run to the line's end and back).
IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\(")


def paragraphs_of(content: str, mdx: bool = False) -> MarkdownText:
    """The paragraphs of a post's Markdown, what no site shows as text left out first
    (MDX's JavaScript, containers' fences, Obsidian's syntax, template code, comments,
    markup attributes), then rendered as Hugo and Jekyll render it and read as HTML;
    the media it shows, and its images' alt texts."""
    if mdx:
        content = mdx_markdown(content)
    content = obsidian_markdown(without_containers(content))
    media = ("video" if VIDEO_SHORTCODE.search(content) else
             "image" if "![" in content else None)  # fmt: skip
    alts = descriptions(IMAGE.findall(content))  # (as HTML's are read: html_text.py)
    content = TEMPLATE_CODE.sub(" ", COMMENTS.sub(" ", content))
    content = MARKUP_ATTRIBUTES.sub(lambda m: m.group(1) or "", content)
    return MarkdownText(html_paragraphs(_markdown().render(content)), media, alts)


def read_markdown(
    text: str,
    name: str,
    address: Callable[[dict, str | None, str], str | None] | None = None,
    authors: Mapping[str, str] | None = None,
) -> Iterator[Article | SourceError | Unpublished]:
    """The post of one Markdown file. `address(fields, day, title)`: where the site
    publishes it, when its front matter has no absolute `url` or `permalink` (a Hugo or
    Jekyll site's rules, static_sites.py)."""
    parsed = front_matter(text.lstrip("\ufeff"), name)
    if isinstance(parsed, SourceError):
        yield parsed
        return
    fields, content, read_past = parsed
    if read_past:
        yield read_past
    if not fields and is_page(name) and (page := page_fields(content)):
        fields, content = page  # (a Notion page's properties: its front matter)
        fields.setdefault("slug", PAGE_ID.sub("", PurePosixPath(name).stem))
    spaced = "_posts" in PurePosixPath(name).parts[:-1]  # (a Jekyll post: see `names`)
    if not spaced:
        # Hugo reads a post's keys in any case (`Title`, `Draft`, `Tags`: an old
        # archetype's); Jekyll's Liquid reads them as written.
        fields = keys_in_lower_case(fields)
    # (Hugo reads a draft flag as Go's ParseBool does: `draft = "true"` is a draft too.)
    draft = fields.get("draft")
    if (draft is True or str(draft).strip().lower() in ("true", "t", "1")
            or fields.get("published") is False or unrendered(fields)
            or str(fields.get("status", "")).strip().lower() in UNLISTED):  # fmt: skip
        return  # a draft is not published: nothing to search
    if hidden_from_search(fields):
        return  # (its author asked the site's search to leave it out: this is that search)
    stem = PurePosixPath(name).stem
    # (A Hugo site's translations name a list page "_index.zh-cn.md", a bundle's text
    # "index.ar.md".)
    plain_stem = stem.partition(".")[0] if stem.startswith(("_index.", "index.")) else stem
    if plain_stem == "_index":
        # Hugo's list page of a section (or of the site): not a post. Read as one, every
        # section gave a "has no body text" problem, so every run of a Hugo site exited 1.
        return
    if stem == "404":
        return  # (a site's "page not found", which Eleventy and Jekyll write from Markdown)
    if plain_stem == "index":  # Hugo's page bundles: the folder names the post
        stem = PurePosixPath(name).parent.name or stem
    jekyll = JEKYLL_NAME.match(stem)
    problem = None
    named_day = "{}-{:0>2}-{:0>2}".format(*jekyll.group(1, 2, 3)) if jekyll else None
    raw_date = fields.get("date") or named_day
    try:
        when = parse_when(raw_date)
    except ValueError as exc:
        when, problem = None, f"{exc}; indexed without a date"
    published = publication_day(fields, None)  # (its publishDate, pubDate…, if it has one)
    if raw_date is None:
        # (No `date`: the day it is published is its date, as Hugo dates a page; Astro's
        # blog template names it `pubDate` alone.)
        when = published
    if (day := published or when) and day > today():
        yield Unpublished(name)  # (scheduled: Hugo and Jekyll publish it on its day)
        return
    if (expires := expiry_day(fields)) and expires <= today():
        return  # (expired: no longer on the site)
    # Zola files a page under its site's taxonomies in a table of their own ("[taxonomies]
    # tags = [...]"): a Zola blog's tags and categories were not read.
    taxonomies = fields.get("taxonomies") if isinstance(fields.get("taxonomies"), dict) else {}
    author = author_of(fields, authors or {})
    slug = fields.get("slug") if isinstance(fields.get("slug"), str) else None
    slug = slug or (jekyll.group(4) if jekyll else stem)
    title = fields.get("title")
    if not isinstance(title, str) and spaced and jekyll:
        # Jekyll titles a post with none by its name ("welcome-to-jekyll": "Welcome To
        # Jekyll", Utils.titleize_slug), not by a heading or its first words.
        title = " ".join(part.capitalize() for part in jekyll.group(4).split("-"))
    if not isinstance(title, str) and (m := HEADING.search(content)):
        # No title in the front matter: the first "# Heading" is the title, not text.
        title, content = m.group(1), content[: m.start()] + content[m.end() :]
    paragraphs, media, alts = paragraphs_of(content, mdx=name.lower().endswith(".mdx"))
    kind_hint = next((v for k in KIND_FIELDS if isinstance(v := fields.get(k), str)), None)
    summarized = False
    if not any(p.strip() for p in paragraphs):
        if template_page(fields):
            return  # (a page its template fills: nothing of its own to search)
        # A post that is only an embed (a video, a map: a shortcode) is still a post of
        # the site: its summary is its text, and one that is only a video is a video
        # post. ("has no body text; skipped" had left out a theme's own map post.)
        summary = next((v for k in SUMMARY_FIELDS
                        if isinstance(v := fields.get(k), str) and v.strip()), None)  # fmt: skip
        if summary is not None:  # (Markdown, as Hugo renders a summary)
            paragraphs, summarized = html_paragraphs(_markdown().render(summary)), True
        elif alts:
            paragraphs = alts  # (a photo post: what its images' descriptions say)
        kind_hint = kind_hint or media
    yield assemble(
        title=inline_text(title) if isinstance(title, str) else "",
        paragraphs=paragraphs,
        file=name,
        line=1,
        article_id=stable_id(slug, name),
        date=when,
        author=author,
        categories=names(fields.get("categories"), spaced)
        or names(fields.get("category"))
        or names(taxonomies.get("categories")),
        tags=names(fields.get("tags"), spaced) or names(taxonomies.get("tags")),
        kind_hint=kind_hint,
        excerpt=summarized,
        url=http_url(fields.get("url"))
        or http_url(fields.get("permalink"))
        or (address(fields, when, title if isinstance(title, str) else "") if address else None),
    )
    if problem:
        yield SourceError(name, 1, problem)
    if expires:
        yield Unpublished(name)  # (read again every run: it leaves the index on its day)
