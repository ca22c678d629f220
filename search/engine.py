"""The search function: a query in, one results object out (CLI, page and API alike).

Takes an index folder and a query string (`search`); gives `Results` with `to_dict()`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from whoosh import qparser

from indexer.store import open_current


@dataclass
class Results:
    query: str
    total: int = 0
    page: int = 1
    per_page: int = 10
    took_ms: float = 0.0
    hits: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "ok": True,
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "took_ms": round(self.took_ms, 2),
            "hits": self.hits,
        }


def search(index_dir: str, query: str, page: int = 1, per_page: int = 10) -> Results:
    started = time.perf_counter()
    ix = open_current(index_dir).open()
    parser = qparser.MultifieldParser(["title", "body", "maxim"], ix.schema)
    with ix.searcher() as searcher:
        hits = searcher.search_page(parser.parse(query), page, pagelen=per_page)
        results = Results(query, total=len(hits), page=page, per_page=per_page)
        for hit in hits:
            results.hits.append(
                {
                    "id": hit["id"],
                    "title": hit["title"],
                    "date": hit.get("date"),
                    "score": round(hit.score, 3),
                }
            )
    results.took_ms = (time.perf_counter() - started) * 1000
    return results
