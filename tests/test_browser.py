"""A real browser (Debian's Chromium, driven by Playwright) against the real server."""

from __future__ import annotations

import contextlib
import json
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import EDITOR, PASSWORD, ROOT, add_editor, editor_cookie, index_of
from tests.servers import running_server
from tests.test_search import ARTICLES

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling hosts this machine cannot reach.
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL, index folder) of a real server on a small real index, with an editor."""
    folder = tmp_path_factory.mktemp("browser")
    index_of(folder, ARTICLES)
    add_editor(folder / "index")
    with running_server(folder / "index", ready_path="/api/maxims") as base:
        yield base, folder / "index"


@pytest.fixture(scope="module")
def server(served):
    return served[0]


def as_editor(context, served) -> None:
    """Log the browser context in as the editor (its signed session cookie)."""
    base, index = served
    context.add_cookies([{**editor_cookie(index), "url": base}])


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: ./test.sh installs Debian's chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def page(request, browser):
    context = browser.new_context(java_script_enabled=request.param)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    assert page.dialogs == [], "a script from an article or the query ran"
    context.close()


def titles(page) -> list[str]:
    return [t.strip() for t in page.locator("li.hit h2").all_inner_texts()]


def test_the_real_server_answers_a_5000_character_query_with_json(server):
    with urllib.request.urlopen(f"{server}/api/search?q={'a' * 5000}", timeout=10) as response:
        data = json.loads(response.read())
    assert response.status == 200 and data["ok"] and data["warnings"]


def test_search_facet_page_on_and_open_an_article(server, page):
    page.goto(server + "/")
    page.get_by_label("Search the articles").fill("custmer")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/search?q=custmer")
    assert "Showing results for customer" in page.inner_text("main")
    assert page.locator("li.hit mark").first.inner_text().lower().startswith("customer")
    total = len(titles(page))
    page.get_by_role("link", name="Communication").first.click()
    page.wait_for_url("**category=Communication**")
    assert titles(page) == ["“Thank you” is golden, “No problem” is a problem"]
    assert total > 1
    page.goto(server + "/search?sort=oldest&per_page=3")
    first = titles(page)
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**page=2**")
    assert titles(page) and not set(first) & set(titles(page))
    page.goto(server + "/search?q=hell")
    page.locator("li.hit h2 a").first.click()
    page.wait_for_url("**/articles/hell**")
    assert page.locator("h1").inner_text() == "You should never have “a customer from hell”"
    assert "You should never have a customer from hell." in page.locator("aside.maxim").inner_text()


def test_stored_and_typed_scripts_do_not_run(server, page):
    page.goto(server + "/articles/script")
    assert "<script>alert('x')</script>" in page.inner_text("article")  # shown as text
    page.goto(server + "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert page.get_by_label("Search the articles").input_value() == "<script>alert(1)</script>"
    page.goto(server + "/search?q=security")
    assert "<script>alert(1)</script>" in page.locator("li.hit h2").first.inner_text()


def suggested(page, server: str, typed: str):
    """The home page's search box with `typed` typed into it, and its first suggestion,
    once shown."""
    page.goto(server + "/")
    box = page.get_by_role("combobox", name="Search the articles")
    box.press_sequentially(typed, delay=30)
    option = page.get_by_role("option").first
    option.wait_for(timeout=5000)
    return box, option


def choose_first(page, box, url: str) -> None:
    """Choose the first suggestion with the keyboard, and wait for the page it opens."""
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(url, timeout=5000)


def test_suggestions_are_a_combobox_for_the_keyboard(server, browser):
    context = browser.new_context()
    page = context.new_page()
    box, option = suggested(page, server, "you sho")
    assert option.inner_text().startswith("You should never have “a customer from hell”")
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Escape")
    assert page.get_by_role("listbox").is_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("u", delay=30)  # "you shou": the list opens again
    page.get_by_role("option").first.wait_for(timeout=5000)
    choose_first(page, box, "**/articles/hell?q=you%20shou")  # opens the suggested article
    assert page.get_by_role("heading", level=1).inner_text().startswith("You should never")
    context.close()


def test_a_suggested_category_opens_every_post_filed_under_it(server, browser):
    context = browser.new_context()
    page = context.new_page()
    box, option = suggested(page, server, "customer ca")
    assert option.inner_text() == "Customer Care · category (3 posts)"
    choose_first(page, box, "**/search?category=Customer%20Care")
    assert page.locator("li.hit").count() == 3
    assert "Customer Care" in page.locator("li.hit").first.inner_text()
    context.close()


def test_a_word_no_title_has_is_offered_as_a_search_that_finishes_it(server, browser):
    """ "refer": no title has a word so begun, a post says "referral"; the suggestion is
    that search, and choosing it searches it."""
    context = browser.new_context()
    page = context.new_page()
    box, option = suggested(page, server, "refer")
    assert option.inner_text() == "referral · search"
    choose_first(page, box, "**/search?q=referral")
    assert page.locator("li.hit").count() == 1
    context.close()


@pytest.mark.parametrize("width", [360, 390])
def test_on_a_phone_results_come_first_and_nothing_scrolls_sideways(served, browser, width):
    server = served[0]
    context = browser.new_context(viewport={"width": width, "height": 844})
    as_editor(context, served)
    page = context.new_page()
    page.goto(server + "/search?q=customers")
    first_hit = page.locator(".hit").first.bounding_box()
    assert first_hit["y"] < 844 * 0.75  # on the first screen, not below the filters
    assert page.locator(".facets").is_hidden()
    page.locator(".filters-narrow summary").click()  # a native <details>, no script needed
    assert page.locator(".filters-narrow .facet").first.is_visible()
    for path in (
        "/search?q=customers",
        "/editor/duplicates",
        "/maxims",
        "/articles/hell",
        "/editor/duplicates/compare?a=hell&b=thanks",
        "/editor/analytics",
        "/editor/search?q=customer+service",
        "/editor/pins",
        "/editor/synonyms",
        "/embed",
        "/search?q=custmer&year=2014",
        "/search?q=customers&after=2015-01-01&before=2019-01-01",
    ):
        page.goto(server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    context.close()


def test_a_reader_limits_the_search_to_dates_and_goes_back_to_any_date(server, page):
    """The filters' date fields (a native date input, a GET form: no script needed) set
    the period; the page says it above the results, and "any date" takes it off."""
    page.goto(server + "/search?q=customers")
    every = titles(page)
    filters = page.locator("aside.facets")
    filters.get_by_label("On or after").fill("2015-01-01")
    filters.get_by_label("Before").fill("2019-01-01")
    filters.get_by_role("button", name="Apply").click()
    page.wait_for_url("**after=2015-01-01**")
    dates = page.locator("li.hit time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates and all("2015-01-01" <= d < "2019-01-01" for d in dates)
    assert len(dates) < len(every)
    said = "Only posts on or after January 1, 2015, before January 1, 2019"
    assert said in page.inner_text("main")
    page.get_by_role("link", name="any date", exact=True).click()
    page.wait_for_url("**/search?q=customers")
    assert titles(page) == every


def test_the_filter_disclosure_says_how_many_filters_are_on(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "/search?q=customers&category=Customer+Care&tag=selling")
    assert page.locator(".filters-narrow summary").inner_text() == "Filter (2 on)"
    context.close()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_PAGES = ["/", "/search?q=customers", "/search?q=zzzzqq", "/search?q=cash&category=Cash+Flow",
             "/search?q=customers&after=2015-01-01&before=2019-01-01",
             "/maxims", "/editor/duplicates", "/articles/hell?q=customer",
             "/editor/duplicates/compare?a=hell&b=thanks", "/embed", "/editor/login",
             "/editor/", "/editor/analytics", "/editor/synonyms", "/editor/pins",
             "/editor/search?q=customer+service"]  # fmt: skip


# The page's background in each colour scheme the reader's device may ask for.
BACKGROUND = {"light": "rgb(255, 255, 255)", "dark": "rgb(20, 20, 22)"}


@pytest.mark.parametrize("width,scheme", [(390, "light"), (1280, "light"), (390, "dark")])
def test_axe_finds_no_accessibility_violations(served, browser, width, scheme):
    """axe-core (from npm, installed by test.sh) in Chromium, on every kind of page; in
    dark mode too (a phone set to dark gets the dark page, its text as readable: axe's
    colour-contrast rule)."""
    server = served[0]
    source = AXE.read_text("utf-8")
    context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in AXE_PAGES:
        if path.startswith("/editor/") and path != "/editor/login":
            as_editor(context, served)
        page.goto(server + path)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == BACKGROUND[scheme], path
        page.evaluate(source)  # through the DevTools protocol: the page's CSP does not apply
        violations = page.evaluate(
            "axe.run().then(r => r.violations.map(v => v.id + ': ' + v.nodes[0].target))"
        )
        if violations:
            found[path] = violations
    context.close()
    assert found == {}


def serve_host(page: str, csp: str | None):
    """Serve `page` (with `csp`, if any) on a loopback port: (its URL, the server)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if csp:
                self.send_header("Content-Security-Policy", csp)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/", httpd


@pytest.fixture
def host_site(server):
    """Another site, on another loopback port, with a strict CSP: it allows scripts and
    connections from the search server only, and nothing inline at all."""
    page = (f'<!doctype html><html lang="en"><head><title>Host</title>'
            f'<script src="{server}/widget.js" defer></script></head><body><h1>A blog</h1>'
            '<rocksearch-search placeholder="Search"></rocksearch-search>'
            "</body></html>")  # fmt: skip
    url, httpd = serve_host(page, f"default-src 'none'; script-src {server}; connect-src {server}")
    yield url
    httpd.shutdown()
    httpd.server_close()


# A dark blog that sets only the widget's accent (its links' colour) and the accent's text.
DARK_HOST_STYLE = (
    "body { background: #141416; color: #e6e6e9; } rocksearch-search "
    "{ --rocksearch-accent: #8ab4f8; --rocksearch-on-accent: #141416; }"
)


def test_the_widget_takes_a_dark_host_pages_colours(server, browser):
    """On a dark page that sets only the accent, the search box's text is the page's, its
    muted text and marked words readable (axe's contrast check, inside the shadow root):
    a fixed dark grey had been unreadable there."""
    page_html = (f'<!doctype html><html lang="en"><head><title>Dark host</title>'
                 f"<style>{DARK_HOST_STYLE}</style>"
                 f'<script src="{server}/widget.js" defer></script></head><body><h1>A blog</h1>'
                 '<rocksearch-search placeholder="Search"></rocksearch-search>'
                 "</body></html>")  # fmt: skip
    url, httpd = serve_host(page_html, None)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        box = page.locator("rocksearch-search input")
        box.fill("customer service")
        box.press("Enter")
        page.locator("rocksearch-search li a").first.wait_for()
        assert page.locator("rocksearch-search li mark").count() >= 1
        label = page.locator("rocksearch-search label")
        assert label.evaluate("e => getComputedStyle(e.getRootNode().host).color") == (
            "rgb(230, 230, 233)"
        )
        page.evaluate(AXE.read_text("utf-8"))
        violations = page.evaluate(
            "axe.run({runOnly: ['color-contrast']})"
            ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target)))"
        )
        assert violations == []
        context.close()
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_widget_searches_across_origins_under_a_strict_csp(server, host_site, browser):
    context = browser.new_context()
    page = context.new_page()
    problems, dialogs = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(host_site)
    box = page.locator("rocksearch-search input")  # Playwright pierces the open shadow root
    box.fill("security tricks")
    box.press("Enter")
    link = page.locator("rocksearch-search li a").first
    link.wait_for()
    # The article's title holds a script tag: it shows as text, and nothing runs.
    assert link.inner_text() == "Security <script>alert(1)</script> for small sites"
    assert link.get_attribute("href") == f"{server}/articles/script"
    assert page.locator("rocksearch-search li .snippet mark").count() >= 1
    assert page.locator("rocksearch-search [role=status]").inner_text().endswith("result")
    page.keyboard.press("Tab")  # from the box to its button, then to the first result
    page.keyboard.press("Tab")
    assert (
        page.evaluate(
            "document.querySelector('rocksearch-search').shadowRoot.activeElement.tagName"
        )
        == "A"
    )
    assert dialogs == [] and problems == []
    context.close()


def test_the_widget_shows_the_last_search_when_an_earlier_answer_comes_late(
    server, host_site, browser
):
    """A reader searches, then searches again before the first answer came (a slow
    network): the late first answer must not replace the second's results."""
    context = browser.new_context()
    held = []

    def hold_the_first(route):
        if "q=cash" in route.request.url:
            held.append(route)  # answered only later, if the widget still wants it
        else:
            route.continue_()

    context.route(f"{server}/api/search*", hold_the_first)
    page = context.new_page()
    page.goto(host_site)
    box = page.locator("rocksearch-search input")
    box.fill("cash")
    box.press("Enter")
    page.wait_for_timeout(300)
    assert len(held) == 1
    box.fill("networking")
    box.press("Enter")
    link = page.locator("rocksearch-search li a").first
    link.wait_for()
    assert link.inner_text() == "Networking without a net"
    with contextlib.suppress(Exception):  # (the widget may have cancelled it)
        held[0].continue_()
    page.wait_for_timeout(1000)
    assert page.locator("rocksearch-search li a").first.inner_text() == "Networking without a net"
    context.close()


def test_the_widget_gives_up_on_a_search_the_server_does_not_answer(server, host_site, browser):
    """A server that never answers (down behind a proxy that holds the connection): the
    box says so after ten seconds, instead of "Searching…" for ever."""
    context = browser.new_context()
    context.route(f"{server}/api/search*", lambda route: None)  # never answered
    page = context.new_page()
    page.clock.install()
    page.goto(host_site)
    box = page.locator("rocksearch-search input")
    box.fill("cash")
    box.press("Enter")
    status = page.locator("rocksearch-search [role=status]")
    assert status.inner_text() == "Searching…"
    page.clock.fast_forward(9_000)
    assert status.inner_text() == "Searching…"
    page.clock.fast_forward(2_000)
    expect(status).to_have_text("The search could not be reached; try again later.")
    context.close()


def test_the_embed_page_shows_the_widget_and_the_lines_to_copy(server, page):
    page.goto(server + "/embed")
    assert f'<script src="{server}/widget.js"' in page.locator("pre").inner_text()
    assert page.locator("rocksearch-search").count() == 1  # the live demo


def test_a_result_is_above_the_fold_on_every_kind_of_search_page(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in ("/search?q=customers", "/search?q=custmer+servise",
                 "/search?q=customers&category=Customer+Care&tag=selling",
                 "/search?q=write+this+on+a+rock", "/search?q=hell&sort=newest"):  # fmt: skip
        page.goto(server + path)
        assert page.locator(".hit").first.bounding_box()["y"] + 40 < 844, path
    context.close()


def test_an_editor_logs_in_reads_analytics_adds_a_synonym_and_the_search_changes(served, browser):
    """The editor's flow, in Chromium, through the real forms (CSRF tokens and all)."""
    server = served[0]
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/search?q=grumpy+clients")  # readers search; nothing has "grumpy"
    assert "No results for grumpy clients" in page.inner_text("main")
    page.goto(server + "/editor/analytics")
    page.wait_for_url("**/editor/login?next=/editor/analytics")
    page.get_by_label("Name").fill(EDITOR)
    page.get_by_label("Password").fill("a wrong password")
    page.get_by_role("button", name="Log in").click()
    assert "do not match" in page.get_by_role("alert").inner_text()
    page.get_by_label("Name").fill(EDITOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/editor/analytics")
    page.wait_for_timeout(1500)  # the analytics writer batches once a second
    page.reload()
    missing = page.get_by_role("region", name="Queries with no results", exact=True)
    assert "grumpy clients" in missing.inner_text()
    assert page.locator("svg.chart").count() == 1
    page.get_by_role("link", name="Synonyms").first.click()
    page.get_by_label("Rules").fill("grumpy => hell\n")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("status").inner_text() == "Saved."
    page.goto(server + "/search?q=grumpy")
    assert titles(page)[0] == "You should never have “a customer from hell”"
    page.goto(server + "/editor/")
    assert "synonyms" in page.get_by_role("region", name="Audit log").inner_text()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/editor/login")
    page.goto(server + "/editor/analytics")
    page.wait_for_url("**/editor/login**")
    context.close()
