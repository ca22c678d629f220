"""Words typed without the spaces between them, searched as the words they are.

Takes a parsed query and the index state (`split_run_together`); adds beside each
word that the collection does not have, and that no typo correction reached, the
phrase of the collection's words it splits into, and gives the corrections made on
the way (a split with a typo corrected: see below). Such a word is a phone's space bar
missed ("thankyou", "customerservice"; Algolia's splitting, Typesense's
split_join_tokens) or a hashtag ("#ageofthecustomer", "#writethisonarock"). `segment`
is the split itself.

A hashtag is typed as fast as any word, typos and all ("#smallbusines"), and its
letters, cut anywhere, often hold rare words of the collection ("smal lb usines"). So
when no split is made of common enough words, a split whose first or last word is one
typo away from a word of the collection is tried too (`segment_with_typo`), and taken
when its rarest word is at least ten times as frequent: the rule by which a word only
one or two posts have is searched with a near word (search/typos.py: `suggest`). It is
taken too over a split of more content words none of which is commoner
("#custmerservice" is "customer service", not "cust mer service").

Initials and names with a number are typed without the marks between their parts
too ("phd" for "Ph.D.", "att" for "AT&T", "covid19" for "COVID-19"); the tokenizer
keeps their parts apart, so the collection has no such word. `split_written_apart`
searches the parts, as a phrase, where the posts write them so.

And a word the collection has may be written apart by other posts ("email" as
"e-mail", "healthcare" as "health care"): `also_written_apart` searches those two words
too, as a phrase, where they go together.
"""

from __future__ import annotations

import itertools
import math
import re
import time
from collections.abc import Callable, Iterator, Mapping

from whoosh.collectors import TimeLimit

from indexer.analysis import STOP_WORDS
from search.english import is_common_english
from search.generation_memo import MISSING, GenerationMemo
from search.phrases import Phrases
from search.query import LONGEST_RUN_TOGETHER, ParsedQuery, Unit
from search.state import IndexState, Vocabulary
from search.typos import allowed_typos, candidates, known_by_stem

# A word typed without the spaces is split into words of at least this many letters,
# or stop words ("a", "on"), into at most MAX_SPLIT_PARTS.
MIN_SPLIT_PART = 2
MAX_SPLIT_PARTS = 6
MAX_SPLIT_LETTERS = LONGEST_RUN_TOGETHER
# A split whose rarest word fewer posts have than this is weak: a split with a typo
# corrected is tried, and taken if its rarest word is TYPO_SPLIT_GAIN times as frequent.
WEAK_SPLIT = 3
TYPO_SPLIT_GAIN = 10
# The word corrected is one of at most this many letters, and at most TYPO_TRIES places
# to cut are tried: a hashtag of 41 "a"s took 170 ms at 100k posts, tried everywhere.
LONGEST_TYPO_PART = 20
TYPO_TRIES = 16
# A weak split the posts say as a phrase is taken as typed (see segment_with_typo).
SAID_FIELDS = ("title_exact", "body_exact")
SAID_SECONDS = 0.2  # (a safety net: a phrase of a rare word is looked up in microseconds)


# A word the posts also write apart (also_written_apart): its second part has at least
# MIN_APART_PART letters; of its cuts into two words of the collection, the CUTS_TRIED
# whose rarer word is the most frequent are looked up, within APART_SECONDS a query;
# one is taken if COMPOUND_SHARE of the posts with its rarer word say it.
MIN_APART_PART = 3
# ... or this word, which ends so many compounds ("startup" as "start-up", "signup",
# "backup", "setup", "pickup": of the 10k corpus's words that end in it, every one
# whose posts also write it apart is such a compound). Not "in" ("rankin", "casein",
# "putin" pass the same test) nor "on" ("upon").
SHORT_SECOND_PARTS = ("up",)
CUTS_TRIED = 2
COMPOUND_SHARE = 0.02
APART_SECONDS = 0.05
# What each word's lookup decided, per loaded generation (the phrases of a word's cuts
# took 0.1 ms of an average query, 3 ms of some): at most APART_MEMO words a generation.
APART_MEMO = 4096
_apart = GenerationMemo(APART_MEMO)
# Endings of words, which the posts have as words where a line's hyphen cut one off
# ("transport-ing"): never the second word of a compound.
SUFFIXES = frozenset({"ing", "ings", "ive", "ives", "ion", "ions", "ers", "est", "ies", "ism",
                      "ist", "ists", "ity", "ous", "ent", "ents", "ant", "ants", "ence",
                      "ance", "ment", "ments", "ness", "ful", "able", "ible", "ally", "ated",
                      "ation", "ations", "ize", "ized", "ise", "ised"})  # fmt: skip
# The one letter that begins compounds written apart ("e-mail", "e-book"); others are
# initials ("G. Reed") or a possessive's ("Shell's oil" is no "soil").
ONE_LETTER = frozenset("e")
# Words that point or count (determiners, pronouns, "here", "now", "ever"): beside
# another word they make a phrase of English, not a compound written apart.
POINTERS = frozenset({"all", "any", "both", "each", "either", "every", "few", "he", "her",
                      "here", "hers", "him", "his", "how", "i", "its", "less", "many", "me",
                      "mine", "more", "most", "much", "my", "neither", "never", "no", "none",
                      "nor", "now", "one", "other", "others", "our", "ours", "own", "same",
                      "she", "so", "some", "such", "than", "their", "theirs", "them", "then",
                      "there", "these", "they", "those", "thus", "too", "very", "what",
                      "whatever", "which", "while", "who", "whom", "whose", "where", "why",
                      "ever", "else", "also", "just", "only", "even", "self",
                      "selves"})  # fmt: skip

# Initials typed as one word have at most this many letters ("phd", "mba", "usa"), and
# at most WAYS_APART of their ways to be written in parts are looked for in the posts.
LONGEST_INITIALS = 4
WAYS_APART = 3
# (A number keeps its decimal point, as the tokenizer does: "2.5billion" is "2.5 billion".)
_LETTERS_AND_DIGITS = re.compile(r"[a-z]+|[0-9]+(?:\.[0-9]+)*")


def _lone_words(parsed: ParsedQuery) -> Iterator[tuple[list[Unit], Unit, str]]:
    """(its group, its unit, the word) for each word of the query typed on its own: not
    in a phrase, not a prefix, not in an OR, not a synonym's."""
    for group in parsed.groups:
        unit = group[0]
        if len(group) != 1 or unit.phrase or unit.prefix or unit.synonym or len(unit.words) != 1:
            continue
        yield group, unit, unit.words[0]


def said_in(state: IndexState, past_time: bool = False,
            deadline: float = math.inf) -> Callable[[list[str]], bool]:  # fmt: skip
    """said(words): whether a post has `words` (two or more) as a phrase, in its title
    or body (the lookups of one query share SAID_SECONDS, and stop at `deadline`; past
    them, `past_time`)."""
    phrases = None

    def said(words: list[str]) -> bool:
        nonlocal phrases
        phrases = phrases or Phrases(state, min(deadline, time.perf_counter() + SAID_SECONDS))
        try:
            return bool(phrases.posts(SAID_FIELDS, words))
        except TimeLimit:
            return past_time

    return said


def split_written_apart(parsed: ParsedQuery, state: IndexState) -> None:
    """Each word the collection does not have that the posts write in parts, with dots,
    an ampersand, a hyphen or a comma between them, searched as those parts (a phrase),
    as if typed so: "phd" is "Ph.D.", "mba" "M.B.A.", "att" "AT&T", "covid19"
    "COVID-19", "2.5billion" "2.5 billion", "2500000" "2 500 000" (a number written
    with commas is one word, TOKEN_PATTERN). The parts are the word's runs of letters
    and of numbers, a number's groups of three digits, or, for initials (at most
    LONGEST_INITIALS letters), any cut into words of the collection, one of them a
    single letter; of those the posts say, the one of fewest parts. Asked after the
    typos are corrected: a typo ("seta", "neww") can often be cut into words the posts
    say ("set a", "new w"), and its correction is likelier."""
    vocab, said = state.vocabulary, said_in(state)
    for _, unit, word in _lone_words(parsed):
        if word in vocab.df or word in STOP_WORDS or not word.isascii():
            continue
        for parts in _ways_apart(word, vocab.df)[:WAYS_APART]:
            if said(parts):
                unit.words, unit.phrase = parts, True
                break


def split_after_a_letter(parsed: ParsedQuery, state: IndexState) -> None:
    """Each word the collection does not have, nor a form of it, that the posts write
    with a hyphen after its first letter ("email" where they say only "e-mail",
    "ecommerce" for "e-commerce"; the letters of `ONE_LETTER`), searched as those two
    words, as if typed so: a word alone becomes a phrase, in either number (`"e mail"
    OR "e mails"`); in a quoted phrase ("never send an email in anger") or a word
    excluded (`-email`), the two words take its place. Asked before the typos are
    corrected: one edit from such a word is often another word ("email": "emil",
    "mail"; "ecommerce": "commerce"), and the reader meant the compound the posts say.
    The second part is a word of the collection of MIN_APART_PART letters or more, not
    a stop word or one that points ("ethe" is no "e the"), that the posts say after the
    letter."""
    vocab, said = state.vocabulary, said_in(state)

    def parts(word: str) -> list[str]:
        """The second parts the posts say after `word`'s letter: as typed, then in the
        other number; none if `word` is no such compound."""
        if word[:1] not in ONE_LETTER or word in vocab.df or not word.isascii():
            return []
        letter, rest = word[0], word[1:]
        if len(rest) < MIN_APART_PART or not rest.isalpha() or known_by_stem(word, vocab):
            return []
        # (A phrase matches its words as written: "e mail" and "e mails" both asked.)
        other = rest[:-1] if rest.endswith("s") else rest + "s"
        return [last for last in (rest, other)
                if last in vocab.df and not _pointer(last) and said([letter, last])]  # fmt: skip

    # (The phrases typed, and the words left out, before a word alone becomes a phrase.)
    others = [u for g in parsed.groups for u in g if u.phrase and not u.prefix and not u.synonym]
    others += [u for u in parsed.negatives if not u.prefix]
    for group, unit, word in list(_lone_words(parsed)):
        lasts = parts(word)
        if lasts:
            unit.words, unit.phrase = [word[0], lasts[0]], True
        group += [Unit([word[0], last], phrase=True, original=f"{word[0]} {last}",
                       synonym=True, fields=unit.fields) for last in lasts[1:]]  # fmt: skip
    for unit in others:
        words = _with_parts(unit.words, parts)
        unit.phrase = unit.phrase or len(words) > len(unit.words)
        unit.words = words


def _with_parts(words: list[str], parts: Callable[[str], list[str]]) -> list[str]:
    """`words`, each that `parts` cuts replaced by its letter and first part."""
    out = []
    for word in words:
        lasts = parts(word)
        out += [word[0], lasts[0]] if lasts else [word]
    return out


def also_written_apart(parsed: ParsedQuery, state: IndexState) -> None:
    """Each word the collection has that posts also write as two words, with a hyphen
    or a space between them ("email" as "e-mail", "healthcare" as "health care",
    "website" as "web site", "workforce" as "work force"), searched as those two words
    too: a phrase, beside the word as typed (Meilisearch's split queries; the other way
    round is join_split_words, search/corrections.py). The parts are words of the
    collection at least as frequent as the word, neither a stop word nor, in a word of
    English, a word that only points or counts (`POINTERS`: "any way" is no "anyway",
    "now here" no "nowhere", "over all" no "overall"; `_points`), the first of two
    letters or more or "e", the second of MIN_APART_PART letters or more ("up" too:
    "startup" as "start-up"), in either number; of the cuts, the one whose rarer part
    is the more frequent first (Meilisearch's rule: "news paper", not "new spaper").

    A cut is taken only where its parts go together: at least COMPOUND_SHARE (one in
    fifty) of the posts with its rarer part say the two as a phrase (of the posts with "care", a
    quarter say "health care"; of those with "line", one in thirty "on line")."""
    apart_of = written_apart(state)
    for group, unit, word in _lone_words(parsed):
        try:
            apart = apart_of(word)
        except TimeLimit:
            return
        if apart:
            first, lasts = apart
            group += [Unit([first, last], phrase=True, original=f"{first} {last}",
                           synonym=True, fields=unit.fields) for last in lasts]  # fmt: skip


def written_apart(state: IndexState) -> Callable[[str], tuple[str, list[str]] | None]:
    """apart(word): the two words posts also write `word` as, a word of the collection
    (`also_written_apart`'s rules): (its first part, the second parts the posts say
    after it), or None; remembered per generation. The lookups of one query share
    APART_SECONDS; past them, apart() raises TimeLimit."""
    vocab = state.vocabulary.df
    phrases = None

    def phrases_of() -> Phrases:
        nonlocal phrases
        phrases = phrases or Phrases(state, time.perf_counter() + APART_SECONDS)
        return phrases

    def apart(word: str) -> tuple[str, list[str]] | None:
        if word not in vocab or word in STOP_WORDS or not word.isalpha() or not word.isascii():
            return None
        found = _apart.get(state, word)
        if found is MISSING:
            found = _written_apart(word, vocab, phrases_of)
            _apart.put(state, word, found)
        return found

    return apart


def _written_apart(word: str, vocab: Mapping[str, int],
                   phrases_of: Callable[[], Phrases]) -> tuple[str, list[str]] | None:  # fmt: skip
    """The cut of `word` that also_written_apart searches: (its first part, the second
    parts the posts say after it, in one number or both), or None. Raises TimeLimit."""
    cuts = []
    ats = list(range(1, len(word) - MIN_APART_PART + 1))
    ats += [len(word) - len(p) for p in SHORT_SECOND_PARTS if word.endswith(p) and len(word) > 4]
    for at in ats:
        first, second = word[:at], word[at:]
        if first not in vocab or _points(first, word) or (at == 1 and first not in ONE_LETTER):
            continue
        if second in SUFFIXES:  # ("transport ing", "act ive": a word's ending, cut off)
            continue
        # (in either number: "website" finds "web sites" as it finds "websites")
        other = second[:-1] if second.endswith("s") else second + "s"
        lasts = [last for last in (second, other) if last in vocab and not _points(last, word)]
        rarer = min(vocab[first], sum(vocab[last] for last in lasts))
        # (A compound is made of commoner words: "tar get", "s truck" and "wh ich",
        # a line's hyphen or a spammer's space, are rarer than "target", "struck"
        # and "which", and their phrase's rarity would rank those posts first.)
        if lasts and rarer >= vocab[word]:
            cuts.append((rarer, first, lasts))
    for rarer, first, lasts in sorted(cuts, reverse=True)[:CUTS_TRIED]:
        said = {last: phrases_of().posts(SAID_FIELDS, [first, last]) for last in lasts}
        if len(set().union(*said.values())) >= max(1, COMPOUND_SHARE * rarer):
            return first, [last for last in lasts if said[last]]
    return None


def _pointer(word: str) -> bool:
    return word in STOP_WORDS or word in POINTERS


def _points(part: str, word: str) -> bool:
    """Whether `part`, a part of `word`, keeps `word` whole: a stop word, or a word that
    only points or counts in a word of English ("any way" is no "anyway"). Not in a
    word English lacks, which posts write only with a hyphen: "oneyear", indexed
    whole from "one-year" and so no typo to split, is "one year" too (it had found the
    23 posts that say "one-year", not the 82 that say it either way), and "noone" is
    "no one"."""
    return part in STOP_WORDS or (part in POINTERS and is_common_english(word))


def _ways_apart(word: str, df: Mapping[str, int]) -> list[list[str]]:
    """The ways to write `word` in parts that split_written_apart tries, fewest parts
    first."""
    runs = _LETTERS_AND_DIGITS.findall(word)
    if len(runs) > 1 and "".join(runs) == word:
        return [runs] if all(run in df for run in runs) else []
    if word.isdigit() and word.isascii() and len(word) > 3:  # ("2500000": "2 500 000")
        head = len(word) % 3 or 3
        groups = [word[:head]] + [word[i : i + 3] for i in range(head, len(word), 3)]
        return [groups] if all(group in df for group in groups) else []
    if not word.isalpha() or len(word) > LONGEST_INITIALS:
        return []
    found = []
    for cuts in itertools.product((False, True), repeat=len(word) - 1):
        parts, start = [], 0
        for at, cut in enumerate(cuts, 1):
            if cut:
                parts.append(word[start:at])
                start = at
        parts.append(word[start:])
        if len(parts) > 1 and min(map(len, parts)) == 1 and all(p in df for p in parts):
            found.append(parts)
    return sorted(found, key=len)


def split_run_together(parsed: ParsedQuery, state: IndexState) -> list[dict]:
    """Beside each word the collection does not have (see the module docstring), the
    phrase of the words it splits into, if any. Of several splits, the one of fewest
    words, then the one whose rarest word is the most frequent ("customerservice" is
    "customer service", not "customers ervice"; "carsales" "car sales", not "cars
    ales"). Gives a correction ({"from", "to"}, as search/typos.py's) for each split
    that corrected a typo, so that the reader is told what was searched."""
    vocab, said = state.vocabulary, said_in(state)
    corrections = []
    for group, unit, word in _lone_words(parsed):
        if word in vocab.df or not word.isalpha() or len(word) > MAX_SPLIT_LETTERS:
            continue
        # (A category's or tag's word, "profitability", is no words run together; a
        # name's words written as one, "salesmanagement", are split too, for the posts
        # that say them.)
        if state.topics.knows(word) and not state.topics.joins(word):
            continue
        if known_by_stem(word, vocab):  # ("community" is "communities", not "comm unity")
            continue
        parts = segment_with_typo(word, vocab, said)
        if (
            parts is not None
            and "".join(parts) != word
            and (is_common_english(word) or not said(parts))
        ):
            # A word of English, not words typed together ("advice"); a split with a
            # typo corrected that no post says is a guess on a guess ("bizzare" is no
            # "biz zaire").
            parts = None
        plural = parts is None and _split_singular(word, vocab.df, said)
        if plural:
            # ("startups" where the posts say only "start-up": the phrase is matched
            # word for word, and the plural of a compound ends its last part)
            group.append(Unit(plural, phrase=True, original=" ".join(plural), synonym=True,
                              split=True, fields=unit.fields))  # fmt: skip
        if parts is not None:
            group.append(Unit(parts, phrase=True, original=" ".join(parts), synonym=True,
                              split=True, fields=unit.fields))  # fmt: skip
            if "".join(parts) != word:  # (a split as typed gives the word back)
                corrections.append({"from": word, "to": " ".join(parts)})
    return corrections


def _split_singular(word: str, df: Mapping[str, int], said) -> list[str] | None:
    """A plural typed as one word ("startups") whose singular the posts write in parts
    ("start-up", "start up"): the singular's split, where a post says it; else None."""
    if len(word) < 5 or not word.endswith("s") or word.endswith("ss"):
        return None
    parts = segment(word[:-1], df)
    return parts if parts is not None and said(parts) else None


def segment(word: str, df: Mapping[str, int]) -> list[str] | None:
    """`word` as two to MAX_SPLIT_PARTS words of `df`, each of at least MIN_SPLIT_PART
    letters or a stop word, not all stop words ("ofthe": a phrase of stop words selects
    nothing): the split of fewest words, then of the largest smallest document
    frequency; None if there is none."""
    found = _best_split(word, df, _rows(word, df))
    return found[1] if found else None


def segment_with_typo(
    word: str, vocab: Vocabulary, said: Callable[[list[str]], bool] | None = None
) -> list[str] | None:
    """`segment`'s split, unless a split with its first or last word corrected (one
    typo) reads better: one of fewer content words (not stop words) whose rarest word is
    as frequent ("custmerservice": "customer service", not "cust mer service"), or, when
    the split as typed is weak (none, or its rarest word in fewer than WEAK_SPLIT posts)
    and not a phrase of English the posts say (`said`: "thankyou" is "thank you", which
    one post says, not "than you"), one of no more words whose rarest word is
    TYPO_SPLIT_GAIN times as frequent."""
    df = vocab.df
    rows = _rows(word, df)
    exact = _best_split(word, df, rows)
    weak = exact is None or (exact[0] < WEAK_SPLIT and not _attested(exact[1], df, said))
    if not weak and _content(exact[1]) <= 2:  # (no split with a typo has fewer)
        return exact[1]
    fixed = _typo_split(word, vocab, rows)
    if fixed is None or exact is None:
        return (fixed or exact or (0, None))[1]
    if _content(fixed[1]) < _content(exact[1]) and fixed[0] >= exact[0]:
        return fixed[1]
    if weak and len(fixed[1]) <= len(exact[1]) and fixed[0] >= TYPO_SPLIT_GAIN * exact[0]:
        return fixed[1]
    return exact[1]


def _attested(words: list[str], df: Mapping[str, int], said) -> bool:
    """Whether a weak split is a phrase the posts say (`said`) of words of English, its
    rare ones no typos ("thank you"; not "small busines", which a post or two say too)."""
    rare = [w for w in words if df[w] < WEAK_SPLIT]
    return said is not None and all(map(is_common_english, rare)) and said(words)


def _content(words: list[str]) -> int:
    return sum(1 for w in words if w not in STOP_WORDS)


# rows[k][(end, content)] = (the largest smallest df, the key k - 1 words before): the
# best way to write word[:end] as k words of the collection, `content` whether any of
# them is not a stop word. (A path through the word whose width is its narrowest step,
# found a number of words at a time.)
Rows = list[dict[tuple[int, bool], tuple[int, tuple[int, bool] | None]]]


def _rows(word: str, df: Mapping[str, int]) -> Rows:
    n = len(word)
    rows: Rows = [{(0, False): (1 << 62, None)}]
    for k in range(1, MAX_SPLIT_PARTS + 1):
        row: dict = {}
        for (start, content), (width, _) in rows[k - 1].items():
            for end in range(start + 1, n + 1):
                part = word[start:end]
                stop = part in STOP_WORDS
                if len(part) < MIN_SPLIT_PART and not stop:
                    continue
                found = df.get(part)
                if found is None or (k == 1 and end == n):  # (the word itself: not a split)
                    continue
                key, narrowest = (end, content or not stop), min(width, found)
                if key not in row or narrowest > row[key][0]:
                    row[key] = (narrowest, (start, content))
        rows.append(row)
        if not row:
            break
    return rows


def _words(word: str, rows: Rows, k: int, key: tuple[int, bool]) -> list[str]:
    """The k words `rows` wrote word[:key[0]] as."""
    parts = []
    for j in range(k, 0, -1):
        before = rows[j][key][1]
        parts.append(word[before[0] : key[0]])
        key = before
    return parts[::-1]


def _best_split(word: str, df: Mapping[str, int], rows: Rows) -> tuple[int, list[str]] | None:
    """(its rarest word's document count, the split) of fewest words, or None."""
    for k in range(2, len(rows)):
        found = rows[k].get((len(word), True))
        if found is not None:
            return found[0], _words(word, rows, k, (len(word), True))
    return None


def _typo_split(word: str, vocab: Vocabulary, rows: Rows) -> tuple[int, list[str]] | None:
    """The best split (fewest words, then the largest smallest df) of `word` whose last
    word, or whose first word, is a typo `_corrected` corrects, the others as typed."""
    df, n = vocab.df, len(word)
    found: list[tuple[int, int, list[str]]] = []  # (words, -narrowest, split)
    tries = [TYPO_TRIES]
    for k in range(1, min(len(rows), MAX_SPLIT_PARTS)):
        for (end, content), (width, _) in rows[k].items():
            fixed = _corrected(word[end:], vocab, tries)
            if fixed is not None and (content or fixed not in STOP_WORDS):
                split = [*_words(word, rows, k, (end, content)), fixed]
                found.append((k + 1, -min(width, df[fixed]), split))
    for end in range(MIN_SPLIT_PART, n - MIN_SPLIT_PART + 1):
        fixed = _corrected(word[:end], vocab, tries)
        if fixed is None:
            continue
        rest = word[end:]
        after = (df[rest], [rest]) if rest in df else _best_split(rest, df, _rows(rest, df))
        if after is not None:
            found.append((1 + len(after[1]), -min(after[0], df[fixed]), [fixed, *after[1]]))
    if not found:
        return None
    _, narrowest, split = min(found, key=lambda f: (f[0], f[1]))
    return -narrowest, split


def _corrected(part: str, vocab: Vocabulary, tries: list[int]) -> str | None:
    """The collection's word `part` is one typo from, if `part` is not one of its words
    or a rare one (in fewer than WEAK_SPLIT posts: "busines"), and one is (the likeliest
    slip first, then the most frequent: search/typos.py)."""
    if vocab.df.get(part, 0) >= WEAK_SPLIT or not allowed_typos(part):
        return None
    if len(part) > LONGEST_TYPO_PART or tries[0] <= 0:
        return None
    tries[0] -= 1
    found = candidates(part, vocab, most=1)  # (inside a hashtag: one typo, not two)
    return found[0][0] if found else None
