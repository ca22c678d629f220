"""Single articles: one by id, related ones, and suggestions for a prefix (titles, maxims,
categories and tags).

Takes an index folder or `IndexState`; gives plain dicts (`get_article`, `related`,
`suggest`) that the CLI, page and API show as they are. (Every article of a generation,
as the duplicate finder reads them: search/stored_articles.py.)
"""

from __future__ import annotations

import bisect
from html import escape
from pathlib import Path

import numpy as np

from indexer.analysis import STOP_WORDS, TextAnalyzer
from indexer.article import MAXIM
from search.asking import read_request, widen_words
from search.completion import starting_with
from search.context_words import holding_all
from search.engine import search
from search.fillers import subject_words
from search.generation_memo import MISSING, GenerationMemo
from search.hits import NO_TEXT
from search.query import parse_query
from search.rerank import MAXIM_WORDS
from search.snippets import Matcher, highlight
from search.state import IndexState, Vocabulary, state_of
from search.stored_articles import article_dict, find_docnum
from search.typed_dates import typed_period
from search.typed_topics import after_a_marker
from search.typos import correct, near_prefixes, two_edit_candidates
from search.typos import suggest as commoner_near  # (this module's `suggest` is another)

_EXACT = TextAnalyzer(stem=False)
HIGHLIGHT_WINDOW = 200_000


def get_article(
    index: str | Path | IndexState, article_id: str, query: str = "", base_url: str = ""
) -> dict | None:
    """The whole article; with `query`, its paragraphs also come highlighted as HTML."""
    state = state_of(index)
    docnum = find_docnum(state, article_id)
    if docnum is None:
        return None
    article = article_dict(state.stored_fields(docnum), base_url)
    # What the search looked for: not the words that ask ("posts about", "how do i"),
    # nor a filter's ("year:2022", "from last year", "since 2022") or a word left out
    # ("-hell"); and
    # the other ways of writing its words ("part iii" marks the "3" of "Part 3").
    if period := typed_period(query, state):
        query = period.rest
    asked = parse_query(query or "")
    read_request(asked, state.vocabulary.df)
    widen_words(asked, state.vocabulary)
    # (Not a letter alone: "u" of "u.s." all over the page; but "3" of "part 3".)
    # A quoted phrase's words are marked where the post says the phrase, as a result's
    # snippet marks them (search/engine.py).
    said = asked.marked_as_phrases()
    words = [w for u in asked.units if u not in said for w in u.words if len(w) > 1 or w.isdigit()]
    matcher = Matcher.for_words(words, phrases=[u.words for u in said])
    matcher = matcher.said_in([article["body"], article["title"], article["maxim"] or ""])
    body = [p for p in article["body"].split("\n\n") if p.strip()]
    skip = maxim_paragraphs(body, article["maxim"])
    paragraphs = [(n, p) for n, p in enumerate(body) if n not in skip]
    # Marks in the first HIGHLIGHT_WINDOW characters; the rest of a huge post is escaped.
    # Each paragraph keeps its number in the body, the one a result links to (#p-N).
    article["paragraphs_html"], article["paragraph_numbers"] = [], []
    seen = 0
    for n, p in paragraphs:
        seen += len(p)
        marked = seen <= HIGHLIGHT_WINDOW
        article["paragraphs_html"].append(highlight(p, matcher) if marked else escape(p))
        article["paragraph_numbers"].append(n)
    article["title_html"] = highlight(article["title"], matcher)
    article["no_text"] = NO_TEXT.get(article["kind"], "") if not paragraphs else ""
    article["maxim_html"] = highlight(article["maxim"], matcher) if article["maxim"] else None
    return article


def maxim_paragraphs(paragraphs: list[str], maxim: str | None) -> set[int]:
    """The numbers of the paragraphs that hold the maxim ("Write this on a rock … X", or
    the marker alone and X after it): the page shows the maxim set apart, once."""
    found: set[int] = set()
    if not maxim:
        return found
    marker_alone = False
    for n, p in enumerate(paragraphs):
        if marker_alone and p.strip() == maxim:
            found.add(n)
            marker_alone = False
            continue
        marker_alone = False
        m = MAXIM.match(p)
        if m and (m.group(1) == maxim or not m.group(1)):
            found.add(n)
            marker_alone = not m.group(1)
    return found


# The related posts worked out lately, kept with the loaded generation (cleared when this
# many): the same for every reader of a post, a search of its title's words that was
# three fifths of an article page's time, and readers open the same posts again and again.
RELATED_KEPT = 1024  # (about 2.6 MB when full)
_related = GenerationMemo(RELATED_KEPT)


def related(index: str | Path | IndexState, article: dict, limit: int = 5) -> list[dict]:
    """Articles that share the most telling words of this one's title and maxim."""
    state = state_of(index)
    words = _EXACT.words(f"{article['title']} {article.get('maxim') or ''}")
    content = [w for w in dict.fromkeys(words) if w not in STOP_WORDS and len(w) > 2][:8]
    if not content:
        return []
    groups = state.groups  # (collapsing the duplicate groups, once found, changes the answer)
    key = (article["id"], tuple(content), limit, state.answer_version(groups))
    found = _related.get(state, key)
    if found is MISSING:
        results = search(state, " OR ".join(content), per_page=limit + 1, groups=groups)
        found = [
            {"id": h["id"], "title": h["title"], "date": h["date"]}
            for h in results.hits
            if h["id"] != article["id"]
        ][:limit]
        if not results.partial:  # (an answer cut short by the time limit is not kept)
            _related.put(state, key, found)
    return [dict(r) for r in found]  # (copies: a caller may change what it is given)


def suggest(index: str | Path | IndexState, prefix: str, limit: int = 8) -> list[dict]:
    """Titles and maxims with a word starting with each typed word (the last as a
    prefix); a maxim's words include "write this on a rock", the label it has on the
    blog. Before them, up to TOPIC_SUGGESTIONS categories and tags so named
    (`topic_suggestions`)."""
    state = state_of(index)
    # (Less the words that ask rather than name: "posts about pri", "how do i keep cus".)
    words = _EXACT.words(prefix or "")
    typed = subject_words(words[:8], state.vocabulary.df)[:6]
    # (A lone letter begins too many words to offer any; after other words it is the
    # next word being typed, "customer c": "Customer Care", "customer communities".)
    if not typed or len(typed[-1]) < 2 and len(typed) == 1:
        return []
    named = after_a_marker(words)
    if named is not None:
        # ("posts tagged cu": the tags whose names begin so, "category cust": the
        # categories; search/typed_topics.py reads the query so)
        field, words = named
        return topic_suggestions(state, words, limit, field)
    entries = state.__dict__.get("suggest_entries")
    if entries is None:
        entries = suggest_entries(state)
        state.__dict__["suggest_entries"] = entries
    topics = topic_suggestions(state, typed)
    limit -= len(topics)
    found = matching_entries(entries, typed, limit)
    if not found and not topics:  # (a category so named: the words are no typo)
        # Typed with a typo ("custmer"): the words the collection has instead, the last
        # one as a whole word or still as a prefix.
        vocab = state.vocabulary
        fixed = [respelt(w, vocab) for w in typed]
        if fixed != typed:
            found = matching_entries(entries, fixed, limit)
        # Or the typo is in the word still being typed ("custm"): the beginnings of
        # words one edit from it; not where a word the posts say begins with it ("pric"
        # of "price", which no title has, had offered the title with "prime").
        longer = starting_with(typed[-1], vocab, COMPLETION_CANDIDATES)
        begun = bool(longer) or typed[-1] in vocab.df
        for begin in near_prefixes(typed[-1], vocab) if not found and not begun else []:
            found = matching_entries(entries, [*fixed[:-1], begin], limit)
            if found:
                break
        if not found and longer and typed[-1] not in vocab.df:
            # A word being typed that no title has, but posts do ("pric"): the searches
            # it may be finishing ("pricing", "price"), the words before it kept.
            return completed_queries(state, fixed[:-1], longer)
    out = topics
    for kind, docnum in found:
        stored = state.stored_fields(docnum)
        out.append({"text": stored.get(kind) or "", "kind": kind, "id": stored["id"]})
    return out


def respelt(word: str, vocab: Vocabulary) -> str:
    """What a word typed most likely is, for suggestions that find nothing with it: the
    collection's word one edit away where it lacks it (two, for a word of seven letters:
    "cryslar ea", "Chrysler earnings"), or a far commoner near word where only a post or
    two have it, perhaps their own typo ("intrest r": "interest rates", where the one
    title with "intrest" is no other); else the word."""
    if word in vocab.df:
        return commoner_near(word, vocab) or word
    return correct(word, vocab) or next((c for c, _ in two_edit_candidates(word, vocab)), word)


# Searches offered for a word being typed that no title has (`completed_queries`), of
# the commonest COMPLETION_CANDIDATES words that finish it.
COMPLETIONS = 3
COMPLETION_CANDIDATES = 20


def completed_queries(state: IndexState, before: list[str], words: list[str]) -> list[dict]:
    """Up to COMPLETIONS searches that end with one of `words` (the words the posts say
    that finish the word being typed, the commonest first), each found in some post
    with the words `before` it: each {"text": the search, "kind": "query"}."""
    memo: dict = {}
    out = []
    for word in words:
        if len(out) == COMPLETIONS:
            break
        if (holding_all(state, [*before, word], memo) & state.live).any():
            out.append({"text": " ".join([*before, word]), "kind": "query"})
    return out


# Categories and tags suggested at most, before the titles: a reader typing "entre" may
# want every post filed under Entrepreneurship, and there are few of them to offer.
TOPIC_SUGGESTIONS = 2


def topic_suggestions(state: IndexState, typed: list[str], most: int = TOPIC_SUGGESTIONS,
                      field: str | None = None) -> list[dict]:  # fmt: skip
    """The categories and tags (or, with `field`, those of that facet) whose names have
    the typed words, the last as the beginning of a word ("cust": Customer Care), those
    with the most posts first, at most `most`, a name that is both a category and a tag
    once (as the category): each {"text", "kind" (category or tag), "value", "count"}.
    Not corrected: they are offered as typed."""
    names = state.topics.names()
    key = f"suggest_topics_{field or 'all'}"  # (each facet's own: a tag named as a
    entries = state.__dict__.get(key)  # category is offered after "tagged")
    if entries is None:
        kept = [n for n, (facet, _, _) in enumerate(names) if field in (None, facet)]
        texts = [" ".join(_EXACT.words(names[n][1])) for n in kept]
        entries = SuggestEntries(texts, [names[n][0] for n in kept], kept)
        state.__dict__[key] = entries
    return [{"text": names[n][1], "kind": kind, "value": names[n][1], "count": names[n][2]}
            for kind, n in matching_entries(entries, typed, most)]  # fmt: skip


def suggest_entries(state: IndexState) -> SuggestEntries:
    """Every live title and maxim, normalized, from the headings the warm-up keeps
    (reading every stored document instead took 2.5 s of a worker's first suggestion
    at 100k articles). A maxim's text starts with the words that introduce it on the
    blog: a reader who types "write this on a rock" (or "rock") is looking for the
    maxims; so is one who types "maxim" or "maxims", as the site calls them."""
    titles, maxims = state.headings
    live, rock = state.live, " ".join(MAXIM_WORDS) + " maxim maxims"
    texts, kinds, docnums = [], [], []
    for docnum in np.flatnonzero(live[: len(titles)]).tolist():
        if titles[docnum]:
            texts.append(titles[docnum])
            kinds.append("title")
            docnums.append(docnum)
        if docnum in maxims:
            texts.append(f"{rock} {maxims[docnum]}")
            kinds.append("maxim")
            docnums.append(docnum)
    return SuggestEntries(texts, kinds, docnums)


class SuggestEntries:
    """Normalized titles and maxims in one string, one per line, each line padded with
    spaces: the typed words are looked for with str.find over the whole string (a
    Python loop over the entries took 50 ms a keystroke at 100k articles when nothing
    matched)."""

    def __init__(self, texts: list[str], kinds: list[str], docnums: list[int]):
        self.text = "".join(f" {t} \n" for t in texts)
        self.starts = np.cumsum([0] + [len(t) + 3 for t in texts]).tolist()
        self.kinds, self.docnums = kinds, docnums


def matching_entries(entries: SuggestEntries, typed: list[str], limit: int) -> list[tuple]:
    """(kind, docnum) of the first `limit` entries with every typed word, the last as
    the beginning of a word."""
    needles = [f" {w} " for w in typed[:-1]] + [f" {typed[-1]}"]
    first = max(needles, key=len)  # (the longest, likely the rarest, is searched for)
    text, starts = entries.text, entries.starts
    out, seen, at = [], set(), 0
    while len(out) < limit:
        at = text.find(first, at)
        if at < 0:
            break
        n = bisect.bisect_right(starts, at) - 1
        line = text[starts[n] : starts[n + 1]]
        # (The same text twice, two copies of a post, is one suggestion.)
        if line not in seen and all(needle in line for needle in needles):
            out.append((entries.kinds[n], entries.docnums[n]))
            seen.add(line)
        at = starts[n + 1]  # each entry once
    return out
