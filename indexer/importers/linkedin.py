"""LinkedIn articles: the pages of LinkedIn's data export (Settings → Data privacy → Get a
copy of your data; `Articles/Articles/*.html` in the zip), one article a page.

Takes a page html_pages.py has parsed (`is_linkedin_article` tells it one); gives the
article (`read_article`). Each page is a bare document LinkedIn writes for the export:

    <h1><a href="https://www.linkedin.com/pulse/…">Title</a></h1>
    <p class="created">Created on 2019-05-01 09:12</p>
    <p class="published">Published on 2019-05-02 10:00</p>
    <div>…the article's HTML…</div>

(a cover image first, where it has one). Read as any other page, the two dates were its
first paragraphs, its address was lost, and a heading inside the text could be dropped
as a page's furniture. A page with no publication line is a draft, and is left out.
The author is the export's owner, named in its Profile.csv (`author_of`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from indexer.article import Article, SourceError, http_url
from indexer.importers.html_text import element_paragraphs, element_photo_text, inline_text
from indexer.importers.post import assemble, first_date, quoted, slug_from_url, stable_id

# "Created on 2019-05-01 09:12" (the page's own words: the export is in English).
CREATED = "//body/p[@class='created']"
PUBLISHED = "//body/p[@class='published']"
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")


def is_linkedin_article(doc) -> bool:
    """Whether a parsed page is one of a LinkedIn export's articles: its body says when
    it was created, in LinkedIn's own paragraph."""
    found = doc.xpath(CREATED)
    return bool(found) and found[0].text_content().strip().startswith("Created on")


# Where the export keeps its articles' pages, and, two folders above them, the
# account's profile, whose first row names its owner (the articles' author).
ARTICLES = ("Articles", "Articles")
PROFILE = "Profile.csv"


def profile_of(page: Path) -> Path | None:
    """The Profile.csv of the export a page (a file under Articles/Articles) is in, if it
    has one."""
    if page.parent.name != ARTICLES[1] or page.parent.parent.name != ARTICLES[0]:
        return None
    profile = page.parent.parent.parent / PROFILE
    return profile if profile.is_file() else None


def author_of(page: Path) -> str | None:
    """The name of the export's owner ("First Name" and "Last Name" of its Profile.csv's
    first row), who wrote its articles; None where the page is in no such export, or
    the file cannot be read (the articles are read all the same, without an author)."""
    profile = profile_of(page)
    if profile is None:
        return None
    try:
        with profile.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            row = next(csv.DictReader(handle), None)
    except (OSError, csv.Error):
        return None
    if not row:
        return None
    parts = (row.get("First Name"), row.get("Last Name"))
    name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return inline_text(name)[:200] or None


def read_article(doc, name: str, author: str | None = None) -> Iterator[Article | SourceError]:
    """The article of a LinkedIn export's page (nothing for a draft), by `author` (the
    export's owner: `author_of`)."""
    published = doc.xpath(PUBLISHED)
    stamp = STAMP.search(published[0].text_content()) if published else None
    if stamp is None:
        return  # a draft: never published, nothing to search
    heading = doc.xpath("//body/h1")
    title = inline_text(heading[0].text_content()) if heading else ""
    if not title:
        title = inline_text((doc.findtext(".//title") or "").strip())
    links = doc.xpath("//body/h1//a/@href")
    url = http_url(str(links[0]).strip()) if links else None
    body = doc.body
    for part in [*heading[:1], *doc.xpath(CREATED), *published]:
        part.drop_tree()
    for cover in body.xpath("./img[contains(@class, 'cover-img')]"):
        cover.drop_tree()
    paragraphs = element_paragraphs(body)
    kind = None
    if not paragraphs and (photos := element_photo_text(body)) is not None:
        paragraphs, kind = photos, "image"  # (a photo post: its images' descriptions)
    day, problem = first_date(stamp.group())  # (a day that does not exist: "2019-02-30")
    yield assemble(
        title=title,
        paragraphs=paragraphs,
        file=name,
        line=None,
        article_id=stable_id(slug_from_url(url) or title or name, url or name),
        date=day,
        author=author,
        kind_hint=kind,
        url=url,
    )
    if problem:
        yield SourceError(name, None, f"the article {quoted(title)}: {problem}; "
                                      "indexed without a date")  # fmt: skip
