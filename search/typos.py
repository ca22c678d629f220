"""Typo tolerance: a word the collection does not have, corrected towards one it has.

Takes a normalized word and the index vocabulary (`correct`); gives the correction or
None. The rules follow Meilisearch and Typesense: words of 4 to 8 letters may carry one
typo (Typesense allows one from 4 letters), words of 9 or more two; a transposition
("custmoer") counts as one (optimal string alignment distance), and, as in Meilisearch,
a typo in the first letter counts as two (so a 4-letter word's typo is never there),
except the first two letters swapped ("poec" for "opec"), one slip that keeps the
word's letters. A word that occurs in the collection is never corrected; one that is
only another form of a word it has ("clients" where the posts say "client") is changed
to it but not reported as a correction (search/corrections.py). Beyond those rules, a
typo in the first letter of a 4- to 8-letter word, and one slip of the fingers in a
3-letter word, are corrected only where the query's other words vouch for the
correction (`first_letter_candidates`).

Among candidates (`candidates`), the nearest wins; at the same distance, the likeliest:
the most frequent, its frequency counted SLIP_ODDS times where a slip of the fingers
explains the typo (`is_slip`: a neighbouring key, a letter doubled or dropped, two
letters swapped), so "onte" is "note", two letters swapped, before "one" with a stray
"t", but "tutal" is "total", not a misspelling one post has ("tital"). In a query of
several words (`choose`), a candidate that occurs in documents with the query's other
words wins over one that does not ("foors royster" is "floors", not "foods", when only
floors appear beside oysters), and the correction says what it was chosen over.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from indexer.analysis import STEMS, STOP_WORDS
from search.english import is_common_english
from search.state import Vocabulary

ONE_TYPO_FROM = 4
TWO_TYPOS_FROM = 9
# A word one letter shorter gets its second typo only where one finds nothing, not in
# the first letter either: "costumer" (its "o" and "u" swapped apart) is "customer".
# Algolia allows two from eight letters everywhere; here that searched second-edit
# words beside one-edit corrections ("exorters": "exporters", and "exorted" too) and
# took six targets of the known-item tuning seeds' 6,000 queries down, none up.
TWO_TYPOS_WHEN_NONE_FROM = 8


def allowed_typos(word: str) -> int:
    if len(word) >= TWO_TYPOS_FROM:
        return 2
    return 1 if len(word) >= ONE_TYPO_FROM else 0


def known_by_stem(word: str, vocab: Vocabulary) -> bool:
    """Whether `word`, which the collection does not have as typed, is a form of a word
    it has: its stem is the stem of one of the collection's words ("community" where
    the posts only say "communities"). The stemmed fields match such a word, so it is
    not taken for words typed without their spaces (search/run_together.py)."""
    stems = vocab.stem_set
    return stems is not None and STEMS[word] in stems


def correct(word: str, vocab: Vocabulary) -> str | None:
    """The collection's word nearest to `word`, if `word` is not in it and one is near."""
    if word in vocab.df:
        return None
    return nearest(word, vocab, min_df=1)


# A word in at most SUGGEST_RARE posts, no word of English, is offered a near word
# `gain` times as frequent ("did you mean"), the results left as they are: the posts'
# own misspellings ("enviroment" in two posts of 10,000, "environment" in 80), as
# Lucene's spell checker suggests only more popular words ("suggest_mode": "popular").
SUGGEST_RARE = 5
SUGGEST_GAIN = 10


def suggest(word: str, vocab: Vocabulary, most: int = 2, gain: int = SUGGEST_GAIN) -> str | None:
    """For a rare word the collection has: a near word at least `gain` times as
    frequent, at most `most` edits away; none for a word of English ("swam" is no typo
    of "spam")."""
    df = vocab.df.get(word, 0)
    if not df or df > SUGGEST_RARE or is_common_english(word):
        return None
    return nearest(word, vocab, min_df=gain * df, most=most)


def commoner_spelling(typed: str, fixed: str, vocab: Vocabulary) -> str | None:
    """For a correction of `typed` to `fixed`, a word a few posts have and no word of
    English (a misspelling the posts share: "tommorrow", one edit from "tommorow"): a
    word one edit from it, at least SUGGEST_GAIN times as frequent, and at most two from
    what was typed ("tomorrow", in 189 posts of the 10k corpus to its 2), as `suggest`
    offers for such a word typed; or None."""
    df = vocab.df.get(fixed, 0)
    if not df or df > SUGGEST_RARE or is_common_english(fixed):
        return None
    for found, _ in candidates(fixed, vocab, min_df=SUGGEST_GAIN * df, most=1):
        if found != typed and OSA.distance(typed, found) <= 2:
            return found
    return None


def nearest(word: str, vocab: Vocabulary, min_df: int, most: int = 2) -> str | None:
    found = candidates(word, vocab, min_df, most)
    return found[0][0] if found else None


def two_edit_candidates(word: str, vocab: Vocabulary) -> list[tuple[str, int]]:
    """(word, 2) for the collection's words two edits from `word`, a word one letter
    shorter than TWO_TYPOS_WHEN_NONE_FROM, its first letter kept, the likeliest first;
    none for other lengths. Such a word is corrected only one edit away: two reach too
    many words ("bitcoin": "bitcom", "selfies": "series"). Of 750 typos of two edits
    made in seven-letter words of the 10k corpus, none with a word one edit away, the
    likeliest was the word typed for 532 (71%): a correction where the query's other
    words vouch for it ("cryslar earnings": "chrysler"), an offer where the word finds
    nothing alone ("did you mean chrysler"), never a change unasked."""
    if len(word) != TWO_TYPOS_WHEN_NONE_FROM - 1 or not word.isalpha():
        return []
    found = {c for c, _ in same_head(word, vocab, 2) if c != word}
    return [(c, 2) for c in sorted(found, key=lambda c: (-likelihood(word, c, vocab), c))]


def candidates(word: str, vocab: Vocabulary, min_df: int = 1,
               most: int = 2) -> list[tuple[str, int]]:  # fmt: skip
    """(word, distance) of the collection's words within `word`'s allowed typos (and
    at most `most`), the nearest first, then the most frequent."""
    k = min(allowed_typos(word), most)
    if k == 0 or not word.isalpha():
        return []
    found = same_head(word, vocab, k)
    swapped = word[1] + word[0] + word[2:]
    if swapped in vocab.df:
        # The first two letters swapped is one slip that keeps the word's letters: one
        # typo, unlike another first letter (which counts two).
        found.append((swapped, 1))
    if k == 2:
        # Another first letter is two typos, so only one edit, at the start, is left.
        found += [(c, 1) for c in other_head(word, vocab)]
    elif not found and most >= 2 and len(word) >= TWO_TYPOS_WHEN_NONE_FROM:
        # (Nor one in the first letter, which the query's other words may vouch for:
        # "ifferent" is "different", not "inherent".)
        found = [] if other_head(word, vocab) else same_head(word, vocab, 2)
    best: dict[str, int] = {}
    for candidate, distance in found:
        if candidate != word and vocab.df[candidate] >= min_df:
            best[candidate] = min(distance, best.get(candidate, distance))
    # A word the typed one is a form of ("hells": "hell") is no typo at all: it comes
    # first at its distance, before slips ("helps"). Then the likeliest: how common the
    # word is, times SLIP_ODDS where a slip of the fingers explains the typo.
    stem = STEMS[word]
    return sorted(
        best.items(), key=lambda cd: (cd[1], cd[0] != stem, -likelihood(word, cd[0], vocab), cd[0])
    )


def near_forms(word: str, vocab: Vocabulary) -> list[tuple[str, int]]:
    """(word, distance) of the collection's words whose stem is within `word`'s allowed
    typos, with its first letter, the commonest form of each stem; words of English
    first (the posts' own misspellings, "dissappointing", after), then the nearest: for
    a typo of a word the posts say only in other forms ("dissapoint": the posts say
    "disappointed" and "disappointing", never "disappoint"), where `candidates` finds no
    word. Empty if the stems are not kept (search/segment_data.py)."""
    k, stems = allowed_typos(word), vocab.stems
    if not k or stems is None or not word.isalpha():
        return []
    best: dict[str, tuple[str, int]] = {}
    # (A stem is up to four letters shorter than its word: "disappoint+ing".)
    for found, distance in same_head(word, vocab, k, lambda w: stems.get(w, w), longer=4):
        stem = stems.get(found, found)
        if stem not in best or vocab.df[found] > vocab.df[best[stem][0]]:
            best[stem] = (found, distance)
    return sorted(
        best.values(),
        key=lambda fd: (not is_common_english(fd[0]), fd[1], -vocab.df[fd[0]], fd[0]),
    )


# How much likelier a typo is where a slip of the fingers explains it (a neighbouring
# key, a letter doubled or dropped, two letters swapped) than another edit: a noisy
# channel's odds (Kernighan, Church and Gale, 1990), not a rule that a slip always
# wins. Where it was a rule, "tutal" became "tital", a misspelling one post of the 10k
# corpus has ("i" is beside "u"), not "total", in 820 (the "o" is two keys away).
# Readers type on phones, where most wrong letters are a neighbouring key: at four in
# five, a given neighbour (of about five) is 20-40 times likelier than a given other
# letter (of about twenty).
SLIP_ODDS = 25


def likelihood(typed: str, meant: str, vocab: Vocabulary) -> int:
    """How likely `meant` is what was meant by `typed`, up to a constant: its document
    frequency, times SLIP_ODDS where one slip of the fingers explains the typo."""
    return vocab.df[meant] * (SLIP_ODDS if is_slip(typed, meant) else 1)


# The letter keys as they sit on a QWERTY keyboard, phones' included: each row starts
# a little to the right of the one above, so a key touches two keys above it (the same
# column and the next) and two below (the previous column and the same).
KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _key_neighbours() -> dict[str, str]:
    near: dict[str, str] = {}
    for r, row in enumerate(KEY_ROWS):
        for c, key in enumerate(row):
            found = row[max(c - 1, 0) : c] + row[c + 1 : c + 2]
            if r > 0:
                found += KEY_ROWS[r - 1][c : c + 2]
            if r + 1 < len(KEY_ROWS):
                found += KEY_ROWS[r + 1][max(c - 1, 0) : c + 1]
            near[key] = found
    return near


KEY_NEIGHBOURS = _key_neighbours()


def is_slip(typed: str, meant: str) -> bool:
    """Whether one slip of the fingers turns `meant` into `typed`: a neighbouring key
    pressed instead, two letters swapped, a letter dropped, or one added beside a
    letter it doubles or neighbours on the keyboard. Noisy-channel spelling correctors
    (Kernighan, Church and Gale, 1990) weigh each edit by how likely it is; this is the
    simplest such model, a yes or no that orders candidates at the same distance.
    Pairs that are not one edit apart are not judged (True)."""
    if len(typed) == len(meant):
        diff = [i for i in range(len(typed)) if typed[i] != meant[i]]
        if len(diff) == 1:
            i = diff[0]
            return typed[i] in KEY_NEIGHBOURS.get(meant[i], "")
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            i = diff[0]
            return typed[i] == meant[i + 1] and typed[i + 1] == meant[i]
        return True
    if len(typed) == len(meant) + 1:
        one_edit = False
        for i in range(len(typed)):
            if typed[:i] + typed[i + 1 :] != meant:
                continue
            one_edit = True
            extra, beside = typed[i], typed[max(i - 1, 0) : i] + typed[i + 1 : i + 2]
            if any(extra == b or extra in KEY_NEIGHBOURS.get(b, "") for b in beside):
                return True
        return not one_edit
    # (One letter fewer: a letter dropped, or no one edit. "cryslar" for "chrysler", two
    # edits, had been judged no slip, where "crystal", two edits, was not judged: the
    # rarer word won.)
    return True


def neighbours(word: str, vocab: Vocabulary) -> list[str]:
    """Words of the collection one edit from `word` (a word it has), more frequent than
    it: what a real-word typo ("bult" for "built") may be. The edit may be in the first
    letter for a word of 5 letters or more ("lpackage" for "package"): the caller
    changes a word only on strong evidence from the query's other words."""
    if len(word) < ONE_TYPO_FROM or not word.isalpha():
        return []
    df = vocab.df.get(word, 0)
    found = [c for c, _ in same_head(word, vocab, 1)]
    if len(word) >= FIRST_LETTER_FROM:
        found += other_head(word, vocab)
    return commonest_first({c for c in found if c != word and vocab.df[c] > df}, vocab)


def commonest_first(words, vocab: Vocabulary) -> list[str]:
    """`words` (of the collection), the most frequent first, then in order."""
    return sorted(words, key=lambda c: (-vocab.df[c], c))


def stop_word_neighbours(word: str, vocab: Vocabulary) -> list[str]:
    """The stop words of `neighbours(word, vocab)`, in its order: the few stop words of a
    length near `word`'s compared with it, not the collection's words of those lengths
    scanned (a query that finds next to nothing asks this of each of its words:
    search/real_words.py `slip_for_a_stop_word`)."""
    if len(word) < ONE_TYPO_FROM or not word.isalpha():
        return []
    df = vocab.df.get(word, 0)
    first_letter = len(word) >= FIRST_LETTER_FROM
    found = [s for s in _STOP_WORDS_NEAR.get(len(word), ())
             if (first_letter or s[0] == word[0]) and vocab.df.get(s, 0) > df
             and s != word and OSA.distance(word, s) <= 1]  # fmt: skip
    return commonest_first(found, vocab)


def swapped_stop_words(word: str, vocab: Vocabulary) -> list[str]:
    """The stop words `word` is with two letters side by side swapped ("teh" for "the",
    "adn" for "and"), more frequent than it: the one slip allowed a word of three
    letters, too short for one edit anywhere ("tea" is no slip of "the")."""
    df = vocab.df.get(word, 0)
    found = {s for s in _STOP_WORDS_NEAR.get(len(word), ())
             if len(s) == len(word) and s != word and sorted(s) == sorted(word)
             and OSA.distance(word, s) == 1 and vocab.df.get(s, 0) > df}  # fmt: skip
    return commonest_first(found, vocab)


# length -> the stop words one letter shorter, as long, or one letter longer
_STOP_WORDS_NEAR = {
    length: [s for s in sorted(STOP_WORDS) if abs(len(s) - length) <= 1]
    for length in range(max(map(len, STOP_WORDS)) + 2)
}


# A real-word typo may be in the first letter from this length (see `neighbours`).
FIRST_LETTER_FROM = 5
# A typo in the first letter of a word of 4 to 8 letters is beyond its one allowed typo
# (it counts as two); such a correction is made only where the query's other words
# vouch for it (see `choose`). From 4 letters: "ipec production" is "opec production".
# (The first two letters swapped, "poec", is one typo: see `candidates`.)
VOUCHED_FIRST_LETTER_FROM = 4


# A 3-letter word that is not in the collection may be one edit from a word that is,
# anywhere in it, taken only where the query's other words vouch for it (see `choose`):
# "yar peabody" is "year peabody". (Elasticsearch's AUTO fuzziness allows one edit from 3
# letters; Typesense and Meilisearch none below 4 and 5.)
VOUCHED_FROM = 3


def first_letter_candidates(word: str, vocab: Vocabulary) -> list[tuple[str, int]]:
    """(word, 2) for the collection's words one edit from `word` in its first letter,
    most frequent first; none where `candidates` already allows such an edit. For a
    word of VOUCHED_FROM letters, too short for `candidates`, every word one slip away
    (`is_slip`)."""
    if not (VOUCHED_FROM <= len(word) < TWO_TYPOS_FROM) or not word.isalpha():
        return []
    if len(word) < VOUCHED_FIRST_LETTER_FROM:
        # Only a slip of the fingers: a word of three letters is one edit from dozens of
        # words, and the others vouch for many ("small biz" is not "small big").
        found = set(other_head(word, vocab)) | {c for c, _ in same_head(word, vocab, 1)}
        found = {c for c in found if c != word and is_slip(word, c)}
    else:
        found = other_head(word, vocab)
    return [(c, 2) for c in sorted(found, key=lambda c: (not is_slip(word, c), -vocab.df[c], c))]


# How many candidates are asked for their documents with the other words, at most: each
# asks the index for a posting list.
CONTEXT_CANDIDATES = 6


# Other candidates found with the query's other words are searched too, at a synonym's
# weight (see `choose`): at most this many for a word.
MAX_ALSO = 2


def choose(
    options: list[tuple[str, int]],
    together: Callable[[str], int],
    vouched: list[tuple[str, int]] = (),
) -> tuple[str | None, list[str], list[str]]:
    """The correction among `options` (as `candidates` orders them), the ones it was
    chosen over, and the ones also searched: the first that `together` (documents
    holding the candidate and the query's other words) finds in any document, else the
    first; then up to MAX_ALSO later ones that `together` finds too ("makr package" is
    "make package", and "mark package" is searched as well: a search engine matches
    every near word, as Typesense and Meilisearch do, and ranks the likeliest first;
    never a word of two letters).
    `vouched` candidates (first-letter typos) come after the options and are taken
    only if found together."""
    first = (options[0][0] if options else None), [], []
    ranked = [*options[:CONTEXT_CANDIDATES], *vouched[:CONTEXT_CANDIDATES]]
    first_at = {}
    for n, (w, _) in enumerate(ranked):
        first_at.setdefault(w, n)
    ranked = [wd for n, wd in enumerate(ranked) if first_at[wd[0]] == n]  # each word once
    if len(ranked) < 2 and not vouched:
        return first
    for n, (word, _) in enumerate(ranked):
        if together(word) > 0:
            also = []
            for other, _ in ranked[n + 1 :]:
                if len(also) == MAX_ALSO:
                    break
                # Never a word of two letters beside the correction ("he" for "hel"): in
                # most posts, it would make the word typed optional.
                if len(other) > 2 and together(other) > 0:
                    also.append(other)
            return word, [w for w, _ in ranked[:n]], also
    return first


def near_prefixes(prefix: str, vocab: Vocabulary, limit: int = 3) -> list[str]:
    """Beginnings of the collection's words one edit from `prefix` (a word still being
    typed, 4 letters or more; the first letter kept), those of the commonest words
    first: "custm" is on its way to "custom", as "custo" would be. For suggestions:
    each edit of the prefix is looked up in the sorted vocabulary (a few hundred
    bisections, not a scan of every word)."""
    if len(prefix) < ONE_TYPO_FROM or not prefix.isalpha():
        return []
    letters = "abcdefghijklmnopqrstuvwxyz"
    head, rest = prefix[0], prefix[1:]
    edits = {head + rest[:i] + rest[i + 1 :] for i in range(len(rest))}  # a letter dropped
    edits |= {head + rest[:i] + rest[i + 1] + rest[i] + rest[i + 2 :]
              for i in range(len(rest) - 1)}  # two swapped  # fmt: skip
    for i in range(len(rest) + 1):
        edits |= {head + rest[:i] + c + rest[i:] for c in letters}  # one added
        if i < len(rest):
            edits |= {head + rest[:i] + c + rest[i + 1 :] for c in letters}  # one changed
    edits.discard(prefix)
    words, df = vocab.words, vocab.df
    best: dict[str, int] = {}
    for begin in edits:
        at = bisect.bisect_left(words, begin)
        # The commonest of the first few words with this beginning stands for it.
        for word in words[at : at + 20]:
            if not word.startswith(begin):
                break
            best[begin] = max(best.get(begin, 0), df[word])
    return sorted(best, key=lambda b: (-best[b], b))[:limit]


def same_head(word: str, vocab: Vocabulary, k: int, processor: Callable[[str], str] | None = None,
              longer: int = 0) -> list[tuple[str, int]]:  # fmt: skip
    """(word, distance) of the collection's words with `word`'s first letter, at most k
    edits away: each length's bucket scanned by rapidfuzz. Every one within reach: the
    buckets are in alphabetical order, so a cut at the first few ties left out common
    words ("banl" lost "bank" to "ban", "band", "bang"... before frequency was asked).
    With `processor`, what it makes of each word (and of `word`) is compared, in words
    up to `longer` letters longer than the edits reach (near_forms: their stems)."""
    found: list[tuple[str, int]] = []
    for length in range(len(word) - k, len(word) + k + longer + 1):
        bucket = vocab.by_head.get((word[0], length), [])
        found += [(c, d) for c, d, _ in process.extract(
            word, bucket, scorer=OSA.distance, processor=processor, score_cutoff=k,
            limit=None)]  # fmt: skip
    return found


def other_head(word: str, vocab: Vocabulary) -> list[str]:
    """The collection's words one edit from `word` in its first letter: a handful of
    lookups instead of a scan of every word of those lengths."""
    return [c for c in first_letter_edits(word, vocab.heads) if c in vocab.df]


def first_letter_edits(word: str, heads: set[str]) -> set[str]:
    """Words one edit from `word` that start with another letter (from `heads`)."""
    edits = {word[1:], word[1] + word[0] + word[2:]}
    edits.update(h + word[1:] for h in heads)  # a substitution
    edits.update(h + word for h in heads)  # an insertion
    return {e for e in edits if e and e[0] != word[0]}
