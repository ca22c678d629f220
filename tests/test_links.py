"""Links: each hit and article carries `url` (the original, http(s) only) and `page_url`
(its page here, absolute under ROCKSEARCH_BASE_URL); absolute URLs never come from the
Host header; feeds stay well-formed whatever the text holds."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.conftest import index_of
from tests.test_web import Page
from web import create_app

LINKED = [
    {"id": "orig-1", "title": "Customers from the original blog", "date": "2022-01-02",
     "body": "Customers come first, always.", "url": "https://blog.example/2022/01/orig/"},
    {"id": "bad-2", "title": "Customers and a hostile link", "date": "2022-01-03",
     "body": "Customers click links.", "url": "javascript:alert(1)"},
    {"id": "a/b c", "title": "Customers with a slash in the id", "date": "2022-01-04",
     "body": "Customers of ids with slashes."},
    {"id": "ctl-4", "title": "Customers \x01 and \x0b control \ufffe characters",
     "date": "2022-01-05", "body": "Customers write odd titles."},
]  # fmt: skip


@pytest.fixture(scope="module")
def linked_index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("links"), LINKED)


def client_for(index, **settings):
    app = create_app({"index": str(index), "TESTING": True, **settings})
    return app.test_client()


def test_hits_carry_the_original_url_and_their_page_here(linked_index):
    data = client_for(linked_index).get("/api/search?q=customers&per_page=10").get_json()
    hits = {h["id"]: h for h in data["hits"]}
    assert hits["orig-1"]["url"] == "https://blog.example/2022/01/orig/"
    assert hits["orig-1"]["page_url"] == "/articles/orig-1"
    assert hits["bad-2"]["url"] is None  # javascript: is never a link
    assert hits["a/b c"]["page_url"] == "/articles/a%2Fb%20c"


def test_base_url_makes_page_urls_absolute(linked_index):
    client = client_for(linked_index, base_url="https://search.example/")
    hit = client.get("/api/search?q=original").get_json()["hits"][0]
    assert hit["page_url"] == "https://search.example/articles/orig-1"
    article = client.get("/api/articles/orig-1").get_json()["article"]
    assert article["page_url"] == "https://search.example/articles/orig-1"
    assert article["url"] == "https://blog.example/2022/01/orig/"


def test_article_page_links_the_original_and_never_a_script_url(linked_index):
    client = client_for(linked_index)
    page = Page(client.get("/articles/orig-1").get_data(as_text=True))
    assert ("original", "https://blog.example/2022/01/orig/") in page.links
    bad = client.get("/articles/bad-2").get_data(as_text=True)
    assert "javascript:" not in bad


def test_an_id_with_a_slash_has_its_page(linked_index):
    client = client_for(linked_index)
    hit = client.get("/api/search?q=slash").get_json()["hits"][0]
    response = client.get(hit["page_url"])
    assert response.status_code == 200
    assert "Customers with a slash in the id" in response.get_data(as_text=True)
    assert client.get("/api/articles/a%2Fb%20c").get_json()["article"]["id"] == "a/b c"


def test_host_header_never_makes_absolute_urls(linked_index):
    client = client_for(linked_index, base_url="https://search.example")
    for path in ("/opensearch.xml", "/search.atom?q=customers"):
        body = client.get(path, headers={"Host": "evil.example"}).get_data(as_text=True)
        assert "evil.example" not in body
        assert "https://search.example/" in body


def test_atom_feed_is_well_formed_with_control_characters(linked_index):
    client = client_for(linked_index)
    body = client.get("/search.atom?q=customers%01%0b\ufffe").get_data()
    feed = ET.fromstring(body)  # raises if not well-formed XML
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Customers  and control  characters" in titles


def test_a_hit_links_to_the_paragraph_that_matched(tmp_path):
    posts = [{"id": "long", "title": "A long post", "date": "2022-02-02",
              "url": "https://blog.example/long/",
              "body": "Opening words about nothing much.\n\nMiddle words also.\n\n"
                      "Franchising asks for a system that works without you."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    client = client_for(index)
    page = Page(client.get("/search?q=franchising").get_data(as_text=True))
    # Through /go, which records the click and redirects; the browser keeps the #p-2.
    assert ("A long post", "/go/long?q=franchising&rank=1#p-2") in page.links
    went = client.get("/go/long?q=franchising&rank=1")
    assert went.status_code == 302 and went.headers["Location"] == "/articles/long?q=franchising"
    fragment = "https://blog.example/long/#:~:text=Franchising%20asks%20for%20a%20system%20that"
    assert ("on the original site", fragment) in page.links
    article = client.get("/articles/long?q=franchising").get_data(as_text=True)
    assert '<p id="p-2"><mark>Franchising</mark> asks' in article
