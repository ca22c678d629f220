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


# Characters XML 1.0 does not allow, even escaped: C0 controls but tab, LF, CR;
# surrogates; U+FFFE and U+FFFF. A feed holding one is not well-formed.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str | None) -> str:
    return NOT_XML.sub("", text or "")


def text_of(html_text: str) -> str:
    import html

    return xml_text(html.unescape(re.sub(r"<[^>]+>", "", html_text)))


def site_root() -> str:
    """The site's public address from settings, never from the request's Host header."""
    settings = current_app.config["ROCKSEARCH"]
    return (settings["base_url"] or f"http://{settings['host']}:{settings['port']}").rstrip("/")


@bp.get("/opensearch.xml")
def opensearch():
    ET.register_namespace("", OPENSEARCH)
    root = ET.Element(f"{{{OPENSEARCH}}}OpenSearchDescription")
    for tag, value in (("ShortName", "rocksearch"), ("Description", "Search the blog's articles"),
                       ("InputEncoding", "UTF-8")):  # fmt: skip
        ET.SubElement(root, f"{{{OPENSEARCH}}}{tag}").text = value
    base = site_root()
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
    ET.SubElement(feed, f"{{{ATOM}}}title").text = xml_text(title)
    self_url = xml_text(site_root() + request.full_path.rstrip("?"))
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    dates = [h["date"] for h in results.hits if h["date"]]
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = (
        f"{max(dates)}T00:00:00Z" if dates else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    for hit in results.hits:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        link = xml_text(site_root() + url_for("views.article_page", article_id=hit["id"]))
        ET.SubElement(entry, f"{{{ATOM}}}title").text = xml_text(hit["title"])
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link
        ET.SubElement(entry, f"{{{ATOM}}}link", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = f"{hit['date'] or '1970-01-01'}T00:00:00Z"
        if hit["author"]:
            author = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(author, f"{{{ATOM}}}name").text = xml_text(hit["author"])
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = text_of(hit["snippet"])
    xml = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(xml, mimetype="application/atom+xml")
