"""Every route through Flask's test client: pages parsed, JSON read, bad input, headers."""

from __future__ import annotations

import re
from html import unescape as html_unescape
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tests.conftest import add_editor, index_of, log_in
from tests.test_search import ARTICLES
from web import create_app
from web.openapi import openapi_document


class Page(HTMLParser):
    """The parts of a page a reader looks at: headings, links, marks, result titles."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.marks: list[str] = []
        self.hit_titles: list[str] = []
        self.alternate_json: str | None = None
        self.scripts: list[str] = []
        self._stack: list[tuple[str, dict]] = []
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("type") == "application/json":
            self.alternate_json = attrs.get("href")
        if tag == "script":
            self.scripts.append(attrs.get("src") or "")
        self._stack.append((tag, attrs))
        self._text.append("")

    def handle_endtag(self, tag):
        if not self._stack:
            return
        open_tag, attrs = self._stack.pop()
        text = self._text.pop()
        if self._text:
            self._text[-1] += text
        if open_tag == "a":
            self.links.append((" ".join(text.split()), attrs.get("href", "")))
            if self._stack and self._stack[-1][0] == "h2":
                self.hit_titles.append(" ".join(text.split()))
        if open_tag == "mark":
            self.marks.append(text)

    def handle_data(self, data):
        if self._text:
            self._text[-1] += data


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("web"), ARTICLES)


@pytest.fixture
def app(index):
    return create_app(
        {"index": str(index), "TESTING": True, "cors_origins": "https://blog.example"}
    )


@pytest.fixture
def client(app):
    return app.test_client()


def page(client, url) -> Page:
    response = client.get(url)
    assert response.status_code == 200, response.data[:300]
    return Page(response.get_data(as_text=True))


# --- pages ---------------------------------------------------------------------------------


def test_the_summary_quotes_the_query_once(client):
    """The summary wraps the query in <q> (the browser's curly quotes); a query typed in
    quotes showed two pairs, “"no problem"”: it shows its own."""
    html = client.get("/search?q=no+problem").get_data(as_text=True)
    assert "for <q>no problem</q>" in html
    html = client.get("/search?q=%22no+problem%22").get_data(as_text=True)
    assert "for &#34;no problem&#34;" in html and "<q>&#34;" not in html
    html = client.get("/search?q=%22").get_data(as_text=True)  # (one quote: a query like any)
    assert "<q>&#34;</q>" in html


def test_search_page_shows_results_marks_facets_and_json_twin(client):
    p = page(client, "/search?q=custmer+from+hell")
    assert p.hit_titles[0] == "You should never have “a customer from hell”"
    assert "customer" in p.marks and "hell" in p.marks
    # The correction is said; the query as typed is a link that searches it uncorrected.
    response = client.get("/search?q=custmer+from+hell").get_data(as_text=True)
    assert "Showing results for\n        <strong>customer from hell</strong>" in response
    assert ("custmer from hell", "/search?q=custmer+from+hell&correct=false") in p.links
    facet = next(href for text, href in p.links if text.startswith("☐ Customer Care"))
    assert "category=Customer+Care" in facet
    assert p.alternate_json.startswith("/api/search?q=custmer+from+hell")
    assert p.scripts == ["/static/app.js"]


def test_clicking_a_facet_filters_and_marks_it_selected(client):
    p = page(client, "/search?q=customers&category=Communication")
    assert p.hit_titles == ["“Thank you” is golden, “No problem” is a problem"]
    selected = next(text for text, _ in p.links if text.startswith("☑"))
    assert selected.startswith("☑ Communication")


def test_an_empty_filter_value_is_no_filter(client):
    """A site's own search form sends category= for "any category": the answer is the
    unfiltered one, on the page and in the API, as for after= (not nothing, nor a 400
    for year=)."""
    every = client.get("/api/search?q=customers").get_json()
    assert every["total"] > 1
    for empty in ("category=", "tag=", "year=", "author=&kind=", "category=+", "after="):
        data = client.get(f"/api/search?q=customers&{empty}").get_json()
        assert data["total"] == every["total"], empty
    p = page(client, "/search?q=customers&category=&tag=")
    assert len(p.hit_titles) == min(every["total"], 10)


def test_sorting_and_pages(client):
    first = page(client, "/search?sort=newest&per_page=3")
    assert first.hit_titles[0] == "VIDEO: Differentiating between users and customers"
    next_link = next(href for text, href in first.links if text == "Next →")
    second = page(client, next_link)
    assert not set(first.hit_titles) & set(second.hit_titles)
    assert "sort=newest" in next_link and "page=2" in next_link


def test_a_search_for_the_latest_is_newest_first_and_relevance_one_click_away(tmp_path):
    """ "latest posts on pricing": the page lists them newest first, says so, and shows
    "newest" as the sort; its "relevance" link ranks them by relevance. The API says the
    order in `sort`, and takes `sort=relevance` as chosen."""
    posts = [
        {"id": "old", "title": "Pricing", "body": "Pricing.", "date": "2019-01-01"},
        {"id": "new", "title": "A note", "body": "On pricing.", "date": "2023-06-01"},
    ]
    client = create_app({"index": str(index_of(tmp_path, posts)), "TESTING": True}).test_client()
    html = client.get("/search?q=latest+posts+on+pricing").get_data(as_text=True)
    assert Page(html).hit_titles == ["A note", "Pricing"]
    assert '<strong aria-current="true">newest</strong>' in html
    assert "Newest first, as the search asks" in html
    relevance = next(href for text, href in Page(html).links if text == "relevance")
    html = client.get(html_unescape(relevance)).get_data(as_text=True)
    assert Page(html).hit_titles == ["Pricing", "A note"]
    assert '<strong aria-current="true">relevance</strong>' in html
    assert "Newest first" not in html
    answer = client.get("/api/search?q=latest+pricing").get_json()
    assert answer["sort"] == "newest" and [h["id"] for h in answer["hits"]] == ["new", "old"]
    answer = client.get("/api/search?q=latest+pricing&sort=relevance").get_json()
    assert answer["sort"] == "relevance" and [h["id"] for h in answer["hits"]] == ["old", "new"]


def test_empty_state_suggests_what_to_try(client):
    html = client.get("/search?q=zzzqqq").get_data(as_text=True)
    assert "No results" in html and "Try fewer words" in html
    assert "write this on a rock" in html


def test_article_page_highlights_query_shows_maxim_links_and_source(client):
    p = page(client, "/articles/hell?q=difficult+customers")
    assert "difficult" in p.marks
    html = client.get("/articles/hell?q=difficult").get_data(as_text=True)
    assert 'class="maxim"' in html and "You should never have a customer from hell." in html
    assert ("Customer Care", "/search?category=Customer+Care") in p.links
    assert "Source: articles.jsonl, line 1" in html
    assert p.alternate_json == "/api/articles/hell?q=difficult+customers"
    # What the search looked for, not the words that ask, a filter's or one left out.
    p = page(client, "/articles/hell?q=posts+about+difficult+customers+-hell+year:2022")
    assert {m.lower() for m in p.marks} == {"difficult", "customers", "customer"}


def test_another_version_of_a_result_opens_with_the_query_highlighted(tmp_path):
    from search.duplicate_index import refresh_duplicates

    body = " ".join(["Celebrate your customers this week with a note of thanks."] * 12)
    records = [{"id": i, "title": "Celebrate your customers", "body": body} for i in "ab"]
    index = index_of(tmp_path, records)
    refresh_duplicates(index)
    client = create_app({"index": str(index), "TESTING": True}).test_client()
    html = client.get("/search?q=celebrate+customers").get_data(as_text=True)
    versions = re.findall(r'<details class="versions">.*?href="([^"]+)"', html, re.S)
    assert versions == ["/articles/b?q=celebrate+customers"]
    assert "Celebrate" in page(client, html_unescape(versions[0])).marks


def test_maxims_page_lists_and_searches(client):
    html = client.get("/maxims").get_data(as_text=True)
    assert html.count('<blockquote class="maxim">') == 3
    filtered = client.get("/maxims?q=hell").get_data(as_text=True)
    assert filtered.count('<blockquote class="maxim">') == 1 and "<mark>hell</mark>" in filtered
    # Words no maxim has: no maxim (not the posts with the words, as the search shows).
    none = client.get("/maxims?q=oxygen").get_data(as_text=True)
    assert '<blockquote class="maxim">' not in none


def test_a_maxim_found_by_its_posts_words_shows_the_passage_that_has_them(client):
    """ "behavior" is in the post of the maxim "You should never have a customer from
    hell", not in the maxim: the page shows the post's passage with the word marked,
    linked to its paragraph; a maxim that has the words shows no passage."""
    html = client.get("/maxims?q=behavior").get_data(as_text=True)
    assert html.count('<blockquote class="maxim">') == 1 and "customer from hell" in html
    said = html.split("Its post says:", 1)[1].split("</p>", 1)[0]
    assert "<mark>behavior</mark>" in said and 'href="/articles/hell?q=behavior#p-1"' in said
    assert "Its post says:" not in client.get("/maxims?q=hell").get_data(as_text=True)
    none = client.get("/maxims?q=oxygen").get_data(as_text=True)
    assert '<blockquote class="maxim">' not in none


def test_stored_and_typed_script_is_escaped(client):
    html = client.get("/search?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    html = client.get("/articles/script").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_unknown_article_is_a_404_page_and_bad_parameters_a_400_page(client):
    assert client.get("/articles/nope").status_code == 404
    response = client.get("/search?q=x&page=0")
    assert response.status_code == 400 and "page must be between" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_result_pages_ask_search_engines_not_to_list_them(client):
    """A page of results (any query or filter) is noindex, follow, as WordPress makes its
    own search pages: an endless space of pages that would compete with the articles in
    a search engine. The start page and the articles stay indexable."""
    robots = '<meta name="robots" content="noindex, follow">'
    for url in ("/search?q=customers", "/search?category=Customer+Care", "/search?q=x&page=2"):
        assert robots in client.get(url).get_data(as_text=True), url
    for url in ("/", "/search", "/articles/hell", "/maxims"):
        assert 'name="robots"' not in client.get(url).get_data(as_text=True), url


def test_opensearch_and_atom(client):
    xml = client.get("/opensearch.xml").get_data(as_text=True)
    assert "OpenSearchDescription" in xml and "/search?q={searchTerms}" in xml
    atom = client.get("/search.atom?q=customers")
    assert atom.mimetype == "application/atom+xml"
    titles = re.findall(r"<title>(.*?)</title>", atom.get_data(as_text=True))
    assert titles[0] == "rocksearch: customers" and len(titles) > 3


# --- the API -------------------------------------------------------------------------------

SCHEMAS = openapi_document()["components"]["schemas"]


def check(data: dict, schema: str) -> None:
    validator = Draft202012Validator(
        {"$ref": f"#/components/schemas/{schema}", "components": {"schemas": SCHEMAS}}
    )
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, errors[0]


GOOD = [
    ("/api/search?q=custmer", "Search"),
    ("/api/search?q=customers&category=Customer+Care&sort=newest&page=1&per_page=2", "Search"),
    ("/api/search?q=%22write+this+on+a+rock%22&after=2014&before=2016-01", "Search"),
    ("/api/articles/hell?q=hell", "Article"),
    ("/api/maxims", "Maxims"),
    ("/api/maxims?q=golden", "Maxims"),
    ("/api/suggest?q=you+sho", "Suggest"),
    ("/api/suggest?q=cash", "Suggest"),  # (a category too)
    ("/api/editor/duplicates", "Duplicates"),
    ("/api/editor/analytics/top", "Report"),
    ("/api/search?q=customers&explain=true", "Search"),
    ("/api/search?q=customers&collapse=false", "Search"),
]
BAD = [
    ("/api/search?page=0", 400), ("/api/search?per_page=10000", 400),
    ("/api/search?after=yesterday", 400), ("/api/search?sort=random", 400),
    ("/api/search?page=abc", 400), ("/api/articles/nope", 404), ("/api/nothing", 404),
    ("/api/suggest?q=" + "x" * 300, 400), ("/api/editor/duplicates?min_score=x", 400),
    ("/api/maxims?q=" + "x" * 1001, 400),
    ("/api/search?collapse=maybe", 400), ("/api/search?year=abc", 400),
    ("/api/editor/duplicates?min_score=2", 400), ("/api/editor/duplicates?min_score=-0.5", 400),
    ("/api/editor/duplicates", 401), ("/api/search?q=x&explain=true", 401),
]  # fmt: skip


def editor_token(index) -> str:
    from editorial import accounts
    from editorial.db import connect

    add_editor(index)
    conn = connect(index / "editorial.sqlite3")
    try:
        return accounts.new_token(conn, "editor")
    finally:
        conn.close()


@pytest.mark.parametrize(("url", "schema"), GOOD)
def test_api_answers_match_the_openapi_document(client, index, url, schema):
    editor = "editor" in url or "explain" in url
    headers = {"Authorization": f"Bearer {editor_token(index)}"} if editor else {}
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    data = response.get_json()
    assert data["ok"] is True
    check(data, schema)


@pytest.mark.parametrize(("url", "status"), BAD)
def test_api_errors_use_the_one_envelope(client, index, url, status):
    editor = "/api/editor/" in url and status != 401
    headers = {"Authorization": f"Bearer {editor_token(index)}"} if editor else {}
    response = client.get(url, headers=headers)
    assert response.status_code == status
    data = response.get_json()
    check(data, "Error")
    assert data["status"] == status and data["error"]


def test_retry_after_only_on_a_refusal(client):
    assert "Retry-After" not in client.get("/api/search?q=cash").headers
    assert client.get("/api/search?year=2021&year=undated").status_code == 200


def test_every_documented_path_is_served(client, index):
    token = {"Authorization": f"Bearer {editor_token(index)}"}
    for path, item in openapi_document()["paths"].items():
        url = path.replace("{id}", "hell").replace("{report}", "top")
        headers = token if "security" in item["get"] else {}
        assert client.get(url, headers=headers).status_code == 200, url


def test_api_search_is_exactly_the_search_function(client, index):
    from search.engine import search

    api = client.get("/api/search?q=cash&tag=banking").get_json()
    direct = search(index, "cash", filters={"tag": ["banking"]}).to_dict()
    api.pop("took_ms"), direct.pop("took_ms")
    assert api == direct


def test_cors_for_configured_origins_only(client):
    allowed = client.get("/api/search?q=x", headers={"Origin": "https://blog.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://blog.example"
    other = client.get("/api/search?q=x", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_etag_makes_a_repeated_query_a_304(client):
    first = client.get("/api/search?q=cash")
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    again = client.get("/api/search?q=cash", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_rate_limit_answers_429_with_retry_after(index):
    app = create_app({"index": str(index), "TESTING": True, "rate_limit": "3/minute"})
    client = app.test_client()
    codes = [client.get("/api/search?q=cash").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/search?q=cash")
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.get_json()["ok"] is False and "Too many requests" in limited.get_json()["error"]


def test_the_sites_searches_are_rate_limited_too_with_a_page_that_says_so(index):
    """The site's search page and its Atom feed run the same searches as the API: past
    the limit they answer 429 too (a page, not JSON), counted together and apart from
    the API's. They had no limit: a client refused by the API could search there."""
    app = create_app({"index": str(index), "TESTING": True, "rate_limit": "3/minute",
                      "rate_limit_storage": "memory://"})  # fmt: skip
    client = app.test_client()
    paths = ("/search?q=cash", "/search?q=flow", "/search.atom?q=cash", "/search?q=rock")
    codes = [client.get(path).status_code for path in paths]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/?q=cash")
    assert limited.status_code == 429 and limited.mimetype == "text/html"
    assert int(limited.headers["Retry-After"]) > 0
    assert "Too many requests: the limit is 3 per 1 minute. Retry later." in limited.text
    assert client.get("/api/search?q=cash").status_code == 200  # (the API counts apart)
    assert client.get("/articles/cash").status_code == 200  # (reading is not limited)


def test_missing_index_is_a_503_with_a_sentence(tmp_path):
    client = create_app({"index": str(tmp_path / "none"), "TESTING": True}).test_client()
    response = client.get("/api/search?q=x")
    assert response.status_code == 503 and "rocksearch index" in response.get_json()["error"]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=200), page=st.sampled_from(["1", "2", "0", "-1", "x", ""]),
       per_page=st.sampled_from(["", "1", "100", "101", "1e3"]))  # fmt: skip
def test_no_query_string_gets_a_500(client, q, page, per_page):
    for base in ("/api/search", "/search"):
        response = client.get(base, query_string={"q": q, "page": page, "per_page": per_page})
        assert response.status_code in (200, 400), (base, q, page, per_page)


def test_duplicates_page_and_side_by_side(client, index):
    from search.duplicate_index import duplicate_groups

    groups = duplicate_groups(index)
    assert client.get("/duplicates").status_code == 404  # moved to the editors' area
    log_in(client, index)
    html = client.get("/editor/duplicates").get_data(as_text=True)
    assert f"{len(groups)} group" in html
    compare = client.get("/editor/duplicates/compare?a=hell&b=thanks").get_data(as_text=True)
    assert "<del>" in compare and "<ins>" in compare
    assert client.get("/editor/duplicates/compare?a=hell&b=nope").status_code == 404


def test_article_page_shows_its_maxim_once(client):
    html = client.get("/articles/hell").get_data(as_text=True)
    shown = html.split("<article", 1)[1]  # the page's meta description quotes it too
    assert shown.count("You should never have a customer from hell.") == 1


def test_empty_results_say_what_to_try_once_and_offer_no_sort(client):
    html = client.get("/search?q=zzzzqqqq").get_data(as_text=True)
    assert html.lower().count("try fewer words") == 1
    assert 'aria-label="Sort"' not in html


def test_categories_of_a_hit_are_separated(client):
    html = client.get("/search?q=golden").get_data(as_text=True)  # two categories
    assert re.search(r"Customer Care</a> · <a[^>]*>Communication</a>", html)


def test_the_maxims_api_searches_them_as_the_maxims_page_does(client):
    """/api/maxims?q= gave every maxim, whatever the words (the maxims page searched
    them, and its JSON link gave them all): it answers what the page shows, the best
    first, each maxim also with its words marked."""
    answer = client.get("/api/maxims?q=gold").get_json()
    assert [m["id"] for m in answer["maxims"]] == ["thanks"] and answer["total"] == 1
    assert "<mark>golden</mark>" in answer["maxims"][0]["maxim_html"]
    assert answer["query"] == "gold"
    assert client.get("/api/maxims").get_json()["total"] == 3  # (no words: every one)
    page = client.get("/maxims?q=gold").get_data(as_text=True)
    assert "/api/maxims?q=gold" in page and "<mark>golden</mark>" in page


def test_suggestions_forgive_a_typo(client):
    texts = [s["text"] for s in client.get("/api/suggest?q=custmer+from").get_json()["suggestions"]]
    assert "You should never have “a customer from hell”" in texts


def test_a_word_begun_is_no_typo_for_the_suggestions(tmp_path):
    """ "pric", the start of "price" (which posts say, but no title), offers no title
    with "prime", a word one edit away, but the search "price"; "prme", which starts no
    word, still offers the title."""
    posts = [{"id": "prime", "title": "The new prime expectation", "body": "Relevance."},
             {"id": "price", "title": "From hell", "body": "Set your price."}]  # fmt: skip
    client = create_app({"index": str(index_of(tmp_path, posts)), "TESTING": True}).test_client()

    def texts(typed: str) -> list[str]:
        return [s["text"] for s in client.get(f"/api/suggest?q={typed}").get_json()["suggestions"]]

    assert texts("pric") == ["price"]
    assert client.get("/api/suggest?q=pric").get_json()["suggestions"][0]["kind"] == "query"
    assert texts("relevance pric") == []  # (no post has both words: no search offered)
    assert texts("prme") == ["The new prime expectation"]
    assert texts("prim") == ["The new prime expectation"]


def test_suggestions_forgive_a_typo_the_posts_share_or_two_in_a_long_word(tmp_path):
    """ "intrest r": a post says "intrest" (its own typo), so the word was taken as
    typed, and no title has it: nothing was offered. "cryslar", two typos in a word of
    seven letters, was corrected one edit away only: nothing either. Each now offers
    the titles with the word meant, as a word one typo away does."""
    posts = [{"id": f"r{n}", "title": f"Interest rates {n}", "body": "Interest rates."}
             for n in range(12)]  # fmt: skip
    posts += [{"id": "pork", "title": "Pork", "body": "No intrest in pork."},
              {"id": "car", "title": "Chrysler sales", "body": "Cars."}]  # fmt: skip
    client = create_app({"index": str(index_of(tmp_path, posts)), "TESTING": True}).test_client()

    def texts(typed: str) -> list[str]:
        return [s["text"] for s in client.get(f"/api/suggest?q={typed}").get_json()["suggestions"]]

    assert texts("intrest+r")[0].startswith("Interest rates")
    assert texts("cryslar") == ["Chrysler sales"]
    assert texts("pork") == ["Pork"]  # (a word the titles have: as before)


def test_suggestions_leave_out_the_words_that_ask_for_the_latest(client):
    """ "latest cust": the latest posts about cust…, whose words suggest (they offered
    nothing: no title says "latest")."""
    for typed in ("latest+custom", "most+recent+custom", "oldest+custom"):
        texts = [s["text"] for s in client.get(f"/api/suggest?q={typed}").get_json()["suggestions"]]
        assert "You should never have “a customer from hell”" in texts, typed


def test_suggestions_offer_the_maxims_to_who_types_their_label(client):
    """Readers look for the author's maxims by the words that introduce them on the
    blog, "Write this on a rock": typing them (or "rock", or "maxims", as the site calls
    them) suggests the maxims."""
    for typed in ("write+this", "write+this+on+a+ro", "rock", "maxim", "maxims"):
        found = client.get(f"/api/suggest?q={typed}").get_json()["suggestions"]
        assert found and all(s["kind"] == "maxim" for s in found), typed
        assert "You should never have a customer from hell." in [s["text"] for s in found]
    for typed in ("write+this+on+a+rock+hell", "hell+maxi"):
        narrowed = client.get(f"/api/suggest?q={typed}").get_json()["suggestions"]
        assert [s["text"] for s in narrowed] == ["You should never have a customer from hell."]


def test_suggestions_offer_categories_and_tags_first(client):
    """A reader typing "cash" may want every post filed under Cash Flow: the category
    comes first (its tag of the same name not again), then the titles; a word no
    category has suggests none."""
    found = client.get("/api/suggest?q=cash").get_json()["suggestions"]
    assert found[0] == {"text": "Cash Flow", "kind": "category", "value": "Cash Flow", "count": 1}
    assert [s["kind"] for s in found[1:]] == ["title"]
    assert found[1]["text"] == "Cash flow is the oxygen of a small business"
    tag = client.get("/api/suggest?q=customer+serv").get_json()["suggestions"][0]
    assert tag == {"text": "customer service", "kind": "tag", "value": "customer service",
                   "count": 1}  # fmt: skip
    oxygen = client.get("/api/suggest?q=oxyg").get_json()["suggestions"]
    assert oxygen and all(s["kind"] == "title" for s in oxygen)


def test_suggestions_after_tagged_or_category_are_those_names(client):
    """ "posts tagged ca" and "category c" suggested nothing ("tagged" and "category"
    are in no title); the tags, or the categories, whose names begin so are offered,
    as search/typed_topics.py reads the query once it is typed."""
    tagged = client.get("/api/suggest?q=posts+tagged+ca").get_json()["suggestions"]
    assert [(s["text"], s["kind"]) for s in tagged] == [("cash flow", "tag")]
    filed = client.get("/api/suggest?q=category+c").get_json()["suggestions"]
    assert {"Cash Flow", "Customer Care"} <= {s["text"] for s in filed}
    assert {s["kind"] for s in filed} == {"category"}
    assert client.get("/api/suggest?q=tagged").get_json()["suggestions"] == []


def test_suggestions_follow_the_first_letter_of_the_next_word(client):
    """ "cash f": a reader has begun the next word; its first letter narrows what the
    words before it suggest (a suggestion list that went empty at each space and came
    back a letter later). A lone letter still suggests nothing."""
    found = client.get("/api/suggest?q=cash+f").get_json()["suggestions"]
    assert found and found[0]["text"] == "Cash Flow"
    assert "Cash flow is the oxygen of a small business" in [s["text"] for s in found]
    assert client.get("/api/suggest?q=cash+z").get_json()["suggestions"] == []
    assert client.get("/api/suggest?q=c").get_json()["suggestions"] == []


def test_suggestions_skip_the_words_that_ask(client):
    """ "posts about ca", "is there an article about ca", "what is cash fl": the
    words that ask are in no title (the list was empty); the subject's are."""
    for typed in ("posts+about+ca", "is+there+an+article+about+ca", "what+is+cash+fl"):
        found = client.get(f"/api/suggest?q={typed}").get_json()["suggestions"]
        assert "Cash flow is the oxygen of a small business" in [s["text"] for s in found], typed
    assert client.get("/api/suggest?q=posts+ab").get_json()["suggestions"] == []


def test_suggestions_forgive_a_typo_in_the_word_being_typed(client):
    """ "custm" is on its way to "custom…": a phone keyboard's slip before the word is
    finished still suggests the customer posts."""
    texts = [s["text"] for s in client.get("/api/suggest?q=custm").get_json()["suggestions"]]
    assert "You should never have “a customer from hell”" in texts
    assert client.get("/api/suggest?q=xqzvw").get_json()["suggestions"] == []


def test_suggestions_list_a_text_once_and_never_a_deleted_post(tmp_path):
    """Two copies of a post (the same title) are one suggestion; a post taken out of
    the corpus is not suggested after the next `rocksearch index`."""
    from indexer.build import build_index
    from search.state import get_state
    from tests.conftest import write_jsonl

    posts = [{"id": f"copy{n}", "title": "Pricing for profit", "body": "Set prices well."}
             for n in range(2)]  # fmt: skip
    posts.append({"id": "gone", "title": "Pricing in a downturn", "body": "Hold prices."})
    index = index_of(tmp_path, posts)
    suggest_client = create_app({"index": str(index), "TESTING": True}).test_client()
    found = suggest_client.get("/api/suggest?q=pricing").get_json()["suggestions"]
    assert sorted(s["text"] for s in found) == ["Pricing for profit", "Pricing in a downturn"]
    write_jsonl(tmp_path / "articles.jsonl", posts[:2])
    build_index(tmp_path / "articles.jsonl", index)
    get_state(index, wait=True)  # (a server loads the new generation in the background)
    found = suggest_client.get("/api/suggest?q=pricing").get_json()["suggestions"]
    assert [s["text"] for s in found] == ["Pricing for profit"]


def test_pages_have_an_icon(client):
    html = client.get("/").get_data(as_text=True)
    assert 'rel="icon"' in html
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.get_data().startswith(b"<svg")
    icon.close()
    assert client.get("/favicon.ico").status_code == 301


def test_a_post_with_no_text_says_what_it_is(tmp_path):
    from indexer.build import build_index

    (tmp_path / "img.md").write_text('---\ntitle: "Customers at the counter"\nkind: image\n---\n')
    build_index(tmp_path / "img.md", tmp_path / "index")
    client = create_app({"index": str(tmp_path / "index"), "TESTING": True}).test_client()
    hit = client.get("/api/search?q=counter").get_json()["hits"][0]
    assert hit["kind"] == "image"
    assert hit["snippet"] == "An image post: its caption is its title."
    assert "An image post" in client.get(hit["page_url"]).get_data(as_text=True)


def test_dates_read_as_words_and_results_are_announced(client):
    html = client.get("/search?q=hell").get_data(as_text=True)
    assert '<time datetime="2014-05-01">May 1, 2014</time>' in html
    assert re.search(r'role="status">\d+ results?</p>', html)


def test_filters_read_from_the_words_are_ticked_among_the_facets(tmp_path):
    """ "pricing by alice smith" is Alice Smith's posts on pricing, "pricing 2022" the
    pricing posts of 2022: the page ticks the author or the year among the facets, as a
    filter chosen (it had shown them unticked, the filter said only in a note), and
    its links change the request the answer is to: ticking Bob Jones adds his posts,
    unticking Alice Smith or 2022 searches "pricing" alone. They had kept the words
    typed, so ticking Bob Jones searched "pricing by alice smith" as words among his
    posts (one, which says "Alice")."""
    posts = [{"id": f"a{n}", "title": f"Pricing {n}", "body": "Price it right.",
              "author": "Alice Smith", "date": f"202{n}-01-01", "categories": ["Sales"]}
             for n in range(4)]  # fmt: skip
    posts += [{"id": f"b{n}", "title": f"Pricing for hiring {n}", "author": "Bob Jones",
               "body": "Hire well and price well, said Alice.", "date": "2022-06-01"}
              for n in range(2)]  # fmt: skip
    posts += [{"id": "c0", "title": "Hiring", "body": "Hire well.", "author": "Bob Jones"}]
    client = create_app({"index": str(index_of(tmp_path, posts)), "TESTING": True}).test_client()

    def page(url: str) -> tuple[str, dict]:
        html = client.get(url).get_data(as_text=True)
        return html, {text: href.replace("&amp;", "&") for text, href in Page(html).links}

    html, links = page("/search?q=pricing+by+alice+smith")
    assert Page(html).hit_titles == ["Pricing 0", "Pricing 1", "Pricing 2", "Pricing 3"]
    assert "<summary>Filter (1 on)</summary>" in html
    assert links["☑ Alice Smith 4"] == "/search?q=pricing"
    assert links["☐ Bob Jones 2"] == "/search?q=pricing&author=Alice+Smith&author=Bob+Jones"
    assert links["☐ 2022 1"] == "/search?q=pricing&author=Alice+Smith&year=2022"
    assert links["Sales"] == "/search?q=pricing&author=Alice+Smith&category=Sales"
    both = Page(client.get(links["☐ Bob Jones 2"]).get_data(as_text=True)).hit_titles
    assert sorted(both) == ["Pricing 0", "Pricing 1", "Pricing 2", "Pricing 3",
                            "Pricing for hiring 0", "Pricing for hiring 1"]  # fmt: skip
    assert len(Page(client.get(links["☑ Alice Smith 4"]).get_data(as_text=True)).hit_titles) == 6
    html, links = page("/search?q=pricing+2022")
    assert links["☑ 2022 3"] == "/search?q=pricing"
    assert links["☐ 2023 1"] == "/search?q=pricing&year=2022&year=2023"
    # The words as typed (the way out of a misreading) tick nothing.
    html, links = page("/search?q=pricing+by+alice+smith&correct=false")
    assert "☑" not in html and "<summary>Filter</summary>" in html


def test_a_period_is_shown_set_and_changed_on_the_page(tmp_path):
    """A search limited to dates (after=, before=: a shared link, a feed's, or a facet
    link from "posts since 2022") says so above the results, with a link to any date,
    and the filters have a form to set or change the dates. The page had said nothing:
    ticking a category on "posts since 2022" showed only 2022's posts on, unsaid."""
    posts = [{"id": f"p{y}", "title": f"Pricing in {y}", "body": "Price it right.",
              "date": f"{y}-05-01", "categories": ["Sales"]}
             for y in range(2019, 2025)]  # fmt: skip
    posts += [{"id": "h2023", "title": "Hiring", "body": "Pricing staff.", "date": "2023-02-01"}]
    client = create_app({"index": str(index_of(tmp_path, posts)), "TESTING": True}).test_client()

    def text(html: str) -> str:  # (as read: "(any date)." for "(<a …>any date</a>).")
        words = " ".join(html_unescape(re.sub(r"<[^>]+>", " ", html)).split())
        return re.sub(r"\s+([).,])", r"\1", words.replace("( ", "("))

    html = client.get("/search?q=pricing&category=Sales&after=2022&before=2024-01-01").text
    assert Page(html).hit_titles == ["Pricing in 2022", "Pricing in 2023"]
    said = "Only posts on or after January 1, 2022, before January 1, 2024 (any date)."
    assert said in text(html)
    links = {t: href for t, href in Page(html).links}
    assert links["any date"] == links["Any date"] == "/search?q=pricing&category=Sales"
    assert "<summary>Filter (2 on)</summary>" in html
    form = html.split('<section class="facet dates">', 1)[1].split("</form>", 1)[0]
    assert re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form) == [
        ("q", "pricing"), ("category", "Sales")]  # fmt: skip
    assert 'name="after" value="2022-01-01"' in form and 'name="before" value="2024-01-01"' in form
    # The form sent as a browser sends it: an empty date is no limit.
    html = client.get("/search?q=pricing&category=Sales&after=2023-01-01&before=").text
    assert Page(html).hit_titles == ["Pricing in 2023", "Pricing in 2024"]
    assert "Only posts on or after January 1, 2023 (any date)." in text(html)
    # Read from the words, the period is said once (the note of the reading), and the
    # facet links keep it: the next page says it.
    html = client.get("/search?q=posts+since+2022").text
    assert "Showing the posts since 2022." in text(html) and "Only posts" not in text(html)
    assert 'name="after" value="2022-01-01"' in html
    sales = {t: href for t, href in Page(html).links}["☐ Sales 3"]
    html = client.get(sales).text
    assert sorted(Page(html).hit_titles) == [f"Pricing in {y}" for y in (2022, 2023, 2024)]
    assert "Only posts on or after January 1, 2022 (any date)." in text(html)


def test_a_timeline_of_matches_per_year_is_drawn_as_svg(client):
    html = client.get("/search?q=customers").get_data(as_text=True)
    timeline = html.split('<figure class="timeline">', 1)[1].split("</figure>", 1)[0]
    assert "<svg" in timeline and "<rect" in timeline
    assert re.search(r'aria-label="2014: 1 match"', timeline)
    assert "year=2014" in timeline


@pytest.mark.parametrize(("proxies", "limited"), [(0, True), (1, False)])
def test_behind_a_proxy_each_client_has_its_own_limit(index, proxies, limited):
    app = create_app({"index": str(index), "TESTING": True, "rate_limit": "1/minute",
                      "proxies": proxies, "rate_limit_storage": "memory://"})  # fmt: skip
    client = app.test_client()
    first = client.get("/api/search?q=cash", headers={"X-Forwarded-For": "198.51.100.1"})
    other = client.get("/api/search?q=cash", headers={"X-Forwarded-For": "198.51.100.2"})
    assert first.status_code == 200
    assert (other.status_code == 429) == limited


def test_the_page_and_the_api_mark_the_category_a_post_was_found_by(tmp_path):
    """The search page shows a category's marked word inside the category's link, and
    the API gives `categories_html` (search/hits.py)."""
    from tests.test_search import CATEGORIZED

    index = index_of(tmp_path, CATEGORIZED)
    client = create_app({"index": str(index), "TESTING": True, "analytics": False}).test_client()
    page = client.get("/search", query_string={"q": "entrepreneurship"}).get_data(as_text=True)
    assert re.search(r'<a href="[^"]*">\s*<mark>Entrepreneurship</mark> &amp; &lt;Startups&gt;'
                     r"</a>", page)  # fmt: skip
    api = client.get("/api/search", query_string={"q": "tea"}).get_json()
    assert api["hits"][0]["categories_html"] == ["<mark>Tea</mark>"]


def test_a_derived_form_is_shown_as_what_was_searched(tmp_path):
    """ "leadership", which no post says, is searched as "leader": the page says so and
    links to the words as typed; the API's correction says `derived` (search/derivations.py)."""
    posts = [{"id": "lead", "title": "Lead from the front", "body": "A good leader listens."},
             {"id": "other", "title": "Ships", "body": "A ship at sea."}]  # fmt: skip
    client = create_app({"index": str(index_of(tmp_path, posts)), "TESTING": True,
                         "analytics": False}).test_client()  # fmt: skip
    page = client.get("/search", query_string={"q": "leadership"}).get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert "Showing results for leader. Search instead for leadership." in text
    assert "Lead from the front" in text and "A ship at sea" not in text
    api = client.get("/api/search", query_string={"q": "leadership"}).get_json()
    check(api, "Search")
    assert api["corrections"] == [{"from": "leadership", "to": "leader", "derived": True}]
    assert [hit["id"] for hit in api["hits"]] == ["lead"]


def test_a_requests_parameters_are_read_as_werkzeug_reads_them(tmp_path):
    """The app's request class reads parameters into QueryArgs (web/params.py), whose
    `get` skips Werkzeug's raised-and-caught exception for an absent name: each answer
    must be Werkzeug's own, present, absent, empty, repeated or converted."""
    from werkzeug.datastructures import ImmutableMultiDict

    from web.params import QueryArgs

    app = create_app({"index": str(tmp_path / "index")})
    query = "q=cash&page=x&per_page=5&tag=a&tag=b&empty="
    with app.test_request_context(f"/api/search?{query}"):
        from flask import request

        ours, theirs = request.args, ImmutableMultiDict(request.args.items(multi=True))
        assert type(ours) is QueryArgs
        asked = [("q", None, None), ("absent", None, None), ("absent", "d", None),
                 ("tag", None, None), ("empty", "d", None), ("per_page", 0, int),
                 ("page", 7, int), ("absent", 7, int)]  # fmt: skip
        for name, default, kind in asked:
            assert ours.get(name, default, kind) == theirs.get(name, default, kind)
        assert ours.get("tag") == "a" and ours.getlist("tag") == ["a", "b"]
        assert ours.get("page", 7, int) == 7 and ours.get("absent", "d") == "d"
