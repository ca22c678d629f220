"""The site's pages: search (with facets, sort and pages), an article, the maxims.

Takes HTTP GET requests; gives server-rendered HTML that works without JavaScript.
Each page links its JSON twin. The HTML shows exactly what the search function returns.
"""

from __future__ import annotations

import html as html_module
import re
from urllib.parse import quote, quote_plus

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for

from search.articles import get_article, related
from search.engine import list_maxims, maxims_matching, search
from search.query import parse_day
from web.params import FILTERS, search_kwargs
from web.search_context import extras, record_click, record_search

bp = Blueprint("views", __name__)

FACET_LABELS = {"category": "Categories", "tag": "Tags", "author": "Authors",
                "year": "Years", "kind": "Kinds"}  # fmt: skip


def settings() -> dict:
    return current_app.config["ROCKSEARCH"]


def search_url(endpoint: str = "views.search_page", base: dict | None = None, **changes) -> str:
    """The current search's URL with `changes`: name=value sets, name=None removes;
    toggle=(facet, value) adds or removes one facet value; page resets unless given.
    `base`: the arguments to change instead of the request's (as to_dict(flat=False))."""
    links = _links()
    args = dict(base if base is not None else links.args)
    toggle = changes.pop("toggle", None)
    if toggle:
        name, value = toggle
        values = args.get(name, [])
        args[name] = [v for v in values if v != value] if value in values else [*values, value]
    if "page" not in changes:
        args.pop("page", None)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = [str(value)]
    query = "&".join(links.pair(k, v) for k, vs in args.items() for v in vs if v != "")
    return links.path(endpoint) + (f"?{query}" if query else "")


class _Links:
    """What the links of one request's page share, worked out once: the request's
    arguments, each endpoint's path, each name=value as urlencode writes it. A results
    page links fifty searches or more (each facet value, each page, the sorts), which
    took a fifth of the page's time on the blog's posts."""

    def __init__(self) -> None:
        # (never changed: search_url copies it, and replaces a list rather than change it)
        self.args: dict[str, list[str]] = request.args.to_dict(flat=False)
        self.paths: dict[str, str] = {}
        self.pairs: dict[tuple[str, str], str] = {}

    def path(self, endpoint: str) -> str:
        path = self.paths.get(endpoint)
        if path is None:
            path = self.paths[endpoint] = url_for(endpoint)
        return path

    def pair(self, name: str, value: str) -> str:
        key = (name, value)
        pair = self.pairs.get(key)
        if pair is None:
            pair = self.pairs[key] = f"{quote_plus(str(name))}={quote_plus(str(value))}"
        return pair


def _links() -> _Links:
    """The request's _Links (made on its first link)."""
    links = g.get("search_links")
    if links is None:
        links = g.search_links = _Links()
    return links


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


@bp.app_template_filter("long_date")
def long_date(iso: str | None) -> str:
    """ "2023-03-10" as readers write it, "March 10, 2023"; None as "undated"."""
    try:
        year, month, day = (int(x) for x in (iso or "").split("-"))
        return f"{MONTH_NAMES[month - 1]} {day}, {year}"
    except (ValueError, IndexError):
        return iso or "undated"


@bp.app_template_filter("text_fragment")
def text_fragment(url: str, snippet_html: str) -> str:
    """The original post's address, scrolled to the passage shown (a URL text fragment,
    `#:~:text=…`, with the passage's first words)."""
    text = html_module.unescape(re.sub(r"<[^>]+>", "", snippet_html)).strip(" …")
    words = text.split()[:6]
    if not words:
        return url
    return f"{url.split('#', 1)[0]}#:~:text={quote(' '.join(words), safe='')}"


@bp.app_context_processor
def helpers():
    return {"search_url": search_url, "facet_labels": FACET_LABELS}


@bp.get("/")
@bp.get("/search")
def search_page():
    kwargs = search_kwargs(request.args, settings())
    results = search(settings()["index"], **kwargs, **extras(kwargs["query"]))
    record_search(results, "site")
    selected = {name: request.args.getlist(name) for name in FILTERS}
    read, base = read_filters(results.read_as, selected)
    args = base if base is not None else request.args.to_dict(flat=False)
    json_url = search_url("api.api_search", page=request.args.get("page"), reworded=None)
    # A search that found nothing: the next one (its rewording) says so, and so do the
    # clicks on its results, which is where analytics finds synonym candidates.
    reworded = kwargs["query"] if results.total == 0 and kwargs["query"].strip() else None
    return render_template(
        "search.html", results=results, q=kwargs["query"], selected=selected, read=read,
        toggle_url=lambda name, value: search_url(toggle=(name, value), base=base),
        period=period_of(args), any_date_url=search_url(base=base, after=None, before=None),
        kept_args=[(k, v) for k, vs in args.items() if k not in ("after", "before", "page")
                   for v in vs if v != ""],
        period_said=bool({"after", "before"} & set(results.read_as or {})),
        json_url=json_url,
        atom_url=search_url("feeds.atom", page=None, reworded=None), reworded=reworded,
        go=go_url, noindex=bool(request.args),
    )  # fmt: skip


def read_filters(read_as: dict | None, selected: dict) -> tuple[dict, dict | None]:
    """The facet values the engine read from the query's words ("pricing by alice": the
    author Alice Smith; "pricing 2022": the year), which the page shows ticked as the
    filters they are, and the arguments a facet link then changes: the request the
    answer is to (the rest of the words, those filters added), so that ticking another
    author or year adds to them and unticking one drops it ("pricing", every year), as
    for a filter chosen. (None where nothing was read: the request's own.)"""
    if not read_as:
        return {}, None
    base = request.args.to_dict(flat=False)
    base["q"] = [read_as.get("q", "")]
    read = {}
    for name, value in read_as.items():
        if name in FILTERS and isinstance(value, list):
            read[name] = [v for v in value if v not in selected[name]]
            base[name] = [*selected[name], *read[name]]
        elif name in ("after", "before"):
            base[name] = [value]
    return read, base


def period_of(args: dict) -> dict[str, str]:
    """The dates a search is limited to, after= (on or after) and before= (strictly
    before), as YYYY-MM-DD (a date field's value; "2022" is 2022-01-01), where they are
    dates (one that is not is ignored by the search, which says so)."""
    period = {}
    for name in ("after", "before"):
        day = parse_day((args.get(name) or [""])[-1])
        if day is not None:
            period[name] = f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"
    return period


def go_url(hit: dict, rank: int, q: str) -> str:
    """A result's link: through /go (which records the click) when analytics is on."""
    if not settings()["analytics"]:
        return url_for("views.article_page", article_id=hit["id"], q=q or None)
    return url_for("views.go", article_id=hit["id"], q=q or None, rank=rank,
                   reworded=request.args.get("reworded") or None)  # fmt: skip


@bp.get("/go/<path:article_id>")
def go(article_id: str):
    """Record a click on a result (its query and rank), then go to the article (302).
    Links here are rel=nofollow, so crawlers do not count as readers."""
    q = request.args.get("q", "")[:500]
    rank = request.args.get("rank", "")
    if rank.isdigit() and 1 <= int(rank) <= 10_000 and len(article_id) <= 500:
        record_click(q, article_id, int(rank), request.args.get("reworded", "")[:500])
    return redirect(url_for("views.article_page", article_id=article_id, q=q or None), code=302)


@bp.get("/articles/<path:article_id>")
def article_page(article_id: str):
    q = request.args.get("q", "")
    article = get_article(settings()["index"], article_id, q, settings()["base_url"])
    if article is None:
        abort(404, description=f"No article has the id {article_id!r}.")
    json_url = url_for("api.api_article", article_id=article_id, q=q or None)
    return render_template("article.html", article=article, q=q, json_url=json_url,
                           related=related(settings()["index"], article))  # fmt: skip


# Crawlers may read the search and article pages; not the result links through /go/ (each
# is recorded as a reader's click, and many crawlers ignore rel=nofollow), the API
# (other sites' scripts call it, not crawlers) or the editors' pages.
ROBOTS_TXT = "User-agent: *\nDisallow: /go/\nDisallow: /api/\nDisallow: /editor/\n"


@bp.get("/robots.txt")
def robots_txt():
    return ROBOTS_TXT, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: the same icon, no 404."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


def said_instead(hit: dict) -> dict | None:
    """Where a maxim is found for words its post says but the maxim does not ("patience",
    of a post whose maxim is about communities): the passage of the post that has them
    (its marked snippet, and the paragraph to link to), so the reader sees why."""
    if "<mark>" in (hit["maxim_html"] or "") or "<mark>" not in (hit["snippet"] or ""):
        return None
    return {"html": hit["snippet"], "paragraph": hit["paragraph"]}


@bp.get("/maxims")
def maxims_page():
    q = request.args.get("q", "").strip()
    if q:
        maxims = [{**hit, "said": said_instead(hit)}
                  for hit in maxims_matching(settings()["index"], q)]  # fmt: skip
    else:
        maxims = list_maxims(settings()["index"])
    json_url = url_for("api.api_maxims", **({"q": q} if q else {}))
    return render_template("maxims.html", maxims=maxims, q=q, json_url=json_url)
