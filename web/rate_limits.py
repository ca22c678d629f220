"""Per-client rate limits: the API, the site's searches and the editors' login.

Takes the app and its settings (`RateLimits(app, settings)`); gives a check before each
request to a limited endpoint, which answers 429 past the limit (`RateLimited`: its
description is the limit, "3 per 1 minute", and it carries Retry-After), and the
X-RateLimit-Limit, -Remaining and -Reset headers on that endpoint's answers.

What is limited, each per client address (the proxies' address with `proxies` set: see
web/__init__.py), each counted apart:
- every endpoint of the `api` and `editor_api` blueprints: `rate_limit`;
- the site's searches, its search page and Atom feed, together: `rate_limit`;
- the editors' login form (POST): 10 a minute, against guessed passwords.

The counting is the `limits` library's fixed windows, on the storage web/ratelimit_store.py
shares between the workers, each worker adding its requests in batches
(web/rate_batches.py). Flask-Limiter, which did this before on the same counting,
resolved every request's limits anew through its decorators, blueprints and meta
limits, and asked the storage three times: 0.24 ms of a served request's 2.4 ms of CPU,
ten times the counting itself. Here each endpoint's limits are looked up in a dict.
`RATELIMIT_ENABLED` (app config, as Flask-Limiter named it) off: nothing is limited.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from flask import Flask, Response, request
from limits import RateLimitItem, parse, parse_many
from limits.storage import storage_from_string
from werkzeug.exceptions import TooManyRequests

from web.rate_batches import Batches

log = logging.getLogger("rocksearch.web")

LOGIN_LIMIT = "10/minute"
SITE_SEARCHES = ("views.search_page", "feeds.atom")
LIMITED_BLUEPRINTS = ("api", "editor_api")


class RateLimited(TooManyRequests):
    """A 429 whose description is the limit that refused it ("3 per 1 minute")."""

    def __init__(self, limit: RateLimitItem, retry_after: int) -> None:
        super().__init__(description=str(limit))
        self.retry_after = retry_after


@dataclass(frozen=True)
class Rule:
    """The limits of one scope: the counters an endpoint's requests add to."""

    scope: str
    limits: tuple[RateLimitItem, ...]
    methods: frozenset[str] | None = None  # None: every method


class RateLimits:
    def __init__(self, app: Flask, settings: dict, storage_uri: str) -> None:
        self.enabled = app.config.get("RATELIMIT_ENABLED", True)
        self.storage = storage_from_string(storage_uri)
        self.batches = Batches(self.storage)
        per_client = tuple(parse_many(settings["rate_limit"]))
        self.by_blueprint = {name: Rule(name, per_client) for name in LIMITED_BLUEPRINTS}
        site = Rule("site", per_client)
        self.by_endpoint = {endpoint: site for endpoint in SITE_SEARCHES}
        self.by_endpoint["editor.login"] = Rule(
            "editor.login", (parse(LOGIN_LIMIT),), frozenset({"POST"})
        )
        self.failing_since: float | None = None
        app.before_request(self.check)
        app.after_request(self.add_headers)

    def rule_for(self, endpoint: str | None, blueprint: str | None) -> Rule | None:
        rule = self.by_endpoint.get(endpoint) if endpoint else None
        if rule is None and blueprint:
            rule = self.by_blueprint.get(blueprint)
        if rule is not None and rule.methods is not None and request.method not in rule.methods:
            return None
        return rule

    def check(self) -> None:
        """Count this request against its endpoint's limits; raise RateLimited past one."""
        if not self.enabled:
            return
        rule = self.rule_for(request.endpoint, request.blueprint)
        if rule is None:
            return
        client = request.remote_addr or "127.0.0.1"
        shown = None
        for limit in rule.limits:
            try:
                allowed, remaining, reset = self.batches.hit(limit, client, rule.scope)
            except self.storage.base_exceptions as exc:
                # A storage that fails (a Redis server down) lets readers through: a
                # search refused for the counter's fault would be worse than one uncounted.
                self._failing(exc)
                return
            if not allowed:
                retry = max(1, math.ceil(reset - time.time()))
                request.environ["rocksearch.rate"] = (limit, remaining, reset)
                raise RateLimited(limit, retry)
            if shown is None or remaining < shown[1]:
                shown = (limit, remaining, reset)
        self.failing_since = None
        request.environ["rocksearch.rate"] = shown

    def _failing(self, exc: Exception) -> None:
        if self.failing_since is None:
            log.warning("rate limits: the counters' storage failed (%s); requests are "
                        "let through uncounted until it answers", exc)  # fmt: skip
            self.failing_since = time.time()

    @staticmethod
    def add_headers(response: Response) -> Response:
        shown = request.environ.get("rocksearch.rate")
        if shown is not None:
            limit, remaining, reset = shown
            response.headers["X-RateLimit-Limit"] = str(limit.amount)
            response.headers["X-RateLimit-Remaining"] = str(remaining)
            response.headers["X-RateLimit-Reset"] = str(int(reset))
        return response
