"""Notion pages: the Markdown pages of Notion's export of a database (Export → Markdown
& CSV), a blog kept in Notion.

Takes a page's Markdown and its file's name (`page_fields`); gives its properties as a
Markdown post's front matter, and its text. Notion writes each page of a database as

    # Pricing in hard times

    Created: March 5, 2024 10:00 AM
    Status: Published
    Tags: pricing, cash

    Raise prices slowly…

in "Pricing in hard times 1f3a….md" (the title, then the page's id of 32 hex digits), in a
folder named as the database ("Blog 9c2e…/"), beside the database as a CSV table of the
same properties ("Blog 9c2e….csv", and in later exports "Blog 9c2e…_all.csv" too). Read
as any Markdown post, the properties were its first paragraph, a draft was a post, and
it had no date or tags; the CSV, a table of posts (csv_posts.py), would give every post
again, as an excerpt. So a page's properties are read as front matter, by what their
names mean (columns.py): a date, tags, categories, an author, a summary, an address; a
status that is not published (Draft, Not started, In progress), or a Draft or Published
checkbox that says so, makes the page a draft, which is not read. The tables beside the
pages are not read (`database_tables`, for layouts.py).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from indexer.importers.columns import (
    COLUMNS,
    HIDING,
    NO,
    NOT_SHOWN,
    SCHEDULED,
    SHOWING,
    YES,
    as_iso,
    names_in,
    normal,
)

# A page's or a database's name in the export: its title, a space, its id.
PAGE_ID = re.compile(r" [0-9a-f]{32}$")
# The title heading, a blank line, and the property lines ("Name: value") up to the
# next blank line or the end.
PROPERTIES = re.compile(r"\A# ([^\n]+)\n\n((?:[^\n:#][^\n:]{0,59}: [^\n]*\n)+)(?:\n|\Z)")
# The roles whose value is a list ("pricing, cash") or one name.
LISTS = ("tags", "categories")
SINGLE = ("author", "summary", "url", "slug")


def is_page(name: str) -> bool:
    """Whether a Markdown file's name is a Notion page's (its title and its id)."""
    return bool(PAGE_ID.search(PurePosixPath(name).stem))


def page_fields(content: str) -> tuple[dict, str] | None:
    """(the page's properties as front matter's fields, its text) of a Notion page's
    Markdown; None where it does not start with a title and properties, one of them
    at least a name columns.py knows (a page's first paragraph may be "Note: …")."""
    m = PROPERTIES.match(content.replace("\r\n", "\n"))
    if m is None:
        return None
    fields: dict = {"title": m.group(1).strip()}
    dates: dict[str, str] = {}
    known = False
    for line in m.group(2).splitlines():
        name, _, value = line.partition(": ")
        key, value = normal(name), value.strip()
        role = next((r for r, names in COLUMNS.items() if key in names), None)
        known = known or role is not None or key in HIDING or key in SHOWING
        if not value:
            continue
        said = value.lower()
        if role == "date" and said not in YES | NO:
            dates[key] = value
        elif role in LISTS:
            fields[role] = names_in(value)
        elif role in SINGLE:
            fields[role] = value
        if (role == "status" and normal(value) in NOT_SHOWN | SCHEDULED
                or key in HIDING and said in YES or key in SHOWING and said in NO):  # fmt: skip
            fields["draft"] = True
    if not known:
        return None
    # (The likeliest date first: its publication's, then its creation's.)
    for key in COLUMNS["date"]:
        if key in dates:
            fields["date"] = as_iso(dates[key], "mdy")
            break
    return fields, content.replace("\r\n", "\n")[m.end() :]


def database_tables(paths: list[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The CSV tables of Notion databases among `paths` (each as its parts) whose pages
    are beside them, in the folder of the database's name."""
    folders = {parts[:-1] for parts in paths if parts[-1].lower().endswith(".md")}
    tables = set()
    for parts in paths:
        if not parts[-1].lower().endswith(".csv"):
            continue
        stem = parts[-1][: -len(".csv")].removesuffix("_all")
        if PAGE_ID.search(stem) and (*parts[:-1], stem) in folders:
            tables.add(parts)
    return tables
