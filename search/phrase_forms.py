"""A quoted phrase in the forms posts say it: its compounds as they write them
(`"never send an e-mail in anger"` where they say "email", `"check your website"`
where they say "web site"), and, where no post says it, the forms a quotation is
misremembered in (`"write this on the rock"` for "on a rock").

Three steps, each in place on the parsed query, each adding a form beside the phrase
typed only where a post says the form word for word:

* `add_phrase_forms`, for every quoted phrase of two words or more, before the typos
  are corrected: one pair of its words joined as the collection writes them ("e mail":
  "email", "smart phones": "smartphones", "health care": "healthcare"), or one word
  written as the two the posts also write it as ("website": "web site", "online": "on
  line"); and a last word the collection lacks completed ("expl": "exploded", before a
  typo correction makes it "expo"). Gives the typed words a form replaced that the
  collection lacks ("mail" of "e-mail" where posts say only "email"): no typos, not
  to be corrected to another word ("e email").
* `add_gap_forms`, for a quoted phrase with a word typed as "*" (`"write * on a
  rock"`), once the typos are corrected: the phrases the posts say with a word there
  ("write this on a rock"), the commonest in place of the one typed.
* `add_misremembered_forms`, where the phrase and those forms matched nothing (called
  by search/matching.py): one word in the other number ("customers" for "customer"),
  another article, the last word completed, or such changes at several places at once;
  else one little word inside it another ("the force be with the customer": "is").
  The answer then says which phrase it shows; else the phrase's words are searched.

Unquoted words get the same from search/split_words.py and search/run_together.py. A
form counts as the phrase typed (`Unit.joined`: its best match as much as the typed
phrase's best), not as a synonym.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterator

from whoosh.collectors import TimeLimit

from indexer.analysis import STEMS, STOP_WORDS
from search.phrases import Phrases
from search.query import ParsedQuery, Unit, words_of
from search.run_together import (
    MIN_APART_PART,
    SAID_FIELDS,
    SAID_SECONDS,
    said_in,
    segment,
    written_apart,
)
from search.split_words import joined_in
from search.state import IndexState

# Of a phrase's changes, at most this many are each looked up alone (and once all
# together): a pasted paragraph in quotes must not make a lookup for each of its words.
MOST_CHANGES = 8
MOST_COMBINED = 8  # ways to make changes at several places at once, looked up
# A quoted phrase of more words than this is no quotation remembered (a paragraph
# pasted): its misremembered forms are not looked for (here, and search/rerank.py).
LONGEST_REMEMBERED = 12

# The last word of a phrase no post says, of at least LEAST_BEGUN letters, may be the
# beginning of one of the COMPLETIONS most frequent words it begins.
LEAST_BEGUN = 3
COMPLETIONS = 3
# The posts read for the words in a quoted phrase's gaps ("write * on a rock").
GAP_POSTS = 20
# The articles a quotation is remembered with, one for another.
OTHER_ARTICLES = {"a": ("the", "an"), "an": ("the", "a"), "the": ("a", "an")}
# The little words of a quotation, one of which a reader may remember as another ("the
# force be with", "the force is with"): verbs that help, prepositions, pronouns,
# articles and joining words; never a word that says no ("not", "never"), which turns
# a quotation round. In a phrase of SMALL_WORD_PHRASE words or more (see
# _other_small_words).
SMALL_WORDS = (STOP_WORDS | {
    "be", "been", "being", "was", "were", "am", "has", "had", "do", "does", "did",
    "would", "could", "should", "shall", "might", "must", "i", "me", "my", "he", "him",
    "his", "she", "her", "they", "them", "their", "our", "its", "into", "onto", "upon",
    "about", "than", "so", "but", "because", "while", "all", "every", "each", "some",
    "any", "those", "these", "there", "here",
}) - {"not", "no", "never", "nor", "yet", "tbd"}  # fmt: skip
SMALL_WORD_PHRASE = 4
# ... of which at least SMALL_WORD_SAYS are no little words: "the of the of the of"
# says no quotation, and each of its gaps is a lookup of the commonest words (at 100k
# such phrases took twice as long: 600 ms). At most SMALL_WORD_TRIES gaps are looked
# up, within SMALL_WORD_SECONDS.
SMALL_WORD_SAYS = 2
SMALL_WORD_TRIES = 4
SMALL_WORD_SECONDS = 0.05

# (start, end, words): the typed phrase's words[start:end] written as `words`.
Change = tuple[int, int, list[str]]


def add_phrase_forms(parsed: ParsedQuery, state: IndexState) -> set[str]:
    """Add to each quoted phrase's group the forms of it the posts say (see the module
    docstring); give the words of the typed phrases that a form replaced and that the
    collection lacks ("mail" joined to "email", "ema" completed): no typos."""
    vocab = state.vocabulary.df
    said, apart = said_in(state), written_apart(state)
    joined_away: set[str] = set()
    for group in parsed.groups:
        unit = group[0]
        if not quoted_alone(group):
            continue
        try:
            changes = _changes(unit.words, vocab, apart)
        except TimeLimit:
            break
        if unit.words[-1] not in vocab:
            # (A last word the collection lacks: no post says the phrase, and the word
            # may be cut short, "expl", before a typo correction makes it "expo".)
            changes = _completions(unit.words, state.vocabulary) + changes
        tries = [[change] for change in changes[:MOST_CHANGES]]
        for chosen in _add_said(group, tries, said):
            joined_away.update(word for start, end, words in chosen if len(words) == 1
                               for word in unit.words[start:end] if word not in vocab)  # fmt: skip
    return joined_away


def gapped_words(unit: Unit) -> list[str | None] | None:
    """The quoted phrase `unit` with None for each word typed as "*" in it ("write * on
    a rock": write, None, on, a, rock), its words the unit's (corrected, "writ * on a
    rok": write, None, on, a, rock); None when it has no such gap between two words, or
    when its words are more (a form put in its place)."""
    text = unit.original
    if not (text.startswith('"') and "*" in text) or unit.fields:
        return None
    slots: list[bool] = []  # per word typed: whether it is a gap
    for token in text.strip('"').split():
        slots.extend([True] if token.strip("*") == "" else [False] * len(words_of(token)))
    while slots and slots[0]:  # (an open end constrains nothing)
        slots.pop(0)
    while slots and slots[-1]:
        slots.pop()
    if True not in slots or slots.count(False) != len(unit.words):
        return None
    words = iter(unit.words)
    return [None if gap else next(words) for gap in slots]


def _filled(words: list[str], gapped: list[str | None]) -> Iterator[tuple[str, ...]]:
    """Each run of `words` that `gapped` matches, a gap matching any one word."""
    n = len(gapped)
    for i in range(len(words) - n + 1):
        run = words[i : i + n]
        if all(g is None or g == w for g, w in zip(gapped, run, strict=True)):
            yield tuple(run)


def _said_with_gap(state: IndexState, phrases: Phrases,
                   gapped: list[str | None]) -> Counter[tuple[str, ...]]:  # fmt: skip
    """The runs of words the posts say that `gapped` matches, a gap any one word, each
    counted, read from the first GAP_POSTS posts that say one (raises TimeLimit past
    `phrases`' time)."""
    said: Counter[tuple[str, ...]] = Counter()
    for docnum in sorted(phrases.posts(SAID_FIELDS, gapped))[:GAP_POSTS]:
        stored = state.stored_fields(docnum, placed=False)
        for name in ("title", "body"):
            said.update(_filled(words_of(stored.get(name) or ""), gapped))
    return said


def add_gap_forms(parsed: ParsedQuery, state: IndexState) -> None:
    """A quoted phrase with a word typed as "*" ("write * on a rock"), searched as the
    phrases the posts say with a word there ("write this on a rock"): the one most of
    them say in place of the phrase typed, the others beside it (at most MOST_CHANGES,
    read from the first GAP_POSTS posts that say one, lookups within SAID_SECONDS).
    Where no post says one, the phrase is left as typed, and matched as its words."""
    for group in parsed.groups:
        unit = group[0]
        gapped = gapped_words(unit) if quoted_alone(group) else None
        if gapped is None:
            continue
        phrases = Phrases(state, time.perf_counter() + SAID_SECONDS)
        try:
            said = _said_with_gap(state, phrases, gapped)
        except TimeLimit:
            continue
        forms = [list(form) for form, _ in said.most_common(MOST_CHANGES)]
        if not forms:
            continue
        unit.words = forms[0]
        group.extend(unit.form(form) for form in forms[1:])


def add_misremembered_forms(parsed: ParsedQuery, state: IndexState,
                            deadline: float) -> dict[str, list[str]]:  # fmt: skip
    """Where no post says a quoted phrase (nor its compounds written the other way):
    add to its group the forms of it the posts say with one of its words in the other
    number ("customers" for "customer"), another article ("on the rock" for "on a
    rock"), its last word completed ("expl": "explosion"), or such changes at several
    places at once: a quotation misremembered, or still being typed; of at most
    LONGEST_REMEMBERED words (not a pasted paragraph), the lookups stopped at
    `deadline`. Gives {the phrase: the forms added} ({}: none)."""
    vocab, said = state.vocabulary.df, said_in(state, deadline=deadline)
    added: dict[str, list[str]] = {}
    for group in parsed.groups:
        unit = group[0]
        if (
            not quoted_alone(group)
            or len(unit.words) > LONGEST_REMEMBERED
            or gapped_words(unit) is not None
        ):  # (a gap no post fills: not misremembered)
            continue  # fmt: skip
        changes = _completions(unit.words, state.vocabulary) + _other_words(unit.words, vocab)
        changes = changes[:MOST_CHANGES]
        for chosen in _add_said(group, [[c] for c in changes] + _combined(changes), said):
            form = " ".join(_applied(unit.words, chosen))
            added.setdefault(" ".join(unit.words), []).append(form)
        if " ".join(unit.words) not in added:
            for form in _other_small_words(unit.words, state, deadline):
                group.append(unit.form(form))
                added.setdefault(" ".join(unit.words), []).append(" ".join(form))
    return added


def _other_small_words(words: list[str], state: IndexState, deadline: float) -> list[list[str]]:
    """The phrases the posts say with another of SMALL_WORDS in place of one of `words`
    inside it ("force be with the customer": "force is with the customer"), the
    commonest first (at most MOST_CHANGES; read from the first GAP_POSTS posts that say
    one; no lookups past `deadline`, nor past SMALL_WORD_SECONDS): a quotation's little
    word is what a reader misremembers, its words that say something they keep. Of at
    least SMALL_WORD_PHRASE words, SMALL_WORD_SAYS of them no little word, so that the
    others still say which quotation it is."""
    said = [w for w in words if w not in SMALL_WORDS]
    if len(words) < SMALL_WORD_PHRASE or len(said) < SMALL_WORD_SAYS:
        return []
    deadline = min(deadline, time.perf_counter() + SMALL_WORD_SECONDS)
    phrases, found = Phrases(state, deadline), Counter()
    gaps = [i for i in range(1, len(words) - 1) if words[i] in SMALL_WORDS]
    for i in gaps[:SMALL_WORD_TRIES]:  # (a word at an end is no gap: it is left out)
        gapped: list[str | None] = [*words[:i], None, *words[i + 1 :]]
        try:
            said = _said_with_gap(state, phrases, gapped)
        except TimeLimit:
            break
        found.update({run: n for run, n in said.items()
                      if run[i] in SMALL_WORDS and run[i] != words[i]})  # fmt: skip
    return [list(form) for form, _ in found.most_common(MOST_CHANGES)]


def _add_said(group: list[Unit], tries: list[list[Change]],
              said: Callable[[list[str]], bool]) -> list[list[Change]]:  # fmt: skip
    """Add to `group` the phrase its first unit is, made with each of `tries` (changes
    made together), where a post says it word for word and the group has it not yet;
    give the tries added."""
    unit, seen, added = group[0], [u.words for u in group], []
    for chosen in tries:
        form = _applied(unit.words, chosen)
        if form in seen or not said(form):
            continue
        seen.append(form)
        group.append(unit.form(form))
        added.append(chosen)
    return added


def quoted_alone(group: list[Unit]) -> bool:
    """A quoted phrase of several words alone in its group, or with the forms posts
    write it in (`add_phrase_forms`)."""
    unit = group[0]
    return (unit.phrase and len(unit.words) > 1 and not unit.synonym and not unit.prefix
            and unit.original.startswith('"')
            and all(u.phrase and u.joined for u in group[1:]))  # fmt: skip


def _changes(words: list[str], vocab, apart: Callable) -> list[Change]:
    """The ways to write one pair of `words` as one word of the collection, or one of
    `words` as two (raises TimeLimit past written_apart's time)."""
    changes: list[Change] = []
    for i in range(len(words) - 1):
        # (its second part a word, not a letter left over: "to t" is no "tot")
        joined = len(words[i + 1]) >= MIN_APART_PART and joined_in(words[i : i + 2], vocab)
        if joined:
            changes.append((i, i + 2, [joined]))
    for i, word in enumerate(words):
        if word in vocab:
            found = apart(word)
            if found:
                first, lasts = found
                changes += [(i, i + 1, [first, last]) for last in lasts]
        elif word.isalpha():
            parts = segment(word, vocab)
            if parts and len(parts) == 2:
                changes.append((i, i + 1, parts))
    return changes


def _other_words(words: list[str], vocab) -> list[Change]:
    """One of `words` in the other number, or another article for an article ("write
    this on the rock" for "write this on a rock")."""
    changes: list[Change] = []
    for i, word in enumerate(words):
        changes += [(i, i + 1, [form]) for form in other_numbers(word, vocab)]
        changes += [(i, i + 1, [other]) for other in OTHER_ARTICLES.get(word, ())]
    return changes


def _completions(words: list[str], vocabulary) -> list[Change]:
    """The phrase's last word, of LEAST_BEGUN letters or more, read as the beginning of
    the COMPLETIONS most frequent longer words of the collection it begins: a phrase
    still being typed on a phone, or its last word half remembered ('"from a bomb that
    expl"'). Asked only where no post says the phrase as typed."""
    last = words[-1]
    if len(last) < LEAST_BEGUN or not last.isalpha() or len(words) < 2:
        return []
    begun, _ = vocabulary.with_prefix(last, COMPLETIONS + 1)
    n = len(words)
    return [(n - 1, n, [word]) for word in begun if word != last][:COMPLETIONS]


def other_numbers(word: str, vocab) -> list[str]:
    """The words of the collection that are `word` in the other number, by the endings
    of English plurals ("customer": "customers"; "stories": "story"; "boxes": "box") and
    of the same stem: a phrase is matched word for word as written, and a quotation is
    often remembered with a plural for a singular."""
    if len(word) < 3 or not word.isalpha() or word in STOP_WORDS:
        return []
    forms = {word + "s", word + "es"}
    if word.endswith("s"):
        forms |= {word[:-1], word[:-2] if word.endswith("es") else ""}
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    stem = STEMS[word]
    return sorted(f for f in forms if f in vocab and f != word and STEMS[f] == stem)


def _combined(changes: list[Change]) -> list[list[Change]]:
    """Ways to make changes at several places at once ("never send the angry emails":
    "an", and "email"): of the places `changes` touch, in order, those apart from the
    places before; at each, one of its changes; at most MOST_COMBINED ways."""
    places: dict[tuple[int, int], list[Change]] = {}
    taken: set[int] = set()
    for change in changes:
        start, end, _ = change
        if (start, end) in places:
            places[(start, end)].append(change)
        elif taken.isdisjoint(range(start, end)):
            places[(start, end)] = [change]
            taken.update(range(start, end))
    if len(places) < 2:
        return []
    return [list(ways) for ways in itertools.islice(itertools.product(*places.values()),
                                                    MOST_COMBINED)]  # fmt: skip


def _applied(words: list[str], changes: list[Change]) -> list[str]:
    """`words` with `changes` (touching no word twice) made."""
    out, at = [], 0
    for start, end, replacement in sorted(changes, key=lambda c: c[0]):
        out += words[at:start] + replacement
        at = end
    return out + words[at:]
