"""What a corpus read may be told beyond the files themselves.

Takes nothing; gives `ImportOptions`: which WordPress post types to import, and what a
crawl recorded about each file it wrote (the URL it came from, the Content-Type the
server sent), which the HTML importer uses for a page's address and character set, and
to leave out a listing page's post whose own page the crawl saved too (`crawled`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlunsplit

from indexer.addresses import split


@dataclass(frozen=True)
class ImportOptions:
    # WordPress post types imported from exports and the REST API ("post"; "page" and
    # custom types only when asked: `rocksearch index --post-types post,page`).
    post_types: frozenset[str] = frozenset({"post"})
    # file name (as reported, relative to the corpus) -> {"url": …, "content_type": …}
    origins: Mapping[str, dict] = field(default_factory=dict)

    def origin(self, name: str) -> dict:
        return self.origins.get(name) or {}

    @cached_property
    def crawled(self) -> frozenset[str]:
        """The addresses the crawl saved a file of, as `address_key` gives them."""
        urls = (o.get("url") for o in self.origins.values() if isinstance(o, dict))
        return frozenset(address_key(u) for u in urls if isinstance(u, str))


def address_key(url: str) -> str:
    """A page's address as compared: scheme and host lower-cased, no fragment, no
    trailing slash ("https://Blog.example/a/#top" and "https://blog.example/a" alike)."""
    parts = split(url.strip())
    if parts is None:
        return url.strip()  # (no address: compared as written)
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def no_type_asked(options: ImportOptions, other_types: Mapping[str, int]) -> str:
    """What a WordPress export or REST API answer is told when none of its published items
    is of the post types asked for (a type misspelt, a site whose articles are a custom
    type, an answer of pages saved by hand): the types it has, and how many of each."""
    found = ", ".join(f"{kind} ({n})" for kind, n in sorted(other_types.items()))
    asked = ", ".join(sorted(options.post_types))
    return (f"no published item is of the types asked for ({asked}); its published items "
            f"are {found}: see --post-types")  # fmt: skip
