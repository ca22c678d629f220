"""For browsers and feed readers: an OpenSearch description and an Atom feed of any search.

Takes HTTP GET requests; gives XML built with the standard library's ElementTree, which
escapes every text it is given.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, request, url_for

from search.engine import search
from web.params import search_kwargs

bp = Blueprint("feeds", __name__)
ATOM = "http://www.w3.org/2005/Atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"


def text_of(html_text: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


@bp.get("/opensearch.xml")
def opensearch():
    ET.register_namespace("", OPENSEARCH)
    root = ET.Element(f"{{{OPENSEARCH}}}OpenSearchDescription")
    for tag, value in (("ShortName", "rocksearch"), ("Description", "Search the blog's articles"),
                       ("InputEncoding", "UTF-8")):  # fmt: skip
        ET.SubElement(root, f"{{{OPENSEARCH}}}{tag}").text = value
    base = request.url_root.rstrip("/")
    ET.SubElement(root, f"{{{OPENSEARCH}}}Url", type="text/html",
                  template=f"{base}{url_for('views.search_page')}?q={{searchTerms}}")  # fmt: skip
    ET.SubElement(root, f"{{{OPENSEARCH}}}Url", type="application/json",
                  template=f"{base}{url_for('api.api_search')}?q={{searchTerms}}")  # fmt: skip
    ET.SubElement(root, f"{{{OPENSEARCH}}}Url", type="application/atom+xml",
                  template=f"{base}{url_for('feeds.atom')}?q={{searchTerms}}")  # fmt: skip
    xml = ET.tostring(root, encoding="unicode", xml_declaration=True)
    return Response(xml, mimetype="application/opensearchdescription+xml")


@bp.get("/search.atom")
def atom():
    settings = current_app.config["ROCKSEARCH"]
    kwargs = search_kwargs(request.args, settings)
    if not request.args.get("sort"):
        kwargs["sort"] = "newest"  # a feed is read newest first
    results = search(settings["index"], **kwargs)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    title = f"rocksearch: {results.query}" if results.query else "rocksearch: latest articles"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = request.url
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=request.url)
    dates = [h["date"] for h in results.hits if h["date"]]
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = (
        f"{max(dates)}T00:00:00Z" if dates else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    for hit in results.hits:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        link = request.url_root.rstrip("/") + url_for("views.article_page", article_id=hit["id"])
        ET.SubElement(entry, f"{{{ATOM}}}title").text = hit["title"]
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link
        ET.SubElement(entry, f"{{{ATOM}}}link", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = f"{hit['date'] or '1970-01-01'}T00:00:00Z"
        if hit["author"]:
            author = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(author, f"{{{ATOM}}}name").text = hit["author"]
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = text_of(hit["snippet"])
    xml = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(xml, mimetype="application/atom+xml")
