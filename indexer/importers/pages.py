"""Page importer: turns a page scraped from the blog into clean articles.

Takes the text of one scraped archive page and its file name; gives the articles on it
and the problems met (`parse_page`). The pages come from different blog templates, so
nothing here depends on line numbers; it relies on what every template shares:

* paragraphs are separated by blank lines and a post title stands alone on its line;
* templates with datelines ("March 10, 2023 by Jim Blasingame") put the title on the
  line before the dateline and close each post with "Filed Under: … Tagged With: …";
* templates without datelines are segmented by what a title looks like (a short line
  of 4 to 16 words that does not end like a sentence), and image posts by their shape
  (a short caption line followed by the image's file name);
* page furniture (menus, sidebars, pagination, photo credits, image file names, video
  embed links, PHP warnings) is recognised by its own shape and never kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from indexer.article import MAXIM, Article, SourceError, make_id
from indexer.importers.furniture import IMAGE_NAMES, is_furniture
from indexer.importers.html_text import collapse_spaces
from indexer.importers.post import assemble

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_NUMBER = {m: i for i, m in enumerate(MONTHS.split("|"), start=1)}

DATELINE = re.compile(rf"^({MONTHS})\s+(\d{{1,2}}),\s+(\d{{4}})(?:\s+by\s+(.+?))?\s*$")
CATEGORY_HEADING = re.compile(r"^Category Archives?:\s*(.+?)\s*$", re.I)
TAG_HEADING = re.compile(r"^Tag Archives?(?:\s+for)?:?\s*['‘’\"“”]?(.+?)['‘’\"“”]?\s*$", re.I)
FILED = re.compile(r"^Filed Under:\s*(.*?)\s*(?:Tagged With:\s*(.*?))?\s*$")
TAGGED = re.compile(r"^Tagged With:\s*(.*?)\s*$")
# Image captions and file names glued to the start of a paragraph by the scraper.
GLUED = [
    # "Photo courtesy of Lifecare-EdinburghAccording to …", "… Edinburgh       According"
    re.compile(r"^Photo (?:courtesy of|credit:?)\s+.*?(?:\s{2,}|(?<=[a-z.])(?=[A-Z][a-z]{2,}\s))"),
    re.compile(r"^(?=\S*[\d_])[A-Za-z]+(?:[-_][A-Za-z0-9]+)+(?=[A-Z][a-z])"),  # desk-7896_640Have
    re.compile(r"^[A-Z][^.!?\n]{0,100}?[a-z]\.(?=[A-Z][a-z])"),  # "Rustic heart.Noted …"
    re.compile(r"^(?:[A-Z][a-z]+){2,}(?=[—–])"),  # "TheForce—Earth, …"
]

WORD = re.compile(r"\w+(?:['’]\w+)*")
LIST_MARKER = re.compile(r"^(?:\d+[.)]|[-–—*])\s*")
CLOSING = "”’\"'®™) "


@dataclass
class Line:
    no: int  # 1-based line number in the file
    text: str  # stripped, glued captions removed
    alone: bool  # a paragraph of one line (blank lines around it)


def strip_glued(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        for pattern in GLUED:
            m = pattern.match(text)
            if m and m.end() < len(text):
                text = text[m.end() :].lstrip()
                changed = True
    return text


def word_count(text: str, most: int = 16) -> int:
    """How many words `text` has, counted up to `most` + 1: every caller asks whether a
    line is short (a list of a 200 MB line's words was 40 million strings)."""
    n = 0
    for n, _ in enumerate(WORD.finditer(text), 1):  # noqa: B007 (n is the count)
        if n > most:
            break
    return n


def ends_like_sentence(text: str) -> bool:
    return text.rstrip(CLOSING)[-1:] in (".", ",", ";", ":", "…")


def is_title(line: Line) -> bool:
    """Does this line look like a post title in a template without datelines?"""
    text = line.text
    return (
        line.alone
        and 4 <= word_count(text) <= 16
        and len(text) <= 120
        and not ends_like_sentence(text)
        and not LIST_MARKER.match(text)
        and (text[0].isalnum() or text[0] in "“‘\"'")
        and not is_furniture(text)
        and not MAXIM.match(text)
    )


def is_image_name(line: Line) -> bool:
    """An image's file name or truncated alt text, as it stands under an image post."""
    text = line.text
    if not line.alone or MAXIM.match(text):
        return False
    if re.search(r"[-_]\d+$", text) or text.isdigit() or any(p.search(text) for p in IMAGE_NAMES):
        return True
    if is_furniture(text):  # a photo credit or an embed link is not the image's name
        return False
    return word_count(text) <= 3 and not ends_like_sentence(text) and text[-1:] not in "?!"


def read_lines(text: str) -> list[Line]:
    raw = text.splitlines()
    lines = []
    for i, value in enumerate(raw):
        stripped = value.strip()
        if not stripped:
            continue
        before = i == 0 or not raw[i - 1].strip()
        after = i + 1 == len(raw) or not raw[i + 1].strip()
        # Glued captions first (a run of spaces can mark their end), then fold white space.
        text = collapse_spaces(strip_glued(stripped))
        lines.append(Line(i + 1, text, before and after))
    return lines


def split_list(value: str, known: set[str]) -> list[str]:
    """Split "A, B, C" into names, keeping names that contain a comma when known."""
    parts = [p.strip() for p in value.split(",") if p.strip()]
    out: list[str] = []
    for part in parts:
        if out and f"{out[-1]}, {part}" in known:
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


def sidebar_categories(lines: list[Line]) -> set[str]:
    """Category names listed in a "Categories" sidebar, to read "Filed Under" right."""
    names: set[str] = set()
    for i, line in enumerate(lines):
        if line.text == "Categories":
            for item in lines[i + 1 :]:
                if not item.text.startswith("•"):
                    break
                names.add(item.text.lstrip("•").strip())
    return names


@dataclass
class Draft:
    title: Line
    lines: list[Line]
    kind: str = "article"
    date: str | None = None
    author: str | None = None
    categories: list[str] | None = None
    tags: list[str] | None = None


def segment_dated(lines: list[Line], known: set[str]) -> list[Draft]:
    starts = [i - 1 for i, line in enumerate(lines) if i and DATELINE.match(line.text)]
    drafts = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        m = DATELINE.match(lines[start + 1].text)
        month, day, year, author = m.groups()
        draft = Draft(lines[start], [], author=author)
        draft.date = f"{int(year):04d}-{MONTH_NUMBER[month]:02d}-{int(day):02d}"
        for line in lines[start + 2 : end]:
            filed, tagged = FILED.match(line.text), TAGGED.match(line.text)
            if filed or tagged:
                # "Filed Under/Tagged With" closes the post; what follows is furniture.
                cats, tags = filed.groups() if filed else (None, tagged.group(1))
                draft.categories = split_list(cats or "", known)
                draft.tags = split_list(tags or "", set())
                break
            draft.lines.append(line)
        drafts.append(draft)
    return drafts


def segment_undated(lines: list[Line]) -> list[Draft]:
    drafts: list[Draft] = []
    current: Draft | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        after = lines[i + 2] if i + 2 < len(lines) else None
        if current and MAXIM.match(line.text) and not MAXIM.match(line.text).group(1) and nxt:
            # "Write this on a rock …" alone: the maxim is the next line, never a title.
            current.lines += [line, nxt]
            i += 2
            continue
        caption = (
            line.alone
            and 1 <= word_count(line.text) <= 16
            and not is_furniture(line.text)
            and not LIST_MARKER.match(line.text)
            and not MAXIM.match(line.text)
        )
        if (
            caption
            and nxt
            and is_image_name(nxt)
            and (after is None or (after.alone and word_count(after.text) <= 16))
        ):
            # An image post: its caption, then the image's name, then the next post.
            current = None
            drafts.append(Draft(line, [], kind="image"))
            i += 2
            continue
        if is_title(line):
            current = Draft(line, [])
            drafts.append(current)
        elif current is not None:
            current.lines.append(line)
        i += 1
    return drafts


def finish(draft: Draft, file: str, seen: dict[str, int]) -> Article | SourceError:
    """Turn a draft into an article: maxim, excerpt flag, kind, furniture removed."""
    title = draft.title.text
    occurrence = seen.get(title, 0)
    result = assemble(
        title=title,
        paragraphs=[line.text for line in draft.lines],
        file=file,
        line=draft.title.no,
        article_id=make_id(title, file, occurrence),
        date=draft.date,
        author=draft.author,
        categories=draft.categories,
        tags=draft.tags,
        kind_hint=draft.kind,
    )
    if isinstance(result, Article):
        seen[title] = occurrence + 1
    return result


def add_unique(values: list[str], value: str) -> list[str]:
    if value.lower() not in {v.lower() for v in values}:
        values.append(value)
    return values


def parse_page(text: str, file: str) -> Iterator[Article | SourceError]:
    """Yield the articles of one scraped page, and a SourceError for each problem."""
    lines = read_lines(text)
    if not lines:
        yield SourceError(file, None, "the file is empty")
        return
    page_category = page_tag = None
    first = lines[0].text
    if m := CATEGORY_HEADING.match(first):
        page_category, lines = m.group(1), lines[1:]
    elif m := TAG_HEADING.match(first):
        page_tag, lines = m.group(1), lines[1:]
    if any(DATELINE.match(line.text) for line in lines):
        drafts = segment_dated(lines, sidebar_categories(lines))
    else:
        drafts = segment_undated(lines)
    if not drafts:
        yield SourceError(file, 1, "no articles found: no line looks like a post title")
        return
    seen: dict[str, int] = {}
    for draft in drafts:
        result = finish(draft, file, seen)
        if isinstance(result, Article):
            if page_category:
                add_unique(result.categories, page_category)
            if page_tag:
                add_unique(result.tags, page_tag)
        yield result
