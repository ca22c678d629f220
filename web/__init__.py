"""The Flask application: the search page for readers and the JSON API for other sites.

Takes settings (`create_app(test_config)`: defaults, then ROCKSEARCH_* variables, then
the mapping given); gives a WSGI app. Nothing opens the index at import time, and the
views only translate between HTTP and the functions of `search/`.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from flask import Flask, Request, jsonify, render_template, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from editorial.db import unavailable
from indexer.store import IndexProblem
from search.engine import SearchError
from search.settings import load_settings
from web.answer_cache import AnswerCache
from web.json_provider import OrjsonProvider
from web.params import ParamsRequest
from web.rate_limits import RateLimited, RateLimits

# No inline script or style anywhere: every script and sheet comes from /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# What every answer carries, unless its view set the header itself.
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)

log = logging.getLogger("rocksearch.web")


def is_api() -> bool:
    return request.path.startswith("/api/")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.request_class = ParamsRequest  # (its parameters' `get`: web/params.py)
    overrides = {k: v for k, v in (test_config or {}).items() if k.islower()}
    app.config["ROCKSEARCH"] = load_settings(overrides=overrides)
    settings = app.config["ROCKSEARCH"]
    from web.auth import close_db, secret_key

    app.config["SECRET_KEY"] = secret_key(settings)
    # Editors' session cookie: signed, not readable by scripts, not sent on other sites'
    # requests, and only over https when the site is served over https.
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings["base_url"].startswith("https://"),
        SESSION_COOKIE_NAME="rocksearch_editor",
        PERMANENT_SESSION_LIFETIME=12 * 3600,
    )
    app.config.update({k: v for k, v in (test_config or {}).items() if k.isupper()})
    # Every POST carries a CSRF token (the editors' forms); GET pages and the read-only
    # API are unaffected. Checked here, for the methods it protects only: Flask-WTF 1.3's
    # own check looks up the view's exemptions (none are made) before it asks the method,
    # 0.7% of an API request. (A request to no endpoint is left to its 404, as there.)
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf = CSRFProtect(app)

    @app.before_request
    def csrf_protect():
        config = app.config
        protected = request.method in config["WTF_CSRF_METHODS"] and request.endpoint
        if protected and config["WTF_CSRF_ENABLED"]:
            csrf.protect()

    app.session_interface = SessionOverHttps()
    app.teardown_appcontext(close_db)
    app.json = OrjsonProvider(app)  # UTF-8, keys in the order given
    proxies = app.config["ROCKSEARCH"]["proxies"]
    if proxies > 0:
        # The client's address (the rate limit counts per client) and scheme from the
        # proxies' headers; never the host, which comes from ROCKSEARCH_BASE_URL.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0)

    from web import api, editor, editor_api, embed, feeds, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(editor.bp)
    app.register_blueprint(editor_api.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(embed.bp)
    if settings["answer_cache_mb"] > 0:
        app.extensions["rocksearch.answers"] = AnswerCache(int(settings["answer_cache_mb"] * 2**20))
    # Per client address: the API, the site's searches and the editors' login form.
    app.extensions["rocksearch.rate_limits"] = RateLimits(
        app, settings, rate_limit_storage(settings)
    )

    @app.after_request
    def security_headers(response):
        # (Each one the response has not set: the names it has, read once; Werkzeug's
        # setdefault reads every header twice a name, 1% of an API request.)
        headers = response.headers
        present = {name.lower() for name, _ in headers}
        for name, value in SECURITY_HEADERS:
            if name.lower() not in present:
                headers.add(name, value)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        message = exc.description or exc.name
        if isinstance(exc, RateLimited):
            message = f"Too many requests: the limit is {exc.description}. Retry later."
            response = error_response(message, 429)
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        return error_response(message, exc.code or 500)

    @app.errorhandler(SearchError)
    def bad_parameter(exc: SearchError):
        return error_response(str(exc), 400)

    @app.errorhandler(IndexProblem)
    def no_index(exc: IndexProblem):
        return error_response(str(exc), 503)

    @app.errorhandler(sqlite3.Error)
    def database_unavailable(exc: sqlite3.Error):
        # The editors' database on a full disk or in a read-only folder: even reading it
        # fails once SQLite cannot make its -wal and -shm files. Searching needs none of
        # it (and the rate limits count in memory meanwhile: web/ratelimit_store.py).
        if not unavailable(exc):
            return unexpected(exc)
        log.error("the editors' database cannot be used on %s: %s", request.path, exc)
        response = error_response(
            f"The editors' database cannot be used just now ({exc}): the server's disk "
            "may be full, or its folder read-only. Searching still works; try again once "
            "that is mended.",
            503,
        )
        response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s", request.path)
        return error_response("Something went wrong on our side; it has been logged.", 500)

    return app


class SessionOverHttps(SecureCookieSessionInterface):
    """The editors' cookie is Secure when the site is configured as https or the request
    came over https (directly, or through a trusted proxy's X-Forwarded-Proto)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        # Flask builds the cookie's signer for every request before it looks for the
        # cookie; readers and other sites never send one, and an empty session is all
        # they get either way (10 µs a request, now 3).
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def rate_limit_storage(settings: dict) -> str:
    """Where the API's request counters live: a SQLite file beside the index by default,
    shared by every worker process (see web.ratelimit_store), or any `limits` URI."""
    if settings["rate_limit_storage"]:
        return settings["rate_limit_storage"]
    from web import ratelimit_store

    path = (Path(settings["index"]) / "rate-limits.sqlite3").resolve()
    return f"{ratelimit_store.SCHEME}://{path}"


def error_response(message: str, status: int):
    """The one error envelope for the API; a readable page for the site."""
    if is_api():
        response = jsonify({"ok": False, "status": status, "error": message})
    else:
        response = app_page_error(message, status)
    response.status_code = status
    return response


def app_page_error(message: str, status: int):
    from flask import make_response

    return make_response(render_template("error.html", message=message, status=status))
