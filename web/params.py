"""Request parameters -> keyword arguments of `search.engine.search`, for page and API alike.

Takes the query-string mapping and the settings (`search_kwargs`); gives the arguments,
raising `SearchError` for what cannot be used, so both front ends answer 400 the same way.
`ParamsRequest` is the app's request class: its parameters' `get` answers an absent name
at once (`QueryArgs`).
"""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

from search.engine import SearchError


class QueryArgs(ImmutableMultiDict):
    """A request's parameters, as Flask gives them, whose `get` of a name the request
    lacks returns the default at once. (Werkzeug's raises and catches a
    BadRequestKeyError, an HTTP exception built each time: a search asks for seven
    names it mostly lacks.)"""

    def get(self, key, default=None, type=None):  # noqa: A002 (Werkzeug's signature)
        if key not in self:
            return default
        return super().get(key, default, type)


class ParamsRequest(Request):
    """Flask's request, its query string and form read into `QueryArgs`."""

    parameter_storage_class = QueryArgs


FILTERS = ("category", "tag", "author", "kind", "year")
KNOWN = {"q", "page", "per_page", "sort", "after", "before", "collapse", "correct", "explain",
         "reworded", *FILTERS}  # fmt: skip


def search_kwargs(args, settings: dict) -> dict:
    # An empty value is no filter, as for after= and before=: a site's form sends
    # category= for its "any category" choice.
    filters = {name: values for name in FILTERS
               if (values := [v for v in args.getlist(name) if v.strip()])}  # fmt: skip
    for name in ("after", "before"):
        if args.get(name):
            filters[name] = args.get(name)
    query = args.get("q", "")
    if len(query) > 10_000:
        raise SearchError("q is too long (10,000 characters at most)")
    flags = {}
    for name in ("collapse", "correct"):
        value = args.get(name, "true").lower()
        if value not in ("true", "false", "1", "0"):
            raise SearchError(f"{name} must be true or false")
        flags[name] = value in ("true", "1")
    return {
        "query": query,
        **flags,
        "filters": filters,
        "page": args.get("page", "1") or "1",
        "per_page": args.get("per_page") or settings["per_page"],
        "sort": args.get("sort") or None,  # (None: relevance, or the order the words ask for)
        "max_per_page": settings["max_per_page"],
        "snippet_chars": settings["snippet_chars"],
        "time_limit": settings["time_limit"],
        "base_url": settings["base_url"],
    }
