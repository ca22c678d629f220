"""The page importer on the five real scraped pages in corpus/."""

from __future__ import annotations

import re

import pytest

from indexer.article import Article
from indexer.importers.pages import parse_page
from indexer.sources import read_corpus
from tests.conftest import CORPUS

PAGES = {
    "000_48a949337a022983.txt": [
        "Bring Your Customer’s Customer Into Focus",
        "“Customers from Hell” and the #1 Business Fundamental",
        "“No Problem,” The Vuvuzela Of Customer Service",
        "A Solid Gold Gift From Customers: “Follow Me Home”",
        "Storytelling Gave Birth To The Marketplace",
        "The “Customer? What Customer Syndrome?” Part II",
    ],
    "001_02afc98a55ce8606.txt": [
        "Relevance is the Customer’s new prime expectation",
        "Leave the Age of the Seller behind for the Age of the Customer.",
        "It’s never too early to greet your customers.",
        "The best social media practices for the Age of the Customer",
        "Value is the threshold of your relationship with Customers; values are the foundation.",
        "A message from Jim Blasingame",
        "It’s yours.",
        "VIDEO: Your future and customer paradigms",
        "Celebrate your customers this week",
        "You should never have “a customer from hell”",
    ],
    "002_8e88a79347243f59.txt": [
        "Celebrate your customers this week",
        "Smartphones and customer expectations",
        "“Thank you” is golden, “No problem” is a problem",
        "VIDEO: Are you practicing Age of the Customer prospecting rules?",
        "VIDEO: Allow customers to see your business’s authentic side",
        "VIDEO: Differentiating between users and customers",
    ],
    "003_34041ce10870af05.txt": [
        "AUDIO: Are you meeting your customers’ new expectations?",
        "Don’t be stupid — eliminate barriers of customers to your small business",
        "The customer is now in control of your business — get over it!",
        "Allow customers to see your authentic side through writing",
        "In the New Age the Force is with the Customer",
        "Businesses should plan for success while operating for survival",
        "Create online customer communities for your small business",
        "Blasingame’s new law of customer relevance",
        "The Age of the Customer®, Part 3: The values of online customer communities",
        "Your values and customer communities",
    ],
    "004_85f3fa3ee10dfc20.txt": [
        "Do You Show Your Customers You Love Them?",
        "What chair do you reserve for customers?",
        "Are Your Customers Creating Storms?",
    ],
}

# Text that is page furniture on these pages and must never be in a body.
FURNITURE = [
    "Skip to content", "header image", "Categories", "Archives", "Next Page", "Page 2",
    "Share this page", "© 2023", "Filed Under", "Tagged With", "Continue Reading",
    "Continue...", "Older Posts", "Photo courtesy", "Screen Shot", "Click the image",
    "Click the link", "on Vimeo", "Warning:", "fsockopen", "OnAir", "tranquility-3",
    "customers-2", "FOR-2", "Your customers kn", "desk-789632_640", "lightning-342341_640",
    "Rustic heart", "ONLINE_SHOPPING", "TheForce", "Dramatic Clouds", "Lifecare-Edinburgh",
    "•", "\xa0",
]  # fmt: skip


def page(name: str) -> list[Article]:
    items = list(parse_page((CORPUS / name).read_text("utf-8"), name))
    assert all(isinstance(a, Article) for a in items), [str(a) for a in items]
    return items


def by_title(name: str) -> dict[str, Article]:
    return {a.title: a for a in page(name)}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_titles_of_each_page(name):
    assert [a.title for a in page(name)] == PAGES[name]


def test_export_shows_every_article_and_nothing_else():
    items = list(read_corpus(CORPUS))
    assert all(isinstance(a, Article) for a in items)
    assert sorted(a.title for a in items) == sorted(t for ts in PAGES.values() for t in ts)
    assert len({a.id for a in items}) == len(items) == 35


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_furniture_in_any_body(name):
    for article in page(name):
        for text in FURNITURE:
            assert text not in article.body, (article.title, text)


def test_dated_template_dates_authors_categories_tags():
    a = by_title("000_48a949337a022983.txt")["Bring Your Customer’s Customer Into Focus"]
    assert a.date == "2023-03-10"
    assert a.author == "Jim Blasingame"
    assert a.categories == [
        "Customer Care", "Futuring", "Management Fundamentals", "Sales / Sales Management",
        "Start Ups", "The Age of the Customer",
    ]  # fmt: skip
    assert a.tags == [
        "age of the customer", "customer care", "management fundamentals", "small business",
        "success",
    ]  # fmt: skip
    assert a.excerpt is True
    assert a.body.startswith("When you take a photograph, the resulting product")
    assert a.body.endswith("the most important person in their photo:")
    assert a.source == {"file": "000_48a949337a022983.txt", "line": 33}
    dates = [x.date for x in page("000_48a949337a022983.txt")]
    assert dates == ["2023-03-10", "2022-10-06", "2022-09-29", "2022-02-02", "2022-01-24",
                     "2022-01-17"]  # fmt: skip


def test_archive_headings_give_category_and_tag():
    for a in page("001_02afc98a55ce8606.txt") + page("003_34041ce10870af05.txt"):
        assert a.categories == ["Customer Care"]
        assert a.date is None and a.author is None
    for a in page("002_8e88a79347243f59.txt"):
        assert a.tags == ["customers"]


def test_maxims_on_the_same_line_and_on_the_next():
    maxims = {a.title: a.maxim for a in read_corpus(CORPUS) if a.maxim}
    assert maxims == {
        "Relevance is the Customer’s new prime expectation":
            "The original prime expectation was competitiveness. The new one is relevance.",
        "You should never have “a customer from hell”":
            "You should never have a customer from hell.",
        "“Thank you” is golden, “No problem” is a problem":
            "In The Age of the Customer, “Thank you” is golden, “No problem” is a problem.",
        "In the New Age the Force is with the Customer":
            "In Stardate 10912, the Force is with the customer.",
        "The Age of the Customer®, Part 3: The values of online customer communities":
            "Get connected – and stay connected with customers through online communities.",
        "Your values and customer communities":
            "Build and serve customer communities by delivering value and demonstrating values.",
    }  # fmt: skip


def test_kinds():
    kinds = {a.title: a.kind for a in read_corpus(CORPUS)}
    assert kinds["VIDEO: Your future and customer paradigms"] == "video"
    assert kinds["AUDIO: Are you meeting your customers’ new expectations?"] == "audio"
    assert kinds["It’s yours."] == "image"
    assert sum(k == "image" for k in kinds.values()) == 6
    assert sum(k == "video" for k in kinds.values()) == 4
    assert kinds["Smartphones and customer expectations"] == "article"


def test_excerpts_and_glued_captions():
    p4 = by_title("004_85f3fa3ee10dfc20.txt")
    love = p4["Do You Show Your Customers You Love Them?"]
    assert love.excerpt is True
    assert love.body.startswith("Noted small business guru Jim Blasingame")
    assert love.body.endswith("Third, today’s…")
    assert p4["What chair do you reserve for customers?"].body.startswith("Have you noticed")
    celebrate = by_title("002_8e88a79347243f59.txt")["Celebrate your customers this week"]
    assert celebrate.excerpt is False
    assert "\n\nAccording to the ICSA, the purpose of National Customer Service Week" in (
        celebrate.body
    )
    force = by_title("003_34041ce10870af05.txt")["In the New Age the Force is with the Customer"]
    assert "\n\n—Earth, Stardate 10912 (The Age of the Customer)\n\n" in force.body


def test_subheadings_stay_inside_their_article():
    p3 = by_title("003_34041ce10870af05.txt")
    plan = p3["Businesses should plan for success while operating for survival"]
    assert "Small business survival" in plan.body
    assert "Operate for Survival" in plan.body and "Plan for Success" in plan.body
    barriers = p3["Don’t be stupid — eliminate barriers of customers to your small business"]
    assert re.search(r"Lesson 4 – +If you need more sales revenue", barriers.body)


def test_ids_are_stable_and_do_not_depend_on_line_numbers():
    name = "004_85f3fa3ee10dfc20.txt"
    text = (CORPUS / name).read_text("utf-8")
    before = [a.id for a in parse_page(text, name)]
    after = [a.id for a in parse_page("\n\n\n" + text, name)]
    assert before == after
    assert before[0].startswith("do-you-show-your-customers-you-love-them-")
