"""Snippets: the passage of an article that best shows why it matched, as safe HTML.

Takes a text and a `Matcher` built from the query (`passage`, `highlight`); gives
HTML in which every character of the text is escaped and the words that matched, as
written in the text (not their stems), are wrapped in <mark>.

The passage is chosen the way Elasticsearch's unified highlighter scores passages:
the window with the most distinct query words close together wins (then the most
words in the forms typed, then the most matches, then the earliest), and it is cut at
a sentence start when one is near, else at a word boundary. Shared boilerplate (the
author's bio line, photo credits, video blurbs) is only chosen when nothing else
matches, or nothing but a word searched as another reading of a corrected one.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from html import escape

from indexer.analysis import (
    LETTER_HYPHEN,
    NUMBER_GOES_ON,
    STOP_WORDS,
    TextAnalyzer,
    compound_spans,
    fold,
    normalize_token,
    unapostrophe,
    without_accents,
)
from indexer.word_forms import forms_of

BOILERPLATE = re.compile(
    "|".join(
        (
            r"\bis (?:the )?author of (?:the )?(?:award-winning )?book\b",
            r"^Photo (?:courtesy|credit)",
            r"^Click (?:on )?(?:the|this) (?:image|link)",
            r"\bon (?:Vimeo|YouTube)\.?$",
            r"more important than ever to prepare for the moment of relevance",
            r"^Write this on a rock\b",  # the maxim is shown on its own
        )
    ),
    re.I,
)  # one pattern, one pass per paragraph
# The post's own maxim, boilerplate to a snippet (it is shown on its own), but no sign of
# a post matched only where many posts say the same (`passage`'s third value).
MAXIM_LINE = re.compile(r"^Write this on a rock\b", re.I)
LEAD = 50  # characters of context before the first match
SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+")

_STEM = TextAnalyzer(stem=True)
# What comes before a letter inside a word of ASCII text (the regex's \w, and the
# apostrophe of "don't").
_INSIDE_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'")
_WORD = _INSIDE_WORD - {"'"}  # (the regex's \w in ASCII text)
_EXACT = TextAnalyzer(stem=False)


def _starts_word(low: str, at: int) -> bool:
    """Whether a word of `low` (a text `lowered`) starts at `at`: after no letter, digit
    or apostrophe, or after an apostrophe that follows none, which opens a quotation
    (‘thank you’ has "thank"; "don't" has no word "t"), and not after the point or the
    thousands separator inside a number (the "5" of "2.5", the "500" of "2,500": one
    word each, TOKEN_PATTERN)."""
    if not at or low[at - 1] not in _INSIDE_WORD:
        return not (at > 1 and low[at - 1] in ".," and low[at - 2] in _DIGITS
                    and _INSIDE_NUMBER.match(low, at - 1))  # fmt: skip
    return low[at - 1] == "'" and (at < 2 or low[at - 2] not in _WORD)


_DIGITS = frozenset("0123456789")
_INSIDE_NUMBER = re.compile(NUMBER_GOES_ON)


# Heads this long or longer are found with str.find (`Matcher.runs`); shorter ones, the
# stop words, with `_head_run`'s pattern.
FOUND_HEAD = 3
# The rest of a word from inside it: letters, an apostrophe with letters after it, and a
# number's decimal point or thousands separator with digits after it (TOKEN_PATTERN).
_WORD_REST = re.compile(rf"\w*(?:'\w+)*(?:{NUMBER_GOES_ON}\w+(?:'\w+)*)*")  # (and `_head_run`'s)


def head_split_in(head: str, low: str) -> bool:
    """Whether `low` has `head` written with apostrophes between its letters."""
    if "'" not in low:
        return False
    # (Only a word with an apostrophe can have it so: the tests below read those words
    # alone, not the whole body once or twice for each of a query's heads.)
    low = _with_apostrophes(low)
    if not _bordered(head) and _bare(low).count(head) == low.count(head):
        # Each time `head` is written in `low` it is also in the text without its
        # apostrophes; it is split only if that text has it more often. (A head that
        # starts as it ends, "anan", can overlap itself, which counting misses.)
        return False
    if any(f"{head[:n]}'{head[n:]}" in low for n in range(1, len(head))):
        return True
    # (Split twice or more, "2'2'2" for "222": only where a word has two apostrophes.)
    return _twice_inside(low) and any(
        _splits(m.group(), len(head)) for m in _head_run(head).finditer(low))  # fmt: skip


@functools.lru_cache(maxsize=4)  # (asked for each of a query's heads in one body)
def _with_apostrophes(low: str) -> str:
    """The words of `low` that have an apostrophe ("don't", "customers'", "'tis"), each
    whole (a run of letters, digits, "_" and apostrophes), one space between. A head
    written with apostrophes inside is in one of them, and a head is as often in them
    with their apostrophes as without only if it is so in `low`. (Found from the
    apostrophes with str.find: 1 µs a body of the 10k corpus, a pattern's findall 22.)"""
    out, at, end = [], low.find("'"), len(low)
    while at >= 0:
        start = at
        while start and (low[start - 1].isalnum() or low[start - 1] in "_'"):
            start -= 1
        at += 1
        while at < end and (low[at].isalnum() or low[at] in "_'"):
            at += 1
        out.append(low[start:at])
        at = low.find("'", at)
    return " ".join(out)


@functools.lru_cache(maxsize=4)  # (asked for each of a query's heads in one body)
def _bare(low: str) -> str:
    return low.replace("'", "")


@functools.lru_cache(maxsize=1024)
def _bordered(head: str) -> bool:
    """Whether `head` begins with what it ends with ("anan", "that")."""
    return any(head[:n] == head[-n:] for n in range(1, len(head)))


_LETTERS = re.compile(r"\w+")
_WORDS_BETWEEN = re.compile(r"\w")  # (two words of a phrase have none between them)


@functools.lru_cache(maxsize=16)  # (asked for each of a query's heads in one body)
def _twice_inside(low: str) -> bool:
    """Whether a word of `low` has two apostrophes inside it ("rock'n'roll"): rare.
    (Found from the apostrophes with str.find: a pattern's scan of the body took 12 µs
    a kilobyte.)"""
    at = low.find("'")
    while at >= 0:
        after = low.find("'", at + 1)
        if after < 0:
            return False
        if (at and _LETTERS.fullmatch(low, at + 1, after) and _LETTERS.match(low, at - 1, at)
                and _LETTERS.match(low, after + 1, after + 2)):  # fmt: skip
            return True
        at = after
    return False


def _splits(run: str, letters: int) -> bool:
    """Whether an apostrophe stands between the first `letters` letters of `run`."""
    seen = 0
    for char in run:
        if char != "'":
            seen += 1
            if seen == letters:
                return False
        elif seen:
            return True
    return False


@functools.lru_cache(maxsize=1024)  # (a pattern is a few hundred bytes)
def _head_run(head: str) -> re.Pattern:
    """The pattern of a run of letters from `head` to the end of its word."""
    # A head may be written with apostrophes between its letters ("don't" for "dont").
    # (No look-behind for the word's start: tried at every character, it tripled the
    # search. A run found inside a word goes on to the word's end, and is not kept:
    # `Matcher.matches` keeps the runs at a word's start.)
    spelled = "'?".join(map(re.escape, head))
    return re.compile(spelled + _WORD_REST.pattern)


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


@functools.lru_cache(maxsize=4096)
def _as_ascii(char: str) -> str | None:
    """What a character not in ASCII stands for in `lowered` text, one for one: a letter
    or digit its one ASCII letter or digit without accent, as the index has it ("É":
    "e", "²": "2"); a character outside words (®, €, •, an emoji) itself; None for a
    letter with no one-letter ASCII form ("ß", "ﬁ", Greek)."""
    if not char.isalnum():  # (the tokenizer's \w: letters, digits and "_")
        return char
    base = without_accents(char.lower())
    return base if len(base) == 1 and base.isascii() and base.isalnum() else None


def lowered(text: str) -> str | None:
    """`text` folded, lower-cased and without its letters' accents, one character for
    one so that its offsets hold: the words in it as the index has them ("Résumé's" has
    "resume's"). None when a letter has no one-letter ASCII form: the caller then splits
    the text into its words (`_EXACT.spans`)."""
    low = fold(text)
    if not low.isascii():
        table = {char: _as_ascii(char) for char in set(_NOT_ASCII.findall(low))}
        if None in table.values():
            return None
        for char, to in table.items():
            if char != to:
                low = low.replace(char, to)
    low = low.lower()
    return low if len(low) == len(text) else None


_UNASKED = object()  # (a word `Matcher.tokens` has not yet asked the key of)
# Where a word of a phrase starts and ends in a text: not inside another word, nor inside
# a number ("5" is not said in "2.5", TOKEN_PATTERN).
_NOT_AFTER_A_WORD = rf"(?<!\w)(?<!{NUMBER_GOES_ON})"
_AT_WORD_END = rf"(?!\w)(?!{NUMBER_GOES_ON})"
_THOUSANDS = re.compile(r"[1-9]\d{3,39}")  # (a word has at most MAX_TOKEN_CHARS)


def with_commas(word: str) -> str:
    """A number of thousands as written with commas ("10000.5": "10,000.5"), which the
    index reads as `word`; any other word itself."""
    whole, point, rest = word.partition(".")
    if not _THOUSANDS.fullmatch(whole):
        return word
    return f"{int(whole):,}{point}{rest}"


def _as_written(word: str) -> str:
    """A pattern of `word` as a text may write it: a number of thousands with or without
    its commas."""
    grouped = with_commas(word)
    return re.escape(word) if grouped == word else re.escape(grouped).replace(",", ",?")


@dataclass
class Matcher:
    """Which words of a text count as matches for a query."""

    words: set[str] = field(default_factory=set)  # exact normalized words
    stems: set[str] = field(default_factory=set)
    prefixes: tuple[str, ...] = ()
    # The keys (see `key`) of words only searched as other readings of a corrected
    # word ("roi" beside "rock" for "rok"): a paragraph with nothing else is a weaker
    # snippet (`passage`).
    weak: frozenset[str] = frozenset()
    # The query's phrases, each the keys of its words in order, and the keys of the
    # words searched only in them (see `in_phrases`).
    phrases: tuple[tuple[str, ...], ...] = ()
    phrase_only: frozenset[str] = frozenset()
    # Whether those words are marked in their phrases only, even in a text that says
    # none of them (see `said_in`), and the patterns of the phrases as typed it asks.
    strict: bool = False
    phrase_patterns: tuple[re.Pattern, ...] = ()

    @classmethod
    def for_words(cls, words, prefixes=(), alternatives=(), phrases=()) -> Matcher:
        """`alternatives`: those of `words` that are other readings of a corrected word;
        `phrases`: the word lists of the query's phrases (their words are matched
        beside each other where a text says the phrase: `in_phrases`), whose words
        `words` need not list again."""
        words = [*words, *(w for phrase in phrases for w in phrase)]
        stems = {_STEM.stems[w] for w in words if w not in STOP_WORDS}
        matcher = cls(set(words), stems, tuple(prefixes))
        strong = {matcher.key(w) for w in words if w not in alternatives}
        matcher.weak = frozenset(matcher.key(w) for w in alternatives) - strong
        said = tuple(dict.fromkeys(tuple(map(matcher.key, p)) for p in phrases if len(p) > 1))
        if said:
            loose = {matcher.key(w) for w in words[: len(words) - sum(map(len, phrases))]}
            matcher.phrases = said
            matcher.phrase_only = frozenset(k for p in said for k in p) - loose
            matcher.phrase_patterns = tuple(
                re.compile(_NOT_AFTER_A_WORD + r"\W+".join(map(_as_written, p)) + _AT_WORD_END)
                for p in dict.fromkeys(tuple(p) for p in phrases if len(p) > 1))  # fmt: skip
        return matcher

    @cached_property
    def probes(self) -> set[str]:
        """Short lower-case strings one of which any matching paragraph must contain.

        A stem and the words it comes from share their first letters ("custom",
        "customers"), so testing 4-letter heads with `in` skips most paragraphs before
        the costlier word-by-word pass.
        """
        content = [w for w in self.words if w not in STOP_WORDS] or list(self.words)
        # (Not so a British spelling, an irregular plural or past, "women" for `woman`,
        # "made" for `making`: their forms, and their stems', are looked for too,
        # indexer/word_forms.py.)
        forms = [form for w in [*content, *self.stems] for form in forms_of(w)]
        # (A number of thousands is looked for as written with commas too: "10,000".)
        grouped = [g for w in content if (g := with_commas(w)) != w]
        words = [*content, *forms, *grouped, *self.stems, *self.prefixes]
        # A short word's final "e" goes before an ending: "loving" for `love`, "using"
        # for `use`.
        dropped = [w[:-1] for w in words if 2 < len(w) <= 4 and w.endswith("e")]
        return {t[:4] for t in [*words, *dropped] if t}

    def may_match(self, text: str) -> bool:
        low = lowered(text)
        if low is None:  # (a containment test: the offsets need not hold)
            low = without_accents(fold(text).lower())
        return self.may_match_lowered(low)

    def may_match_lowered(self, lowered: str) -> bool:
        """may_match of text already folded and lower-cased. Words are indexed without
        their apostrophes ("don't" is "dont"), so the probes are looked for without
        them too; and a word written with hyphens is indexed whole too ("co-operation"
        as "cooperation"), so without its hyphens."""
        if "'" in lowered:
            lowered = lowered.replace("'", "")
        for probe in self.probes:  # noqa: SIM110 (a loop, not any() of a generator: a third less)
            if probe in lowered:
                return True
        if "-" in lowered:
            joined = lowered.replace("-", "")
            return any(probe in joined for probe in self.probes)
        return False

    def key(self, word: str) -> str | None:
        """The query term this text word matches (its stem or itself), or None."""
        if "'" in word or "," in word:
            word = normalize_token(word)  # as indexed: "customer's" is "customer", "10,000" "10000"
        if word in self.words:
            return word if word in STOP_WORDS else _STEM.stems[word]
        if self.stems and word not in STOP_WORDS:
            stem = _STEM.stems[word]
            if stem in self.stems:
                return stem
        for prefix in self.prefixes:
            if word.startswith(prefix):
                return prefix
        return None

    @cached_property
    def stop_words(self) -> frozenset[str]:
        """The query's stop words."""
        return frozenset(w for w in self.words if w in STOP_WORDS)

    @cached_property
    def heads(self) -> list[str]:
        """The heads a matching word may start with: the probes, and the query's stop
        words (marked beside another match)."""
        return sorted(self.probes | self.stop_words)

    def runs(self, head: str, low: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of each run of letters in `low` that starts with `head`
        at a word's start and goes on to that word's end."""
        if len(head) < FOUND_HEAD or head_split_in(head, low):
            # A short head (a stop word: "a", "on") starts a run at many a letter, each
            # found by one pattern's scan in C; a head written with an apostrophe inside
            # ("don't" for "dont"), in a text that has such a word, takes its pattern.
            return [(m.start(), m.end(), m.group()) for m in _head_run(head).finditer(low)
                    if _starts_word(low, m.start())]  # fmt: skip
        # (Found with str.find, not by a pattern compiled for the head: a query's words
        # are often new to the process, and compiling a pattern took 30 µs a head.)
        out, at, rest = [], low.find(head), _WORD_REST.match
        while at >= 0:
            if _starts_word(low, at):
                end = rest(low, at + len(head)).end()
                out.append((at, end, low[at:end]))
            at = low.find(head, at + 1)
        return out

    def matches(self, text: str, low: str | None = None) -> list[tuple[int, int, str]]:
        """Spans of the words that match (`low`: the text `lowered`, when the caller
        has it). A stop word ("a", "on") is marked only next to another match, as part
        of a phrase, unless the query has nothing but stop words."""
        low = low if low is not None else lowered(text)
        if low is not None:  # the offsets hold: look only at likely words
            tokens = self.tokens(low)
        else:
            low = text
            tokens = [(s, e, w, self.key(w)) for s, e, w in _EXACT.spans(text)]
        return self.kept(self.in_phrases(tokens, low), low)

    def in_phrases(self, tokens: list, low: str) -> list:
        """`tokens` (as `tokens` gives them, of one text: offsets into `low`) less the
        words searched only in a phrase where they are not in it, when the text says one
        of the query's phrases: for "age of the seller", "the Age of the Seller" is
        marked, not each "of", "the" and "age" of "control of the primary" and "the Age
        of the Customer" beside it (as Elasticsearch's highlighter marks a phrase
        query). A text that says no phrase keeps them all: the phrase matched in
        another form (a compound written apart, a quotation as misremembered)."""
        if not self.phrases or not tokens:
            return tokens
        inside = self._in_runs(tokens, low)
        if not inside and not self.strict:
            return tokens
        only = self.phrase_only
        return [t for i, t in enumerate(tokens) if i in inside or t[3] not in only]

    def _in_runs(self, tokens: list, low: str) -> set[int]:
        """The indexes of `tokens` that are in a run of one of the query's phrases."""
        keys = [token[3] for token in tokens]
        inside: set[int] = set()
        for phrase in self.phrases:
            n = len(phrase)
            for i in range(len(tokens) - n + 1):
                if keys[i] == phrase[0] and tuple(keys[i : i + n]) == phrase and not any(
                        _WORDS_BETWEEN.search(low, tokens[j][1], tokens[j + 1][0])
                        for j in range(i, i + n - 1)):  # fmt: skip
                    inside.update(range(i, i + n))
        return inside

    def said_in(self, texts: list[str]) -> Matcher:
        """This matcher, marking a phrase's words in the phrase only in each of `texts`
        (a post's body, title and maxim) where one of them says a phrase of the query:
        the post was found by it there, and its words elsewhere ("an age of the buyer"
        in the title of a post whose body says "the age of the seller") are no match."""
        if not self.phrases or self.strict:
            return self
        # (Asked of each text's lower case for a phrase as typed, the words apart by
        # anything but letters: one scan in C. A text that says it otherwise, its
        # words in another form, is not asked: its words keep their marks. Its words
        # found by `tokens`, as `in_phrases` finds them, took 100 ms of a phrase of
        # stop words at 100k posts, ten long bodies scanned twice.)
        for text in texts:
            low = text[:SNIPPET_WINDOW].lower() if text else ""
            if any(pattern.search(low) for pattern in self.phrase_patterns):
                return self._strict
        return self

    @cached_property
    def _strict(self) -> Matcher:
        return replace(self, strict=True)

    def tokens(self, low: str) -> list[tuple[int, int, str, str]]:
        """(start, end, word, key) of the words of `low` (a text `lowered`) that match,
        stop words included, in order of start."""
        heads = self.heads
        found = [run for head in heads for run in self.runs(head, low)]
        if len(heads) > 1:  # (two heads may start one word: "cust", "cus")
            found = sorted(set(found))
        if "-" in low and self._may_join(low):
            found = self._with_compounds(found, low)
        # (A word is asked its key once a query: a passage's words recur in its body and
        # in the other results'.)
        keys, tokens = self._keys, []
        for s, e, w in found:
            k = keys.get(w, _UNASKED)
            if k is _UNASKED:
                k = keys[w] = self.key(w) if len(w) <= 40 else None
            if k:
                tokens.append((s, e, w, k))
        return tokens

    def _may_join(self, low: str) -> bool:
        """Whether `low` (with a hyphen) may write a word of the query with hyphens: near
        a hyphen between letters, one of its words, stems or prefixes is there without
        the hyphens and not with them. (Looked for around each such hyphen, each test
        in C: reading every hyphenated word was 2.6% of a served request's time, and
        counting the probes in the whole body without its hyphens 2.3%. A word found
        as it is, "year" of "year-end", is marked without this.)"""
        probes = self._join_probes
        if not probes:
            return False
        reach = len(probes[0]) - 1  # (the longest: a probe that spans a hyphen is in reach)
        for hyphen in LETTER_HYPHEN.finditer(low):
            at = hyphen.start()
            near = low[max(0, at - reach) : at + reach + 1]
            joined = near.replace("-", "")
            for probe in probes:
                if probe in joined and probe not in near:
                    return True
        return False

    @cached_property
    def _join_probes(self) -> tuple[str, ...]:
        """What `_may_join` looks for: the query's words (and their stems and prefixes)
        of three letters or more, a stop word's only where the query has nothing else."""
        content = [w for w in self.words if w not in STOP_WORDS] or list(self.words)
        found = {w for w in [*content, *self.stems, *self.prefixes] if len(w) > 2}
        return tuple(sorted(found, key=lambda w: (-len(w), w)))  # (longest first)

    def _with_compounds(self, found: list, low: str) -> list[tuple[int, int, str]]:
        """`found` (runs of `low`, in order) with the words written with hyphens that
        match as the index holds them, written together ("co-operation" for
        "cooperation", "Wi-Fi" for "wifi": indexer/analysis.py, `compounds`), in place
        of the runs of their parts."""
        heads, keys = tuple(self.heads), self._keys
        whole = []
        for start, end, parts in compound_spans(low):
            word = "".join(parts)
            if not word.startswith(heads):
                continue
            k = keys.get(word, _UNASKED)
            if k is _UNASKED:
                k = keys[word] = self.key(word)
            if k:
                whole.append((start, end, word))
        if not whole:
            return found
        inside = [run for run in found
                  if any(s <= run[0] < e for s, e, _ in whole)]  # fmt: skip
        return sorted(set(found) - set(inside) | set(whole))

    @cached_property
    def _keys(self) -> dict[str, str | None]:
        """The keys of the words `tokens` has asked (`key`)."""
        return {}

    def kept(self, tokens, low: str) -> list[tuple[int, int, str]]:
        """The spans of `tokens` (of one paragraph or title: offsets into `low`) to
        mark: a stop word only in a run of matched words side by side that has another
        word than stop words ("the Age of the Customer"), unless the query has only
        them. (Beside another stop word alone, "all of the platforms" and "shifts of
        the new" had "of the" marked in every snippet of "what is the age of the
        customer".)"""
        only_stops = not self.stems and not self.prefixes

        def stop(word: str) -> bool:  # (as indexed: "that's" is the stop word "that")
            return (unapostrophe(word) if "'" in word else word) in STOP_WORDS

        out: list[tuple[int, int, str]] = []
        run: list = []  # matched words with nothing but spaces or marks between
        for token in [*tokens, None]:
            if token is not None and token[3] and run and not _WORDS_BETWEEN.search(
                    low, run[-1][1], token[0]):  # fmt: skip
                run.append(token)
                continue
            if run:
                said = only_stops or not all(stop(w) for _, _, w, _ in run)
                out += [(s, e, k) for s, e, w, k in run if said or not stop(w)]
            run = [token] if token is not None and token[3] else []
        return out


# What may stand between two matched words marked as one: the dot of initials ("U.S."),
# the hyphen of "e-mail", the ampersand of "AT&T", the slash of "24/7"; and between two
# digits the comma of a thousands separator ("2,500", searched as 2500 or "$2,500").
JOINERS = frozenset(".-&/")


def _joins(text: str, at: int) -> bool:
    """Whether the one character at `at`, between two matched words, makes them one mark."""
    return text[at] in JOINERS or text[at] == "," and text[at - 1 : at + 2 : 2].isdigit()


def mark(text: str, spans: list[tuple[int, int, str]], start: int = 0, end: int | None = None):
    """Escape text[start:end], wrapping the matched spans inside it in <mark>; two
    matched words with one of JOINERS between them are one mark ("U.S.", not "U" and
    "S" marked apart)."""
    end = len(text) if end is None else end
    runs: list[list[int]] = []
    for s, e, _ in spans:
        if s < start or e > end:
            continue
        if runs and s - runs[-1][1] == 1 and _joins(text, s - 1):
            runs[-1][1] = e
        else:
            runs.append([s, e])
    out, pos = [], start
    for s, e in runs:
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, matcher: Matcher) -> str:
    """All of `text`, escaped, with every match marked (titles, maxims)."""
    low = lowered(text)
    if low is not None and not matcher.stop_words and not matcher.may_match_lowered(low):
        # No word of the query is in it (most titles of a page): nothing to mark. (Not
        # so for a query with stop words: two of them side by side are marked.)
        return escape(text)
    return mark(text, matcher.matches(text, low))


# Each BOILERPLATE pattern has one of these words: most paragraphs skip the regex.
BOILERPLATE_WORDS = ("author", "photo", "click", "vimeo", "youtube", "relevance", "rock")


def is_boilerplate(paragraph: str) -> bool:
    low = paragraph.lower()
    if not any(w in low for w in BOILERPLATE_WORDS):
        return False
    return BOILERPLATE.search(paragraph) is not None


def typed_forms(text: str, spans, words: set[str], low: str | None = None) -> set[int]:
    """The starts of the spans whose word is in the form the query has ("customers"
    for `customers`), not only of its stem. `low`: the text `lowered`, when it could be."""
    found = set()
    for s, e, _ in spans:
        word = low[s:e] if low is not None else fold(text[s:e]).lower()
        if "'" in word:
            word = unapostrophe(word)
        if word in words:
            found.add(s)
    return found


def best_window(spans, chars: int, typed: set[int] = frozenset(),
                weak: frozenset[str] = frozenset()) -> tuple[tuple, int]:  # fmt: skip
    """(score, anchor index) of the best window of `chars` characters in a paragraph;
    `typed`: the starts of the spans in the form the query has (typed_forms); `weak`:
    the keys that say least (a question's word, another reading of a corrected word),
    which count only as a stop word does ("what is the age of the customer" showed "…
    make up what we now call … customers in the new Age", not the same paragraph's "In
    The Age of the Customer")."""
    best = ((0, 0, 0, 0, 0), 0)
    for i, (start, _, _) in enumerate(spans):
        keys, count, forms, content = set(), 0, 0, 0
        for s, e, k in spans[i:]:
            if e - start > chars - LEAD:
                break
            if k not in keys:
                keys.add(k)
                content += k not in STOP_WORDS and k not in weak
            count += 1
            forms += s in typed
        # Distinct content words count most; stop words only break ties; then the
        # words in the forms typed (as ranking counts them twice: search/scoring.py).
        score = (content, len(keys), forms, count, -start)
        if score > best[0]:
            best = (score, i)
    return best


def cut(paragraph: str, spans, anchor: int, chars: int) -> tuple[int, int]:
    """Window bounds around the anchor match: a sentence start if near, word boundaries."""
    if len(paragraph) <= chars:
        return 0, len(paragraph)
    first = spans[anchor][0]
    start = 0
    if first > LEAD:
        start = first - LEAD
        sentence = None
        for m in SENTENCE_END.finditer(paragraph, max(0, first - LEAD - 60), first):
            sentence = m.end()
        if sentence is not None and first - sentence <= LEAD + 60:
            start = sentence
        else:
            space = paragraph.find(" ", start)
            start = space + 1 if 0 <= space < first else start
    end = min(len(paragraph), start + chars)
    if end < len(paragraph):
        space = paragraph.rfind(" ", start, end)
        end = space if space > first else end
    return start, end


def _said_in_boilerplate(paragraph: str, spans) -> bool:
    """Whether every match of a boilerplate paragraph is in a sentence of the boilerplate
    itself: a video post's one paragraph may tell what the video is about, then end with
    the blurb every video post has."""
    ends = [m.end() for m in SENTENCE_END.finditer(paragraph)] + [len(paragraph)]
    starts = [0, *ends[:-1]]
    for s, _, _ in spans:
        n = bisect.bisect_right(ends, s)
        sentence = paragraph[starts[n] : ends[n]] if n < len(ends) else paragraph
        if not BOILERPLATE.search(sentence.strip()):
            return False
    return True


# A snippet is looked for in the body's first 100,000 characters only, so that a huge
# post costs a result no more than a long one (the time budget covers snippets too).
SNIPPET_WINDOW = 100_000


def _paragraphs(body: str) -> list[tuple[int, str]]:
    """(offset in `body`, paragraph) of the body's paragraphs that are not blank."""
    out, offset = [], 0
    for paragraph in body.split("\n\n"):
        if paragraph.strip():
            out.append((offset, paragraph))
        offset += len(paragraph) + 2
    return out


def _matched(body: str, numbered: list[tuple[int, str]], matcher: Matcher,
             low_body: str | None):  # fmt: skip
    """(number, paragraph, spans, low) of each paragraph with a match, in order; `low`
    is the paragraph `lowered` (None when its letters cannot be); `low_body`: the body
    `lowered`.

    A body `lowered` (curly quotes and dashes made straight, accents dropped) is
    searched for the query's words in one pass, not a paragraph at a time: per
    paragraph, the quick test and one scan for each of the query's word heads were half
    of a snippet's time, and a body has ten paragraphs or more. (A paragraph with a
    curly quote, an accent or a sign like ® had been split into all its words, each
    looked up: 400 µs a snippet on the blog's posts.)"""
    if low_body is not None:
        tokens = matcher.in_phrases(matcher.tokens(low_body), low_body)
        if not tokens:
            return
        starts = [token[0] for token in tokens]
        offsets = [offset for offset, _ in numbered]
        # (From one paragraph with a token to the next: most of a body's paragraphs have
        # none, and were each asked.)
        first, count = 0, len(tokens)
        while first < count:
            n = bisect.bisect_right(offsets, starts[first]) - 1
            offset, paragraph = numbered[n]
            end = offset + len(paragraph)
            last = bisect.bisect_left(starts, end, first + 1)
            mine = tokens[first:last]
            first = last
            low = low_body[offset:end]
            # (the quick test, as for a paragraph alone: stop words matter only in a
            # paragraph with one of the query's other words)
            if not matcher.may_match_lowered(low):
                continue
            mine = [(s - offset, e - offset, w, k) for s, e, w, k in mine]
            spans = matcher.kept(mine, low)
            if spans:
                yield n, paragraph, spans, low
        return
    for n, (_, paragraph) in enumerate(numbered):
        if matcher.may_match(paragraph):
            spans = matcher.matches(paragraph)
            if spans:
                yield n, paragraph, spans, None


def passage(body: str, matcher: Matcher, chars: int = 220,
            apart: str | None = None) -> tuple[str, int | None, bool]:  # fmt: skip
    """The best passage of `body` for the query, as HTML (the opening when nothing
    matches); the number of its paragraph among the body's non-empty paragraphs (None
    when nothing matched), so a result can link to that paragraph; and whether the body
    matched in boilerplate only (the author's bio line, a video blurb shared by many
    posts: see search/engine.py, which lists such posts after the others). `apart`: a
    text the result shows on its own (its maxim, marked): a paragraph that is only that
    text is never the passage ('"the force be with the customer"' showed the maxim's
    sentence twice, once as the maxim and once as the snippet)."""
    if len(body) > SNIPPET_WINDOW:
        body = body[:SNIPPET_WINDOW]
    numbered = _paragraphs(body)
    if apart is not None:
        kept = [(offset, p) for offset, p in numbered if p.strip() != apart.strip()]
        numbered = kept or numbered  # (a body of nothing else: that, as before)
    if not numbered:
        return "", None, False
    low_body = lowered(body)
    # (A paragraph is boilerplate only in a body that has one of its words: most have
    # none. The body `lowered` has every word its lower-cased paragraphs have, and some
    # without their accents. Asked only when a boilerplate paragraph could be chosen.)
    said = low_body if low_body is not None else body.lower()
    here: bool | None = None  # (whether the body has a boilerplate word, once asked)

    def boilerplate(paragraph: str) -> bool:
        nonlocal here
        if not is_boilerplate(paragraph):  # (a paragraph costs less than the body)
            return False
        if here is None:
            here = any(w in said for w in BOILERPLATE_WORDS)
        return here

    candidates = []  # (rank but boilerplate, weak, paragraph, spans, anchor, number)
    for n, paragraph, spans, low in _matched(body, numbered, matcher, low_body):
        typed = typed_forms(paragraph, spans, matcher.words, low)
        score, anchor = best_window(spans, chars, typed, matcher.weak)
        # (Boilerplate, and a paragraph with only other readings of a corrected word,
        # come after the rest: "write this on a rok" showed "…depend on your ROI
        # patience" of a post whose maxim line says "Write this on a rock".)
        content = [k for _, _, k in spans if k not in STOP_WORDS] if matcher.weak else ()
        weak = bool(content) and all(k in matcher.weak for k in content)
        candidates.append(((score, -n), weak, paragraph, spans, anchor, n))
    best = None  # (rank, paragraph, spans, anchor, number, boilerplate)
    if candidates:
        # The best paragraph as if none were boilerplate is the best when it is not:
        # being boilerplate only puts a paragraph lower. Else every one is asked.
        top = max(candidates, key=lambda c: (2 - c[1], c[0]))
        if not boilerplate(top[2]):
            best = (None, *top[2:], False)
        else:
            for rank, weak, paragraph, spans, anchor, n in candidates:
                shared = boilerplate(paragraph)
                full = ((not shared) + (not weak), *rank)
                if best is None or full > best[0]:
                    best = (full, paragraph, spans, anchor, n, shared)
    if best is None:
        shown = (p for _, p in numbered if not boilerplate(p))
        opening = next(shown, numbered[0][1])
        best = (None, opening, [], 0, None, False)
    _, paragraph, spans, anchor, number, aside = best
    aside = aside and not MAXIM_LINE.match(paragraph) and _said_in_boilerplate(paragraph, spans)
    if spans:
        start, end = cut(paragraph, spans, anchor, chars)
    else:
        start, end = 0, min(len(paragraph), chars)
        if end < len(paragraph):
            space = paragraph.rfind(" ", 0, end)
            end = space if space > 0 else end
    html = mark(paragraph, spans, start, end)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(paragraph) else ""
    return prefix + html.strip() + suffix, number, aside
