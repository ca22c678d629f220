"""Explain: how one hit's score was made, in parts that add up to it.

Takes a loaded `IndexState`, the parsed query as the search left it (corrected and
expanded), a hit's docnum and what re-ranking added to it (`explain_hit`); gives
{"score", "parts": [...], "sum", ...}. It recomputes the score for that one document
the way search/scoring.py computes it for all of them:

- a word's BM25F score (its field frequencies summed with their boosts, then
  saturated once) is shared out between its fields in proportion to what each field
  added before saturation, so the parts of a word add up to its score; a word has
  such parts twice, by its stem and by the form typed (`"form": "as typed"`);
- a synonym's parts are already weighted (search/synonyms.py); of a corrected word and
  its other readings ("rock", and "roi" too, for "rok") only the better counts: the
  other's parts are listed at 0 with their value as `not_counted`;
- a partial match (no document had every word) is scaled by coordination: that is a
  part of its own, what the scaling took away;
- re-ranking's bonuses (the title or maxim is the query; the query as a phrase).

Only for the page's hits and only when asked (`explain=true`), so searching pays
nothing for it.
"""

from __future__ import annotations

import numpy as np

from indexer.analysis import STOP_WORDS
from search.phrases import Phrases
from search.query import ParsedQuery, Unit
from search.scoring import (
    _STEM,
    EXACT_FORM_WEIGHT,
    K1,
    MAX_PREFIX_TERMS,
    PHRASE_FACTOR,
    add_phrase,
    asked_groups,
    boosts_of,
    coordination_idf,
    field_frequencies,
    saturation,
)
from search.state import IndexState
from search.topics import files_by_topic

FAR = float("inf")


def word_parts(state: IndexState, fields: dict, term: str, docnum: int) -> list[tuple[str, float]]:
    """[(field, part)] of `term`'s BM25F score in `docnum` (scoring.word_scores), shared out
    between the fields in proportion to their summed frequencies."""
    df_max, parts = field_frequencies(state, fields, term)
    pseudo = {}
    for field, ids, frequencies in parts:
        at = np.flatnonzero(ids == docnum)
        if len(at):
            pseudo[field] = float(frequencies[at[0]])
    t = sum(pseudo.values())
    if not t:
        return []
    score = saturation(state, df_max) * t / (K1 + t)
    return [(field.removesuffix("_exact"), score * p / t) for field, p in pseudo.items()]


def unit_parts(state: IndexState, unit: Unit, docnum: int, prefix_words: list[str]) -> list[dict]:
    """The parts of one unit's score in `docnum`, before its weight."""
    parts = []
    stemmed, exact = boosts_of(unit)
    if unit.prefix:
        for word in prefix_words:
            for field, value in word_parts(state, exact, word, docnum):
                parts.append({"word": word, "field": field, "value": value})
    elif unit.phrase and len(unit.words) > 1:
        phrases = Phrases(state, FAR)
        for field, boost in stemmed.items():
            name = f"{field}_exact"
            tf = phrases.docs(name, unit.words, within={docnum}).get(docnum, 0)
            if not tf:
                continue
            scored: dict[int, float] = {}  # the phrase scored as unit_scores scores it
            add_phrase(state, name, unit.words, boost * PHRASE_FACTOR, scored, {docnum: tf})
            value = scored[docnum]
            parts.append({"phrase": " ".join(unit.words), "field": field, "value": value})
    elif unit.phrase or unit.words[0] in STOP_WORDS:
        for field, value in word_parts(state, exact, unit.words[0], docnum):
            parts.append({"word": unit.words[0], "field": field, "value": value})
    else:
        stem = _STEM.stems[unit.words[0]]
        for field, value in word_parts(state, stemmed, stem, docnum):
            parts.append({"word": unit.words[0], "stem": stem, "field": field, "value": value})
        # and again by the form typed (scoring.EXACT_FORM_WEIGHT)
        for field, value in word_parts(state, exact, unit.words[0], docnum):
            parts.append({"word": unit.words[0], "form": "as typed", "field": field,
                          "value": value * EXACT_FORM_WEIGHT})  # fmt: skip
    return parts


def explain_hit(state: IndexState, parsed: ParsedQuery, docnum: int, hit: dict, bonuses: dict,
                results, groups: dict) -> dict:  # fmt: skip
    """How `hit` (document `docnum`) got its score; see the module docstring."""
    out = {
        "score": hit["score"],
        "parts": [],
        "corrections": results.corrections,
        "synonyms": results.synonyms,
        "pinned": hit.get("pinned", False),
        "other_versions_hidden": len(hit.get("other_versions", [])) if results.collapse else 0,
    }
    if hit.get("pinned"):
        note = "pinned by an editor: shown first, whatever its score"
        out["parts"].append({"kind": "pinned", "value": 0.0, "note": note})
        out["sum"] = None
        return out
    if hit["score"] is None:
        out["sum"] = None  # sorted by date: no score
        return out
    required, asking = asked_groups(parsed)

    def group_parts(group) -> float:
        """Adds the parts of one group's units; gives their sum. (Another reading of a
        corrected word counts only where it scores better than what came before it, as
        match counts it: the parts not counted are listed at 0, with their value.)"""
        in_group, counted = 0.0, []
        for unit in sorted(group, key=lambda u: u.synonym):  # (as match takes them)
            entries = []
            words = []
            if unit.prefix:
                words = state.vocabulary.with_prefix(unit.words[0], MAX_PREFIX_TERMS)[0]
            parts = unit_parts(state, unit, docnum, words)
            if files_by_topic(unit, state.vocabulary):  # (as match adds them: search/topics.py)
                topic = state.topics.scores(unit.words[0], state.all_mask.bit_count())
                at = np.searchsorted(topic.ids, docnum)
                if at < len(topic.ids) and topic.ids[at] == docnum:
                    parts.append({"word": unit.words[0], "field": "category or tag",
                                  "value": float(topic.values[at]), "topic": True})  # fmt: skip
            for part in parts:
                value = part["value"] * unit.weight
                entry = {"kind": "phrase" if "phrase" in part else "word", **part, "value": value}
                if unit.prefix:
                    entry["prefix"] = unit.words[0] + "*"
                if unit.synonym:
                    entry["synonym"] = True
                    entry["weight"] = unit.weight
                out["parts"].append(entry)
                entries.append(entry)
            total = sum(e["value"] for e in entries)
            if not unit.alternative:
                counted += entries
                in_group += total
                continue
            if total > in_group:
                entries, counted, in_group = counted, entries, total
            for entry in entries:  # (the reading that scores less)
                entry["not_counted"], entry["value"] = round(entry["value"], 4), 0.0
        return in_group

    base, held, share = 0.0, [], 1.0
    for group in required:
        in_group = group_parts(group)
        held.append(in_group > 0)
        base += in_group
    if parsed.coordinated and parsed.group_sizes:
        documents = state.all_mask.bit_count()
        weights = [coordination_idf(n, documents) for n in parsed.group_sizes]
        share = sum(w for w, h in zip(weights, held, strict=False) if h) / (sum(weights) or 1.0)
        scaled = base * share**2
        out["parts"].append({"kind": "coordination", "share": round(share, 4),
                             "value": scaled - base,
                             "note": "no article has every word: scaled by the square of the "
                                     "share of the query's idf this one holds"})  # fmt: skip
    for group in asking:  # (question words: added after, never required; see match)
        first = len(out["parts"])
        group_parts(group)
        for part in out["parts"][first:]:  # (in a partial match, scaled as the others)
            part["value"] *= share**2
    for name, value in bonuses.items():
        out["parts"].append({"kind": "bonus", "what": name, "value": value})
    for part in out["parts"]:
        part["value"] = round(part["value"], 4)
    out["sum"] = round(sum(p["value"] for p in out["parts"]), 3)
    return out
