"""What the columns of a table of posts, or the properties of a page, are named.

Takes a column's or a property's name, or its value; gives what it holds (`COLUMNS`,
`normal`), whether it keeps a post off the site (`hidden`, NOT_SHOWN), a date with its
numbers in ISO order (`day_first`, `as_iso`), and the names a cell lists (`names_in`).
Shared by the CSV and spreadsheet importers (csv_posts.py, spreadsheets.py) and by
Notion's pages (notion.py), whose properties are its database's columns.
"""

from __future__ import annotations

import json
import re
from datetime import date

# Column names, as `normal` makes them, by what they hold; in each, the likelier first.
COLUMNS: dict[str, tuple[str, ...]] = {
    # (HubSpot's `Name` is a post's internal name, its `Post Title` or `HTML Title` the
    # title; Webflow's and Notion's `Name` is the title. Shopify's blog posts, exported
    # by Matrixify, have `Body HTML` and `Summary HTML`; WordPress's, exported by WP All
    # Export, `Content`, `Excerpt`, `Status` and `Author Display Name`.)
    "title": ("title", "posttitle", "headline", "articletitle", "blogposttitle", "name",
              "htmltitle", "pagetitle", "seotitle", "subject"),
    "text": ("body", "postbody", "content", "postcontent", "bodyhtml", "contenthtml", "html",
             "richtext", "text", "articlebody", "article", "blogbody", "blogpostbody",
             "markdown", "bodymarkdown", "contentmarkdown", "contentencoded"),
    "summary": ("summary", "postsummary", "excerpt", "postexcerpt", "description",
                "metadescription", "seodescription", "subtitle", "teaser", "abstract",
                "summaryhtml", "excerpthtml"),
    "date": ("publishedon", "publishdate", "publishedat", "publisheddate", "datepublished",
             "publicationdate", "postdate", "date", "blogdate", "published", "createdon",
             "createdat", "created", "datecreated", "createdtime"),
    "url": ("url", "permalink", "link", "posturl", "pageurl", "canonicalurl", "canonical",
            "absoluteurl", "publishedurl", "liveurl"),
    "slug": ("slug", "postslug", "urlslug", "handle"),
    "id": ("id", "itemid", "postid", "uid", "guid", "uuid", "recordid"),
    "author": ("author", "authorname", "authors", "postauthor", "blogauthor", "writer",
               "byline", "createdby", "authordisplayname", "authorusername"),
    "categories": ("categories", "category", "postcategories", "section", "sections",
                   "topic", "topics"),
    "tags": ("tags", "tag", "posttags", "keywords", "labels", "hashtags"),
    "status": ("status", "state", "poststatus", "publishstatus", "currentstate"),
    "type": ("type", "posttype", "contenttype"),
}  # fmt: skip
# A column that says yes for a row not to read ("Draft: true"), and one that says no.
HIDING = ("draft", "isdraft", "archived", "isarchived", "deleted", "isdeleted", "hidden")
SHOWING = ("published", "ispublished", "publish", "live", "islive", "visible")
YES = frozenset({"true", "yes", "y", "1", "x", "checked", "✓", "✔"})
NO = frozenset({"false", "no", "n", "0", "unchecked"})
# A status that says a row is not (yet) on the site; any other is.
NOT_SHOWN = frozenset({"draft", "drafts", "unpublished", "private", "pending", "archived",
                       "trash", "trashed", "deleted", "hidden", "inactive", "review",
                       "inreview", "pendingreview", "notpublished", "idea", "ideas",
                       "planned", "writing", "inprogress", "todo", "notstarted"})  # fmt: skip
SCHEDULED = frozenset({"scheduled", "future", "queued"})

# A date with slashes, dots or dashes and its year last ("3/25/2024", "25.03.2024 14:00"),
# or its year first with slashes ("2024/03/25").
NUMBERED_YEAR_LAST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b(.*)", re.S)
NUMBERED_YEAR_FIRST = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})\b(.*)", re.S)


def normal(name: str) -> str:
    """A column's name as COLUMNS lists it: lower case, letters and digits only."""
    return "".join(c for c in name.lower() if c.isascii() and c.isalnum())


def hidden(row: dict) -> bool:
    """Whether a yes in a HIDING column, or a no in a SHOWING one, keeps the row off the
    site. (A `Published` column may hold dates: only yes and no are read here.)"""
    for cell, value in row.items():
        if not isinstance(cell, str) or not isinstance(value, str):
            continue
        column, said = normal(cell), value.strip().lower()
        if column in HIDING and said in YES or column in SHOWING and said in NO:
            return True
    return False


def day_first(value: str | None) -> bool:
    """Whether a date with its year last is written day first: its first number is over
    12 ("25/03/2024"). A date column's dates are read so where one of them is."""
    m = NUMBERED_YEAR_LAST.match((value or "").strip())
    return bool(m) and int(m.group(1)) > 12 >= int(m.group(2))


def as_iso(value: str | None, order: str) -> str | None:
    """A cell's date with its numbers in ISO order where it is written with slashes or
    dots ("3/25/2024 9:00" is "2024-03-25"); any other as it is."""
    text = (value or "").strip()
    if m := NUMBERED_YEAR_FIRST.fullmatch(text):
        year, month, day = m.group(1), m.group(2), m.group(3)
    elif m := NUMBERED_YEAR_LAST.fullmatch(text):
        year = m.group(3)
        month, day = (m.group(1), m.group(2)) if order == "mdy" else (m.group(2), m.group(1))
    else:
        return text or None
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:  # ("13/13/2024": the problem quotes it as written)
        return text


def names_in(cell: str) -> list[str]:
    """The names one cell lists: a JSON list, or names apart by ";", "|" or ","."""
    if not cell:
        return []
    if cell.startswith("["):
        try:
            found = json.loads(cell)
        except ValueError:
            found = None
        if isinstance(found, list):
            return [str(n).strip() for n in found if str(n).strip()]
    for separator in ";|,":
        if separator in cell:
            return [n.strip() for n in cell.split(separator) if n.strip()]
    return [cell]
