"""The crawl's files and memory: where each fetched URL is saved, and what is known of it.

Takes a corpus folder (`CrawlStore`); gives safe file names for URLs (`file_for`), atomic
saves (`save`), each URL's validators for conditional requests (`known`), the body an
earlier crawl saved (`saved_body`, for a 304), whether a page is unchanged since the
sitemap's `<lastmod>` last said so (`unchanged_since`), the files of earlier crawls this
one did not see (`unseen`, `remove`), and the state file
`<corpus>/.rocksearch-crawl.json` (`save_state`), which `indexer.sources` also reads for
each file's URL and Content-Type. Thread-safe: the crawler saves from several threads.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

from indexer.addresses import split
from indexer.sources import CRAWL_STATE

# Sitemaps are kept only for the next crawl's conditional requests, in a hidden folder
# that corpus reads skip (they list pages; they hold no posts).
CRAWL_FOLDER = ".rocksearch-crawl"
EXTENSIONS = {"api": ".json", "feed": ".xml", "json-feed": ".json", "pages": ".html",
              "sitemaps": ".xml"}  # fmt: skip


class UnsafePath(Exception):
    """A URL whose file would land outside the corpus folder (never, by construction)."""


class CrawlStore:
    def __init__(self, corpus: Path):
        self.corpus = Path(corpus)
        self.root = self.corpus.resolve()
        self.lock = threading.Lock()
        self.state = self.load_state()
        self.touched: set[str] = set()  # files fetched or confirmed this crawl

    def load_state(self) -> dict:
        try:
            state = json.loads((self.corpus / CRAWL_STATE).read_text("utf-8"))
        except (OSError, ValueError):
            state = None
        if not isinstance(state, dict):
            state = {}
        state.setdefault("urls", {})
        state.setdefault("files", {})
        return state

    def save_state(self) -> None:
        self.corpus.mkdir(parents=True, exist_ok=True)
        tmp = self.corpus / f"{CRAWL_STATE}.tmp"
        with self.lock:
            _write(tmp, json.dumps(self.state, indent=1, sort_keys=True).encode("utf-8"),
                   self.corpus / CRAWL_STATE)  # fmt: skip
        os.replace(tmp, self.corpus / CRAWL_STATE)

    def known(self, url: str) -> dict:
        """What an earlier crawl kept of `url`: file, etag, last_modified, content_type."""
        with self.lock:
            return dict(self.state["urls"].get(url) or {})

    def file_for(self, url: str, kind: str) -> Path:
        """<corpus>/<host>/<kind>/<slug>-<hash>.<ext>: made from the URL, never its raw path."""
        parts = urlsplit(url)
        host = re.sub(r"[^a-z0-9.-]+", "-", parts.netloc.lower()).strip(".-") or "site"
        slug = re.sub(r"[^a-z0-9]+", "-", f"{parts.path} {parts.query}".lower()).strip("-")
        digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]
        top = self.corpus / CRAWL_FOLDER if kind == "sitemaps" else self.corpus
        path = (top / host / kind / f"{slug[:60] or 'index'}-{digest}{EXTENSIONS[kind]}").resolve()
        if not path.is_relative_to(self.root):
            raise UnsafePath(f"{url} would be written outside the corpus; refused")
        return path

    def save(self, url: str, kind: str, body: bytes, meta: dict) -> None:
        """Write the body (to a temporary name, then renamed) and remember it for `url`."""
        path = self.file_for(url, kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        _write(tmp, body, path)
        os.replace(tmp, path)
        rel = path.relative_to(self.root).as_posix()
        with self.lock:
            self.touched.add(rel)
            entry = {"url": url, "content_type": meta.get("content_type")}
            if meta.get("robots"):  # its X-Robots-Tag headers, for the importer
                entry["robots"] = meta["robots"]
            self.state["files"][rel] = entry
            self.state["urls"][url] = {"file": rel, **meta}

    def unchanged_since(self, url: str, lastmod: str | None) -> bool:
        """Whether `url`'s file was saved or confirmed when the sitemap gave it this
        same `lastmod`, and is still there: then it counts as seen, not asked again."""
        if not lastmod:
            return False
        with self.lock:
            known = self.state["urls"].get(url) or {}
            file = known.get("file")
            if known.get("lastmod") != lastmod or not isinstance(file, str):
                return False
            if not (self.corpus / file).is_file():
                return False
            self.touched.add(file)
            return True

    def note_lastmod(self, url: str, lastmod: str) -> None:
        """Remember the sitemap's `lastmod` of `url`, if its file was saved or confirmed
        by this crawl (a page that failed is asked for again next time)."""
        with self.lock:
            known = self.state["urls"].get(url)
            if known is not None and known.get("file") in self.touched:
                known["lastmod"] = lastmod

    def note_robots(self, url: str, robots: list[str]) -> None:
        """Remember the X-Robots-Tag headers a 304 for `url` came with (its saved page
        unchanged, its noindex maybe not)."""
        with self.lock:
            known = self.state["urls"].get(url)
            entry = self.state["files"].get(known.get("file")) if known else None
            if known is not None and isinstance(entry, dict):
                known["robots"] = entry["robots"] = robots

    def unseen(self, host: str) -> list[str]:
        """The files of `host` (a URL's netloc) that earlier crawls saved and this one
        neither fetched nor confirmed."""
        with self.lock:
            return [rel for rel, entry in self.state["files"].items()
                    if rel not in self.touched and isinstance(entry, dict)
                    and isinstance(entry.get("url"), str)
                    and (parts := split(entry["url"])) is not None
                    and parts.netloc.lower() == host.lower()]  # fmt: skip

    def remove(self, names: list[str]) -> int:
        """Delete these files (`unseen`'s) and forget them; gives how many went."""
        removed = 0
        with self.lock:
            for rel in names:
                path = (self.corpus / rel).resolve()
                if not path.is_relative_to(self.root):
                    continue  # (a state file edited to point elsewhere: never followed)
                try:
                    path.unlink(missing_ok=True)
                except OSError:
                    continue
                entry = self.state["files"].pop(rel, None) or {}
                if (self.state["urls"].get(entry.get("url")) or {}).get("file") == rel:
                    del self.state["urls"][entry["url"]]
                removed += 1
        return removed

    def saved_body(self, url: str, known: dict) -> bytes | None:
        """The body saved for `url` (a 304 confirms it), or None when the file is gone."""
        try:
            body = (self.corpus / known["file"]).read_bytes()
        except (OSError, KeyError):
            with self.lock:
                self.state["urls"].pop(url, None)
            return None
        with self.lock:
            self.touched.add(known["file"])
        return body


def _write(tmp: Path, data: bytes, final: Path) -> None:
    """Write `tmp`, to be renamed `final` next; on a failed write (a full disk) it is
    removed, not left half-written in the corpus, and the error names `final`."""
    try:
        tmp.write_bytes(data)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        exc.filename = exc.filename or str(final)  # (a failed write() names no file)
        raise
