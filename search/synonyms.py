"""Synonyms: a plain text file of rules, applied to a parsed query when searching (no
re-index; the index is unchanged).

Takes the file's text (`parse_rules`) or its path (`load`, re-read when the file
changes); gives `Synonyms`, whose `expand(parsed)` turns each word or run of words a
rule names into an OR group of what was typed and its synonyms. The file:

    # a comment
    crm, customer relationship management     both ways: each one finds the others
    ecommerce => online store, web shop       one way: "ecommerce" also finds these

Words are read as queries read them (case and accents folded). What was typed ranks
above its synonyms: a synonym's score counts SYNONYM_WEIGHT of the word's. A rule's
words are never "corrected" as typos (`protected`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from search.query import ParsedQuery, Unit, words_of

SYNONYM_WEIGHT = 0.5
MAX_RULE_WORDS = 6


class SynonymError(ValueError):
    """A line that is not a rule; the message names the line."""


@dataclass
class Synonyms:
    # the words of a typed run -> the runs it also finds
    rules: dict[tuple[str, ...], list[tuple[str, ...]]] = field(default_factory=dict)

    @property
    def protected(self) -> set[str]:
        """Every word a rule names (typo correction leaves these as they are)."""
        return {w for key, alts in self.rules.items() for run in (key, *alts) for w in run}

    def expand(self, parsed: ParsedQuery) -> list[dict]:
        """Replace each typed run a rule names by (typed OR synonym…), in place; gives
        [{"from", "to": [...]}] of what was expanded."""
        if not self.rules:
            return []
        longest = max(len(k) for k in self.rules)
        groups, out, expanded = parsed.groups, [], []
        i = 0
        while i < len(groups):
            found = None
            for n in range(min(longest, len(groups) - i), 0, -1):
                run = plain_run(groups[i : i + n])
                if run is not None and run in self.rules:
                    found = (n, run)
                    break
            if found is None:
                out.append(groups[i])
                i += 1
                continue
            n, run = found
            typed = Unit(list(run), phrase=len(run) > 1, original=" ".join(run))
            group = [typed]
            for alt in self.rules[run]:
                group.append(Unit(list(alt), phrase=len(alt) > 1, original=" ".join(alt),
                                  weight=SYNONYM_WEIGHT, synonym=True))  # fmt: skip
            out.append(group)
            expanded.append({"from": " ".join(run), "to": [" ".join(a) for a in self.rules[run]]})
            i += n
        parsed.groups = out
        return expanded


def plain_run(groups: list[list[Unit]]) -> tuple[str, ...] | None:
    """The words of groups that are each one plain word (or one quoted phrase, alone);
    not words searched in one field only (title:rock)."""
    if any(u.fields for group in groups for u in group):
        return None
    if len(groups) == 1 and len(groups[0]) == 1 and groups[0][0].phrase:
        return tuple(groups[0][0].words)
    words = []
    for group in groups:
        if len(group) != 1 or group[0].phrase or group[0].prefix or len(group[0].words) != 1:
            return None
        words.append(group[0].words[0])
    return tuple(words)


def parse_rules(text: str, name: str = "synonyms") -> Synonyms:
    """Rules from the file's text; raises SynonymError naming the first bad line."""
    synonyms = Synonyms()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        one_way = "=>" in line
        if one_way:
            left, _, right = line.partition("=>")
            if "=>" in right:
                raise SynonymError(f"{name} line {number}: more than one '=>'")
            sources = [run for run in map(words_of, left.split(",")) if run]
            targets = [run for run in map(words_of, right.split(",")) if run]
        else:
            sources = targets = [run for run in map(words_of, line.split(",")) if run]
        if not sources or not targets or (not one_way and len(sources) < 2):
            raise SynonymError(
                f"{name} line {number}: write 'a, b, c' (each finds the others) or "
                f"'a => b, c' (a also finds b and c), not {raw.strip()!r}"
            )
        for run in sources + targets:
            if len(run) > MAX_RULE_WORDS:
                raise SynonymError(f"{name} line {number}: at most {MAX_RULE_WORDS} words a term")
        for source in sources:
            alts = synonyms.rules.setdefault(tuple(source), [])
            for target in targets:
                if tuple(target) != tuple(source) and tuple(target) not in alts:
                    alts.append(tuple(target))
    return synonyms


_cache: dict[str, tuple[tuple[int, int], Synonyms]] = {}


def load(path: str | Path, st: os.stat_result | None = None) -> Synonyms:
    """The rules in file `path` (none if it does not exist), re-read when its size or
    modification time changes: a stat per search, so an edit applies at once. `st`:
    the file's stat, when the caller has just made it."""
    if st is None:
        try:
            st = os.stat(path)
        except OSError:
            return Synonyms()
    key = (st.st_mtime_ns, st.st_size)
    cached = _cache.get(str(path))
    if cached and cached[0] == key:
        return cached[1]
    synonyms = parse_rules(Path(path).read_text("utf-8"), Path(path).name)
    _cache[str(path)] = (key, synonyms)
    return synonyms
