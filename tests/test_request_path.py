"""What every API request does, done cheaply, stays right: the generation in use is
known without reading CURRENT, the rate limit's headers come from the request's own
count, readers get no cookie signer, and orjson writes the JSON Flask would."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import json
import subprocess
import sys
import uuid

import numpy as np
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

import search.state
from search.state import get_state
from tests.conftest import ARTICLES, ROOT, index_of, write_jsonl
from web import create_app


def test_the_state_in_use_is_known_without_reading_current_until_it_changes(tmp_path, monkeypatch):
    index = index_of(tmp_path, ARTICLES)
    reads = []
    read = search.state.read_pointer
    monkeypatch.setattr(search.state, "read_pointer", lambda d: reads.append(d) or read(d))
    first = get_state(index, wait=True)
    reads.clear()
    assert all(get_state(index) is first for _ in range(5))
    assert reads == []  # a stat of CURRENT said it had not changed
    index_of(tmp_path, ARTICLES[:1])  # publishes: CURRENT is replaced
    second = get_state(index, wait=True)
    assert second is not first and second.reader.doc_count() == 1 and reads
    reads.clear()
    assert get_state(index) is second and reads == []


def test_the_rate_limit_headers_count_every_workers_requests(tmp_path):
    index_of(tmp_path, ARTICLES)
    config = {"index": str(tmp_path / "index"), "rate_limit": "5/minute", "TESTING": True}
    # Two apps on one counter file: two workers of one server.
    workers = [create_app(config).test_client() for _ in range(2)]
    seen = []
    for n in range(6):
        response = workers[n % 2].get(f"/api/search?q=cash&n={n}")
        seen.append((response.status_code, response.headers.get("X-RateLimit-Remaining")))
    assert seen[:5] == [(200, str(left)) for left in (4, 3, 2, 1, 0)]
    assert seen[5][0] == 429
    reset = int(response.headers["X-RateLimit-Reset"])
    assert 0 < reset - datetime.datetime.now().timestamp() <= 61


def test_a_reader_without_a_cookie_gets_an_empty_session_and_sets_none(tmp_path):
    index_of(tmp_path, ARTICLES)
    client = create_app({"index": str(tmp_path / "index"), "TESTING": True}).test_client()
    response = client.get("/api/search?q=cash")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    response = client.get("/?q=cash")
    assert response.status_code == 200 and "rocksearch_editor" not in str(
        response.headers.get("Set-Cookie")
    )


@dataclasses.dataclass
class Point:
    x: int
    label: str


def test_orjson_writes_what_flasks_own_json_wrote(tmp_path):
    index_of(tmp_path, ARTICLES)
    app = create_app({"index": str(tmp_path / "index"), "TESTING": False})
    before = DefaultJSONProvider(app)
    before.ensure_ascii, before.sort_keys = False, False
    value = {
        "text": "Write this on a rock … “quoted” — 日本",
        "when": datetime.datetime(2021, 5, 4, 12, 30, tzinfo=datetime.UTC),
        "day": datetime.date(2021, 5, 4),
        "money": decimal.Decimal("1.10"),
        "id": uuid.UUID(int=7),
        "point": Point(1, "a"),
        "markup": Markup("<b>rock</b>"),
        "score": np.float64(1.25),
        "count": 3,
        "numbers": [0.1, 12345678901234, -0.0, 2.0, True, None],
        "z": {"b": 1, "a": 2},
        2: "an integer key",
    }
    with app.app_context():
        assert app.json.response(value).get_data() == before.response(value).get_data()
        # Exponents are written the shortest way (1e-7, not 1e-07): the same numbers.
        tiny = {"scores": [1e-7, 1e20, 3.5e-300]}
        assert json.loads(app.json.response(tiny).get_data()) == tiny
        huge = {"n": 10**30}  # past orjson's 64 bits: written by json, as before
        assert app.json.response(huge).get_data() == before.response(huge).get_data()
        assert app.json.response(value).mimetype == "application/json"


def test_a_worker_warmed_up_has_the_stemmer_before_its_first_typo(tmp_path):
    """NLTK is imported when a word no vocabulary has is first stemmed: in a server
    that is a reader's typo, held up 0.13-0.3 s, unless the worker's warm-up did it."""
    from indexer.build import build_index
    from search.prepare import prepare_generation

    # Built as `rocksearch index` builds: the generation keeps its words' stems, so
    # loading it needs no stemmer.
    corpus = write_jsonl(tmp_path / "articles.jsonl", ARTICLES)
    index = tmp_path / "index"
    build_index(corpus, index, before_publish=prepare_generation)
    script = (
        "import sys\n"
        "from web import create_app\n"
        "from web.server import warm_up\n"
        f"app = create_app({{'index': {str(index)!r}}})\n"
        "before = 'nltk.stem.snowball' in sys.modules\n"
        "warm_up(app)\n"
        "from indexer.analysis import STEMS\n"
        "print(before, STEMS._stem is not None)\n"
    )
    assert printed_by(script) == ["False", "True"]


def test_the_servers_master_loads_the_stemmer_for_its_workers_to_share():
    """`rocksearch serve` imports NLTK's stemmer in gunicorn's master before it forks the
    workers (`preload`), and freezes the collector's objects so a worker's collections
    do not copy their pages: imported by each worker, it was 15 MB of each one's memory."""
    script = (
        "import gc, sys\n"
        "from web.server import preload\n"
        "before = 'nltk.stem.snowball' in sys.modules\n"
        "preload()\n"
        "from indexer.analysis import STEMS\n"
        "print(before, STEMS._stem is not None, gc.get_freeze_count() > 0)\n"
    )
    assert printed_by(script) == ["False", "True", "True"]


def printed_by(script: str) -> list[str]:
    """The words `script` prints, run in a fresh interpreter (what it imports is its own)."""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.split()
