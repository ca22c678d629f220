"""WordPress export importer: a WXR file (Tools → Export) in, its published posts out.

Takes the path of a WXR file (any version, 1.0 to 1.2); gives one `Article` per
published post (pages and other post types only when `ImportOptions.post_types` asks)
and a `SourceError` per problem. The file is streamed with lxml's iterparse and every
item is dropped once read, so memory stays flat however large the export. Drafts,
private, scheduled and password-protected posts, revisions and attachments are never
imported (a scheduled post is, once its time has come: its file is read again by every
run until then), nor a post its SEO plugin (Yoast SEO, Rank Math) marks noindex, as a crawl of
its page would leave it out. The author's display name comes from the export's
`wp:author` list; categories and tags from each item's `<category domain=…>`; the kind
from the post format (`post-format-video`); the id from the post's slug and guid, so it
survives a title edit and matches what the REST API and the feed give for the same post.
A post that is a classic gallery and nothing else is searched by its images' alt texts
and captions, which are the export's attachment items (`Galleries`): such posts are
given once the whole export is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from indexer.article import Article, SourceError, Unpublished
from indexer.importers.html_text import (
    descriptions,
    html_paragraphs,
    inline_text,
    media_hint,
    with_photos,
)
from indexer.importers.options import ImportOptions, no_type_asked
from indexer.importers.post import (
    assemble,
    first_date,
    post_alone,
    quoted,
    said,
    slug_from_url,
    stable_id,
)
from indexer.importers.robots_meta import post_meta_noindex
from indexer.importers.wxr_recovery import item_blocks
from indexer.importers.xmlsafety import (
    CONTROL_BYTES,
    SAFE_PARSE,
    entity_problem,
    first_fatal,
)


def sniff(head: bytes) -> bool:
    lowered = head[:8192].lower()
    return b"<rss" in lowered and (b"wordpress.org/export/" in lowered or b"<wp:" in lowered)


class ControlFree:
    """A binary file whose reads come without the control bytes XML 1.0 forbids."""

    def __init__(self, handle):
        self.handle = handle

    def read(self, size: int = -1) -> bytes:
        return self.handle.read(size).translate(None, CONTROL_BYTES)


def local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


# WordPress's own items that are never articles (files, menus, templates, styles, blocks'
# patterns): not offered as a type to ask for when nothing of the types asked was found.
IGNORED_TYPES = frozenset({
    "attachment", "revision", "nav_menu_item", "custom_css", "customize_changeset",
    "oembed_cache", "user_request", "wp_block", "wp_template", "wp_template_part",
    "wp_global_styles", "wp_navigation", "wp_font_family", "wp_font_face",
})  # fmt: skip


# A classic gallery ("[gallery ids="12,34"]", older "include=…"; with neither, the
# images attached to the post), which html_paragraphs drops with the other media.
GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.I)
GALLERY_IDS = re.compile(r"\b(?:ids|include)\s*=\s*[\"']?([\d,\s]+)", re.I)
IMAGE_ALT = "_wp_attachment_image_alt"


@dataclass
class Gallery:
    """A post that is a gallery and nothing else: its text is its images' descriptions,
    which are the export's attachment items, and those come as often after the post as
    before it (WordPress exports by id, and a post's uploads are made after it).
    `images`: the attachments' ids, or None for those attached to the post (`post_id`);
    `finish(paragraphs)`: the post's reading with those paragraphs."""

    images: list[str] | None
    post_id: str
    finish: Callable[[list[str]], Iterator[Article | SourceError]]
    about: str = ""
    line: int | None = None


@dataclass
class Attachment:
    """An image of the media library: its id, the post it was uploaded to, and what
    describes it (its alt text and caption)."""

    post_id: str
    parent: str
    said: list[str] = field(default_factory=list)


class Galleries:
    """The export's gallery posts, kept until the export is read, and its attachments'
    descriptions (only those: a media library of 100,000 images is a few MB of text)."""

    def __init__(self) -> None:
        self.pending: list[Gallery] = []
        self.said: dict[str, list[str]] = {}
        self.attached: dict[str, list[str]] = {}

    def take(self, result: object, about: str, line: int | None) -> bool:
        """Whether `result` (of read_item) was a gallery or an attachment, kept here."""
        if isinstance(result, Gallery):
            result.about, result.line = about, line
            self.pending.append(result)
            return True
        if not isinstance(result, Attachment):
            return False
        if result.said:  # (an image nothing describes adds nothing to a gallery's text)
            self.said[result.post_id] = result.said
            if result.parent and result.parent != "0":
                self.attached.setdefault(result.parent, []).append(result.post_id)
        return True

    def finished(self, name: str) -> Iterator[Article | SourceError]:
        """Each gallery post, its text its images' descriptions in the gallery's order
        (none: an image post found by its title, as a photo post with undescribed images)."""
        for gallery in self.pending:
            images = gallery.images
            if images is None:
                images = self.attached.get(gallery.post_id, [])
            said = descriptions(text for image in images for text in self.said.get(image, ()))
            yield from post_alone(gallery.finish(said), name, gallery.line, gallery.about)


def read_wxr(
    path: Path, name: str, head: bytes, options: ImportOptions
) -> Iterator[Article | SourceError]:
    """Yield the published posts of one export, and a SourceError for each problem."""
    if problem := entity_problem(head):
        yield SourceError(name, None, problem)
        return
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield SourceError(name, None, f"cannot be read: {exc.strerror or exc}")
        return
    with handle:
        yield from read_items(ControlFree(handle), name, options, path, head)


def read_items(
    source, name: str, options: ImportOptions, path: Path, head: bytes
) -> Iterator[Article | SourceError]:
    from lxml import etree  # (imported when an export is read: see html_text)

    authors: dict[str, str] = {}
    galleries = Galleries()
    other_types: dict[str, int] = {}  # published items of the types not asked for
    items = posts = told = 0  # (told: the posts that were each said to be skipped)
    line = None
    last_item = 0  # the line of the last item read whole
    ended = False  # whether the parser read the whole document
    etree.clear_error_log()  # (this thread's: `first_fatal` reads this parse's faults)
    try:
        events = etree.iterparse(source, events=("end",), tag=("item", "{*}author", "rss"),
                                 huge_tree=True, **SAFE_PARSE)  # fmt: skip
        for _, elem in events:
            if elem.tag == "rss" and elem.getparent() is None:
                ended = True
                continue
            line = elem.sourceline
            if elem.tag == "item":
                items += 1
                last_item = line
                one = read_item(elem, name, items, authors, options, other_types)
                for result in post_alone(one, name, line, f"item {items}"):
                    if galleries.take(result, f"item {items}", line):
                        continue
                    posts += isinstance(result, Article)
                    told += isinstance(result, SourceError)
                    yield result
            elif local(elem.tag) == "author" and elem.getparent() is not None:
                login = display = None
                for child in elem:
                    if local(child.tag) == "author_login":
                        login = (child.text or "").strip()
                    elif local(child.tag) == "author_display_name":
                        display = (child.text or "").strip()
                if login:
                    authors[login] = display or login
            # Drop what was read, and everything before it, so memory stays flat.
            elem.clear(keep_tail=True)
            parent = elem.getparent()
            while parent is not None and elem.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        if ended:
            # Only faults libxml2 reads past (a namespace prefix never declared, as some
            # plugins write one; a namespace name that is not a URI): lxml raises them
            # once the file has ended, every post read.
            yield SourceError(name, exc.lineno, f"the export breaks a rule of XML here "
                                                f"({said(exc.msg)}); every post was read "
                                                "all the same")  # fmt: skip
        else:
            # The rest is read one post at a time, as WordPress's importer does: one bad
            # post costs only itself (indexer/importers/wxr_recovery.py).
            # (the fault that stopped the parser, at or after the last element it finished)
            where, message = first_fatal(exc.error_log, line or 0) or (exc.lineno, exc.msg)
            where = where or line
            kept, recovered, mended, skipped = posts, 0, 0, []
            for block in item_blocks(path, last_item, head):
                items += 1
                title = block.item.findtext("title") if block.item is not None else None
                about = f"item {items}" + (f" ({inline_text(title)!r})" if title else "")
                if block.item is None:  # (said below, if anything after the fault was read)
                    skipped.append(SourceError(name, block.line, f"{about}: {block.mended[-1]}"))
                    continue
                recovered += 1
                one = read_item(block.item, name, items, authors, options, other_types,
                                line=block.line)  # fmt: skip
                results, gallery = [], False
                for result in post_alone(one, name, block.line, about):
                    if galleries.take(result, about, block.line):
                        gallery = gallery or isinstance(result, Gallery)  # (given at the end)
                    else:
                        results.append(result)
                if block.mended:
                    mended += 1
                    # (An item not imported, an attachment or a draft, is said not:
                    # what was mended to read it costs no one anything.)
                    if results or gallery:
                        yield SourceError(name, block.line, f"{about}: {'; '.join(block.mended)}")
                for result in results:
                    posts += isinstance(result, Article)
                    told += isinstance(result, SourceError)
                    yield result
            if not recovered:
                yield SourceError(
                    name,
                    where,
                    f"the export is broken or cut off here ({said(message)}); the {kept} posts "
                    "before this point were imported, nothing after it",
                )
                return
            yield from skipped
            told += len(skipped)
            if not skipped and not mended:  # (the fault was between posts)
                why = f"the export is not well-formed XML here ({said(message)})"
                yield SourceError(name, where, f"{why}; the posts after it were read one at a time")
    for result in galleries.finished(name):
        posts += isinstance(result, Article)
        told += isinstance(result, SourceError)
        yield result
    if items == 0:
        yield SourceError(name, None, "the WordPress export holds no posts")
    elif posts == 0 and other_types:
        # (a type misspelt, or a site whose articles are a custom type: said, not silent)
        yield SourceError(name, None, no_type_asked(options, other_types))
    elif posts == 0 and not told:
        # (an export of drafts, or of the media library: nothing imported, and said why)
        yield SourceError(name, None, f"none of the export's items ({items}) is a published "
                                      "post (drafts, scheduled, private and password-"
                                      "protected posts, attachments and menus are not "
                                      "imported)")  # fmt: skip


def now() -> datetime:
    return datetime.now(UTC)


def due(gmt: str | None, local: str | None) -> bool:
    """Whether a scheduled post's time has come: its GMT time (`post_date_gmt`), else
    (WordPress leaves it "0000-00-00 00:00:00" until then, in some versions) its day in
    the site's time, from the day after; a post with neither is not due."""
    try:
        when = datetime.fromisoformat((gmt or "").strip()).replace(tzinfo=UTC)
        return when <= now()
    except ValueError:
        pass
    try:
        day = date.fromisoformat((local or "").strip()[:10])
    except ValueError:
        return False
    return day < now().date()


def read_item(
    elem,
    name: str,
    number: int,
    authors: dict[str, str],
    options: ImportOptions,
    other_types: dict[str, int] | None = None,
    line: int | None = None,
) -> Iterator[Article | SourceError | Unpublished]:
    """The article of one <item>, if it is a published post of the types asked for, and
    its problems. `line`: where the item starts in the export, when the element was
    parsed apart from it (wxr_recovery)."""
    fields: dict[str, str] = {}
    categories: list[str] = []
    tags: list[str] = []
    post_format = None
    content = excerpt_html = alt = ""
    noindex = False
    for child in elem:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        key = local(tag)
        if key == "category":
            domain = child.get("domain")
            text = inline_text(child.text or "")  # exports keep "&amp;" inside CDATA
            if domain == "category":
                categories.append(text)
            elif domain == "post_tag":
                tags.append(text)
            elif domain == "post_format":
                post_format = child.get("nicename") or text
        elif key == "postmeta":
            meta_key, value = child.findtext("{*}meta_key"), child.findtext("{*}meta_value")
            noindex = noindex or post_meta_noindex(meta_key or "", value or "")
            if meta_key == IMAGE_ALT:
                alt = value or ""
        elif key == "encoded":
            if tag.endswith("}encoded") and "excerpt" in tag:
                excerpt_html = child.text or ""
            else:
                content = child.text or ""
        elif key not in fields:
            fields[key] = child.text or ""
    kind = fields.get("post_type", "post").strip()
    status = fields.get("status", "publish").strip()
    published = status == "publish"
    if status == "future" and kind in options.post_types:
        # Scheduled: WordPress publishes it at its time, which may have come since the
        # export was made. Indexed from then; until then, its file is read again by
        # every run (as a Markdown post dated in the future).
        if not due(fields.get("post_date_gmt"), fields.get("post_date")):
            yield Unpublished(name)
            return
        published = True
    if kind == "attachment" and kind not in options.post_types:
        # (An image a gallery post may show: what describes it, for that post's text.)
        said = descriptions([inline_text(alt), *html_paragraphs(excerpt_html)])
        yield Attachment(fields.get("post_id", "").strip(), fields.get("post_parent", "").strip(),
                         said)  # fmt: skip
        return
    if kind not in options.post_types:
        if published and other_types is not None and kind not in IGNORED_TYPES:
            other_types[kind] = other_types.get(kind, 0) + 1
        return  # attachments, revisions, menu items, pages unless asked for
    if not published:
        return  # drafts, private, pending, scheduled and trashed posts stay unpublished
    if fields.get("post_password", "").strip():
        return  # password-protected: not for a public search
    if noindex:
        return  # its page asks not to be indexed (robots_meta.py), as a crawl would see
    line = line or elem.sourceline
    title = inline_text(fields.get("title", ""))
    link = fields.get("link", "").strip()
    when, problem = first_date(
        fields.get("post_date_gmt"), fields.get("post_date"), fields.get("pubDate")
    )
    paragraphs = html_paragraphs(content)
    is_excerpt = False
    if not paragraphs and excerpt_html.strip():
        paragraphs, is_excerpt = html_paragraphs(excerpt_html), True
    hint = post_format or (media_hint(content) if not paragraphs else None)
    paragraphs, hint = with_photos(paragraphs, content, hint)
    creator = fields.get("creator", "").strip()
    guid = fields.get("guid", "").strip() or link or f"{name}#{fields.get('post_id', number)}"

    def finish(paragraphs: list[str], hint: str | None) -> Iterator[Article | SourceError]:
        yield assemble(
            title=title,
            paragraphs=paragraphs,
            file=name,
            line=line,
            article_id=stable_id(fields.get("post_name") or slug_from_url(link) or title, guid),
            date=when,
            author=authors.get(creator, creator) or None,
            categories=categories,
            tags=tags,
            kind_hint=hint,
            excerpt=is_excerpt,
            url=link,
            source_extra={"item": number},
        )
        if problem:  # the post is kept, undated; the problem is still reported
            yield SourceError(
                name, line, f"item {number} ({quoted(title)}): {problem}; indexed without a date"
            )

    gallery = GALLERY.search(content) if not paragraphs else None
    if gallery:
        ids = GALLERY_IDS.search(gallery.group(1))
        images = [i for i in re.split(r"[,\s]+", ids.group(1)) if i] if ids else None
        yield Gallery(images, fields.get("post_id", "").strip(),
                      lambda said: finish(said, hint or "image"))  # fmt: skip
        return
    yield from finish(paragraphs, hint)
