"""Matching: the documents a parsed query's words match, scored, and what is done when
they match nothing or little.

Takes a `ParsedQuery` and an `IndexState`; gives `Scored` arrays (`match`: BM25F per
word or phrase from `search.scoring` and `search.phrases`, groups ANDed, a coordinated
OR where no document has every word, question words added, negations taken out), and
`match_text`, the same with the fallbacks a reader's query needs: a real word typed for
another (`search.real_words`), a last word begun, a half-remembered
quotation searched as words. Stops at the deadline (Whoosh's `TimeLimit`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
from whoosh.collectors import TimeLimit

from indexer.analysis import STEMS
from search.bitmasks import docnums_array
from search.corrections import complete_partial
from search.fillers import GIVES
from search.phrase_forms import add_misremembered_forms, gapped_words, quoted_alone
from search.query import ParsedQuery, Unit, parse_query
from search.real_words import HANDFUL, real_word_typo
from search.scored import Scored, coordinated, intersect
from search.scoring import MAX_PREFIX_TERMS, asked_groups, coordination_idf, unit_scores
from search.state import IndexState
from search.synonyms import SYNONYM_WEIGHT
from search.topics import files_by_topic

PARTIAL_MATCH = "No article has all of the words; showing those with some of them."


@dataclass
class TextMatch:
    """What the query's words matched (`scores`); where a real-word typo was corrected
    and the words as typed found a handful, those (`typed`: they are listed first) and
    the query as typed that found them (`as_typed`, to rank them by)."""

    scores: Scored
    typed: Scored
    as_typed: ParsedQuery
    # A quoted phrase no post has: to be searched again as its words typed without the
    # quotes (search.engine.search's `unquote`), which nothing here matched yet.
    unquote: bool = False


def match_text(parsed: ParsedQuery, state: IndexState, deadline: float, corrections: list[dict],
               loosened: list[str], correct: bool = True,
               among: int | None = None) -> TextMatch:  # fmt: skip
    """`match`, then (with `correct`) the fallbacks of `_retyped` and `_loosened`; the
    corrections and the phrases loosened are added to `corrections` and `loosened`. Past
    the deadline, what was matched so far, and the query says it was cut short. `among`
    (a bitmask of docnums) is what the answer keeps to, where that is the maxims: no
    match there is no match for the fallbacks."""
    found = TextMatch(Scored.empty(), Scored.empty(), parsed)
    try:
        found.scores, partial = match(parsed, state, deadline)
        if correct:
            _retyped(found, partial, parsed, state, deadline, corrections, among)
            _loosened(found, parsed, state, deadline, corrections, loosened)
    except TimeLimit:
        parsed.cut_short = True
        parsed.warn("The query took too long to match and was stopped; try fewer words.")
    return found


def _retyped(found: TextMatch, partial: bool, parsed: ParsedQuery, state: IndexState,
             deadline: float, corrections: list[dict], among: int | None) -> None:  # fmt: skip
    """Where the query finds a handful of posts or none, a real word typed for another
    ("bult") is corrected and the query matched again; else, where no post has every
    word, the last word is read as the start of a longer one a post has with the others
    (no maxim, where the maxims are asked for: "gold" of "golden", in a maxim, where
    another post says "gold")."""
    count = 0 if partial else len(found.scores)
    real = None
    if count <= HANDFUL and len(parsed.units) > 1:
        # (A rare word already searched with its near words is not changed.)
        widened = {c["from"] for c in corrections if c.get("rare")}
        real = real_word_typo(parsed, state, count, widened)
    if real:
        if count:
            # A handful found: those may be just what was meant (a post that has
            # the word as typed), so they stay first, and the change's posts
            # follow them (on relevance; by date, all are in date order).
            found.typed, found.as_typed = found.scores, copy.deepcopy(parsed)
            real = {**real, "typed_first": True}
        for unit in parsed.typed_units:
            if not unit.prefix and not unit.phrase:
                unit.words = [real["to"] if w == real["from"] else w for w in unit.words]
        corrections.append(real)
        found.scores = match_again(parsed, state, deadline)
        if len(found.typed):
            found.scores = found.scores.without(found.typed.ids).plus(found.typed)
    elif completed := _completed(parsed, state, partial, found.scores, among):
        # No post has every word, but one has them with a word the last begins
        # ("thank you is gold": "golden").
        corrections.append(completed)
        parsed.coordinated = False
        found.scores = match_again(parsed, state, deadline)


def _completed(parsed: ParsedQuery, state: IndexState, partial: bool, scores: Scored,
               among: int | None) -> dict | None:  # fmt: skip
    """complete_partial, where no post has every word, or none that `among` keeps."""
    if among is None:
        return complete_partial(parsed, state) if partial else None
    kept = np.zeros(state.doc_count_all, dtype=bool)
    kept[docnums_array(among)] = True
    if not partial and kept[scores.ids].any():
        return None
    return complete_partial(parsed, state, kept)


def _loosened(found: TextMatch, parsed: ParsedQuery, state: IndexState, deadline: float,
              corrections: list[dict], loosened_out: list[str]) -> None:  # fmt: skip
    """Where nothing matched, the query's phrases searched as words (`loosen_phrases`)."""
    typed_groups = parsed.groups  # (loosen_phrases makes new ones)
    if len(found.scores) or left_out_all(parsed, state, deadline):
        return
    if any(quoted_alone(group) for group in parsed.groups):
        # A half-remembered quotation ("write this on the rock"): no post has it word
        # for word. First the forms a quotation is misremembered in ("write this on a
        # rock"), as phrases; else its words are searched, as web search engines do,
        # and the answer says so (`correct=false` keeps the phrase exact), as if typed
        # without the quotes, typos corrected and words cut short completed ('"thank
        # you is gold"': "golden"): the query is read again so.
        forms = add_misremembered_forms(parsed, state, deadline)
        if forms:
            found.scores = match_again(parsed, state, deadline)
            if len(found.scores):
                for phrase, said in forms.items():
                    parsed.warn(f'No post has the exact phrase "{phrase}"; showing posts '
                                f"that say {' or '.join(map(quote, said))}.")  # fmt: skip
                return
        found.unquote = True
        return
    loosened = loosen_phrases(parsed)
    if not loosened:
        return
    # Words joined by punctuation ("tY+gj") are loosened, unsaid: the reader typed no
    # phrase.
    loosened_out[:] = [" ".join(u.words) for u in loosened]
    found.scores = match_again(parsed, state, deadline)
    if parsed.coordinated and all(u.split for u in loosened):
        # No post has all the words of a word's split ("dissapoint" as "dis
        # sa point"): it was no split, and some of them are no answer.
        parsed.groups, parsed.coordinated, loosened_out[:] = typed_groups, False, []
        parsed.warnings = [w for w in parsed.warnings if w != PARTIAL_MATCH]
        found.scores = Scored.empty()
        splits = {" ".join(u.words) for u in loosened}  # (and no typo in one)
        corrections[:] = [c for c in corrections if c["to"] not in splits]


def match_again(parsed: ParsedQuery, state: IndexState, deadline: float) -> Scored:
    """`match` once more, for a query changed after its first match (a real-word typo
    corrected, phrases loosened): the first match's partial-match warning goes, and the
    new match adds it again if it applies."""
    parsed.warnings = [w for w in parsed.warnings if w != PARTIAL_MATCH]
    return match(parsed, state, deadline)[0]


def left_out_all(parsed: ParsedQuery, state: IndexState, deadline: float) -> bool:
    """Whether the words to leave out are what left nothing ('"from hell" -customer',
    where every post with the phrase has the word): then the phrase is not loosened."""
    if not parsed.negatives:
        return False
    # (a look only: what matching notes on the query is put back)
    kept = (parsed.negatives, list(parsed.warnings), parsed.coordinated, parsed.group_sizes)
    parsed.negatives = []
    try:
        return bool(len(match(parsed, state, deadline)[0]))
    finally:
        parsed.negatives, parsed.warnings, parsed.coordinated, parsed.group_sizes = kept


def unquote_phrases(parsed: ParsedQuery) -> list[Unit]:
    """Each quoted phrase of several words that is a group of its own becomes one group
    per word, as if typed without the quotes; gives the phrases so changed. (A phrase
    no post has: see search.engine.search's `unquote`.)"""
    unquoted, groups = [], []
    for group in parsed.groups:
        unit = group[0]
        if quoted_alone(group):
            unquoted.append(unit)
            words = [[Unit([w], original=w, fields=unit.fields)] for w in unit.words]
            parsed.remembered.append([g[0] for g in words])
            groups += words
        else:
            groups.append(group)
    parsed.groups = groups
    return unquoted


def quote(text: str) -> str:
    return f'"{text}"'


def exact_phrase_warning(phrases: list[Unit]) -> str:
    # (a gap, "write * on a rock", quoted as typed: no post says it with a word there)
    typed = [gapped_words(u) or u.words for u in phrases]
    quoted_phrases = ", ".join(quote(" ".join(w or "*" for w in words)) for words in typed)
    return f"No post has the exact phrase {quoted_phrases}; showing posts with its words."


def loosen_phrases(parsed: ParsedQuery) -> list[Unit]:
    """Each phrase of several words that is a group of its own becomes one group per
    word (stop words then not required), and so do the words of a word typed without
    its spaces ("#ageofcustomers": no post has "age of customers" word for word); gives
    the phrases so changed (none: nothing to loosen)."""
    loosened, groups = [], []
    for group in parsed.groups:
        unit = group[0]
        if len(group) == 1 and unit.phrase and len(unit.words) > 1 and not unit.synonym:
            loosened.append(unit)
            groups += [[Unit([w], original=w, fields=unit.fields)] for w in unit.words]
        elif len(group) == 2 and group[1].split:
            loosened.append(group[1])
            groups += [[Unit([w], original=w, fields=group[1].fields)] for w in group[1].words]
        else:
            groups.append(group)
    if loosened:
        parsed.groups = groups
    return loosened


# --- matching -------------------------------------------------------------------------


def prefix_words(unit: Unit, state: IndexState, parsed: ParsedQuery) -> list[str]:
    words, cut = state.vocabulary.with_prefix(unit.words[0], MAX_PREFIX_TERMS)
    if cut:
        parsed.warn(f"{unit.words[0]}* matches many words; the {MAX_PREFIX_TERMS} most "
                    f"frequent were used.")  # fmt: skip
    return words


def scores_of(unit: Unit, state: IndexState, parsed: ParsedQuery, deadline: float) -> Scored:
    """The documents that match `unit`, scored; for a word only categories or tags have
    ("entrepreneurship"), the posts filed under them too (search/topics.py), whether the
    unit is searched for or left out ("-entrepreneurship")."""
    words = prefix_words(unit, state, parsed) if unit.prefix else None
    found = unit_scores(state, unit, deadline, words)
    if files_by_topic(unit, state.vocabulary):
        found = found.plus(state.topics.scores(unit.words[0], state.all_mask.bit_count()))
    return found


def load_for_words(parsed: ParsedQuery, state: IndexState) -> None:
    """Make now what the query's words need loaded once per process, before its time
    limit starts: a word no vocabulary has is stemmed by NLTK's stemmer, made on the
    first such word (0.13-0.45 s, the import), and looked up among the categories' and
    tags' words by their stems (as are two words a category's name joins, "start ups").
    Counted against the limit, that load cut short a cold `rocksearch search "start
    ups"` on a busy machine, which then found nothing."""
    vocab, topics = state.vocabulary.df, state.topics
    words = parsed.words_in_order()
    pairs = zip(words, words[1:], strict=False)
    joined = [a + b for a, b in pairs if topics.knows(a + b, forms=False)]
    for word in words + [w for u in parsed.negatives for w in u.words] + joined:
        if word not in vocab:
            STEMS[word]  # (a word no vocabulary taught: NLTK's stemmer is made)
            topics.knows(word)


def is_a_title(query: str, state: IndexState, deadline: float) -> bool:
    """Whether a post's title has the words of `query`, as typed and in order."""
    words = parse_query(query).words_in_order()
    if len(words) < 2:
        return False
    probe = parse_query('title:"{}"'.format(" ".join(words)))
    load_for_words(probe, state)
    try:
        scores, partial = match(probe, state, deadline)
    except TimeLimit:
        return False
    return bool(len(scores)) and not partial


def match(parsed: ParsedQuery, state: IndexState, deadline: float) -> tuple[Scored, bool]:
    """The scores of the documents the text of the query matches; and if partial.

    Stop words ("the", "a") are matched only in phrases, or when the query has nothing
    else: they are in nearly every article, so requiring them costs much and selects
    nothing. They still count for the phrase bonus and are marked in snippets. Question
    words ("why") add their score where they are, but are not required (asked_groups).
    """
    groups = []
    required, asking = asked_groups(parsed)
    for group in required:
        merged = Scored.empty()
        typed_best = 0.0
        for unit in sorted(group, key=lambda u: u.synonym):  # what was typed first
            found = scores_of(unit, state, parsed, deadline)
            best = found.best()
            if not unit.synonym:
                typed_best = max(typed_best, best)
            elif typed_best and best and unit.weight:  # (0: matches only, see fix_typos)
                # What was typed ranks above its synonyms: the best synonym match counts
                # at most SYNONYM_WEIGHT of the best match of the word typed. Words typed
                # apart, joined as the posts write them ("smart phones": "smartphones"),
                # are the words typed, not a synonym: their best counts as much as the
                # best match of the word typed (at SYNONYM_WEIGHT, the post about
                # smartphones came after one that says "smart" and "phone" apart).
                most = 1.0 if unit.joined else SYNONYM_WEIGHT
                unit.weight = min(most, most * typed_best / best)
            if unit.alternative:
                # (One word typed, read two ways: "write this on a rok" found a post
                # that says "rock" and "ROI" above those that say "rock" alone.)
                merged = merged.or_better(found, unit.weight)
            else:
                merged = merged.plus(found, unit.weight)
        groups.append(merged)
    if len(groups) > 1:
        # For explain: each group's idf as coordination weighs it (see coordinated).
        parsed.group_sizes = [len(g) for g in groups]
    groups.sort(key=len)
    first, rest = groups[0], groups[1:]
    scores = intersect(first, rest) if rest else first
    partial, factors = False, None
    if not len(scores) and len(groups) > 1:
        # Each word weighs its idf: a document with the query's rare words outranks one
        # with only its common words, whatever fields they are in.
        documents = state.all_mask.bit_count()
        scores, factors = coordinated(groups, [coordination_idf(len(g), documents)
                                               for g in groups])  # fmt: skip
        if len(scores):
            partial = parsed.coordinated = True
            parsed.warn(PARTIAL_MATCH)
    for group in asking:  # (question words: more score where they are, never required)
        for unit in group:
            found = scores_of(unit, state, parsed, deadline)
            if (unit.optional and unit.words[0] in GIVES and not partial and len(scores)
                    and not found.meets(scores)):  # fmt: skip
                # ("tax tips" where no post about tax says "tips": 635 results "for tax
                # tips", none of which says it, and nothing said so)
                parsed.warn(f'None of the articles with the other words says '
                            f'"{unit.words[0]}"; showing them without it.')  # fmt: skip
            if partial:
                # Scaled as the document's other words are: added whole to a partial
                # match's scaled scores, "how" outweighed the words asked about ("how
                # do i handle a difficult customer": a post that says "how" often,
                # above the one about difficult customers).
                found = found.times(factors)
            scores = scores.added(found, unit.weight)
    for unit in parsed.negatives:
        scores = scores.without(scores_of(unit, state, parsed, deadline).ids)
    return scores, partial
