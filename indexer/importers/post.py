"""Post assembly shared by every importer: paragraphs and metadata in, one `Article` out.

Takes what an importer found for one post (title, paragraphs, date, author, categories,
tags, kind hints, url, where it was read) and gives an `Article`, or a `SourceError` when
nothing searchable is left. The rules that make the scraped pages clean apply to every
source alike: page furniture (menus, bio and credit lines, pagination, embed links) is
dropped, "Continue reading" marks an excerpt, "Write this on a rock …" gives the maxim,
a "VIDEO:"/"AUDIO:" title prefix gives the kind.
"""

from __future__ import annotations

import hashlib
import re
import reprlib
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from indexer.addresses import split
from indexer.article import KINDS, MAXIM, Article, SourceError, http_url, slugify
from indexer.importers.furniture import CONTINUE, MEDIA_KIND, MEDIA_PREFIX, is_furniture
from indexer.importers.html_text import collapse_spaces

# "… a relationship. [&hellip;]" closing a paragraph: the source cut the post short.
CUT_MARK = re.compile(r"\s*\[\s*(?:…|\.{3})\s*\]\s*$")
# Feeds end each post with this line; it is the feed's furniture, not the author's words.
APPEARED_FIRST = re.compile(r"^The post .{1,300} appeared first on .{1,200}\.?$")


def clean_paragraphs(paragraphs: list[str]) -> tuple[list[str], str | None, bool]:
    """(paragraphs kept, the maxim or None, whether the post is cut short)."""
    kept: list[str] = []
    maxim = None
    excerpt = False
    pending_maxim = False
    for raw in paragraphs:
        text = collapse_spaces(raw)
        if not text:
            continue
        # The substring tests first: these searches scan the whole paragraph.
        cut = CONTINUE.search(text) if "ontinue" in text or "ONTINUE" in text else None
        if cut:
            excerpt = True
            # "[…]" says the sentence was cut: keep the ellipsis the reader saw.
            cut_short = re.search(r"\[\s*(?:…|\.{3})\s*\]", cut.group(0))
            text = text[: cut.start()].rstrip() + ("…" if cut_short else "")
            if not text:
                continue
        if text.endswith("]") and (m := CUT_MARK.search(text)):
            excerpt = True
            text = text[: m.start()].rstrip() + "…"
        if is_furniture(text) or (text.startswith("The post ") and APPEARED_FIRST.match(text)):
            continue
        if pending_maxim:
            maxim, pending_maxim = text, False
        m = MAXIM.match(text)
        if m and maxim is None:
            if m.group(1):
                maxim = m.group(1)
            else:
                pending_maxim = True
        kept.append(text)
    return kept, (maxim.strip() or None) if maxim else None, excerpt


def kind_of(title: str, hint: str | None = None) -> str:
    """The post's kind: a title prefix ("VIDEO: …") wins, then the source's own hint."""
    m = MEDIA_PREFIX.match(title)
    if m:
        return MEDIA_KIND[m.group(1).lower()]
    hint = (hint or "").lower().removeprefix("post-format-")
    hint = {"podcast": "audio", "gallery": "image", "photo": "image"}.get(hint, hint)
    return hint if hint in KINDS else "article"


def stable_id(slug_source: str, key: str) -> str:
    """An id that survives edits: a slug (from the permalink, else the title) plus a hash of
    the source's own key for the post (a WordPress guid, a URL, a file path)."""
    digest = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slugify(slug_source)}-{digest}"


def slug_from_url(url: str | None) -> str | None:
    """The last path segment of a permalink (WordPress puts the post's slug there)."""
    if not url or (whole := split(url)) is None:
        return None
    parts = [p for p in whole.path.split("/") if p]
    if not parts:
        return None
    last = re.sub(r"\.(?:html?|php)$", "", parts[-1])
    return last if re.search(r"[a-z]", last, re.I) and not last.isdigit() else None


# How a value read from a source is quoted in a problem: at most about 80 characters, and
# a nested list cut to its first items at two levels. A YAML front matter's `date: *a`,
# an alias of lists of aliases (a "billion laughs"), was written out in full: a message
# of 2 GB, and 8 GB of memory for one post.
_QUOTED = reprlib.Repr()  # (its settings as keywords only from Python 3.12)
_QUOTED.maxlevel = 2
_QUOTED.maxlist = _QUOTED.maxtuple = _QUOTED.maxdict = _QUOTED.maxset = 4
_QUOTED.maxstring = _QUOTED.maxother = 80


def quoted(value) -> str:
    """`value`'s repr, kept short (see _QUOTED), for a problem's message."""
    return _QUOTED.repr(value)


def text_of(value) -> str:
    """A value a source should give as text, or "" where it gives something else (None,
    or a mapping: feedparser's for a cut `<links` tag, a JSON-LD `"headline": {…}`):
    such a field lost its whole file."""
    return value if isinstance(value, str) else ""


def importer_fault(exc: Exception) -> str:
    """How a fault of an importer on its input is named in a problem."""
    return f"{type(exc).__name__} in its importer ({exc!s:.120})"


def post_alone(
    items: Iterator[Article | SourceError], name: str, line: int | None, about: str
) -> Iterator[Article | SourceError]:
    """What `items` (the reading of one post) gives; a fault of the importer on this
    post's content ends this post alone, named ("item 7 could not be read: …"), and the
    file's other posts are read (the file's reader caught it, and lost the rest)."""
    try:
        yield from items
    except Exception as exc:
        yield SourceError(name, line, f"{about} could not be read: {importer_fault(exc)}; skipped")


def said(message: object) -> str:
    """A parser's own message, cut to about 200 characters for a problem: libxml2 quotes
    the input in some ("… mandates value for attribute X"), and an attribute of 64,000
    letters made a message of that length."""
    text = str(message)
    return text if len(text) <= 200 else text[:200] + "…"


MONTHS = {
    name: n
    for n, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# A date with its month named, as JavaScript writes one and Astro's blog template dates its
# posts ("Jul 08 2022", "July 8, 2022", "Fri Jul 08 2022"), or day first ("8 July 2022").
_MONTH_FIRST = re.compile(
    r"(?:[a-z]{3,9},?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?"
    r"\s+(\d{4})(?:[\sT,].*)?",
    re.I,
)
_DAY_FIRST = re.compile(r"(?:[a-z]{3,9},?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?"
                        r"\s+(\d{4})(?:[\sT,].*)?", re.I)  # fmt: skip


def _month_named(text: str) -> str | None:
    """YYYY-MM-DD of a date with its month named in English; None for anything else."""
    if m := _MONTH_FIRST.fullmatch(text):
        month, day, year = m.group(1), m.group(2), m.group(3)
    elif m := _DAY_FIRST.fullmatch(text):
        day, month, year = m.group(1), m.group(2), m.group(3)
    else:
        return None
    number = MONTHS.get(month.lower())
    try:
        return date(int(year), number, int(day)).isoformat() if number else None
    except ValueError:  # (the 31st of a month of 30 days)
        return None


def parse_when(value) -> str | None:
    """A date in any of the forms sources use (ISO 8601, RFC 822, WordPress's
    "2021-05-04 10:00:00", a datetime or date) as YYYY-MM-DD; ValueError if it is none."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"date {quoted(value)} is not a date")
    text = value.strip()
    if text.startswith("0000-00-00"):  # WordPress's "never" (drafts, scheduled posts)
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        day = _month_named(text)
        if day is None:
            raise ValueError(f"date {quoted(value)} is not a date") from None
        return day
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.date().isoformat()


def first_date(*candidates) -> tuple[str | None, str | None]:
    """The first candidate that is a date, as YYYY-MM-DD (a source often has several:
    WordPress's GMT date, its local date, the RSS pubDate); and, when none is, why the
    first one given is not a date (None when none was given at all)."""
    problem = None
    for value in candidates:
        try:
            when = parse_when(value)
        except ValueError as exc:
            problem = problem or str(exc)
            continue
        if when:
            return when, None
    return None, problem


def clean_names(values) -> list[str]:
    """Category or tag names: stripped, white space folded, duplicates (any case) dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for value in values or []:
        if not isinstance(value, str):
            continue
        name = collapse_spaces(unicodedata.normalize("NFC", value))
        if name and name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def assemble(
    *,
    title: str,
    paragraphs: list[str],
    file: str,
    line: int | None,
    article_id: str,
    date: str | None = None,
    author: str | None = None,
    categories: list[str] | None = None,
    tags: list[str] | None = None,
    kind_hint: str | None = None,
    excerpt: bool = False,
    url: str | None = None,
    source_extra: dict | None = None,
) -> Article | SourceError:
    """One post as an Article, or a SourceError naming it when it has nothing to search."""
    title = collapse_spaces(title or "")
    kept, maxim, cut_short = clean_paragraphs(paragraphs)
    kind = kind_of(title, kind_hint)
    if not title:
        if not kept:
            return SourceError(file, line, "a post with no title and no text; skipped")
        title = " ".join(kept[0].split()[:12])
    body = "\n\n".join(kept)
    if not body and kind not in ("image", "video", "audio"):
        return SourceError(file, line, f"the post {quoted(title)} has no body text; skipped")
    source = {"file": file, "line": line}
    source.update(source_extra or {})
    return Article(
        id=article_id,
        title=title,
        body=body,
        date=date,
        author=collapse_spaces(author) or None if author else None,
        categories=clean_names(categories),
        tags=clean_names(tags),
        maxim=maxim,
        kind=kind,
        excerpt=excerpt or cut_short,
        url=http_url(url),
        source=source,
    )
