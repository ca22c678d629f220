"""The editors' pages under /editor/: log in and out, search analytics, synonyms, pinned
results, a search that explains its ranking, the duplicate report, the audit log.

Takes HTTP requests from a logged-in editor (every route but the login page refuses
anyone else: `before_request`, so no route added later can be left open); gives
server-rendered HTML, and CSV downloads of the analytics. Every form carries a CSRF
token (Flask-WTF's CSRFProtect checks it app-wide); every change is written to the
audit log.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from editorial import accounts, analytics, audit, pins
from editorial.suggestions import fixes_for_all
from search.articles import get_article
from search.duplicate_index import duplicate_groups
from search.duplicates import word_diff
from search.engine import search
from search.synonyms import SynonymError, parse_rules
from web.auth import current_editor, db
from web.charts import bar_chart
from web.params import search_kwargs
from web.search_context import extras, pin_board

bp = Blueprint("editor", __name__, url_prefix="/editor")

OPEN = {"editor.login"}  # the only route a reader may reach


def settings() -> dict:
    return current_app.config["ROCKSEARCH"]


@bp.before_request
def editors_only():
    if request.endpoint in OPEN or current_editor():
        return None
    if request.method == "GET":
        return redirect(url_for("editor.login", next=request.full_path.rstrip("?")))
    abort(401, description="Log in as an editor first.")


@bp.after_request
def private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def safe_next(target: str | None) -> str:
    """Where to go after logging in: only a path of this site's editor area."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/editor/"):
        return url_for("editor.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    status = 200
    if request.method == "POST":
        name = request.form.get("name", "")
        if accounts.check_login(db(), name, request.form.get("password", "")):
            session.clear()
            session["editor"] = name
            session.permanent = True
            return redirect(safe_next(request.args.get("next")))
        error, status = "That name and password do not match an editor.", 401
    return render_template("editor/login.html", error=error), status


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("editor.login"))


@bp.get("/")
def home():
    return render_template("editor/home.html", log=audit.recent(db(), 50))


# --- analytics ----------------------------------------------------------------------------

NO_RESULT_FIXES = 10  # no-result queries shown with suggested fixes


@bp.get("/analytics")
def analytics_page():
    conn = db()
    days = analytics.per_day(conn, 30)
    chart = bar_chart(days, "day", "searches", "Searches per day, the last 30 days")
    missing = analytics.no_results(conn, 25)
    shown = missing[:NO_RESULT_FIXES]
    fixes = fixes_for_all(settings()["index"], conn, [r["query"] for r in shown])
    for row, fix in zip(shown, fixes, strict=True):
        row["fixes"] = fix
    return render_template(
        "editor/analytics.html", top=analytics.top_queries(conn, 25), missing=missing,
        unclicked=analytics.no_clicks(conn, 25), days=days, chart=chart,
        ranks=analytics.clicks_by_rank(conn), reports=analytics.REPORTS,
    )  # fmt: skip


# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value):
    """A CSV cell that a spreadsheet shows as the text it is. The queries are what
    readers typed: one that starts like a formula (`=HYPERLINK(…)`, `=cmd|…`, or just
    `-hell`) would run, or show an error, when an editor opens the export; a leading
    apostrophe makes it text, as OWASP advises. Numbers and dates are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@bp.get("/analytics/<report>.csv")
def analytics_csv(report: str):
    if report not in analytics.REPORTS:
        abort(404, description=f"No report is called {report!r}.")
    rows = analytics.REPORTS[report](db())
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({key: as_text_cell(value) for key, value in row.items()}
                         for row in rows)  # fmt: skip
    disposition = f"attachment; filename={report}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": disposition})  # fmt: skip


# --- synonyms -----------------------------------------------------------------------------


@bp.route("/synonyms", methods=["GET", "POST"])
def synonyms_page():
    from pathlib import Path

    path = Path(settings()["synonyms"])
    text = path.read_text("utf-8") if path.exists() else ""
    error, status = None, 200
    if request.method == "POST":
        if "rules" not in request.form:  # (the page's form always sends it, empty or not)
            abort(400, description="The form has no rules field: nothing was changed.")
        new = request.form["rules"].replace("\r\n", "\n")
        try:
            rules = parse_rules(new, path.name)
        except SynonymError as exc:
            error, status, text = str(exc), 400, new
        else:
            if not new.endswith("\n") and new:
                new += "\n"
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text(new, "utf-8")
            tmp.replace(path)  # atomic: a search reads the old rules or the new, never half
            audit.record(db(), current_editor(), "synonyms",
                         f"{len(rules.rules)} rules; was:\n{text}\nnow:\n{new}")  # fmt: skip
            return redirect(url_for("editor.synonyms_page", saved=1))
    return render_template("editor/synonyms.html", text=text, error=error, path=path,
                           saved=request.args.get("saved")), status  # fmt: skip


# --- pins ---------------------------------------------------------------------------------


def id_list(text: str) -> list[str]:
    return [part.strip() for line in text.splitlines() for part in line.split(",") if part.strip()]


@bp.route("/pins", methods=["GET", "POST"])
def pins_page():
    error, status = None, 200
    form = {}
    if request.method == "POST":
        form = request.form
        query = form.get("query", "")
        top, hide = id_list(form.get("top", "")), id_list(form.get("hide", ""))
        try:
            if form.get("action") == "remove":
                pins.remove(db(), query)
                audit.record(db(), current_editor(), "unpin", query)
            else:
                unknown = [a for a in top + hide if get_article(settings()["index"], a) is None]
                if unknown:
                    raise pins.PinError(f"no article has the id {', '.join(unknown)}")
                key = pins.set_pins(db(), query, top, hide, form.get("expires") or None)
                until = form.get("expires") or "never"
                audit.record(db(), current_editor(), "pin",
                             f"{key}: top {top}, hidden {hide}, expires {until}")  # fmt: skip
        except pins.PinError as exc:
            error, status = str(exc), 400
        else:
            pin_board().invalidate()
            return redirect(url_for("editor.pins_page"))
    return render_template("editor/pins.html", pins=pins.all_pins(db()), error=error,
                           form=form), status  # fmt: skip


# --- explain ------------------------------------------------------------------------------


@bp.get("/search")
def search_page():
    kwargs = search_kwargs(request.args, settings())
    results = search(settings()["index"], **kwargs, **extras(kwargs["query"]), explain=True)
    return render_template("editor/search.html", results=results, q=kwargs["query"])


# --- duplicates ---------------------------------------------------------------------------


@bp.get("/duplicates")
def duplicates_page():
    groups = duplicate_groups(settings()["index"])
    return render_template("duplicates.html", groups=groups,
                           json_url=url_for("editor_api.duplicates"))  # fmt: skip


@bp.get("/duplicates/compare")
def compare_page():
    index = settings()["index"]
    a = get_article(index, request.args.get("a", ""))
    b = get_article(index, request.args.get("b", ""))
    if a is None or b is None:
        abort(404, description="Compare needs two article ids that exist: ?a=ID&b=ID")
    left, right = word_diff(a["body"], b["body"])
    return render_template("compare.html", a=a, b=b, left=left, right=right)
