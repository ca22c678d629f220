"""Which files of a folder or a zip to read, when it is a platform's export.

Takes the paths of the files (each as its parts, `("posts", "a.html")`); gives the files
to read, and the files those readers open beside them. A Medium export's posts are in
posts/, beside the account's own pages (profile, claps, bookmarks, sessions): only
posts/ is read. A Substack export's posts are listed in posts.csv (title, date, whether
published and for whom), their text in posts/<post_id>.html, beside the subscribers'
addresses and each email's opens: only posts.csv is read, and it reads posts/ itself
(indexer/importers/substack.py). Anything else is read whole.
"""

from __future__ import annotations

Paths = list[tuple[str, ...]]


def chosen(paths: Paths) -> tuple[Paths, Paths]:
    """(the files to read, the files they open beside them) of `paths`."""
    in_posts = [parts for parts in paths if parts[0] == "posts" and len(parts) > 1]
    if ("profile", "profile.html") in paths and in_posts:  # Medium
        return in_posts, []
    if ("posts.csv",) in paths and in_posts:  # Substack
        return [("posts.csv",)], [parts for parts in in_posts if parts[-1].endswith(".html")]
    return paths, []
