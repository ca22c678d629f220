"""Settings: one table, each with its default and help; read from ROCKSEARCH_* variables.

Takes an environment mapping (and explicit overrides); gives a plain dict of typed
values (`load_settings`). The README documents every row of `SETTINGS` (a test checks).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

ENV_PREFIX = "ROCKSEARCH_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


SETTINGS = [
    Setting("index", "index", "Folder that holds the index (generations and CURRENT)."),
    Setting(
        "corpus",
        "corpus",
        "The articles: a folder (any mix of the formats above) or one file (an export, a "
        "feed, a .jsonl).",
    ),
    Setting("per_page", 10, "Results per page when the query does not say."),
    Setting("max_per_page", 100, "Largest per_page a query may ask for."),
    Setting("snippet_chars", 220, "Target length of a result snippet, in characters."),
    Setting(
        "time_limit", 0.5, "Seconds a query may spend matching before it answers with what it has."
    ),
    Setting("host", "127.0.0.1", "Address `rocksearch serve` listens on (0.0.0.0: all)."),
    Setting("port", 8000, "Port `rocksearch serve` listens on."),
    Setting("workers", 2, "Worker processes of `rocksearch serve` (one per core)."),
    Setting("threads", 4, "Threads per worker process."),
    Setting(
        "cors_origins", "*", "Origins allowed to call the API from a browser: * or a comma list."
    ),
    Setting("rate_limit", "600/minute", "Requests per client address to /api/ (limits notation)."),
    Setting(
        "proxies",
        0,
        "Reverse proxies in front of rocksearch: with N, the client address (for the rate "
        "limit) is read from the last N X-Forwarded-For entries; 0 trusts no such header.",
    ),
    Setting(
        "rate_limit_storage",
        "",
        "Where the rate limit's counters live, shared by all workers: empty for a SQLite "
        "file beside the index, or a limits URI (redis://…, memory:// for one process).",
    ),
    Setting(
        "base_url",
        "",
        "The site's public address (https://search.example): absolute links in page_url, "
        "feeds and OpenSearch. Never taken from a request's Host header; when empty, "
        "page_url is a path and feeds use http://HOST:PORT.",
    ),
    Setting("cache_seconds", 60, "Cache-Control max-age of API answers; ETags make repeats cheap."),
    Setting(
        "editor_db",
        "",
        "The editors' SQLite database (accounts, tokens, pins, analytics, audit log): empty "
        "for editorial.sqlite3 in the index folder (beside the generations, never in one).",
    ),
    Setting(
        "synonyms",
        "synonyms.txt",
        "The synonyms file (plain text, one rule a line; keep it under version control). "
        "Editors change it at /editor/synonyms; searches apply it at once.",
    ),
    Setting("analytics", True, "Record searches and clicks for /editor/analytics (false: off)."),
    Setting("analytics_days", 90, "Days that search analytics keep each search and click."),
    Setting(
        "secret_key",
        "",
        "The key that signs editors' session cookies: empty for a random key kept in the "
        "index folder (secret.key, created on first use, shared by all workers).",
    ),
]

BY_NAME = {s.name: s for s in SETTINGS}


class SettingError(ValueError):
    pass


def convert(setting: Setting, raw: object) -> object:
    kind = type(setting.default)
    if isinstance(raw, kind):
        return raw
    if kind is bool:
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise SettingError(f"{setting.env}={raw!r} is not true or false ({setting.help})")
    try:
        return kind(raw)
    except (TypeError, ValueError):
        raise SettingError(
            f"{setting.env}={raw!r} is not a valid {kind.__name__} ({setting.help})"
        ) from None


def load_settings(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, object] | None = None
) -> dict:
    """Defaults, then ROCKSEARCH_* variables, then `overrides` (None values are ignored)."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        value = setting.default
        if setting.env in environ:
            value = convert(setting, environ[setting.env])
        values[setting.name] = value
    for name, value in (overrides or {}).items():
        if value is not None:
            values[name] = convert(BY_NAME[name], value)
    return values
