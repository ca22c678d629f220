"""Which files of a folder or a zip to read, when it is a platform's export.

Takes the paths of the files (each as its parts, `("posts", "a.html")`); gives the files
to read, and the files those readers open beside them. A Medium export's posts are in
posts/, beside the account's own pages (profile, claps, bookmarks, sessions): only
posts/ is read. A Substack export's posts are listed in posts.csv (title, date, whether
published and for whom), their text in posts/<post_id>.html, beside the subscribers'
addresses and each email's opens: only posts.csv is read, and it reads posts/ itself
(indexer/importers/substack.py). A LinkedIn export's articles are its
Articles/Articles/*.html, beside the account's tables (Profile.csv, Connections.csv,
messages…): only the articles are read, and Profile.csv, which names their author
(indexer/importers/linkedin.py), is opened beside them. A Notion database's pages are
read, not the CSV table of them beside their folder (indexer/importers/notion.py).
Anything else is read whole. `read_beside`
gives the files on disk that reading one file opens too: a change to any of them has
the file read again.
"""

from __future__ import annotations

from pathlib import Path

from indexer.importers.linkedin import ARTICLES, PROFILE, profile_of
from indexer.importers.markdown import SUFFIXES as MARKDOWN_SUFFIXES
from indexer.importers.notion import database_tables
from indexer.importers.static_sites import read_with

Paths = list[tuple[str, ...]]


def chosen(paths: Paths) -> tuple[Paths, Paths]:
    """(the files to read, the files they open beside them) of `paths`."""
    in_posts = [parts for parts in paths if parts[0] == "posts" and len(parts) > 1]
    if ("profile", "profile.html") in paths and in_posts:  # Medium
        return in_posts, []
    if ("posts.csv",) in paths and in_posts:  # Substack
        return [("posts.csv",)], [parts for parts in in_posts if parts[-1].endswith(".html")]
    articles = [parts for parts in paths if len(parts) == 3 and parts[:2] == ARTICLES
                and parts[2].lower().endswith(".html")]  # fmt: skip
    if articles and any(len(parts) == 1 and parts[0].endswith(".csv") for parts in paths):
        # LinkedIn (its articles, not its tables: each "not an article"), and its
        # profile, which names the articles' author (linkedin.py)
        return articles, [parts for parts in paths if parts == (PROFILE,)]
    tables = database_tables(paths)  # (Notion's: each page again, without its text)
    return [parts for parts in paths if parts not in tables], []


def read_beside(path: Path) -> list[Path]:
    """The files beside corpus file `path` that its reader opens too: a Substack
    export's posts/*.html beside its posts.csv; a Hugo or Jekyll site's configuration
    beside a Markdown post of it (the post's address comes from there), and the index
    files of the Hugo leaf bundles it is in (it is no post in one: static_sites.py);
    none for any other file."""
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return read_with(path)
    if path.suffix.lower() == ".html":
        profile = profile_of(path)  # (a LinkedIn export's article: its author's name)
        return [profile] if profile is not None else []
    if path.name != "posts.csv":
        return []
    try:
        return sorted(p for p in (path.parent / "posts").iterdir() if p.suffix == ".html")
    except OSError:  # (no posts/ folder)
        return []
