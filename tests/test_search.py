"""The search function on a small real index built from literal articles."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import time
from html import escape
from itertools import accumulate

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.articles import get_article
from search.engine import SearchError, list_maxims, search
from search.matching import PARTIAL_MATCH
from search.numbers import other_spellings
from search.state import get_state
from search.typed_dates import relative_period, typed_dates
from tests.conftest import index_of

BIO = "Jim Blasingame is the author of the award-winning book, The Age of the Customer."
ARTICLES = [
    {"id": "hell", "title": "You should never have “a customer from hell”",
     "date": "2014-05-01", "categories": ["Customer Care"], "tags": ["customers", "selling"],
     "body": "“This is one of those customers from hell,” a small business owner told me.\n\n"
             "Charge difficult customers for their behavior, and they will still come back.\n\n"
             f"Write this on a rock … You should never have a customer from hell.\n\n{BIO}",
     "maxim": "You should never have a customer from hell."},
    {"id": "thanks", "title": "“Thank you” is golden, “No problem” is a problem",
     "date": "2015-02-10", "categories": ["Customer Care", "Communication"],
     "tags": ["customers"],
     "body": "When employees say no problem instead of you’re welcome, customers notice.\n\n"
             "Write this on a rock… In The Age of the Customer, “Thank you” is golden, "
             f"“No problem” is a problem.\n\n{BIO}",
     "maxim": "In The Age of the Customer, “Thank you” is golden, “No problem” is a problem."},
    {"id": "cash", "title": "Cash flow is the oxygen of a small business", "date": "2019-11-20",
     "categories": ["Cash Flow"], "tags": ["cash flow", "banking"],
     "body": "Profit is an opinion, cash is a fact. Watch your receivables every week.\n\n"
             f"Bankers lend to businesses that understand their cash flow.\n\n{BIO}"},
    {"id": "service", "title": "Celebrate National Customer Service Week", "date": "2013-10-07",
     "categories": ["Customer Care"], "tags": ["customer service"],
     "body": "Photo courtesy of Lifecare\n\nThis week is National Customer Service Week, a "
             "good moment to thank the people who serve your customers every day.\n\n"
             "Customer service excellence is judged by customers, not by us."},
    {"id": "relevance", "title": "Relevance is the customer’s new prime expectation",
     "date": "2016-03-01", "categories": ["The Age of the Customer"], "tags": ["relevance"],
     "body": "The original prime expectation was competitiveness.\n\nWrite this on a rock … "
             "The original prime expectation was competitiveness. The new one is relevance.",
     "maxim": "The original prime expectation was competitiveness. The new one is relevance."},
    {"id": "scattered", "title": "Notes from the road", "date": "2012-06-01",
     "categories": ["Futuring"], "tags": [],
     "body": "On a road trip I met an owner of a rock quarry. Write your plans down, he said; "
             "this is how you keep them. Never lose sight of the customer."},
    {"id": "script", "title": "Security <script>alert(1)</script> for small sites",
     "date": None, "categories": ["Technology / General"], "tags": ["security"],
     "body": "Never trust input: <script>alert('x')</script> & other tricks hurt customers."},
    {"id": "undated", "title": "Networking without a net", "date": None,
     "categories": ["Networking"], "tags": ["networking"],
     "body": "Meet people before you need them; a referral is worth ten cold calls."},
    {"id": "video", "title": "VIDEO: Differentiating between users and customers",
     "date": "2020-01-15", "categories": ["The Age of the Customer"], "tags": ["customers"],
     "kind": "video",
     "body": "Understanding the difference between users and customers is vital for the growth "
             "of your small business."},
    {"id": "franchise", "title": "Franchising: buying a system, not a business",
     "date": "2018-08-08", "categories": ["Franchising / Licensing"], "tags": ["franchising"],
     "body": "A franchise sells you a proven system. Read the disclosure document twice."},
]  # fmt: skip


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_of(tmp_path_factory.mktemp("search"), ARTICLES)


def ids(results) -> list[str]:
    return [h["id"] for h in results.hits]


# --- ranking ---------------------------------------------------------------------------

NAVIGATIONAL = [
    ("You should never have a customer from hell", "hell"),
    ('You should never have "a customer from hell"', "hell"),
    ("you should never have a customer from hell!", "hell"),
    ("Thank you is golden, No problem is a problem", "thanks"),
    ("“Thank you” is golden — “No problem” is a problem…", "thanks"),
    ("Write this on a rock … The original prime expectation was competitiveness.", "relevance"),
    ("The original prime expectation was competitiveness. The new one is relevance.", "relevance"),
    ("Relevance is the customers new prime expectation", "relevance"),
    ("cash flow is the oxygen of a small business", "cash"),
    ("Franchising — buying a system, not a business", "franchise"),
    ("celebrate national customer service week", "service"),
    ("differentiating between users and customers", "video"),
]


@pytest.mark.parametrize(("query", "expected"), NAVIGATIONAL)
def test_titles_and_pasted_maxims_rank_their_post_first(index, query, expected):
    assert ids(search(index, query))[0] == expected


# Judged queries: the relevant ids for each; MRR over them must not fall below the floor.
JUDGED = [
    ("oxygen", {"cash"}),
    ("receivables", {"cash"}),
    ("bankers", {"cash"}),
    ("difficult customers", {"hell"}),
    ("franchise disclosure", {"franchise"}),
    ("referral", {"undated"}),
    ("prime expectation", {"relevance"}),
    ("customer service excellence", {"service"}),
    ("users customers", {"video"}),
    ("welcome", {"thanks"}),
]
MRR_FLOOR = 1.0  # every judged query has its answer first today; lower it only with a reason


def test_mrr_floor_on_judged_queries(index):
    reciprocal = []
    for query, relevant in JUDGED:
        found = ids(search(index, query))
        rank = next((i for i, d in enumerate(found, 1) if d in relevant), None)
        reciprocal.append(1 / rank if rank else 0)
    assert sum(reciprocal) / len(reciprocal) >= MRR_FLOOR


def test_phrase_as_typed_ranks_above_scattered_words(index):
    found = ids(search(index, "never have a customer"))
    assert found.index("hell") < found.index("scattered")


def test_a_title_holding_the_query_as_a_phrase_is_lifted_from_far_down(tmp_path):
    """Sixty long posts say "Brazil" and "bank" often and outscore, by BM25F, the short
    post titled "Brazil bank strike continues"; the phrase in its title still lifts it
    to the first page (it used to be looked at only within the BM25F top 50)."""
    posts = [{"id": f"long{n}", "title": f"Credit report {n}",
              "body": "Brazil and its bank creditors met again on the strike. " * 12
                      + f"Round {n}."}
             for n in range(60)]  # fmt: skip
    posts.append({"id": "strike", "title": "Brazil bank strike continues",
                  "body": "Employees stayed out for a third week over pay."})  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "brazil bank", collapse=False)
    assert found.total == 61
    assert "strike" in ids(found)[:10]
    second = search(index, "brazil bank", page=2, collapse=False)
    assert "strike" not in ids(second) and len(set(ids(found)) | set(ids(second))) == 20
    # Every content word in the title, not as a phrase, lifts it by a quarter: looked at
    # though 60 posts outscore it (it stays last here, where they say "strike" 12 times).
    apart = search(index, "brazil strike", collapse=False, explain=True, per_page=100)
    assert apart.total == 61
    hit = apart.hits[ids(apart).index("strike")]
    parts = hit["explain"]["parts"]
    words = sum(p["value"] for p in parts if p["kind"] == "word")
    assert [(p["what"], round(p["value"] / words, 3)) for p in parts if p["kind"] == "bonus"] \
        == [("words in title", 0.25)]  # fmt: skip


# --- typos and word forms ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "clean"),
    [("custmer servise", "customer service"), ("recievables", "receivables"),
     ("franchsing", "franchising"), ("cutsomers from hell", "customers from hell"),
     ("diferentiating", "differentiating")],
)  # fmt: skip
def test_typos_find_what_the_clean_query_finds(index, typo, clean):
    fixed, expected = search(index, typo), search(index, clean)
    assert ids(fixed) == ids(expected) and expected.total > 0
    assert fixed.corrections and fixed.did_you_mean == clean


def test_a_word_the_collection_has_is_never_corrected_and_short_words_once(index):
    assert search(index, "oxygen").corrections == []
    # From 4 letters, one typo (as Typesense allows), never in the first letter.
    assert search(index, "cahs").corrections == [{"from": "cahs", "to": "cash"}]
    assert search(index, "cahs").total == search(index, "cash").total > 0
    assert search(index, "xash").corrections == []
    assert search(index, "csh").corrections == []  # 3 letters: none


def test_a_correction_is_chosen_by_the_query_s_other_words(tmp_path):
    """Both one edit from "foors": "foods" is the more frequent, but only "floors" is in
    a document with "royster"; the correction says what it was chosen over."""
    posts = [{"id": f"food{n}", "title": f"Foods {n}", "body": "Foods of the season."}
             for n in range(4)]  # fmt: skip
    posts.append({"id": "floors", "title": "Royster floors", "body": "The royster floors."})
    index = index_of(tmp_path, posts)
    assert search(index, "foors").corrections == [{"from": "foors", "to": "foods"}]
    together = search(index, "foors royster")
    assert together.corrections == [{"from": "foors", "to": "floors", "over": ["foods"]}]
    assert ids(together) == ["floors"] and together.did_you_mean == "floors royster"


def test_plurals_and_word_forms_match_through_stemming(index):
    assert "cash" in ids(search(index, "banker"))
    assert "franchise" in ids(search(index, "franchises"))


def test_transposition_counts_as_one_typo(index):
    assert search(index, "oxgyen").corrections == [{"from": "oxgyen", "to": "oxygen"}]


def test_a_word_of_eight_letters_gets_a_second_typo_where_one_finds_nothing(index):
    """ "costumer", the commonest misspelling of "customer", is two edits from it (its
    "o" and "u" swapped apart): it found nothing, or "cost user" beside "service"."""
    found = search(index, "costumer service")
    assert found.corrections == [{"from": "costumer", "to": "customer"}]
    assert found.total == search(index, "customer service").total > 0
    assert search(index, "xustomer").corrections == []  # (a first letter counts two)


# --- syntax --------------------------------------------------------------------------------


def test_negation_or_and_phrases(index):
    assert "hell" not in ids(search(index, "customers -hell"))
    assert set(ids(search(index, "oxygen OR franchise"))) == {"cash", "franchise"}
    assert ids(search(index, '"no problem"')) == ["thanks"]
    assert search(index, '"write this on a rock').warnings


def test_a_query_of_only_words_to_leave_out_lists_the_articles_without_them(index):
    """ "-customer" is every article but those with "customer" (it was every article)."""
    everything = set(ids(search(index, "", per_page=100, collapse=False)))
    customer = set(ids(search(index, "customer", per_page=100, collapse=False)))
    without = search(index, "-customer", per_page=100, collapse=False)
    assert customer and set(ids(without)) == everything - customer
    assert without.total == len(everything - customer) and without.parsed == "NOT customer"
    assert set(ids(search(index, '-customer -"no problem"', per_page=100, collapse=False))) \
        <= everything - customer  # fmt: skip
    # A phrase every post of which has a word left out: nothing, and no note that no
    # post has the phrase (it was loosened into its words, which matched nothing either).
    left = search(index, '"no problem" -thank')
    assert left.total == 0 and left.warnings == [
        "No article matches; try fewer words, other words, or fewer filters."
    ]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [('"a customer from hell"', {"hell"}), ('"problem is a problem"', {"thanks"}),
     ('"the new one is relevance"', {"relevance"}), ('"is a problem"', {"thanks"}),
     ('"problem a is"', set()), ('"customers customers"', set()),
     ('"of the customer"', {"hell", "thanks", "cash", "scattered"})],  # the bio has it
)  # fmt: skip
def test_phrases_match_exactly_with_repeated_and_common_words(index, phrase, expected):
    # As typed (correct=False): a phrase no post has is not loosened into its words.
    assert set(ids(search(index, phrase, collapse=False, correct=False))) == expected
    if expected:
        assert set(ids(search(index, phrase, collapse=False))) == expected


def test_a_half_remembered_phrase_no_post_has_is_searched_as_its_words(index):
    """ "write this on the rock": no post has it word for word (the maxim says "a
    rock"). The posts that say it with another article are the answer, and the answer
    says so (they had come first among the posts with its words, the post with the
    words scattered after them). A phrase no post says in any such form is searched as
    its words, and the answer says so. As typed (correct=False), nothing."""
    results = search(index, '"write this on the rock"')
    assert results.loosened == []
    assert results.warnings == ['No post has the exact phrase "write this on the rock"; '
                                'showing posts that say "write this on a rock".']  # fmt: skip
    maxims = {m["id"] for m in list_maxims(index)}
    assert maxims and set(ids(results)) == maxims
    unquoted = search(index, "write it on the rock")  # the same, typed without quotes
    assert set(ids(unquoted)[: len(maxims)]) == maxims and unquoted.loosened == []
    assert results.parsed == '("write this on the rock" OR "write this on a rock")'
    words = search(index, '"write on this rock"')
    assert words.loosened == ["write on this rock"] and "scattered" in ids(words)
    assert words.warnings == ['No post has the exact phrase "write on this rock"; '
                              "showing posts with its words."]  # fmt: skip
    exact = search(index, '"write this on the rock"', correct=False)
    assert exact.total == 0 and exact.loosened == []
    found = search(index, '"write this on a rock"')  # word for word: nothing loosened
    assert found.loosened == [] and found.total > 0
    # Words joined by punctuation, unquoted, are loosened too, but the reader typed no
    # phrase, so no warning speaks of one.
    joined = search(index, "rock/this/on/the/write")
    assert joined.loosened == ["rock this on the write"] and joined.total > 0
    assert not any("exact phrase" in w for w in joined.warnings)


def test_a_quotation_remembered_with_another_little_word_finds_what_the_post_says(tmp_path):
    """'"the force be with the customer"' on the sample blog, whose post says "the Force
    is with the customer": no post has the phrase, nor with a word in the other number
    or another article, so it was searched as its words ("showing posts with its
    words"). One little word of a quotation inside it (a verb that helps, a
    preposition, a pronoun) may be another: the post that says it so is the answer, and
    the answer says which phrase it shows. Never a word that says no ("is not" for
    "is"), nor in a phrase too short to say which quotation it is."""
    posts = [{"id": "force", "title": "The new age",
              "body": "In Stardate 10912, the Force is with the customer."},
             {"id": "words", "title": "Words", "body": "The customer has the force, be it "
                                                      "with prices or with service."},
             {"id": "never", "title": "Never", "body": "Is the customer not always right?"},
             {"id": "short", "title": "Short", "body": "Prices go up."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, '"the force be with the customer"')
    assert ids(found) == ["force"] and found.loosened == []
    assert found.warnings == [
        'No post has the exact phrase "the force be with the customer"; showing posts that '
        'say "the force is with the customer".']  # fmt: skip
    assert "<mark>Force</mark> <mark>is</mark> <mark>with</mark>" in found.hits[0]["snippet"]
    # "not always" for "is always": no.
    assert search(index, '"the customer is always right"').loosened != []
    assert search(index, '"prices go up"').total == 1  # (said word for word)
    assert search(index, '"prices went up"').loosened != []  # (three words: too few)
    assert search(index, '"the force be with the customer"', correct=False).total == 0


def test_a_maxim_shown_marked_is_not_the_snippet_too(tmp_path):
    """A post whose maxim follows the label on a line of its own: a search that matched
    the maxim showed it twice, marked as the maxim and again as the snippet. The
    snippet is another paragraph: one that matches, else the post's opening."""
    body = (
        "Long ago, sellers had the information.\n\nNow the Force is with buyers.\n\n"
        "Write this on a rock …\n\nIn Stardate 10912, the Force is with the customer."
    )
    posts = [{"id": "force", "title": "A new age", "body": body,
              "maxim": "In Stardate 10912, the Force is with the customer."},
             {"id": "other", "title": "Other", "body": "Nothing to see."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    hit = search(index, "stardate 10912").hits[0]
    assert hit["maxim_html"] and "10912" not in hit["snippet"]
    assert hit["snippet"] == "Long ago, sellers had the information."
    hit = search(index, "force stardate").hits[0]
    assert hit["snippet"] == "Now the <mark>Force</mark> is with buyers."
    # Shown apart only when it matched: else it may be the snippet like any paragraph.
    assert search(index, "information").hits[0]["snippet"].startswith("Long ago")


def test_whooshs_position_encoding_is_decoded_as_whoosh_does():
    from whoosh.formats import Positions

    from indexer.positions import decode_gaps

    lists = [[0], [3, 4, 700, 70_000], list(range(5, 400, 7)), [255, 256, 65_535, 65_536]]
    encoded = [Positions().encode(positions) for positions in lists]
    for values in (encoded, [v[:-1] for v in encoded]):  # STOP opcode kept, left off
        assert [list(accumulate(gaps)) for gaps in decode_gaps(values)] == lists


def test_a_typo_in_the_first_letter_counts_as_two(index):
    assert search(index, "xustomers").corrections == [{"from": "xustomers", "to": "customers"}]
    assert search(index, "xustomer").corrections == []  # 8 letters: one typo only


def test_write_this_on_a_rock_finds_every_post_with_a_maxim(index):
    results = search(index, "write this on a rock")
    assert set(ids(results)) == {"hell", "thanks", "relevance"}
    # Searched in titles, the maxims' label is a title search (no title has it).
    label = search(index, 'title:"write this on a rock"', correct=False)
    assert label.parsed == 'title:"write this on a rock"' and label.total == 0
    assert all(h["maxim_html"] for h in results.hits)
    assert [m["id"] for m in list_maxims(index)] == ["relevance", "thanks", "hell"]
    # A quotation that runs past the label (an unclosed quote) is a phrase like any
    # other, not the maxims; it raised IndexError, a 500.
    quoted = search(index, '" write this on a rock customer')  # (no post has it: its words)
    assert quoted.loosened == ["write this on a rock customer"] and "hell" in ids(quoted)


def test_the_maxims_label_mistyped_or_half_remembered_asks_for_the_maxims(tmp_path):
    """ "write this on a rok" (corrected to "rock", with "roi" searched beside it) and
    "write it on a rock", "write that on the rock", "write on a rock", "write this on a
    rocks" (the label as a reader recalls it) ask for the maxims, as the label word for
    word does: the posts with a maxim, each shown. They were searched as words, the
    maxims not shown (the first because "roi" beside "rock" hid the label), and the page
    said "then for roi".
    Quoted, a phrase is still those words ('"write this on the rock"': no post says it)."""
    posts = [{"id": "hell", "title": "Hell", "body": "Customers.\n\nWrite this on a rock … "
                                                    "You should never have a customer from hell.",
              "maxim": "You should never have a customer from hell."},
             {"id": "roi", "title": "Returns", "body": "Your ROI grows when you write it down."},
             {"id": "said", "title": "Stones", "body": "Write that on the rock by the door."},
             *({"id": f"o{n}", "title": f"Other {n}", "body": "Nothing here at all."}
               for n in range(6))]  # fmt: skip
    index = index_of(tmp_path, posts)
    label = search(index, "write this on a rock")
    assert ids(label) == ["hell"] and label.hits[0]["maxim_html"]
    for query in ("write this on a rok", "write it on a rock", "write that on the rock",
                  "write on a rock", "write this on a rocks", "Write This On A Rock"):  # fmt: skip
        results = search(index, query)
        assert (ids(results), results.parsed) == (["hell"], label.parsed), query
        assert results.hits[0]["maxim_html"] == "You should never have a customer from hell."
    assert search(index, "write this on a rok").corrections == [{"from": "rok", "to": "rock"}]
    quoted = search(index, '"write that on the rock"')  # (a quotation: those words)
    assert ids(quoted) == ["said"] and quoted.hits[0]["maxim_html"] is None
    from web import create_app

    client = create_app({"index": str(index), "TESTING": True}).test_client()
    page = client.get("/search?q=write+this+on+a+rok").get_data(as_text=True)
    assert "then for roi" not in page and "You should never have a customer from hell." in page


def test_a_query_that_names_the_maxims_asks_for_them(index):
    """The site calls them maxims (its /maxims page): "customer from hell maxim",
    "thank you maxim", "maxims about customers" and "maxims" ask for the maxims, as
    "write this on a rock …" does. "maxim" was searched as a word no post says: a
    partial match, or nothing."""
    assert ids(search(index, "customer from hell maxim")) == ["hell"]
    assert ids(search(index, "maxim thank you")) == ["thanks"]
    assert ids(search(index, "the maxim on relevance")) == ["relevance"]
    for query in ("maxims", "Maxims", "the maxims", "maxims about customers"):
        found = search(index, query)
        assert set(ids(found)) == {"hell", "thanks", "relevance"} and not found.warnings, query
    assert all(h["maxim_html"] for h in search(index, "maxims").hits)


def test_a_word_naming_the_maxims_vouches_for_no_correction(tmp_path):
    """ "customer from hel maxim": "maxim" names what is asked for. It was asked, with
    "customer", to vouch for a correction of "hel", and no post says both beside "hell":
    "hel" was left as typed, the maxims with "customer" alone came first, the one
    about hell fourth. It is the one asked for now, as for "customer from hel"."""
    posts = [
        {
            "id": f"m{n}",
            "title": f"Maxim {n}",
            "body": f"Serve every customer, {n}.",
            "maxim": f"Serve every customer well, rule {n}.",
        }
        for n in range(3)
    ]
    posts += [{"id": "hell", "title": "Hell", "body": "A customer from hell.",
               "maxim": "You should never have a customer from hell."},
              {"id": "maxim", "title": "Maxims", "body": "A maxim is a rule."},
              *({"id": f"o{n}", "title": f"Other {n}", "body": "Nothing here at all."}
                for n in range(6))]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query in ("customer from hel maxim", "maxims customer from hel"):
        found = search(index, query)
        assert found.corrections == [{"from": "hel", "to": "hell"}], query
        assert ids(found) == ["hell"] and found.hits[0]["maxim_html"], query


def test_a_maxim_search_reads_its_last_word_as_the_beginning_of_a_maxims_word(tmp_path):
    """ "gold" on the maxims page, or "write this on a rock gold", for the maxim "Thank
    you is golden": a post without a maxim says "gold", so the word was neither a typo
    nor cut short, and no maxim was found (the page listed none; the search box fell
    back to the post about gold). The maxims with a word it begins are the answer now,
    as "thank you is gold" finds the post. A word a maxim has is searched as typed, and
    outside the maxims "gold" is still "gold"."""
    posts = [{"id": "thanks", "title": "Thanks", "body": "Say thank you.",
              "maxim": "Thank you is golden."},
             {"id": "gift", "title": "A solid gold gift", "body": "Gold from customers."},
             *({"id": f"o{n}", "title": f"Other {n}", "body": "Nothing here at all."}
               for n in range(6))]  # fmt: skip
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    index = index_of(tmp_path / "a", posts)
    for maxims in (None, True):  # (the search box, the maxims page)
        found = search(index, "write this on a rock gold", maxims=maxims)
        assert ids(found) == ["thanks"], maxims
        assert found.hits[0]["maxim_html"] == "Thank you is <mark>golden</mark>."
        assert [(c["from"], c["also"], c.get("maxims")) for c in found.corrections] == [
            ("gold", ["golden"], True)]  # fmt: skip
    assert ids(search(index, "gold")) == ["gift"]
    # (No maxim has a word "gift" begins: the posts with the word.)
    assert ids(search(index, "write this on a rock gift")) == ["gift"]
    from web import create_app

    client = create_app({"index": str(index), "TESTING": True}).test_client()
    page = client.get("/maxims?q=gold").get_data(as_text=True)
    assert "Thank you is <mark>golden</mark>." in page
    # (The search page says what was searched: a maxim, not a post, lacked the words.)
    page = " ".join(
        client.get("/search?q=write+this+on+a+rock+gold").get_data(as_text=True).split()
    )
    assert "No maxim has all the words with <strong>gold</strong>" in page
    assert "showing maxims with golden" in page

    aim = {"id": "aim", "title": "Aims", "body": "Aim high.", "maxim": "Aim for gold."}
    index = index_of(tmp_path / "b", [*posts, aim])
    found = search(index, "write this on a rock gold", maxims=True)
    assert ids(found) == ["aim"] and not found.corrections


def test_write_this_on_a_rock_without_a_maxim_to_show_finds_the_posts_that_say_it(tmp_path):
    """A blog with no maxims (posts that say "write this on a rock" in passing), or a
    maxim search whose words no maxim has: the posts with the words, not nothing."""
    posts = [{"id": "rock", "title": "Rocks", "body": "Write this on a rock: pay on time."},
             {"id": "lake", "title": "Lakes", "body": "A lake is no rock."},
             {"id": "rules", "title": "Rules", "body": "Two maxims of business."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    assert ids(search(index, "maxims")) == ["rules"]  # (the word: no maxim to ask for)
    for query in ("write this on a rock", "wrte ths on a rok", "write this on a rock pay"):
        results = search(index, query)
        assert ids(results) == ["rock"] and not results.warnings, query
        assert search(index, query, maxims=False).parsed == results.parsed


def test_a_year_no_article_says_shows_the_articles_of_that_year(tmp_path):
    """ "2022" in no article's words but in their dates: the articles of 2022, the year
    as a filter (which the page shows selected), and a note saying so; with other words,
    those words within 2022. A year an article says is searched as a word."""
    posts = [{"id": f"p{y}", "title": f"Pricing {y - 2000}", "body": "Price it right.",
              "date": f"{y}-03-01"} for y in (2021, 2022)]  # fmt: skip
    posts += [
        {"id": "care22", "title": "Care", "body": "Care for them.", "date": "2022-05-01"},
        {"id": "said", "title": "History", "body": "Founded in 1999.", "date": "2020-01-01"},
    ]
    index = index_of(tmp_path, posts)
    results = search(index, "2022")
    assert sorted(ids(results)) == ["care22", "p2022"] and results.filters == {"year": ["2022"]}
    assert results.warnings == ["No article says 2022; showing the articles from 2022."]
    assert results.query == "2022"
    assert ids(search(index, "pricing 2022")) == ["p2022"]
    # The request the answer is to (the page's facet links): the words left, the year;
    # not the word that led to it ("in"), which the search leaves out anyway.
    for query in ("pricing 2022", "pricing in 2022", "pricing from 2022?"):
        assert search(index, query).read_as == {"q": "pricing", "year": ["2022"]}, query
    for query in ("pricing 2021 or 2022", "2021 and 2022 pricing"):
        assert search(index, query).read_as == {"q": "pricing", "year": ["2021", "2022"]}, query
    assert search(index, "pricng 2022").did_you_mean == "pricing 2022"
    assert ids(search(index, "1999")) == ["said"] and not search(index, "1999").warnings
    assert search(index, "2022", correct=False).total == 0  # (as typed: nothing says it)


def test_a_month_typed_beside_such_a_year_shows_the_articles_of_that_month(tmp_path):
    """ "march 2022" found nothing (no article says 2022, and the month was a word to
    find within 2022's articles); it is the articles dated in March 2022, written either
    way round, abbreviated, with other words; a month with none of them falls back to
    the year, and says so; a month that is a word of the others is searched as one."""
    posts = [{"id": f"p{y}", "title": f"Pricing {y - 2000}", "body": "Price it right.",
              "date": f"{y}-03-01"} for y in (2021, 2022)]  # fmt: skip
    posts += [
        {"id": "care22", "title": "Care", "body": "Care for them.", "date": "2022-05-01"},
        {"id": "dec", "title": "Year end", "body": "Close the books.", "date": "2022-12-31"},
        {"id": "march", "title": "March on", "body": "March ahead.", "date": "2022-07-01"},
    ]
    index = index_of(tmp_path, posts)
    for query in ("march 2022", "March, 2022", "2022 march", "Mar. 2022?", "pricing mar 2022"):
        found = search(index, query)
        assert ids(found) == ["p2022"], query
        assert found.warnings == ["No article says 2022; showing the articles from March 2022."]
        assert found.query == query
    assert ids(search(index, "december 2022")) == ["dec"]  # (to before the next January)
    found = search(index, "june 2022")
    assert sorted(ids(found)) == ["care22", "dec", "march", "p2022"]
    assert found.warnings == ["No article is from June 2022; showing the articles from 2022."]
    found = search(index, "dec 2022 jan 2021")  # (two months: no one period, the years)
    assert sorted(ids(found)) == ["care22", "dec", "march", "p2021", "p2022"]
    said = "2022 or 2021"
    assert found.warnings[0] == f"No article says {said}; showing the articles from {said}."
    assert ids(search(index, "march ahead 2022")) == ["march"]  # (March's posts lack "ahead")
    # Without its month, with other words, the year's note: that no article is from
    # the month is not known (the month's reading found only none with "pricing").
    last = typed_dates("pricing march 2022", get_state(index))[-1]
    assert last.words == ["2022", "march"]
    assert last.warning == "No article says 2022; showing the articles from 2022."
    # The reader's own dates stand: the year is read alone.
    assert search(index, "march 2022", {"after": "2022-06"}).warnings[0].endswith("from 2022.")


def test_posts_from_last_year_or_this_month_are_the_posts_of_that_period(tmp_path):
    """ "posts from last year", "pricing articles from this month", "last year's posts":
    the posts of that period counted back from today, the period a filter (all the words
    had been searched: a partial match of the posts that say "last" and "year"); said
    where a word for a post is beside it, else words ("sales last year"). A period with
    no posts says so rather than search the words."""
    today = dt.date.today()
    last_year = today.year - 1
    posts = [
        {"id": "lastyear", "title": "Pricing", "body": "Price it right.",
         "date": f"{last_year}-06-15"},
        {"id": "month", "title": "Pricing again", "body": "Prices rose.",
         "date": today.replace(day=1).isoformat()},
        {"id": "said", "title": "Sales", "body": "Sales rose last year.",
         "date": f"{last_year - 3}-01-01"},
    ]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query in ("posts from last year", "Articles in last year?", "last year's posts",
                  "last year\u2019s posts", "pricing posts from last year"):  # fmt: skip
        found = search(index, query)
        assert ids(found) == ["lastyear"], query
        assert found.warnings == [f"Showing the posts from last year ({last_year})."], query
        assert found.query == query and found.total == 1
    found = search(index, "pricing articles from this month")
    assert ids(found) == ["month"]
    assert found.warnings[0].startswith("Showing the posts from this month (")
    assert ids(search(index, "posts from this year")) == ["month"]
    assert ids(search(index, "sales last year")) == ["said"]  # (words: no post word beside)
    found = search(index, "posts from last month")  # (June of last year is never last month)
    assert found.total == 0 and found.warnings[0].startswith("No post is from last month (")
    found = search(index, "posts from last year", {"after": "2000-01-01"})  # (chosen: stands)
    assert not found.warnings or "last year (" not in found.warnings[0]
    # The article page marks what the search looked for: not the period's words.
    page = get_article(index, "said", "posts from last year about sales")
    assert re.findall(r"<mark>(.*?)</mark>", page["paragraphs_html"][0]) == ["Sales"]


def test_a_period_after_the_latest_post_says_when_the_latest_is_from(tmp_path):
    """ "posts from last year" on a blog quiet since 2023: nothing, and the answer says
    when its latest post is from; a period some post is from, or one before the
    latest, says nothing of it."""
    last_year = dt.date.today().year - 1
    posts = [{"id": "new", "title": "Focus", "body": "Photos.", "date": "2023-03-10"},
             {"id": "old", "title": "Syndrome", "body": "Customers.", "date": "2022-01-17"},
             {"id": "undated", "title": "About", "body": "Me."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "posts from last year")
    assert found.total == 0 and found.warnings[0] == (
        f"No post is from last year ({last_year}). The latest post is from March 10, 2023."
    )
    assert search(index, "posts since 2024").warnings[0].endswith(
        "The latest post is from March 10, 2023.")  # fmt: skip
    assert "latest" not in search(index, "posts before 2010").warnings[0]
    assert ids(search(index, "posts since 2023")) == ["new"]


def assert_read_as_filters(index, cases: dict[str, list[str]], said: str | None = None) -> None:
    """Each query of `cases`, whose words name filters, finds its posts (ids, sorted);
    its answer's first warning starts with `said` (None: no partial match is said); and
    its `read_as`, the request it is to (as the page's facet links ask it), asked, finds
    the same posts."""
    for query, expected in cases.items():
        found = search(index, query)
        assert sorted(ids(found)) == expected, query
        if said is None:
            assert not any("some of them" in w for w in found.warnings), query
        else:
            assert found.warnings[0].startswith(said), query
        request = dict(found.read_as)
        assert sorted(ids(search(index, request.pop("q"), request))) == expected, query


def test_posts_since_or_before_a_year_are_the_posts_of_that_period(tmp_path):
    """ "posts since 2021", "pricing after 2021", "before 2022", "from 2020 to 2022",
    "between 2021 and 2022", "from March 2021 on": the posts of that period, the period a
    filter and said. The words had been searched: "after 2022" showed 2022's posts (the
    year read alone, "after" a word), "customers since 2022" a partial match. A year
    some post says, with no word for a post beside it, stays words ("sales rose since
    2019"); a period with no such posts says so."""
    posts = [{"id": "y2019", "title": "Pricing", "body": "Sales rose since 2019.",
              "date": "2019-05-01"},
             {"id": "y2021", "title": "Pricing basics", "body": "Price it right.",
              "date": "2021-03-10"},
             {"id": "y2022", "title": "Pricing again", "body": "Prices rose.",
              "date": "2022-07-01"},
             {"id": "y2023", "title": "Pricing today", "body": "Prices held.",
              "date": "2023-02-01"}]  # fmt: skip
    index = index_of(tmp_path, posts)
    cases = {"posts since 2021": ["y2021", "y2022", "y2023"],
             "pricing after 2021": ["y2022", "y2023"],
             "pricing before 2022": ["y2019", "y2021"],
             "posts until 2021": ["y2019", "y2021"],
             "Articles from 2020 to 2022?": ["y2021", "y2022"],
             "pricing between 2021 and 2022": ["y2021", "y2022"],
             "posts from March 2021 on": ["y2021", "y2022", "y2023"],
             "posts after mar 2021": ["y2022", "y2023"],
             "posts from 2022 to now": ["y2022", "y2023"],
             "pricing 2021-2022": ["y2021", "y2022"], "pricing 2021\u201322": ["y2021", "y2022"],
             "pricing 2021 to 2022": ["y2021", "y2022"],
             "posts march 2021 through 2022": ["y2021", "y2022"]}  # fmt: skip
    assert_read_as_filters(index, cases, "Showing the posts ")
    assert search(index, "pricing after 2021").warnings[0] == "Showing the posts after 2021."
    found = search(index, "posts after 2023")
    assert found.total == 0 and found.warnings[0] == (
        "No post after 2023 matches the search. The latest post is from February 1, 2023."
    )
    assert ids(search(index, "sales rose since 2019")) == ["y2019"]  # (words: 2019 is said)
    assert ids(search(index, "sales rose 2019-2021"))[0] == "y2019"  # (words, as before)
    assert search(index, "sales rose 2019-2021").read_as is None
    # The article page marks what the search looked for: not the period's words.
    page = get_article(index, "y2019", "sales since 2021")
    assert re.findall(r"<mark>(.*?)</mark>", page["paragraphs_html"][0]) == ["Sales"]


def test_posts_from_a_year_some_posts_say_are_the_posts_of_that_year(tmp_path):
    """ "posts from 1987" on the 10k benchmark corpus found the 1,067 posts that say
    "1987", not the 8,362 dated in it; "posts from april 1987" the posts saying both
    words. With a word for a post beside it, a year (or a month of one) after "from",
    "in", "during" or "of" is that period; without one it stays words."""
    posts = [{"id": "old", "title": "Plans", "body": "Our plans for 2022 are set.",
              "date": "2021-11-02"},
             {"id": "march", "title": "Pricing", "body": "Price it right in 2022.",
              "date": "2022-03-10"},
             {"id": "july", "title": "Hiring", "body": "Hire slowly.",
              "date": "2022-07-01"}]  # fmt: skip
    index = index_of(tmp_path, posts)
    cases = {"posts from 2022": ["july", "march"],
             "articles in march 2022": ["march"],
             "pricing posts during 2022": ["march"],
             "posts of july 2022": ["july"]}  # fmt: skip
    assert_read_as_filters(index, cases, "Showing the posts from ")
    assert sorted(ids(search(index, "plans for 2022"))) == ["old"]  # (words: no post asked for)
    assert sorted(ids(search(index, "price it right in 2022"))) == ["march"]


def test_posts_from_a_month_of_no_year_are_the_latest_such_months(tmp_path):
    """ "posts from march", "march posts", "articles in jan": the posts of the latest
    March (January) that has posts, said; they had been words: "posts from march" found
    nothing on a blog whose posts never say "march". A month with no posts says so."""
    posts = [{"id": "m2021", "title": "Spring", "body": "Plant early.", "date": "2021-03-02"},
             {"id": "m2023", "title": "Pricing", "body": "Price it right.",
              "date": "2023-03-10"},
             {"id": "j2022", "title": "New year", "body": "Plan the year.",
              "date": "2022-01-17"}]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query, expected, named in [("posts from march", ["m2023"], "March 2023"),
                                   ("March posts", ["m2023"], "March 2023"),
                                   ("articles in jan", ["j2022"], "January 2022")]:  # fmt: skip
        found = search(index, query)
        assert ids(found) == expected, query
        assert found.warnings == [f"Showing the posts from {named}."], query
    found = search(index, "pricing posts from january")  # (the month has posts, not these)
    assert found.total == 0
    assert found.warnings[0] == "No post from January 2022 matches the search."
    assert search(index, "posts in may").warnings[0] == "No post is from May."
    assert search(index, "spring march").warnings[0].startswith("No article")  # (words)
    page = get_article(index, "m2023", "pricing posts from march")
    assert re.findall(r"<mark>(.*?)</mark>", page["paragraphs_html"][0]) == ["Price"]


@pytest.mark.parametrize(
    ("words", "today", "after", "before"),
    [
        ("posts from last year", "2026-12-01", "2025-01-01", "2026-01-01"),
        ("posts from this year", "2026-12-01", "2026-01-01", "2027-01-01"),
        ("posts in the past year", "2026-12-01", "2025-12-01", None),
        ("posts from the last year", "2026-12-01", "2025-12-01", None),  # (the past year)
        ("posts from this month", "2026-12-01", "2026-12-01", "2027-01-01"),
        ("posts from last month", "2027-01-15", "2026-12-01", "2027-01-01"),
        ("posts from the past month", "2026-03-31", "2026-02-28", None),
        ("this week's posts", "2026-12-03", "2026-11-30", "2026-12-07"),  # (from Monday)
        ("last week's articles", "2026-12-03", "2026-11-23", "2026-11-30"),
        ("anything from the past week", "2026-12-03", "2026-11-26", None),
        # (every word the lead-ins read as a post: search/fillers.py's POSTS)
        ("blogs from last year", "2026-12-01", "2025-01-01", "2026-01-01"),
        ("this month's entry", "2026-12-01", "2026-12-01", "2027-01-01"),
    ],
)
def test_a_period_counted_back_is_the_days_it_names(words, today, after, before):
    period = relative_period(words, dt.date.fromisoformat(today))
    assert period.filters == {"after": after, **({"before": before} if before else {})}
    assert period.if_none and period.rest in ("posts", "articles", "anything", "blogs", "entry")


def test_title_searches_a_word_or_phrase_in_titles_only(tmp_path):
    """title:rock finds "rock" in titles, not in bodies; title:"from hell" the phrase in a
    title; -title:rock leaves out the posts with it in their title. A typo in it is
    corrected within titles too."""
    posts = [{"id": "t", "title": "Rock solid pricing", "body": "Price it right."},
             {"id": "b", "title": "Pricing", "body": "Write this on a rock."},
             {"id": "h", "title": "Customers from hell", "body": "Some are."},
             {"id": "hb", "title": "Bad days", "body": "Customers from hell exist."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    assert ids(search(index, "rock")) and set(ids(search(index, "rock"))) == {"t", "b"}
    found = search(index, "title:rock")
    assert ids(found) == ["t"] and found.parsed == "title:rock" and not found.warnings
    assert ids(search(index, 'title:"from hell"')) == ["h"]
    assert set(ids(search(index, "pricing -title:rock"))) == {"b"}
    typo = search(index, "title:prcing")
    assert typo.corrections == [{"from": "prcing", "to": "pricing"}]
    assert set(ids(typo)) == {"t", "b"}
    assert search(index, "title:").warnings[0] == "title: needs a word or a phrase; ignored."


def test_field_filters_in_the_query(index):
    assert ids(search(index, 'category:"customer care" year:2014')) == ["hell"]
    # Values of one filter are alternatives, and the parsed query says so.
    either = search(index, "year:2014 year:2019", per_page=50)
    assert either.parsed == '(year:"2014" OR year:"2019")'
    assert set(ids(either)) == set(ids(search(index, "year:2014", per_page=50))) | set(
        ids(search(index, "year:2019", per_page=50)))  # fmt: skip
    assert set(ids(search(index, "tag:customers"))) == {"hell", "thanks", "video"}
    assert set(ids(search(index, "after:2019 before:2020-02"))) == {"cash", "video"}
    assert "undated" in ids(search(index, "year:undated"))
    unknown = search(index, "colour:red customers")
    assert unknown.total > 0 and "Unknown field colour:" in unknown.warnings[0]
    # A word and a colon in pasted prose is no field, and no warning.
    prose = search(index, "write this on a rock: never a customer from hell")
    assert prose.warnings == [] and ids(prose)[0] == "hell"


ODD = ['"', "*", "x" * 5000, "🙂🚀", "NOT OR ", ": ANDMAYBE ANDMAYBE ", "(" * 2000 + ")" * 2000,
       "oil~9", "s*", "a~2", "w" * 16000, "author:", "year:abc", "\x00\x1f", "-", "OR OR OR",
       "customer" * 700, " ".join(["customer"] * 1000), "c*",
       '"' + "the customer is never a problem " * 16 + '"']  # fmt: skip


@pytest.mark.parametrize("query", ODD, ids=range(len(ODD)))
def test_odd_queries_answer_fast_without_raising(index, query):
    started = time.perf_counter()
    results = search(index, query)
    assert time.perf_counter() - started < 1.0
    assert results.total > 0 or results.warnings


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises_and_stays_within_the_time_limit(index, text):
    started = time.perf_counter()
    data = search(index, text, time_limit=0.5).to_dict()
    assert time.perf_counter() - started < 1.0
    assert data["ok"] is True and data["total"] >= 0


# Words of the seed-like index's maxims and posts, typos of them, the label and signs.
MAXIM_PAGE_WORDS = ["gold", "golden", "thank", "you", "cryslar", "intrest", "rate", "write",
                    "this", "on", "a", "rock", "maxim", "hel", "customer", '"', "-", "*",
                    "relevanse", "kitchen"]  # fmt: skip


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(max_size=120) | st.lists(st.sampled_from(MAXIM_PAGE_WORDS), max_size=8).map(" ".join)
)
def test_any_words_on_the_maxims_page_or_typed_for_suggestions_never_raise(index, text):
    """The maxims page's search (its last word perhaps begun) and the suggestions (the
    words respelt when nothing is found), for any text: an answer, fast."""
    from search.articles import suggest
    from search.engine import maxims_matching

    started = time.perf_counter()
    found = maxims_matching(index, text)
    assert all(hit["maxim"] for hit in found)
    assert isinstance(suggest(index, text), list)
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"page": "x"}, {"per_page": 0}, {"per_page": 10000}, {"sort": "random"},
     {"filters": {"colour": "red"}}, {"filters": {"after": "yesterday"}}],
)  # fmt: skip
def test_bad_parameters_raise_search_error_with_a_message(index, params):
    with pytest.raises(SearchError, match=r"\w+"):
        search(index, "customers", **params)


# --- facets, sorting, pages ---------------------------------------------------------------


def test_facets_count_the_whole_result_set(index):
    results = search(index, "customers", per_page=1)
    assert results.total == sum(results.facets["kind"].values())
    assert results.facets["category"]["Customer Care"] == 3
    assert results.facets["year"]["undated"] == 1
    assert list(results.facets["year"])[-1] == "undated"


def test_a_facet_of_a_word_for_posts_finds_as_many_posts_as_it_counts(tmp_path):
    """ "everything" (a word the posts say, and a word for posts) showed Customer Care 3
    beside its results, and that facet's link listed every post filed there (26 on the
    sample blog): with a filter, the word had been read as asking for all the posts.
    It is searched as typed, filter or not; "posts from 2022" still lists that year's."""
    posts = [{"id": f"c{n}", "title": f"Care {n}", "body": "Be kind.", "categories": ["Care"]}
             for n in range(4)]  # fmt: skip
    posts += [{"id": "e", "title": "Everything counts", "body": "Everything is service.",
               "categories": ["Care"], "date": "2022-03-01"},
              {"id": "f", "title": "Everything else", "body": "Prices.",
               "categories": ["Money"]}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "everything")
    assert found.facets["category"] == {"Care": 1, "Money": 1}
    clicked = search(index, "everything", {"category": ["Care"]})
    assert ids(clicked) == ["e"] and clicked.total == 1
    assert ids(search(index, "posts from 2022")) == ["e"]


def test_a_facet_ignores_its_own_selection_so_several_values_can_be_picked(index):
    one = search(index, "customers", filters={"category": ["Communication"]})
    assert ids(one) == ["thanks"]
    assert one.facets["category"]["Customer Care"] == 3  # still offered, with its count
    assert one.facets["tag"] == {"customers": 1}  # other facets follow the selection
    both = search(index, "customers", filters={"category": ["Communication", "Networking"]})
    assert both.total == 1
    three = search(index, "", filters={"category": ["communication", "Networking"]})
    assert set(ids(three)) == {"thanks", "undated"}


def test_facets_counted_together_as_a_facet_at_a_time(tmp_path):
    """With nothing chosen, every facet is counted at once (search/facets.py,
    counts_together): the same values, counts and order as counting a facet at a time
    (what a choice makes it do): most posts first, then by value, years newest first
    and undated last, FACET_LIMIT values at most (40 tags here)."""
    import random

    import numpy as np

    from search.bitmasks import mask_of
    from search.facets import count_facets, counts_together
    from search.query import parse_query
    from search.state import get_state

    rng = random.Random(5)
    posts = [{"id": f"p{n}", "title": f"Post {n}", "body": "cash flow",
              "categories": rng.sample(["Money", "People", "Tea", "Ledger"], rng.randint(0, 2)),
              "tags": rng.sample([f"tag{t:02}" for t in range(40)], rng.randint(0, 6)),
              "author": rng.choice(["Ann", "Bo", ""]),
              **({"date": f"{rng.randint(2015, 2024)}-05-01"} if n % 7 else {})}
             for n in range(80)]  # fmt: skip
    state = get_state(index_of(tmp_path, posts), wait=True)
    parsed = parse_query("cash")
    every = state.all_mask
    for size in (0, 1, 5, 30, 80):
        docs = np.array(sorted(rng.sample(range(80), size)), dtype=np.int64)
        together = counts_together(state, docs)
        # (a restriction that holds every post: the facet-at-a-time path)
        one_by_one = count_facets(state, mask_of(docs.tolist()), {"all": every}, parsed, docs)
        assert [list(f.items()) for f in together.values()] == \
            [list(one_by_one[name].items()) for name in together]  # fmt: skip
    whole = counts_together(state, np.arange(80))
    assert len(whole["tag"]) == 30 and list(whole["year"])[-1] == "undated"
    assert list(whole["year"])[:-1] == sorted(list(whole["year"])[:-1], reverse=True)


def test_a_filter_value_spelt_as_the_index_spells_it_is_that_value_only(tmp_path):
    """Two authors whose names differ in case only ("Tom", "tom"): the facet's "Tom"
    filters to Tom's posts (it gave tom's one post, the facet having said 2), "tom" to
    tom's, and a spelling of neither ("TOM") to both."""
    posts = [{"id": f"p{n}", "title": f"Post {n}", "body": "cash flow", "author": author}
             for n, author in enumerate(["Tom", "Tom", "tom", "Ann"])]  # fmt: skip
    index = index_of(tmp_path, posts)
    assert search(index, "cash").facets["author"] == {"Tom": 2, "Ann": 1, "tom": 1}
    tom = search(index, "cash", filters={"author": ["Tom"]})
    assert set(ids(tom)) == {"p0", "p1"} and tom.facets["author"]["Tom"] == tom.total == 2
    assert ids(search(index, "cash", filters={"author": ["tom"]})) == ["p2"]
    both = search(index, "author:TOM cash")
    assert set(ids(both)) == {"p0", "p1", "p2"} and not both.warnings
    assert ids(search(index, "cash", filters={"author": ["ann"]})) == ["p3"]


def test_sort_newest_and_oldest_put_undated_last(index):
    newest = ids(search(index, "", sort="newest", per_page=20))
    oldest = ids(search(index, "", sort="oldest", per_page=20))
    assert newest[0] == "video" and oldest[0] == "scattered"
    assert set(newest[-2:]) == set(oldest[-2:]) == {"script", "undated"}


def test_pages_are_exact_and_do_not_overlap(index):
    pages = [search(index, "", page=p, per_page=3) for p in (1, 2, 3, 4)]
    assert all(p.total == len(ARTICLES) for p in pages)
    seen = [d for p in pages for d in ids(p)]
    assert len(seen) == len(set(seen)) == len(ARTICLES)
    assert pages[0].to_dict()["pages"] == 4


# --- snippets ------------------------------------------------------------------------------


def test_snippets_mark_the_original_words_and_escape_everything_else(index):
    hit = search(index, "tricks").hits[0]
    assert hit["id"] == "script"
    assert "<script>" not in hit["snippet"] and "&lt;script&gt;" in hit["snippet"]
    assert "<mark>tricks</mark>" in hit["snippet"]
    assert "&lt;script&gt;" in hit["title_html"] and "<script>" not in hit["title_html"]
    cust = search(index, "customer").hits
    assert any("<mark>customers</mark>" in h["snippet"] for h in cust)


def test_snippet_is_the_best_passage_and_never_boilerplate(index):
    hit = next(h for h in search(index, "award winning bankers").hits if h["id"] == "cash")
    assert "<mark>Bankers</mark>" in hit["snippet"] and "award" not in hit["snippet"]
    photo = next(h for h in search(index, "service week").hits if h["id"] == "service")
    assert "Photo courtesy" not in photo["snippet"]
    text = re.sub(r"<[^>]+>", "", photo["snippet"])
    assert text.startswith("This week is National Customer Service Week")


def test_only_whole_words_are_marked_not_a_query_word_inside_another():
    """A word is marked where it starts a word: "customer" marks "Customers'" and
    "don't" marks "Don't", not "accustomed" (whose letters hold "custom") or the
    "customer" of "o'customer" (one word, as the index holds it)."""
    from search.snippets import Matcher, highlight

    text = "Accustomed Customers' say o'customer; Don't re-customer."
    assert highlight(text, Matcher.for_words(["customer", "dont"])) == (
        "Accustomed <mark>Customers</mark>&#x27; say o&#x27;customer; "
        "<mark>Don&#x27;t</mark> re-<mark>customer</mark>."
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab'c d\0", max_size=60), st.text(alphabet="abc", min_size=1, max_size=6))
def test_a_head_split_by_apostrophes_is_found_wherever_it_is(low, head):
    """Snippets look for a query word's head written with apostrophes inside ("don't"
    for "dont", "rock'n'roll" for "rocknroll"): the answer is the one a brute-force
    search of the text gives, for any text and head. (A head split twice, "2'2'2" for
    "222", was not found, and the post's snippet marked nothing.)"""
    from search.snippets import Matcher, head_split_in, passage

    split = any(
        "'" in low[i:j] and "'" not in (low[i], low[j - 1]) and "''" not in low[i:j]
        and low[i:j].replace("'", "") == head
        for i in range(len(low)) for j in range(i + 1, len(low) + 1)
    )  # fmt: skip
    assert head_split_in(head, low) == split
    assert passage("Rock'n'roll, 2'2'2.", Matcher.for_words(["222"]))[0] == (
        "Rock&#x27;n&#x27;roll, <mark>2&#x27;2&#x27;2</mark>."
    )


def test_a_word_two_query_words_begin_is_marked_once():
    """Each head a query word starts with is looked for on its own ("cust" of
    "customer", "cus" of a prefix `cus*`, "serv" of "service"): a word that several
    begin is one mark, and the marks come in the text's order."""
    from search.snippets import Matcher, highlight

    matcher = Matcher.for_words(["customer", "service"], prefixes=["cus"])
    assert highlight("Service to customers, custard and a cusp.", matcher) == (
        "<mark>Service</mark> to <mark>customers</mark>, <mark>custard</mark> and a "
        "<mark>cusp</mark>."
    )
    # (two query words of one head, "cust": each word of the text marked once)
    assert highlight("Customs service", Matcher.for_words(["customer", "customs"])) == (
        "<mark>Customs</mark> service"
    )


def test_a_title_phrase_is_the_words_with_a_space_or_an_end_on_each_side():
    """Re-ranking's phrase test on a normalized title or maxim: the words in order,
    not inside longer words."""
    from search.rerank import headline_phrase

    phrase = headline_phrase(["customer", "service"])
    assert phrase.search("customer service")
    assert phrase.search("great customer service week")
    assert phrase.search("good customer service")
    assert not phrase.search("customer services")
    assert not phrase.search("acustomer service")
    assert not phrase.search("customer  service")  # (titles are normalized: one space)
    assert phrase.search("xcustomer service and customer service")


CATEGORIZED = [
    {"id": "a", "title": "Going it alone", "body": "Quit the job, start the shop.",
     "categories": ["Entrepreneurship & <Startups>", "Money"]},
    {"id": "b", "title": "Tea", "body": "Green tea.", "categories": ["Tea"]},
]  # fmt: skip


def test_a_post_found_by_its_category_shows_the_category_marked(tmp_path):
    """A post found by its category, which its text never says, shows why: the
    category's word is marked in `categories_html` (escaped as the title is); a category
    the query does not name is left as it is. (The page: tests/test_web.py.)"""
    [hit] = search(index_of(tmp_path, CATEGORIZED), "entrepreneurship").hits
    assert hit["categories_html"] == ["<mark>Entrepreneurship</mark> &amp; &lt;Startups&gt;",
                                      "Money"]  # fmt: skip


def test_the_snippet_shows_the_form_typed_when_the_words_tie(tmp_path):
    """Of two paragraphs with the same query words, the snippet is the one with the word
    in the form typed: "customers" shows the second, "customer" the first."""
    body = "Every customer matters here, always.\n\nOur customers came back again."
    index = index_of(tmp_path, [{"id": "a", "title": "Notes", "body": body}])
    plural = search(index, "customers").hits[0]
    assert plural["snippet"] == "Our <mark>customers</mark> came back again."
    assert plural["paragraph"] == 1
    singular = search(index, "customer").hits[0]
    assert singular["snippet"] == "Every <mark>customer</mark> matters here, always."
    assert singular["paragraph"] == 0


@pytest.mark.parametrize("accent", ["", "é"])
def test_the_snippet_is_found_among_paragraphs_blank_lines_and_all(tmp_path, accent):
    """An ASCII body is searched in one pass, another a paragraph at a time: both give
    the paragraph with the most query words, numbered among the paragraphs that are not
    blank, and mark a stop word only beside another match ("on a", not the lone "on"s)."""
    body = (f"Our{accent} customers come first.\n\n   \n\nOn a rock.\n\n\n"
            "Write it down: loyal customers stay on a plan that works.\n\nOn and on.")  # fmt: skip
    index = index_of(tmp_path, [{"id": "a", "title": "Notes", "body": body}])
    hit = search(index, "loyal customers on a plan").hits[0]
    marked = "<mark>loyal</mark> <mark>customers</mark> stay <mark>on</mark> <mark>a</mark>"
    assert hit["snippet"] == f"Write it down: {marked} <mark>plan</mark> that works."
    assert hit["paragraph"] == 2


def test_stop_words_are_marked_only_in_a_run_with_a_word_that_says_something(tmp_path):
    """ "what is the age of the customer" on the sample blog marked "of the" of "all of
    the platforms" and "shifts of the new age" in its snippets: two stop words side by
    side marked each other. A stop word is marked in a run of matched words that has
    another word ("The Age of the Customer", "on a plan"), not in one of stop words
    alone; a query of nothing else marks them all."""
    body = ("All of the platforms changed. Three shifts of the new age matter.\n\n"
            "Then the Age of the Customer began.")  # fmt: skip
    index = index_of(tmp_path, [{"id": "a", "title": "Shifts of the new age", "body": body}])
    hit = search(index, '"age of the customer" shifts').hits[0]
    assert hit["title_html"] == "<mark>Shifts</mark> of the new age"
    assert hit["snippet"] == ("Then the <mark>Age</mark> <mark>of</mark> <mark>the</mark> "
                              "<mark>Customer</mark> began.")  # fmt: skip
    hit = search(index, "age of the platforms").hits[0]
    assert hit["snippet"].startswith("All <mark>of</mark> <mark>the</mark> <mark>platforms")
    assert "shifts of the new <mark>age</mark>" in hit["snippet"]
    from search.snippets import Matcher, highlight

    only = Matcher.for_words(["of", "the"])
    assert (
        highlight("All of the platforms", only) == "All <mark>of</mark> <mark>the</mark> platforms"
    )


@pytest.mark.parametrize("quote", ["'", "’"])
def test_the_snippet_marks_every_form_the_post_was_found_by(tmp_path, quote):
    """The words a post matched by are marked whether its text has straight or curly
    quotes: "loving" for "love" (the "e" dropped), "made" for "making" (an irregular
    past, stemmed as its verb), and "that's" is the stop word "that", marked only beside
    another match."""
    body = (f"That{quote}s why we help. Loving your customers made them stay, "
            "and they love it.")  # fmt: skip
    index = index_of(tmp_path, [{"id": "a", "title": "Notes", "body": body}])
    hit = search(index, "love making that").hits[0]
    shown = "That&#x27;s" if quote == "'" else "That’s"  # (escaped as HTML)
    assert hit["snippet"] == (
        f"{shown} why we help. <mark>Loving</mark> your customers <mark>made</mark> them "
        "stay, and they <mark>love</mark> it."
    )


@pytest.mark.parametrize("sign", ["", " ®", " ß"])
def test_the_snippet_marks_a_word_written_with_accents(tmp_path, sign):
    """A post found by "resume" (indexed without accents) showed its opening, unmarked,
    when its text said "résumé": the quick test looked for "resu" in the text as
    written. Marked with or without a sign such as ® elsewhere in the text, and beside a
    letter with no one-letter ASCII form (ß), which takes the slower way."""
    body = (f"Our shop{sign} opened in spring.\n\n"
            "Send your Résumé today, and the team reads every résumé.")  # fmt: skip
    index = index_of(tmp_path, [{"id": "a", "title": "Notes", "body": body}])
    hit = search(index, "resume").hits[0]
    assert hit["snippet"] == (
        "Send your <mark>Résumé</mark> today, and the team reads every <mark>résumé</mark>."
    )


@pytest.mark.parametrize("quotes", ["‘’", "''"])
def test_a_word_after_an_opening_single_quote_is_marked(tmp_path, quotes):
    """The snippet of a post that says ‘thank you’ (the blog's quotes within quotes) was
    its opening, unmarked: the quick way took the apostrophe before "thank" for one
    inside a word, as in "don't"."""
    opening, closing = quotes
    body = f"Our opening words.\n\nShe said {opening}thank you{closing} and didn't wait."
    index = index_of(tmp_path, [{"id": "a", "title": "Notes", "body": body}])
    shown = escape(f"She said {opening}") + "<mark>thank</mark>"
    assert search(index, "thank").hits[0]["snippet"].startswith(shown)


def test_a_number_with_a_thousands_separator_is_one_mark(tmp_path):
    """ "2500" found a post that says "$2,500" and marked "2" and "500" apart, the comma
    between them unmarked; numbers only listed with commas stay apart."""
    body = "Your list is worth $2,500 a month, 3, 4 or 5 times more."
    index = index_of(tmp_path, [{"id": "a", "title": "Notes", "body": body}])
    for query in ("2500", "$2,500"):
        assert search(index, query).hits[0]["snippet"] == (
            "Your list is worth $<mark>2,500</mark> a month, 3, 4 or 5 times more."
        )
    assert search(index, "3 4").hits[0]["snippet"] == (
        "Your list is worth $2,500 a month, <mark>3</mark>, <mark>4</mark> or 5 times more."
    )


# Posts with figures in them (the tests of numbers below).
FIGURES = [
    {"id": "decimal", "title": "Deficit", "body": "The deficit was 2.5 billion dollars."},
    {"id": "whole", "title": "Surplus", "body": "The surplus was 5 billion dollars."},
    {"id": "web", "title": "Standards", "body": "What Web 2.0 meant for small firms."},
    {"id": "price", "title": "Hosting", "body": "Web hosting is $20 a month."},
    {"id": "three", "title": "Moving on", "body": "Python 3 is here at last."},
    {"id": "eleven", "title": "Faster", "body": "Python 3.11 runs our shop's site."},
    {"id": "two", "title": "Old code", "body": "Python 2 support ended."},
    {"id": "plan", "title": "Plans", "body": "The basic plan costs $19.99 a month."},
]


def test_a_number_with_a_decimal_point_is_one_word(tmp_path):
    """ "5 billion" found every post that says "2.5 billion" (the "5" beside "billion")
    and marked the "5" inside it, and "web 2.0" a post's "$20" (the words "2" and "0"
    joined): a number with a point is one word, as Lucene reads it."""
    index = index_of(tmp_path, FIGURES)
    found = search(index, "5 billion")
    assert ids(found) == ["whole"]
    assert found.hits[0]["snippet"] == (
        "The surplus was <mark>5</mark> <mark>billion</mark> dollars.")  # fmt: skip
    found = search(index, "2.5 billion")
    assert ids(found) == ["decimal"]
    assert found.hits[0]["snippet"] == (
        "The deficit was <mark>2.5</mark> <mark>billion</mark> dollars.")  # fmt: skip
    assert ids(search(index, '"5 billion dollars"')) == ["whole"]
    assert ids(search(index, "web 2.0")) == ["web"]
    # Typed without its space, the number is apart from the word after it.
    found = search(index, "2.5billion")
    assert ids(found) == ["decimal"] and found.parsed == '"2.5 billion"'


def test_a_whole_number_typed_finds_the_numbers_with_a_point_it_begins(tmp_path):
    """ "3.11" is one word, so `python 3` found only the posts that say "Python 3": it
    finds "Python 3.11" too, below the number as typed; `$19` finds "$19.99"."""
    index = index_of(tmp_path, FIGURES)
    assert ids(search(index, "python 3")) == ["three", "eleven"]
    found = search(index, "$19 plan")
    assert ids(found) == ["plan"]
    assert found.hits[0]["snippet"] == (
        "The basic <mark>plan</mark> costs $<mark>19.99</mark> a month.")  # fmt: skip
    assert ids(search(index, '"python 3"')) == ["three"]  # a phrase is as typed


def test_a_number_is_found_with_or_without_its_thousands_separators(tmp_path):
    """A reader types "10000" for the "10,000" a post says, and the other way round."""
    articles = [
        {"id": "commas", "title": "Goal", "body": "We sold 10,000 copies, then 1,250,000."},
        {"id": "plain", "title": "Start", "body": "The first 10000 readers came in a year."},
        {"id": "list", "title": "Steps", "body": "Steps 1,2,3 and 10,20,30 are listed."},
    ]
    index = index_of(tmp_path, articles)
    for query in ("10000", "10,000"):
        found = search(index, query)
        assert sorted(ids(found)) == ["commas", "plain"], query
        snippets = {h["id"]: h["snippet"] for h in found.hits}
        assert snippets["commas"] == "We sold <mark>10,000</mark> copies, then 1,250,000."
        assert snippets["plain"] == "The first <mark>10000</mark> readers came in a year."
    assert ids(search(index, "1250000")) == ["commas"]
    assert ids(search(index, '"10000 copies"')) == ["commas"]
    assert ids(search(index, "20")) == ["list"]  # a list's numbers stay apart


def test_the_snippet_of_a_question_shows_its_subject_not_its_question_word(tmp_path):
    """ "what is relevance" showed "3. What is the tone of your marketing message?" of a
    post that speaks of relevance two paragraphs on: the question word and "is" made
    two matched words against one. A question's word is not required, and a paragraph
    with nothing else comes after those with the subject."""
    body = ("What is the tone of your marketing message?\n\n"
            "Online communities are a way to find relevance.")  # fmt: skip
    index = index_of(tmp_path, [{"id": "a", "title": "Notes", "body": body}])
    hit = search(index, "what is relevance").hits[0]
    assert hit["snippet"] == "Online communities are a way to find <mark>relevance</mark>."
    # Nor, within a paragraph, is a window for its question word: "In The Age of the
    # Customer" came after "… make up what we now call … customers in the new Age".
    body = ("In The Age of the Customer, the Force is with the customer. It began with "
            "the remote control, video recorders, TiVo, DVR, the Internet, on-demand "
            "everything, social media and, more recently, mobile computing. All of the "
            "platforms that make up what we now call social media have become the light "
            "saber of consumers and business customers in the new Age.")  # fmt: skip
    (tmp_path / "window").mkdir()
    index = index_of(tmp_path / "window", [{"id": "a", "title": "Notes", "body": body}])
    hit = search(index, "what is the age of the customer").hits[0]
    assert hit["snippet"].startswith("In <mark>The</mark> <mark>Age</mark> <mark>of</mark>")


def test_a_quoted_phrase_is_marked_where_it_is_said_not_each_of_its_words(tmp_path):
    """'"age of the seller"' on the sample blog marked every "of", "the" and "age" of
    "control of the primary elements … the Age of the Customer", and the snippet was
    the paragraph with the most of them, not the one that says the phrase. Where a text
    says the phrase, its words are marked there only (a word typed outside the quotes
    everywhere), and not in a post's other texts (its title, when its body says it). A
    post that says it nowhere as these marks can see (in another form) keeps each
    word's marks."""
    body = (
        "Control of the primary elements shifted in the Age of the Customer.\n\n"
        "The Age of the Seller is over. Sellers age, and the age of the buyer came."
    )
    posts = [{"id": "a", "title": "The age of the seller, an age of change", "body": body},
             {"id": "b", "title": "An age of the buyer", "body": "Age of the seller: words."},
             {"id": "c", "title": "Customers", "body": "Sellers age."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    hits = {h["id"]: h for h in search(index, '"age of the seller"').hits}
    assert hits["a"]["snippet"] == ("The <mark>Age</mark> <mark>of</mark> <mark>the</mark> "
                                    "<mark>Seller</mark> is over. Sellers age, and the age "
                                    "of the buyer came.")  # fmt: skip
    assert hits["a"]["title_html"] == ("The <mark>age</mark> <mark>of</mark> <mark>the</mark> "
                                       "<mark>seller</mark>, an age of change")  # fmt: skip
    # A title that does not say it, of a post found by its body: not marked there.
    assert hits["b"]["title_html"] == "An age of the buyer"
    assert hits["b"]["snippet"] == ("<mark>Age</mark> <mark>of</mark> <mark>the</mark> "
                                    "<mark>seller</mark>: words.")  # fmt: skip
    # So does the article's page, the search's words marked.
    page = get_article(index, "a", query='"age of the seller"')
    assert "<mark>" not in page["paragraphs_html"][0]
    assert page["paragraphs_html"][1].startswith("The <mark>Age</mark> <mark>of</mark>")
    # A post that says it nowhere, as marks can see it: each word.
    from search.snippets import Matcher, highlight

    matcher = Matcher.for_words([], phrases=[["age", "of", "the", "seller"]])
    assert matcher.said_in(["Sellers age", "Age"]) is matcher
    assert highlight("Sellers age", matcher) == "<mark>Sellers</mark> <mark>age</mark>"
    # A word also typed outside the quotes is marked wherever it is.
    hit = search(index, '"age of the seller" buyer').hits[0]
    assert "<mark>buyer</mark>" in hit["snippet"] and "Sellers age" in hit["snippet"]


def test_a_post_that_says_the_words_only_in_its_bio_line_comes_after_those_that_do(tmp_path):
    """ "why is relevance important" on the sample blog put first two short video posts
    whose only "relevance" and "important" are in the blurb every video post shares
    (its snippet then showed their opening, unmarked). A hit matched in the body's
    boilerplate only, and not in its title, comes after the page's other hits (sorted
    by date, nothing moves)."""
    bio = "Jim Blasingame is the author of the award-winning book, The Age of the Customer."
    posts = [{"id": "video", "title": "Video one", "body": f"Watch it.\n\n{bio}",
              "date": "2023-01-02"},
             {"id": "phones", "title": "Smartphones", "date": "2022-01-02",
              "body": "In my book The Age of the Customer I write that phones changed how "
                      "customers buy, compare prices and decide where to spend their money, "
                      f"and what a small business can do about it.\n\n{bio}"}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "age of the customer book")
    assert ids(found) == ["phones", "video"]
    assert found.hits[1]["snippet"].startswith("Jim Blasingame is the author")  # (its match)
    assert ids(search(index, "age of the customer book", sort="newest")) == ["video", "phones"]
    # Its own words, in the paragraph that ends with the blurb, are no boilerplate.
    blurb = "It is more important than ever to prepare for the moment of relevance."
    more = [{"id": "mixed", "title": "Video two", "body": f"Users pay customers. {blurb}"},
            {"id": "long", "title": "Notes", "body": "Users are not always customers: "
             "some never pay, and a business that counts them as customers misreads "
             "its market, its prices and its plans for the year to come."}]  # fmt: skip
    (tmp_path / "more").mkdir()
    index = index_of(tmp_path / "more", more)
    assert ids(search(index, "users customers")) == ["mixed", "long"]


def test_maxim_is_shown_when_the_query_matches_it(index):
    hit = search(index, "customer from hell").hits[0]
    assert hit["maxim_html"] == (
        "You should never have a <mark>customer</mark> <mark>from</mark> <mark>hell</mark>."
    )
    assert search(index, "oxygen").hits[0]["maxim_html"] is None


def test_json_shape(index):
    data = search(index, "custmer").to_dict()
    assert {"ok", "query", "parsed", "warnings", "total", "page", "per_page", "took_ms",
            "did_you_mean", "corrections", "hits", "facets"} <= set(data)  # fmt: skip
    assert set(data["facets"]) == {"category", "tag", "author", "year", "kind"}
    assert {"id", "title", "date", "author", "categories", "tags", "kind", "maxim", "source",
            "url", "score", "snippet", "title_html"} <= set(data["hits"][0])  # fmt: skip


def test_search_and_indexer_never_import_flask():
    code = "import sys, search.engine, indexer.build; print('flask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_a_partial_match_ranks_the_rare_words_above_the_common_ones(tmp_path):
    """No post has every word: the one with the rare word ("royster", in its body)
    outranks the short titles that have only the common one ("market")."""
    posts = [{"id": f"m{n}", "title": f"Market {n}", "body": f"Prices and stalls {n}."}
             for n in range(30)]  # fmt: skip
    posts.append({"id": "rare", "title": "A long day at the docks",
                  "body": "The royster sold oysters by the barrel all afternoon."})  # fmt: skip
    index = index_of(tmp_path, posts)
    results = search(index, "market royster")
    assert results.total == 31 and any("some of them" in w for w in results.warnings)
    assert ids(results)[0] == "rare"


def real_word_index(tmp_path):
    """ "built" is in many posts with "franchise"; "bult" (a word here too, a name) in one."""
    posts = [{"id": f"b{n}", "title": f"Franchise {n}", "body": f"A franchise built on trust {n}."}
             for n in range(8)]  # fmt: skip
    posts.append({"id": "bult", "title": "Mr Bult", "body": "Mr Bult sells shoes."})
    return index_of(tmp_path, posts)


def test_a_real_word_typo_is_corrected_when_the_query_then_finds_much_more(tmp_path):
    index = real_word_index(tmp_path)
    results = search(index, "franchise bult")
    assert results.corrections == [{"from": "bult", "to": "built", "real_word": True}]
    assert results.total == 8 and results.did_you_mean == "franchise built"
    assert not any("some of them" in w for w in results.warnings)
    # As typed: the words as they are, no correction; a lone word is never changed.
    typed = search(index, "franchise bult", correct=False)
    assert typed.corrections == [] and typed.did_you_mean is None
    assert ids(typed)[0] == "bult" and typed.total == 9  # a partial match: some words
    assert search(index, "bult").corrections == [] and ids(search(index, "bult")) == ["bult"]
    # A query that finds enough is left alone.
    assert search(index, "franchise trust").corrections == []


def test_a_long_query_reads_each_words_posts_once_for_real_word_typos(tmp_path, monkeypatch):
    """A paragraph pasted as a query, whose words no post holds all together, is asked
    for a real-word typo of each word: the posts holding every other word were found
    again for each, reading every word's posts once per word (36 words at 100k posts
    took 0.9 s). Each is read once, and the posts holding all but one word are those
    holding the others."""
    from search import context_words

    words = [f"word{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(30)]
    posts = [{"id": f"p{n}", "title": f"Post {n}", "body": " ".join(words[n : n + 10])}
             for n in range(30)]  # fmt: skip
    index = index_of(tmp_path, posts)
    state = get_state(index)
    but = context_words.holding_all_but(state, [*words, words[0]])
    for word in words[:5]:
        others = [w for w in words if w != word]
        assert (but(word) == context_words.holding_all(state, others)).all()
    reads: list[str] = []
    exact_docs = context_words.exact_docs
    monkeypatch.setattr(context_words, "exact_docs",
                        lambda state, w: reads.append(w) or exact_docs(state, w))  # fmt: skip
    found = search(index, " ".join(words))
    assert found.total and found.corrections == []
    assert len(reads) <= 3 * len(words), len(reads)  # (it had been 598)


def test_a_word_typed_for_a_stop_word_is_corrected_where_the_posts_say_it(tmp_path):
    """ "customers form hell" (a phone's commonest slip): "from" is a stop word, not
    required, so no variant made more posts hold every word and the query stayed a
    partial match, the post on forms first. Where no post says "customers form hell"
    and one says "customers from hell", the slip is corrected; "fill in the form",
    which a post says, is left alone."""
    posts = [{"id": "hell", "title": "Customers from Hell", "body": "Customers from hell exist."},
             {"id": "maxim", "title": "Never", "body": "Never have a customer from hell."},
             {"id": "forms", "title": "Forms", "body": "Customers hate a long form. Fill in "
                                                        "the form, said the clerk."}]  # fmt: skip
    posts += [{"id": f"o{n}", "title": f"Other {n}", "body": "Customers come first."}
              for n in range(5)]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "customers form hell")
    assert found.corrections == [{"from": "form", "to": "from", "real_word": True}]
    assert found.did_you_mean == "customers from hell" and ids(found)[0] == "hell"
    assert set(ids(found)) == {"hell", "maxim"} and not found.warnings
    assert search(index, "fill in the form").corrections == []
    assert search(index, "customers form hell", correct=False).corrections == []


def test_a_slip_no_one_writes_for_a_stop_word_is_corrected_beside_one_word(tmp_path):
    """ "teh dollar" on the 10k corpus, six of whose posts say "teh" (emails, typos and
    all): a word the collection has, so kept, and no post has both words, so a partial
    match with the posts that say "teh" first. A word of three letters had no slip
    looked for, and one at a query's end had no word on each side to vouch for it. A
    slip that is no word of English, for a stop word FAR_FACTOR times as frequent, is
    corrected where a post says the stop word beside a word typed next to it, and none
    says the slip there. A word of English ("fro") keeps the two sides it needs."""
    posts = [{"id": "teh", "title": "Re: a clue", "body": "They already have teh clue."}]
    posts += [{"id": f"d{n}", "title": f"Dollar {n}", "body": f"The dollar fell to {n} yen."}
              for n in range(50)]  # fmt: skip
    posts.append({"id": "fro", "title": "To and fro", "body": "He walked to and fro."})
    index = index_of(tmp_path, posts)
    found = search(index, "teh dollar")
    assert found.corrections == [{"from": "teh", "to": "the", "real_word": True}]
    assert found.did_you_mean == "the dollar" and found.total == 50 and not found.warnings
    # Beside a word on each side, the stop word said beside one of them is enough.
    assert search(index, "yen teh dollar").did_you_mean == "yen the dollar"
    found = search(index, "dollar teh")  # (the stop word after: "dollar the", which none says)
    assert found.corrections == [] and ids(found)[0] == "teh"
    assert search(index, "teh clue").corrections == []  # (said so: meant)
    assert search(index, "teh dollar", correct=False).corrections == []
    assert search(index, "fro dollar").corrections == []


def test_a_words_stop_word_neighbours_are_those_of_its_neighbours(index):
    """slip_for_a_stop_word asks only for the stop words one edit from a word
    (stop_word_neighbours, from the few stop words of its length): they are the stop
    words among all its neighbours, in the same order, for the collection's words and
    for slips of every stop word (a letter dropped, doubled, replaced, or the first
    two swapped)."""
    from indexer.analysis import STOP_WORDS
    from search.state import get_state
    from search.typos import neighbours, stop_word_neighbours

    vocab = get_state(index, wait=True).vocabulary
    slips = {w[:i] + x + w[i + 1 :] for w in STOP_WORDS for i in range(len(w))
             for x in ("", w[i] * 2, "x")}  # fmt: skip
    slips |= {w[1] + w[0] + w[2:] for w in STOP_WORDS if len(w) > 1}
    words = sorted(set(vocab.df) | slips)
    found = {w: stop_word_neighbours(w, vocab) for w in words}
    assert found == {w: [v for v in neighbours(w, vocab) if v in STOP_WORDS] for w in words}
    assert found["frm"] == [] and found["frox"][0] == "from" and found["thix"] == ["this"]


def test_the_page_offers_the_query_as_typed(tmp_path):
    from web import create_app

    index = real_word_index(tmp_path)
    client = create_app({"index": str(index), "TESTING": True}).test_client()
    page = client.get("/search?q=franchise+bult").get_data(as_text=True)
    assert "Showing results for" in page and "franchise built" in page
    assert "correct=false" in page
    typed = client.get("/search?q=franchise+bult&correct=false").get_data(as_text=True)
    assert "sells shoes" in typed and "Showing results for" not in typed
    assert client.get("/api/search?q=x&correct=maybe").status_code == 400


def favroable_index(tmp_path):
    """ "favorable outlook" in eight posts; "favroable" (misspelt in the post itself) in
    one, the best match of all for the words but not the first by date."""
    posts = [{"id": f"f{n}", "title": f"Outlook {n}", "body": f"A favorable outlook {n}.",
              "date": f"2024-01-0{n + 1}"} for n in range(8)]  # fmt: skip
    posts.append({"id": "typo", "title": "Favroable outlook", "date": "2020-01-01",
                  "body": "A favroable outlook, they said. Outlook: favroable."})  # fmt: skip
    return index_of(tmp_path, posts)


def test_a_real_word_typo_keeps_the_posts_the_words_as_typed_find_first(tmp_path):
    """A post that has the word as typed may be the one looked for: it comes first, and
    the posts of the likelier query follow it (a reader who meant "favorable" finds them
    on the same page)."""
    index = favroable_index(tmp_path)
    results = search(index, "favroable outlook")
    assert ids(results)[0] == "typo" and sorted(ids(results)[1:]) == [f"f{n}" for n in range(8)]
    assert results.total == 9
    assert results.corrections == [
        {"from": "favroable", "to": "favorable", "real_word": True, "typed_first": True}
    ]
    assert results.did_you_mean == "favorable outlook"
    assert "<mark>favroable</mark>" in results.hits[0]["snippet"]  # the word as typed
    assert "<mark>favorable</mark>" in results.hits[1]["snippet"]
    # Page 2 goes on after them; by date, all are in date order; as typed, one post.
    assert ids(search(index, "favroable outlook", per_page=5, page=2)) == ids(results)[5:]
    assert ids(search(index, "favroable outlook", sort="oldest"))[0] == "typo"
    assert ids(search(index, "favroable outlook", sort="newest"))[-1] == "typo"
    assert ids(search(index, "favroable outlook", correct=False)) == ["typo"]


@pytest.mark.parametrize(
    "query, posts",
    [
        # "gold" is in five posts, one with "prices" and "march"; "good" in thirteen, five
        # with them: no more for its frequency, five times fewer than a word of English
        # needs (it was searched as "good prices march", the one post first).
        ("gold prices march", [("gold", "Gold prices rose in March.", 1),
                               ("mine", "Gold mines.", 4),
                               ("good", "Good prices in March {n}.", 5),
                               ("mood", "A good mood.", 8)]),
        # "sears" (no word of English) is in three posts, one with "restructure"; "years"
        # in thirty-six, six with it: a smaller share (it was "years restructure").
        ("sears restructure", [("sears", "Sears to restructure.", 1),
                               ("store", "Sears stores.", 2),
                               ("plan", "Years to restructure {n}.", 6),
                               ("age", "Ten years.", 30)]),
    ],
)  # fmt: skip
def test_a_word_the_posts_have_with_the_other_words_is_meant(tmp_path, query, posts):
    """A word one edit from a commoner one, which the posts have with the query's other
    words, is no real-word typo unless the commoner word is found with them beyond what
    its frequency alone explains ("bult", in a post without "franchise", still is one:
    test above)."""
    records = [{"id": f"{name}{n}", "title": f"{name.title()} {n}", "body": body.format(n=n)}
               for name, body, count in posts for n in range(count)]  # fmt: skip
    found = search(index_of(tmp_path, records), query)
    assert found.corrections == [] and found.did_you_mean is None
    assert ids(found) == [f"{posts[0][0]}0"]


def test_a_real_word_typo_is_never_changed_to_a_stop_word_or_a_word_of_the_query(tmp_path):
    """ "thus garden": "this" is one edit away and beside "garden" in many posts, but a
    stop word is not required, so the change would only drop the word. "fare farm":
    "farm" is near "fare", but the query has it already. Both stay as typed."""
    posts = [{"id": "thus", "title": "Thus", "body": "Thus the garden grew."},
             {"id": "fare", "title": "Fare", "body": "The fare to the farm."}]  # fmt: skip
    posts += [{"id": f"this{n}", "title": f"Plot {n}", "body": "This garden is small."}
              for n in range(6)]  # fmt: skip
    posts += [{"id": f"farm{n}", "title": f"Field {n}", "body": "A farm in the hills."}
              for n in range(6)]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query, only in [("thus garden", "thus"), ("fare farm", "fare")]:
        results = search(index, query)
        assert results.corrections == [] and ids(results) == [only], query


def rare_word_index(tmp_path):
    """ "record" in twelve posts with "monthly"; "reord" (a typo the post itself has) in
    one; "recorder" in one, far from "monthly"."""
    posts = [{"id": f"r{n}", "title": f"Sales {n}", "body": f"A monthly record of sales {n}."}
             for n in range(12)]  # fmt: skip
    posts.append({"id": "typo", "title": "Exports", "body": "Exports hit a monthly reord."})
    posts.append({"id": "he", "title": "He", "body": "He said so. He did. He went."})
    return index_of(tmp_path, posts)


def test_a_word_only_a_post_has_is_searched_with_a_far_commoner_near_word(tmp_path):
    """A word in one or two posts may be a typo the post shares ("reord"): a near word
    ten times as frequent, found with the query's other words, is searched beside it,
    below the post with the word as typed; the word itself is not changed."""
    index = rare_word_index(tmp_path)
    results = search(index, "monthly reord")
    assert ids(results)[0] == "typo" and results.total == 13
    rest = ids(search(index, "monthly reord", per_page=20))[1:]
    assert sorted(rest) == sorted(f"r{n}" for n in range(12))
    assert results.corrections == [
        {"from": "reord", "to": "reord", "also": ["record"], "rare": True}
    ]
    assert results.did_you_mean is None  # nothing to change in the query
    assert "(reord OR record)" in results.parsed
    # As typed, alone, or with no near word found with the others: only the word.
    assert ids(search(index, "monthly reord", correct=False)) == ["typo"]
    assert search(index, "reord").corrections == [] and ids(search(index, "reord")) == ["typo"]
    assert search(index, "exports reord").corrections == []  # no "record" with "exports"


def test_a_common_word_in_few_posts_of_a_small_blog_is_no_typo(tmp_path):
    """In a blog of a few dozen posts every word is in few of them: "thank" in one of
    fourteen is no typo of "than" (in twelve, two with "gold"), so "thank gold" finds
    the post the reader remembers ("Thank you is golden"), not only the two that say
    "than" and "gold" (as no post has both words, by "gold" begun: "golden")."""
    posts = [{"id": f"s{n}", "title": f"Silver {n}", "body": f"Better than silver {n}."}
             for n in range(12)]  # fmt: skip
    posts += [{"id": f"g{n}", "title": f"Gold {n}", "body": f"Better than gold {n}."}
              for n in range(2)]  # fmt: skip
    posts.append({"id": "thanks", "title": "Thank you is golden", "body": "Say thank you."})
    posts.append({"id": "other", "title": "Rates", "body": "Interest rates rose."})
    index = index_of(tmp_path, posts)
    results = search(index, "thank gold")
    assert [c["from"] for c in results.corrections] == ["gold"]  # (begun, no typo)
    assert "than" not in results.parsed.replace("thank", "")
    assert ids(results) == ["thanks"]
    assert sorted(ids(search(index, "thank gold", correct=False))) == ["g0", "g1", "thanks"]


def test_a_typo_in_a_few_posts_or_typed_alone_is_searched_with_a_far_commoner_word(tmp_path):
    """The posts' typos repeat ("interst" in three posts, "interest" in 150): a word in
    up to five posts, or typed alone, is searched with a near word fifty times as
    frequent, below the posts with the word as typed; not a common word of English
    ("swam" is no typo of "spam")."""
    posts = [{"id": f"i{n}", "title": f"Rates {n}", "body": f"Interest rates rose {n}."}
             for n in range(150)]  # fmt: skip
    posts += [{"id": f"typo{n}", "title": f"Typo {n}", "body": "Interst rates fell."}
              for n in range(3)]  # fmt: skip
    posts += [{"id": f"spam{n}", "title": f"Mail {n}", "body": "Spam again."} for n in range(50)]
    posts += [{"id": "swim", "title": "Lake", "body": "We swam across."}]
    index = index_of(tmp_path, posts)
    found = search(index, "interst rates", per_page=5)
    assert found.corrections == [
        {"from": "interst", "to": "interst", "also": ["interest"], "rare": True}
    ]
    assert found.total == 153 and sorted(ids(found)[:3]) == ["typo0", "typo1", "typo2"]
    alone = search(index, "interst", per_page=5)
    assert alone.total == 153 and alone.corrections[0]["also"] == ["interest"]
    assert search(index, "swam").corrections == [] and ids(search(index, "swam")) == ["swim"]
    assert search(index, "interst", correct=False).total == 3


def test_a_rare_word_is_not_widened_to_a_word_of_two_letters_or_a_rarer_one(tmp_path):
    """ "hee" is one edit from "he", in a post beside "went", but a word of two letters
    (or a stop word) is in nearly every post: it would make the word optional."""
    posts = [{"id": f"h{n}", "title": f"Went {n}", "body": f"He went home {n}."}
             for n in range(12)]  # fmt: skip
    posts.append({"id": "hee", "title": "Hee", "body": "Hee hee, she went."})
    index = index_of(tmp_path, posts)
    assert search(index, "hee went").corrections == []
    assert ids(search(index, "hee went")) == ["hee"]
    # Nine posts for one is under the factor of ten: no widening (the real-word typo
    # rule, for a query that finds one post, takes it instead).
    (tmp_path / "c").mkdir()
    few = [{"id": f"r{n}", "title": f"Sales {n}", "body": f"A monthly record {n}."}
           for n in range(9)]  # fmt: skip
    few.append({"id": "typo", "title": "Exports", "body": "Exports hit a monthly reord."})
    found = search(index_of(tmp_path / "c", few), "monthly reord").corrections
    assert [c.get("rare") for c in found] == [None]


def test_the_page_says_a_rare_word_was_searched_with_near_words(tmp_path):
    from web import create_app

    client = create_app({"index": str(rare_word_index(tmp_path)), "TESTING": True}).test_client()
    page = client.get("/search?q=monthly+reord").get_data(as_text=True)
    assert "Few posts have <strong>reord</strong>" in page
    assert "then posts with record" in page and "correct=false" in page
    assert "Showing results for" not in page and "Did you mean" not in page
    answer = client.get("/api/search?q=monthly+reord").get_json()
    assert answer["corrections"][0]["rare"] is True and answer["did_you_mean"] is None
    # With a typo corrected too: one sentence, one link to the words as typed.
    page = client.get("/search?q=monthlly+reord").get_data(as_text=True)
    assert "Showing results for" in page and "monthly reord" in page
    assert "Few posts have <strong>reord</strong>" in page
    assert page.count("correct=false") == 1


def test_the_page_says_the_posts_as_typed_come_first(tmp_path):
    from web import create_app

    client = create_app({"index": str(favroable_index(tmp_path)), "TESTING": True}).test_client()
    page = client.get("/search?q=favroable+outlook").get_data(as_text=True)
    assert "Showing the posts with the words as typed first, then results for" in page
    assert "favorable outlook" in page and "correct=false" in page
    data = client.get("/api/search?q=favroable+outlook").get_json()
    assert data["hits"][0]["id"] == "typo" and data["total"] == 9


def test_a_first_letter_typo_is_corrected_only_where_the_other_words_vouch_for_it(tmp_path):
    posts = [{"id": f"f{n}", "title": f"Rates {n}", "body": f"The federal reserve met {n}."}
             for n in range(3)]  # fmt: skip
    index = index_of(tmp_path, posts)
    assert search(index, "dederal reserve").corrections == [{"from": "dederal", "to": "federal"}]
    assert search(index, "dederal reserve").total == 3
    assert search(index, "dederal").corrections == []  # alone: beyond its one typo


def test_a_four_letter_word_s_first_letter_is_corrected_where_the_other_words_vouch(tmp_path):
    posts = [{"id": "opec", "title": "Oil", "body": "Opec cut production again."},
             {"id": "spec", "title": "Specs", "body": "A spec sheet."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    results = search(index, "ipec production")  # another first letter
    assert results.corrections == [{"from": "ipec", "to": "opec"}]
    assert ids(results) == ["opec"]
    assert search(index, "ipec").corrections == []  # alone: beyond its one typo
    # The first two letters swapped is one typo, and needs no other word.
    assert search(index, "poec").corrections == [{"from": "poec", "to": "opec"}]


def test_a_rare_word_that_may_be_a_typo_does_not_keep_the_others_from_vouching(tmp_path):
    """ "poec raab production": "raab" is a word of one post (a typo of "arab" in it, say),
    so no post holds it with "production"; "production" alone still vouches for "opec"."""
    posts = [{"id": "opec", "title": "Oil", "body": "Opec cut production again."},
             {"id": "raab", "title": "Names", "body": "Raab is a name."},
             {"id": "spec", "title": "Specs", "body": "A spec sheet."}]  # fmt: skip
    posts += [{"id": f"film{n}", "title": f"Film {n}", "body": "A film production."}
              for n in range(3)]  # fmt: skip
    index = index_of(tmp_path, posts)
    results = search(index, "poec raab production")
    assert results.corrections == [{"from": "poec", "to": "opec"}]
    assert ids(results)[0] == "opec"


def test_a_three_letter_word_is_corrected_only_where_the_other_words_vouch(tmp_path):
    """ "yar peabody": "yar" is one edit from "year" (a deletion), and "year" is in a post
    with "peabody"; alone, or where nothing holds the other words, it is left as typed."""
    posts = [{"id": "peabody", "title": "Peabody results", "body": "Peabody had a good year."},
             {"id": "yard", "title": "Yard", "body": "A yard sale, a jar, a car."},
             {"id": "misc", "title": "Misc", "body": "Nothing else here."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    results = search(index, "yar peabody")
    # Only "yard" (a letter dropped, as for "year") was asked first: "car" and "jar"
    # need a key far from the "y" (see test_a_slip_of_the_fingers_is_the_likelier_typo).
    assert results.corrections == [{"from": "yar", "to": "year", "over": ["yard"]}]
    assert ids(results) == ["peabody"]
    assert search(index, "yar").corrections == []  # alone: nothing vouches
    assert search(index, "yar nothing").corrections == []  # no near word beside "nothing"


def test_other_near_words_found_with_the_query_are_searched_below_the_correction(tmp_path):
    """ "makr package": "make" is the likelier word (more posts), but a reader who meant
    "mark" must find that post too, below the "make" posts."""
    posts = [{"id": f"make{n}", "title": f"Make {n}", "body": "Make a package of it."}
             for n in range(3)]  # fmt: skip
    posts.append({"id": "mark", "title": "Trade", "body": "Mark the package clearly."})
    posts.append({"id": "other", "title": "Other", "body": "A package, and a mare."})
    index = index_of(tmp_path, posts)
    results = search(index, "makr package")
    assert results.corrections == [{"from": "makr", "to": "make", "also": ["mark"]}]
    assert ids(results) == ["make0", "make1", "make2", "mark"]
    assert "<mark>Mark</mark>" in results.hits[-1]["snippet"]
    assert results.parsed == "(make OR mark) AND package"
    from web import create_app

    client = create_app({"index": str(index), "TESTING": True}).test_client()
    page = client.get("/search?q=makr+package").get_data(as_text=True)
    assert "Showing results for\n        <strong>make package</strong>, then for mark." in page
    # Alone, with no other words to vouch, the likeliest word only.
    assert search(index, "makr").corrections == [{"from": "makr", "to": "make"}]


def test_a_post_with_both_readings_of_a_corrected_word_counts_the_better_one_only(tmp_path):
    """ "write this on a rok" is "rock", with "roi" searched below it: a post that says
    "rock" and "ROI" scores what its "rock" scores, not both, so the post that says
    "rock" more comes first; explain lists the reading not counted at 0."""
    posts = [{"id": "more", "title": "Stones",
              "body": "Write this on a rock. A rock lasts; a rock stays."},
             {"id": "both", "title": "Returns",
              "body": "Your ROI grows.\n\nWrite this on a rock: patience pays."},
             {"id": "roi", "title": "Money", "body": "Write this down: the ROI of patience."},
             *({"id": f"o{n}", "title": f"Other {n}", "body": "Nothing here at all."}
               for n in range(6))]  # fmt: skip
    index = index_of(tmp_path, posts)
    results = search(index, "write this on a rok", explain=True)
    assert results.corrections == [{"from": "rok", "to": "rock", "also": ["roi"]}]
    assert ids(results)[:2] == ["more", "both"]
    both = results.hits[1]["explain"]
    uncounted = [p for p in both["parts"] if p.get("not_counted")]
    assert uncounted and {p["word"] for p in uncounted} == {"roi"}
    assert all(p["value"] == 0.0 for p in uncounted)
    assert both["sum"] == results.hits[1]["score"]
    # Its snippet is the maxim's line, not the paragraph with "ROI" alone (the maxim's
    # line is boilerplate, shown only where nothing else matches: "ROI" is only a
    # reading of "rok" below "rock"); the post that says only "ROI" shows it.
    assert results.hits[1]["snippet"].startswith("<mark>Write</mark>")
    assert "<mark>ROI</mark>" in results.hits[2]["snippet"] and ids(results)[2] == "roi"


def test_a_typo_nearest_a_stop_word_is_corrected_to_the_word_that_ranks(tmp_path):
    """ "fron sale": "from" (a neighbouring key) is one slip away and in more posts than
    "front" (a letter dropped), but a stop word ranks nothing, so "front" is the
    correction (over "from"); the posts with only "from" still match, after it. "fuor"
    is "four" (two letters swapped) before "for" (a stray "u"), "for" still matching."""
    notices = ({"id": f"from{n}", "title": f"Notice {n}",
                "body": "A house for sale, far from the sea."} for n in range(4))  # fmt: skip
    index = index_of(tmp_path, [
        *notices,
        {"id": "front", "title": "Trade", "body": "Four front seats on sale, or three."},
        {"id": "other", "title": "Other", "body": "Nothing about seats."},
    ])  # fmt: skip
    results = search(index, "fron sale")
    assert results.corrections == [{"from": "fron", "to": "front", "over": ["from"]}]
    assert ids(results)[0] == "front"
    assert sorted(ids(results)[1:]) == ["from0", "from1", "from2", "from3"]
    assert "<mark>front</mark>" in results.hits[0]["snippet"]
    four = search(index, "fuor sale")  # ("for sale" is the posts' phrase: "for" weighed first)
    assert [(c["from"], c["to"]) for c in four.corrections] == [("fuor", "four")]
    assert ids(four)[0] == "front" and sorted(ids(four)[1:]) == ["from0", "from1", "from2", "from3"]


def test_words_typed_without_their_apostrophes_find_the_posts_that_have_them(tmp_path):
    """Readers on phones type "dont" and "oreilly": they find the posts that write
    "don’t" and "O'Reilly" (and the other way round), and the snippet marks the word as
    the post writes it."""
    index = index_of(tmp_path, [
        {"id": "curly", "title": "Advice", "body": "Don’t sell the rock to O'Reilly."},
        {"id": "plain", "title": "Notes", "body": "I dont sell rocks on Sundays."},
        {"id": "other", "title": "Other", "body": "Nothing to sell here."},
    ])  # fmt: skip
    for query in ("dont sell", "don't sell", "don’t sell"):
        results = search(index, query)
        assert sorted(ids(results)) == ["curly", "plain"] and results.corrections == []
    assert "<mark>Don’t</mark> <mark>sell</mark>" in search(index, "dont sell").hits[
        ids(search(index, "dont sell")).index("curly")]["snippet"]  # fmt: skip
    oreilly = search(index, "oreilly")
    assert ids(oreilly) == ["curly"] and "<mark>O&#x27;Reilly</mark>" in oreilly.hits[0]["snippet"]
    assert ids(search(index, '"dont sell the rock"')) == ["curly"]  # phrases too


def test_british_and_american_spellings_find_each_other(tmp_path):
    """A reader types the spelling they learnt: "colour" finds the post that says
    "color" and "color" the one that says "colour", the spelling typed first, and
    neither is a typo (it was "co loud": two words run together, one corrected; and
    "realise", on a blog that says "realized", was "real"). A British word the blog has
    in no spelling finds nothing, and is not split into words it does not mean."""
    index = index_of(tmp_path, [
        {"id": "uk", "title": "Notes from London",
         "body": "The colour of your shop sign tells customers what to expect."},
        {"id": "us", "title": "Notes from Boston",
         "body": "The color of your shop sign tells customers what to expect. We realized "
                 "it late, and organized the shop around the catalog."},
        {"id": "other", "title": "Cash flow", "body": "Watch your receivables every week."},
    ])  # fmt: skip
    for query, first in [("colour", "uk"), ("color", "us"), ("colours", "uk")]:
        results = search(index, query)
        assert ids(results) == [first, ({"uk", "us"} - {first}).pop()], query
        assert results.corrections == [] and results.did_you_mean is None, query
    for query in ("realise", "organised", "catalogue"):
        results = search(index, query)
        assert ids(results) == ["us"] and results.corrections == [], query
    assert "<mark>realized</mark>" in search(index, "realise").hits[0]["snippet"]
    assert "The <mark>colour</mark> of" in search(index, "color").hits[1]["snippet"]
    for query in ("favourite", "analyse"):  # (the posts have neither spelling)
        results = search(index, query)
        assert ids(results) == [] and results.corrections == [], query


def test_an_irregular_plural_finds_its_singular(tmp_path):
    """ "woman" found nothing where the posts say "women" (Snowball takes endings off,
    and "women" has none); the form typed comes first."""
    index = index_of(tmp_path, [
        {"id": "women", "title": "Women who own firms", "body": "Women start most new firms."},
        {"id": "woman", "title": "One woman's shop", "body": "A woman started it in 1990."},
        {"id": "other", "title": "Cash flow", "body": "Watch your receivables."},
    ])  # fmt: skip
    for query, found in [("woman", ["woman", "women"]), ("women", ["women", "woman"])]:
        results = search(index, query)
        assert ids(results) == found and results.corrections == [], query
    # The snippet marks the other form too (its first letters are not the word's).
    assert "<mark>Women</mark> start" in search(index, "woman").hits[1]["snippet"]


def test_a_decade_is_found_with_or_without_its_apostrophe(tmp_path):
    """ "1990's" and "1990s" are one word (the apostrophe after a number is no
    possessive), and "80s" finds "the '80's"."""
    index = index_of(tmp_path, [
        {"id": "nineties", "title": "Selling in the 1990's", "body": "Pagers and fax machines."},
        {"id": "eighties", "title": "Back to the 80s", "body": "Shoulder pads in the 1980s."},
        {"id": "year", "title": "The year 1990", "body": "A recession began."},
    ])  # fmt: skip
    for query, found in [("1990s", ["nineties"]), ("1990's", ["nineties"]),
                         ("80's", ["eighties"]), ("80s", ["eighties"]),
                         ("1980's", ["eighties"]), ("1990", ["year"])]:  # fmt: skip
        assert ids(search(index, query)) == found, query


def test_a_slip_of_the_fingers_is_the_likelier_typo(tmp_path):
    """At the same distance, a typo that one slip explains (a neighbouring key, two
    letters swapped, a letter dropped or doubled) wins over a commoner word that only a
    key far away explains: "onte" is "note", not "one" with a stray "t"."""
    from search.typos import is_slip

    slips = [("onte", "note"), ("yesr", "year"), ("rase", "raise"), ("geet", "get"),
             ("laong", "along"), ("fod", "food"), ("cadh", "cash"), ("wiht", "with")]  # fmt: skip
    others = [("onte", "one"), ("rase", "rate"), ("rase", "rise"), ("yesr", "yes"),
              ("laong", "long"), ("saie", "sale"), ("wiht", "wilt")]  # fmt: skip
    assert all(is_slip(typed, meant) for typed, meant in slips)
    assert not any(is_slip(typed, meant) for typed, meant in others)
    # Two edits are not judged, whatever the lengths: "cryslar" for "chrysler" (one
    # letter more) had been no slip, for "crystal" (the same length) not judged, and the
    # rarer word won.
    two_edits = [("cryslar", "chrysler"), ("cryslar", "crystal"), ("chryslerrr", "chrysler")]
    assert all(is_slip(typed, meant) for typed, meant in two_edits)
    posts = [{"id": f"one{n}", "title": f"Part {n}", "body": "One more thing."} for n in range(4)]
    posts.append({"id": "note", "title": "A note", "body": "A short note."})
    index = index_of(tmp_path, posts)
    results = search(index, "onte")
    assert results.corrections == [{"from": "onte", "to": "note"}]
    assert ids(results) == ["note"]


def test_a_seven_letter_word_two_edits_away_is_corrected_where_its_neighbours_vouch(tmp_path):
    """ "cryslar" is two edits from "chrysler": a word of seven letters is corrected one
    edit away only (two reach too many words), so "cryslar earnings" found the posts
    with "earnings" alone ("no article has all of the words") and "cryslar" nothing,
    with nothing offered. Now the query's other words vouch for such a correction, as
    for a typo in the first letter, and a word alone that finds nothing is offered it.
    A word of English the posts lack is what the reader meant ("kitchen care" is not
    "kitten care"), as before."""
    posts = [{"id": f"c{n}", "title": f"Chrysler quarter {n}", "body": "Chrysler earnings rose."}
             for n in range(3)]  # fmt: skip
    posts += [{"id": "crystal", "title": "Glass", "body": "Crystal glasses sold well."},
              {"id": "other", "title": "Steel", "body": "Steel earnings fell."},
              {"id": "kitten", "title": "Pets", "body": "Kitten care at home."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "cryslar earnings")
    assert found.corrections == [{"from": "cryslar", "to": "chrysler"}]
    assert sorted(ids(found)) == ["c0", "c1", "c2"]
    alone = search(index, "cryslar")
    assert (alone.total, alone.did_you_mean) == (0, "chrysler")
    english = search(index, "kitchen care")
    assert not english.corrections and ids(english) == ["kitten"]  # (a partial match)


def test_a_slip_is_likelier_not_certain_a_far_commoner_word_wins(tmp_path):
    """A slip of the fingers makes a typo some tens of times likelier (SLIP_ODDS), not a
    certainty: "tutal" is "total", in thirty posts, not "tital" ("i" beside "u"), a
    misspelling one post has (the posts with "total" are the answer). Where
    the commoner word is only a few times as common, the slip still wins (the test
    above)."""
    from search.typos import SLIP_ODDS, is_slip

    assert is_slip("tutal", "tital") and not is_slip("tutal", "total")
    posts = [{"id": f"sum{n}", "title": f"Sums {n}", "body": "The total is due."}
             for n in range(SLIP_ODDS + 5)]  # fmt: skip
    posts.append({"id": "typo", "title": "Misspelt", "body": "The tital is due."})
    index = index_of(tmp_path, posts)
    results = search(index, "tutal", per_page=50)
    assert results.did_you_mean == "total" and results.corrections[0]["to"] == "total"
    assert results.total == SLIP_ODDS + 5 and "typo" not in ids(results)


def test_the_words_beside_a_typo_choose_its_correction_in_a_set_expression(tmp_path, monkeypatch):
    """A maxim remembered with typos: "customers from hel" is "customer from hell",
    though "help" is commoner, because the posts that say "hell" say "from hell";
    "write ths on a rock" is "this", not the commoner "the", because "write this" and
    "this on" are the posts' phrase. A pair of words that meet by chance in a few posts
    ("one gain", in a tenth of none of them) decides nothing: "onte gain" stays "note".
    The neighbours vouch for a first-letter typo too: "orce is with the" is "force"."""

    def posts_saying(name: str, body: str, count: int, title: str = "Post") -> list[dict]:
        return [{"id": f"{name}{n}", "title": f"{title} {n}", "body": body}
                for n in range(count)]  # fmt: skip

    posts = [
        *posts_saying("hell", "Never keep a customer from hell.", 2, "Bad customers"),
        *posts_saying("help", "Customers ask for help. Help customers from the start.", 5),
        *posts_saying("rock", "Write this on a rock: the customer decides.", 2),
        *posts_saying("the", "Write the plan, then the letter; the rock is on the table.", 6),
        *posts_saying("one", "One more thing. One gain.", 2),
        # ("one" in 22 posts: within a slip's odds of "note"'s one, see SLIP_ODDS)
        *posts_saying("more", "One more thing.", 20),
        *posts_saying("note", "A short note on a gain.", 1),
        *posts_saying("force", "The force is with the customer.", 1),
        *posts_saying("once", "We met the customer once, in a shop.", 5),
        *posts_saying("paid", "Acme Inc paid a fee to Brinkmann.", 1),
        *posts_saying("said", "Acme Inc results, said Brinkmann.", 10),
    ]
    index = index_of(tmp_path, posts)
    hell = search(index, "customers from hel")
    assert hell.corrections[0]["to"] == "hell" and ids(hell)[0].startswith("hell")
    rock = search(index, "write ths on a rock")
    assert [c["to"] for c in rock.corrections] == ["this"]
    assert sorted(ids(rock)[:2]) == ["rock0", "rock1"]
    assert [c["to"] for c in search(index, "onte gain").corrections] == ["note"]
    # A first letter lost: only stop words around, but "force is" vouches for "force"
    # (one post is enough where it is the word's only one), not the commoner "once".
    force = search(index, "orce is with the")
    assert [c["to"] for c in force.corrections] == ["force"] and ids(force)[0] == "force0"
    force = search(index, "orce is with the customer")  # ("once" is beside "customer" too)
    assert [c["to"] for c in force.corrections] == ["force"] and ids(force)[0] == "force0"
    lost = search(index, "a ustomer from")  # (stop words only: "a customer from" vouches)
    assert [c["to"] for c in lost.corrections] == ["customer"] and ids(lost)[0].startswith("hell")
    # Between two neighbours only the three words together count: "said brinkmann" is
    # in ten posts, but "inc said brinkmann" in none, and "paid" is a slip away.
    paid = search(index, "inc oaid brinkmann")
    assert paid.corrections[0]["to"] == "paid" and ids(paid)[0] == "paid0"
    # The lookups have one allowance per query (a query of fifty typos between words is
    # not held for fifty): spent, the near words keep their order.
    monkeypatch.setattr("search.corrections.ADJACENT_LOOKUPS", 0)
    assert search(index, "customers from hel").corrections[0]["to"] == "help"


def care_posts(n: int) -> list[dict]:
    """`n` posts (care0, care1…) that say "customer service"."""
    return [{"id": f"care{k}", "title": f"Care {k}", "body": "Customer service matters."}
            for k in range(n)]  # fmt: skip


def test_a_word_of_english_the_blog_lacks_is_no_typo_unless_the_other_words_say_so(tmp_path):
    """A small blog lacks most of English: "tips" beside "customer service" is a word it
    does not have, not "trips" (one edit away, but never with those words), and
    "advice" is not "ad voice". Where the other words are found with the near word,
    the change is made as for any typo."""
    posts = care_posts(3)
    posts += [{"id": "trips", "title": "Travel", "body": "Business trips by train."},
              {"id": "tour", "title": "Tours", "body": "Trips for a customer."},
              {"id": "ad", "title": "Radio", "body": "An ad in a loud voice."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    tips = search(index, "customer service tips")
    assert tips.corrections == [] and tips.did_you_mean is None
    # (the posts with the words it has: "tips" at the end is optional, not a partial
    # match that listed a post with only one of them below; and it is said that none of
    # them says "tips": "635 results for tax tips" said nothing of it)
    assert sorted(ids(tips)) == ["care0", "care1", "care2"]
    assert tips.warnings == [
        'None of the articles with the other words says "tips"; showing them without it.'
    ]
    tipped = care_posts(2) + [{"id": "tip", "title": "Tips", "body": "Customer service tips."}]
    (tmp_path / "tipped").mkdir()
    told = search(index_of(tmp_path / "tipped", tipped), "customer service tips")
    assert ids(told)[0] == "tip" and told.warnings == []
    assert search(index, "small business advice").corrections == []
    # "business tips": the posts with "trips" say "business" too.
    assert search(index, "business tips").corrections == [{"from": "tips", "to": "trips"}]
    assert search(index, "custmer service").corrections == [{"from": "custmer", "to": "customer"}]
    # With another typo in the query, the English word waits for its correction: then
    # "customer service" vouches (not "customer" alone, which a post has with "trips").
    both = search(index, "customer servise tips")
    assert both.corrections == [{"from": "servise", "to": "service"}]
    assert both.did_you_mean == "customer service tips"
    # Only by a slip of the fingers: "rude" is no "rule" (d and l are keys apart),
    # though a post has "rule" with "customers" (on a small blog, most posts do).
    (tmp_path / "rude").mkdir()
    index = index_of(tmp_path / "rude", [
        {"id": "rule", "title": "The rule", "body": "The first rule: customers decide."},
        {"id": "serve", "title": "Serve", "body": "Serve customers well."},
        {"id": "rules", "title": "Golden", "body": "Golden rules for customers."}])  # fmt: skip
    rude = search(index, "rude customers")
    assert rude.corrections == [] and rude.did_you_mean is None and len(ids(rude)) == 3
    assert search(index, "rile customers").corrections[0]["to"] == "rule"  # (i beside u)


def test_a_maxim_remembered_in_another_tense_finds_its_posts(tmp_path):
    """ "written on a rock" is the maxim "write this on a rock" half-remembered: every
    word is found (it had been a partial match, "written" in no post), the posts that
    say "written" first."""
    posts = [{"id": "rock", "title": "Pricing", "body": "Write this on a rock: price right."},
             {"id": "wrote", "title": "Notes", "body": "I wrote it on a rock once."},
             {"id": "said", "title": "Stones", "body": "It is written on a rock."},
             {"id": "other", "title": "Other", "body": "A rock and nothing else."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "written on a rock")
    assert ids(found)[0] == "said" and set(ids(found)) == {"said", "rock", "wrote"}
    assert not found.warnings and not found.corrections


def test_a_word_of_english_no_post_says_is_offered_the_nearest_word_the_posts_say(tmp_path):
    """ "photography" on a blog whose posts say "photograph": a word of English is never
    changed unasked, but where nothing is found the page offers the near word ("Did you
    mean photograph?"), only where that finds posts, and not for a query with two
    words no post says."""
    posts = [{"id": "photo", "title": "Focus", "body": "When you take a photograph, think.",
              "categories": ["Craft"]},
             {"id": "tips", "title": "Trips", "body": "Business trips by train.",
              "categories": ["Travel"]},
             {"id": "other", "title": "Other", "body": "Nothing to see.",
              "categories": ["Travel"]}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "photography")
    assert found.total == 0 and found.corrections == [] and found.did_you_mean == "photograph"
    assert ids(search(index, found.did_you_mean)) == ["photo"]
    assert search(index, "photography", {"category": ["Travel"]}).did_you_mean is None
    assert search(index, "photography tips").did_you_mean is None
    # Only a relative ("photograph" begins "photography"): "taxes" is no slip for "takes",
    # nor "novice" for "notice", which the sample blog's posts say and it had offered.
    posts.append({"id": "take", "title": "Notice", "body": "It takes time to notice."})
    (tmp_path / "more").mkdir()
    index = index_of(tmp_path / "more", posts)
    for typed in ("taxes", "novice"):
        assert search(index, typed).did_you_mean is None, typed
    assert search(index, "photography").did_you_mean == "photograph"
    from web import create_app

    client = create_app({"index": str(index), "TESTING": True}).test_client()
    page = client.get("/search?q=photography").get_data(as_text=True)
    assert 'Did you mean\n        <a href="/search?q=photograph">photograph</a>?' in page


def test_a_word_typed_may_be_the_beginning_of_a_word(tmp_path):
    """A reader stops typing a long word once it is clear ("blasin") or abbreviates it
    ("cust service"): a word the blog lacks is the commonest word starting with it found
    with the other words, where a typo's near word is far rarer with them ("cost" is
    one edit from "cust", but one post has it with "service", five "customer")."""
    posts = care_posts(5)
    posts += [{"id": "cost", "title": "Costs", "body": "The cost of service."},
              {"id": "serve", "title": "Serving", "body": "We serve a customer well."},
              {"id": "jim", "title": "About", "body": "Jim Blasingame writes here."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    cust = search(index, "service cust")
    assert cust.corrections[0]["from"] == "cust" and cust.corrections[0]["to"] == "customer"
    assert cust.did_you_mean == "service customer"
    assert sorted(ids(cust)) == [f"care{n}" for n in range(5)]
    serv = search(index, "customer serv")
    assert serv.corrections[0]["to"] == "service"
    assert ids(serv)[-1] == "serve"  # (searched too, below: "serve" starts with "serv")
    assert set(ids(serv)[:5]) == {f"care{n}" for n in range(5)}
    assert search(index, "blasin").corrections[0]["to"] == "blasingame"
    assert ids(search(index, "blasin")) == ["jim"]
    # Before another word, or followed by a space, too (an abbreviation).
    assert search(index, "cust service").corrections[0]["to"] == "customer"
    assert search(index, "service cust ").corrections[0]["to"] == "customer"
    assert search(index, "service cust", correct=False).corrections == []
    assert search(index, "customer -serv").corrections[0]["to"] == "serve"  # (left out: typo)
    # A word of English alone is a word finished ("custom" is not "customer", though
    # its stem finds the posts with "customer" as for any query).
    assert search(index, "custom").corrections == []


def test_a_last_word_no_post_has_with_the_others_may_begin_the_word_meant(tmp_path):
    """ "thank you is gold", the maxim "Thank you is golden" half remembered: no post has
    "thank" and "gold", and the partial match (on the sample blog, a post about a gold
    gift first) listed posts with some of the words. The last word, begun, finds the
    post with every word, typed in quotes too; as typed, or where no completion is
    found with the other words, the partial match stays."""
    posts = [{"id": "golden", "title": "Thank you is golden", "body": "Say thank you often."},
             {"id": "gift", "title": "A gold gift", "body": "Customers give you gold."},
             {"id": "silverware", "title": "Silverware", "body": "Spoons and forks."},
             {"id": "staff", "title": "Staff", "body": "Thank the staff."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "thank you is gold")
    assert ids(found) == ["golden"] and found.warnings == []
    assert found.corrections == [{"from": "gold", "to": "gold", "also": ["golden"],
                                  "rare": True, "completed": True, "partial": True}]  # fmt: skip
    from web import create_app

    page = create_app({"index": str(index), "TESTING": True}).test_client().get(
        "/search?q=thank+you+is+gold").get_data(as_text=True)  # fmt: skip
    assert "No post has all the words with <strong>gold</strong>, which may be the start" in page
    assert "showing posts with golden." in page
    typed = search(index, "thank you is gold", correct=False)
    assert PARTIAL_MATCH in typed.warnings and "gift" in ids(typed)
    spoons = search(index, "thank you for the spoons")  # (no word begun by "spoons")
    assert spoons.corrections == [] and PARTIAL_MATCH in spoons.warnings
    # Quoted, as a maxim is: no post has the phrase, but one has it with the last word
    # completed, as a phrase (it had been a partial match, the gold gift first).
    quoted = search(index, '"thank you is gold"')
    assert ids(quoted) == ["golden"] and not quoted.loosened
    assert quoted.warnings == ['No post has the exact phrase "thank you is gold"; showing '
                               'posts that say "thank you is golden".']  # fmt: skip


def test_a_last_word_is_not_read_as_begun_where_no_post_has_the_others_with_it(tmp_path):
    """ "marketing plan for small business" on the sample blog: no post says "marketing"
    and "plan" together. "plan", in one post, was left out as a possible typo when the
    completions were counted, so "business" was read as the start of "businesses", the
    page said so, and still no post had all the words. A completion is taken only where
    a post has it with every other word as typed."""
    posts = [{"id": "plan", "title": "Plan for success", "body": "A small business plan."},
             {"id": "market", "title": "Marketing", "body": "Marketing for small businesses."},
             {"id": "more", "title": "Growth", "body": "Marketing helps small businesses."},
             {"id": "owners", "title": "Owners", "body": "Small business owners."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "marketing plan for small business")
    assert found.corrections == [] and PARTIAL_MATCH in found.warnings
    assert set(ids(found)) == {"plan", "market", "more", "owners"}


def test_a_last_word_of_three_letters_or_one_the_blog_has_may_be_cut_short(tmp_path):
    """ "bank of jap" is Japan, not "map" (a slip beside, but in one post with "bank"),
    where nothing follows it: "jap " was finished (a phone adds a space after a word it
    completed). "linux kern" is a word the blog has (Kern County, in a post without
    "linux"), kept, with "kernel", found with "linux" in ten times as many posts,
    searched beside it."""
    posts = [{"id": f"jp{n}", "title": f"Yen {n}", "body": "The Bank of Japan buys."}
             for n in range(5)]  # fmt: skip
    posts += [{"id": "map", "title": "Maps", "body": "A bank map."}]
    posts += [{"id": f"lx{n}", "title": f"Boot {n}", "body": "The Linux kernel boots."}
              for n in range(12)]  # fmt: skip
    posts += [{"id": "kern", "title": "Oil", "body": "Kern County oil."}]
    index = index_of(tmp_path, posts)
    jap = search(index, "bank of jap")
    assert jap.corrections[0]["to"] == "japan" and sorted(ids(jap)) == [f"jp{n}" for n in range(5)]
    assert search(index, "bank of jap ").corrections[0]["to"] == "map"
    kern = search(index, "linux kern", per_page=20)
    assert kern.corrections == [{"from": "kern", "to": "kern", "also": ["kernel"], "rare": True,
                                 "completed": True}]  # fmt: skip
    assert sorted(ids(kern)) == sorted(f"lx{n}" for n in range(12))
    assert ids(search(index, "kern")) == ["kern"]  # (alone: the word)
    from web import create_app

    page = create_app({"index": str(index), "TESTING": True}).test_client().get(
        "/search?q=linux+kern").get_data(as_text=True)  # fmt: skip
    assert "<strong>kern</strong> may be the start of a word: posts with kernel follow" in page
    assert "Few posts have" not in page and "correct=false" in page


def test_a_word_of_three_letters_is_corrected_only_by_a_slip_of_the_fingers(tmp_path):
    """ "biz" is one edit from "big", and "small" vouches for it (small and big firms),
    but z is nowhere near g: "small biz" is not "small big". "bog" is a slip from "big"
    (o beside i), and is corrected."""
    posts = [{"id": f"big{n}", "title": f"Firms {n}", "body": "Small and big firms."}
             for n in range(3)]  # fmt: skip
    posts += [{"id": "biz", "title": "Growth", "body": "A small business grows."}]
    index = index_of(tmp_path, posts)
    assert search(index, "small biz").corrections == []
    assert search(index, "small bog").corrections == [{"from": "bog", "to": "big"}]


def test_a_typo_is_never_searched_with_a_word_of_two_letters_beside_its_correction(tmp_path):
    """ "hel" is one edit from "hell", "help" and "he". "He" is in most posts: searched
    beside "hell" it made the word typed optional, and every post with "customers" and
    "he" came back as if it had all the words, "He" marked in its snippet."""
    posts = [{"id": "hell", "title": "Bad customers", "body": "Never keep customers from hell."}]
    posts += [{"id": f"help{n}", "title": f"Desk {n}", "body": "Customers ask for help."}
              for n in range(2)]  # fmt: skip
    posts += [{"id": f"he{n}", "title": f"Shop {n}", "body": "He thanks his customers daily."}
              for n in range(5)]  # fmt: skip
    results = search(index_of(tmp_path, posts), "customers from hel")
    assert results.corrections == [{"from": "hel", "to": "hell", "also": ["help"]}]
    assert ids(results)[0] == "hell" and sorted(ids(results)[1:]) == ["help0", "help1"]


def test_every_near_word_is_weighed_not_the_first_few_in_alphabetical_order(tmp_path):
    """ "banl": ten words are one edit away, eight of them before "bank" in alphabetical
    order ("baal", "bael", "bail", "ball", "band"...); the commonest that a slip
    explains, "bank", must be among those weighed (a cut at the first eight in
    alphabetical order left it out)."""
    near = ["baal", "bael", "bail", "ball", "band", "bane", "bang", "bani", "bans", "bawl"]
    posts = [{"id": w, "title": f"The {w}", "body": f"A story of a {w}."} for w in near]
    posts += [{"id": f"bank{n}", "title": f"Bank {n}", "body": "The bank lends."}
              for n in range(5)]  # fmt: skip
    index = index_of(tmp_path, posts)
    results = search(index, "banl")
    assert results.corrections[0]["to"] == "bank"
    assert sorted(ids(results)) == [f"bank{n}" for n in range(5)]


def test_a_word_only_the_others_can_correct_waits_for_their_corrections(tmp_path):
    """ "custmer from hel": a 3-letter word is corrected only where the query's other
    words vouch for it, and the only other word is a typo too; once "custmer" is
    "customer", it vouches for "hell" (and not for "help", never beside "customer")."""
    posts = [{"id": "hell", "title": "Never again", "body": "A customer from hell."}]
    posts += [{"id": f"help{n}", "title": f"Desk {n}", "body": "Help is on the way."}
              for n in range(3)]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query in ("custmer from hel", "hel custmer"):
        results = search(index, query)
        assert sorted(c["to"] for c in results.corrections) == ["customer", "hell"], query
        assert [c["from"] for c in results.corrections] == [w for w in query.split()
                                                            if w != "from"]  # fmt: skip
        assert ids(results) == ["hell"] and not results.warnings


def test_a_plural_the_posts_never_spell_is_searched_as_the_word_they_spell(tmp_path):
    """ "customer from hells": "hells" is in no post, and "helps" is as near (one key
    beside the "l", a slip), commoner and beside "customer" too; but "hells" is a
    form of "hell", no typo at all, so the quoted phrase finds the post it quotes, and
    nothing says "showing results for" a word the reader did not mistype."""
    posts = [{"id": "hell", "title": "Never again", "body": "A customer from hell."}]
    posts += [{"id": f"helps{n}", "title": f"Service {n}", "body": "The customer helps us."}
              for n in range(4)]  # fmt: skip
    index = index_of(tmp_path, posts)
    results = search(index, '"customer from hells"')
    assert ids(results) == ["hell"] and not results.loosened
    assert results.corrections == [] and results.did_you_mean is None


def test_a_question_asks_about_its_other_words(tmp_path):
    """ "why is relevance important" asks about relevance: the question word is not
    required (the posts on relevance that say "important" are found), but a post that
    has it too comes first; alone, it is a word like any other."""
    posts = [
        {"id": "asked", "title": "At last", "body": "Why relevance is important."},
        {"id": "listen", "title": "Listen", "body": "Why it is important to listen."},
    ]
    posts += [{"id": f"rel{n}", "title": f"Matters {n}", "body": "Relevance is important."}
              for n in range(2)]  # fmt: skip
    posts += [{"id": f"win{n}", "title": f"Wins {n}", "body": "Relevance wins."} for n in range(5)]
    index = index_of(tmp_path, posts)
    found = search(index, "why is relevance important")
    assert ids(found)[0] == "asked" and sorted(ids(found)[1:]) == ["rel0", "rel1"]
    assert sorted(ids(search(index, "why"))) == ["asked", "listen"]
    explained = search(index, "why is relevance important", explain=True).hits[0]["explain"]
    assert any(p.get("word") == "why" for p in explained["parts"])
    assert explained["sum"] == round(found.hits[0]["score"], 3)
    # "what's" typed on a phone, without its apostrophe: a question word too, not a
    # word to require or to correct ("hows" is no typo of another word).
    for query in ("whats relevance", "hows relevance", "what's relevance"):
        found = search(index, query)
        assert len(ids(found)) == 8 and not found.corrections and not found.warnings, query


def test_a_question_word_weighs_no_more_in_a_partial_match_than_the_words_asked_about(tmp_path):
    """ "how do i handle a difficult customer" on the sample blog, where no post says
    "handle": in the partial match the other words' scores are scaled down, and "how"
    was added whole, so a post that says "how" often came above the one about difficult
    customers. It is scaled as the document's other words are (and so explained)."""
    posts = [{"id": "hell", "title": "A customer from hell",
              "body": "A difficult customer can be won. Every difficult customer tests you."},
             {"id": "golden", "title": "Thank you is golden",
              "body": "How you answer matters. How much a customer hears, and how, is "
                      "difficult to say. How often? How well?"}]  # fmt: skip
    posts += [{"id": f"c{n}", "title": f"Care {n}", "body": "How customers come first."}
              for n in range(6)]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "how do i handle a difficult customer", explain=True)
    assert PARTIAL_MATCH in found.warnings and ids(found)[:2] == ["hell", "golden"]
    for hit in found.hits[:2]:  # (its parts each rounded to four places, then summed)
        assert hit["explain"]["sum"] == pytest.approx(hit["score"], abs=0.002)


def test_how_to_asks_about_what_follows_it(tmp_path):
    """ "how to lose weight" on the 10k corpus: "how to" was joined as "howto" (a post of
    software notes says it), which made "how" a required word, so the posts about
    losing weight that never say "how" were not found; and where "how" was only added,
    its whole score put a post that says "how" three times and "lose" and "weight" in
    passing above them. A question's word now adds half its score, where it is."""
    posts = [
        {"id": "diet", "title": "Shedding pounds", "body": "To lose weight, walk more."},
        {"id": "asked", "title": "Notes", "body": "How to lose weight: walk more, eat less."},
        {
            "id": "talks",
            "title": "Trade talks",
            "body": "How fast? How far? How long? Nobody wants to lose face, or the weight.",
        },
        {"id": "howto", "title": "Networking HOWTO", "body": "A howto for routers."},
    ]
    posts += [{"id": f"w{n}", "title": f"Note {n}", "body": "We work."} for n in range(8)]
    index = index_of(tmp_path, posts)
    found = search(index, "how to lose weight")
    assert ids(found) == ["asked", "diet", "talks"], found.parsed
    # Alone, or with stop words alone, it is the word searched for.
    assert "howto" not in ids(search(index, "how"))
    assert set(ids(search(index, "how to"))) >= {"asked", "talks"}


def test_a_question_is_about_its_subject_not_its_auxiliaries(tmp_path):
    """ "how do i keep customers", "what does relevance mean": the auxiliaries and
    pronouns of a question are not searched for. Required, they found only the post
    that happens to say "do", "i", "keep" and "customers" (a post about something else),
    and "mean", which the posts lack, was corrected to "meant". A question of nothing
    else ("how do i") and a query that is no question ("i do") keep them."""
    posts = [
        {"id": "keep", "title": "Keeping customers", "body": "Keep customers by listening."},
        {"id": "keep2", "title": "Loyalty", "body": "Customers keep coming back."},
        {"id": "said", "title": "Diary", "body": "I do keep my customers waiting, I admit."},
        {"id": "rel", "title": "Relevance", "body": "Relevance is the new expectation."},
        {"id": "meant", "title": "Notes", "body": "Relevance meant little then."},
    ]
    index = index_of(tmp_path, posts)
    for query in ("how do i keep customers", "hwo do i keep customers"):  # (a slip)
        found = search(index, query)
        assert sorted(ids(found)) == ["keep", "keep2", "said"] and not found.warnings, query
        assert not found.corrections
    found = search(index, "what does relevance mean")
    assert sorted(ids(found)) == ["meant", "rel"] and not found.corrections
    assert ids(search(index, "how do i")) == ["said"]
    assert ids(search(index, "i do keep")) == ["said"]


def test_words_texted_short_are_spelled_out(tmp_path):
    """ "thank u", "how can u keep ur customers": as texted, "you" and "your", stop words;
    "u" was required and matched the posts on the U.S. (the index keeps its "U" as "u").
    Alone, "u" is as typed."""
    posts = [{"id": "thanks", "title": "Thanks", "body": "Thank you, customers."},
             {"id": "keep", "title": "Keep", "body": "Keep your customers close."},
             {"id": "us", "title": "Made here", "body": "Made in the U.S. today."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "thank u")
    assert ids(found) == ["thanks"] and not found.warnings
    assert ids(search(index, "how can u keep ur customers")) == ["keep"]
    assert ids(search(index, "u")) == ["us"]


def test_a_comparison_asks_about_the_things_it_compares(tmp_path):
    """ "users vs customers": the posts that compare them say "users and customers";
    "vs" is not required (it left only posts with some of the words, and a warning),
    a post that says it comes first, and alone it is a word."""
    posts = [{"id": "both", "title": "Users and customers", "body": "Users are not customers."},
             {"id": "vs", "title": "Users vs. customers", "body": "Users, then customers."},
             {"id": "users", "title": "Users", "body": "Users log in."},
             {"id": "game", "title": "Game", "body": "Home vs away."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query in ("users vs customers", "users versus customers", "Users vs. customers"):
        found = search(index, query)
        assert ids(found) == ["vs", "both"] and not found.warnings, query
    assert sorted(ids(search(index, "vs"))) == ["game", "vs"]


def test_a_sign_spoken_after_a_number_is_not_required(tmp_path):
    """Voice typing writes "60 percent", "62 billion dollars"; the posts write "60%" and
    "$62 billion", and the index keeps no signs: the word found only the posts that
    happen to say it. After a number it is not required (a post that says it comes
    first); elsewhere it is a word like any other."""
    posts = [{"id": "sign", "title": "Expectations", "body": "60% of customers expect more."},
             {"id": "said", "title": "Survey", "body": "60 percent of customers said so."},
             {"id": "money", "title": "Losses", "body": "Losing $62 billion a year."},
             {"id": "word", "title": "Rates", "body": "A percent, dollars."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "60 percent of customers")
    assert ids(found) == ["said", "sign"] and not found.warnings
    assert ids(search(index, "62 billion dollars")) == ["money"]
    assert sorted(ids(search(index, "percent"))) == ["said", "word"]
    assert ids(search(index, "dollars rates")) == ["word"]


def test_words_that_name_the_search_are_not_searched_for(tmp_path):
    """ "posts about pricing", "any articles on hiring", "show me blog posts from 2022":
    the lead-in names what is searched, not its subject. Required, it matched only the
    post that says "post" and "about" (a partial match, with its warning, that post
    first); now the posts about pricing, and with a year, every post of that year. A
    lead-in that is the subject stays ("articles of incorporation", "customers post"),
    and "tips" is optional: a post of tips first, the other posts too."""
    posts = [
        {"id": "posting", "title": "Reviews", "body": "Customers post about you online.",
         "date": "2021-02-01"},
        {"id": "price", "title": "Pricing", "body": "Price it right.", "date": "2022-03-01"},
        {"id": "tips", "title": "Five tips", "body": "Tips on pricing well.", "date": "2020-01-01"},
        {"id": "hire", "title": "Hiring", "body": "Hire slowly.", "date": "2022-05-01"},
        {"id": "legal", "title": "Incorporating", "body": "File your articles of incorporation.",
         "date": "2021-06-01"},
    ]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query in (
        "posts about pricing",
        "any articles on pricing",
        "Blog posts about pricing?",
        "show me posts about pricing",
        "anything on pricing",
        "is there an article about pricing?",
        "show me pricing",
        "looking for pricing",
        "do you have posts on pricing",
        "psots abuot pricing",
        "where can i find articles about pricing",
        "the best posts on pricing",
        "any good articles about pricing",
    ):  # fmt: skip  (slips in the lead-in)
        found = search(index, query)
        assert sorted(ids(found)) == ["price", "tips"] and not found.warnings, query
        assert found.query == query and found.parsed == "pricing"
    assert ids(search(index, "tips on pricing")) == ["tips", "price"]
    assert ids(search(index, "articles about hiring")) == ["hire"]
    for query in ("blog posts from 2022", "posts 2022", "articles in 2022"):
        assert sorted(ids(search(index, query))) == ["hire", "price"], query
    assert ids(search(index, "articles of incorporation")) == ["legal"]
    assert ids(search(index, "customers post")) == ["posting"]
    assert ids(search(index, "posts")) == ["posting"]  # (all a query says: a word)
    for query in ("latest posts", "recent articles", "the newest posts"):  # (newest first)
        found = search(index, query)
        assert ids(found) == ["hire", "price", "legal", "posting", "tips"], query
        assert not found.warnings
    assert ids(search(index, "latest articles on pricing"))[0] in ("price", "tips")
    # And the latest asked for alone ("most recent": "recent" had been corrected to
    # "retention"), and the first: oldest first ("oldest posts" found nothing).
    for query in ("latest", "most recent", "the most recent posts", "newest"):
        found = search(index, query)
        assert ids(found) == ["hire", "price", "legal", "posting", "tips"], query
    for query in ("oldest posts", "the first articles", "earliest", "first post"):
        found = search(index, query)
        assert ids(found) == ["tips", "posting", "legal", "price", "hire"], query
        assert found.sort == "oldest" and not found.warnings, query
    assert search(index, "oldest posts", sort="newest").sort == "newest"  # (as chosen)
    # "that post about …"; and a word for a post at the end, optional: the posts that say
    # it first (a partial match led by "articles" before), not "post" alone (a position).
    assert sorted(ids(search(index, "that post about pricing"))) == ["price", "tips"]
    for query in ("pricing articles", "pricing blog posts", "incorporation article"):
        found = search(index, query)
        assert found.total and not found.warnings, query
    assert ids(search(index, "incorporation article")) == ["legal"]
    found = search(index, "hiring tips")  # (what a post gives, at the end: optional)
    assert ids(found) == ["hire"]  # (and it is said that the post does not say "tips")
    assert found.warnings == [
        'None of the articles with the other words says "tips"; showing them without it.'
    ]
    assert ids(search(index, "pricing tips")) == ["tips", "price"]
    assert search(index, "pricing post").warnings  # (as typed: "post" required)


NEWEST_FIRST = "Newest first, as the search asks; sort by relevance for the best matches first."


def test_words_that_ask_for_the_latest_or_the_first_sort_by_date(tmp_path):
    """ "latest posts on pricing", "latest pricing", "most recent pricing": the posts about
    pricing, newest first (by relevance, the older post that has "pricing" in its title
    came first; and "latest" with no word for a post between was required, a partial
    match); "oldest pricing", "the first articles on pricing": oldest first. The answer
    says so, and an order the request chooses stands. "new", "first" and "recent" alone
    before a subject are words of it ("new customers")."""
    posts = [
        {"id": "old", "title": "Pricing", "body": "Pricing, pricing and pricing.",
         "date": "2019-01-01"},
        {"id": "new", "title": "A note", "body": "On pricing once more.", "date": "2023-06-01"},
        {"id": "undated", "title": "Pricing notes", "body": "Pricing again."},
        {"id": "fresh", "title": "New customers", "body": "Recent pricing for new customers.",
         "date": "2021-01-01"},
    ]  # fmt: skip
    index = index_of(tmp_path, posts)
    assert ids(search(index, "pricing"))[0] in ("old", "undated")  # (by relevance)
    for query in ("latest posts on pricing", "latest pricing", "the most recent pricing",
                  "newest pricing", "show me the latest articles about pricing",
                  "recent posts on pricing", "what are the latest posts about pricing",
                  "whats the latest on pricing"):  # fmt: skip
        found = search(index, query)
        assert ids(found) == ["new", "fresh", "old", "undated"], query
        assert found.sort == "newest" and found.warnings == [NEWEST_FIRST], query
        assert found.parsed == "pricing", query
    for query in ("oldest pricing", "earliest posts about pricing",
                  "the first articles on pricing"):  # fmt: skip
        found = search(index, query)
        assert ids(found) == ["old", "fresh", "new", "undated"], query
        assert found.sort == "oldest" and found.warnings[0].startswith("Oldest first"), query
    found = search(index, "latest pricing", sort="relevance")  # (as the request chose)
    assert found.sort == "relevance" and ids(found)[0] != "new" and not found.warnings
    assert search(index, "oldest pricing", sort="newest").sort == "newest"
    # Words of the subject: searched, by relevance.
    for query, parsed in (("new customers", "new AND customers"),
                          ("recent pricing", "recent AND pricing")):  # fmt: skip
        found = search(index, query)
        assert ids(found) == ["fresh"] and found.sort == "relevance", query
        assert found.parsed == parsed and not found.warnings, query
    # A post's title, as typed: the words of the title remembered, by relevance.
    (tmp_path / "titled").mkdir()
    titled = index_of(tmp_path / "titled", [*posts, {"id": "news", "title": "Latest pricing news",
                      "body": "What it costs.", "date": "2018-01-01"}])  # fmt: skip
    found = search(titled, "latest pricing news")
    assert ids(found)[0] == "news" and found.sort == "relevance" and not found.warnings
    assert search(titled, "newest pricing").sort == "newest"  # (no title says it so)
    # Nothing found: the note of the order is not given.
    found = search(index, "latest zebras")
    assert found.total == 0 and NEWEST_FIRST not in found.warnings


def test_categories_and_tags_are_searched_as_words_the_posts_do_not_say(tmp_path):
    """A reader types a category's name: a word only categories and tags have
    ("entrepreneurship", "profitability") finds the posts filed under them, and is
    neither corrected nor split ("pro it ability"); a word the posts say finds the posts
    that say it, as ranked by their words ("gold"); and a query that names a category or
    tag says so, for the page to offer every post filed under it."""
    posts = [{"id": "starting", "title": "Going it alone", "body": "Start small.",
              "categories": ["Entrepreneurship"], "tags": ["Profitability"]},
             {"id": "ore", "title": "Ore", "body": "Gold rose.", "categories": ["Metals"]},
             {"id": "silver", "title": "Silver", "body": "Silver fell.", "categories": ["Gold"]},
             {"id": "care", "title": "Kindness", "body": "Be kind to the customer.",
              "categories": ["Customer Care"]},
             {"id": "refund", "title": "Refunds", "body": "Refund at once.",
              "categories": ["Customer Care"]}]  # fmt: skip
    index = index_of(tmp_path, posts)
    for word in ("entrepreneurship", "profitability"):
        found = search(index, word)
        assert ids(found) == ["starting"] and found.corrections == [], word
        assert found.named == []  # (the posts filed under it are the answer already)
    assert ids(search(index, "gold")) == ["ore"]
    assert ids(search(index, "golds")) == ["ore"]  # (a form of a word the posts say)
    # Left out, it leaves out the posts filed under it.
    assert "starting" not in ids(search(index, "-entrepreneurship", per_page=50))
    assert ids(search(index, "start -entrepreneurship")) == []
    assert search(index, "gold").named == [{"facet": "category", "value": "Gold", "count": 1}]
    # ("care": no post says it, its category does; nor "customer care" together)
    care = search(index, "Customer Care")
    assert ids(care) == ["care", "refund"] and care.named == []  # (the answer is the category)
    explained = search(index, "entrepreneurship", explain=True).hits[0]["explain"]
    assert explained["parts"][0]["field"] == "category or tag"
    # Where a post says "customer care", the posts that say it are the answer, and the
    # page offers the category's.
    (tmp_path / "said").mkdir()
    index = index_of(tmp_path / "said", [*posts, {"id": "said", "title": "Service",
                                                  "body": "Customer care matters."}])  # fmt: skip
    said = search(index, "customer care")
    assert ids(said) == ["said"] and said.named[0]["value"] == "Customer Care"
    assert search(index, "customer care", {"category": ["Customer Care"]}).named == []
    from web import create_app

    page = create_app({"index": str(index), "TESTING": True}).test_client().get(
        "/search?q=customer+care").get_data(as_text=True)  # fmt: skip
    assert "See every post filed under the category" in page
    assert '<a href="/search?category=Customer+Care">Customer Care</a> (2)' in page


def test_a_category_or_tag_typed_in_words_is_that_filter(tmp_path):
    """ "posts tagged selling" searched the word "tagged" (no post says it: a partial
    match, any post saying "selling"), and "category customer care" required the word
    "category". A category or tag named after "tagged", "category", "filed under" or
    "posts in", or before "category" or "tag", is that filter, the other words searched
    among its posts, and the answer says so. A name no marker points at stays words."""
    posts = [{"id": "care1", "title": "Answer the phone", "body": "Customers call.",
              "categories": ["Customer Care"], "tags": ["phones"]},
             {"id": "care2", "title": "Thank them", "body": "Selling starts with thanks.",
              "categories": ["Customer Care"], "tags": ["selling"]},
             {"id": "sell", "title": "Close the deal", "body": "Ask for the order.",
              "categories": ["Sales"], "tags": ["selling"]},
             {"id": "words", "title": "A word on tags", "body": "Selling: customer care "
              "is the category we tagged most."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query, field, found_ids in [("posts tagged selling", "tag", ["care2", "sell"]),
                                    ("tagged selling", "tag", ["care2", "sell"]),
                                    ("category customer care", "category", ["care1", "care2"]),
                                    ("posts in customer care", "category", ["care1", "care2"]),
                                    ("customer care category", "category", ["care1", "care2"]),
                                    ("posts filed under sales", "category", ["sell"]),
                                    ("thanks tagged selling", "tag", ["care2"])]:  # fmt: skip
        found = search(index, query)
        assert sorted(ids(found)) == found_ids, query
        assert list(found.filters) == [field] and found.read_as, query
        assert found.warnings[0].startswith("Showing the posts "), query
    # Not where no marker points at the name, nor as typed.
    assert "words" in ids(search(index, "customer care selling"))
    typed = search(index, "posts tagged selling", correct=False)
    assert not typed.filters and ids(typed)[0] == "words"
    # The names are read from the generation's one index of them, made once (made for
    # every query, they cost 1 ms of each search at 10k posts, 156 categories, 159 tags).
    state = get_state(index)
    assert state.topics is state.topics
    assert state.topics.names_at(["customer", "care", "category"], 0) == [
        ("category", "Customer Care", 2)
    ]


def test_posts_by_an_author_are_the_authors_posts(tmp_path):
    """On a blog of several authors, "posts by alice smith", "by bob jones", "alice's
    posts" and "alice smith" (a name no post says) list the author's posts, the author a
    filter and said; the rest of the words are searched among them. The author was no
    word of the posts: "posts by alice smith" listed Bob's posts (which say "Alice"),
    "by bob jones" nothing. One word of one author's name stands for it where no post
    says it ("bob", "hiring by bob"). A name the posts say is searched as words, and the
    page offers the author's posts; "sales by price" is no post by Mark Price."""
    posts = [{"id": f"a{n}", "title": f"Pricing {n}", "body": "Price it right.",
              "author": "Alice Smith", "date": f"202{n}-01-01"} for n in range(4)]  # fmt: skip
    posts += [{"id": f"b{n}", "title": f"Hiring {n}", "body": "Hire well, said Alice.",
               "author": "Bob Jones"} for n in range(3)]  # fmt: skip
    posts += [{"id": "c0", "title": "Interview", "body": "We met Carol King today.",
               "author": "Carol King"},
              {"id": "c1", "title": "Songs", "body": "Carol King wrote songs.",
               "author": "Bob Jones"},
              {"id": "m0", "title": "Margins", "body": "Sales by price band.",
               "author": "Mark Price"},
              {"id": "s0", "title": "Sales", "body": "Sales by price and by region."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    alice = ["a0", "a1", "a2", "a3"]
    cases = {"posts by alice smith": alice, "Posts by Alice Smith?": alice, "by alice": alice,
             "articles by alice": alice, "alice's posts": alice, "alice\u2019s articles": alice,
             "alice smith": alice, "alice smith posts": alice,
             "by bob jones": ["b0", "b1", "b2", "c1"], "bob jones hiring": ["b0", "b1", "b2"],
             "pricing by alice smith": alice,
             "posts by alice since 2022": ["a2", "a3"],
             # (one word of one author's name, which no post says: "bob" had found
             # nothing, "hiring by bob" and "bob hiring" the posts that say "hiring")
             "bob": ["b0", "b1", "b2", "c1"], "hiring by bob": ["b0", "b1", "b2"],
             "bob hiring": ["b0", "b1", "b2"]}  # fmt: skip
    assert_read_as_filters(index, cases, "Showing the posts by ")
    alone = search(index, "alice")  # (the posts say "Alice": they answer)
    assert sorted(ids(alone)) == ["b0", "b1", "b2"] and not alone.read_as
    found = search(index, "posts by alice smith")
    assert found.warnings == ["Showing the posts by Alice Smith."]
    assert found.query == "posts by alice smith" and 'author:"Alice Smith"' in found.parsed
    # (the page ticks the author and offers the words; "posts" asks for her posts)
    assert found.read_as == {"q": "", "author": ["Alice Smith"]}
    assert search(index, "posts by alice since 2022").read_as == {
        "q": "", "author": ["Alice Smith"], "after": "2022"}  # fmt: skip
    assert search(index, "pricing by alice smith").read_as == {
        "q": "pricing", "author": ["Alice Smith"]}  # fmt: skip
    as_typed = search(index, "posts by alice smith", correct=False)  # (words, as typed)
    assert not any(w.startswith("Showing the posts by") for w in as_typed.warnings)
    chosen = search(index, "posts by alice smith", {"author": ["Bob Jones"]})  # (it stands)
    assert "b0" in ids(chosen) and not chosen.warnings[0].startswith("Showing the posts by")
    found = search(index, "sales by price")  # (words: no post by Mark Price asked for)
    assert sorted(ids(found)) == ["m0", "s0"] and not found.warnings
    found = search(index, "carol king")  # (the posts say it: they answer, hers offered)
    assert sorted(ids(found)) == ["c0", "c1"]
    assert found.named == [{"facet": "author", "value": "Carol King", "count": 1}]
    found = search(index, "posts by alice jones")  # (no such author: words)
    assert not found.warnings or not found.warnings[0].startswith("Showing the posts by")
    from web import create_app

    client = create_app({"index": str(index), "TESTING": True}).test_client()
    page = client.get("/search?q=carol+king").get_data(as_text=True)
    assert 'See every post by <a href="/search?author=Carol+King">Carol King</a> (1).' in page
    assert "Search for the words instead" not in page  # (read as words already)
    # A query read as an author's posts offers its words instead (a misreading's way out).
    page = client.get("/search?q=posts+by+alice+smith").get_data(as_text=True)
    assert ('Search for the words instead: <a href="/search?q=posts+by+alice+smith&amp;'
            'correct=false">posts by alice smith</a>.') in page  # fmt: skip


def test_podcasts_or_video_posts_are_the_posts_of_that_kind(tmp_path):
    """ "podcasts" (a word no post says), "pricing podcast", "video posts" list the posts
    of that kind, the kind a filter, said: "podcasts" had found nothing, though the blog
    has podcast episodes. "videos", which posts say, is searched as a word, and the page
    offers every video post."""
    posts = [{"id": f"v{n}", "title": f"Pricing talk {n}", "body": "We talk about price.",
              "kind": "video"} for n in range(3)]  # fmt: skip
    posts += [{"id": f"p{n}", "title": f"Pricing episode {n}", "body": "Price, said the guest.",
               "kind": "audio"} for n in range(2)]  # fmt: skip
    posts += [{"id": f"a{n}", "title": f"Pricing {n}", "body": "Watch the video below."}
              for n in range(2)]  # fmt: skip
    index = index_of(tmp_path, posts)
    cases = {"podcasts": ["p0", "p1"], "pricing podcast": ["p0", "p1"],
             "Podcast episodes?": ["p0", "p1"], "video posts": ["v0", "v1", "v2"],
             "video posts about pricing": ["v0", "v1", "v2"],
             # (a word the posts say, but asked for as "posts about pricing" are)
             "videos about pricing": ["v0", "v1", "v2"],
             "video on pricing": ["v0", "v1", "v2"]}  # fmt: skip
    assert_read_as_filters(index, cases, "Showing the ")
    assert search(index, "podcasts").warnings == ["Showing the audio posts."]
    assert search(index, "podcasts", correct=False).total == 0  # (as typed: the word)
    assert search(index, "photos").total == 0  # (no image post: the word, found nowhere)
    found = search(index, "videos")  # (the posts say it: they answer, the kind offered)
    assert sorted(ids(found)) == ["a0", "a1"] and not found.warnings
    assert found.named == [{"facet": "kind", "value": "video", "count": 3}]
    from web import create_app

    page = create_app({"index": str(index), "TESTING": True}).test_client().get(
        "/search?q=videos").get_data(as_text=True)  # fmt: skip
    assert 'See every <a href="/search?kind=video">video post</a> (3).' in page


def test_a_kind_of_post_with_its_subject_or_its_period(tmp_path):
    """ "podcasts about pricing", "video clips", "podcast episodes from 2022", "podcasts
    from 2022": the posts of that kind, on that subject or of that period. "about" had
    been required of the posts (a partial match), "clips" and "episodes" too (nothing),
    and "from" left of "from 2022" searched as a word (nothing: "No audio post
    matches"); "from 2022" alone found no post either."""
    posts = [{"id": f"p{y}", "title": f"Pricing talk {y - 2020}", "kind": "audio",
              "body": "Price it, said the guest.", "date": f"{y}-04-01"}
             for y in (2021, 2022)]  # fmt: skip
    posts += [{"id": "v0", "title": "Hiring talk", "body": "We talk hiring.", "kind": "video",
               "date": "2022-06-01"},
              {"id": "a0", "title": "Pricing", "body": "Price well.",
               "date": "2022-02-01"}]  # fmt: skip
    index = index_of(tmp_path, posts)
    cases = {"podcasts about pricing": ["p2021", "p2022"], "video clips": ["v0"],
             "podcast episodes from 2022": ["p2022"], "podcasts from 2022": ["p2022"],
             "podcasts on pricing": ["p2021", "p2022"],
             "from 2022": ["a0", "p2022", "v0"]}  # fmt: skip
    assert_read_as_filters(index, cases)
    assert search(index, "podcasts about pricing").read_as == {"q": "pricing", "kind": ["audio"]}


def test_a_category_typed_as_one_word_or_mistyped_finds_the_posts_filed_under_it(tmp_path):
    """Readers write "Start Ups" as "startups", "startup", "start ups" or "start up", and
    mistype the long words of categories ("profitabilty", "entreprenurship") or type
    their beginning ("entrepreneurs"), or both ("entrepeneur"): each finds the posts
    filed under the category, said as a correction; "startups" is not split into "start
    ups" and "start ups" does not find every post that says "start"."""
    posts = [{"id": f"new{n}", "title": f"First year {n}", "body": "Open the doors.",
              "categories": ["Start Ups"]} for n in range(2)]  # fmt: skip
    posts += [{"id": "money", "title": "Margins", "body": "Keep costs low.",
               "categories": ["Profitability", "Entrepreneurship"]},
              {"id": "start", "title": "Start here", "body": "Start the car."},
              {"id": "ups", "title": "Moods", "body": "Ups and downs."},
              {"id": "quotas", "title": "Quotas", "body": "Set quotas.",
               "tags": ["Sales Management"]},
              {"id": "said", "title": "Selling", "body": "Sales management matters."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query in ("startups", "startup", "start ups", "Start-ups", "start up", "start-up"):
        found = search(index, query)
        assert sorted(ids(found)) == ["new0", "new1"] and found.corrections == [], query
        assert found.named == []  # (the answer is the posts filed under it: nothing to offer)
    for typo, meant in [("profitabilty", "profitability"), ("entreprenurship", "entrepreneurship"),
                        ("entrepreneurs", "entrepreneurship"),
                        ("entrepeneur", "entrepreneurship")]:  # fmt: skip
        found = search(index, typo)
        assert ids(found) == ["money"], typo
        assert found.corrections == [{"from": typo, "to": meant}] and found.did_you_mean == meant
    assert ids(search(index, "start")) == ["start"]
    # (A name's words as one are words run together too: the posts that say them.)
    assert sorted(ids(search(index, "salesmanagement"))) == ["quotas", "said"]
    # (Beside a word whose correction waits for the others' ("kep"): a category's word
    # does not vouch for it, as the posts' words do.)
    found = search(index, "kep profitabilty")
    assert (
        ids(found) == ["money"]
        and {"from": "profitabilty", "to": "profitability"} in found.corrections
    )


def test_a_derived_form_no_post_says_finds_the_word_it_is_made_from(tmp_path):
    """A reader types "leadership", "friendliness" or "entrepreneurial" where the posts
    say "leader", "friendly" and file under "Entrepreneurship": the stemmer joins only a
    word's inflections, and the ending is beyond a typo's reach, so each found nothing.
    Each now finds the posts with the word it is made from, said as a correction; a word
    the posts say as typed is never read so, nor a name that only looks derived."""
    posts = [{"id": "lead", "title": "Lead from the front", "body": "A good leader listens."},
             {"id": "nice", "title": "Service", "body": "Be friendly to every caller."},
             {"id": "nicer", "title": "Shops", "body": "A friendly shop keeps its customers."},
             {"id": "own", "title": "Owning it", "body": "Start small.",
              "categories": ["Entrepreneurship"]},
             {"id": "olive", "title": "Groves", "body": "An olive grove needs water."},
             {"id": "sent", "title": "Letters", "body": "The letter was sent."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    for typed, meant, found_ids in [("leadership", "leader", ["lead"]),
                                    ("leaderships", "leader", ["lead"]),
                                    ("friendliness", "friendly", ["nice", "nicer"]),
                                    ("entrepreneurial", "entrepreneurship", ["own"])]:  # fmt: skip
        found = search(index, typed)
        assert sorted(ids(found)) == found_ids, typed
        assert found.corrections == [{"from": typed, "to": meant, "derived": True}], typed
        assert found.did_you_mean == meant
    # (Beside another word, too: the word made from stands for it among them.)
    found = search(index, "friendliness shop")
    assert ids(found) == ["nicer"] and found.did_you_mean == "friendly shop"
    # As typed: nothing is changed.
    assert ids(search(index, "leadership", correct=False)) == []
    # A word the posts say stays as typed, and so do a quoted phrase's words ("sent"
    # is in the posts, but a phrase is the words the posts say word for word); a phrase
    # no post has is searched as its words, read as if typed without the quotes.
    assert search(index, "leader").corrections == []
    assert search(index, '"the letter was sent"').corrections == []
    found = search(index, '"sentence letter"')
    assert found.loosened == ["sentence letter"]  # (the phrase as typed: no post has it)
    assert found.corrections == search(index, "sentence letter").corrections


def test_a_word_is_not_read_as_made_from_a_few_of_its_letters(tmp_path):
    """The sample blog has no post about finance, but its posts say "fine": "fin" and
    the "e" an ending drops made "finance" the word "fine", and a reader's search for
    "finance" showed results for "fine"; "mission statement" showed results for "miss
    statement". A word is read as derived only from four or more of its own letters
    ("leader" of "leadership"), five before a Latin ending ("create" of "creation")."""
    posts = [{"id": "fine", "title": "Fine print", "body": "Read the fine print."},
             {"id": "miss", "title": "We miss you", "body": "A statement to customers."},
             {"id": "party", "title": "A party", "body": "Customers came to the party."},
             {"id": "make", "title": "Make things", "body": "We create value."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    # ("partially", "-ally" after a word not ending in "ic": "partial", not "party")
    for typed in ("finance", "mission statement", "partially"):
        found = search(index, typed)
        assert found.corrections == [] and found.did_you_mean is None, typed
    assert search(index, "finance").total == 0
    found = search(index, "creation")
    assert ids(found) == ["make"] and found.did_you_mean == "create"


def test_a_correction_is_offered_for_a_word_typed_with_a_ligature_or_an_apostrophe(tmp_path):
    """A word pasted with a ligature ("ﬁ", as PDFs and some keyboards give it) is read
    as its letters; corrected, the offer was the query itself ("Showing results for
    proﬁtt"), the word typed not found in it to be replaced."""
    posts = [{"id": "p", "title": "Profit first", "body": "Profit is a habit."},
             {"id": "w", "title": "Waiting", "body": "Customers don’t wait."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "proﬁtt habit")
    assert ids(found) == ["p"] and found.did_you_mean == "profit habit"
    # Nor for a word typed with an apostrophe, curly or straight (the index reads
    # "dond’t" as "dondt"): the offer had been the query itself.
    # The apostrophe stays where it was typed.
    for typed, offered in (("dond’t wait", "don’t wait"), ("dond't wait", "don't wait")):
        found = search(index, typed)
        assert ids(found) == ["w"] and found.did_you_mean == offered, typed


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abAB1_ .-é'’", max_size=14),
       st.text(alphabet="abAB1", min_size=1, max_size=3))  # fmt: skip
def test_a_corrected_word_is_put_in_place_of_each_whole_word_typed_in_any_case(text, typed):
    """The offer ("showing results for …") puts the correction where the word was typed,
    whole words only, in any case: a plain text found with str.find, the rest (accents,
    apostrophes) by a pattern; both the answer of the pattern for any text."""
    import re

    from search.corrections import corrected_text, with_apostrophe

    letters = "[’']?".join(map(re.escape, typed))
    pattern = re.compile(rf"(?i)\b{letters}\b")
    expected = pattern.sub(lambda m: with_apostrophe(m.group(), "to"), text)
    if not pattern.search(text):  # (then the text without its accents)
        expected = text.replace("é", "e")
    assert corrected_text(text, [{"from": typed, "to": "to"}]) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aBcZ'’-_.,09 &/\"é", max_size=30))
def test_a_name_or_query_is_read_into_the_words_the_analyzer_gives(text):
    """The words of an author's name or a query (to find the author it names): those
    the exact fields' analyzer gives, read without a Token a word where the text is
    ASCII."""
    from indexer.analysis import TextAnalyzer
    from search.authors import name_words

    assert name_words(text) == [token.text for token in TextAnalyzer(stem=False)(text)]


def test_making_the_stemmer_is_not_counted_against_the_time_limit(tmp_path, monkeypatch):
    """The first word no vocabulary has makes NLTK's stemmer, once per process (an
    import of 0.13-0.45 s): a cold `rocksearch search "start ups"` on a busy machine
    ("ups" only a category's word) spent its time limit on it and answered "took too
    long" with nothing found. (A word no other test's posts have: the stems of every
    vocabulary loaded in this process are known without the stemmer.)"""
    from nltk.stem import snowball

    from indexer.analysis import STEMS

    posts = [{"id": "new", "title": "First year", "body": "Start small.",
              "categories": ["Moonlighters"]},
             {"id": "other", "title": "Other", "body": "Nothing here."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    search(index, "nothing")  # (the generation loaded, its words' stems learned)
    real = snowball.SnowballStemmer

    def slow(language):  # (as a cold import on a busy machine)
        time.sleep(0.3)
        return real(language)

    monkeypatch.setattr(snowball, "SnowballStemmer", slow)
    monkeypatch.setattr(STEMS, "_stem", None)  # (as in a new process)
    STEMS.pop("moonlighters", None)
    found = search(index, "moonlighters start", time_limit=0.2)
    assert ids(found) == ["new"] and not found.partial and found.warnings == []


def test_a_form_of_a_word_the_posts_have_is_no_typo(tmp_path):
    """A reader who types a plural or another form of a word the posts have ("clients",
    "priced", or "town" where they say "towns") is shown what the posts say, and not
    told "showing results for client":
    the word is searched as the posts spell it (so phrases and the exact fields match)
    and nothing is reported. It is not split as run-together words either ("cli ents").
    A typo is still corrected and said, even where the stems agree ("octobe")."""
    titled = [("client", "Keep every client", "A client stays."),
              ("price", "Price it", "Price for a client in october."),
              ("cli", "The command line", "A cli and ents."),
              ("towns", "Towns", "Small communities."),
              ("unity", "Comm", "Comm unity for comm and unity."),
              ("other", "Weather", "Rain again.")]  # fmt: skip
    index = index_of(tmp_path, [{"id": i, "title": t, "body": b} for i, t, b in titled])
    forms = [
        ("clients", ["client", "price"]),
        ("priced", ["price"]),
        ('"keep every clients"', ["client"]),
        ("community", ["towns"]),
        ("small town", ["towns"]),  # (the posts only say "towns": the other way round)
    ]
    for query, found in forms:
        results = search(index, query)
        assert sorted(ids(results)) == sorted(found), query
        assert results.corrections == [] and results.did_you_mean is None, query
    assert ids(search(index, "clients"))[0] == "client"  # (in its title too)
    for typo, meant in [("cliemt", "client"), ("octobe", "october")]:
        results = search(index, typo)
        assert [c["to"] for c in results.corrections] == [meant], typo
        assert results.did_you_mean == meant and results.total >= 1, typo


def test_words_typed_apart_find_the_posts_that_write_them_as_one(tmp_path):
    """ "e-mail", "smart phones" and "on line" find the posts that say "email",
    "smartphones" and "online" (Algolia's concatenation), and still the posts that
    write them apart; a post with both words apart ranks with the joined one."""
    posts = [{"id": "email", "title": "Newsletters", "body": "Send an email every week."},
             {"id": "e-mail", "title": "Letters", "body": "Send an e-mail every week."},
             {"id": "phones", "title": "Apps", "body": "Customers use smartphones."},
             {"id": "smart", "title": "Devices", "body": "Customers use smart phones."},
             {"id": "online", "title": "Shops", "body": "Sell online to customers."},
             {"id": "other", "title": "Other", "body": "Customers wait in line."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    assert sorted(ids(search(index, "e-mail"))) == ["e-mail", "email"]
    assert sorted(ids(search(index, "smart phones"))) == ["phones", "smart"]
    assert ids(search(index, "on line customers"))[0] == "online"
    assert search(index, "smart phones").parsed.startswith("(smart OR smartphones)")
    # As typed (correct=false): the words only.
    assert ids(search(index, "smart phones", correct=False)) == ["smart"]
    # Joined, another form of a word the posts say: "e-book" finds "ebooks".
    (tmp_path / "forms").mkdir()
    index = index_of(tmp_path / "forms", [
        {"id": "ebooks", "title": "Books", "body": "Customers buy ebooks."},
        {"id": "other", "title": "Other", "body": "Customers buy a book, e.g. a novel."},
    ])  # fmt: skip
    assert ids(search(index, "e-book")) == ["ebooks"]


def test_a_part_of_a_word_typed_apart_is_no_typo(tmp_path):
    """ "star date 10912", of a post that says "Stardate 10912" and no "star": "star"
    (a word no post has) was corrected alone to "stardate", leaving "date" required:
    "showing results for stardate date 10912", a partial match. Joined with the word
    beside it, it is a word the posts have: searched so, as "star date" was."""
    from tests.test_duplicates import corpus_articles

    (tmp_path / "seed").mkdir()
    (tmp_path / "starts").mkdir()
    index = index_of(tmp_path / "seed", corpus_articles())  # (the blog's own pages)
    force = "In the New Age the Force is with the Customer"
    for query in ("star date 10912", "star date", "star date force"):
        found = search(index, query)
        assert [h["title"] for h in found.hits] == [force], query
        assert not found.corrections and not found.did_you_mean and not found.warnings, query
    # Nor where posts say "start" and "date" (it was "start date": those posts only).
    posts = [{"id": "force", "title": force, "body": "In Stardate 10912, the Force is with us."}]
    posts += [{"id": f"start{n}", "title": f"Dates {n}", "body": "Set a start date."}
              for n in range(5)]  # fmt: skip
    found = search(index_of(tmp_path / "starts", posts), "star date")
    assert ids(found) == ["force"] and not found.corrections


def test_words_typed_apart_score_as_the_word_the_posts_write(tmp_path):
    """The joined word is the words typed, not a synonym counted at half: the post about
    smartphones ranks above one that says "smart" and "phone" in other places (it came
    second, under the half weight), and a post that writes them apart, together, ranks
    with it."""
    posts = [{"id": "phones", "title": "Mobile", "body": "Customers reach for smartphones."},
             {"id": "apart", "title": "Hiring", "body": "A smart hire answers the phone."},
             {"id": "together", "title": "Devices", "body": "Customers use smart phones."},
             {"id": "smart", "title": "Smart", "body": "Be smart."}]  # fmt: skip
    posts += [{"id": f"other{n}", "title": f"Other {n}", "body": "Customers buy every day."}
              for n in range(20)]  # fmt: skip
    index = index_of(tmp_path, posts)
    assert ids(search(index, "smart phones")) == ["together", "phones", "apart"]


def test_a_word_english_lacks_with_a_part_that_points_finds_it_written_apart(tmp_path):
    """ "oneyear", a word no post writes whole, is in the index from "one-year" (so no
    typo to split), and found only the posts that say "one-year": the 10k corpus has 23
    of them, and 82 that say "one year" either way. A part that points or counts keeps
    a word of English whole ("anyway" is no "any way"), not one English lacks."""
    posts = [{"id": "one-year", "title": "Loans", "body": "A one-year loan at 5 pct."},
             {"id": "one year", "title": "Deposits", "body": "Deposits for one year rose."},
             {"id": "anyway", "title": "Notes", "body": "Customers buy anyway."},
             {"id": "any way", "title": "Help", "body": "Help them any way you can."}]  # fmt: skip
    posts += [{"id": f"o{n}", "title": f"Other {n}", "body": f"One {n} year to go, any week."}
              for n in range(20)]  # fmt: skip
    index = index_of(tmp_path, posts)
    assert sorted(ids(search(index, "oneyear"))) == ["one year", "one-year"]
    assert ids(search(index, "anyway")) == ["anyway"]


def test_a_word_finds_the_posts_that_write_it_apart(tmp_path):
    """ "email", "healthcare" and "website" find the posts that write them "e-mail",
    "health care" or "health-care", and "web sites" (Meilisearch's split queries): 17
    of 93 "e-mail" posts were found by "email" in the 10k benchmark corpus. Words that
    point or count make no compound ("nowhere" is no "now here", "overall" no "over
    all"), nor do two words the posts seldom say together ("paycheck" and "pay check",
    one post in sixty with "check")."""
    posts = [{"id": "email", "title": "Newsletters", "body": "Send an email every week."},
             {"id": "e-mail", "title": "Letters", "body": "Send an e-mail to customers."},
             {"id": "healthcare", "title": "Plans", "body": "Healthcare costs rise."},
             {"id": "health care", "title": "Costs", "body": "Health care costs rise."},
             {"id": "health-care", "title": "Staff", "body": "A health-care plan for staff."},
             {"id": "apart", "title": "Wealth", "body": "Health is wealth; we care."},
             {"id": "website", "title": "Shops", "body": "Our website sells shoes."},
             {"id": "web sites", "title": "Stores", "body": "Two web sites sell shoes."},
             {"id": "nowhere", "title": "Leads", "body": "Customers came from nowhere."},
             {"id": "now here", "title": "Sale", "body": "The sale is now here."},
             {"id": "overall", "title": "Results", "body": "Overall, customers pay."},
             {"id": "over all", "title": "Prices", "body": "Price over all products."},
             {"id": "paycheck", "title": "Wages", "body": "A paycheck every month."},
             {"id": "pay check", "title": "Payday", "body": "Pay check cashing."}]  # fmt: skip
    posts += [{"id": f"check{n}", "title": f"Audit {n}", "body": "Check the books; pay tax."}
              for n in range(60)]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "email")
    assert sorted(ids(found)) == ["e-mail", "email"]
    # (The hyphenated one is indexed as "email" too: indexer/analysis.py, `compounds`.)
    assert "Send an <mark>e-mail</mark> to customers." in [h["snippet"] for h in found.hits]
    assert sorted(ids(search(index, "healthcare"))) == ["health care", "health-care", "healthcare"]
    assert sorted(ids(search(index, "healthcare costs"))) == ["health care", "healthcare"]
    assert sorted(ids(search(index, "website"))) == ["web sites", "website"]
    assert ids(search(index, "nowhere")) == ["nowhere"]
    assert ids(search(index, "overall")) == ["overall"]
    assert ids(search(index, "paycheck")) == ["paycheck"]
    # As typed: the word, which the index holds for "e-mail" too (not "e mail", apart).
    assert sorted(ids(search(index, "email", correct=False))) == ["e-mail", "email"]
    # A compound that ends in "up", a word of two letters ("startup" as "start-up": 14
    # posts of the 10k corpus say "startup", 21 more "start-up", which it had not found).
    posts = [{"id": "startup", "title": "Founders", "body": "Our startup grew."},
             {"id": "start-up", "title": "Firms", "body": "A start-up needs cash."},
             {"id": "apart", "title": "Cars", "body": "Start the car; speed up."},
             {"id": "cabin", "title": "Woods", "body": "A cabin in the woods."},
             {"id": "cab in", "title": "Rides", "body": "Hail a cab in the rain."}]  # fmt: skip
    (tmp_path / "up").mkdir()
    index = index_of(tmp_path / "up", posts)
    assert sorted(ids(search(index, "startup"))) == ["start-up", "startup"]
    assert ids(search(index, "cabin")) == ["cabin"]  # (not "in": "cab in" is no cabin)


def test_a_word_typed_whole_finds_the_posts_that_write_it_with_a_hyphen(tmp_path):
    """ "cooperation", "wifi", "online" and "nonprofits" find the posts that write
    "co-operation", "Wi-Fi", "on-line" and "non-profit" (the index holds such a word
    whole too, as Lucene's word delimiter filter can), marked where the post says it;
    on the 10k corpus "pretax" had found 5 of the 69 posts that say only "pre-tax",
    "worldwide" none of the 5 that say "world-wide". A dash between two words is no
    hyphen: "customersthey" finds nothing."""
    posts = [
        {"id": "coop", "title": "Partners", "body": "Real co-operation beats rivalry."},
        {"id": "wifi", "title": "Cafes", "body": "Free Wi-Fi brings customers."},
        {"id": "online", "title": "Shops", "body": "We sell on-line and in town."},
        {"id": "nonprofit", "title": "Giving", "body": "A non-profit needs donors."},
        {"id": "dash", "title": "Talks", "body": "We asked customers\u2014they said yes."},
        {"id": "operation", "title": "Plants", "body": "The operation runs all night."},
        # (Other posts write them whole: the words are known, not typos to split.)
        {"id": "coop 2", "title": "Allies", "body": "Cooperation wins markets."},
        {"id": "wifi 2", "title": "Networks", "body": "Our wifi is fast."},
        {"id": "online 2", "title": "Stores", "body": "Order online today."},
        {"id": "nonprofit 2", "title": "Charity", "body": "The nonprofit thrives."},
    ]
    posts += [{"id": f"other{n}", "title": f"Other {n}", "body": "Customers buy every day."}
              for n in range(20)]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query, found_id, marked in [("cooperation", "coop", "co-operation"),
                                    ("wifi", "wifi", "Wi-Fi"), ("online", "online", "on-line"),
                                    ("nonprofits", "nonprofit", "non-profit")]:  # fmt: skip
        found = search(index, query)
        assert sorted(ids(found)) == [found_id, f"{found_id} 2"], query
        snippets = {h["id"]: h["snippet"] for h in found.hits}
        assert f"<mark>{marked}</mark>" in snippets[found_id], query
        assert not found.corrections and not found.did_you_mean, query
    assert ids(search(index, "cooperation rivalry"))[0] == "coop"
    assert ids(search(index, "customersthey", correct=False)) == []
    # Typed with its hyphen, or apart, it is found as before.
    assert sorted(ids(search(index, "co-operation"))) == ["coop", "coop 2"]
    assert "coop" in ids(search(index, "co operation"))


def test_a_quoted_phrase_with_a_hyphenated_word_typed_whole_finds_it(tmp_path):
    """ "real cooperation", "cooperation beats" and "real cooperation beats", quoted,
    find the post that says "Real co-operation beats rivalry": the whole word stands at
    the places of its first and its last part, and inside a phrase it takes both (as
    Lucene's position length lets a token do); "an uptodate list" finds "an up-to-date
    list" (three parts), and "pct thirdquarter fall" a post that says "third quarter"
    before it. (Where "operation" is common, "co operation" is no compound
    the query layer would split "cooperation" into.)"""
    posts = [
        {"id": "coop", "title": "Partners", "body": "Real co-operation beats rivalry."},
        {"id": "whole", "title": "Allies", "body": "Cooperation wins markets."},
        {"id": "list", "title": "Lists", "body": "Keep an up-to-date list of customers."},
        {"id": "quarter", "title": "Q3", "body": "Third quarter loss: pct third-quarter fall."},
    ]
    posts += [{"id": f"op{n}", "title": f"Plant {n}", "body": "The operation runs all night."}
              for n in range(60)]  # fmt: skip
    index = index_of(tmp_path, posts)
    # (As typed, correct=false: the phrase alone, not its misremembered forms, one of
    # which, a word left out, "cooperation * beats", had found it.)
    for phrase in ('"real cooperation"', '"cooperation beats"'):
        assert ids(search(index, phrase, correct=False)) == ["coop"], phrase
        assert ids(search(index, phrase)) == ["coop"], phrase
    # With words on both sides (it had been found only by the phrase's misremembered
    # forms, a word left out: "real cooperation * beats").
    found = search(index, '"real cooperation beats"', correct=False)
    assert ids(found) == ["coop"]
    marked = "<mark>Real</mark> <mark>co-operation</mark> <mark>beats</mark>"
    assert marked in found.hits[0]["snippet"]
    assert ids(search(index, '"cooperation wins"', correct=False)) == ["whole"]
    assert ids(search(index, '"real cooperation rivalry"', correct=False)) == []
    assert ids(search(index, '"an uptodate list"', correct=False)) == ["list"]
    # Where it is written, after the same words said apart (indexer/analysis.py).
    assert ids(search(index, '"pct thirdquarter fall"', correct=False)) == ["quarter"]


def test_a_title_that_writes_the_query_with_a_hyphen_is_lifted_as_one_that_writes_it_whole(
    tmp_path,
):
    """ "cooperation agreement" lifts "Co-operation agreement signed" as it lifts
    "Cooperation agreement signed" (the query as a phrase of the title): it had come
    below it, and below a post that only says the words in its body."""
    body = "Two firms signed it on Monday."
    posts = [
        {"id": "hyphen", "title": "Co-operation agreement signed", "body": body},
        {"id": "whole", "title": "Cooperation agreement signed", "body": body},
        {
            "id": "body",
            "title": "Trade talks",
            "body": "The cooperation agreement: cooperation, agreement, cooperation.",
        },
    ]
    posts += [{"id": f"other{n}", "title": f"Other {n}", "body": "Customers buy every day."}
              for n in range(20)]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "cooperation agreement", collapse=False)
    # (The whole word's title first, one word shorter: "co" and "operation" are two.)
    assert ids(found)[:3] == ["whole", "hyphen", "body"]


def test_a_word_the_posts_write_only_with_a_hyphen_after_its_first_letter_finds_them(tmp_path):
    """ "email" in a blog that writes only "e-mail" found nothing ("did you mean emil?"),
    and "email customers" showed posts with "customers" alone; "ecommerce" was corrected
    to "commerce"; a maxim remembered with "email" was no phrase any post has, and
    `-email` excluded nothing. They are searched as the words the posts write, in
    either number, not as a typo of a word one edit away, and no other post comes with
    them."""
    posts = [{"id": "e-mail", "title": "Letters", "body": "Send an e-mail to customers weekly."},
             {"id": "anger", "title": "Tempers",
              "body": "Write this on a rock: never send an e-mail in anger."},
             {"id": "e-mails", "title": "Inbox", "body": "Answer e-mails before noon."},
             {"id": "e-commerce", "title": "Shops", "body": "E-commerce lets small shops sell."},
             {"id": "mail", "title": "Post", "body": "Direct mail still works; mail a card."},
             {"id": "emil", "title": "Emil", "body": "Emil runs a bakery."},
             {"id": "commerce", "title": "Trade", "body": "The chamber of commerce meets."},
             {"id": "vitamin", "title": "Vitamins", "body": "Take vitamin E daily."},
             {"id": "target", "title": "Targets", "body": "Sales are over target."}]  # fmt: skip
    posts += [{"id": f"other{n}", "title": f"Other {n}", "body": "Customers buy every day."}
              for n in range(20)]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query in ("email", "emails"):
        found = search(index, query)
        assert sorted(ids(found)) == ["anger", "e-mail", "e-mails"], query
        assert not found.corrections and not found.did_you_mean and not found.warnings, query
    assert ids(search(index, "email customers")) == ["e-mail"]
    found = search(index, '"never send an email in anger"')
    assert ids(found) == ["anger"] and not found.warnings
    assert set(ids(search(index, "customers -email", per_page=50))) == {
        f"other{n}" for n in range(20)
    }
    assert ids(search(index, "ecommerce")) == ["e-commerce"]
    # A word the posts never say after the letter is not cut ("etarget": no "e target").
    assert search(index, "etarget").parsed == "etarget"
    assert search(index, "ecommerce").parsed == '(ecommerce OR "e commerce")'
    # As typed (correct=false) too: the index holds "e-mail" as "email" as well
    # (indexer/analysis.py, `compounds`), and "e-mails" as its plural.
    assert sorted(ids(search(index, "email", correct=False))) == ["anger", "e-mail", "e-mails"]


def test_a_quoted_phrase_finds_the_posts_that_write_its_compounds_the_other_way(tmp_path):
    """A maxim remembered in quotes with "e-mail", "website", "health care" or "smart
    phones", where the posts say "email", "web site", "healthcare" and "smartphones",
    was no phrase any post has: loosened to its words, with a warning, and "mail" (no
    word of the collection) corrected to "email" inside it ("send an e email"). Each
    finds the post that says it the other way, as well as the posts that say it as
    typed, with no warning and nothing corrected."""
    posts = [{"id": "anger", "title": "Tempers",
              "body": "Never send an email in anger. Check your web site daily."},
             {"id": "typed", "title": "Letters", "body": "Check your website weekly."},
             {"id": "care", "title": "Costs", "body": "Healthcare costs keep rising."},
             {"id": "phones", "title": "Calls", "body": "Smartphones ring at dinner."},
             {"id": "words", "title": "Dinner", "body": "Never send anger; phones ring;"
                                                       " smart people check daily."}]  # fmt: skip
    posts += [{"id": f"other{n}", "title": f"Other {n}", "body": "Customers buy every day."}
              for n in range(20)]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query, found_ids in [('"never send an e-mail in anger"', ["anger"]),
                             ('"check your website"', ["anger", "typed"]),
                             ('"health care costs"', ["care"]),
                             ('"smart phones ring"', ["phones"])]:  # fmt: skip
        found = search(index, query)
        assert sorted(ids(found)) == found_ids, query
        assert not found.warnings and not found.corrections and not found.did_you_mean, query
    # A phrase no post says in either form is still searched as its words, and says so.
    found = search(index, '"smart phones rang at dinner"')
    assert found.loosened == ["smart phones rang at dinner"] and found.warnings
    # As typed (correct=false): the phrase as typed only, which no post says.
    assert ids(search(index, '"never send an e-mail in anger"', correct=False)) == []


def test_a_quotation_with_another_article_number_or_its_last_word_begun_is_a_phrase(tmp_path):
    """ "write this on the rock" (the maxims say "on a rock"), "never send angry emails"
    ("email"), and "never send an angry ema" (a phone's quotation still being typed)
    were phrases no post has: searched as their words, with a warning, the posts that
    have the words apart among them. They find the posts that say the phrase with
    another article, in the other number, or with the last word completed, as phrases,
    and nothing else; the answer says which phrase it shows (but for a last word no
    post says, completed as it is typed)."""
    posts = [{"id": "rock", "title": "Tempers",
              "body": "Write this on a rock: never send an angry email."},
             {"id": "apart", "title": "Rocks",
              "body": "Write on this rock; an email, angry or not, is never sent."}]  # fmt: skip
    posts += [{"id": f"other{n}", "title": f"Other {n}", "body": "Customers buy every day."}
              for n in range(20)]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query, shown in [('"write this on the rock"', "write this on a rock"),
                         ('"never send an angry emails"', "never send an angry email"),
                         ('"never send the angry emails"', "never send an angry email"),
                         ('"never send an angry ema"', None)]:  # fmt: skip
        found = search(index, query)
        assert ids(found) == ["rock"] and not found.loosened, query
        said = [f'No post has the exact phrase {query}; showing posts that say "{shown}".']
        assert found.warnings == (said if shown else []), query
    # As typed (correct=false): the phrase as typed, which no post says.
    assert ids(search(index, '"write this on the rock"', correct=False)) == []


def test_a_misremembered_quotation_finds_the_post_that_says_it_nearly_so(tmp_path):
    """A quotation remembered with a word left out or two words swapped ("never send
    angry email", "never send an email angry" for "never send an angry email") is a
    phrase no post has; searched as its words, it ranked the post that says it last,
    below posts that have the words apart. The post that says the phrase with one word
    more, fewer or two swapped is lifted (not when typed without quotes: such words
    were never said to be a quotation)."""
    posts = [{"id": "target", "title": "Tempers",
              "body": "Write this on a rock: never send an angry email to a customer."
                      " Sleep on it first."},
             {"id": "apart", "title": "Inbox",
              "body": "Angry customers send email. Never make them wait for a reply to it."},
             {"id": "owe", "title": "Replies",
              "body": "Never wait to send the email you owe; angry readers do not wait"
                      " long."}]  # fmt: skip
    posts += [{"id": f"other{n}", "title": f"Other {n}", "body": "Customers buy every day."}
              for n in range(20)]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query in ('"never send angry email"', '"never send an email angry"'):
        found = search(index, query)
        assert ids(found)[0] == "target", query
        assert found.loosened and found.warnings, query
    lift = "quoted phrase in body, a word more, fewer or swapped"
    assert lift in str(search(index, '"never send angry email"', explain=True).hits[0])
    assert lift not in str(search(index, "never send angry email", explain=True).hits)


def test_initials_typed_as_a_word_find_the_posts_that_write_them_with_dots(tmp_path):
    """ "uk economy" found the posts that write "UK", not those that write "U.K." (the
    tokenizer keeps its letters apart): 3 of 18 in the 10k benchmark corpus. "us", the
    pronoun, is a stop word: first in a query, or typed "US", it is "U.S." where posts
    say so, the posts that do first, none left out; elsewhere ("contact us") a pronoun."""
    posts = [{"id": "dotted", "title": "Exports", "body": "The U.K. economy grew."},
             {"id": "plain", "title": "Growth", "body": "The UK economy grew."},
             {"id": "k", "title": "Vitamins", "body": "Vitamin K and the economy."},
             {"id": "usa", "title": "Trade", "body": "The U.S. economy slowed."},
             {"id": "we", "title": "Small firms", "body": "The economy hurts us all."},
             {"id": "contact", "title": "Help", "body": "Contact us about the U.S. office."},
             {"id": "reach", "title": "Write", "body": "Contact the office for us."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "uk economy")
    assert sorted(ids(found)) == ["dotted", "plain"]
    assert found.parsed.startswith('(uk OR "u k")')
    # (one mark for the initials, as for "e-mail": not "U" and "K" marked apart)
    snippets = {h["id"]: h["snippet"] for h in found.hits}
    assert snippets["dotted"] == "The <mark>U.K</mark>. <mark>economy</mark> grew."
    assert ids(search(index, "uk economy", correct=False)) == ["plain"]  # as typed
    for query in ("us economy", "the economy of the US"):
        found = ids(search(index, query))
        assert found[0] == "usa" and sorted(found) == ["dotted", "k", "plain", "usa", "we"]
    # Alone, typed either way, the country: "us" found the posts that say the pronoun,
    # and none of those that write "U.S." (a search for a lone pronoun asks for nothing).
    for query in ("us", "US"):
        assert sorted(ids(search(index, query))) == ["contact", "usa"]
    # (a pronoun here: the post that says "U.S." is not put first)
    assert ids(search(index, "contact us office")) == ids(
        search(index, "contact office", correct=False)
    )
    # Joined by a hyphen, a phrase: "us-economy" had found no post that says "U.S. economy".
    assert ids(search(index, "us-economy")) == ["usa"]
    assert sorted(ids(search(index, '"uk economy"'))) == ["dotted", "plain"]


def test_words_typed_without_the_space_find_the_posts_that_write_them_apart(tmp_path):
    """ "thankyou" and "customerservice" (a phone's space bar missed) find the posts
    with "thank you" and "customer service" as a phrase, even where a post or two say
    them and a word one letter short is common; of two splits, the one whose
    rarer half is the commoner wins ("carsales": "car sales", not "cars ales"); a pair
    of stop words ("ofthe") is not split."""
    posts = [{"id": "thanks", "title": "Golden", "body": "Thank you is golden."},
             {"id": "apart", "title": "Apart", "body": "Thank the staff; you know why."},
             {"id": "service", "title": "Care", "body": "Customer service matters."},
             {"id": "customers", "title": "Buyers", "body": "Customers served well."},
             {"id": "of", "title": "Of", "body": "Part of the plan."},
             {"id": "carsales", "title": "Dealers", "body": "Car sales rose."},
             {"id": "car", "title": "Cars", "body": "Sales of a car. Cars, ales."}]  # fmt: skip
    # ("than", one letter short of "thank", is in many more posts: "thank you", which a
    # post says, is still what was typed, not "than you" with a typo corrected.)
    posts += [{"id": f"than{n}", "title": "More", "body": "More than you know."} for n in range(25)]
    index = index_of(tmp_path, posts)
    assert ids(search(index, "thankyou")) == ["thanks"]  # the phrase, not the words apart
    assert search(index, "thankyou").corrections == []
    assert ids(search(index, "thankyou golden")) == ["thanks"]
    assert search(index, "thankyou golden").parsed.startswith('(thankyou OR "thank you")')
    assert ids(search(index, "customerservice")) == ["service"]
    assert ids(search(index, "carsales")) == ["carsales"]
    assert search(index, "ofthe").total == 0
    assert search(index, "thankyou", correct=False).total == 0  # as typed: the word only


def test_initials_and_numbered_names_typed_as_one_word_find_them_written_apart(tmp_path):
    """Readers type "phd", "mba", "att" and "covid19" for what posts write "Ph.D.",
    "M.B.A.", "AT&T" and "COVID-19" (the tokenizer keeps the parts apart): each found
    nothing, or was corrected to another word ("phd" to "pod"). A number written with
    commas is one word ("2,500,000" is 2500000). A word no post writes so stays a
    word: "usa" does not find "U.S."."""
    index = index_of(tmp_path, [
        {"id": "degrees", "title": "Do you need a degree?",
         "body": "A Ph.D. or an M.B.A. will not sell for you. AT&T hired neither."},
        {"id": "covid", "title": "Lessons from COVID-19",
         "body": "The U.S. pandemic loans: 2,500,000 of them."},
        {"id": "pod", "title": "Start a pod", "body": "A pod of owners meets weekly."},
    ])  # fmt: skip
    for query, found in [("phd", ["degrees"]), ("PhD", ["degrees"]), ("mba", ["degrees"]),
                         ("att", ["degrees"]), ("covid19 loans", ["covid"]),
                         ("2500000", ["covid"])]:  # fmt: skip
        results = search(index, query)
        assert ids(results) == found and results.corrections == [], query
    assert ids(search(index, "usa")) == []


def test_the_plural_of_a_compound_typed_as_one_word_finds_the_posts_that_write_it_apart(
    tmp_path,
):
    """ "startups" where the posts say only "start-up" found nothing: "start ups" is no
    split of words the posts have ("ups" is none). The singular's split is searched,
    as the phrase the posts say, and nothing is said to be corrected."""
    posts = [{"id": "startup", "title": "Founders", "body": "Every start-up needs cash."},
             {"id": "coop", "title": "Members", "body": "Our co-op buys in bulk."}]  # fmt: skip
    posts += [{"id": f"other{n}", "title": f"Other {n}", "body": "Start early; buy up."}
              for n in range(20)]  # fmt: skip
    index = index_of(tmp_path, posts)
    for query, found_ids in [("startups", ["startup"]), ("startups cash", ["startup"]),
                             ("coops", ["coop"])]:  # fmt: skip
        found = search(index, query)
        assert ids(found) == found_ids, query
        assert not found.corrections and not found.warnings, query
    # As typed too, since the index holds "start-up" as "startup" as well.
    assert ids(search(index, "startups", correct=False)) == ["startup"]


def test_a_hashtag_finds_the_posts_that_write_its_words_apart(tmp_path):
    """ "#writethisonarock" and "#AgeOfTheCustomer" (hashtags: words typed without their
    spaces, stop words and all) are searched as the phrase of their words; a split into
    stop words only is no split, and the split of fewest words wins."""
    posts = [{"id": "rock", "title": "Maxim", "body": "Write this on a rock: listen first."},
             {"id": "apart", "title": "Rocks", "body": "Write a note on this rock."},
             {"id": "age", "title": "Customers", "body": "The Age of the Customer is here."},
             {"id": "notes", "title": "Notes", "body": "A notebook, a note book, a computer."},
             {"id": "laptop", "title": "PC", "body": "The notebook computer broke."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    assert ids(search(index, "writethisonarock")) == ["rock"]
    assert search(index, "#writethisonarock").parsed == (
        '(writethisonarock OR "write this on a rock")'
    )
    assert ids(search(index, "#AgeOfTheCustomer")) == ["age"]
    assert ids(search(index, "notebookcomputer")) == ["laptop"]  # not "note book computer"
    assert search(index, "#ofthe").total == 0 and search(index, "isit").total == 0
    # No post has "age of customers" word for word: its words are searched, unsaid.
    loose = search(index, "#ageofcustomers")
    assert ids(loose) == ["age"] and loose.loosened == ["age of customers"]
    assert not loose.warnings
    assert search(index, "#ageofcustomers", correct=False).total == 0


def test_a_word_split_into_words_no_post_has_together_is_no_split(tmp_path):
    """ "dissapoint" cuts into words of the collection ("dis sa point", tickers and a
    word) that no post has together: it found every post with any of them, unsaid. Its
    split is searched only where a post has all its words; a split with a typo
    corrected ("biz zaire" for "bizzare") only where a post says it."""
    posts = [{"id": "dis", "title": "Disney", "body": "Shares of DIS rose."},
             {"id": "sa", "title": "Salomon", "body": "Salomon SA terms."},
             {"id": "point", "title": "Rates", "body": "Up half a point."},
             {"id": "zaire", "title": "Zaire", "body": "Zaire copper output."},
             {"id": "biz", "title": "Biz", "body": "Show biz news."},
             {"id": "weather", "title": "Weather", "body": "Cold weather ahead."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "dissapoint")
    assert found.total == 0 and found.loosened == [] and found.corrections == []
    assert found.warnings == ["No article matches; try fewer words, other words, or fewer filters."]
    found = search(index, "bizzare weather")
    assert ids(found) == ["weather"] and found.corrections == [] and found.did_you_mean is None
    # (A split whose words a post has, unsaid, is still searched so: "#ageofcustomers".)


def test_a_typo_of_a_word_the_posts_say_only_in_other_forms_is_corrected(tmp_path):
    """The posts say "disappointed" and "disappointing", never "disappoint": a typo of
    it ("dissapoint", two edits from the stem) had no word near enough; the commonest
    form of the stem near it, a word of English before the posts' own misspellings, is
    the correction, and the stemmed fields find every form."""
    posts = [{"id": "ed", "title": "Profits", "body": "Investors were disappointed."},
             {"id": "ed2", "title": "Sales", "body": "Buyers were disappointed."},
             {"id": "ing", "title": "Output", "body": "A disappointing year."},
             {"id": "typo", "title": "Mail", "body": "So dissappointing."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "dissapoint")
    assert found.corrections == [{"from": "dissapoint", "to": "disappointed"}]
    assert sorted(ids(found)) == ["ed", "ed2", "ing"]


def test_a_rare_misspelling_the_posts_have_is_offered_the_common_spelling(tmp_path):
    """ "enviroment", a misspelling one post has, finds that post; "environment", in
    twenty, is offered ("did you mean"), the results left as they are. Not for a word of
    English ("swam" is no "spam"), nor a word in many posts; and where the query finds
    posts, not for a word of five letters or less (a name, a ticker: "artu", "art") nor
    another word two edits away ("intersects", "interests")."""
    posts = [{"id": f"e{n}", "title": f"Policy {n}", "body": f"The environment matters {n}."}
             for n in range(20)]  # fmt: skip
    posts += [{"id": f"s{n}", "title": f"Mail {n}", "body": f"Spam {n}."} for n in range(20)]
    posts += [{"id": f"a{n}", "title": f"Art {n}", "body": f"Art and interests {n}."}
              for n in range(20)]  # fmt: skip
    posts += [{"id": "typo", "title": "Notes", "body": "Mind the enviroment policy."},
              {"id": "swim", "title": "Lake", "body": "We swam across."},
              {"id": "artu", "title": "Artu", "body": "Artu drill intersects gold."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "enviroment")
    assert ids(found) == ["typo"] and found.corrections == []
    assert found.did_you_mean == "environment"
    assert search(index, "swam").did_you_mean is None
    assert search(index, "environment").did_you_mean is None
    for query in ("artu", "intersects", "artu intersects"):
        found = search(index, query)
        assert ids(found) == ["artu"] and found.did_you_mean is None, query
    # Searched with its near word beside another its post has ("policy"), it is offered
    # nothing: the page says which words were searched, its post first.
    found = search(index, "enviroment policy")
    assert found.corrections[0]["also"] == ["environment"] and found.did_you_mean is None
    assert ids(found)[0] == "typo"
    # Beside a word its post lacks ("matters"), it is no reading of the query: it is
    # corrected, and the page says so. It had been searched beside its near word, at a
    # synonym's weight, below a reading that matched nothing ("intrest rate", of the
    # 10k corpus, whose one post with "intrest" is about pork, ranked posts about a
    # "rate" before those about an "interest rate").
    found = search(index, "enviroment matters")
    assert found.corrections == [{"from": "enviroment", "to": "environment"}]
    assert found.did_you_mean == "environment matters" and found.total == 20


def test_a_typo_is_corrected_to_the_word_not_to_a_misspelling_a_post_has(tmp_path):
    """ "tommorow" is one edit from "tommorrow", a misspelling one post has, and two
    from "tomorrow", which twenty say: it was corrected to the misspelling (one post
    found, "showing results for tommorrow"); it is now "tomorrow", the misspelling's
    post found too, below. Where the query's other words are found with the
    misspelling ("tommorow meeting"), that post comes first and the posts with
    "tomorrow" follow."""
    posts = [{"id": f"t{n}", "title": f"Plans {n}", "body": f"Tomorrow we sell {n}."}
             for n in range(20)]  # fmt: skip
    posts += [{"id": "m0", "title": "Meeting", "body": "A meeting tomorrow."},
              {"id": "typo", "title": "Notes", "body": "The meeting is tommorrow."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "tommorow")
    assert found.corrections == [{"from": "tommorow", "to": "tomorrow", "also": ["tommorrow"]}]
    assert found.did_you_mean == "tomorrow" and found.total == 22
    assert ids(search(index, "tommorow", per_page=25))[-1] == "typo"  # (below)
    found = search(index, "tommorow meeting")
    assert ids(found) == ["typo", "m0"]


def test_a_hashtag_with_a_typo_finds_the_words_it_was_meant_to_be(tmp_path):
    """ "#smallbusines" cuts into rare words of the collection ("smal lb usines"); a
    split whose last (or first) word is one typo from a common word is searched instead
    ("small business"), but not where the split as typed is of words many posts have."""
    posts = [{"id": f"tip{n}", "title": f"Tip {n}", "body": f"Small business tip {n}."}
             for n in range(12)]  # fmt: skip
    posts[0]["tags"] = ["Small Business"]  # (its words as one, "smallbusiness", are no typo's)
    posts += [{"id": "junk", "title": "Notes", "body": "A smal note: 2 lb of usines."},
              {"id": "busy", "title": "Busy", "body": f"{'Small busy days. ' * 3}"},
              {"id": "lone", "title": "Lone", "body": "Small busines, once."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    found = search(index, "#smallbusines")
    assert set(ids(found)) == {f"tip{n}" for n in range(10)}
    assert "small business" in found.parsed
    assert set(ids(search(index, "#smalbusiness"))) == {f"tip{n}" for n in range(10)}
    # A split of fewer content words, one typo corrected, over one of rare pieces that
    # several posts have: "#custmerservice" is "customer service", not "cust mer service".
    for n in range(3):
        posts.append({"id": f"cust{n}", "title": "Cust", "body": "Cust mer service desk."})
    for n in range(3):
        posts.append({"id": f"care{n}", "title": "Care", "body": f"Customer service {n}."})
    (tmp_path / "pieces").mkdir()
    index = index_of(tmp_path / "pieces", posts)
    found = search(index, "#custmerservice")
    assert '"customer service"' in found.parsed
    assert set(ids(found)) == {f"care{n}" for n in range(3)}
    # The reader is told, as of any correction ("Showing results for …").
    assert found.corrections == [{"from": "custmerservice", "to": "customer service"}]
    assert found.did_you_mean == "#customer service"
    assert search(index, "#smallbusy").corrections == []  # a split as typed: no correction
    # "#smallbusy": "small busy" as typed, words of several posts, is kept, though "bus"
    # (one typo from "busy") is in many more.
    posts += [{"id": f"busy{n}", "title": "Busy", "body": "Small busy weeks."} for n in range(3)]
    posts += [{"id": f"bus{n}", "title": "Bus", "body": f"Small bus {n}."} for n in range(40)]
    (tmp_path / "more").mkdir()
    index = index_of(tmp_path / "more", posts)
    assert "small busy" in search(index, "#smallbusy").parsed


def test_a_word_longer_than_any_post_has_matches_nothing_unless_it_splits(tmp_path):
    """A query of only a word longer than 40 characters (a pasted key, keyboard mashing)
    finds nothing, and says why, where it used to show every article; a hashtag that
    long is split into its words like a shorter one."""
    posts = [{"id": "duties", "title": "Duties",
              "body": "Entrepreneurship fundamentals: bookkeeping responsibilities."},
             {"id": "other", "title": "Other", "body": "Nothing to see here."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    junk = search(index, "QmFzZTY0IGlzIGEgZ3JvdXAgb2YgYmluYXJ5LXRvLXRleHQgZW5jb2Rpbmc=")
    assert junk.total == 0 and any("longer than 40" in w for w in junk.warnings)
    assert search(index, "a" * 500).total == 0
    assert search(index, '"' + "a" * 500 + '"').total == 0
    assert search(index, "!!!").total == 2  # no words at all: every article, as before
    hashtag = "#EntrepreneurshipFundamentalsBookkeepingResponsibilities"  # 55 letters
    assert ids(search(index, hashtag)) == ["duties"]
    assert search(index, hashtag + "Nothing").total == 0  # (62 letters: not split, no match)


def test_a_title_with_the_words_in_another_form_is_lifted_too(tmp_path):
    """ "age sellers": the post titled "Leave the Age of the Seller behind" holds both
    words, one as "Seller"; it comes before posts that say "seller" and "age" in their
    bodies, as "age seller" puts it first, though below a title that has the words as
    typed. (Bodies that say "sellers", the form typed, are another matter: the form
    typed counts twice, test_the_form_typed_ranks_above_another_form.)"""
    body = "A seller and a buyer in the age of the customer. " * 2
    posts = [{"id": f"body{n}", "title": f"Markets {n}", "body": body + "Seller " * n}
             for n in range(4)]  # fmt: skip
    posts.append({"id": "title", "title": "Leave the Age of the Seller behind",
                  "body": "The customer decides now; the age changed."})  # fmt: skip
    # (and a post with "sellers", so that the form typed is searched as typed)
    posts.append({"id": "plural", "title": "Notes", "body": "Sellers sell."})
    index = index_of(tmp_path, posts)
    assert ids(search(index, "age seller"))[0] == "title"
    assert ids(search(index, "age sellers"))[0] == "title"
    explained = search(index, "age sellers", explain=True).hits[0]["explain"]
    assert "words in title, other forms" in str(explained)


def test_the_form_typed_ranks_above_another_form(tmp_path):
    """A word scores by its stem and again by the form typed: of two posts alike but
    for "customers" and "customer", each query finds both and puts its own form first;
    explain shows both parts."""
    posts = [
        {"id": "plural", "title": "Notes", "body": "Our customers came, customers stayed."},
        {"id": "singular", "title": "Notes", "body": "Our customer came, customer stayed."},
        {"id": "other", "title": "Notes", "body": "Our neighbours came, they stayed."},
    ]
    index = index_of(tmp_path, posts)
    assert ids(search(index, "customers")) == ["plural", "singular"]
    assert ids(search(index, "customer")) == ["singular", "plural"]
    hit = search(index, "customers", explain=True).hits[0]
    parts = hit["explain"]["parts"]
    assert [(p["field"], "form" in p) for p in parts] == [("body", False), ("body", True)]
    assert sum(p["value"] for p in parts) == pytest.approx(hit["score"], abs=1e-3)


def test_a_stop_word_that_a_slip_explains_is_not_passed_over_for_one_it_does_not(tmp_path):
    """ "wiht roses": "with" (two letters swapped) is the typo's likely word, a stop
    word; "wilt" (a key far from the "h") is near too and beside "roses", but it is not
    what was typed, so the correction stays "with" and every post with roses matches."""
    posts = [{"id": f"with{n}", "title": f"Garden {n}", "body": "A bed with roses."}
             for n in range(3)]  # fmt: skip
    posts.append({"id": "wilt", "title": "Wilt", "body": "Roses wilt in the heat."})
    index = index_of(tmp_path, posts)
    results = search(index, "wiht roses")
    assert results.corrections[0]["to"] == "with"
    assert sorted(ids(results)) == ["wilt", "with0", "with1", "with2"]


def test_a_near_word_both_one_typo_and_vouched_is_offered_once():
    """ "laong": "along" (the first two letters swapped) is one typo and, being another
    first letter, also a vouched candidate; `also` must not list it twice."""
    from search.typos import choose

    fixed, over, also = choose(
        [("long", 1), ("along", 1)], lambda w: 1, [("along", 2), ("alone", 2)]
    )
    assert (fixed, over, also) == ("long", [], ["along", "alone"])


def test_the_common_words_read_from_the_dictionarys_file_are_its_apis():
    """search/english.py reads pyspellchecker's English dictionary from its file with a
    pattern (6 MB a worker, not 20): the same words as its API's dictionary gives."""
    from search.english import _from_api, _from_file, is_common_english

    assert _from_file() == _from_api()
    assert is_common_english("tips") and is_common_english("advice")
    assert not is_common_english("hel") and not is_common_english("custmer")


def test_a_generation_keeps_the_common_words_and_a_search_process_reads_them_there(
    tmp_path, monkeypatch
):
    """The indexer keeps English's common words in the generation (english.txt, stamped
    with the dictionary's file), written once and linked into the next; a process that
    loads the generation reads them there (2 ms), not from the dictionary (0.1 s of its
    first search of a word the posts lack). Another dictionary's words are not read."""
    import os

    from indexer.build import build_index
    from indexer.store import open_current
    from search import english
    from search.prepare import prepare_generation
    from search.state import IndexState
    from tests.conftest import write_jsonl

    corpus = write_jsonl(tmp_path / "a.jsonl", care_posts(3))
    build_index(corpus, tmp_path / "index", before_publish=prepare_generation)
    first = open_current(tmp_path / "index").path / english.SAVED_FILE
    stamp, *words = first.read_text(encoding="utf-8").split("\n")
    assert set(words) == english._from_file() and stamp == english._stamp()
    write_jsonl(corpus, care_posts(4))  # another generation: the file linked, not written
    build_index(corpus, tmp_path / "index", before_publish=prepare_generation)
    second = open_current(tmp_path / "index").path / english.SAVED_FILE
    assert second != first and os.stat(second).st_ino == os.stat(first).st_ino

    def unread():
        raise AssertionError("the dictionary was read")

    monkeypatch.setattr(english, "_saved_in", None)
    english.common_words.cache_clear()
    try:
        with monkeypatch.context() as m:
            m.setattr(english, "_from_file", unread)
            IndexState(open_current(tmp_path / "index")).warm()
            assert english.is_common_english("tips") and not english.is_common_english("custmer")
            found = search(tmp_path / "index", "customer service tips")
            assert found.total == 4 and found.corrections == []
        # Words kept for another dictionary (or COMMON) are not taken: it is read.
        second.write_text("1000 1 2\ntips\n" + "\n".join(words), encoding="utf-8")
        english.common_words.cache_clear()
        english.learn_saved_words(second.parent)
        assert english.common_words() == english._from_file()
    finally:
        english.common_words.cache_clear()


def test_a_question_mark_ends_a_question_without_a_warning():
    """Readers type questions ("why is relevance important?"): each one showed "* and ?
    work only at the end of a word", for a mark that is punctuation there. Inside a word
    ("custom?r", a wildcard elsewhere) it is still said; "cust*?" is the prefix."""
    from search.query import parse_query

    for query in ("why is relevance important?", "customers?!", "who??"):
        parsed = parse_query(query)
        assert parsed.warnings == [], query
        assert "?" not in str([u.words for group in parsed.groups for u in group])
    assert parse_query("custom?r").warnings == [
        "* and ? work only at the end of a word (cust*); read as plain words."
    ]
    prefix = parse_query("cust*?").groups[0][0]
    assert prefix.prefix and prefix.words == ["cust"]


def test_a_pasted_address_is_searched_without_field_or_wildcard_warnings(tmp_path):
    """A reader pastes a link: "https:" is no field and the "?" of its query string no
    wildcard (both were warned about), and the post that gives the address, with or
    without its scheme, is found."""
    index = index_of(tmp_path, [
        {"id": "full", "title": "Pricing", "body": "See https://example.com/pricing?plan=pro."},
        {"id": "bare", "title": "Plans", "body": "Our plans are at example.com/plans for now."},
        {"id": "mail", "title": "Help", "body": "Write to help@example.com for a refund."},
    ])  # fmt: skip
    for query, found in [("https://example.com/pricing?plan=pro", ["full"]),
                         ("http://www.example.com/plans", ["bare"]),
                         ("mailto:help@example.com", ["mail"])]:  # fmt: skip
        results = search(index, query)
        assert ids(results) == found and results.warnings == [], query


def test_a_year_filter_that_is_no_year_is_refused_by_every_caller(index):
    """The API refused year=20x (400); the CLI's --year and the library took it and
    answered "0 results". The rule is now the library's, so each caller says it."""
    with pytest.raises(SearchError, match="year must be a year"):
        search(index, "customers", filters={"year": ["20x"]})
    assert search(index, "customers", filters={"year": ["Undated", " 2022 "]}).total >= 0


def test_a_number_finds_the_posts_that_write_it_another_way(tmp_path):
    """Blog titles number things as digits, words and Roman numerals ("10 Tips", "Part
    III", "Part Three"): "ten tips" found only a post that says "ten", "part iii" was
    corrected to "part ii", the wrong post of a series. A number now finds its other
    spellings too, the form typed first (as typed, without corrections, too); a Roman
    numeral only where one is typed or after a word that numbers parts ("4 ways" finds
    no "IV"); "one" stays "one"."""
    index = index_of(tmp_path, [
        {"id": "tips", "title": "10 tips for pricing", "body": "Raise prices each spring."},
        {"id": "ten", "title": "Pricing lessons", "body": "Ten tips I learned the hard way."},
        {"id": "p2", "title": "Customer syndrome, Part II", "body": "The second part."},
        {"id": "p3", "title": "Customer syndrome, Part 3", "body": "The last part."},
        {"id": "ways", "title": "Four ways to say thanks", "body": "Say it, write it."},
        {"id": "iv", "title": "An IV drip of cash", "body": "Loans as an IV drip."},
        {"id": "q3", "title": "The 3rd quarter", "body": "Sales were up."},
        {"id": "one", "title": "1 customer at a time", "body": "Serve each customer."},
    ])  # fmt: skip
    assert ids(search(index, "ten tips")) == ["ten", "tips"]  # (the form typed first)
    assert ids(search(index, "10 tips")) == ["tips", "ten"]
    results = search(index, "part iii")
    assert ids(results) == ["p3"] and results.corrections == []
    assert ids(search(index, "syndrome part 2")) == ["p2"]
    assert ids(search(index, "syndrome part two")) == ["p2"]
    assert ids(search(index, "4 ways")) == ["ways"]  # (not the IV drip)
    assert ids(search(index, "third quarter")) == ["q3"]
    assert ids(search(index, "iv drip"))[0] == "iv"  # (as typed first)
    assert ids(search(index, "part 2 syndrome", correct=False)) == ["p2"]
    assert other_spellings("one", None) == [] and other_spellings("1", "part") == []
    from search.articles import get_article  # (the page a result opens marks it too)

    assert "<mark>3</mark>" in get_article(index, "p3", "part iii")["title_html"]


def test_a_shortened_word_finds_the_word_written_out(tmp_path):
    """Readers shorten words ("small biz", "govt", "mktg", "info"): "govt" was corrected
    to "got", "small biz" found the posts that say "small" in a partial match, "mktg"
    nothing. A shortening finds the word written out, a post that says it as typed
    first; "can't" finds "cannot". A shortening the collection writes as often as the
    word ("qtr" in Reuters' reports) is its own word, searched as typed."""
    posts = [{"id": f"biz{n}", "title": f"Small business tip {n}", "body": "Lend."}
             for n in range(12)]  # fmt: skip
    index = index_of(tmp_path, posts + [
        {"id": "small", "title": "Small steps", "body": "A small change each day."},
        {"id": "govt", "title": "Government contracts", "body": "Bid on them early."},
        {"id": "got", "title": "What we got right", "body": "We got the pricing right."},
        {"id": "mktg", "title": "Marketing on a budget", "body": "Try email first."},
        {"id": "slang", "title": "Biz talk", "body": "Our biz grew: small biz rules."},
        {"id": "cannot", "title": "Control", "body": "You cannot control the weather."},
        {"id": "qtr", "title": "3rd qtr results", "body": "Qtr net up."},
        {"id": "quarter", "title": "A quarter of a century", "body": "Results last."},
    ])  # fmt: skip
    found = ids(search(index, "small biz", per_page=20))
    assert found[0] == "slang" and sorted(found[1:]) == sorted(f"biz{n}" for n in range(12))
    results = search(index, "govt")
    assert ids(results) == ["govt"] and results.corrections == []
    assert ids(search(index, "mktg")) == ["mktg"]
    assert ids(search(index, "can't control")) == ["cannot"]
    assert ids(search(index, "qtr results")) == ["qtr"]  # (not the quarter century)
    from search.articles import get_article  # (the page a result opens marks it too)

    assert get_article(index, "govt", "govt")["title_html"] == "<mark>Government</mark> contracts"


def test_a_word_the_posts_say_in_another_form_is_no_typo(tmp_path):
    """ "recent price", where the posts say "recently": "recent" was corrected to
    "retention" (a word its stem is one letter from, that a post has beside "most" and
    "price"); the stemmed fields find "recently" as "recent" is typed."""
    index = index_of(tmp_path, [
        {"id": "a", "title": "Prices", "body": "Recently, prices rose again."},
        {"id": "b", "title": "Service", "body": "Price counts, but most retention follows."},
        {"id": "c", "title": "Other", "body": "Nothing here."},
    ])  # fmt: skip
    for query in ("recent price", "recent prices"):
        results = search(index, query)
        assert ids(results) == ["a"] and results.corrections == [], query


def test_a_generation_memo_is_per_generation_and_bounded():
    """What a lookup decided is kept for the generation it was asked on only (another
    generation asks again), and at most `size` keys are kept (then all are forgotten)."""
    from search.generation_memo import MISSING, GenerationMemo

    class State:  # (an IndexState stands here: only its identity counts)
        pass

    memo, old, new = GenerationMemo(2), State(), State()
    memo.put(old, "email", ("e", ["mail"]))
    assert memo.get(old, "email") == ("e", ["mail"])
    assert memo.get(new, "email") is MISSING
    memo.put(old, "uk", True)
    memo.put(old, "phd", False)  # (the third key: the first two forgotten)
    assert (memo.get(old, "email"), memo.get(old, "uk"), memo.get(old, "phd")) == (
        MISSING, MISSING, False)  # fmt: skip


@pytest.mark.parametrize("date", [None, "2021-03-04"])
def test_posts_of_one_day_keep_the_corpus_order_in_date_order_after_an_edit(tmp_path, date):
    """Undated posts (or posts of one day) are listed in date order as the corpus has
    them: an update adds an edited post anew at the end of the index, and it went to
    the end of the list (a fresh build of the same corpus kept it in its place)."""
    from indexer.build import build_index
    from tests.conftest import write_jsonl

    posts = [{"id": name, "title": f"Post {name}", "date": date,
              "body": f"Cash flow notes, part {name}."} for name in "abcd"]  # fmt: skip
    corpus = write_jsonl(tmp_path / "posts.jsonl", posts)
    build_index(corpus, tmp_path / "index")
    posts[1] = {**posts[1], "body": "Cash flow notes, part b, edited."}
    write_jsonl(corpus, posts)
    build_index(corpus, tmp_path / "index")  # (b is written again, after d)
    build_index(corpus, tmp_path / "fresh", rebuild=True)
    for index in (tmp_path / "index", tmp_path / "fresh"):
        state = get_state(index, wait=True)
        for query, sort in (("", None), ("cash flow", "newest"), ("cash flow", "oldest")):
            hits = search(state, query, sort=sort).hits
            assert [h["id"] for h in hits] == ["a", "b", "c", "d"], (index.name, query, sort)


def test_a_word_s_scores_are_worked_out_once_a_generation_and_kept_unchangeable(
    tmp_path, monkeypatch
):
    """The words people type repeat: a word's BM25F scores are kept with the loaded
    generation, read-only (a caller changing them in place would change the next
    query's answer), and a new generation works them out afresh."""
    from search import scoring

    posts = [{"id": f"p{n}", "title": f"Customers post {n}",
              "body": "Loyal customers matter. " * (n + 1)} for n in range(3)]  # fmt: skip
    index = index_of(tmp_path, posts)
    worked = []
    real = scoring.field_frequencies
    monkeypatch.setattr(scoring, "field_frequencies",
                        lambda *a, **k: worked.append(a[2]) or real(*a, **k))  # fmt: skip
    state = get_state(index, wait=True)
    first = search(state, "loyal customers")
    assert worked and ids(first) and len(ids(first)) == 3
    worked.clear()
    again = search(state, "loyal customers")
    assert worked == [] and again.to_dict()["hits"] == first.to_dict()["hits"]

    held = scoring.word_scores(state, scoring.FIELD_BOOSTS, "custom", 1e18)
    assert len(held) == 3
    with pytest.raises(ValueError):
        held.values[0] = 0.0

    index_of(tmp_path, [*posts, {"id": "new", "title": "Loyal customers, new", "body": "x"}])
    newer = get_state(index, wait=True)
    assert newer is not state
    assert "new" in ids(search(newer, "loyal customers")) and worked


def test_word_scores_kept_never_push_out_the_postings_kept(tmp_path, monkeypatch):
    """A common word's scores are large (8 bytes a document it is in); kept in the
    postings' budget they pushed rare words' postings out, and at 100k every query
    decoded them again. With no room at all for scores, the postings stay kept."""
    from search import scoring

    posts = [{"id": f"p{n}", "title": f"Customers post {n}",
              "body": "Loyal customers matter. " * (n + 1)} for n in range(3)]  # fmt: skip
    index = index_of(tmp_path, posts)
    monkeypatch.setattr(scoring, "SCORES_CACHE_BYTES", 0)
    decoded = []
    real = scoring.leaf_postings
    monkeypatch.setattr(scoring, "leaf_postings",
                        lambda *a, **k: decoded.append(a[1:]) or real(*a, **k))  # fmt: skip
    state = get_state(index, wait=True)
    first = search(state, "loyal customers matter")
    assert decoded and len(ids(first)) == 3
    decoded.clear()
    again = search(state, "loyal customers matter")
    assert decoded == [] and again.to_dict()["hits"] == first.to_dict()["hits"]


def test_a_field_no_post_has_is_not_looked_up_until_a_post_has_it(tmp_path, monkeypatch):
    """A blog without maxims: the maxim fields hold no word, so the words of a query are
    not looked up there (each lookup in Whoosh's term table of a word the field lacks
    cost 5-11 µs, two or three a query). Once a post has a maxim, its words are found
    there, and score there."""
    from search import scoring

    posts = [{"id": f"p{n}", "title": f"Pricing note {n}",
              "body": "Loyal customers pay fair prices. " * (n + 1)} for n in range(3)]  # fmt: skip
    asked = []
    real = scoring.leaf_postings
    monkeypatch.setattr(scoring, "leaf_postings",
                        lambda *a, **k: asked.append(a[1]) or real(*a, **k))  # fmt: skip
    state = get_state(index_of(tmp_path, posts), wait=True)
    found = search(state, "loyal customers")
    assert len(ids(found)) == 3 and asked
    assert not {"maxim", "maxim_exact"} & set(asked), asked

    posts.append({"id": "m", "title": "Pricing with a maxim", "body": "Prices.",
                  "maxim": "Loyal customers come back."})  # fmt: skip
    asked.clear()
    state = get_state(index_of(tmp_path, posts), wait=True)
    found = search(state, "loyal customers")
    assert {"maxim", "maxim_exact"} <= set(asked)
    # (its title and body lack the words: found by its maxim alone)
    hit = next(h for h in found.hits if h["id"] == "m")
    assert hit["maxim_html"] == "<mark>Loyal</mark> <mark>customers</mark> come back."


def test_a_mapped_words_postings_are_joined_once_and_push_out_no_decoded_ones(
    tmp_path, monkeypatch
):
    """A word the positions files hold is read from them (mapped), converted and joined
    across segments: 10-25 µs, asked again by every query with the word (re-ranking's
    titles, corrections' context). The joined arrays are kept apart from the decoded
    postings of rare words, so that common words never push those out (sharing one
    budget made requests slower)."""
    from indexer import positions
    from indexer.positions import PositionsFile
    from search import scoring

    posts = [{"id": f"p{n}", "title": f"Pricing note {n}",
              "body": "Loyal customers pay fair prices. " * (n + 1)} for n in range(8)]  # fmt: skip
    posts.append({"id": "r", "title": "Rare", "body": "A zebra."})
    monkeypatch.setattr(positions, "MIN_DF_FLOOR", 5)
    state = get_state(index_of(tmp_path, posts), wait=True)
    read = []
    real = PositionsFile.postings
    monkeypatch.setattr(PositionsFile, "postings",
                        lambda self, *a: read.append(a) or real(self, *a))  # fmt: skip
    first = scoring.postings(state, "body", "loyal")
    assert first[0] == 8 and read  # (in 8 posts: held by the file)
    read.clear()
    again = scoring.postings(state, "body", "loyal")
    assert not read and again[1] is first[1]
    rare = scoring.postings(state, "body_exact", "zebra")  # (in 1 post: not in the file)
    monkeypatch.setattr(scoring, "JOINED_CACHE_BYTES", 0)  # (each mapped word pushes out the last)
    for word in ("customers", "pay", "fair", "prices"):
        scoring.postings(state, "body_exact", word)
    assert scoring.postings(state, "body_exact", "zebra")[1] is rare[1]


def test_related_posts_share_the_title_words_and_follow_an_update(tmp_path, monkeypatch):
    """An article page lists the posts that share the telling words of its title, itself
    left out. Kept with the loaded generation (an article page searched for them each
    time), they are searched for once, given as copies, and follow an update: a post
    published since is listed."""
    import search.articles
    from indexer.build import build_index
    from search.articles import related
    from tests.conftest import write_jsonl

    posts = [{"id": "a", "title": "Pricing for small shops", "body": "Prices."},
             {"id": "b", "title": "Pricing mistakes", "body": "Mistakes."},
             {"id": "c", "title": "Gardening", "body": "Roses."}]  # fmt: skip
    index = index_of(tmp_path, posts)
    searches = []
    real = search.articles.search
    monkeypatch.setattr(
        search.articles, "search", lambda *a, **k: searches.append(a) or real(*a, **k)
    )
    shown = related(index, get_article(index, "a"))
    assert [r["id"] for r in shown] == ["b"] and shown[0]["title"] == "Pricing mistakes"
    shown[0]["title"] = "changed by a caller"
    assert related(index, get_article(index, "a")) == [
        {"id": "b", "title": "Pricing mistakes", "date": None}
    ]
    assert len(searches) == 1
    posts.append({"id": "d", "title": "Small shops grow", "body": "Shops."})
    build_index(write_jsonl(tmp_path / "articles.jsonl", posts), index)
    state = get_state(index, wait=True)  # (a server loads it in the background)
    assert sorted(r["id"] for r in related(state, get_article(state, "a"))) == ["b", "d"]
    assert len(searches) == 2


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abcdeéèüßİ®€•’“”—'- 2,", min_size=1, max_size=12), min_size=1, max_size=40
    ),
    st.integers(min_value=0, max_value=39),
)
def test_a_snippet_shows_the_text_as_written_and_marks_only_the_query_words(pieces, pick):
    """Snippets read the text lower-cased without accents, one character for one: for
    any text of letters with and without accents, signs and quotes, the snippet is the
    text as written (escaped), and every mark holds a word the query matches."""
    from html import unescape

    from indexer.analysis import STOP_WORDS, TextAnalyzer
    from search.snippets import Matcher, passage

    body = " ".join(pieces)
    words = TextAnalyzer(stem=False).words(body)
    if not words:
        return
    word = words[pick % len(words)]
    matcher = Matcher.for_words([word])
    html, _, _ = passage(body, matcher)
    shown = unescape(re.sub(r"</?mark>", "", html)).strip("…")
    assert shown.strip() in body
    marks = re.findall(r"<mark>(.*?)</mark>", html)
    for marked in marks:
        assert any(matcher.key(w) for w in TextAnalyzer(stem=False).words(unescape(marked)))
    assert marks or word in STOP_WORDS  # (a stop word is marked only beside another match)


# The words of the test index's posts as written, curly apostrophes and all.
POST_WORDS = sorted({w for a in ARTICLES for w in re.findall(r"[A-Za-z’']{3,}", " ".join(
    [a["title"], a["body"]]))})  # fmt: skip


@st.composite
def remembered(draw) -> str:
    """A query a reader types from memory: one to four of the posts' words, perhaps one
    with a slip (a letter dropped, added, replaced, or two swapped), in capitals, or in
    quotes."""
    words = draw(st.lists(st.sampled_from(POST_WORDS), min_size=1, max_size=4))
    n = draw(st.integers(0, len(words) - 1))
    word = words[n]
    if len(word) > 3 and draw(st.booleans()):
        i = draw(st.integers(1, len(word) - 2))
        letter = draw(st.sampled_from("aeiorstnl’'"))
        slips = [word[:i] + word[i + 1 :], word[:i] + letter + word[i:],
                 word[:i] + letter + word[i + 1 :],
                 word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]]  # fmt: skip
        words[n] = draw(st.sampled_from(slips))
    query = " ".join(words)
    if draw(st.booleans()):
        query = query.upper()
    return f'"{query}"' if draw(st.integers(0, 9)) == 0 else query


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(remembered())
def test_what_a_search_offers_is_never_the_query_itself(index, query):
    """For any query typed from memory of the posts' words, slips and apostrophes
    included: the spelling offered ("Showing results for", "Did you mean") is not the
    query itself, and no correction changes a word into itself unless it says what it
    searches beside it. (A word typed with an apostrophe, "dond’t", or a ligature had
    been offered the query as its correction.)"""
    found = search(index, query)
    if found.did_you_mean is not None:
        assert found.did_you_mean.casefold() != query.casefold()
    for c in found.corrections:
        assert c["from"] != c["to"] or c.get("completed") or c.get("also"), c
    assert len(found.hits) <= found.total and (found.hits or not found.total)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(POST_WORDS), min_size=1, max_size=2), st.data())
def test_a_facets_count_is_what_choosing_it_finds(index, words, data):
    """For any query of the posts' words, a facet value's count beside the results is
    the number of results once it is chosen (its link). (A word for posts had broken
    it: test_a_facet_of_a_word_for_posts_finds_as_many_posts_as_it_counts.)"""
    query = " ".join(words)
    found = search(index, query)
    facets = [(name, value, count) for name, values in found.facets.items()
              for value, count in values.items()]  # fmt: skip
    if not facets:
        return
    name, value, count = data.draw(st.sampled_from(facets))
    assert search(index, query, {name: [value]}).total == count, (name, value)
