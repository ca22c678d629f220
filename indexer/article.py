"""The article record every source produces and the index stores.

Takes nothing; gives `Article` (one post, as the reader would name its parts) and
`SourceError` (one problem in one input file, with its line), plus `make_id`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from indexer.addresses import split

KINDS = ("article", "video", "audio", "image")
# The line a post's maxim follows ("Write this on a rock … <the maxim>"), or stands on:
# the importers read the maxim after it, and article pages mark its paragraph. The
# author writes an ellipsis; a colon, a dash, a stop or an exclamation mark is read the
# same (they came out as the maxim's first character). Text after the label without one
# ("Write this on a rock and read it daily") is a sentence, not a maxim, and "a
# rock-solid", "a rocky" are not the label.
MAXIM = re.compile(
    r"^Write this on a rock(?![\w-])"
    r"(?:\s*(?:…|\.{2,}|[:!.]|[–—-](?=\s))\s*(.*?))?\s*$",
    re.I,
)


@dataclass
class Article:
    id: str
    title: str
    body: str
    date: str | None = None  # ISO date, YYYY-MM-DD
    author: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    maxim: str | None = None
    kind: str = "article"
    excerpt: bool = False
    url: str | None = None
    source: dict = field(default_factory=dict)  # {"file": name, "line": n}

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def line(self) -> int | None:
        return place_in_file(self.source)

    def content_hash(self) -> str:
        """A hash of everything that is indexed: equal hashes mean nothing to re-analyse.
        Where the article was read (`source`: file and line) is not part of it: a post
        whose line moves, or whose file is renamed, is not indexed again (its place is
        kept in the generation's metadata instead; see indexer/build.py)."""
        # repr of a flat tuple: ten times faster than json.dumps(asdict(self)), which
        # mattered most of the time of a one-article update on 10k articles.
        parts = (
            self.id, self.title, self.body, self.date, self.author, tuple(self.categories),
            tuple(self.tags), self.maxim, self.kind, self.excerpt, self.url,
        )  # fmt: skip
        return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()


@dataclass(slots=True)  # (100k of them at a time: slots make them quicker to make)
class Known:
    """An article an earlier run read from the very same bytes and indexed: its id, the
    content hash it was indexed with and the notes it was read with, handed on without
    reading it again (see indexer/read_cache.py)."""

    id: str
    hash: str
    source: dict  # as the article had it: {"file": name, "line": n}
    notes: tuple[str, ...] = ()

    @property
    def line(self) -> int | None:
        return place_in_file(self.source)


class KnownRun:
    """Known articles of consecutive lines of file `file`, with no notes and no problems
    among them, handed on as one item, as columns (`ids`, `hashes`, `lines`, in file
    order): the unchanged start or end of a JSON Lines file that changed. Each step that
    hands items on takes such a run whole, and the indexer keeps its columns; one by one,
    the 100,000 unchanged posts of a one-post edit were made into Known objects and went
    through four generators and three dicts (0.25 s at 100k posts). A step that has no
    use for a run iterates it: it then gives each article as a Known."""

    __slots__ = ("file", "ids", "hashes", "lines")

    def __init__(self, file: str, ids: list[str], hashes: list[str], lines: list[int]):
        self.file, self.ids, self.hashes, self.lines = file, ids, hashes, lines

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Known]:
        file = self.file
        for article_id, content_hash, line in zip(self.ids, self.hashes, self.lines, strict=True):
            yield Known(article_id, content_hash, {"file": file, "line": line})


@dataclass(frozen=True)
class Unpublished:
    """A post its file holds but its site does not publish yet: a Markdown post dated
    in the future, which Hugo and Jekyll leave out until that day. Not indexed, and its
    file is not remembered as read (indexer/read_cache.py), so every run reads it again
    and the post is indexed on its day, though the file did not change. Also given
    after a post that has an expiry date to come (Hugo's `expiryDate`), so that it
    leaves the index on that day."""

    file: str


def place_in_file(source: dict) -> int | None:
    """The line (or, for an export, the item number) an article was read at."""
    return source.get("line") or source.get("item")


@dataclass
class SourceError:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


def slugify(text: str, limit: int = 60) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:limit].rstrip("-") or "untitled"


def make_id(title: str, file: str, occurrence: int = 0) -> str:
    """A stable id: the title's slug plus a short hash of where it was published.

    Line numbers are left out on purpose, so that editing a page above an article
    does not change the article's id; the same title twice on one page gets
    `occurrence` to tell them apart.
    """
    key = f"{file}\x00{title}\x00{occurrence}"
    digest = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slugify(title)}-{digest}"


def http_url(value) -> str | None:
    """Keep a link only when it is an absolute http(s) URL; anything else is no link."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    parts = split(value)
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value
