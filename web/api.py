"""The JSON API under /api/: the search function's JSON, articles, maxims, suggestions.

Takes HTTP GET requests; gives one envelope for every answer (`"ok": true` plus the
data) and every error (`"ok": false`, `"status"`, `"error"`: a sentence). Answers carry
CORS headers for the configured origins, Cache-Control, and an ETag derived from the
index generation, the editors' pins and synonyms, the day and the URL, so a repeated
query costs a 304; a search the worker has answered under that ETag is answered again
from its cache (web/answer_cache.py).
"""

from __future__ import annotations

import datetime
import hashlib
import time

from flask import Blueprint, abort, current_app, g, jsonify, request

from search.articles import get_article, suggest
from search.engine import SearchError, list_maxims, maxims_matching, search
from search.state import get_state
from web.answer_cache import AnswerCache
from web.auth import current_editor
from web.openapi import openapi_document
from web.params import search_kwargs
from web.search_context import answer_record, extras, record_answer, record_search
from web.search_context import version as editorial_version

bp = Blueprint("api", __name__, url_prefix="/api")


def settings() -> dict:
    return current_app.config["ROCKSEARCH"]


def index_dir() -> str:
    return settings()["index"]


@bp.before_request
def conditional_get():
    """Pin the request to the generation that will answer it (during a new generation's
    warm-up that is still the previous one), and answer 304 at once when the client
    already has this URL from that generation."""
    if request.method != "GET" or request.endpoint == "api.api_openapi":
        return None
    g.state = get_state(index_dir())
    g.groups = g.state.groups  # the same groups for the ETag and the answer
    answer = g.state.answer_version(g.groups)
    # Today's date too: "posts from this week" is another answer tomorrow.
    today = datetime.date.today().isoformat()
    key = f"{answer}\0{editorial_version()}\0{today}\0{request.full_path}".encode()
    digest = hashlib.sha1(key).hexdigest()
    request.environ["rocksearch.answer_key"] = digest  # (the answer cache's key: all of it)
    request.environ["rocksearch.etag"] = digest[:20]
    if request.if_none_match.contains_weak(request.environ["rocksearch.etag"]):
        response = current_app.response_class(status=304)
        return finish(response)
    return None


@bp.after_request
def finish(response):
    origins = [o.strip() for o in settings()["cors_origins"].split(",") if o.strip()]
    origin = request.headers.get("Origin")
    if "*" in origins:
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        # The answer depends on the Origin whether it is allowed or refused: caches must
        # keep one per origin, or a refused origin's answer could be served to an allowed one.
        response.headers.add("Vary", "Origin")
        if origin and origin in origins:
            response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    etag = request.environ.get("rocksearch.etag")
    if request.environ.get("rocksearch.partial") or request.environ.get("rocksearch.private"):
        # Stopped at the time limit: a part of the answer, never to be cached as the whole.
        response.headers["Cache-Control"] = "no-store"
    elif etag and response.status_code in (200, 304):
        response.set_etag(etag, weak=True)
        response.headers["Cache-Control"] = f"public, max-age={settings()['cache_seconds']}"
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


def answering():
    """The state this request was pinned to (see conditional_get)."""
    return g.get("state") or index_dir()


def answers() -> AnswerCache | None:
    """This worker's cache of answers (web/answer_cache.py), or None when it is off."""
    return current_app.extensions.get("rocksearch.answers")


@bp.get("/search")
def api_search():
    started = time.perf_counter()
    explain = request.args.get("explain", "false").lower() in ("true", "1")
    if explain:
        # How each score was made is for editors: it shows pins and ranking internals.
        if not current_editor():
            abort(401, description="explain=true needs an editor: send Authorization: "
                                   "Bearer <token>, or log in at /editor/.")  # fmt: skip
        request.environ["rocksearch.private"] = True
    # The same ETag is the same answer (see conditional_get): a repeat is a copy.
    key = None if explain else request.environ.get("rocksearch.answer_key")
    cache = answers() if key else None
    cached = cache.get(key) if cache is not None else None
    if cached is not None:
        took_ms = (time.perf_counter() - started) * 1000
        record_answer(cached.record, took_ms, "api")
        return current_app.response_class(cached.body(took_ms), mimetype="application/json")
    # (After the cache: a URL answered before had its parameters checked then.)
    kwargs = search_kwargs(request.args, settings())
    results = search(answering(), groups=g.get("groups"), **kwargs, **extras(kwargs["query"]),
                     explain=explain)  # fmt: skip
    if results.partial:
        request.environ["rocksearch.partial"] = True
    record_search(results, "api")
    response = jsonify(results.to_dict())
    if cache is not None and not results.partial:
        cache.put(key, response.get_data(), answer_record(results))
    return response


@bp.get("/articles/<path:article_id>")
def api_article(article_id: str):
    article = get_article(
        answering(), article_id, request.args.get("q", ""), settings()["base_url"]
    )
    if article is None:
        abort(404, description=f"No article has the id {article_id!r}.")
    return jsonify({"ok": True, "article": article})


@bp.get("/maxims")
def api_maxims():
    """Every maxim, newest first; with `q`, those its words find (as the maxims page
    searches them), the best first, each maxim also as HTML with the words marked."""
    q = request.args.get("q", "").strip()
    if not q:
        maxims = list_maxims(answering())
        return jsonify({"ok": True, "total": len(maxims), "maxims": maxims})
    maxims = [{key: hit[key] for key in MAXIM_KEYS} for hit in maxims_matching(answering(), q)]
    return jsonify({"ok": True, "query": q, "total": len(maxims), "maxims": maxims})


MAXIM_KEYS = ("id", "title", "date", "maxim", "source", "maxim_html")


@bp.get("/suggest")
def api_suggest():
    prefix = request.args.get("q", "")
    if len(prefix) > 200:
        raise SearchError("q is too long for suggestions (200 characters at most)")
    return jsonify({"ok": True, "query": prefix, "suggestions": suggest(answering(), prefix)})


@bp.get("/openapi.json")
def api_openapi():
    return jsonify(openapi_document())
