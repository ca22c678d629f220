"""Duplicate groups kept up to date as posts are added, edited and deleted.

Takes a generation's `IndexState` and its manifest (`groups_for`); gives the
generation's groups, found from the working data the previous generation kept
(`duplicates.work`, which the new generation starts with as a hard link) by deciding
again only the pairs that the changed posts can affect, and keeps the new working data
in the generation. Without working data it runs the whole finder once
(search/duplicates.py) and keeps what that found.

What is kept (search/duplicate_work.py), per post: its content hash, what groups show
of it (title, date, excerpt, length), its paragraph keys (for the boilerplate)
and its sampled shingles; for all posts, the sampled shingles as two numpy arrays
sorted by shingle (shingle, post slot): the postings, updated with a searchsorted and
an insert rather than built again; the accepted pairs with their scores; the
boilerplate set.

Why this gives what a fresh pass gives: the finder decides a pair from the two posts'
texts, the boilerplate, how many posts hold each of their sampled shingles (which pairs
are candidates) and how many different texts do (how much a shingle weighs). A change
moves those counts only for shingles of the changed posts, and an edit moves the counts
of posts only for the shingles its old and new versions do not share (the post leaves
each shingle it keeps and joins it again; its text counts move too where it had exact
copies, being a text of its own now). So only posts that hold a shingle whose counts
moved ("touched") can see a pair decided differently, and only their pairs, and the
changed posts', are decided again. The boilerplate is decided again only for the short
paragraphs the changed posts have (no other paragraph's holders changed); if that
changes the boilerplate (a short paragraph reaches or leaves its threshold), the posts
that have such a paragraph are prepared again, as if edited. Three exceptions: when
over a fifth of the posts changed (counting those), or the pairs to decide again are
over PAIRS_PER_POST a post, everything is found again (otherwise they are decided
BATCH_POSTS posts at a time, however many); a shingle held by more than 200 posts (a
stock phrase) is not followed when its count of posts moves (no pair is a candidate
by it); and a post whose shingles' weights moved, but by under DRIFT of its weight
since its pairs were decided, keeps its pairs: no containment can have moved by more
than 0.0005 (see _drifted), and a pair so near one of the thresholds is a coin toss
either way (`tests/test_duplicates.py` compares updated groups with a fresh pass's
after adds, edits and deletes).
"""

from __future__ import annotations

import dataclasses
import math
import time
import zlib
from pathlib import Path

import numpy as np

from indexer.store import Changes
from search.duplicate_store import KeptGroups, save_groups
from search.duplicate_work import (
    NoWork,
    Pairs,
    Post,
    Posts,
    Work,
    forget_saved_work,
    read_work,
    save_work,
)
from search.duplicates import (
    ASSEMBLY,
    MAX_POSTING,
    PAIRING,
    RAREST,
    WIDE_POSTING,
    Doc,
    assemble,
    boilerplate_from,
    boilerplate_least,
    compare,
    containments_in_row,
    content_text,
    find_groups,
    finish,
    holder_rank,
    is_boilerplate,
    pair_key,
    prepare,
    ruled_out,
    shingle_weight,
    shingle_weights,
)
from search.int_sets import distinct, distinct_counts
from search.shingle_layers import LayeredPostings
from search.shingle_postings import Postings, held_each, small_counts_of
from search.stored_articles import article_dict, articles_of, find_docnum

FULL_SHARE = 0.2  # past this share of changed posts, a whole pass is as cheap
# The update's lookups are Python dicts, an entry per shingle looked up: at 100k posts
# an edit whose pairs span 25,000 posts peaks at 1.16 GB (a whole pass, 1.29 GB). So
# past this many posts they are taken a batch at a time (their pairs decided, the
# lookups let go before the next batch): an edit of a post with exact copies in a
# dense cluster, whose pairs span a third of the posts, costs seconds in bounded
# memory, where it used to fall back to a whole pass (110 s). Not fewer: batches of
# 5,000 made that 25,000-post edit twice as slow (16 s against 8 s), as the cluster's
# shingles, shared by all its posts, were counted again in every batch, for 15% less
# memory.
BATCH_POSTS = 30_000
# Past this many candidate pairs a post (with a touched post in each) a whole pass is
# quicker: the update decides a pair in 50-90 µs, and a whole pass takes 96-110 s at
# 100k posts. There, 120 changes whose boilerplate moved touched 53,685 posts, whose
# 3.0 million pairs took 275 s and 1.5 GB; 30 changes, 1.02 million pairs in 87 s and
# 1.19 GB (the whole pass: 114 s, 1.35 GB); three edits in dense clusters, 180,000
# pairs, 9-11 s. (At 10k posts the break-even is about the same per post.)
PAIRS_PER_POST = 12
FILL_ENTRIES = 2_000_000  # (shingle, post) entries held at once (see _parts)


class WholePass(Exception):
    """Why an update gives way to a whole pass (what `rocksearch index` says, as it takes
    minutes at 100k posts, not a fraction of a second)."""


def post_of(doc: Doc, hash_: str) -> Post:
    return Post(doc.id, hash_, doc.title, doc.date, doc.excerpt, doc.length,
                doc.keys, zlib.crc32(doc.text.encode("utf-8")), doc.sampled,
                doc.has_shingles, doc.weight)  # fmt: skip


def article_of(state, article_id: str) -> dict | None:
    docnum = find_docnum(state, article_id)
    # (its text, title, date, not its place: a group's members are placed when shown)
    return None if docnum is None else article_dict(state.stored_fields(docnum, placed=False))


def full_pass(state, manifest: dict[str, str]) -> tuple[KeptGroups, Work]:
    """The whole finder over the generation, and the working data it leaves."""
    found: dict = {}
    groups = KeptGroups.of(find_groups(articles_of(state), found=found))
    docs: list[Doc] = found["docs"]
    posts = Posts.of([post_of(d, manifest.get(d.id, "")) for d in _letting_text_go(docs)],
                     found["sampled"])  # fmt: skip
    # The pass's own postings, of those very sampled shingles (the base of the layers).
    postings = LayeredPostings(found["postings"], posts.live.copy(), posts.live, posts.sampled)
    posts.small = found["small"]
    # find_groups numbers the posts as `docs` lists them: its pairs are by slot already.
    work = Work(posts, postings, found["boilerplate"], Pairs.of(found["accepted"]), groups)
    return groups, work


def update(state, manifest: dict[str, str], work: Work,
           changes: Changes | None = None) -> tuple[KeptGroups, Work]:  # fmt: skip
    """The groups after the changes between `work` and `manifest` (those the indexer
    made, `changes`, when `work` was made for the generation they were made from).
    Raises WholePass when a whole pass is called for (see the module docstring)."""
    if work.pairing != PAIRING:  # (what the finder now decides otherwise: decided anew)
        raise WholePass("the duplicate pairs were decided by an older rule")
    posts = work.posts
    if changes is not None and changes.since == work.made_for:
        changed = [i for i in changes.indexed if i in manifest]
        gone = [i for i in changes.removed if i in posts.row]
    else:  # (every hash compared: 0.05 s at 100k posts)
        hash_of = posts.hash_of()
        changed = [i for i, h in manifest.items() if hash_of.get(i) != h]
        gone = [i for i, h in hash_of.items() if manifest.get(i) != h]
    if work.assembly != ASSEMBLY:  # kept by an older rule: all assembled again
        work.groups, work.assembly = None, ASSEMBLY
    if not changed and not gone:
        if work.groups is None:
            work.groups = _groups(state, work)
        return work.groups, work
    most = FULL_SHARE * max(len(manifest), 1)  # changed posts an update takes on
    if len(changed) + len(gone) > most:
        raise WholePass(f"{len(set(changed) | set(gone))} of {len(manifest)} posts changed, "
                        f"over {FULL_SHARE:.0%}")  # fmt: skip
    fresh: dict[str, Doc] = {}
    for article_id in changed:
        article = article_of(state, article_id)
        if article is not None:
            fresh[article_id] = prepare(article)
    gone_slots = [posts.row[i] for i in gone]
    fresh_keys = {i: d.keys for i, d in fresh.items()}
    boilerplate = _boilerplate(posts, gone_slots, fresh_keys, work.boilerplate)
    if boilerplate != work.boilerplate:
        # A short paragraph reached or left the threshold (a post that had it deleted,
        # or the count of posts past a thousand: 100,000 to 99,999 posts made four
        # paragraphs boilerplate at 100k, and the whole pass took 100 s and 2 GB). The
        # posts that have it read differently now: they are prepared again, as if edited.
        again = _holders(posts, boilerplate ^ work.boilerplate, gone_slots)
        if len(changed) + len(gone) + len(again) > most:
            raise WholePass(f"the boilerplate paragraphs changed: with the {len(again)} "
                            f"posts that have them, over {FULL_SHARE:.0%} changed")  # fmt: skip
        for slot in again:
            article_id = posts.slots[slot]
            article = article_of(state, article_id)
            if article is None:
                raise WholePass(f"post {article_id}, which has a boilerplate paragraph, is "
                                "not in the index")  # fmt: skip
            fresh[article_id] = prepare(article)
            changed.append(article_id)
            gone.append(article_id)
            gone_slots.append(slot)
        fresh_keys = {i: d.keys for i, d in fresh.items()}
        # (Moved to new slots, they are still ranked by id among the holders: the same
        # paragraphs come out, unless reading them again changed their keys.)
        if _boilerplate(posts, gone_slots, fresh_keys, work.boilerplate) != boilerplate:
            raise WholePass("the boilerplate paragraphs are decided otherwise once the "
                            "posts that have them are read again")  # fmt: skip
    for doc in fresh.values():
        finish(doc, boilerplate)

    old = work.postings
    touched_shingles: set[int] = set()
    for s in gone_slots:
        touched_shingles.update(posts.sampled[s].tolist())
    for doc in fresh.values():
        touched_shingles.update(doc.sampled.tolist())
    old_sizes = old.sizes(touched_shingles) if touched_shingles else {}

    # The new postings: the old ones without the gone posts' slots, plus the new posts.
    added = [post_of(doc, manifest[i]) for i, doc in fresh.items()]
    new_posts = posts.changed(gone_slots, added)
    added_slots = list(range(len(posts.slots), len(new_posts.slots)))
    new = old.moved_to(new_posts.live, new_posts.sampled)
    new_sizes = new.sizes(touched_shingles) if touched_shingles else {}
    _count_small(new_posts, new, old_sizes, new_sizes, added_slots)

    # Posts whose pairs may be decided differently: the new ones; every post that holds
    # a shingle whose count of posts the change moved, if it is held by at most
    # WIDE_POSTING posts (which pairs are candidates may change); and those holding
    # shingles whose weight (2/texts) moved, once the moves pass DRIFT of their weight
    # (see _drifted). (An edit keeps most of a post's shingles: each loses the old
    # version and gains the new one, and no other pair sees a difference.)
    df, old_df = _text_counts(new, new_posts), _text_counts(old, posts)
    touched: set[int] = set(added_slots)
    if touched_shingles:
        asked = distinct(np.fromiter(touched_shingles, dtype=np.uint32))
        df.fill(asked)
        old_df.fill(asked)
    steps_of: dict[int, float] = {}  # shingle -> how far its weight moved
    for h in touched_shingles:
        was, now = old_sizes.get(h, 0), new_sizes.get(h, 0)
        if was != now and min(was, now) <= WIDE_POSTING:
            touched.update(new.slots(h).tolist())
        step = abs(shingle_weight(old_df(h)) - shingle_weight(df(h)))
        if step:
            steps_of[h] = step
    if steps_of:
        # The weights kept are those of posts none of whose shingles' weights moved.
        reweigh = distinct(np.fromiter(steps_of, dtype=np.uint32, count=len(steps_of)))
        which, holders = new.entries(reweigh)
        new_posts.weight[holders] = np.nan
        steps = np.array([steps_of[h] for h in reweigh.tolist()])[which]
        touched.update(_drifted(new_posts, holders, steps))
    touched = {s for s in touched if new_posts.live[s]}
    new_posts.drift[list(touched)] = 0.0  # (their pairs are all decided again below)
    # The pairs kept as they were: both posts live and neither touched.
    steady = new_posts.live.copy()
    steady[list(touched)] = False
    old_pairs = work.pairs
    kept = steady[old_pairs.a] & steady[old_pairs.b]

    docs = _Docs(state, new_posts, boilerplate, fresh)

    candidates = sorted(_candidates(touched, new, docs, most=PAIRS_PER_POST * len(new_posts)))
    # What was looked up to find the touched posts is not asked again (the comparisons
    # ask only df, which _weigh fills for the posts of each batch): let go of it first.
    _forget(new, df, docs)
    # In batches by the post that is not touched (each such post in one batch; the few
    # touched ones, in many pairs, looked up again in each).
    by_other = sorted(candidates, key=lambda p: (p[1], p[0]) if p[0] in touched else p)
    decided: dict[tuple[int, int], dict] = {}
    for n, (batch, weighed) in enumerate(_batches(by_other, BATCH_POSTS)):
        if n:  # the lookups of the batch before let go (see BATCH_POSTS)
            _forget(new, df, docs)
        # The comparisons ask df only of the shingles a pair shares, all of them a touched
        # post's: those are counted at once here, with those of the posts to weigh.
        weights = _weigh(docs, weighed, df, also=[x for x in weighed if x in touched])
        for (a, b), containment in _containments(batch, touched, docs, weights):
            da, db = docs.light(a), docs.light(b)
            if not (da.has_shingles and db.has_shingles) or ruled_out(da, db, containment):
                continue
            # Accepted on containment alone, the light docs suffice; else the words decide.
            scores = compare(da, db, df, decide_only=True, containment=containment)
            if not (scores and scores.get("pending")):
                scores = compare(docs.full(a), docs.full(b), df, decide_only=True,
                                 containment=containment)  # fmt: skip
            if scores is not None:
                decided[(a, b)] = scores
    # (in the order of the candidates, however they were batched)
    decided = {pair: decided[pair] for pair in candidates if pair in decided}
    new_pairs = Pairs.of(decided)
    new_work = Work(new_posts, new, boilerplate, old_pairs.where(kept).plus(new_pairs),
                    base=work.base)  # fmt: skip
    # Groups change only in the connected parts of the pair graph (old pairs and new)
    # that hold a changed post or a pair decided again; the others are kept as they are.
    was = _ids(posts.slots, old_pairs.where(~kept))
    now = _ids(new_posts.slots, new_pairs)
    dropped = was - now
    moved = {i for pair in dropped | (now - was) for i in pair} | set(changed) | set(gone)
    # (work.groups None: kept by an older rule, and every group is assembled again)
    new_work.groups = _groups(state, new_work, docs, df, work.groups, moved, dropped)
    return new_work.groups, new_work


# A post's pairs are decided again once the weights of its shingles have moved, in all,
# by more than DRIFT of its weight since they were decided. Then no pair's weighted
# containment has moved by more than 2 * DRIFT * (1 + DRIFT) (see _drifted), so a pair
# kept is decided as a whole pass decides it unless its containment is within 0.0005 of
# one of compare()'s thresholds (0.1, 0.25, 0.3, 0.45, 0.8), and its scores kept are
# within that of a whole pass's (at most one in their third decimal). Why: editing a
# post that has exact copies makes its text one more text for each of its shingles,
# which moves their weights in every post holding them: at 100k posts, in a dense
# cluster, 663 posts, their median by a 45,000th of their weight, nine in ten by under
# a 6,000th; deciding their 57,000 pairs again took 2 s of the edit's 2.5.
DRIFT = 2.5e-4


def _drifted(posts: Posts, holders: np.ndarray, steps: np.ndarray) -> list[int]:
    """The slots whose pairs must be decided again, of those holding a shingle whose
    weight moved: `holders[i]` holds one that moved by `steps[i]`. Adds the moves to
    their drift and takes them off their weight floors (posts.drift, posts.weight_floor).

    Why the bound holds (weighted_containment: the weight of the sampled shingles two
    posts share over the smaller of their totals, S / min(Wa, Wb)): since the pair was
    decided, S moved by at most the moves of b's shingles, Db, and each total by its own
    moves; the containment (at most 1) by at most (|dS| + |dmin|) / min now. Say b has
    the smaller total now. If it had then too, min moved by at most Db: 2 Db / Wb. If a
    had, Wa then was at most Wb then, so at most Wb + Db, and at least Wa now less Da,
    so at least Wb less Da: min moved by at most the larger of Da and Db, and
    (Db + max(Da, Db)) / Wb. A post's drift is at most DRIFT of its weight at any time
    since (its floor less its drift: `drift <= DRIFT * (floor - drift)`), so Db <= DRIFT
    Wb and Da <= DRIFT Wa then <= DRIFT (Wb + Db): both bounds are at most
    2 * DRIFT * (1 + DRIFT)."""
    moved = np.bincount(holders, weights=steps, minlength=len(posts.slots))
    slots = np.flatnonzero(moved)
    drift = posts.drift[slots] + moved[slots]
    # (less a billionth: the weights are sums of floats, and a floor must stay under)
    floor = (posts.weight_floor[slots] - moved[slots]) * (1 - 1e-9)
    posts.drift[slots] = drift
    posts.weight_floor[slots] = floor
    # (A floor not known, NaN, fails the test: those posts are decided again.)
    return slots[~(drift <= DRIFT * (floor - drift))].tolist()


def _batches(pairs: list[tuple[int, int]], most: int):
    """`pairs` in order, in batches whose posts number at most `most` (a pair's two
    posts always in one batch): (the batch's pairs, its posts) each."""
    batch: list[tuple[int, int]] = []
    posts: set[int] = set()
    for a, b in pairs:
        if batch and len(posts) + (a not in posts) + (b not in posts) > most:
            yield batch, posts
            batch, posts = [], set()
        batch.append((a, b))
        posts.add(a)
        posts.add(b)
    if batch:
        yield batch, posts


def _forget(postings: LayeredPostings, df, docs: _Docs) -> None:
    """Let go of the per-shingle lookups and the posts' texts read so far; what is asked
    again is looked up again. (A post's weight, once found, is kept.)"""
    postings.forget()
    df.forget()
    docs.forget()


def _boilerplate(posts: Posts, gone: list[int], fresh: dict[str, tuple], was: set[int]) -> set[int]:
    """The boilerplate once the posts in slots `gone` are gone and those of `fresh` (id ->
    paragraph_keys) added at the end: what boilerplate_from gives over the live posts in
    slot order, found by deciding again only the short paragraphs that the gone and new
    posts have (no other paragraph's holders changed), unless the threshold moved."""
    count = len(posts) - len(gone) + len(fresh)
    alive = posts.live.copy()
    alive[gone] = False
    if boilerplate_least(count) != boilerplate_least(len(posts)):
        live = np.flatnonzero(alive).tolist()
        return boilerplate_from(posts.paragraph_keys(live) + list(fresh.values()),
                                [posts.slots[s] for s in live] + list(fresh))  # fmt: skip
    asked = {k for s in gone for k in posts.short_keys[s].tolist()}
    asked.update(k for _, short in fresh.values() for k in short)
    if not asked:
        return set(was)
    # The holders of each asked paragraph, live slots in order, then the new posts (in
    # the slots they will take, from `first` on).
    found, slots = posts.short_keys.holding(np.fromiter(asked, dtype=np.uint32, count=len(asked)))
    live = alive[slots]
    holders: dict[int, list[int]] = {k: [] for k in asked}
    for k, s in zip(found[live].tolist(), slots[live].tolist(), strict=True):
        holders[k].append(s)
    first, added = len(posts.slots), list(fresh.values())
    for n, (_, short) in enumerate(added):
        for k in short:
            holders[k].append(first + n)
    long_of: dict[int, set[int]] = {}

    def keys_of(s: int) -> set[int]:
        if s not in long_of:
            long_of[s] = set(added[s - first][0] if s >= first else posts.long_keys[s].tolist())
        return long_of[s]

    ids = list(fresh)

    def rank(s: int) -> tuple[int, str]:
        return holder_rank(ids[s - first] if s >= first else posts.slots[s])

    least = boilerplate_least(count)
    found = set(was) - asked
    found.update(k for k, h in holders.items() if is_boilerplate(k, h, keys_of, least, rank))
    return found


def _holders(posts: Posts, keys: set[int], gone: list[int]) -> list[int]:
    """The live slots, those in `gone` aside, of the posts with a paragraph in `keys`."""
    if not keys:
        return []
    _, slots = posts.long_keys.holding(np.fromiter(keys, dtype=np.uint32, count=len(keys)))
    alive = posts.live.copy()
    alive[gone] = False
    return [s for s in distinct(slots).tolist() if alive[s]]


def _ids(slots: list, pairs: Pairs) -> set[tuple[str, str]]:
    """The pairs as (id, id), in sorted order."""
    return {tuple(sorted((slots[a], slots[b])))
            for a, b in zip(pairs.a.tolist(), pairs.b.tolist(), strict=True)}  # fmt: skip


def _text_counts(postings: Postings | LayeredPostings, posts: Posts):
    """df(h) as find_groups counts it: the different texts (copies count once) that
    hold sampled shingle h. `df.fill(shingles)` counts many at once (sorted, without
    repeats), so that the calls after it are lookups, and gives how many posts hold
    each and the counts."""
    text_key = posts.text_key  # the text of each post, by slot
    memo: dict[int, int] = {}

    def df(h: int) -> int:
        n = memo.get(h)
        if n is None:
            slots = postings.slots(h)
            n = memo[h] = 1 if len(slots) <= 1 else len(set(text_key[slots].tolist()))
        return n

    def fill(shingles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # One entry per (shingle, text) pair of the shingles' postings, counted per
        # shingle: a Python set a shingle was 1.2 s of a one-post update at 100k.
        n = postings.held(shingles)
        counts = np.ones(len(shingles), dtype=np.int64)  # (as df: 1 for none or one)
        many = np.flatnonzero(n > 1)
        # A slice of the shingles at a time, so that their entries stand in memory a few
        # million at once (in a dense cluster each is held by hundreds of posts: the
        # entries of 30,000 posts' shingles took 0.2 GB more at once).
        for start, stop in _parts(n[many], FILL_ENTRIES):
            part = many[start:stop]
            group, slots = postings.entries(shingles[part])
            counts[part] = distinct_counts(group, text_key[slots], len(part))
        memo.update(zip(shingles.tolist(), counts.tolist(), strict=True))
        return n, counts

    df.fill = fill
    df.forget = memo.clear
    return df


def _parts(sizes: np.ndarray, most: int, whole: np.ndarray | None = None):
    """(start, stop) of consecutive slices of `sizes` that sum to at most `most` (an item
    that alone is more, alone), so that what the items stand for is in memory a few
    million at once; with `whole` (sorted, a group per item), a slice ends where the
    group of its last item does."""
    ends = np.cumsum(sizes)
    start = 0
    while start < len(sizes):
        reached = int(ends[start - 1]) if start else 0
        stop = max(int(np.searchsorted(ends, reached + most, "right")), start + 1)
        if whole is not None:
            stop = int(np.searchsorted(whole, whole[stop - 1], "right"))
        yield start, stop
        start = stop


def _weigh(docs: _Docs, slots: set[int], df, also: list[int] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Each light doc's total_weight, from the posts' kept weights where known, else
    vectorized (one weight per distinct shingle, a shingle in at most two posts weighing 1
    whatever its texts, and each post's weights summed with math.fsum, exactly rounded as
    total_weight sums them: the same floats as a whole pass's), and kept. df is filled
    for the shingles of the posts weighed and of `also`; gives those shingles (sorted)
    and their weights."""
    todo = [x for x in slots if docs.light(x).weight is None]
    arrays = {x: docs.shingles(x) for x in todo}  # (each sorted, without repeats)
    asked = list(arrays.values()) + [docs.shingles(x) for x in also]
    if not asked:
        return np.zeros(0, np.uint32), np.zeros(0)
    shingles = distinct(np.concatenate(asked))
    _, texts = df.fill(shingles)  # (the comparisons after ask df of these shingles too)
    weight = shingle_weights(texts)
    for x, arr in arrays.items():
        docs.light(x).weight = math.fsum(weight[np.searchsorted(shingles, arr)].tolist())
        docs.posts.weight[x] = docs.posts.weight_floor[x] = docs.light(x).weight
    return shingles, weight


def _containments(pairs: list[tuple[int, int]], touched: set[int], docs: _Docs,
                  weights: tuple[np.ndarray, np.ndarray]):  # fmt: skip
    """((a, b), weighted_containment) for each of `pairs` (each with a touched post) that
    can reach the 0.1 below which compare() rules a pair out: for each touched post, one
    array step over the shingles of all its partners (its shingles' weights from
    `weights`, what _weigh gave; the totals weighed already), then an exact sum only for
    those that may pass (duplicates.containments_in_row, as a whole pass finds them).
    (weighted_containment one pair at a time was 0.8 s of 57,000 pairs.)"""
    known, table = weights
    by_touched: dict[int, list[tuple[int, int]]] = {}
    for pair in pairs:
        by_touched.setdefault(pair[0] if pair[0] in touched else pair[1], []).append(pair)
    for a, mine_pairs in by_touched.items():
        mine = docs.shingles(a)
        if not len(mine):
            continue
        partners = [q if p == a else p for p, q in mine_pairs]
        arrays = [docs.shingles(b) for b in partners]
        lengths = np.array([len(x) for x in arrays], dtype=np.int64)
        if not lengths.sum():
            continue
        for i, containment in containments_in_row(
            mine, table[np.searchsorted(known, mine)], np.concatenate(arrays), lengths,
            docs.light(a).weight, lambda i, p=partners: docs.light(p[i]).weight,
        ):  # fmt: skip
            yield mine_pairs[i], containment


def _letting_text_go(docs: list[Doc]):
    """`docs`, each one's text let go once the caller has taken what it needs of it: the
    groups are made, and at 100k posts the texts are 250 MB that the rest of a whole
    pass (the working data, the groups' JSON) can use."""
    for doc in docs:
        yield doc
        doc.text = ""


class _Docs:
    """Docs by slot: light ones (what the working data keeps) for the set arithmetic,
    full ones (text from the index) only where a comparison needs the words."""

    def __init__(self, state, posts: Posts, boilerplate: set[int], fresh: dict[str, Doc]):
        self.state, self.posts, self.boilerplate, self.fresh = state, posts, boilerplate, fresh
        self._light: dict[int, Doc] = {}
        self._meta: dict[int, Doc] = {}
        self._full: dict[int, Doc] = {}

    def shingles(self, slot: int) -> np.ndarray:
        return self.posts.sampled[slot]

    def forget(self) -> None:
        """Let go of the texts read (see _forget)."""
        self._full.clear()

    def meta(self, slot: int) -> Doc:
        """What grouping needs of a post (title, date, length…), without its shingles."""
        doc = self._meta.get(slot)
        if doc is None:
            p = self.posts
            # (No source: a group's members are placed where the generation has them
            # when shown, search/duplicate_store.placed.)
            doc = Doc(p.slots[slot], p.titles[slot], p.dates[slot], bool(p.excerpt[slot]),
                      None, "")  # fmt: skip
            doc.length = int(p.length[slot])
            self._meta[slot] = doc
        return doc

    def light(self, slot: int) -> Doc:
        """meta() with the sampled shingles, for the set arithmetic of a comparison."""
        doc = self.meta(slot)
        if slot not in self._light:
            doc.sampled = self.posts.sampled[slot]
            doc.has_shingles = bool(self.posts.has_shingles[slot])
            weight = float(self.posts.weight[slot])
            doc.weight = None if math.isnan(weight) else weight
            self._light[slot] = doc
        return doc

    def full(self, slot: int) -> Doc:
        doc = self._full.get(slot)
        if doc is None:
            article_id = self.posts.slots[slot]
            doc = self.fresh.get(article_id)
            if doc is None:
                # The light doc with its text: what finish() gives, but for the shingles,
                # which are kept (hashing them again was a fifth of reading a post).
                text = content_text(prepare(article_of(self.state, article_id)), self.boilerplate)
                doc = dataclasses.replace(self.light(slot), text=text)
            self._full[slot] = doc
        return doc


def _candidates(touched: set[int], postings: LayeredPostings, docs: _Docs,
                most: int | None = None) -> set[tuple[int, int]]:  # fmt: skip
    """Every candidate pair (as duplicates.candidate_pairs proposes them) with a touched
    post in it, as (smaller slot, larger slot), found in numpy for all the touched posts
    at once: the posts that share two of their shingles held by at most MAX_POSTING
    posts (or one, where either has three or fewer), and the second rule for each post
    that may propose a touched one or be proposed (`_rare_pairs_of`). One post and one
    holder at a time in Python, finding them took 1.9-2.1 s of an edit in a dense
    cluster at 100k, and one touched post at a time 0.7 s (now 0.2 s); the same pairs."""
    pairs: set[tuple[int, int]] = set()
    lengths = docs.posts.sampled.lengths()  # (sampled shingles: sorted, without repeats)
    touched_slots = np.array(sorted(touched), dtype=np.int64)
    arrays = [docs.shingles(int(a)) for a in touched_slots.tolist()]
    flat = np.concatenate(arrays) if arrays else np.zeros(0, np.uint32)
    if len(flat):
        post = np.repeat(touched_slots, [len(a) for a in arrays])
        held = held_each(postings, flat)
        small = (held > 1) & (held <= MAX_POSTING)
        # Each touched post's (shingle, holder) entries for its small shingles, counted
        # per (post, holder): how many such shingles the two share; a part of the posts
        # at a time, so that the entries stand in memory a few million at once.
        for start, stop in _parts(np.where(small, held, 0), FILL_ENTRIES, whole=post):
            part = slice(start, stop)
            pairs.update(_sharing(post[part][small[part]], flat[part][small[part]],
                                  postings, lengths))  # fmt: skip
            _check(pairs, most, touched)
        wide = distinct(flat[(held > MAX_POSTING) & (held <= WIDE_POSTING)])
        neighbours = postings.entries(wide)[1] if len(wide) else np.zeros(0, np.int64)
    else:
        neighbours = np.zeros(0, np.int64)
    # A post proposes the posts that hold two of its rarest shingles: one that holds a
    # touched post's shingle (in at most WIDE_POSTING posts) may propose it.
    pairs.update(_rare_pairs_of(touched_slots, postings, docs))
    _check(pairs, most, touched)
    # (both without repeats: np.setdiff1d would find their distinct values by hashing,
    # see search/int_sets.py)
    others = np.setdiff1d(distinct(neighbours), touched_slots, assume_unique=True)
    posts = docs.posts
    if posts.small is not None:
        small = posts.small[others]
    else:  # (working data of version 9: counted for these, or for all and then kept)
        arrays = [docs.shingles(b) for b in others.tolist()]
        if sum(len(a) for a in arrays) * 4 > len(postings):  # counting all is cheaper
            posts.small = postings.small_counts(len(posts.slots), MAX_POSTING)
            small = posts.small[others]
        else:
            small = small_counts_of(postings, arrays, MAX_POSTING)
    proposers = others[small < RAREST].tolist()
    pairs.update(_rare_pairs_of(np.array(proposers, dtype=np.int64), postings, docs,
                                partners=touched_slots))  # fmt: skip
    _check(pairs, most, touched)
    return pairs


def _check(pairs: set, most: int | None, touched: set[int]) -> None:
    """WholePass once the candidate pairs are over `most` (see PAIRS_PER_POST): found as
    they are counted, so that they never stand in memory many millions at once."""
    if most is not None and len(pairs) > most:
        raise WholePass(f"over {len(pairs):,} pairs of {len(touched):,} posts to decide again "
                        f"({PAIRS_PER_POST} a post or more): a whole pass is quicker")  # fmt: skip


def _count_small(posts: Posts, postings: LayeredPostings, old_sizes: dict[int, int],
                 new_sizes: dict[int, int], added: list[int]) -> None:  # fmt: skip
    """Bring `posts.small` (if known) up to date with `postings`: the added posts' counted,
    and one more or one less for each holder of a shingle whose count of posts (from
    `old_sizes` to `new_sizes`) entered or left 2 to MAX_POSTING."""
    if posts.small is None:
        return
    if added:
        arrays = [posts.sampled[s] for s in added]
        posts.small[added] = small_counts_of(postings, arrays, MAX_POSTING)
    moved = {h: (1 < new_sizes.get(h, 0) <= MAX_POSTING) - (1 < was <= MAX_POSTING)
             for h, was in old_sizes.items()}  # fmt: skip
    moved = {h: d for h, d in moved.items() if d}
    if not moved:
        return
    shingles = np.array(sorted(moved), dtype=np.uint32)
    which, slots = postings.entries(shingles)
    step = np.array([moved[h] for h in shingles.tolist()], dtype=np.int64)[which]
    old = slots < (added[0] if added else len(posts.slots))  # (the added: counted above)
    np.add.at(posts.small, slots[old], step[old])


def _each_holder(shingle: np.ndarray, postings: LayeredPostings) -> tuple[np.ndarray, np.ndarray]:
    """Every live holder of each entry of `shingle` (shingles, repeats allowed): (the
    entry's index, the holder's slot), entry by entry."""
    wanted = distinct(shingle)
    which, holder = postings.entries(wanted)
    by = np.argsort(which, kind="stable")
    which, holder = which[by], holder[by]
    at = np.searchsorted(wanted, shingle)
    lo, hi = np.searchsorted(which, at, "left"), np.searchsorted(which, at, "right")
    sizes = hi - lo
    entry = np.repeat(np.arange(len(shingle)), sizes)
    at = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
    return entry, holder[at]


def _sharing(post: np.ndarray, shingle: np.ndarray, postings: LayeredPostings,
             lengths: np.ndarray) -> set[tuple[int, int]]:  # fmt: skip
    """The pairs (smaller slot, larger) of each post of `post` (a slot per entry, by post)
    with the posts sharing two of its shingles `shingle` (or one, where either post has
    three or fewer sampled shingles)."""
    if not len(post):
        return set()
    entry, b = _each_holder(shingle, postings)
    a = post[entry]
    keep = a != b
    codes, count = np.unique((a[keep] << 32) | b[keep].astype(np.int64), return_counts=True)
    a, b = codes >> 32, codes & 0xFFFFFFFF
    ok = (count >= 2) | (lengths[a] <= 3) | (lengths[b] <= 3)
    return set(zip(np.minimum(a, b)[ok].tolist(), np.maximum(a, b)[ok].tolist(), strict=True))


def _rare_pairs_of(
    slots: np.ndarray, postings, docs: _Docs, partners: np.ndarray | None = None
) -> set[tuple[int, int]]:
    """duplicates.rare_pairs for each post of `slots` at once, in numpy: a post with
    fewer than RAREST sampled shingles in 2 to MAX_POSTING posts is paired with the
    posts that hold two of its RAREST least common shingles in MAX_POSTING+1 to
    WIDE_POSTING posts (ties in order of shingle, as sorting (count, shingle) gives);
    with `partners` (sorted), only pairs with one of them. One post at a time, this was
    1.1-1.4 s for the 5,000 posts that may propose an edited one in a dense cluster at
    100k (two binary searches of the ten million postings for each of their shingles)."""
    if not len(slots):
        return set()
    arrays = [docs.shingles(int(x)) for x in slots.tolist()]
    flat = np.concatenate(arrays)
    if not len(flat):
        return set()
    post = np.repeat(np.arange(len(slots)), [len(a) for a in arrays])
    held = held_each(postings, flat)
    small = np.bincount(post[(held > 1) & (held <= MAX_POSTING)], minlength=len(slots))
    wide = (held > MAX_POSTING) & (held <= WIDE_POSTING) & (small[post] < RAREST)
    post, shingle, count = post[wide], flat[wide], held[wide]
    # Each post's RAREST rarest: by post, then count, then shingle; the first of each post.
    order = np.lexsort((shingle, count, post))
    post, shingle = post[order], shingle[order]
    first = np.searchsorted(post, post, "left")
    rank = np.arange(len(post)) - first
    many = np.bincount(post, minlength=len(slots)) >= 2
    keep = (rank < RAREST) & many[post]
    post, shingle = post[keep], shingle[keep]
    if not len(post):
        return set()
    # Every holder of each chosen shingle, for each post that chose it.
    entry, got = _each_holder(shingle, postings)
    mine = slots[post[entry]]
    keep = got != mine
    if partners is not None:
        keep &= np.isin(got, partners) | np.isin(mine, partners)
    codes = (mine[keep].astype(np.int64) << 32) | got[keep].astype(np.int64)
    codes, times = np.unique(codes, return_counts=True)
    codes = codes[times >= 2]
    a, b = (codes >> 32).tolist(), (codes & 0xFFFFFFFF).tolist()
    return {(x, y) if x < y else (y, x) for x, y in zip(a, b, strict=True)}


def _groups(
    state,
    work: Work,
    docs: _Docs | None = None,
    df=None,
    previous: KeptGroups | None = None,
    moved: set[str] | None = None,
    dropped: set[tuple[str, str]] = frozenset(),
) -> KeptGroups:
    """assemble() over the accepted pairs, by slot; evidence completed where shown. With
    the `previous` groups, only the connected parts of the pair graph (new pairs and
    `dropped` old ones) that hold a `moved` post are assembled again: stars form within
    a connected part, from its posts alone, so the other groups stay as they were."""
    posts, pairs = work.posts, work.pairs
    if docs is None:
        docs = _Docs(state, posts, work.boilerplate, {})
    kept: list[tuple[str, tuple[str, ...]]] = []
    rows = np.arange(len(pairs))
    if previous is not None and moved is not None:
        extra = [(posts.row[a], posts.row[b]) for a, b in dropped if a in posts and b in posts]
        part = _connected(
            [posts.row[i] for i in moved if i in posts], pairs, extra, len(posts.slots)
        )
        # (and `moved` itself: a group whose every member was deleted has no post left
        # to reach it by, and was kept, listing posts that are gone)
        ids = {posts.slots[s] for s in part.tolist()} | moved
        kept = [row for row in previous.rows() if ids.isdisjoint(row[1])]
        inside = np.zeros(len(posts.slots), dtype=bool)
        inside[part] = True
        rows = np.flatnonzero(inside[pairs.a])
    at = {(a, b): r for r, a, b in zip(rows.tolist(), pairs.a[rows].tolist(),
                                       pairs.b[rows].tolist(), strict=True)}  # fmt: skip
    accepted = {key: pairs.scores_of(r) for key, r in at.items()}

    class ByIndex:  # assemble indexes docs by slot
        def __getitem__(self, slot: int) -> Doc:
            return docs.meta(slot)

    if df is None:
        df = _text_counts(work.postings, posts)

    def evidence(a: int, b: int) -> dict:
        key = pair_key(accepted, a, b)
        scores = accepted[key]
        if scores.get("pending"):
            scores = compare(docs.full(key[0]), docs.full(key[1]), df) or scores
            scores.pop("pending", None)
            accepted[key] = scores
            pairs.set_scores(at[key], scores)
        return scores

    return KeptGroups.joined(kept, assemble(ByIndex(), accepted, evidence))


def _connected(
    start: list[int], pairs: Pairs, extra: list[tuple[int, int]], slots: int
) -> np.ndarray:
    """The slots (of `slots`) connected to any of `start` by `pairs` and `extra` pairs,
    found a step at a time with array operations (a Python walk over the 510,000 pairs
    of a 100k collection took 1.5 s)."""
    a = np.concatenate([pairs.a, np.array([p[0] for p in extra], dtype=np.int32)])
    b = np.concatenate([pairs.b, np.array([p[1] for p in extra], dtype=np.int32)])
    seen = np.zeros(slots, dtype=bool)
    frontier = np.array(start, dtype=np.int32)
    seen[frontier] = True
    while len(frontier):
        # One step out from the frontier along every pair, both ways.
        near = np.zeros(len(seen), dtype=bool)
        near[frontier] = True
        reached = np.concatenate([b[near[a]], a[near[b]]])
        frontier = distinct(reached[~seen[reached]])
        seen[frontier] = True
    return np.flatnonzero(seen)


def groups_for(state, manifest: dict[str, str], changes: Changes | None = None) -> dict:
    """The groups of `state`'s generation, kept in it (duplicates.json, stamped with the
    generation's name) with the working data for the next update; {"groups", "seconds",
    "updated": whether an update (not a whole pass) found them, "whole_pass": why not,
    if not}. `changes`: what the indexer changed since the generation before, if it
    says."""
    started = time.perf_counter()
    folder = Path(state.generation.path)
    try:
        result: tuple[KeptGroups, Work] | None = update(state, manifest, read_work(folder),
                                                        changes)  # fmt: skip
        why = None
    except (NoWork, WholePass) as exc:
        result, why = None, str(exc)
    if result is None:
        # A whole pass holds every post's text at once: the old working data (0.5 GB at
        # 100k posts, in memory also as the last saved) is let go first.
        forget_saved_work()
    groups, work = result if result is not None else full_pass(state, manifest)
    work.made_for = folder.name
    save_work(folder, work)
    seconds = round(time.perf_counter() - started, 3)
    save_groups(folder, groups, seconds)
    return {"groups": groups, "seconds": seconds, "updated": result is not None,
            "whole_pass": why}  # fmt: skip
