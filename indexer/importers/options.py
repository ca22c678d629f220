"""What a corpus read may be told beyond the files themselves.

Takes nothing; gives `ImportOptions`: which WordPress post types to import, and what a
crawl recorded about each file it wrote (the URL it came from, the Content-Type the
server sent), which the HTML importer uses for a page's address and character set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportOptions:
    # WordPress post types imported from exports and the REST API ("post"; "page" and
    # custom types only when asked: `rocksearch index --post-types post,page`).
    post_types: frozenset[str] = frozenset({"post"})
    # file name (as reported, relative to the corpus) -> {"url": …, "content_type": …}
    origins: Mapping[str, dict] = field(default_factory=dict)

    def origin(self, name: str) -> dict:
        return self.origins.get(name) or {}
