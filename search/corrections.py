"""Words of a query corrected in context: which near word, given the query's others.

Takes a parsed query and the state (`fix_typos`, `complete_partial`); changes the
query's words in place and gives the corrections made ({"from", "to"} and, where the
context decided, "over", "also", "rare"), which the results report. search/typos.py
finds the near words of a word; this module chooses among them by what the collection
holds beside the query's other words (search/context_words.py) and beside its
neighbours (search/neighbours.py), reads a word cut short as the word it begins
(search/completion.py finds those), and widens a word that only a few posts have.
Real-word typos are search/real_words.py's; words typed apart that the posts write as
one, search/split_words.py's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np

from indexer.analysis import STOP_WORDS, without_accents
from indexer.word_forms import stemmer_form
from search.completion import KNOWN_GAIN, complete, last_word, starting_with
from search.context_words import (
    RARE,
    context_docs,
    count_in,
    counting,
    holding_all,
    together_in,
    vouchers,
    vouching,
)
from search.derivations import bases
from search.english import is_common_english
from search.neighbours import ADJACENT_LOOKUPS, beside, by_neighbours
from search.query import ParsedQuery, Unit
from search.scoring import QUESTION_WORDS, stem
from search.split_words import parts_of_words
from search.state import IndexState
from search.synonyms import SYNONYM_WEIGHT
from search.typos import (
    CONTEXT_CANDIDATES,
    MAX_ALSO,
    ONE_TYPO_FROM,
    allowed_typos,
    candidates,
    choose,
    commoner_spelling,
    first_letter_candidates,
    is_slip,
    known_by_stem,
    near_forms,
    two_edit_candidates,
)


def fix_typos(
    parsed: ParsedQuery, state: IndexState, protected: set[str] = frozenset()
) -> list[dict]:
    """Correct each word the collection does not have (search/typos.py), choosing among
    near words the one found beside the query's other words; [{"from", "to"} and, when
    the context decided, "over": the nearer or more frequent words passed over]. Words
    in `protected` (those a synonym rule names) are never changed. A word that only the
    query's other words can correct (3 letters, or a typo in the first letter) and that
    has none to vouch for it yet is tried again once the others are corrected: in
    "custmer from hel" only "customer" can vouch for "hell". A word may also be read as
    the beginning of a longer one, cut short or still being typed (search/completion.py:
    "cust service"), and a last word the collection has widened with the words it
    begins (`complete_known`). Words of categories and tags are no typos
    (search/topics.py). A word changed to another form of itself ("clients" where the
    posts say "client") is not in the list."""
    vocab = state.vocabulary
    typed = [w for u in parsed.typed_units if not u.prefix for w in u.words if w in vocab.df]
    known = typed
    units = [u for u in parsed.typed_units + parsed.negatives if not u.prefix]
    parts = parts_of_words(parsed, vocab)
    todo = [(n, i) for n, unit in enumerate(units) for i, word in enumerate(unit.words)
            if word not in vocab.df and word not in protected and (id(unit), i) not in parts
            and word not in QUESTION_WORDS  # (not required: "hows" is no typo of "howe")
            and not filed(state, word)]  # fmt: skip
    found: dict[tuple[int, int], dict] = {}
    memo: dict[str, np.ndarray] = {}  # (each word's documents, asked once per query)
    # One allowance of phrase lookups for the whole query (by_neighbours): a query of
    # fifty typos each between two words must not make fifty times as many. Counted,
    # not timed, so that the answer does not depend on how warm the process is.
    lookups = [ADJACENT_LOOKUPS]
    at_end = last_word(parsed)  # (a word maybe still being typed: see search/completion.py)
    for second in (False, True):
        # (Other typos still to correct: a word of English waits for them, see below.)
        fix = TypoFixer(parsed, state, known, memo, lookups,
                        pending=not second and len(todo) > 1, at_end=at_end).fix  # fmt: skip
        waiting = []
        for n, i in todo:
            correction = fix(units[n], i)
            if correction is WAITING:
                waiting.append((n, i))
            elif correction is not None:
                found[(n, i)] = correction
        if second or not waiting:
            break
        known = typed + corrected_to(found.values(), vocab)
        todo = waiting
    known = typed + corrected_to(found.values(), vocab)  # (each correction once)
    if at_end is not None:  # (a word the collection has, as typed: not corrected above)
        n = next(n for n, u in enumerate(units) if u is at_end[0])
        if (n, at_end[1]) not in found and at_end[0].words[at_end[1]] in vocab.df:
            widened = complete_known(parsed, state, *at_end, known, memo, protected)
            if widened:
                found[(n, at_end[1])] = widened
    positive = sum(not u.prefix for u in parsed.typed_units)  # (units: typed, then negatives)
    for n, unit in enumerate(units[:positive]):
        for i, word in enumerate(unit.words):
            if (n, i) not in found and word not in protected:
                widened = widen_rare_word(parsed, state, unit, i, known, memo)
                if widened:
                    found[(n, i)] = widened
    # In the order of the query's words; a word changed to a form of itself ("clients"
    # to "client", where the posts never say "clients") is searched as the posts spell
    # it but not reported: it was no typo, and the stemmed fields match it either way.
    return [found[at] for at in sorted(found) if not is_form_of(found[at])]


def filed(state: IndexState, word: str) -> bool:
    """Whether `word`, which no post says, is a category's or tag's word, and so no
    typo ("profitability", a category no post says, finds the posts filed under it;
    search/topics.py): as written, or another form of one where the posts have no form
    of it ("startup": "Start Ups"; "golds" is "gold", which the posts say)."""
    topics = state.topics
    return topics.knows(word, forms=False) or (
        not known_by_stem(word, state.vocabulary) and topics.knows(word)
    )


def derived_from(word: str, state: IndexState) -> str | None:
    """The longest word the posts say of which `word` is a derived form
    (search/derivations.py: "leader" for "leadership"); else the category's or tag's
    word that such a word is or begins ("entrepreneurship" for "entrepreneurial", on a
    blog whose posts never say "entrepreneur" but file posts under "Entrepreneurship");
    None if none."""
    found = [base for base in bases(word) if base not in STOP_WORDS]
    vocab = state.vocabulary
    for base in found:
        if base in vocab.df:
            return base
    topics = state.topics
    for base in found:
        if topics.knows(base, forms=False):
            return base
        begun = topics.begun_by(base, ONE_TYPO_FROM + 1)
        if begun:
            return begun
    return None


def corrected_to(corrections: Iterable[dict], vocab) -> list[str]:
    """The words `corrections` changed to that the posts say (not a category's word:
    "profitabilty" to "profitability"), which vouch for the query's other corrections."""
    return [c["to"] for c in corrections if c["to"] in vocab.df]


# Endings that make another form of a word, not a typo of it ("clients", "priced").
INFLECTIONS = ("s", "es", "ed", "d", "ing", "ings", "er", "ers")


def is_form_of(correction: dict) -> bool:
    """Whether `correction` took an ending off a word or put one on, leaving another
    form of it (the same stem): "clients" to "client", "barrier" to "barriers"; or
    spelt it the other side of the Atlantic ("organisation" to "organization",
    "colours" to "color"), or gave an irregular plural's singular ("women" to "woman":
    indexer/word_forms.py). Not a typo's correction that the stem happens to hide
    ("octobe" to "october", "mortgag" to "mortgage"): those are reported."""
    typed, to = correction["from"], correction["to"]
    if correction.get("rare") or typed == to:
        return False
    typed, to = stemmer_form(typed), stemmer_form(to)
    if typed == to:
        return True
    short, long = (to, typed) if typed.startswith(to) else (typed, to)
    return (long.startswith(short) and long[len(short):] in INFLECTIONS
            and stem(typed) == stem(to))  # fmt: skip


WAITING = object()  # (fix_typos: a word no other word can vouch for yet)


class TypoFixer:
    """Corrects one word of the query at a time (`fix`; see fix_typos), with `known` as
    the query's words the collection has (`memo`: holding_all's; `lookups`: the phrase
    lookups the neighbours may still make; `pending`: whether other words of the query
    are typos not corrected yet; `at_end`: the word the query ends in, which may be the
    beginning of a word)."""

    def __init__(self, parsed: ParsedQuery, state: IndexState, known: list[str],
                 memo: dict[str, np.ndarray], lookups: list[int], pending: bool = False,
                 at_end: tuple[Unit, int] | None = None):  # fmt: skip
        self.parsed, self.state, self.vocab = parsed, state, state.vocabulary
        self.known, self.memo, self.lookups = known, memo, lookups
        self.pending, self.at_end = pending, at_end
        # The documents holding the query's other words, found once for every word
        # fixed (each has the same others), for both questions asked of them.
        self._context: np.ndarray | None = None
        self._found: Callable[[str], bool] | None = None

    def _context_of(self, others: list[str]) -> np.ndarray:
        if self._context is None:
            self._context = context_docs(self.state, others, self.memo)
        return self._context

    def together(self, others: list[str]) -> Callable[[str], bool]:
        """vouching(state, others), from the context."""
        if self._found is None:
            self._found = together_in(self.state, self._context_of(others))
        return self._found

    def count_with(self, others: list[str]) -> Callable[[str], int]:
        """counting(state, others), from the context."""
        if not others:
            return counting(self.state, others)
        return count_in(self.state, self._context_of(others))

    def fix(self, unit: Unit, i: int) -> dict | object | None:
        """Correct word i of `unit` in place; gives the correction, None, or WAITING."""
        word, vocab = unit.words[i], self.vocab
        # (Putting stop-word candidates last, "fuor" as "four" sooner than "for", was
        # tried: no better over four seeds of the known-item evaluation.)
        options = candidates(word, vocab)
        if not options and is_common_english(word) and known_by_stem(word, vocab):
            # A word of English the stemmed fields find as typed ("recent": the posts say
            # "recently") is no typo: near_forms put a word its neighbour stands beside
            # first ("most recent" was "most retention").
            return None
        options = options or near_forms(word, vocab)
        others = vouchers(self.known, word)
        left, right = beside(self.parsed, unit, i, vocab)
        # First-letter typos need a voucher: the query's other words, or its neighbours.
        vouched = first_letter_candidates(word, vocab) if others or left or right else []
        if not options and (others or left or right) and not is_common_english(word):
            # ("cryslar earnings": "chrysler", two edits from a word of seven letters. A
            # word of English is what the reader meant: "lawsuit price" is no typo.)
            vouched = vouched + two_edit_candidates(word, vocab)
        completed = self._completed(unit, i, options, vouched, others)
        if completed is not None:
            return completed
        if not options and not vouched:
            return self._not_near(unit, i, others)
        attested = None
        if (left or right) and (len(options) + len(vouched) > 1 or vouched and not options):
            options, vouched, attested = by_neighbours(self.state, left, right, options,
                                                       vouched, self.lookups)  # fmt: skip
        if others and (len(options) > 1 or vouched):
            fixed, over, also = choose(options, self.together(others), vouched)
            if attested and fixed != attested and self.together(others)(attested):
                # The neighbours decided, and the other words vouch for it too: it comes
                # before the nearer word ("orce is with the customer": "force", with
                # "once" searched below it).
                also = [w for w in dict.fromkeys([fixed, *also]) if w and w != attested]
                fixed, over, also = attested, [], also[:MAX_ALSO]
        elif attested or options:
            fixed, over, also = attested or options[0][0], [], []
        else:  # only first-letter typos, which nothing vouches for yet
            return WAITING
        if fixed is None:
            return None
        return self._taken(unit, i, fixed, over, also, others, attested)

    def _completed(self, unit: Unit, i: int, options: list, vouched: list,
                   others: list[str]) -> dict | object | None:  # fmt: skip
        """Word i of `unit` read as the beginning of another, cut short
        (search/completion.py), if it is one: the correction, or WAITING; else None.
        Any word of four letters or more ("cust service"), and the last from three
        where nothing follows it ("bank of jap"); three letters alone start too many
        words, and a word of English alone is a word finished."""
        word, vocab, at_end = unit.words[i], self.vocab, self.at_end
        last = at_end is not None and at_end[0] is unit and at_end[1] == i
        cut = (not unit.phrase and word.isalpha() and (last or len(word) >= ONE_TYPO_FROM)
               and not any(unit is u for u in self.parsed.negatives))  # fmt: skip
        alone = not others and (is_common_english(word) or len(word) < ONE_TYPO_FROM)
        if not cut or alone or not starting_with(word, vocab):
            return None
        if self.pending:  # (completed among the other words as corrected)
            return WAITING
        # (The nearest of the typo's words: those one edit away, else the first-letter
        # typos, are what the completion must beat.)
        nearest = options or vouched
        near = [w for w, d in nearest[:CONTEXT_CANDIDATES] if d == nearest[0][1]]
        count = self.count_with(others)
        # (A near word that starts with the word, "serve" for "serv", is a
        # completion too, and competes as one; where the likeliest completion is
        # such a word, "hel" for "hell" or "help", the neighbours and slips choose
        # among the near words, below.)
        typo = max((count(w) for w in near if not w.startswith(word)), default=0)
        done = complete(word, vocab, count, typo, within=near)
        if done is None:
            return None
        fixed, also = done
        unit.words[i] = fixed
        also = search_also(self.parsed, unit, also)
        return {"from": word, "to": fixed, "completed": True,
                **({"also": also} if also else {})}  # fmt: skip

    def _not_near(self, unit: Unit, i: int, others: list[str]) -> dict | object | None:
        """Word i of `unit`, which no word of the collection is near: a typo of a word
        only categories or tags have, or a derived form of a word the posts say; else
        None, or WAITING where no other word vouches yet."""
        word = unit.words[i]
        # A typo of a word only categories or tags have ("profitabilty"), or its
        # beginning ("entrepreneur"): the posts filed under it (search/topics.py),
        # said as a correction. (Not in a phrase: the posts say a phrase's words.)
        topics = self.state.topics
        topic_word = word.isalpha() and not unit.phrase and (
            topics.near(word, allowed_typos(word))
            or topics.begun_by(word, ONE_TYPO_FROM + 1)
            or topics.begun_by(word, ONE_TYPO_FROM + 2, allowed_typos(word)))  # fmt: skip
        if topic_word:
            unit.words[i] = topic_word
            return {"from": word, "to": topic_word}
        # A derived form of a word the posts say ("entrepreneurial", "leadership"):
        # that word (search/derivations.py), said as a correction.
        # (Not a word the stemmed fields find as it is: "realise" is "realized".)
        base = (None if unit.phrase or known_by_stem(word, self.vocab)
                else derived_from(word, self.state))  # fmt: skip
        if base:
            unit.words[i] = base
            return {"from": word, "to": base, "derived": True}
        return None if others else WAITING

    def _taken(self, unit: Unit, i: int, fixed: str, over: list[str], also: list[str],
               others: list[str], attested: str | None) -> dict | object | None:  # fmt: skip
        """The correction of word i of `unit` to `fixed` (with `over`, the words passed
        over, and `also`, those searched below it), once vetted: a word of English only
        by a slip its other words vouch for, a stop word behind a likelier word, a
        misspelling a few posts share behind the word it misspells."""
        word, together = unit.words[i], self.together
        # A word of English the collection lacks ("customer service tips"): changed only
        # where the query's other words are found with the change, not to "trips"
        # because it is near; and only once they are all known (while another typo waits
        # for its correction, "customer" alone would vouch for "trips" in "customer
        # servise tips", which "customer service" does not).
        english = not attested and is_common_english(word)
        if english and self.pending:
            return WAITING
        if english and not (others and together(others)(fixed)):
            return None
        if english and not is_slip(word, fixed):
            # And only by a slip of the fingers: on a small blog "customers" is in
            # nearly every post, so it vouched for "rule" in "rude customers" (a
            # neighbouring key pressed for another would be a slip: d and l are not).
            return None
        stops = [w for w in also if w in STOP_WORDS]
        also = [w for w in also if w not in STOP_WORDS]
        if fixed in STOP_WORDS and also and (is_slip(word, also[0])
                                             or not is_slip(word, fixed)):  # fmt: skip
            # A stop word ranks nothing ("fuor" as "for": what sets the posts apart is
            # whether they have "four"): the nearest other word found with the query's
            # words, as likely a slip, is the correction ("wiht" stays "with", not
            # "wilt"), and the stop word still matches.
            stops, fixed, also, over = [fixed, *stops], also[0], also[1:], [*over, fixed]
        commoner = commoner_spelling(word, fixed, self.vocab)
        if commoner is not None and not (others and together(others)(fixed)):
            # Corrected to a misspelling a post or two share ("tommorow" to "tommorrow"):
            # the word they misspell is the likelier meaning ("tomorrow"), and theirs
            # is searched too, below it.
            fixed, also = commoner, [fixed, *(w for w in also if w != commoner)]
        elif commoner is not None and commoner not in also:
            # Unless the query's other words are found with the misspelling (a post
            # remembered by its words, misspelling and all): then the word it misspells
            # is searched too, below it, as for a rare word typed (widen_rare_word).
            also = [*also, commoner]
        unit.words[i] = fixed
        also = search_also(self.parsed, unit, also)
        search_also(self.parsed, unit, stops, weight=0.0)  # matched, never ranked
        return {"from": word, "to": fixed, **({"over": over} if over else {}),
                **({"also": also} if also else {})}  # fmt: skip


# A word the collection has in at most RARE posts is searched with near words at least
# RARE_FACTOR times as frequent (see widen_rare_word); one in at most FEW posts, or
# typed alone, with near words FAR_FACTOR times as frequent, if it is no common word of
# English.
RARE_FACTOR = 10
FAR_FACTOR = 50
FEW = 5
# A last word the collection has in more posts than FEW and KNOWN_SHARE of them is taken
# as typed, not as the beginning of another (see complete_known).
KNOWN_SHARE = 0.002


def complete_known(parsed: ParsedQuery, state: IndexState, unit: Unit, i: int,
                   known: list[str], memo: dict, protected: set[str]) -> dict | None:  # fmt: skip
    """The query's last word, a word the collection has, may still be the beginning of
    another ("linux kern", "opec prod", "federal res": Kern County, a prod, a ticker):
    where the commonest word starting with it is found with the query's other words
    KNOWN_GAIN times as often as the word itself (search/completion.py), it and the next
    ones are searched beside it, below the posts with the word as typed. Not a common
    word of English ("interest rat" may be about rats), not without other words, not a
    stop word. Gives {"from", "to": the word unchanged, "also", "rare": True,
    "completed": True}, or None."""
    word = unit.words[i]
    # (A word in more than KNOWN_SHARE of the posts, and more than FEW, is taken as typed:
    # a cut word is a rare one, "kern" in three posts of 10,000, "res" 179 of 100,000;
    # the test is cheap, and most words typed are common.)
    if state.vocabulary.df[word] > max(FEW, KNOWN_SHARE * state.doc_count_all):
        return None
    others = vouchers(known, word)
    if (not others or word in protected or word in STOP_WORDS or is_common_english(word)
            or not starting_with(word, state.vocabulary)):  # fmt: skip
        return None
    count = counting(state, others, memo)
    done = complete(word, state.vocabulary, count, max(count(word), 1), KNOWN_GAIN)
    if done is None:
        return None
    also = search_also(parsed, unit, [done[0], *done[1]])
    return {"from": word, "to": word, "also": also, "rare": True, "completed": True}


def complete_partial(parsed: ParsedQuery, state: IndexState,
                     among: np.ndarray | None = None) -> dict | None:  # fmt: skip
    """Where no post has every word of the query, its last word, a word the collection
    has (a common one too), may be the beginning of the word meant: "thank you is gold"
    for the maxim "Thank you is golden", which no post with "gold" matched. The
    completion found in the most posts with all the query's other words, and the next
    ALSO (search/completion.py), are searched beside it, as complete_known searches
    them; gives its {"from", "to": the word unchanged, "also", "rare": True,
    "completed": True, "partial": True}, or None (no completion is found with the
    others). `among` (docnum -> whether the answer may hold it: the posts with a maxim,
    when the maxims are asked for) keeps the count to those posts, and a word alone may
    be completed there: no maxim says "gold", one says "golden" (the correction then
    says `"maxims": True`)."""
    typed = parsed.typed_units
    if len(typed) < (1 if among is not None else 2):
        return None
    unit, vocab = typed[-1], state.vocabulary
    group = next((g for g in parsed.groups if g[0] is unit), None)
    if group is None or len(group) != 1 or unit.phrase or unit.prefix or len(unit.words) != 1:
        return None
    word = unit.words[0]
    # (From four letters: "att", "overall crop att", began many words that some post
    # has beside the others, and the partial match was the better answer.)
    if len(word) < ONE_TYPO_FROM or not word.isalpha() or word in STOP_WORDS:
        return None
    if word not in vocab.df:
        return None
    known = [w for u in typed[:-1] if not (u.phrase or u.prefix) for w in u.words if w in vocab.df]
    others = vouchers(known, word)
    if not others and among is None:
        return None
    # Posts with every other word, as typed: a rare one is no typo here ("counting"
    # leaves such words out, for a correction's sake), so that the completion is found
    # with all the words, as the answer then says. ("marketing plan for small business",
    # where no post says "marketing" and "plan" together, was read as "businesses",
    # and still no post had all the words.)
    context = holding_all(state, others)
    if among is not None:
        context &= among
    done = complete(word, vocab, count_in(state, context), 1, 1)
    if done is None:
        return None
    also = search_also(parsed, unit, [done[0], *done[1]])
    return {"from": word, "to": word, "also": also, "rare": True, "completed": True,
            "partial": True, **({"maxims": True} if among is not None else {})}  # fmt: skip


def widen_rare_word(parsed: ParsedQuery, state: IndexState, unit: Unit, i: int,
                    known: list[str], memo: dict | None = None) -> dict | None:  # fmt: skip
    """A word of the query that the collection has, but in at most RARE posts, may be a
    typo that a post shares ("reord" for "record": the posts have typos too). Near
    words within its allowed typos (a first letter too, as for words it does not have),
    at least RARE_FACTOR times as frequent and found with the query's other words
    (`known`), are searched beside it at a synonym's weight, so the posts with the word
    as typed still come first, as Lucene's spell checker suggests only more popular
    words ("suggest_mode": "popular"). A word in a few more posts (the posts' typos
    repeat: "interst" in three posts at 10k, "interest" in 851), or typed alone
    ("goverment"), is widened so only to near words FAR_FACTOR times as frequent, and
    only if it is no common word of English ("swam" is no typo of "spam"); so is a
    word in at most RARE posts if those are more than KNOWN_SHARE of a small blog's. Gives
    {"from", "to": the word unchanged, "also", "rare": True}, or None; where no post has
    the word with the others, it is corrected: {"from", "to", "also"?}."""
    vocab = state.vocabulary
    word = unit.words[i]
    df = vocab.df.get(word, 0)
    if not df or word in STOP_WORDS or unit.phrase or len(unit.words) != 1:
        return None  # (a phrase's words are searched as written: see search_also)
    others = vouchers(known, word)
    # (A common word of English is rare only in a large collection: "thank" in two of
    # a small blog's 35 posts is no typo of "than", "rat" in two of 10,000 may be.)
    english = is_common_english(word)
    rare = df <= KNOWN_SHARE * state.doc_count_all or not english
    if df <= RARE and others and rare:
        floor = RARE_FACTOR * df
    elif df <= FEW and not english:
        floor = FAR_FACTOR * df
    else:
        return None
    # Never a stop word or a word of two letters ("he" for "hee"): in nearly every post,
    # it would make the word typed optional.
    near = [(c, d) for c, d in candidates(word, vocab) + first_letter_candidates(word, vocab)
            if vocab.df[c] >= floor and len(c) > 2 and c not in STOP_WORDS]  # fmt: skip
    if not near:
        return None
    # Only words found with the others (choose's `vouched`): each is there to match.
    together = vouching(state, others, memo)
    first, _, also = choose([], together, near)
    if first is None:
        return None
    if others and not together(word):
        # No post has the word as typed with the others ("intrest rate": the one post
        # with "intrest" is about pork): what is found is the near word's, and is ranked
        # as the near word's, not at a synonym's weight below a reading that matched
        # nothing (rate's posts had come before those with "interest rate"); the answer
        # says "showing results for interest rate".
        unit.words[i] = first
        also = search_also(parsed, unit, also)
        return {"from": word, "to": first, **({"also": also} if also else {})}
    also = search_also(parsed, unit, [first, *also])
    return {"from": word, "to": word, "also": also, "rare": True} if also else None


def search_also(parsed: ParsedQuery, unit: Unit, words: list[str],
                weight: float = SYNONYM_WEIGHT, alternative: bool = True) -> list[str]:  # fmt: skip
    """Search `words` too wherever the one-word `unit` is searched, below it (at a
    synonym's weight, or `weight`: see `match`); gives the words added (none for a
    phrase, a prefix or a negative). `alternative`: they are other readings of the word
    typed, of which a document scores only the better (not so the same number written
    another way, "2" for "two", which a post saying both says more)."""
    group = next((g for g in parsed.groups if any(u is unit for u in g)), None)
    if not words or group is None or unit.phrase or unit.prefix or len(unit.words) != 1:
        return []
    group += [Unit([w], original=w, weight=weight, synonym=True, fields=unit.fields,
                   alternative=alternative)
              for w in words]  # fmt: skip
    return words


def corrected_text(text: str, corrections: list[dict]) -> str:
    """The query `text` with each correction's word put in place of the word typed."""
    for c in corrections:
        if text.isascii() and "'" not in text and c["from"].isascii() and c["from"].isalnum():
            # (The common case, without the pattern below: compiling one for each word
            # corrected was 1% of an API request.)
            text = _put_in_place(text, c["from"].lower(), c["to"])
            continue
        # (As typed, a word may have an apostrophe, straight or curly, between any two
        # letters: the index reads "you’e" as "youe".)
        letters = "[’']?".join(map(re.escape, c["from"]))
        typed = re.compile(rf"(?i)\b{letters}\b")
        if not typed.search(text):
            # The word as the index reads it, not as typed: "proﬁtt" with a ligature,
            # "résumee" with accents (the query itself had been offered as the correction).
            text = without_accents(text)
        text = typed.sub(lambda m, to=c["to"]: with_apostrophe(m.group(), to), text)
    return text


_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _put_in_place(text: str, typed: str, to: str) -> str:
    """`text` (ASCII, no apostrophe) with `to` in place of each whole word that is `typed`
    (ASCII letters and digits, lower case) in any case: the pattern of `corrected_text`
    in such a text."""
    low, out, done = text.lower(), [], 0
    at = low.find(typed)
    while at >= 0:
        end = at + len(typed)
        if (not at or low[at - 1] not in _ASCII_WORD) and low[end : end + 1] not in _ASCII_WORD:
            out += [text[done:at], to]
            done = end
        at = low.find(typed, end if done == end else at + 1)
    return "".join(out) + text[done:] if out else text


def with_apostrophe(typed: str, word: str) -> str:
    """`word` (as the index has it, without apostrophes) with the apostrophe `typed` has
    before the same ending: "don’t" for "dond’t" corrected to "dont", "you’ll" for
    "oyu’ll"."""
    mark = next((ch for ch in reversed(typed) if ch in "’'"), None)
    if mark is None or mark in word:
        return word
    ending = typed[typed.rindex(mark) + 1 :].lower()
    if not ending or len(ending) >= len(word) or not word.endswith(ending):
        return word
    return f"{word[: -len(ending)]}{mark}{ending}"
