"""Authors typed among a query's words: "posts by Alice Smith", "articles by alice",
"alice smith's posts", or "Alice Smith" (or "alice", of one author) where no post says
the name.

Takes the author names of a generation (`Authors(names)`: the state keeps one,
`state.authors`) and a query (`typed_author`); gives the author the query asks for
posts by, as a filter, with the query's other words and how to say it; and
(`Authors.named`) the author whose whole name a query is, for the answer to offer.

A blog with several authors shows each post's author, and its readers type the name to
find their posts. The author is no word of the posts (a facet: a filter the page
offers), so "posts by alice smith" searched "alice" and "smith" in the posts' text: the
posts that mention her, or a partial match; and "by bob jones" found nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from indexer.analysis import STOP_WORDS, TextAnalyzer
from search.english import is_common_english
from search.fillers import POSTS

_EXACT = TextAnalyzer(stem=False)
LONGEST_NAME = 6  # words
# Words a query asking for an author's posts has beside the name ("all posts by …").
AROUND_NAME = frozenset({"by", "from", "all", "every", "of", "written", "the"}) | POSTS


def name_words(text: str) -> list[str]:
    """The words of a name or a query as the posts' words are read (case, accents and
    apostrophes folded: "O'Brien" is "obrien", "Alice's" "alice")."""
    if text.isascii():  # (the same words without a Token each: 0.5% of an API request)
        return _EXACT.words(text)
    return [token.text for token in _EXACT(text)]


def typed_words(query: str | None) -> tuple[list[str], list[str], list[int]]:
    """The query's tokens as typed, its words as `name_words` reads them, and the token
    each word is of (so that the tokens of the words that name a filter can be cut)."""
    typed = (query or "").split()
    words, token_of = [], []
    for t, token in enumerate(typed):
        for word in name_words(token):
            words.append(word)
            token_of.append(t)
    return typed, words, token_of


@dataclass
class TypedAuthor:
    """The author a query asks for posts by, and the query's other words."""

    author: str  # as the posts give it
    rest: str  # the query less the words naming the author ("by …")
    warning: str
    if_none: str


class Authors:
    """The authors of a generation, by the words of their names."""

    def __init__(self, names: Iterable[str]) -> None:
        self._full: dict[tuple[str, ...], str] = {}
        self._by_word: dict[str, set[str]] = defaultdict(set)
        for name in names:
            words = tuple(name_words(name))
            if not words or len(words) > LONGEST_NAME:
                continue
            self._full.setdefault(words, name)
            for word in words:
                if len(word) > 1 and word not in STOP_WORDS:
                    self._by_word[word].add(name)

    def __bool__(self) -> bool:
        return bool(self._full)

    def at(self, words: list[str], i: int, whole: bool = True) -> tuple[str, int] | None:
        """(the author, how many words) whose whole name words[i:] begins with, the
        longest; or, not `whole`, one word of one author's name only ("by alice", where
        no other author is an Alice); None if neither."""
        for n in range(min(LONGEST_NAME, len(words) - i), 0, -1):
            name = self._full.get(tuple(words[i : i + n]))
            if name is not None:
                return name, n
        names = self._by_word.get(words[i]) if not whole and i < len(words) else None
        return (next(iter(names)), 1) if names and len(names) == 1 else None

    def named(self, words: list[str]) -> str | None:
        """The author whose whole name `words` are, less words that ask for posts
        ("posts by alice smith"), or None."""
        rest = [w for w in words if w not in AROUND_NAME]
        found = self.at(rest, 0) if rest else None
        return found[0] if found and found[1] == len(rest) else None


def typed_author(query: str, authors: Authors,
                 says: Callable[[list[str]], bool]) -> TypedAuthor | None:  # fmt: skip
    """The author `query` asks for posts by: after "by" ("posts by alice smith about
    pricing"), before a word for a post ("alice smith's posts"), or the whole query where
    no post says the name (`says(words)`: whether a post has the name's words as a
    phrase); None where it asks for none. One word of one author's name stands for the
    name ("posts by alice") where a word for a post is typed, or the word is no common
    word of English or one no post says ("hiring by bob", "bob", "bob hiring"; "sales by
    price" is no post by Mark Price, whose name the posts say)."""
    if not authors:
        return None
    typed, words, token_of = typed_words(query)
    asks = any(w in POSTS for w in words)

    def named_at(i: int) -> tuple[str, int] | None:
        at = authors.at(words, i, whole=False)
        if at and at[1] == 1 and authors.at(words, i) is None:  # (one word of a name)
            alone = words[:i] == ["by"] and len(words) == 2  # ("by alice")
            # (A word of English no post says is no word meant: "hiring by bob".)
            named = not is_common_english(words[i]) or not says(words[i : i + 1])
            return at if asks or alone or named else None
        return at

    found = None  # (the author, the query's words that name them)
    for i, word in enumerate(words):
        if word == "by" and (at := named_at(i + 1)):
            found = (at[0], range(i, i + 1 + at[1]))
            break
        at = named_at(i)
        after = i + at[1] if at else None
        if at and after < len(words) and words[after] in POSTS and (
                typed[token_of[after - 1]].lower().endswith(("'s", "\u2019s"))):  # fmt: skip
            found = (at[0], range(i, after))  # ("alice's posts": the post word stays)
            break
    if found is None:
        name = authors.named(words)
        if name is not None and (asks or not says(name_words(name))):
            # ("alice smith": her posts, where no post says her name; "alice smith posts")
            found = (name, [i for i, w in enumerate(words) if w not in AROUND_NAME])
    for i in range(len(words)) if found is None else ():
        # A whole name of two words or more beside other words, which no post says
        # ("bob jones hiring"), or one word of one author's name, alone or not ("bob",
        # which had found nothing; "bob hiring"): the rest are searched in the author's
        # posts.
        at = authors.at(words, i) or authors.at(words, i, whole=False)
        if at and not says(words[i : i + at[1]]):
            found = (at[0], range(i, i + at[1]))
            break
    if found is None:
        return None
    author, named = found
    cut = {token_of[i] for i in named}
    rest = " ".join(t for n, t in enumerate(typed) if n not in cut)
    return TypedAuthor(author, rest, f"Showing the posts by {author}.",
                       f"No post by {author} matches the search.")  # fmt: skip
