"""What a query asks for, read one way by the search and by the article page.

Takes a parsed query and the collection's vocabulary; `read_request` takes out the words
that ask rather than say what about ("posts about", "how do i", "u" spelled out) and
leaves the order they ask for in `parsed.order`; `widen_words` adds the other ways the
collection may write a word (numbers, shortened words) and gives the words so widened,
which typo correction must leave alone. search/engine.py runs both before it corrects
and matches; search/articles.py runs them to mark on an article page the words the
search looked for. One sequence for both, so a page never marks a word the search did
not look for ("posts" of "latest posts on pricing"), nor misses one it did.
"""

from __future__ import annotations

from collections.abc import Container

from search.fillers import drop_fillers, drop_question_glue, spell_out
from search.numbers import Words, number_forms
from search.query import ParsedQuery
from search.shorthand import expand_shorthand


def read_request(parsed: ParsedQuery, known: Container[str]) -> None:
    """Take out of `parsed` what asks ("thank u": "thank you"; "posts about pricing":
    pricing; "how do i keep customers": how keep customers); `known`: the collection's
    words (a lead-in's word typed with a slip is read as the word where it lacks it)."""
    spell_out(parsed)
    drop_fillers(parsed, known)
    drop_question_glue(parsed, known)


def widen_words(parsed: ParsedQuery, words: Words) -> frozenset[str]:
    """Add to `parsed` the other spellings the collection (`words`, its vocabulary) may
    use ("ten tips": "10" too; "part iii": "3"; "python 3": "3.11"; "govt":
    "government"); give the words typed that were widened."""
    return frozenset(number_forms(parsed, words) | expand_shorthand(parsed, words.df))
