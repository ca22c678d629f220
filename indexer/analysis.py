"""Text analysis: the stemmed chain (ranked recall) and the exact chain (phrases, typos).

Takes text; gives Whoosh tokens (`TextAnalyzer.__call__`, with character offsets for
highlighting) or plain term lists (`TextAnalyzer.terms`, the fast path used to index).

Both chains share one tokenizer, the word pattern `TOKEN_PATTERN` (what NLTK's
`RegexpTokenizer` with that pattern does: `findall`, and `finditer` for offsets), run
over text whose typographic characters were folded one-for-one (curly quotes,
apostrophes, dashes, ellipsis), so offsets into the folded text are offsets into the
original. Tokens are lower-cased and stripped of accents, and of their apostrophes
(`unapostrophe`): a final "'s" goes, as Lucene's English possessive filter takes it
("customer's" is "customer"), and any other apostrophe is dropped ("don't" is "dont",
"O'Reilly" "oreilly"), as Typesense drops it: readers on phones type "dont", "isnt"
and "oreilly", and found only the few posts written so. Then:

* the stemmed chain drops stop words (without renumbering positions) and applies
  NLTK's Snowball stemmer: "customers", "customer's" and "Customer" are one term;
* the exact chain keeps every word as written, stop words included, so that
  "write this on a rock" is a phrase of five words.

Stems are kept in one cache per process (`STEMS`), shared by every stemmed chain. NLTK's
stemmer is imported only when a word not in it is stemmed (its module alone, 15-30 ms,
indexer/nltk_loading.py; all of NLTK took 0.1-0.25 s, a quarter of a cold `rocksearch
search`), and the query layer teaches the cache the stems of its index's vocabulary
(`learn_stems`), so that a search for indexed words never needs it. Whoosh pickles
analyzers into the index, and NLTK objects that have been used do not unpickle (NLTK >=
3.10.3), so nothing of NLTK is kept in an analyzer.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from pathlib import Path

from whoosh.analysis import STOP_WORDS, Analyzer, Token

from indexer.word_forms import stemmer_form

# A word: letters and digits, with apostrophes inside ("don't", "1990's"). A number goes on
# over a decimal point and over a thousands separator's comma, as Lucene's standard
# tokenizer (Unicode's word rules) keeps it one word: "2.5", "3.10.3", "10,000" (whose
# commas `normalize_token` drops: "10000", as readers type it). Split, "5 billion"
# found every "2.5 billion" ("5" beside "billion"), and "web 2.0" the "$20" of a post
# (the words "2" and "0" joined). A comma joins only before three digits and no more:
# "1,2,3" and "5,6" are lists.
# (The point or comma first, then the digit before it: a third less time than a
# look-behind tried after every word. search/snippets.py reads words so too.)
NUMBER_GOES_ON = r"(?:\.(?=\d)|,(?=\d{3}(?!\d)))(?<=\d.)"
TOKEN_PATTERN = rf"\w+(?:'\w+)*(?:{NUMBER_GOES_ON}\w+(?:'\w+)*)*"
MAX_TOKEN_CHARS = 40  # longer "words" are noise (URLs, base64, keyboard mashing)
STEM_CACHE_LIMIT = 200_000

# NLTK's RegexpTokenizer(TOKEN_PATTERN) is findall / finditer over this pattern with
# these flags (tests/test_analysis.py pins the two equal). NLTK >= 3.10 compiles caller
# patterns with the `regex` engine under a wall-clock timeout, against patterns that
# backtrack catastrophically; ours is linear (no nested quantifiers), and `re` runs it
# about five times faster, which is most of the tokenizing time when indexing.
TOKEN_RE = re.compile(TOKEN_PATTERN, re.UNICODE | re.MULTILINE | re.DOTALL)
# The commas TOKEN_PATTERN keeps inside a number, which `words` takes out of a text before
# reading its words (one scan in C where the text has a comma; a loop over its words
# after took twice as long).
_SEPARATOR = re.compile(r",(?<=\d,)(?=\d{3}(?!\d))")

# One character for one character, so offsets survive folding.
FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u2026": ".", "\u00a0": " ",
    }
)  # fmt: skip


# FOLD as (character, replacement) pairs. No replacement is itself folded, so the order
# of the replacements does not matter.
_FOLD_PAIRS = tuple((chr(code), to) for code, to in FOLD.items())


def fold(text: str) -> str:
    """Typographic folding, one character for one: "It’s—“ok”…" -> "It's-\"ok\".\""""
    if text.isascii():  # only the backtick to fold
        return text.replace("`", "'") if "`" in text else text
    # One `in` and at most one `replace` per folded character, each a scan in C:
    # `str.translate` looks every character of a text that is not ASCII up in its table,
    # 700 µs for one of the blog's posts (10,000 characters, curly quotes throughout)
    # against 13 µs here, and a snippet folds the post's body.
    for char, to in _FOLD_PAIRS:
        if char in text:
            text = text.replace(char, to)
    return text


def without_accents(text: str) -> str:
    """`text` decomposed (NFKD), without its combining marks: "Café" -> "Cafe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_token(word: str) -> str:
    """Lower-case, strip accents, apostrophes and a number's commas: "Café" -> "cafe",
    "Don't" -> "dont", "10,000" -> "10000"."""
    word = word.lower()
    if not word.isascii():
        word = without_accents(word)
    if "," in word:  # a number's thousands separators (TOKEN_PATTERN)
        word = word.replace(",", "")
    return unapostrophe(word) if "'" in word else word


def unapostrophe(word: str) -> str:
    """A word without its apostrophes: a final "'s" removed (a possessive, or "it's",
    "let's": the word it is attached to), but after a digit kept as an "s" (a number's
    plural, a decade's above all: "1990's" is "1990s", as a reader types it), any other
    apostrophe dropped ("don't" -> "dont", "rock'n'roll" -> "rocknroll"). The tokenizer
    only keeps an apostrophe between letters, so a word never ends up empty."""
    if word.endswith("'s"):
        word = word[:-2] + ("s" if word[-3:-2].isdigit() else "")
    return word.replace("'", "")


class _StemCache(dict):
    """word -> Snowball stem, filled on first use; lookups of known words run at dict
    speed. A word not yet asked for is looked up in the vocabularies the query layer
    taught (`learn_stems`), and only a word in none of them is given to NLTK's stemmer,
    made (and NLTK imported) on the first such word."""

    def __init__(self):
        super().__init__()
        self._stem = None
        self._known: list[tuple[Container[str], Mapping[str, str]]] = []
        self._saved: Path | None = None  # a generation whose stems to learn first

    def stemmer(self) -> Callable[[str], str]:
        """NLTK's Snowball stemmer, imported and made on the first call (15-30 ms:
        without the rest of NLTK, indexer/nltk_loading.py)."""
        if self._stem is None:
            from indexer.nltk_loading import snowball_stemmer

            self._stem = snowball_stemmer()
        return self._stem

    def __missing__(self, word: str) -> str:
        if self._saved is not None:
            folder, self._saved = self._saved, None
            _learn_saved(folder)
        for words, differing in self._known:
            if word in words:
                stem = differing.get(word, word)
                break
        else:
            if len(word) <= 2 or (word.replace(".", "").isdigit() and word.isascii()):
                stem = word  # as Snowball leaves them ("2.5" too): not worth importing NLTK for
            else:  # ("colour" is stemmed as "color", "women" as "woman": indexer/word_forms.py)
                stem = self.stemmer()(stemmer_form(word))
        if len(self) > STEM_CACHE_LIMIT:
            self.clear()
        self[word] = stem
        return stem


STEMS = _StemCache()


def load_stemmer() -> None:
    """Import NLTK's stemmer and make it now, for a long-lived process that would
    otherwise pay for it in its first search of a word no vocabulary has (a typo): each
    server worker does in its warm-up (web/server.py), before it answers anyone."""
    STEMS.stemmer()


def stems_differing(words: Iterable[str]) -> dict[str, str]:
    """{word: stem} for those of `words` whose stem is not the word itself (about half
    of a vocabulary): with the words, what `learn_stems` needs."""
    out = {}
    for word in words:
        stem = STEMS[word]
        if stem != word:
            out[word] = stem
    return out


def learn_stems(words: Container[str], differing: Mapping[str, str]) -> None:
    """Teach the process's stem cache the stems of `words` (a vocabulary: each word its
    own stem unless `differing`, as `stems_differing` gives, says otherwise). Kept by
    reference, newest first, the last two taught (a server's current generation and
    the one before): a stem is the same in every generation, so a stale one is right."""
    known = STEMS._known
    if not any(w is words for w, _ in known):
        known.insert(0, (words, differing))
        del known[2:]


STEMS_FILE = "stems.txt"


def save_stems(folder: str | Path, words: Iterable[str], differing: Mapping[str, str]) -> None:
    """Keep a vocabulary's stems (its words, and `differing` as `stems_differing` gives
    it) in generation `folder`: the indexer's next run learns them (`learn_saved_stems`),
    so that a post of known words is analysed without NLTK, whose import was 0.15 s of
    a one-post update. Three parts of lines: the words, the words whose stem differs,
    their stems (a word has no white space: TOKEN_PATTERN)."""
    _write_stems(folder, ("\n".join(words), "\n".join(differing), "\n".join(differing.values())))


def _write_stems(folder: str | Path, parts: tuple[str, str, str]) -> None:
    path = Path(folder) / STEMS_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\0".join(parts), encoding="utf-8")
    os.replace(tmp, path)


def _saved_parts(folder: str | Path) -> tuple[str, str, str] | None:
    """The three parts of generation `folder`'s stems file (see save_stems), or None if
    it is missing or torn."""
    try:
        words, keys, values = (Path(folder) / STEMS_FILE).read_text(encoding="utf-8").split("\0")
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return words, keys, values


def add_stems(folder: str | Path, words: Iterable[str], differing: Mapping[str, str]) -> None:
    """Keep the stems of `words` too (`differing` as for save_stems) in generation
    `folder`'s stems file: rewritten only if some are not in it yet (it came with the
    generation's hard links to the previous one's files). Words no longer in the
    vocabulary may stay in it: a stem is the same in every generation."""
    kept, keys, values = _saved_parts(folder) or ("", "", "")
    known = set(kept.split("\n"))
    new = [word for word in words if word not in known]
    if not new:
        return
    more = {word: differing[word] for word in new if word in differing}
    stems = more.values()
    _write_stems(folder, ("\n".join([kept, *new] if kept else new),
                          "\n".join([keys, *more] if keys else more),
                          "\n".join([values, *stems] if keys else stems)))  # fmt: skip


NAMED_STEMS_FILE = "named-stems.txt"


def save_named_stems(folder: str | Path, words: Iterable[str]) -> None:
    """Keep in generation `folder` the stems of `words`: words no post says that a search
    still stems, the categories' and tags' words ("uncategorized", and a name's words as
    one, "customercare"), so that a search for a category's name does not import NLTK
    (0.45 s of a cold search: `learn_named_stems`). One "word stem" a line; rewritten
    only when a word is not in it yet (it came with the generation's hard links to the
    previous one's files), the words new to it stemmed (by NLTK if no vocabulary taught
    them)."""
    kept = _named_stems(folder)
    new = [word for word in words if word not in kept]
    if not new:
        return
    kept.update((word, STEMS[word]) for word in new)
    path = Path(folder) / NAMED_STEMS_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(f"{word} {stem}\n" for word, stem in kept.items()), encoding="utf-8")
    os.replace(tmp, path)


def learn_named_stems(folder: str | Path) -> None:
    """Put the stems `save_named_stems` kept in generation `folder` into the process's
    stem cache (a missing or torn file: none)."""
    STEMS.update(_named_stems(folder))


def _named_stems(folder: str | Path) -> dict[str, str]:
    try:
        lines = (Path(folder) / NAMED_STEMS_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    pairs = [line.split(" ") for line in lines]
    return dict(pair for pair in pairs if len(pair) == 2 and all(pair))


def learn_saved_stems(folder: str | Path) -> None:
    """Learn the stems `save_stems` kept in generation `folder`, when a word is first
    stemmed (a run that analyses nothing does not read them); missing or torn, none."""
    STEMS._saved = Path(folder)


def _learn_saved(folder: Path) -> None:
    found = _saved_parts(folder)
    if found is None:
        return
    words, keys, values = found
    keys_list, values_list = keys.split("\n"), values.split("\n")
    if len(keys_list) != len(values_list):
        return
    learn_stems(set(words.split("\n")), dict(zip(keys_list, values_list, strict=True)))


# The last string analysed and its words, shared by both chains (see TextAnalyzer.terms).
_LAST_WORDS: list[tuple[str, list[str]] | None] = [None]

# A word of letters written with hyphens inside ("co-operation", "Wi-Fi", "on-line",
# "state-of-the-art"): its parts are words of their own, and the whole is indexed too as
# one word, written together (`compounds`), where the posts' readers type it so
# ("cooperation", "wifi", "online"), as Lucene's WordDelimiterGraphFilter does with
# catenate_words. Only a hyphen ("-", U+2010, U+2011) joins: the other dashes FOLD makes
# "-" set words apart ("customers—they"), and so do digits ("covid-19" is two
# words, searched as one by search/run_together.py) and an apostrophe before or after a
# part ("rock'n-roll", "rock-n'-roll": the words are read, not joined).
# (Not where a number goes on after it, "art-fi'2.5", which `words` reads as "art"
# and "fi2.5": the parts are the words the text has.)
_COMPOUND = re.compile(
    rf"(?<![\w'-])[^\W\d_]+(?:-[^\W\d_]+)+(?:'\w+)*(?![\w'-])(?!{NUMBER_GOES_ON})"
)
_HYPHENS = ("-", "\u2010", "\u2011")
LETTER_HYPHEN = re.compile(r"-(?<=[^\W\d_]-)(?=[^\W\d_])")
_NOT_HYPHENS = str.maketrans(dict.fromkeys("\u2012\u2013\u2014\u2015\u2212", " "))
# The last string's compounds, shared by both chains as _LAST_WORDS is.
_LAST_COMPOUNDS: list[tuple[str, list[tuple[int, int, str]]] | None] = [None]


def compound_spans(source: str) -> Iterator[tuple[int, int, list[str]]]:
    """(start, end, parts) of each word written with hyphens in `source`, a text folded
    and lower-cased as `words` reads it, its parts as `words` has them
    ("co-operation's": "co", "operation"; `_COMPOUND`); the word whole is their join."""
    done = 0  # (the text looked at so far)
    # From each hyphen between two letters (a scan in C for "-"; the compound pattern
    # tried at every letter took longer than reading the words), the word around it.
    for hyphen in LETTER_HYPHEN.finditer(source):
        at = hyphen.start()
        if at < done:
            continue  # (a later hyphen of the compound just read)
        start = at
        while start and source[start - 1].isalpha():
            start -= 1
        match = _COMPOUND.match(source, start)
        done = match.end() if match is not None else at + 1
        if match is None:
            continue
        written = match.group()
        if written.isascii():  # (only its last part may have an apostrophe: "'s")
            parts = written.split("-")
            if "'" in parts[-1]:
                parts[-1] = unapostrophe(parts[-1])
        else:
            parts = [normalize_token(part) for part in written.split("-")]
        if sum(map(len, parts)) <= MAX_TOKEN_CHARS:
            yield start, match.end(), parts


def _run_at(words: list[str], parts: list[str], at: int) -> int | None:
    """Where `parts` next stand in a row in `words`, from `at` on; None if nowhere."""
    first, size = parts[0], len(parts)
    try:
        while True:
            at = words.index(first, at)
            if words[at : at + size] == parts:
                return at
            at += 1
    except ValueError:
        return None


def _count_words(source: str, start: int, end: int) -> int:
    """How many words `words` reads in source[start:end] (which starts and ends between
    words)."""
    found = TOKEN_RE.findall(source, start, end)
    if found and max(map(len, found)) > MAX_TOKEN_CHARS:
        return sum(len(w) <= MAX_TOKEN_CHARS for w in found)
    return len(found)


def _compounds(text: str, words: list[str]) -> list[tuple[int, int, str]]:
    """TextAnalyzer.compounds of both chains: (first part's position, last part's
    position, word written together), of `text` whose `words` are given."""
    if not any(h in text for h in _HYPHENS):
        return []
    # As `words` reads the text, but with the dashes that are no hyphens made spaces
    # (one character for one: the words and their order are the same).
    folded = fold(text.translate(_NOT_HYPHENS) if not text.isascii() else text)
    lowered = folded.lower()
    source = lowered if len(lowered) == len(folded) else folded
    found: list[tuple[int, int, str]] = []
    # Its place is the number of words before it, from the end of the last one placed
    # (`read`; the words up to there, `counted`). Where the text between lacks its
    # first part or its last, no run of its parts starts there, and the next run among
    # the words is where it is written (a lookup in C). Else the words between are
    # counted: a word the text also says apart before it ("third quarter ... pct
    # third-quarter decline") stands where it is written, and a phrase around it is
    # found there. (Counting before every such word took 0.21 s for the 10k corpus's
    # texts; this 0.11, and the first run wherever it stood 0.07.)
    read, counted, ascii = 0, 0, source.isascii()  # (else a word's letters may differ)
    for start, end, parts in compound_spans(source):
        size = len(parts)
        at_word = None
        if ascii:
            between = source[read:start]
            if "'" in between:  # (as `words` has them: "o'neil" is "oneil")
                between = between.replace("'", "")
            if parts[0] not in between or parts[-1] not in between:
                at_word = _run_at(words, parts, counted)
        if at_word is None:
            at_word = counted + _count_words(source, read, start)
        if words[at_word : at_word + size] == parts:
            found.append((at_word, at_word + size - 1, "".join(parts)))
            read, counted = end, at_word + size  # (as many words as parts)
        else:  # (read otherwise by `words`: not joined; counted on from its start)
            read, counted = start, at_word
    return found


class TextAnalyzer(Analyzer):
    """One analysis chain; `stem=True` gives the stemmed chain, `stem=False` the exact one."""

    def __init__(self, stem: bool = True):
        self.stem = stem
        self.is_morph = stem  # Whoosh: this analyzer changes word forms

    # Pickling: only the settings travel.
    def __getstate__(self) -> dict:
        return {"stem": self.stem, "is_morph": self.is_morph}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.stem == self.stem

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.stem))

    def __repr__(self) -> str:
        return f"TextAnalyzer(stem={self.stem})"

    def has_morph(self) -> bool:
        return self.stem

    @property
    def stems(self) -> _StemCache:
        return STEMS

    def words(self, text: str) -> list[str]:
        """Normalized words of `text`, stop words included, in order."""
        folded = fold(text)
        lowered = folded.lower()
        # lower() can change a string's length for a few letters; then go word by word.
        source = lowered if len(lowered) == len(folded) else folded
        if "," in source:
            source = _SEPARATOR.sub("", source)
        raw = TOKEN_RE.findall(source)
        if lowered.isascii():  # the common case: every word is already normalized
            if raw and max(map(len, raw)) > MAX_TOKEN_CHARS:
                raw = [w for w in raw if len(w) <= MAX_TOKEN_CHARS]
            if "'" in lowered:
                raw = [unapostrophe(w) if "'" in w else w for w in raw]
            return raw
        out = []
        for w in raw:
            if len(w) > MAX_TOKEN_CHARS:
                continue
            if not (w.isascii() and w.islower()):
                w = normalize_token(w)
            elif "'" in w:
                w = unapostrophe(w)
            out.append(w)
        return out

    def term(self, word: str) -> str | None:
        """The indexed term for one normalized word (None: a stop word this chain drops)."""
        if not self.stem:
            return word
        if word in STOP_WORDS:
            return None
        return self.stems[word]

    def terms(self, text: str) -> list[str]:
        """The terms this chain indexes for `text` (the fast path, no Token objects).

        The stemmed and the exact fields of an article see the same string one after
        the other (Whoosh adds fields in name order: body, body_exact…), each through its
        own chain, so the word list of the last string any chain saw is reused.
        """
        last = _LAST_WORDS[0]
        if last is not None and last[0] is text:
            words = last[1]
        else:
            words = self.words(text)
            _LAST_WORDS[0] = (text, words)  # (one assignment: safe between threads)
        if not self.stem:
            return words
        stems = self.stems
        return [stems[w] for w in words if w not in STOP_WORDS]

    def compounds(self, text: str) -> list[tuple[int, int, str]]:
        """(first, last, word) of each word of `text` written with hyphens, as one word
        ("co-operation": "cooperation"), with the positions of its first and last parts
        (words of `words`, numbered from 0): what the index holds beside its parts
        (`_COMPOUND`), at both places, so that a phrase may start or end with it ("the
        cooperation", "cooperation agreement"), as Lucene's graph of tokens allows.
        The stemmed chain gives the word's stem (and nothing for a stop word)."""
        last = _LAST_COMPOUNDS[0]
        if last is not None and last[0] is text:
            found = last[1]
        else:
            last_words = _LAST_WORDS[0]
            if last_words is not None and last_words[0] is text:
                words = last_words[1]
            else:
                words = self.words(text)
            found = _compounds(text, words)
            _LAST_COMPOUNDS[0] = (text, found)
        if not self.stem or not found:
            return found
        stems = self.stems
        return [(first, last, stems[w]) for first, last, w in found if w not in STOP_WORDS]

    def spans(self, text: str):
        """(start, end, normalized word) for every word of `text`, offsets into `text`."""
        folded = fold(text)
        for match in TOKEN_RE.finditer(folded):
            start, end = match.span()
            if end - start <= MAX_TOKEN_CHARS:
                yield start, end, normalize_token(folded[start:end])

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            spans = [(0, len(value), normalize_token(fold(value)))]
        else:
            spans = self.spans(value)
        for pos, (start, end, word) in enumerate(spans, start=start_pos):
            term = self.term(word)
            token.stopped = term is None
            if token.stopped and removestops:
                continue
            token.text = word if term is None else term
            token.boost = 1.0
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token
