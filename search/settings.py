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
    # The smallest and largest value a number may take (None: no bound). Why: out of
    # range, a setting broke every answer quietly (a time limit of -1 stopped each query
    # at once and said "it took too long"; a largest page of 0 asked for "between 1 and
    # 0"), or undid a guard (a time limit of inf or nan let a query hold a worker).
    least: float | None = None
    most: float | None = None

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
    Setting("per_page", 10, "Results per page when the query does not say.", least=1),
    Setting("max_per_page", 100, "Largest per_page a query may ask for.", least=1),
    Setting(
        "snippet_chars",
        220,
        "Target length of a result snippet, in characters.",
        least=20,
        most=5000,
    ),
    Setting(
        "time_limit",
        0.5,
        "Seconds a query may spend matching before it answers with what it has.",
        least=0.01,
        most=30,
    ),
    Setting("host", "127.0.0.1", "Address `rocksearch serve` listens on (0.0.0.0: all)."),
    Setting("port", 8000, "Port `rocksearch serve` listens on.", least=1, most=65535),
    Setting("workers", 2, "Worker processes of `rocksearch serve` (one per core).", least=1),
    Setting(
        "threads",
        2,
        "Threads per worker process (slow clients hold none: two keep a core busy, with "
        "less waiting on Python's lock than four).",
        least=1,
    ),
    Setting(
        "request_timeout",
        10.0,
        "Seconds a client of `rocksearch serve` may take to send its request, or before it "
        "reads any of its answer (the event loop reads and sends them, so a slow client "
        "holds no thread); past them the request is answered 408, the answer dropped.",
        least=0.5,
        most=300,
    ),
    Setting(
        "cors_origins", "*", "Origins allowed to call the API from a browser: * or a comma list."
    ),
    Setting(
        "rate_limit",
        "600/minute",
        "Requests per client address to /api/, and as many to the site's searches (its "
        "pages and their Atom feed), counted apart (limits notation).",
    ),
    Setting(
        "proxies",
        0,
        "Reverse proxies in front of rocksearch: with N, the client address (for the rate "
        "limit) is read from the last N X-Forwarded-For entries; 0 trusts no such header.",
        least=0,
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
    Setting(
        "cache_seconds",
        60,
        "Cache-Control max-age of API answers; ETags make repeats cheap.",
        least=0,
    ),
    Setting(
        "answer_cache_mb",
        16.0,
        "Megabytes of /api/search answers each server worker keeps, to answer a repeated "
        "URL without searching again while its ETag stands (the same generation, pins, "
        "synonyms and day); 0: off.",
        least=0,
        most=1024,
    ),
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
    Setting(
        "analytics_days", 90, "Days that search analytics keep each search and click.", least=1
    ),
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


def convert(setting: Setting, raw: object, named: str | None = None) -> object:
    """`raw` as the setting's type, within its bounds; else SettingError, naming it as
    `named` (a command's option, "--port 0") or as its variable ("ROCKSEARCH_PORT=0")."""
    kind = type(setting.default)
    given = named or f"{setting.env}={raw!r}"
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise SettingError(f"{given} is not true or false ({setting.help})")
    try:
        value = raw if isinstance(raw, kind) else kind(raw)
    except (TypeError, ValueError):
        raise SettingError(f"{given} is not a valid {kind.__name__} ({setting.help})") from None
    if isinstance(value, (int, float)):
        low, high = setting.least, setting.most
        below = low is not None and not value >= low  # (nan is neither: out of range)
        above = high is not None and not value <= high
        if below or above or value != value:
            if low is not None and high is not None:
                bounds = f"from {low:g} to {high:g}"
            else:
                bounds = f"at least {low:g}" if low is not None else f"at most {high:g}"
            raise SettingError(f"{given} is out of range: it must be {bounds} ({setting.help})")
    return value


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
    if values["per_page"] > values["max_per_page"]:
        raise SettingError(
            f"ROCKSEARCH_PER_PAGE ({values['per_page']}) is more than ROCKSEARCH_MAX_PER_PAGE "
            f"({values['max_per_page']}): a page that no query may ask for."
        )
    return values
