"""Real-word typos: a word typed for another that is itself a word ("bult" for
"built"), or a slip for a stop word, in a query that finds next to nothing.

Takes the parsed query, the state and how many posts the query found; gives the one
change that makes the most posts hold every word ({"from", "to", "real_word"}), if
it makes enough, or None (`real_word_typo`; the search then matches again).
"""

from __future__ import annotations

import time

from whoosh.collectors import TimeLimit

from indexer.analysis import STOP_WORDS
from search.context_words import exact_docs, holding_all_but
from search.corrections import FAR_FACTOR
from search.english import is_common_english
from search.neighbours import ADJACENT_FIELDS, ADJACENT_LEAST, ADJACENT_SECONDS, beside
from search.phrases import Phrases
from search.query import ParsedQuery, Unit
from search.state import IndexState
from search.typos import neighbours, stop_word_neighbours, swapped_stop_words

# A query of several words that finds at most HANDFUL articles is tried with one word
# changed for a more frequent word one edit away; the change counts when it makes at
# least REAL_WORD_GAIN times as many articles (and at least REAL_WORD_MIN) hold every
# word: made when the query found nothing; when it found a few, those come first
# and the change's articles after them. (Most queries are typed as meant: a change on
# weaker evidence, such as one more article, turned correct queries like "gmt instead"
# or "unsure about" into "get instead" and "ensure about".)
HANDFUL = 2

REAL_WORD_GAIN = 5

REAL_WORD_MIN = 3


def real_word_typo(parsed: ParsedQuery, state: IndexState, found: int,
                   keep: set[str] = frozenset()) -> dict | None:  # fmt: skip
    """Real-word typos ("bult" for "built": a typo that is itself a word) in a query of
    several words that finds `found` <= HANDFUL articles: the one change of a word for
    a neighbour (search/typos.py) that makes the most articles hold every word, if it
    makes enough, as a correction ({"from", "to", "real_word": True}); None if none.
    Words in `keep` (rare words already searched with their near words) stay."""
    units = [u for u in parsed.typed_units if not u.prefix and not u.phrase]
    words = [w for u in units for w in u.words if w not in STOP_WORDS]
    if len(words) < 2:
        return None  # a lone word is what was typed: at most a suggestion (did_you_mean)
    vocab = state.vocabulary
    needed = max(REAL_WORD_MIN, REAL_WORD_GAIN * found)
    best: tuple[int, str, str] | None = None
    if any(w not in vocab.df for w in words):
        # (A word the collection lacks is in no post: a change of another word makes
        # none hold every word.)
        return slip_for_a_stop_word(parsed, state, units, keep)
    has: dict = {}  # (each word's documents, as holding_all_but read them)
    but = holding_all_but(state, words, has)
    for word in set(words):
        if word in keep:
            continue
        others = [w for w in words if w != word]
        if not others:
            continue
        context = but(word)
        if int(context.sum()) < needed:
            continue  # no variant can make enough articles hold every word
        # A stop word is no change (it is not required: "thus garden" as "this garden"
        # drops a word), and a word the query already has adds nothing ("fare farm" is
        # not "farm farm").
        variants = [v for v in neighbours(word, vocab) if v not in STOP_WORDS and v not in words]
        # Where the other words are found with the word as typed, a commoner variant is
        # found with them more often by chance alone, in proportion to how common it
        # is: it must be found with them at least as often for its frequency as the
        # word ("sears restructure", the post about Sears, is no "years restructure":
        # one of Sears's 17 posts, 9 of the 914 with "years"), and a word of English,
        # meant more often than not, REAL_WORD_GAIN times as often ("gold prices in
        # march 1987", one post, was "good prices …", five more; "good" is in 2.5 times
        # as many posts as "gold").
        typed = int((context & has[word]).sum())
        gain = REAL_WORD_GAIN if is_common_english(word) else 1
        for variant in variants[:8]:
            count = int(context[exact_docs(state, variant)].sum())
            chance = gain * typed * vocab.df[variant] / vocab.df[word]
            if count >= chance and (best is None or count > best[0]):
                best = (count, word, variant)
    if best is None or best[0] < needed:
        return slip_for_a_stop_word(parsed, state, units, keep)
    return {"from": best[1], "to": best[2], "real_word": True}


# Phrase lookups slip_for_a_stop_word may make (a word as typed and its variants).
SLIP_LOOKUPS = 8


def slip_for_a_stop_word(parsed: ParsedQuery, state: IndexState, units: list[Unit],
                         keep: set[str] = frozenset()) -> dict | None:  # fmt: skip
    """A word typed for a stop word one edit away ("customers form hell": "from", the
    commonest slip of a phone's keyboard), which real_word_typo leaves (a stop word is
    not required, so as a variant it makes no article hold more words): where no post
    says the word between the words typed beside it and some post says the stop word
    there ("customers from hell"), as a correction ({"from", "to", "real_word": True});
    None if none. (A post that says "one form of payment" keeps "form" in that query.)

    A slip no one writes for a word of English ("teh", "adn", "taht": not common
    English, the stop word FAR_FACTOR times as frequent; a large collection has it in a
    few posts, typos and all) needs the stop word said beside one of the words typed
    next to it, and the word itself beside neither ("teh dollar", the first or last of
    a query: no post says "teh dollar", many "the dollar"; "buy teh dollar"); it may be
    of three letters, two of them swapped."""
    vocab, lookups = state.vocabulary, SLIP_LOOKUPS
    phrases = Phrases(state, time.perf_counter() + ADJACENT_SECONDS)
    best: tuple[int, str, str] | None = None
    for unit in units:
        for i, word in enumerate(unit.words):
            if word in STOP_WORDS or word in keep or word not in vocab.df:
                continue
            variants = stop_word_neighbours(word, vocab)[:3]
            left, right = beside(parsed, unit, i, vocab)
            runs = [[left, word, right]] if left and right else []
            if not is_common_english(word):
                far = FAR_FACTOR * vocab.df[word]
                slips = [v for v in variants or swapped_stop_words(word, vocab)
                         if vocab.df[v] >= far]  # fmt: skip
                if slips:  # (the word beside either neighbour)
                    variants = slips
                    runs = [run for run in ([left, word], [word, right])
                            if None not in run and not set(run) - {word} <= STOP_WORDS]  # fmt: skip
            if not variants or not runs or any(set(r) - {word} <= STOP_WORDS for r in runs):
                continue
            if lookups < len(runs) * (1 + len(variants)):
                return None
            lookups -= len(runs) * (1 + len(variants))
            try:
                if any(phrases.posts(ADJACENT_FIELDS, run) for run in runs):
                    continue  # (said so: meant)
                for variant in variants:
                    count = max(len(phrases.posts(ADJACENT_FIELDS, [variant if w == word else w
                                                                     for w in run]))
                                for run in runs)  # fmt: skip
                    if count >= ADJACENT_LEAST and (best is None or count > best[0]):
                        best = (count, word, variant)
            except TimeLimit:
                return None
    return None if best is None else {"from": best[1], "to": best[2], "real_word": True}
