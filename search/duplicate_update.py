"""Duplicate groups kept up to date as posts are added, edited and deleted.

Takes a generation's `IndexState` and its manifest (`groups_for`); gives the
generation's groups, found from the working data the previous generation kept
(`duplicates.work`, which the new generation starts with as a hard link) by deciding
again only the pairs that the changed posts can affect, and keeps the new working data
in the generation. Without working data it runs the whole finder once
(search/duplicates.py) and keeps what that found.

What is kept, per post: its content hash, what groups show of it (title, date, source,
excerpt, length), its paragraph keys (for the boilerplate) and its sampled shingles;
for all posts, the sampled shingles as two numpy arrays sorted by shingle (shingle,
post slot): the postings, updated with a searchsorted and an insert rather than built
again; the accepted pairs with their scores; the boilerplate set.

Why this gives what a fresh pass gives: the finder decides a pair from the two posts'
texts, the boilerplate, how many posts hold each of their sampled shingles (which pairs
are candidates) and how many different texts do (how much a shingle weighs). A change
moves those counts only for the shingles of the changed posts (old and new versions),
so only posts that hold one of those shingles ("touched") can see a pair decided
differently, and only their pairs are decided again. Two exceptions: if the boilerplate
changes (a short paragraph reaches or leaves its threshold), or over a fifth of the
posts changed, everything is found again; and a shingle held by more than 200 posts (a
stock phrase) is not followed: a change moves its weight, 2/df, by under 1%, in posts
whose pairs are then kept as they were (`tests/test_duplicates.py` compares updated
groups with a fresh pass's after adds, edits and deletes).
"""

from __future__ import annotations

import math
import os
import pickle
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.store import file_identity
from search.duplicates import (
    MAX_POSTING,
    RAREST,
    WIDE_POSTING,
    Doc,
    assemble,
    boilerplate_from,
    compare,
    find_groups,
    finish,
    pair_key,
    paragraph_keys,
    prepare,
    rare_pairs,
    ruled_out,
    shingle_weight,
    weighted_containment,
)

WORK_FILE = "duplicates.work"
WORK_VERSION = 3
FULL_SHARE = 0.2  # past this share of changed posts, a whole pass is as cheap


@dataclass
class Post:
    """What the working data keeps of one post."""

    slot: int
    hash: str
    title: str
    date: str | None
    excerpt: bool
    source: dict | None
    length: int
    keys: tuple[tuple[int, ...], tuple[int, ...]]  # paragraph_keys
    text_key: int  # crc32 of the content text: copies of one text count once
    sampled: bytes  # the sampled shingles as uint32s: a pickle of bytes loads at once
    has_shingles: bool

    def shingles(self) -> np.ndarray:
        return np.frombuffer(self.sampled, dtype=np.uint32)


@dataclass
class Work:
    posts: dict[str, Post]
    slots: list[str | None]  # slot -> post id (None: deleted)
    keys: np.ndarray  # sorted sampled shingles (uint32)
    owners: np.ndarray  # the slot holding each (int32)
    boilerplate: set[int]
    accepted: dict[tuple[str, str], dict]  # (id, id) -> scores
    groups: list[dict] | None = None  # as assembled from `accepted`


def post_of(doc: Doc, hash_: str, slot: int) -> Post:
    return Post(slot, hash_, doc.title, doc.date, doc.excerpt, doc.source, doc.length,
                paragraph_keys(doc.paragraphs), zlib.crc32(doc.text.encode("utf-8")),
                np.array(sorted(doc.sampled), dtype=np.uint32).tobytes(),
                bool(doc.shingles))  # fmt: skip


def postings_of(posts: list[Post]) -> tuple[np.ndarray, np.ndarray]:
    keys = [p.shingles() for p in posts]
    owners = [np.full(len(k), p.slot, dtype=np.int32) for p, k in zip(posts, keys, strict=True)]
    if not keys:
        return np.zeros(0, np.uint32), np.zeros(0, np.int32)
    k, o = np.concatenate(keys), np.concatenate(owners)
    order = np.argsort(k, kind="stable")
    return k[order], o[order]


# The working data this process saved last, with the file's identity: a long-running
# indexer (`rocksearch index --watch`) finds it in the next generation (a hard link to
# the same file) and skips reading it back (0.2 s at 10k, seconds at 100k).
_saved: tuple[tuple, Work] | None = None


def load_work(folder: Path) -> Work | None:
    try:
        if _saved is not None and file_identity(folder / WORK_FILE) == _saved[0]:
            return _saved[1]
        data = pickle.loads((folder / WORK_FILE).read_bytes())
    except (OSError, EOFError, ValueError, AttributeError, ImportError, pickle.PickleError):
        return None
    if not isinstance(data, dict) or data.get("version") != WORK_VERSION:
        return None
    return data["work"]


def save_work(folder: Path, work: Work) -> None:
    path = folder / WORK_FILE
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        pickle.dump({"version": WORK_VERSION, "work": work}, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    global _saved
    _saved = (file_identity(path), work)


def article_of(state, article_id: str) -> dict | None:
    from search.articles import article_dict, find_docnum

    docnum = find_docnum(state, article_id)
    return None if docnum is None else article_dict(state.stored_fields(docnum))


def full_pass(state, manifest: dict[str, str]) -> tuple[list[dict], Work]:
    """The whole finder over the generation, and the working data it leaves."""
    from search.duplicates import articles_of

    found: dict = {}
    groups = find_groups(articles_of(state), found=found)
    docs: list[Doc] = found["docs"]
    posts = {d.id: post_of(d, manifest.get(d.id, ""), n) for n, d in enumerate(docs)}
    keys, owners = postings_of(list(posts.values()))
    accepted = {(docs[a].id, docs[b].id): s for (a, b), s in found["accepted"].items()}
    work = Work(posts, [d.id for d in docs], keys, owners, found["boilerplate"], accepted,
                groups)  # fmt: skip
    return groups, work


class _Postings:
    """Lookups in the sorted (shingle, slot) arrays."""

    def __init__(self, keys: np.ndarray, owners: np.ndarray):
        self.keys, self.owners = keys, owners
        self._ranges: dict[int, tuple[int, int]] = {}

    def span(self, h: int) -> tuple[int, int]:
        found = self._ranges.get(h)
        if found is None:
            # A numpy scalar of the array's own type: a Python int would make numpy
            # convert the whole array for every lookup.
            key = np.uint32(h)
            lo = int(np.searchsorted(self.keys, key, "left"))
            hi = int(np.searchsorted(self.keys, key, "right"))
            found = self._ranges[h] = (lo, hi)
        return found

    def slots(self, h: int) -> np.ndarray:
        lo, hi = self.span(h)
        return self.owners[lo:hi]

    def holders(self, h: int) -> list[int]:
        return self.slots(h).tolist()

    def prefetch(self, arrays: list[np.ndarray]) -> None:
        """Look up the spans of every shingle in `arrays` at once (one vectorized call
        rather than one a post: 1.7 s of a 100k update was those calls)."""
        if not arrays:
            return
        arr = np.unique(np.concatenate(arrays))
        lo = np.searchsorted(self.keys, arr, "left").tolist()
        hi = np.searchsorted(self.keys, arr, "right").tolist()
        self._ranges.update(zip(arr.tolist(), zip(lo, hi, strict=True), strict=True))

    def sizes(self, hs) -> dict[int, int]:
        ranges = self._ranges
        if all(h in ranges for h in hs):
            return {h: ranges[h][1] - ranges[h][0] for h in hs}
        self.prefetch([np.fromiter(hs, dtype=np.uint32)])
        return {h: ranges[h][1] - ranges[h][0] for h in hs}


def update(state, manifest: dict[str, str], work: Work) -> tuple[list[dict], Work] | None:
    """The groups after the changes between `work` and `manifest`, or None when a whole
    pass is called for (see the module docstring)."""
    posts = work.posts
    changed = [i for i, h in manifest.items() if i not in posts or posts[i].hash != h]
    gone = [i for i in posts if i not in manifest or posts[i].hash != manifest[i]]
    if not changed and not gone:
        return (work.groups if work.groups is not None else _groups(state, work)), work
    if len(changed) + len(gone) > FULL_SHARE * max(len(manifest), 1):
        return None
    fresh: dict[str, Doc] = {}
    for article_id in changed:
        article = article_of(state, article_id)
        if article is not None:
            fresh[article_id] = prepare(article)
    # The boilerplate of the new collection, from every post's paragraph keys.
    gone_ids = set(gone)
    keys_of = {i: p.keys for i, p in posts.items() if i not in gone_ids}
    keys_of.update({i: paragraph_keys(d.paragraphs) for i, d in fresh.items()})
    boilerplate = boilerplate_from(list(keys_of.values()))
    if boilerplate != work.boilerplate:
        return None
    for doc in fresh.values():
        finish(doc, boilerplate)

    old = _Postings(work.keys, work.owners)
    touched_shingles: set[int] = set()
    for i in gone:
        touched_shingles.update(posts[i].shingles().tolist())
    for doc in fresh.values():
        touched_shingles |= doc.sampled
    old_sizes = old.sizes(touched_shingles) if touched_shingles else {}

    # The new postings: the old ones without the gone posts' slots, plus the new posts.
    slots = list(work.slots)
    gone_slots = np.array([posts[i].slot for i in gone], dtype=np.int32)
    keep = ~np.isin(work.owners, gone_slots) if len(gone_slots) else slice(None)
    keys, owners = work.keys[keep], work.owners[keep]
    new_posts = dict(posts)
    for i in gone:
        slots[posts[i].slot] = None
        del new_posts[i]
    added = []
    for article_id, doc in fresh.items():
        post = post_of(doc, manifest[article_id], len(slots))
        slots.append(article_id)
        new_posts[article_id] = post
        added.append(post)
    add_keys, add_owners = postings_of(added)
    at = np.searchsorted(keys, add_keys, "right")
    keys, owners = np.insert(keys, at, add_keys), np.insert(owners, at, add_owners)
    new = _Postings(keys, owners)
    new_sizes = new.sizes(touched_shingles) if touched_shingles else {}

    # Posts whose pairs may be decided differently: the new ones, and every post that
    # shares with a changed post a shingle held by at most WIDE_POSTING posts.
    touched: set[int] = {new_posts[i].slot for i in fresh}
    for h in touched_shingles:
        if min(old_sizes.get(h, 0), new_sizes.get(h, 0)) <= WIDE_POSTING:
            touched.update(new.slots(h).tolist())
    touched_ids = {slots[s] for s in touched if slots[s] is not None}
    accepted = {
        pair: scores for pair, scores in work.accepted.items()
        if pair[0] in new_posts and pair[1] in new_posts
        and pair[0] not in touched_ids and pair[1] not in touched_ids
    }  # fmt: skip

    docs = _Docs(state, new_posts, slots, boilerplate, fresh)
    df = _text_counts(new, new_posts, slots)

    candidates = sorted(_candidates(touched, new, docs, _small_counts(new, len(slots))))
    # Every shingle the pairs will weigh, looked up at once (one by one, the lookups
    # were 40% of a 50-post update at 10k).
    weighed = {x for pair in candidates for x in pair}
    new.prefetch([docs.shingles(x) for x in weighed])
    _weigh(docs, weighed, new, df)
    for a, b in candidates:
        da, db = docs.light(a), docs.light(b)
        if not _may_match(da, db, df):
            continue
        # Accepted on containment alone, the light docs suffice; else the words decide.
        scores = compare(da, db, df, decide_only=True)
        if not (scores and scores.get("pending")):
            scores = compare(docs.full(a), docs.full(b), df, decide_only=True)
        if scores is not None:
            accepted[(slots[a], slots[b])] = scores
    new_work = Work(new_posts, slots, keys, owners, boilerplate, accepted)
    # Groups change only in the connected parts of the pair graph (old pairs and new)
    # that hold a changed post or a pair decided again; the others are kept as they are.
    dropped = [pair for pair in work.accepted if pair not in accepted]
    moved = {i for pair in dropped for i in pair} | set(changed) | gone_ids
    moved |= {i for pair in accepted if pair not in work.accepted for i in pair}
    new_work.groups = _groups(state, new_work, docs, df, work.groups, moved, dropped)
    return new_work.groups, new_work


def _text_counts(postings: _Postings, posts: dict[str, Post], slots: list):
    """df(h) as find_groups counts it: the different texts (copies count once) that
    hold sampled shingle h."""
    text = np.zeros(len(slots), dtype=np.uint32)
    for post in posts.values():
        text[post.slot] = post.text_key
    of_entry = text[postings.owners]  # the text of each posting entry
    memo: dict[int, int] = {}

    def df(h: int) -> int:
        n = memo.get(h)
        if n is None:
            lo, hi = postings.span(h)
            n = memo[h] = 1 if hi - lo <= 1 else len(set(of_entry[lo:hi].tolist()))
        return n

    return df


def _weigh(docs: _Docs, slots: set[int], postings: _Postings, df) -> None:
    """Each light doc's total_weight, vectorized: one weight per distinct shingle (a
    shingle in at most two posts weighs 1 whatever its texts, so df() is asked only of
    the others), and each post's weights summed with math.fsum, exactly rounded as
    total_weight sums them, so the totals are the same floats as a whole pass's."""
    todo = [x for x in slots if docs.light(x).weight is None]
    if not todo:
        return
    arrays = {x: np.unique(docs.shingles(x)) for x in todo}
    distinct = np.unique(np.concatenate(list(arrays.values())))
    held = (np.searchsorted(postings.keys, distinct, "right")
            - np.searchsorted(postings.keys, distinct, "left"))  # fmt: skip
    weight = np.ones(len(distinct))
    for i in np.flatnonzero(held > 2).tolist():
        weight[i] = shingle_weight(df(int(distinct[i])))
    for x, arr in arrays.items():
        docs.light(x).weight = math.fsum(weight[np.searchsorted(distinct, arr)].tolist())


def _may_match(a: Doc, b: Doc, df) -> bool:
    """False where compare() says no before it looks at the words (the shingles, the
    lengths and the titles decide), so that no text is read for such a pair."""
    return bool(a.shingles and b.shingles) and not ruled_out(a, b, weighted_containment(a, b, df))


class _Docs:
    """Docs by slot: light ones (what the working data keeps) for the set arithmetic,
    full ones (text from the index) only where a comparison needs the words."""

    def __init__(self, state, posts, slots, boilerplate, fresh):
        self.state, self.posts, self.slots, self.boilerplate = state, posts, slots, boilerplate
        self.fresh = fresh
        self._light: dict[int, Doc] = {}
        self._meta: dict[int, Doc] = {}
        self._sampled: dict[int, set[int]] = {}
        self._full: dict[int, Doc] = {}

    def shingles(self, slot: int) -> np.ndarray:
        return self.posts[self.slots[slot]].shingles()

    def sampled(self, slot: int) -> set[int]:
        found = self._sampled.get(slot)
        if found is None:
            found = self._sampled[slot] = set(self.posts[self.slots[slot]].shingles().tolist())
        return found

    def meta(self, slot: int) -> Doc:
        """What grouping needs of a post (title, date, length…), without its shingles."""
        doc = self._meta.get(slot)
        if doc is None:
            p = self.posts[self.slots[slot]]
            doc = Doc(self.slots[slot], p.title, p.date, p.excerpt, p.source, [])
            doc.length = p.length
            self._meta[slot] = doc
        return doc

    def light(self, slot: int) -> Doc:
        """meta() with the sampled shingles, for the set arithmetic of a comparison (its
        full shingles stand in as a marker: compare() only asks whether there are any)."""
        doc = self.meta(slot)
        if slot not in self._light:
            doc.sampled = self.sampled(slot)
            doc.shingles = {0} if self.posts[self.slots[slot]].has_shingles else set()
            self._light[slot] = doc
        return doc

    def full(self, slot: int) -> Doc:
        doc = self._full.get(slot)
        if doc is None:
            article_id = self.slots[slot]
            doc = self.fresh.get(article_id)
            if doc is None:
                article = article_of(self.state, article_id)
                doc = finish(prepare(article), self.boilerplate)
            self._full[slot] = doc
        return doc


def _small_counts(postings: _Postings, slots: int) -> np.ndarray:
    """slot -> how many of its sampled shingles are in 2 to MAX_POSTING posts: a post
    with RAREST of them never proposes pairs from its rarest wider ones (see
    candidate_pairs), so it need not be looked at for them. One pass over the arrays."""
    keys = postings.keys
    if not len(keys):
        return np.zeros(slots, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    sizes = np.diff(np.append(starts, len(keys)))
    per_entry = np.repeat(sizes, sizes)
    small = (per_entry > 1) & (per_entry <= MAX_POSTING)
    return np.bincount(postings.owners[small], minlength=slots)


def _candidates(
    touched: set[int], postings: _Postings, docs: _Docs, small: np.ndarray
) -> set[tuple[int, int]]:
    """Every candidate pair (as duplicates.candidate_pairs proposes them) with a touched
    post in it, as (smaller slot, larger slot). `small` is _small_counts."""
    pairs: set[tuple[int, int]] = set()
    neighbours: set[int] = set()
    postings.prefetch([docs.shingles(a) for a in touched])
    for a in touched:
        sampled = docs.sampled(a)
        sizes = postings.sizes(sampled) if sampled else {}
        shared: dict[int, int] = {}
        for h, n in sizes.items():
            if 1 < n <= MAX_POSTING:
                for b in postings.holders(h):
                    if b != a:
                        shared[b] = shared.get(b, 0) + 1
            elif MAX_POSTING < n <= WIDE_POSTING:
                neighbours.update(postings.holders(h))
        for b, n in shared.items():
            if n >= 2 or min(len(sampled), len(docs.sampled(b))) <= 3:
                pairs.add((min(a, b), max(a, b)))
        pairs |= rare_pairs(a, sizes, postings.holders)
    # A post proposes the posts that hold two of its rarest shingles: one that holds a
    # touched post's shingle (in at most WIDE_POSTING posts) may propose it.
    proposers = [b for b in neighbours - touched if small[b] < RAREST]
    postings.prefetch([docs.shingles(b) for b in proposers])
    for b in proposers:
        sampled = docs.sampled(b)
        for pair in rare_pairs(b, postings.sizes(sampled) if sampled else {}, postings.holders):
            if pair[0] in touched or pair[1] in touched:
                pairs.add(pair)
    return pairs


def _groups(
    state,
    work: Work,
    docs: _Docs | None = None,
    df=None,
    previous: list[dict] | None = None,
    moved: set[str] | None = None,
    dropped: list[tuple[str, str]] = (),
) -> list[dict]:
    """assemble() over the accepted pairs, by slot; evidence completed where shown. With
    the `previous` groups, only the connected parts of the pair graph (new pairs and
    `dropped` old ones) that hold a `moved` post are assembled again: stars form within
    a connected part, from its posts alone, so the other groups stay as they were."""
    slots = work.slots
    if docs is None:
        docs = _Docs(state, work.posts, slots, work.boilerplate, {})
    pairs = work.accepted
    kept: list[dict] = []
    if previous is not None and moved is not None:
        part = _connected(moved, [*pairs, *dropped])
        kept = [g for g in previous if not any(m["id"] in part for m in g["members"])]
        pairs = {pair: s for pair, s in pairs.items() if pair[0] in part}
    slot_of = {i: work.posts[i].slot for pair in pairs for i in pair}
    accepted = {(slot_of[a], slot_of[b]): s for (a, b), s in pairs.items()}

    class ByIndex:  # assemble indexes docs by slot
        def __getitem__(self, slot: int) -> Doc:
            return docs.meta(slot)

    if df is None:
        df = _text_counts(_Postings(work.keys, work.owners), work.posts, slots)

    def evidence(a: int, b: int) -> dict:
        key = pair_key(accepted, a, b)
        scores = accepted[key]
        if scores.get("pending"):
            scores = compare(docs.full(key[0]), docs.full(key[1]), df) or scores
            scores.pop("pending", None)
            accepted[key] = scores
            work.accepted[(slots[key[0]], slots[key[1]])] = scores
        return scores

    groups = kept + assemble(ByIndex(), accepted, evidence)
    groups.sort(key=lambda g: (-len(g["members"]), g["canonical"]))
    return groups


def _connected(start: set[str], pairs: list[tuple[str, str]]) -> set[str]:
    """The posts connected to any of `start` by `pairs`."""
    linked: dict[str, list[str]] = {}
    for a, b in pairs:
        linked.setdefault(a, []).append(b)
        linked.setdefault(b, []).append(a)
    seen = {i for i in start if i in linked}
    todo = list(seen)
    while todo:
        for other in linked[todo.pop()]:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def groups_for(state, manifest: dict[str, str]) -> dict:
    """The groups of `state`'s generation, kept in it (duplicates.json, stamped with the
    generation's name) with the working data for the next update; {"groups", "seconds",
    "updated": whether an update (not a whole pass) found them}."""
    from search.duplicates import save_groups

    started = time.perf_counter()
    folder = Path(state.generation.path)
    work = load_work(folder)
    result = update(state, manifest, work) if work is not None else None
    updated = result is not None
    groups, work = result if result is not None else full_pass(state, manifest)
    # Where each member was read this time (a post that moved is not read again).
    sources = state.generation.meta.get("sources", {})
    for group in groups:
        for member in group["members"]:
            member["source"] = sources.get(member["id"], member["source"])
    save_work(folder, work)
    seconds = round(time.perf_counter() - started, 3)
    save_groups(folder, groups, seconds)
    return {"groups": groups, "seconds": seconds, "updated": updated}
