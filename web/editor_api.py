"""The editors' JSON API under /api/editor/: the analytics reports and the duplicate
groups, for programs with an editor's bearer token (`rocksearch editor token NAME`,
sent as `Authorization: Bearer …`) or a logged-in editor's session.

Takes HTTP GET requests; gives the API's envelope. Every route refuses anyone else
with a 401 (`before_request`, so no route added later can be left open).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from editorial import analytics
from search.duplicate_index import duplicate_groups
from search.engine import SearchError
from web.auth import current_editor, db

bp = Blueprint("editor_api", __name__, url_prefix="/api/editor")


@bp.before_request
def editors_only():
    if not current_editor():
        abort(401, description="This needs an editor: send Authorization: Bearer <token>.")


@bp.after_request
def private(response):
    response.headers["Cache-Control"] = "no-store"
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="rocksearch editors"'
    return response


@bp.get("/analytics/<report>")
def analytics_report(report: str):
    if report not in analytics.REPORTS:
        abort(404, description=f"No report is called {report!r}; reports: "
                               f"{', '.join(analytics.REPORTS)}.")  # fmt: skip
    rows = analytics.REPORTS[report](db())
    return jsonify({"ok": True, "report": report, "rows": rows})


@bp.get("/duplicates")
def duplicates():
    try:
        min_score = float(request.args.get("min_score", "0"))
    except ValueError:
        min_score = -1.0
    if not 0 <= min_score <= 1:
        raise SearchError("min_score must be a number from 0 to 1")
    index = current_app.config["ROCKSEARCH"]["index"]
    return jsonify({"ok": True, "groups": duplicate_groups(index, min_score)})
