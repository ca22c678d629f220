"""Words that name the search, not its subject: "posts about pricing", "any articles on
hiring", "show me blog posts from 2022", "tips on cash flow"; and the words that make a
question of it: "how do I keep customers", "what does relevance mean".

Takes a parsed query; gives it back with those words taken out of its groups (or made
optional), so that what is searched is what the reader asked about. Required, they
matched the one post that says "post" (a post about customers posting reviews) and
left the posts about pricing to a partial match.

Only a lead-in of the query counts: an optional request ("show me", "find", "looking
for", "is there", "do you have"), an optional determiner ("any", "the"), then a word
for a post ("posts", "articles", "blog", "anything") or for what a post gives ("tips",
"advice", "ideas", "help"), then a word that links it to the subject ("about", "on",
"from"); or a request alone that says it is one ("show me", "looking for", "tell me
about"). "Post office" and "articles of incorporation" are left as typed. A word for a
post with nothing after it is dropped only where the query asks for a period or a
filter ("posts 2022", "articles category:Sales") or for the latest ("latest posts",
"recent articles", "most recent", "latest" alone): with nothing left to search, every
article of the period is the answer, newest first; or for the first ("oldest posts",
"the first articles", "earliest"): oldest first. With a subject, these ask for its
posts in that order ("latest posts on pricing"; "latest pricing", "most recent hiring"
with no word for a post between): `ParsedQuery.order`, which a sort the request chose
overrides (search/engine.py). What a post gives ("tips") is kept as
an optional word: a post of tips is the better answer to "tips on hiring", but one
without the word is an answer too; so is a word for a post at the end ("pricing
articles").

A question (a query that begins with a question word, search/scoring.py) is about its
other words: its auxiliaries and pronouns ("do", "does", "should", "I", "my") are not
searched for (`drop_question_glue`), where other words are left. Required, "how do i get
more customers" found the one post that says "do", "i", "get", "more" and "customers".
The question word itself stays, not required (search/scoring.py: asked_groups).

Any of these words typed with one slip ("psots abuot pricing", "hwo do i keep
customers") counts as the word, where the collection does not have it as typed. And
"u" and "ur" beside other words are "you" and "your", as texted (`spell_out`).
"""

from __future__ import annotations

import re
from collections.abc import Container

from rapidfuzz.distance import OSA

from indexer.analysis import STOP_WORDS
from search.query import ParsedQuery, Unit
from search.scoring import QUESTION_WORDS

REQUESTS = frozenset({"show", "me", "find", "search", "list", "give", "get", "looking", "look",
                      "for", "i", "im", "want", "need", "please",
                      # ("is there an article about …", "do you have posts on …")
                      "is", "are", "there", "do", "does", "you", "have", "has", "got",
                      "can", "could", "would", "will"})  # fmt: skip
# A request that says it is one without a word for a post after it.
ASKING = (("show", "me"), ("looking", "for"), ("look", "for"), ("search", "for"),
          ("im", "looking", "for"), ("i", "am", "looking", "for"), ("tell", "me", "about"),
          ("i", "need"), ("i", "want"))  # fmt: skip
DETERMINERS = frozenset({"a", "an", "any", "all", "some", "the", "your", "that", "this"})
# "latest posts", "recent articles": with nothing else, every article (newest first, as
# a query of no words lists them); with a subject, its posts.
RECENT = frozenset({"latest", "recent", "newest", "new"})
# "oldest posts", "the first posts": every article, oldest first (`ParsedQuery.order`).
OLDEST = frozenset({"oldest", "earliest", "first"})
# Said alone ("latest", "most recent", "the oldest"), these ask for the posts too; "new"
# and "first" alone are words ("what's new" is a question about something new).
ALONE = frozenset({"latest", "recent", "newest", "oldest", "earliest"})
# Before a subject with no word for a post between ("latest pricing", "newest customer
# service", "most recent hiring"), these ask for its posts in date order too. Not "new",
# "first" or "recent" without "most": "new customers", "first impressions", "recent
# graduates" are subjects.
BEFORE_A_SUBJECT = frozenset({"latest", "newest", "oldest", "earliest", "most recent"})
# A question that asks for posts ("what are the latest posts about pricing", "where can
# i find articles on hiring"): the question word begins the lead-in, before a request.
ASKS_FOR = frozenset({"what", "whats", "where", "wheres"})
# What a reader may call the posts asked for ("the best posts on pricing", "any good
# articles about hiring"): every search ranks by relevance, so these ask nothing more.
PRAISE = frozenset({"best", "top", "good", "great", "useful", "helpful", "favorite",
                    "favourite", "popular", "recommended", "interesting"})  # fmt: skip
POSTS = frozenset({"post", "posts", "article", "articles", "blog", "blogs", "entry",
                   "entries", "anything", "something", "everything"})  # fmt: skip
GIVES = frozenset({"tip", "tips", "advice", "idea", "ideas", "info", "information", "help"})
GIVES_AT_END = ("tips", "advice", "ideas")  # (not "help": "customers who need help")
LINKS = frozenset({"about", "on", "regarding", "concerning", "re", "mentioning", "discussing",
                   "covering", "from", "in", "for", "with", "by"})  # fmt: skip


# The share of its score a question's word adds (see drop_question_glue).
QUESTION_WEIGHT = 0.5
# Words that ask, in a question, and say nothing of its subject (the stop words, "is",
# "can", "you", are never required anyway; "mean": "what does relevance mean").
GLUE = frozenset({"do", "does", "did", "should", "would", "could", "shall", "might", "must",
                  "was", "were", "has", "had", "am", "been", "i", "im", "me", "my", "our",
                  "they", "them", "their", "he", "she", "his", "her", "its", "mean"})  # fmt: skip
# Every word above: one typed with a slip ("hwo do i", "psots about") still counts, where
# the collection does not have it as typed (see `_mended`).
_ASKING_WORDS = frozenset(REQUESTS | DETERMINERS | RECENT | OLDEST | POSTS | GIVES | LINKS | PRAISE
                          | GLUE | QUESTION_WORDS | {w for r in ASKING for w in r})  # fmt: skip
_KIND = {w: n for n, kind in enumerate((REQUESTS, DETERMINERS, RECENT | OLDEST, POSTS, GIVES,
                                        LINKS, GLUE, QUESTION_WORDS)) for w in kind}  # fmt: skip


# Words phones shorten, as texted: "thank u" matched the posts on the U.S. ("u" is how
# the index keeps the "U" of "U.S."); spelled out, they are stop words, never required.
TEXTED = {"u": "you", "ur": "your"}


def spell_out(parsed: ParsedQuery) -> list[str]:
    """Spell out the TEXTED words of `parsed.groups` where the query has other words
    ("thank u": "thank you"); give the words changed. Alone ("u") a word is as typed."""
    words = [plain_word(group) for group in parsed.groups]
    if not any(w not in TEXTED and w not in STOP_WORDS for w in words):
        return []
    changed = [w for w in words if w in TEXTED]
    for group, word in zip(parsed.groups, words, strict=True):
        if word in TEXTED:
            group[0].words = [TEXTED[word]]
    return changed


def plain_word(group: list[Unit]) -> str | None:
    """The word of a group of one plain typed word, else None."""
    unit = group[0]
    if len(group) > 1 or unit.phrase or unit.prefix or unit.fields or unit.synonym:
        return None
    return unit.words[0] if len(unit.words) == 1 else None


def _mended(words: list[str | None], known: Container[str]) -> list[str | None]:
    """`words`, each that the collection lacks (not in `known`) and that one slip makes a
    word of _ASKING_WORDS read as that word ("hwo": "how", "psots": "posts"); from three
    letters, and for three only two letters swapped. A word near two is left as typed."""
    out = []
    for word in words:
        if word is None or word in _ASKING_WORDS or word in known or len(word) < 3:
            out.append(word)
            continue
        near = sorted(a for a in _ASKING_WORDS if abs(len(a) - len(word)) <= 1
                      and OSA.distance(word, a, score_cutoff=1) == 1
                      and (len(word) > 3 or sorted(a) == sorted(word)))  # fmt: skip
        # Two letters swapped is the likeliest slip ("waht": "what", not "want"); two
        # words of one kind are one reading ("hwo": "how" or "who", a question).
        swapped = [a for a in near if sorted(a) == sorted(word)]
        if len(swapped) == 1:
            near = swapped
        elif len({_KIND.get(a) for a in near}) == 1:
            near = near[:1]
        out.append(near[0] if len(near) == 1 else word)
    return out


def _lead_in(words: list[str | None]) -> tuple[int, int | None, str | None]:
    """(how many of the first words are the lead-in, the position of a word of GIVES in
    it or None, its word that asks for an order or None: "most recent" as one);
    (0, None, None) where the query has none."""
    # ("what are the latest posts on …", "where can i find articles about …")
    n = int(len(words) > 1 and words[0] in ASKS_FOR and words[1] in REQUESTS | DETERMINERS)
    while n < len(words) and words[n] in REQUESTS:
        n += 1
    if n < len(words) and words[n] in DETERMINERS:
        n += 1
    if n + 1 < len(words) and words[n] in PRAISE and words[n + 1] in POSTS:
        n += 1  # ("the best posts on pricing": by relevance, as every search)
    most = n + 1 < len(words) and words[n] == "most" and words[n + 1] == "recent"
    n += most  # ("most recent posts")
    order = None  # the word that asks for an order, "most recent" as one
    if n < len(words) and (words[n] in RECENT or words[n] in OLDEST):
        order = "most recent" if most else words[n]
        n += 1
        if n == len(words) and words[n - 1] in ALONE:
            return n, None, order  # ("latest", "the most recent", "oldest"): the whole query
    if n < len(words) and words[n] == "blog" and n + 1 < len(words) and words[n + 1] in POSTS:
        n += 1  # "blog posts"
    if n < len(words) and order in BEFORE_A_SUBJECT and words[n] not in POSTS | GIVES:
        # ("latest pricing": its posts, newest first; "the latest on pricing")
        return n + (n + 1 < len(words) and words[n] in LINKS), None, order
    if n >= len(words) or (words[n] not in POSTS and words[n] not in GIVES):
        asking = next((len(r) for r in ASKING if tuple(words[: len(r)]) == r), 0)
        return asking, None, None  # ("show me pricing", "looking for a price list")
    gives = n if words[n] in GIVES else None
    n += 1
    if n < len(words) and words[n] in LINKS:
        return n + 1, gives, order
    if n == len(words) and gives is None:
        return n, None, order  # the whole query ("blog posts"): dropped only with a filter
    return 0, None, None


JOINS = frozenset({"or", "and", "to", "&"})  # (between two years: "2019 or 2020")


def left_of_a_filter(text: str) -> str:
    """What is left of a query whose words named a filter, as a query: "" where it asks
    for posts and for nothing else ("posts" of "posts by alice smith", "the blog
    articles?": every post the filter lets through), else without the word that led
    to the filter's ("videos from" of "videos from 2023": "videos")."""
    words = re.findall(r"[^\W_]+", text.lower())
    if all(w in POSTS or w in DETERMINERS or w in STOP_WORDS for w in words):
        return ""
    # ("pricing or" of "pricing 2019 or 2020", "or pricing" of "2019 or 2020 pricing")
    ends, joins = "|".join(sorted(LINKS | JOINS)), "|".join(sorted(JOINS))
    text = re.sub(rf"(?:\s+(?:{ends}))+[\s?!.]*$", "", text, flags=re.I)
    return re.sub(rf"^\s*(?:(?:{joins})\s+)+", "", text, flags=re.I)


def drop_fillers(parsed: ParsedQuery, known: Container[str] = frozenset()) -> list[str]:
    """Take the lead-in words out of `parsed.groups` (a word of GIVES stays, optional);
    give the words taken out, [] where nothing was. `known`: the collection's words (one
    it lacks may be a lead-in's word typed with a slip)."""
    words = _mended([plain_word(group) for group in parsed.groups], known)
    end, gives, order = _lead_in(words)
    if not end:
        return _trailing(parsed, words)
    rest = parsed.groups[end:]
    if all(plain_word(group) in STOP_WORDS for group in rest):
        rest = []  # ("posts about the": nothing to search either)
    if not rest and not (parsed.negatives or order):
        # "posts", "blog posts", "everything": as typed, with a filter too (a facet of
        # the words' posts, clicked: "everything" showed Customer Care 3, and its link
        # every post filed there, 26). What asks for a filter's posts in words ("posts
        # from 2022") comes here as no words at all (readings, left_of_a_filter).
        return _trailing(parsed, words)
    if order:
        # ("oldest posts": every post, the first first; "latest posts about pricing":
        # its posts, newest first)
        parsed.order = "oldest" if order in OLDEST else "newest"
    kept = []
    if gives is not None and rest:
        unit = parsed.groups[gives][0]
        unit.optional, unit.words = True, [words[gives]]
        kept = [parsed.groups[gives]]
    dropped = [w for n, w in enumerate(words[:end]) if n != gives or not rest]
    parsed.groups = kept + parsed.groups[end:] if rest else []
    if not parsed.groups:
        parsed.match_all = True  # the period's or the filter's articles, all of them
    return dropped


def _trailing(parsed: ParsedQuery, words: list[str | None]) -> list[str]:
    """A word for a post, or for what it gives, at the end of a query of other words
    ("customer from hell article", "pricing posts", "customer service tips") made
    optional: the posts that say it first, the others after (a partial match led by the
    posts that say "articles", before). Gives []: no word is taken out."""
    if len(words) < 2:
        return []  # (no query at all: an article page opened without one)
    blog = len(words) > 2 and words[-2] == "blog"  # ("… blog post")
    end = len(words) - blog
    # (Not "post" alone: a post is also a position, "leave post", and a newspaper.) Nor
    # what a post gives ("customer service tips", "pricing advice"): required, the
    # posts of a blog that never says "tips" were a partial match.
    ends = (words[-1] in ("posts", "article", "articles", *GIVES_AT_END)
            or (blog and words[-1] == "post"))  # fmt: skip
    if ends and any(w not in STOP_WORDS and w not in POSTS for w in words[: end - 1]):
        for group in parsed.groups[end - 1 :]:
            group[0].optional = True
    return []


def drop_question_glue(parsed: ParsedQuery, known: Container[str] = frozenset()) -> list[str]:
    """In a question, take the words of GLUE out of `parsed.groups`, unless nothing but
    the question word and stop words would be left; give the words taken out. `known`:
    as for drop_fillers (a question word typed with a slip is read as the word)."""
    words = _mended([plain_word(group) for group in parsed.groups], known)
    if not words or words[0] not in QUESTION_WORDS:
        return []
    kept = [n for n, word in enumerate(words) if word not in GLUE]
    if not any(words[n] not in STOP_WORDS and words[n] not in QUESTION_WORDS for n in kept):
        return []  # ("how do i", "hwo": as typed)
    asked = parsed.groups[0][0]
    asked.words = [words[0]]  # ("hwo keep": not required, not corrected)
    # Not required, it adds half its score: a post that says "how" too still comes before
    # one as good that does not, but its whole score (where few posts say "how", as
    # much as two words asked about) put a post that says "how" three times, and "lose"
    # and "weight" in passing, above the posts about losing weight. (Known items at
    # 10k, seeds 2007, 1, 3, 5: 2 of 8,000 ranks moved, a body query that drew "why"
    # from its post, 2nd to 7th.)
    asked.weight = QUESTION_WEIGHT
    dropped = [w for w in words if w in GLUE]
    parsed.groups = [parsed.groups[n] for n in kept]
    return dropped


def subject_words(words: list[str], known: Container[str] = frozenset()) -> list[str]:
    """`words` as typed so far (the last maybe unfinished) less a lead-in that ends with
    its linking word ("posts about pri") and, in a question, the question word and
    GLUE ("how do i keep cus"): the words a suggestion (search/articles.py) must have.
    `known`: as for drop_fillers."""
    done, last = _mended(words[:-1], known), words[-1:]
    end, _, order = _lead_in(list(done))
    if end and done[end - 1] in LINKS:
        done = done[end:]
    elif last and end == len(done) and order in BEFORE_A_SUBJECT and done[-1] == order.split()[-1]:
        done = []  # ("latest pri": the posts about pri…, newest first; "latest posts pri" not)
    if done and done[0] in QUESTION_WORDS:
        asked = [w for w in done[1:] if w not in GLUE and w not in STOP_WORDS]
        done = asked if asked or last else done
    return [*done, *last]
