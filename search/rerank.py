"""Re-ranking the top candidates by their titles and maxims, and the query as a phrase.

Takes the state, the BM25F top candidates and the parsed query (`rerank`, with the
extra candidates `headline_matches` finds further down); gives (docnum, score) pairs in
their final order: a query that is (nearly) a post's title or maxim puts that post
first (rapidfuzz), the query's words as a phrase in a title, maxim or body lift a post,
and so do all its content words in a title.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz
from whoosh.collectors import TimeLimit

from indexer.analysis import STOP_WORDS
from search.int_sets import common, distinct
from search.phrase_forms import LONGEST_REMEMBERED
from search.phrases import Phrases
from search.scored import Scored
from search.scoring import postings, stem

PHRASE_BONUS = 1.0  # a whole-query phrase in title or maxim doubles a score (body: half)

# The phrase in the body with other small words in place of its stop words: a little
# less than the phrase itself (0.5), so the phrase as typed wins a tie.
NEAR_PHRASE_BONUS = 0.4

RERANK = 50  # candidates re-ranked by title and maxim similarity

HEADLINE_LIMIT = 50  # and at most these further down that a title or maxim lifts

# Every content word of the query in a title (not as a phrase) adds a quarter: a lift
# below a phrase's, as Algolia's "attribute" criterion ranks a match in the title
# above one only in the body. (Decided on seeds 1, 3 and 5 of the known-item
# evaluation, 0.25 and 0.5 alike.)
TITLE_WORDS_BONUS = 0.25

NAVIGATIONAL = 85  # rapidfuzz ratio from which a query "is" a title or maxim

MAXIM_WORDS = ["write", "this", "on", "a", "rock"]

ROCK = " ".join(MAXIM_WORDS)


class HeadlinePhrase:
    """The query's words as a phrase of a normalized title or maxim (state.headings):
    `search(text)` says whether `text` has them, with a space or an end on each side.
    (Found with str.find: a regular expression was compiled for each query.)"""

    def __init__(self, words: list[str]):
        self.phrase = " ".join(words)

    def search(self, text: str) -> bool:
        phrase = self.phrase
        at = text.find(phrase)
        while at >= 0:
            end = at + len(phrase)
            if (not at or text[at - 1].isspace()) and (end == len(text) or text[end].isspace()):
                return True
            at = text.find(phrase, at + 1)
        return False


def headline_phrase(words: list[str]) -> HeadlinePhrase:
    """The query's words as a phrase of a normalized title or maxim (HeadlinePhrase)."""
    return HeadlinePhrase(words)


# A word of the query written in a title as two to this many parts ("co operation",
# normalized from "CO-OPERATION"; "state of the art").
LONGEST_SPLIT = 4


def joinable(words: list[str]) -> tuple[str, ...]:
    """The query's words a title may write with hyphens (a word whole of four letters
    or more: `as_written`)."""
    return tuple(w for w in dict.fromkeys(words) if len(w) > 3 and w not in STOP_WORDS)


def as_written(title: str, words: tuple[str, ...]) -> str:
    """The normalized `title` with the runs of its words that spell one of `words` whole
    written as that word: a title that writes a word of the query with hyphens
    ("CO-OPERATION AGREEMENT", normalized "co operation agreement") is lifted as the
    one that writes it whole, where the index finds both (indexer/analysis.py,
    `compounds`). A title that has every word as it is comes back as it is."""
    # (Most titles lack a word of the query, and few write one with hyphens: a title
    # without its spaces that has none of the words it lacks is left as it is, asked
    # by scans in C. Split word by word, every title of the re-ranked took 0.3 ms a
    # query, 5% of a served request.)
    for w in words:
        if w not in title:
            break
    else:
        return title
    squashed = title.replace(" ", "")
    for w in words:
        if w not in title and w in squashed:
            break
    else:
        return title
    parts = title.split()
    wanted = set(words)
    out, i = [], 0
    while i < len(parts):
        for n in range(2, LONGEST_SPLIT + 1):
            if i + n <= len(parts) and "".join(parts[i : i + n]) in wanted:
                out.append("".join(parts[i : i + n]))
                i += n
                break
        else:
            out.append(parts[i])
            i += 1
    return " ".join(out)


def title_words(words: list[str]) -> set[str]:
    """The words of the query a title must hold for the "words in title" lift: its
    content words (all of them for a query of stop words only)."""
    return {w for w in words if w not in STOP_WORDS} or set(words)


def holds_stems(title: str, stems: set[str]) -> bool:
    """Whether the normalized `title` holds every one of `stems` (those of title_words),
    some maybe in another form: "Seller" for "sellers" ("age sellers" lifts "Leave the
    Age of the Seller behind" as "age seller" does)."""
    # (A stem keeps its word's first letter, so only such title words are stemmed.)
    heads = {s[0] for s in stems if s}
    return stems <= {stem(w) for w in title.split() if w[0] in heads}


def headline_matches(state, parsed, candidates: Scored, deadline: float) -> list[tuple]:
    """[(docnum, score)] of the candidates that re-ranking lifts for their title or
    maxim (the query's words as a phrase there, or every content word in the title),
    best first (at most HEADLINE_LIMIT): re-ranked with the BM25F top even when their
    score leaves them out of it. At 100k posts a title such as "Brazil bank strike
    continues" ranked below a hundred long posts that say "Brazil" and "bank" often,
    and so never got the phrase's lift for the query "brazil bank"."""
    words = parsed.words_in_order()
    if len(words) < 2 or not len(candidates):
        return []
    titles, maxims = state.headings
    phrase, wanted = headline_phrase(words), title_words(words)
    stems = {stem(w) for w in wanted}
    # A word by its stem in the stemmed field, a stop word (which only the exact field
    # holds: a query of stop words only) as it is.
    terms = {("_exact", w) if w in STOP_WORDS else ("", stem(w)) for w in wanted}
    found: list[np.ndarray] = []
    try:
        for name in ("title", "maxim"):
            docs = None
            for suffix, word in terms:
                ids = postings(state, name + suffix, word, deadline)[1]
                docs = ids if docs is None else common(docs, ids)
                if not len(docs):
                    break
            if docs is not None and len(docs):
                found.append(docs)
    except TimeLimit:
        parsed.cut_short = True
        return []
    if not found:
        return []
    docs = distinct(np.concatenate(found)).astype(np.int64)
    at = np.searchsorted(candidates.ids, docs)
    held = at < len(candidates.ids)
    held[held] = candidates.ids[at[held]] == docs[held]
    docs, values = docs[held], candidates.values[at[held]]
    order = np.lexsort((docs, -values))
    out = []
    whole = joinable(words)
    for d, value in zip(docs[order].tolist(), values[order].tolist(), strict=True):
        title = as_written(titles[d], whole) if whole else titles[d]
        if phrase.search(title) or phrase.search(maxims.get(d, "")) or \
                holds_stems(title, stems):  # fmt: skip
            out.append((d, value))
            if len(out) == HEADLINE_LIMIT:
                break
    return out


def rerank(state, top, parsed, deadline, bonuses=None, extra=()):
    """Lift posts whose title or maxim is (nearly) the whole query, then posts that have
    the query's words as a phrase (title and maxim before body), ahead of the rest. The
    BM25F top RERANK are looked at, and `extra` (docnum, score) pairs from further down
    (headline_matches), each then placed by its new score."""
    words = parsed.words_in_order()
    if len(words) < 2 or not top:
        return top
    typed = " ".join(words)
    titles, maxims = state.headings
    # Titles and maxims are normalized the way the query's words are; the phrase in
    # the body is found from positions, reading no stored document.
    phrase = headline_phrase(words)
    pool = top[:RERANK]
    pooled = {d for d, _ in pool}
    extra = [(d, score) for d, score in extra if d not in pooled]
    # The phrase with other small words in place of its stop words ("write this on the
    # rock" for "write this on a rock": a half-remembered quotation).
    loose = [None if w in STOP_WORDS else w for w in words]
    while loose and loose[0] is None:  # (an open end constrains nothing, and would
        loose.pop(0)  # place the phrase's start outside the post)
    while loose and loose[-1] is None:
        loose.pop()
    phrases = Phrases(state, deadline)  # (one for both tests: it keeps what it decoded)
    try:
        in_body = phrases.docs("body_exact", words, within=pooled)
        near_body = {}
        if None in loose and len(loose) - loose.count(None) >= 2:
            near_body = phrases.docs("body_exact", loose, within=pooled - in_body.keys())
        recalled = misremembered(phrases, parsed, pooled - in_body.keys() - near_body.keys())
    except TimeLimit:
        # Ranked without the phrase test: an answer, but not the one a quiet server gives.
        in_body, near_body, recalled = set(), {}, {}
        parsed.cut_short = True
    wanted = title_words(words)
    stems = {stem(w) for w in wanted}
    whole = joinable(words)
    rescored = []
    for docnum, score in pool + extra:
        title, maxim = titles[docnum], maxims.get(docnum, "")
        if whole:
            title = as_written(title, whole)
        best = fuzz.ratio(typed, title)
        if maxim:
            best = max(best, fuzz.ratio(typed, maxim), fuzz.ratio(typed, f"{ROCK} {maxim}"))
        parts = {}
        if best >= NAVIGATIONAL:
            parts["navigational"] = 1000.0 * best / 100
        if phrase.search(title) or phrase.search(maxim):
            parts["phrase in title or maxim"] = score * PHRASE_BONUS
        else:
            if docnum in in_body:
                parts["phrase in body"] = score * PHRASE_BONUS / 2
            elif docnum in near_body:
                # Its content words stand where the phrase puts them: nearly as good.
                parts["phrase in body, other small words"] = score * NEAR_PHRASE_BONUS
            elif docnum in recalled:
                parts["quoted phrase in body, a word more, fewer or swapped"] = score * PHRASE_BONUS
            if wanted <= set(title.split()):
                parts["words in title"] = score * TITLE_WORDS_BONUS
            elif holds_stems(title, stems):
                # Every word there as another form ("Seller" for "sellers"): a match,
                # but a weaker sign than the words as typed.
                parts["words in title, other forms"] = score * TITLE_WORDS_BONUS / 2
        if bonuses is not None and parts:
            bonuses[docnum] = parts
        rescored.append((docnum, score + sum(parts.values())))
    rescored.sort(key=lambda ds: -ds[1])
    if not extra:
        return rescored + top[RERANK:]
    lifted = {d for d, _ in extra}
    rest = [(d, score) for d, score in top[RERANK:] if d not in lifted]
    # Sorted together: a lifted post may still score below some of the rest. (Stable:
    # at equal scores the re-ranked come first, as they did before.)
    return sorted(rescored + rest, key=lambda ds: -ds[1])


def misremembered(phrases: Phrases, parsed, within: set[int]) -> dict[int, int]:
    """{docnum: count} of the posts of `within` that say a quoted phrase no post has
    (`parsed.remembered`: its words, as corrected) the way a quotation is most often
    misremembered: a word left out between two of its words, a word added, or two words
    swapped ("never send angry email" for "never send an angry email"). Raises
    TimeLimit past the phrases' deadline."""
    found: dict[int, int] = {}
    for units in parsed.remembered:
        words = [u.words[0] for u in units if len(u.words) == 1]
        if len(words) != len(units) or not 3 <= len(words) <= LONGEST_REMEMBERED:
            continue
        forms = [words[:i] + [None] + words[i:] for i in range(1, len(words))]
        forms += [words[:i] + words[i + 1 :] for i in range(len(words))]
        forms += [words[:i] + [words[i + 1], words[i]] + words[i + 2 :]
                  for i in range(len(words) - 1)]  # fmt: skip
        for form in forms:
            left = within - found.keys()
            if not left:
                break
            # (a form of stop words alone, or of one word, says nothing of the phrase)
            if sum(1 for w in form if w is not None and w not in STOP_WORDS) >= 2:
                found.update(phrases.docs("body_exact", form, within=left))
    return found
