"""The editors' console: login and CSRF, every editor route closed to readers, search
analytics, synonyms, pinned results, explain, and the audit log, on a real small index."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from editorial import accounts, analytics
from editorial.db import connect
from search.engine import search
from search.synonyms import SynonymError, parse_rules
from tests.conftest import EDITOR, PASSWORD, add_editor, index_of, log_in
from web import create_app
from web.search_context import pin_board, recorder

ARTICLES = [
    {"id": "crm", "title": "Choosing a CRM", "date": "2022-01-10",
     "body": "A crm keeps every contact in one place. Pick a crm your team will use."},
    {"id": "relationships", "title": "Customer relationship management for owners",
     "date": "2021-03-02",
     "body": "Customer relationship management is a habit before it is software."},
    {"id": "store", "title": "Online store basics", "date": "2020-06-01",
     "body": "An online store sells while you sleep, if customers can find it."},
    {"id": "ecommerce", "title": "Ecommerce taxes", "date": "2023-02-14",
     "body": "Ecommerce taxes differ by state; keep records of every sale."},
    {"id": "vendors", "title": "Pay your vendors on time", "date": "2019-09-09",
     "body": "Vendors who are paid on time give better terms."},
    {"id": "suppliers", "title": "Suppliers are partners", "date": "2018-04-04",
     "body": "Good suppliers are partners in your business, not just sellers."},
    {"id": "pricing", "title": "Pricing for profit", "date": "2017-05-05",
     "body": "Price for profit, not for volume: customers pay for value."},
]  # fmt: skip


@pytest.fixture
def index(tmp_path):
    return index_of(tmp_path, ARTICLES)


@pytest.fixture
def app(index, tmp_path):
    return create_app({"index": str(index), "synonyms": str(tmp_path / "synonyms.txt")})


@pytest.fixture
def client(app):
    return app.test_client()


def token_in(html: str) -> str:
    """The CSRF token of a page's form."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def csrf_token(client) -> str:
    return token_in(client.get("/editor/login").get_data(as_text=True))


def login(client, name=EDITOR, password=PASSWORD):
    return client.post("/editor/login", data={"name": name, "password": password,
                                              "csrf_token": csrf_token(client)})  # fmt: skip


def flush(app):
    with app.app_context():
        recorder().flush()


def ids(results) -> list[str]:
    return [h["id"] for h in results["hits"]]


# --- login, CSRF, tokens -----------------------------------------------------------------


def test_login_logout_and_a_wrong_password(client, index):
    add_editor(index)
    assert client.get("/editor/").status_code == 302
    wrong = login(client, password="not the password")
    assert wrong.status_code == 401
    assert "do not match" in wrong.get_data(as_text=True)
    unknown = login(client, name="nobody")
    assert unknown.status_code == 401
    ok = login(client)
    assert ok.status_code == 302 and ok.headers["Location"] == "/editor/"
    cookie = ok.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    home = client.get("/editor/")
    assert home.status_code == 200 and "Audit log" in home.get_data(as_text=True)
    token = token_in(home.get_data(as_text=True))
    assert client.post("/editor/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/editor/").status_code == 302  # logged out


def test_the_session_cookie_is_secure_over_https(index, tmp_path):
    add_editor(index)
    for app, base in ((create_app({"index": str(index)}), "https://search.example"),
                      (create_app({"index": str(index), "base_url": "https://s.example"}),
                       "http://127.0.0.1")):  # fmt: skip
        client = app.test_client()
        html = client.get("/editor/login", base_url=base).get_data(as_text=True)
        token = token_in(html)
        form = {"name": EDITOR, "password": PASSWORD, "csrf_token": token}
        response = client.post("/editor/login", data=form, base_url=base,
                               headers={"Referer": base + "/editor/login"})  # fmt: skip
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        assert "Secure" in response.headers["Set-Cookie"]
    plain = create_app({"index": str(index)}).test_client()
    assert "Secure" not in login(plain).headers["Set-Cookie"]


def test_login_goes_back_to_the_page_asked_for_but_never_off_the_site(client, index):
    add_editor(index)
    first = client.get("/editor/pins")
    assert first.headers["Location"] == "/editor/login?next=/editor/pins"
    token = csrf_token(client)
    form = {"name": EDITOR, "password": PASSWORD, "csrf_token": token}
    assert client.post("/editor/login?next=/editor/pins", data=form).headers["Location"] == (
        "/editor/pins"
    )
    client.post("/editor/logout", data={"csrf_token": token})
    form["csrf_token"] = csrf_token(client)  # logging out ends the session and its token
    evil = client.post("/editor/login?next=https://evil.example/", data=form)
    assert evil.headers["Location"] == "/editor/"


def test_a_missing_or_wrong_csrf_token_is_a_400(client, index):
    add_editor(index)
    form = {"name": EDITOR, "password": PASSWORD}
    assert client.post("/editor/login", data=form).status_code == 400
    csrf_token(client)  # a session with a token, then a forged one
    assert client.post("/editor/login", data={**form, "csrf_token": "forged"}).status_code == 400
    assert login(client).status_code == 302
    before = without_tokens(client.get("/editor/synonyms").get_data(as_text=True))
    assert client.post("/editor/synonyms", data={"rules": "a, b"}).status_code == 400
    assert without_tokens(client.get("/editor/synonyms").get_data(as_text=True)) == before


def without_tokens(html: str) -> str:
    """A page with its forms' CSRF tokens blanked: a token carries the second it was
    signed in, so two renderings of one page a second apart differ there only."""
    assert 'name="csrf_token" value="' in html
    return re.sub(r'(name="csrf_token" value=")[^"]+"', r'\1"', html)


def test_login_attempts_are_rate_limited(client, index):
    add_editor(index)
    statuses = [login(client, password="guess number one").status_code for _ in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    assert login(client).status_code == 429  # even the right password, until the minute ends


def test_the_login_page_with_the_rate_limiter_turned_off(index):
    """RATELIMIT_ENABLED off (a deployment whose proxy limits): the limiter that wraps
    the login view is still there when a request comes (it was collected: a 500)."""
    import gc

    client = create_app({"index": str(index), "RATELIMIT_ENABLED": False}).test_client()
    gc.collect()
    assert client.get("/editor/login").status_code == 200
    add_editor(index)
    assert login(client).status_code == 302


def test_every_editor_route_refuses_a_reader(app, client, index):
    """Walks the URL map: no route under /editor/ or /api/editor/ can be added later and
    left open. A reader's POST carries a valid CSRF token, so what refuses it is the
    editor check, not the token check."""
    add_editor(index)
    token = csrf_token(client)
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/editor", "/api/editor")) or rule.endpoint == "editor.login":
            continue
        url = re.sub(r"<[^>]+>", "x", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"csrf_token": token})
            if rule.rule.startswith("/api/editor"):
                assert response.status_code == 401, (method, url)
                assert response.get_json()["ok"] is False
            elif method == "GET":
                assert response.status_code == 302, (method, url)
                assert response.headers["Location"].startswith("/editor/login")
            else:
                assert response.status_code == 401, (method, url)
            checked += 1
    assert checked >= 12
    # and a forged session cookie (signed with another key) counts for nothing
    other = create_app({"index": str(index), "secret_key": "another key"})
    forged = other.session_interface.get_signing_serializer(other).dumps({"editor": EDITOR})
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], forged)
    assert client.get("/editor/").status_code == 302


def test_programs_use_a_bearer_token(client, index):
    add_editor(index)
    conn = connect(index / "editorial.sqlite3")
    token = accounts.new_token(conn, EDITOR)
    stored = conn.execute("SELECT token_hash FROM tokens").fetchone()[0]
    assert token not in stored  # only its hash is kept
    hashed = conn.execute("SELECT password_hash FROM editors").fetchone()[0]
    assert hashed.startswith("scrypt:") and PASSWORD not in hashed
    conn.close()
    good = client.get("/api/editor/analytics/top", headers={"Authorization": f"Bearer {token}"})
    assert good.status_code == 200 and good.get_json()["ok"] is True
    bad = client.get("/api/editor/analytics/top", headers={"Authorization": "Bearer rse_nope"})
    assert bad.status_code == 401 and "Bearer" in bad.headers["WWW-Authenticate"]


def test_the_cli_adds_editors_and_tokens(tmp_path, index, cli_command):
    import subprocess

    def run(*args, stdin=""):
        return subprocess.run([*cli_command, "editor", *args, "--index", str(index)],
                              input=stdin, capture_output=True, text=True)  # fmt: skip

    assert run("add", "ann", "--password-stdin", stdin="short\n").returncode == 2
    # Without a terminal and without --password-stdin (a script, a container): one
    # sentence saying what to do, not getpass's echo warning and an EOFError traceback.
    asked = run("add", "ann", stdin="a sturdy passphrase\n")
    assert asked.returncode == 2 and "Traceback" not in asked.stderr
    said = "there is no terminal to ask for the password on; give it on standard input"
    assert asked.stderr.strip() == f"rocksearch: {said} with --password-stdin"
    added = run("add", "ann", "--password-stdin", stdin="a sturdy passphrase\n")
    assert added.returncode == 0 and "added" in added.stdout
    token = run("token", "ann").stdout.strip()
    assert token.startswith("rse_")
    assert run("token", "bob").stderr.startswith("rocksearch: no editor is called 'bob'")
    client = create_app({"index": str(index)}).test_client()
    assert login(client, "ann", "a sturdy passphrase").status_code == 302
    answer = client.get("/api/editor/duplicates", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200


# --- analytics -----------------------------------------------------------------------------


def test_searches_and_clicks_are_counted(app, client, index):
    for q in ["CRM", "crm ", "crm", "online store", "zzzzqqq", "zzzzqqq"]:
        assert client.get("/search", query_string={"q": q}).status_code == 200
    assert client.get("/api/search?q=crm").status_code == 200
    assert client.get("/search?q=crm&page=2").status_code == 200  # paging is not a new search
    html = client.get("/search?q=online+store").get_data(as_text=True)
    link = (
        re.search(r'href="(/go/[^"#]+)[^"]*" rel="nofollow"', html).group(1).replace("&amp;", "&")
    )
    assert "rank=1" in link
    went = client.get(link)
    assert went.status_code == 302 and went.headers["Location"].startswith("/articles/store")
    flush(app)
    conn = connect(index / "editorial.sqlite3")
    top = {r["query"]: r for r in analytics.top_queries(conn)}
    assert top["crm"]["searches"] == 4  # three spellings, one query; site and API
    assert top["online store"]["searches"] == 2 and top["online store"]["clicks"] == 1
    assert [r["query"] for r in analytics.no_results(conn)] == ["zzzzqqq"]
    assert analytics.no_results(conn)[0]["no_results"] == 2
    assert "crm" in [r["query"] for r in analytics.no_clicks(conn)]
    assert analytics.clicks_by_rank(conn) == [{"rank": 1, "clicks": 1}]
    today = analytics.per_day(conn, 7)[-1]
    assert today["searches"] == 8 and today["no_results"] == 2 and today["clicks"] == 1
    sources = dict(conn.execute("SELECT source, count(*) FROM searches GROUP BY source").fetchall())
    assert sources == {"site": 8, "api": 1}
    # Nothing that identifies a reader is stored.
    columns = {
        r[1] for t in ("searches", "clicks") for r in conn.execute(f"PRAGMA table_info({t})")
    }
    assert not columns & {"ip", "address", "user_agent", "agent", "cookie", "session"}
    conn.close()
    assert b"127.0.0.1" not in (index / "editorial.sqlite3").read_bytes()


def test_analytics_pages_csv_json_and_no_result_suggestions(app, client, index):
    log_in(client, index)
    client.get("/search?q=custmer+relationshp")  # typos: found, corrected
    client.get("/search?q=zzyzx+qqqxq")  # found nothing
    client.get("/search?category=Customer+Care")  # a category browsed: no words
    page = client.get("/search?q=affiliate+program").get_data(as_text=True)  # nothing
    assert 'name="reworded" value="affiliate program"' in page
    reworded = client.get("/search?q=suppliers&reworded=affiliate+program").get_data(as_text=True)
    link = re.search(r'href="(/go/[^"#]+)', reworded).group(1).replace("&amp;", "&")
    client.get(link)
    flush(app)
    html = client.get("/editor/analytics").get_data(as_text=True)
    assert "<svg" in html and "Searches per day" in html
    assert "Queries with no results" in html
    assert "affiliate program =&gt; suppliers" in html  # the synonym candidate
    assert "zzyzx qqqxq" in html and "Nothing close: a new article?" in html
    # (A search with no words is said so, not an empty link: axe's link-name.)
    assert "<td>(no words: a category, tag or date chosen)</td>" in html
    assert 'href="/editor/search?q="' not in html
    csv = client.get("/editor/analytics/no-results.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].startswith("query,searches,no_results")
    assert any(line.startswith("affiliate program,1,1") for line in lines)
    data = client.get("/api/editor/analytics/per-day").get_json()
    assert data["rows"][-1]["searches"] == 5
    assert client.get("/api/editor/analytics/nope").status_code == 404
    # A query a reader typed that a spreadsheet would run as a formula is exported as
    # text (OWASP's "CSV injection"); the JSON report keeps it as typed.
    client.get("/search", query_string={"q": "=cmd|' /C calc'!A0"})
    client.get("/search", query_string={"q": "-hell"})
    flush(app)
    top = client.get("/editor/analytics/top.csv").get_data(as_text=True).splitlines()
    assert any(line.startswith("'=cmd|' /c calc'!a0,1,") for line in top)
    assert any(line.startswith("'-hell,1,") for line in top)
    assert not any(line.startswith(("=", "-", "+", "@")) for line in top)
    queries = [row["query"] for row in client.get("/api/editor/analytics/top").get_json()["rows"]]
    assert "=cmd|' /c calc'!a0" in queries
    conn = connect(index / "editorial.sqlite3")
    from editorial.suggestions import fixes_for

    assert fixes_for(str(index), conn, "pricng")["typo"] == "pricing"
    closest = fixes_for(str(index), conn, "pricing tips for profits")["titles"]
    assert closest[0]["title"] == "Pricing for profit"
    conn.close()


def test_crawlers_searches_and_clicks_are_not_recorded(app, client, index):
    """A crawler follows the site's category and tag links, each a search: a User-Agent
    that names a bot, crawler or spider is not counted as a reader."""
    googlebot = {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; "
                               "+http://www.google.com/bot.html)"}  # fmt: skip
    for agent in (
        googlebot,
        {"User-Agent": "Mozilla/5.0 (compatible; AhrefsBot/7.0)"},
        {"User-Agent": "Baiduspider+(+http://www.baidu.com/search/spider.htm)"},
    ):
        assert client.get("/search?q=crm", headers=agent).status_code == 200
        assert client.get("/api/search?q=crm", headers=agent).status_code == 200
        assert client.get("/go/crm?q=crm&rank=1", headers=agent).status_code == 302
    reader = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
                            "AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"}  # fmt: skip
    client.get("/search?q=relationships", headers=reader)
    client.get("/go/crm?q=relationships&rank=1", headers=reader)
    flush(app)
    conn = connect(index / "editorial.sqlite3")
    assert [r[0] for r in conn.execute("SELECT query FROM searches")] == ["relationships"]
    assert conn.execute("SELECT count(*) FROM clicks").fetchone()[0] == 1
    conn.close()
    # (and robots.txt keeps crawlers off the result links, the API and the editors' pages)
    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain"
    assert robots.get_data(as_text=True).splitlines() == [
        "User-agent: *",
        "Disallow: /go/",
        "Disallow: /api/",
        "Disallow: /editor/",
    ]


def test_analytics_can_be_switched_off(index, tmp_path):
    app = create_app({"index": str(index), "analytics": False})
    client = app.test_client()
    html = client.get("/search?q=crm").get_data(as_text=True)
    assert "/go/" not in html and "/articles/crm?q=crm" in html
    flush(app)
    conn = connect(index / "editorial.sqlite3")
    assert conn.execute("SELECT count(*) FROM searches").fetchone()[0] == 0
    conn.close()


def test_old_analytics_are_purged_from_events_and_totals(tmp_path):
    conn = connect(tmp_path / "a.sqlite3")
    now = datetime.now(UTC)
    old = now - timedelta(days=100)
    analytics.write_events(conn, [
        ("search", old, "crm", "{}", 3, 1, 1.0, "site", 0),
        ("search", old, "gone", "{}", 0, 1, 1.0, "site", 0),
        ("click", old, "crm", "crm", 1, ""),
        ("search", now, "crm", "{}", 3, 1, 1.0, "api", 0),
    ])  # fmt: skip
    assert analytics.top_queries(conn)[0]["searches"] == 2
    assert analytics.purge(conn, 90) == 2
    top = analytics.top_queries(conn)
    assert [(r["query"], r["searches"], r["clicks"]) for r in top] == [("crm", 1, 0)]
    assert analytics.no_results(conn) == []
    assert sum(r["searches"] for r in analytics.per_day(conn, 200)) == 1
    assert analytics.clicks_by_rank(conn) == []


# --- synonyms --------------------------------------------------------------------------------

RULES = """# test rules
crm, customer relationship management
ecommerce => online store
venders => suppliers
"""


def save_rules(client, text: str):
    html = client.get("/editor/synonyms").get_data(as_text=True)
    token = token_in(html)
    return client.post("/editor/synonyms", data={"rules": text, "csrf_token": token})


def api(client, q: str) -> dict:
    return client.get("/api/search", query_string={"q": q}).get_json()


def test_synonyms_change_results_as_written(client, index, tmp_path):
    before = api(client, "crm")
    assert ids(before) == ["crm"]
    log_in(client, index)
    assert save_rules(client, RULES).status_code == 302
    assert (tmp_path / "synonyms.txt").read_text() == RULES  # a plain, versionable file
    both = api(client, "crm")
    assert ids(both) == ["crm", "relationships"]  # the word typed ranks above its synonym
    assert both["parsed"] == '(crm OR "customer relationship management")'
    assert both["synonyms"] == [{"from": "crm", "to": ["customer relationship management"]}]
    back = api(client, "customer relationship management")
    assert ids(back)[:2] == ["relationships", "crm"]  # multi-word, both ways
    one_way = api(client, "ecommerce")
    assert ids(one_way) == ["ecommerce", "store"]
    assert ids(api(client, "online store")) == ["store"]  # not the other way
    # A word a rule names is never "corrected" (without the rule, venders -> vendors).
    kept = api(client, "venders")
    assert kept["corrections"] == [] and ids(kept) == ["suppliers"]
    (tmp_path / "synonyms.txt").write_text("")
    assert api(client, "venders")["corrections"][0]["to"] == "vendors"


def test_a_bad_rule_is_refused_and_the_file_kept(client, index, tmp_path):
    log_in(client, index)
    save_rules(client, RULES)
    bad = save_rules(client, "crm, customer relationship management\njust one word\n")
    assert bad.status_code == 400
    assert "synonyms.txt line 2" in bad.get_data(as_text=True)
    assert (tmp_path / "synonyms.txt").read_text() == RULES
    with pytest.raises(SynonymError, match="line 1: more than one"):
        parse_rules("a => b => c")
    # A post without the field (a script's, not the page's) is refused: it emptied the file.
    token = token_in(client.get("/editor/synonyms").get_data(as_text=True))
    assert client.post("/editor/synonyms", data={"csrf_token": token}).status_code == 400
    assert (tmp_path / "synonyms.txt").read_text() == RULES


def test_synonyms_and_pins_survive_a_reindex(client, index, tmp_path):
    from indexer.build import build_index
    from tests.conftest import write_jsonl

    log_in(client, index)
    save_rules(client, RULES)
    conn = connect(index / "editorial.sqlite3")
    from editorial import pins

    pins.set_pins(conn, "crm", ["pricing"], [])
    conn.close()
    new = {"id": "new", "title": "A new post on crm", "date": "2024-01-01", "body": "crm again"}
    write_jsonl(tmp_path / "articles.jsonl", [*ARTICLES, new])
    build_index(tmp_path / "articles.jsonl", index)
    fresh = create_app({"index": str(index), "synonyms": str(tmp_path / "synonyms.txt")})
    found = api(fresh.test_client(), "crm")
    assert ids(found)[0] == "pricing" and found["hits"][0]["pinned"] is True
    assert "relationships" in ids(found) and "new" in ids(found)


# --- pins --------------------------------------------------------------------------------------


def pin(client, **form):
    html = client.get("/editor/pins").get_data(as_text=True)
    token = token_in(html)
    return client.post("/editor/pins", data={**form, "csrf_token": token})


def test_pinned_first_in_order_hidden_left_out_and_expiry(app, client, index):
    log_in(client, index)
    unpinned = ids(api(client, "customers"))
    assert unpinned[:2] != ["relationships", "store"]  # (so the pins below change it)
    another = ids(api(client, "customers care"))
    pinned = pin(client, query="Customers ", top="relationships\nstore", hide="crm")
    assert pinned.status_code == 302
    found = api(client, "customers")
    assert ids(found)[:2] == ["relationships", "store"]
    assert [h["pinned"] for h in found["hits"][:3]] == [True, True, False]
    assert "crm" not in ids(found)
    assert ids(api(client, "customers care")) == another  # another query: no pins
    # A pinned article that a filter excludes is not shown.
    filtered = client.get("/api/search?q=customers&year=2020").get_json()
    assert ids(filtered) == ["store"]
    # page 2 continues after the pinned ones
    page2 = client.get("/api/search?q=customers&per_page=1&page=2").get_json()
    assert ids(page2) == ["store"]
    bad = pin(client, query="x", top="no-such-article")
    assert bad.status_code == 400 and "no-such-article" in bad.get_data(as_text=True)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    # A pin that would expire before it is set is refused (it was saved, listed, and
    # did nothing).
    refused = pin(client, query="customers", top="relationships", expires=yesterday)
    assert refused.status_code == 400 and "in the past" in refused.get_data(as_text=True)
    # Once its last day has passed, a pin applies no more and is listed as expired.
    conn = connect(index / "editorial.sqlite3")
    with conn:
        conn.execute("UPDATE pins SET expires = ? WHERE query = 'customers'", (yesterday,))
    conn.close()
    with app.app_context():
        pin_board().invalidate()
    assert ids(api(client, "customers")) == unpinned
    assert not any(h["pinned"] for h in api(client, "customers")["hits"])
    assert "(expired)" in client.get("/editor/pins").get_data(as_text=True)
    pin(client, query="customers", action="remove")
    assert "Nothing is pinned" in client.get("/editor/pins").get_data(as_text=True)


# --- explain -----------------------------------------------------------------------------------

EXPLAINED = ["crm", "customer relationship management", "ecommerce taxes", "cust*",
             '"online store"', "zebra customers", "venders", "pricing profit customers",
             "customers pay for value", "title:customers pay", "title:cust*"]  # fmt: skip


def test_explain_parts_add_up_to_the_score(client, index, tmp_path):
    (tmp_path / "synonyms.txt").write_text(RULES)
    add_editor(index)
    conn = connect(index / "editorial.sqlite3")
    token = accounts.new_token(conn, EDITOR)
    conn.close()
    seen = set()
    for q in EXPLAINED:
        data = client.get("/api/search", query_string={"q": q, "explain": "true"},
                          headers={"Authorization": f"Bearer {token}"}).get_json()  # fmt: skip
        assert data["hits"], q
        for hit in data["hits"]:
            explain = hit["explain"]
            assert explain["sum"] == pytest.approx(hit["score"], abs=0.01), (q, hit["id"], explain)
            seen |= {p["kind"] for p in explain["parts"]}
            seen |= {"synonym" for p in explain["parts"] if p.get("synonym")}
            seen |= {p["field"] for p in explain["parts"] if "field" in p}
    assert {"word", "phrase", "coordination", "bonus", "synonym", "title", "body"} <= seen
    plain = client.get("/api/search?q=crm").get_json()
    assert "explain" not in plain["hits"][0]


def test_the_editor_search_page_shows_the_parts(client, index):
    log_in(client, index)
    html = client.get("/editor/search?q=customer+relationship+management").get_data(as_text=True)
    assert "Sum" in html and "phrase" in html and "Customer relationship management" in html
    # a word's two parts told apart: by its stem and by the form typed
    assert "“customer” by its stem “custom”" in html and "“customer” as typed" in html


# --- audit ---------------------------------------------------------------------------------------


def test_every_change_is_in_the_audit_log(client, index):
    log_in(client, index)
    save_rules(client, RULES)
    pin(client, query="crm", top="pricing")
    pin(client, query="crm", action="remove")
    html = client.get("/editor/").get_data(as_text=True)
    for action in ("synonyms", "pin", "unpin"):
        assert f"<td>{action}</td>" in html
    conn = connect(index / "editorial.sqlite3")
    rows = conn.execute("SELECT editor, action FROM audit ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [(EDITOR, "synonyms"), (EDITOR, "pin"), (EDITOR, "unpin")]
    conn.close()


def test_the_library_search_takes_synonyms_and_pins(index):
    rules = parse_rules(RULES)
    found = search(index, "crm", synonyms=rules, pins={"top": ["vendors"], "hide": ["crm"]})
    assert [h["id"] for h in found.hits] == ["vendors", "relationships"]
    assert found.total == 2
    # The facets count what is shown: the pinned post, not the hidden one.
    assert list(found.facets["year"].items()) == [("2021", 1), ("2019", 1)]
    assert found.facets["kind"] == {"article": 2}


def test_the_facets_leave_out_hidden_posts(index):
    """A post an editor hid for a query is not counted in any facet (it was, in a facet
    counted from the mask of the query's matches: "kind" said 3 where 2 were shown)."""
    found = search(index, "customers", pins={"hide": ["store"]})
    assert {h["id"] for h in found.hits} == {"relationships", "pricing"}
    assert found.facets["kind"] == {"article": 2}
    assert list(found.facets["year"].items()) == [("2021", 1), ("2017", 1)]


def test_the_database_is_in_wal_mode(app, index, client):
    client.get("/search?q=crm")
    flush(app)  # the search's event, written within a second (now)
    conn = sqlite3.connect(index / "editorial.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def _first_connection(path, start, failures) -> None:
    from editorial import audit

    start.wait()
    try:
        conn = connect(path)
        audit.record(conn, "e", "test", "concurrent")
        conn.close()
    except Exception as exc:  # noqa: BLE001 - reported to the test
        failures.put(repr(exc))


def first_connections(folder: str, rounds: int = 30, workers: int = 8) -> list[str]:
    """`rounds` times, `workers` forked processes open one new database at once; gives
    the failures, and an entry for any round whose audit log lacks a row."""
    import multiprocessing
    from pathlib import Path

    context = multiprocessing.get_context("fork")  # forked as gunicorn forks its workers
    failures = context.Queue()
    found = []
    for round_ in range(rounds):
        path = Path(folder) / f"new-{round_}.sqlite3"
        start = context.Barrier(workers)
        procs = [context.Process(target=_first_connection, args=(path, start, failures))
                 for _ in range(workers)]  # fmt: skip
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(timeout=60)
        conn = connect(path)
        rows = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        conn.close()
        if rows != workers:
            found.append(f"round {round_}: {rows} rows")
    while not failures.empty():
        found.append(failures.get())
    return found


def test_many_first_connections_to_a_new_database_do_not_fail(tmp_path):
    """Two workers (or a request and the analytics thread) may open a database that does
    not exist yet at the same moment: none may fail with "database is locked" (switching
    a new database to WAL is refused at once while another process holds it; before
    connect() retried that, 6 of 320 such openings failed here).

    The forks run in a process of their own, as gunicorn forks its workers from a master
    with no other threads: forked from the test process, which runs the analytics and
    warm-up threads of earlier tests, a child once waited for a lock forever."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    code = ("import json, sys; from tests.test_editor import first_connections; "
            "print(json.dumps(first_connections(sys.argv[1])))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                          text=True, timeout=300, cwd=Path(__file__).parents[1])  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
