"""Duplicate posts: the same piece of writing published twice, found and grouped.

Takes articles (`find_groups`); gives groups, each with a canonical member (the fullest,
then the earliest) and, for every other member, its relation to it (exact, retitled,
excerpt, edited, rewrite) and the evidence. An index's groups are found and kept with
its generation by search/duplicate_index.py (a whole pass) and
search/duplicate_update.py (an update), in the file search/duplicate_store.py reads.

How:
1. Each body is reduced to its content: paragraphs that many posts share and that are
   short (the author's bio line, a video blurb) are boilerplate and count for nothing.
2. Shingles: every 4 consecutive words, hashed. Candidate pairs come from a sample of
   them (hash % 4 == 0, the same sample in every post, so an excerpt shares the sample
   of the part it keeps); a shingle in more than 20 posts is a common phrase and
   proposes nothing, but a post whose every shingle is that common proposes the posts
   that share two of its rarest. No pair of posts that shares no sampled shingle is
   ever compared.
3. Each candidate pair is compared with rapidfuzz and set arithmetic: containment (the
   share of the smaller post's shingles that are in the other: an excerpt against its
   full post scores high where overlap would not), similarity (edit-distance ratio of
   the texts), partial similarity (the shorter text's opening against the longer's;
   for a short post, its best window in the longer's opening) and title similarity.
4. Accepted pairs form groups: stars around the fullest post, never chains.
"""

from __future__ import annotations

import math
import zlib
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

import numpy as np
from rapidfuzz import fuzz

from indexer.analysis import STOP_WORDS, TextAnalyzer
from search.int_sets import distinct
from search.shingle_postings import Postings, Ragged, shared_pairs

SHINGLE = 4
SAMPLE = 4
MAX_POSTING = 20
WIDE_POSTING = 200
RAREST = 4
BOILERPLATE_DF = 3
BOILERPLATE_WORDS = 50
MAX_CHARS = 8_000  # texts are compared on their first 8,000 characters
PARTIAL_CHARS = 600
SHORT = 30  # posts with fewer content words must be near copies to be grouped
# The rule compare() decides pairs by; kept with the working data of an index, whose
# pairs decided by an older rule are all decided again by a whole pass (2: titles naming
# different things part a pair, 2026-12-02).
PAIRING = 2
NAMING_BELOW = 0.9  # below this containment, titles naming different things part a pair
NAMING_WORDS = 2  # words of each title the other post never says (name_different_things)
LONG = 150  # only posts this long (blog-length) can be told to be rewrites of each other
REWRITE_RATIO = 1.5
RELATIONS = ("exact", "retitled", "excerpt", "edited", "rewrite")

_EXACT = TextAnalyzer(stem=False)


@dataclass(slots=True)  # a whole pass holds one a post: no per-object dict
class Doc:
    id: str
    title: str
    date: str | None
    excerpt: bool
    source: dict | None
    # The normalized paragraphs, one line each: one string a post, whose memory the text
    # that finish() makes in its place can take over (a list of strings a post, at 100k
    # posts, left 330 MB that the rest of a pass could not use).
    normalized: str
    keys: tuple[array, array] = (array("I"), array("I"))  # paragraph_keys of the paragraphs
    text: str = ""  # normalized content, boilerplate removed
    length: int = 0
    has_shingles: bool = False
    sampled: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))  # sorted
    weight: float | None = None  # of the sampled shingles, once document frequencies are known


def normalized_paragraphs(body: str) -> list[str]:
    return [" ".join(ws) for p in body.split("\n\n") if (ws := _EXACT.words(p))]


def paragraph_key(paragraph: str) -> int:
    return zlib.crc32(paragraph.encode("utf-8"))


def prepare(article: dict) -> Doc:
    paragraphs = normalized_paragraphs(article.get("body") or "")
    return Doc(
        id=article["id"],
        title=article.get("title") or "",
        date=article.get("date"),
        excerpt=bool(article.get("excerpt")),
        source=article.get("source"),
        normalized="\n".join(paragraphs),
        keys=paragraph_keys(paragraphs),
    )


def boilerplate_of(docs: list[Doc]) -> set[int]:
    """Short paragraphs that at least three posts share, and that are all those posts
    share: the bio line under otherwise different posts is boilerplate, a paragraph of
    a post copied three times is not (the copies share their other paragraphs too)."""
    # At least 3 posts, and one in a thousand: in a large collection that reuses real
    # paragraphs (a syndicated quote, a scaled test corpus), a paragraph that 20 of
    # 100,000 posts share is content, and weighted containment discounts it already.
    return boilerplate_from([doc.keys for doc in docs], [doc.id for doc in docs])


def paragraph_keys(paragraphs: list[str]) -> tuple[array, array]:
    """(the keys of all a post's paragraphs, the keys of its short ones), as arrays of
    unsigned 32-bit integers (as tuples of Python integers, 130 MB at 100k posts)."""
    keys = [paragraph_key(p) for p in paragraphs]
    short = [k for k, p in zip(keys, paragraphs, strict=True) if p.count(" ") < BOILERPLATE_WORDS]
    return array("I", keys), array("I", short)


def boilerplate_from(posts: list[tuple[tuple[int, ...], tuple[int, ...]]],
                     ids: list[str]) -> set[int]:  # fmt: skip
    """boilerplate_of from each post's paragraph_keys and id."""
    least = boilerplate_least(len(posts))
    where: dict[int, list[int]] = defaultdict(list)
    for n, (_, short) in enumerate(posts):
        for key in short:
            where[key].append(n)
    keys: dict[int, set[int]] = {}  # a post's paragraph keys, made only for posts looked at

    def keys_of(n: int) -> set[int]:
        if n not in keys:
            keys[n] = set(posts[n][0])
        return keys[n]

    def rank(n: int) -> tuple[int, str]:
        return holder_rank(ids[n])

    return {key for key, holders in where.items()
            if is_boilerplate(key, holders, keys_of, least, rank)}  # fmt: skip


def boilerplate_least(posts: int) -> int:
    """How many posts must share a short paragraph for it to be boilerplate."""
    return max(BOILERPLATE_DF, posts // 1000)


def holder_rank(article_id: str) -> tuple[int, str]:
    """Where a post comes among a paragraph's holders when the first MAX_POSTING decide
    (is_boilerplate): by a hash of its id, the same wherever the post is. By place in
    the collection, an edited post moved to the end, and a paragraph's first holders,
    and so its decision, changed with it; the duplicate update, which decides again only
    what changed, then had to re-read every holder and fell back to a whole pass (100 s
    at 100k posts, for about one edit in twenty of the scaled benchmark corpus)."""
    return zlib.crc32(article_id.encode("utf-8")), article_id


def is_boilerplate(key: int, holders: list[int], keys_of, least: int, rank) -> bool:
    """Whether the short paragraph `key` is boilerplate: `holders` are the posts that
    have it (once per time they have it), `keys_of(n)` the set of all post n's paragraph
    keys, `rank(n)` its holder_rank. Its first MAX_POSTING holders by rank decide:
    boilerplate unless half of them share some other paragraph too (copies do)."""
    if len(holders) < least:  # (a post counts once below: fewer still)
        return False
    holders = sorted(set(holders), key=rank)
    if len(holders) < least:
        return False
    others: dict[int, int] = defaultdict(int)
    for n in holders[:MAX_POSTING]:
        for other in keys_of(n):
            if other != key:
                others[other] += 1
    return max(others.values(), default=0) < min(len(holders), MAX_POSTING) / 2


def finish(doc: Doc, boilerplate: set[int]) -> Doc:
    """The doc's content text, length and sampled shingles; its paragraphs are let go
    (a whole pass holds every post at once)."""
    doc.text = content_text(doc, boilerplate)
    doc.normalized = ""
    words = doc.text.split()
    doc.length = len(words)
    shingles = shingle_hashes(doc.text, words)
    if not shingles and words:
        shingles = [zlib.crc32(doc.text.encode("utf-8"))]
    doc.has_shingles = bool(shingles)
    # Only the sampled ones are kept (all of them, as sets, were 3 GB at 100k posts); a
    # post with none in the sample keeps one, the first in the set's order.
    sampled = {h for h in shingles if h % SAMPLE == 0} or set(list(set(shingles))[:1])
    doc.sampled = np.array(sorted(sampled), dtype=np.uint32)
    return doc


def content_text(doc: Doc, boilerplate: set[int]) -> str:
    """A prepared doc's text as compared: its paragraphs but the boilerplate, joined."""
    paragraphs = doc.normalized.split("\n") if doc.normalized else []
    content = [p for p, key in zip(paragraphs, doc.keys[0], strict=True) if key not in boilerplate]
    return " ".join(content)[:MAX_CHARS]


def shingle_hashes(text: str, words: list[str]) -> list[int]:
    """crc32 of every run of SHINGLE words of `text` (`words`, its words, one space
    between each two). For ASCII text (characters are bytes) each run is hashed where it
    lies in the encoded text, not joined and encoded again: a fifth of the time, over
    the fourteen million runs of 30k posts."""
    if not text.isascii():
        return [
            zlib.crc32(" ".join(words[i : i + SHINGLE]).encode("utf-8"))
            for i in range(max(0, len(words) - SHINGLE + 1))
        ]
    data = memoryview(text.encode("ascii"))
    lengths = list(map(len, words))
    starts = list(accumulate((n + 1 for n in lengths[:-1]), initial=0))
    ends = [s + n for s, n in zip(starts[SHINGLE - 1 :], lengths[SHINGLE - 1 :], strict=True)]
    return [zlib.crc32(data[s:e]) for s, e in zip(starts, ends, strict=False)]


SLICE = 1 << 20


def candidate_pairs(
    postings: Postings, sampled: Ragged, small: np.ndarray | None = None
) -> np.ndarray:
    """Pairs that share two sampled shingles (one, when a post has only a few), as codes
    (a * posts + b, a < b, sorted; `sampled` holds each post's sampled shingles; `small`,
    each post's shingles in at most MAX_POSTING posts, postings.small_counts, if the
    caller has them).

    Shingles in at most MAX_POSTING posts propose all their pairs. A post with fewer
    than RAREST such shingles (all its text is shared with many posts: common in a
    collection that reuses paragraphs) also proposes, from its RAREST least common
    shingles in at most WIDE_POSTING posts, the posts that have two of them: its
    copies have them all."""
    n = len(sampled)
    codes, shared = shared_pairs(postings, MAX_POSTING, n)
    keep = shared >= 2
    del shared
    few = sampled.lengths() <= 3
    # Pairs sharing one shingle stay if either post has only a few: decided a slice at
    # a time (the posts of every pair at once were the pass's peak of memory at 100k).
    for lo in range(0, len(codes), SLICE):
        loose = np.flatnonzero(~keep[lo : lo + SLICE]) + lo
        a, b = np.divmod(codes[loose], n)
        keep[loose] = few[a] | few[b]
    codes = codes[keep]
    del keep
    rare: list[int] = []
    if small is None:
        small = postings.small_counts(n, MAX_POSTING)
    for x in np.flatnonzero(small < RAREST).tolist():
        found = rare_pairs(x, postings.counts(sampled[x]), postings.holders)
        rare.extend(a * n + b for a, b in found)
    return distinct(np.concatenate((codes, np.array(rare, dtype=np.int64))))


def rare_pairs(a: int, sizes: dict[int, int], holders) -> set[tuple[int, int]]:
    """candidate_pairs' second rule for post `a`, whose sampled shingles are in `sizes`
    (shingle -> how many posts hold it; `holders(h)` gives them): a post with fewer than
    RAREST shingles in at most MAX_POSTING posts is paired with the posts that hold two
    of its RAREST least common shingles in at most WIDE_POSTING posts."""
    if sum(1 for n in sizes.values() if 1 < n <= MAX_POSTING) >= RAREST:
        return set()
    rare = sorted((n, h) for h, n in sizes.items() if MAX_POSTING < n <= WIDE_POSTING)
    if len(rare) < 2:
        return set()
    counts: dict[int, int] = defaultdict(int)
    for _, h in rare[:RAREST]:
        for b in holders(h):
            counts[b] += 1
    return {(min(a, b), max(a, b)) for b, n in counts.items() if n >= 2 and b != a}


def weighted_containment(a: Doc, b: Doc, df) -> float:
    """Containment over the sampled shingles, where a shingle that more than two texts
    share weighs less (2/df): text that many posts repeat (a blurb inside a paragraph,
    a stock phrase) cannot make two posts the same, while copies of one post (whose
    shingles all have the same df) keep their full score."""

    shared = np.intersect1d(a.sampled, b.sampled, assume_unique=True).tolist()
    smaller = min(total_weight(a, df), total_weight(b, df))
    # fsum: exactly rounded, so any order of the same weights gives the same float (the
    # whole pass sums them from arrays, a pair at a time elsewhere).
    return math.fsum(shingle_weight(df(h)) for h in shared) / smaller if smaller else 0.0


def shingle_weight(n: int) -> float:
    return 1.0 if n <= 2 else 2.0 / n


def shingle_weights(texts: np.ndarray) -> np.ndarray:
    """shingle_weight of each count of `texts`, by array (2.0 / n is the same float
    either way)."""
    return np.where(texts > 2, 2.0 / np.maximum(texts, 1), 1.0)


def total_weight(doc: Doc, df) -> float:
    """The weight of all a post's sampled shingles, summed once per post."""
    if doc.weight is None:
        # fsum: exactly rounded, so the same weights give the same total in any order
        # (duplicate_update sums them from arrays).
        doc.weight = math.fsum(shingle_weight(df(h)) for h in doc.sampled.tolist())
    return doc.weight


def compare(
    a: Doc, b: Doc, df=lambda h: 1, decide_only: bool = False, containment: float | None = None
) -> dict | None:
    """The evidence for one pair, or None when they are not the same piece of writing;
    `containment`, when given, is their weighted_containment already worked out.

    With `decide_only`, a pair that containment alone accepts gets only that score and
    "pending": True; `evidence` completes it if it is shown. Most accepted pairs of a
    large collection are never shown (a group shows each member against its canonical
    only), and the full comparison of two 8,000-character texts is the costly part."""
    if not a.has_shingles or not b.has_shingles:
        return None
    if containment is None:
        containment = weighted_containment(a, b, df)
    # The costly comparisons run only where their answer can matter (a pair of posts
    # that share recombined paragraphs, common in large collections, often stops here),
    # and rapidfuzz's cutoffs let them stop early on pairs that cannot reach them.
    if ruled_out(a, b, containment):
        return None
    if containment < NAMING_BELOW:
        only = title_only_words(a, b)
        # (Light docs, without their texts, as an update first compares them: None, so
        # that it compares the full ones.)
        if (min(map(len, only)) >= NAMING_WORDS
                and (not (a.text and b.text) or name_different_things(a, b, only))):  # fmt: skip
            return None
    shortest = min(a.length, b.length)
    if decide_only and settled_by_containment(containment, shortest):
        return {"containment": round(containment, 3), "score": round(containment, 3),
                "pending": True}  # fmt: skip
    similarity = 0.0
    if containment >= 0.3 or shortest < SHORT:
        similarity = fuzz.ratio(a.text, b.text, score_cutoff=50) / 100
    short, long_ = (a.text, b.text) if len(a.text) <= len(b.text) else (b.text, a.text)
    partial = 0.0
    excerpt_like = shortest <= 0.8 * max(a.length, b.length)
    if shortest < SHORT:
        # A short post found anywhere in the other's opening.
        opening = long_[: 3 * PARTIAL_CHARS]
        partial = fuzz.partial_ratio(short[:PARTIAL_CHARS], opening, score_cutoff=60) / 100
    elif 0.25 <= containment < 0.45 and excerpt_like:
        # An edited excerpt: the shorter post's opening against the same length (and a
        # tenth) of the longer one's: an excerpt is the start of a post. (rapidfuzz's
        # partial_ratio, a best window anywhere, cost 100 times more and dominated the
        # finder's time on large collections.)
        head = short[:PARTIAL_CHARS]
        opening = long_[: len(head) + len(head) // 10]
        partial = fuzz.ratio(head, opening, score_cutoff=60) / 100
    title = fuzz.token_sort_ratio(a.title, b.title) / 100
    words = 0.0
    # A rewrite retells a post at about its length: token_set_ratio between a long post
    # and a much shorter one on its topic is high merely because the long one has most
    # of the short one's words.
    if rewrite_sized(a, b) and title >= 0.55 and containment < 0.45:
        words = fuzz.token_set_ratio(a.text, b.text, score_cutoff=60) / 100
    if shortest < SHORT:
        # Short posts (a price table, a one-line notice) share their template with many
        # others: only a near copy counts.
        same = similarity >= 0.9 or (containment >= 0.8 and partial >= 0.9)
    else:
        same = (
            containment >= 0.45
            or (containment >= 0.25 and partial >= 0.75)
            or similarity >= 0.8
            # Rewritten: some sentences kept, the wording new, the title close.
            or (words >= 0.7 and title >= 0.55)
        )
    if not same:
        return None
    return {
        "containment": round(containment, 3),
        "similarity": round(similarity, 3),
        "partial": round(partial, 3),
        "title": round(title, 3),
        "score": round(max(containment, similarity, partial, words * 0.8), 3),
    }


def _title_words(title: str) -> set[str]:
    return set(_EXACT.words(title)) - STOP_WORDS


def title_only_words(a: Doc, b: Doc) -> tuple[set[str], set[str]]:
    """(the words of a's title that b's lacks, those of b's title that a's lacks), stop
    words aside."""
    ta, tb = _title_words(a.title), _title_words(b.title)
    return ta - tb, tb - ta


def name_different_things(a: Doc, b: Doc, only: tuple[set[str], set[str]] | None = None) -> bool:
    """Whether each post's title has NAMING_WORDS words that the other post never says,
    in its title or its text: "IMMUCOR <BLUD> SPLITS STOCK" and "YORK FINANCIAL <YFED>
    SPLITS STOCK" are two companies' notices written on one template (containment
    0.78), "BUSINESS LOANS RISE 377 MLN DLRS" and "BUSINESS LOANS FELL 896 MLN DLRS" two
    weeks' figures, not one piece of writing; a post and its excerpt, its correction or
    the same post retitled share what they are about (a headline's one word put
    otherwise, "trade dispute" for "trade row", is no second subject). Asked below
    NAMING_BELOW containment: a post nearly all of whose text another holds is that
    one's copy, whatever its title says. `only`: title_only_words(a, b), if known."""
    only_a, only_b = only or title_only_words(a, b)
    return (len(only_a - set(b.text.split())) >= NAMING_WORDS
            and len(only_b - set(a.text.split())) >= NAMING_WORDS)  # fmt: skip


def settled_by_containment(containment: float, shortest: int) -> bool:
    """Whether containment alone accepts a pair of posts (the shorter `shortest` words
    long), so that compare(decide_only=True) gives no other score."""
    return containment >= 0.45 and shortest >= SHORT


def ruled_out(a: Doc, b: Doc, containment: float) -> bool:
    """Whether compare() says no before looking at the words: set arithmetic first, as
    most candidates stop there; below a quarter only a rewrite can qualify (long posts
    of about the same length, with close titles)."""
    return containment < 0.1 or (
        containment < 0.25
        and min(a.length, b.length) >= SHORT
        and (not rewrite_sized(a, b) or fuzz.token_sort_ratio(a.title, b.title) < 55)
    )


def rewrite_sized(a: Doc, b: Doc) -> bool:
    """Both blog-length, neither more than REWRITE_RATIO times the other."""
    shortest, longest = sorted((a.length, b.length))
    return shortest >= LONG and longest <= REWRITE_RATIO * shortest


def relation(member: Doc, canonical: Doc, scores: dict) -> str:
    if scores["similarity"] >= 0.97:
        return "exact" if scores["title"] >= 0.95 else "retitled"
    shorter = member.length <= 0.8 * canonical.length or (member.excerpt and not canonical.excerpt)
    if shorter and (scores["containment"] >= 0.5 or scores["partial"] >= 0.75):
        return "excerpt"
    if scores["similarity"] >= 0.8 or scores["containment"] >= 0.7:
        return "edited"
    return "rewrite"


def canonical_of(docs: list[Doc], members: list[int]) -> int:
    """The fullest (not an excerpt; within 3% of the most words), then the earliest
    (undated last), then the smallest id."""
    pool = [n for n in members if not docs[n].excerpt] or members
    longest = max(docs[n].length for n in pool)
    pool = [n for n in pool if docs[n].length >= 0.97 * longest]
    return min(pool, key=lambda n: (docs[n].date or "9999", docs[n].id))


def find_groups(
    articles, min_score: float = 0.0, pairs: list | None = None, found: dict | None = None
) -> list[dict]:
    """Groups of duplicates among `articles` (dicts with id, title, body, date, excerpt,
    source), largest first; each {"canonical": id, "members": [...]}. `pairs`, when
    given, gets the (id, id) of every pair found to be the same writing, grouped or not;
    `found`, the working data an update starts from (search/duplicate_update.py)."""
    docs = [prepare(a) for a in articles]  # `articles` may be read one at a time
    boilerplate = boilerplate_of(docs)
    for doc in docs:
        finish(doc, boilerplate)
    sampled = Ragged.of([doc.sampled for doc in docs])
    for n, doc in enumerate(docs):
        doc.sampled = sampled[n]  # a view: the post's own copy is let go
    postings = Postings.of(sampled)
    df, weights = text_weights(docs, postings, sampled)
    for n, doc in enumerate(docs):
        doc.weight = math.fsum(weights[sampled.offsets[n] : sampled.offsets[n + 1]].tolist())

    # A pair accepted on containment alone (most of them) is kept as that float, not as
    # a dict of scores (200 MB at 100k posts): see scores_of.
    accepted: dict[tuple[int, int], dict | float] = {}
    small = postings.small_counts(len(docs), MAX_POSTING)  # (kept by an update: see found)
    codes = candidate_pairs(postings, sampled, small)
    firsts, seconds = np.divmod(codes, len(docs))
    del codes
    runs = np.flatnonzero(np.diff(firsts)) + 1
    for a, bs in zip(np.split(firsts, runs), np.split(seconds, runs), strict=True):
        if not len(a):  # no candidates at all
            break
        a = int(a[0])
        for b, containment in containments(a, bs, docs, sampled, weights):
            scores = compare(docs[a], docs[b], df, decide_only=True, containment=containment)
            if scores and scores["score"] < min_score and scores.get("pending"):
                scores = compare(docs[a], docs[b], df, containment=containment)
            if scores and scores["score"] >= min_score:
                accepted[(a, b)] = scores["score"] if scores.get("pending") else scores

    if pairs is not None:
        pairs.extend((docs[a].id, docs[b].id) for a, b in accepted)

    def evidence(a: int, b: int) -> dict:
        key = pair_key(accepted, a, b)
        scores = scores_of(accepted[key])
        if scores.get("pending"):
            containment = pair_containment(*key, docs, sampled, weights)
            scores = compare(docs[a], docs[b], df, containment=containment) or scores
            scores.pop("pending", None)
            accepted[key] = scores
        return scores

    groups = assemble(docs, accepted, evidence)
    if found is not None:
        found.update(docs=docs, boilerplate=boilerplate, accepted=accepted, postings=postings,
                     sampled=sampled, small=small)  # fmt: skip
    return groups


def text_weights(docs: list[Doc], postings: Postings, sampled: Ragged):
    """(df, weights): df(h), how many different texts have sampled shingle h (copies of
    one text count once, so that a post republished word for word does not make its own
    text look common, and so tie it to posts that merely share a paragraph with it);
    and the weight (shingle_weight of df) of each of `sampled`'s values."""
    first = np.zeros(len(docs), dtype=bool)
    seen: set[str] = set()
    for n, doc in enumerate(docs):
        if doc.text not in seen:
            seen.add(doc.text)
            first[n] = True
    starts, _ = postings.groups()
    if not len(starts):
        return (lambda h: 1), np.zeros(0)
    texts = np.maximum(np.add.reduceat(first.astype(np.int32)[postings.owners], starts), 1)
    shingles = postings.keys[starts]
    weight = shingle_weights(texts)

    def df(h: int) -> int:
        i = int(np.searchsorted(shingles, np.uint32(h)))
        return int(texts[i]) if i < len(shingles) and shingles[i] == h else 1

    return df, weight[np.searchsorted(shingles, sampled.values)]


CLOSE = 1e-9  # how far a containment summed in any order can be from its exact sum


def containments(a: int, bs: np.ndarray, docs: list[Doc], sampled: Ragged, weights: np.ndarray):
    """(b, weighted_containment of a and b) for each of `bs` that can reach the 0.1 below
    which compare() rules a pair out; `weights` are the weights of `sampled`'s values.
    One array step for all of a post's candidates, then an exact sum (math.fsum, as
    weighted_containment sums) only for those that may pass."""
    mine = sampled[a]
    lengths = sampled.lengths()[bs]
    if not len(mine) or not lengths.sum():
        return
    # Every sampled shingle of every b, in a row.
    ends = np.cumsum(lengths)
    at = np.repeat(sampled.offsets[bs] - (ends - lengths), lengths) + np.arange(ends[-1])
    start = sampled.offsets[a]
    for i, containment in containments_in_row(
        mine, weights[start : start + len(mine)], sampled.values[at], lengths,
        docs[a].weight, lambda i: docs[int(bs[i])].weight,
    ):  # fmt: skip
        yield int(bs[i]), containment


def containments_in_row(mine: np.ndarray, mine_weights: np.ndarray, theirs: np.ndarray,
                        lengths: np.ndarray, total: float, total_of):  # fmt: skip
    """(i, weighted containment of a post and its i-th partner) for each partner that can
    reach the 0.1 below which compare() rules a pair out: `mine`, the post's sampled
    shingles (sorted) and `mine_weights` theirs; `theirs`, the partners' sampled shingles
    in a row, `lengths[i]` of them the i-th's; `total` and `total_of(i)` the total
    weights. One array step for them all, then an exact sum (math.fsum, as
    weighted_containment sums) only for those that may pass."""
    found = np.minimum(np.searchsorted(mine, theirs), len(mine) - 1)
    hit = mine[found] == theirs
    weight = np.where(hit, mine_weights[found], 0.0)
    which = np.repeat(np.arange(len(lengths)), lengths)
    shared = np.bincount(which, weights=weight, minlength=len(lengths))
    ends = np.cumsum(lengths)
    for i in np.flatnonzero(shared > 0).tolist():
        smaller = min(total, total_of(i))
        if not smaller or shared[i] / smaller < 0.1 - CLOSE:
            continue
        lo, hi = ends[i] - lengths[i], ends[i]
        yield i, math.fsum(weight[lo:hi][hit[lo:hi]].tolist()) / smaller


def pair_containment(a: int, b: int, docs: list[Doc], sampled: Ragged, weights) -> float:
    """weighted_containment of posts a and b from the weights of `sampled`'s values
    (the same float: the same weights, summed exactly)."""
    _, mine, _ = np.intersect1d(sampled[a], sampled[b], assume_unique=True, return_indices=True)
    smaller = min(docs[a].weight, docs[b].weight)
    shared = math.fsum(weights[sampled.offsets[a] + mine].tolist())
    return shared / smaller if smaller else 0.0


# The rule assemble() groups pairs by; kept with the groups, so that groups kept by an
# older rule are assembled again (2: a post between centres by what decided each pair,
# then by id; 2026-11-30).
ASSEMBLY = 2


def assemble(docs: list[Doc], accepted: dict[tuple[int, int], dict], evidence) -> list[dict]:
    """Groups from the accepted pairs; `evidence(a, b)` gives the full scores of an
    accepted pair when it is shown.

    Groups are stars, not chains: the fullest post (then the earliest) takes every
    post it is itself paired with, then the next fullest of those left, and so on.
    Joining every pair (union-find) chains posts that share some paragraphs with each
    other into groups of thousands in a collection that reuses text; a star holds
    only posts that are each the same writing as its centre."""
    linked: dict[int, list[int]] = defaultdict(list)
    for a, b in accepted:
        linked[a].append(b)
        linked[b].append(a)
    order = sorted(linked, key=lambda n: (docs[n].excerpt, -docs[n].length,
                                          docs[n].date or "9999", docs[n].id))  # fmt: skip
    taken: set[int] = set()
    centres: list[int] = []
    for centre in order:
        if centre in taken:
            continue
        members = [n for n in linked[centre] if n not in taken]
        if members:
            taken.add(centre)
            taken.update(members)
            centres.append(centre)

    # A post paired with several centres (an excerpt of a text that several posts
    # open with) joins the one it matches best, then the nearest in date, the longest,
    # the first by id: a full post and its excerpt are usually published together.
    # "Best" by what decided the pair (`matched`), and nothing depends on the posts'
    # numbering (an update's slots are not a whole pass's): else the update and a whole
    # pass could put a post paired with two centres in different groups.
    is_centre = set(centres)
    stars: dict[int, list[int]] = {c: [c] for c in centres}
    for n in taken - is_centre:
        options = sorted((c for c in linked[n] if c in is_centre), key=lambda c: docs[c].id)
        best = max(options, key=lambda c: (
            round(matched(accepted, docs, n, c), 2), -days_apart(docs[n], docs[c]),
            docs[c].length))  # fmt: skip
        stars[best].append(n)
    # A post whose partners all joined other stars, and that none of their centres is
    # paired with, stays out: joining it to a member's star would chain groups again.
    groups = [members for members in stars.values() if len(members) > 1]
    out = [group_entry(docs, members, linked, accepted, evidence) for members in groups]
    out.sort(key=lambda g: (-len(g["members"]), g["canonical"]))
    return out


def matched(accepted: dict, docs, a: int, b: int) -> float:
    """How well the accepted pair of a and b matched, by what decided it: containment
    where that alone sufficed, else the best score. The same whether or not its other
    scores were completed since (they are when a group shows the pair; the duplicate
    update keeps them, a whole pass starts without)."""
    scores = pair_scores(accepted, a, b)
    shortest = min(docs[a].length, docs[b].length)
    settled = settled_by_containment(scores["containment"], shortest)
    return scores["containment"] if settled else scores["score"]


def pair_key(accepted: dict, a: int, b: int) -> tuple[int, int]:
    """The key under which the accepted pair of a and b is kept (either order)."""
    return (a, b) if (a, b) in accepted else (b, a)


def pair_scores(accepted: dict, a: int, b: int) -> dict:
    return scores_of(accepted[pair_key(accepted, a, b)])


def scores_of(kept: dict | float) -> dict:
    """An accepted pair's scores as compare() gave them, from what find_groups keeps: a
    float stands for a pair accepted on containment alone ("pending")."""
    if isinstance(kept, float):
        return {"containment": kept, "score": kept, "pending": True}
    return kept


def days_apart(a: Doc, b: Doc) -> int:
    """Days between two posts' dates (a large number when either is undated)."""
    try:
        return abs((date.fromisoformat(a.date[:10]) - date.fromisoformat(b.date[:10])).days)
    except (TypeError, ValueError):
        return 10**6


def group_entry(docs, members, linked, accepted, evidence) -> dict:
    """{"canonical": id, "members": [...]} of one group, each member with its relation
    to the canonical and the evidence."""
    head = canonical_of(docs, members)
    inside = set(members)
    members.sort(key=lambda n: (n != head, docs[n].date or "9999", docs[n].id))
    entries = []
    for n in members:
        doc = docs[n]
        entry = {"id": doc.id, "title": doc.title, "date": doc.date, "source": doc.source}
        if n == head:
            entry.update(relation="canonical", scores={})
        else:
            if (head, n) in accepted or (n, head) in accepted:
                scores = evidence(head, n)
            else:
                # Paired with the centre, not with the canonical (a post of nearly the
                # same length but earlier): the pair that put it here.
                near = sorted((m for m in linked[n] if m in inside), key=lambda m: docs[m].id)
                other = max(near, key=lambda m: matched(accepted, docs, n, m))
                scores = {**evidence(n, other), "via": "another member"}
            entry.update(relation=relation(doc, docs[head], scores), scores=scores)
        entries.append(entry)
    return {"canonical": docs[head].id, "members": entries}


DIFF_WORDS = 5_000


def word_diff(a: str, b: str) -> tuple[str, str]:
    """Two texts as HTML, escaped, with the words only one of them has marked
    (<del> in the first, <ins> in the second), paragraph breaks kept."""
    from difflib import SequenceMatcher
    from html import escape

    def tokens(text: str) -> list[str]:
        return text.replace("\n\n", " \x00 ").split(" ")

    ta, tb = tokens(a), tokens(b)
    # The diff covers the first DIFF_WORDS words of each (difflib's cost grows with the
    # product of the lengths); the rest is shown plain, after a marker.
    rest_a, rest_b = ta[DIFF_WORDS:], tb[DIFF_WORDS:]
    ta, tb = ta[:DIFF_WORDS], tb[:DIFF_WORDS]
    left, right = [], []
    matcher = SequenceMatcher(None, ta, tb, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = " ".join(ta[i1:i2]), " ".join(tb[j1:j2])
        if op == "equal":
            left.append(escape(old))
            right.append(escape(new))
        else:
            if old:
                left.append(f"<del>{escape(old)}</del>")
            if new:
                right.append(f"<ins>{escape(new)}</ins>")
    for side, rest in ((left, rest_a), (right, rest_b)):
        if rest:
            side.append(f"<span class=\"not-compared\">[not compared past {DIFF_WORDS:,} "
                        f"words]</span> {escape(' '.join(rest))}")  # fmt: skip
    para = "</p><p>"
    return (
        "<p>" + " ".join(left).replace("\x00", para) + "</p>",
        "<p>" + " ".join(right).replace("\x00", para) + "</p>",
    )
