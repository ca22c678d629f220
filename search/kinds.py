"""Kinds of post typed among a query's words: "podcasts", "pricing videos", "photo posts".

Takes a query, the kinds the collection has posts of, and whether a post says a word;
gives (`typed_kind`) the kind the query asks for, as a filter, with the query's other
words and how to say it. The importers tell a video, a podcast episode or a gallery from
an article (`kind`, a facet); a reader types "podcasts" or "videos". As words they
matched only the posts that say them: "podcasts" found nothing on the sample blog,
whose one audio post never says "podcast".
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass

from search.fillers import LINKS, POSTS
from search.typed_dates import TRIM

# What readers call each kind (as the query's words are read: lower case).
IMAGE_WORDS = ("photo", "photos", "picture", "pictures", "gallery", "galleries",
               "infographic", "infographics")  # fmt: skip
KIND_WORDS = {
    **dict.fromkeys(("video", "videos", "vlog", "vlogs"), "video"),
    **dict.fromkeys(("podcast", "podcasts", "audio", "audios"), "audio"),
    **dict.fromkeys(IMAGE_WORDS, "image"),
}
# What readers call one post of a kind ("podcast episodes", "video clips"): beside the
# kind's word, a word for a post, taken out with it (the posts need not say it).
EPISODES = frozenset({"episode", "episodes", "clip", "clips"})
# The words after it that say what the posts are about, left out with it ("podcasts about
# pricing"; not "by", "from", "since": an author's or a period's, read next).
ABOUT = LINKS - {"by", "from", "in", "for", "with"}


@dataclass
class TypedKind:
    """The kind of post a query asks for, and the query's other words."""

    kind: str  # as the facet gives it: "video", "audio", "image"
    rest: str  # the query less the word naming the kind
    warning: str
    if_none: str


def typed_kind(query: str, kinds: Container[str],
               says: Callable[[str], bool]) -> TypedKind | None:  # fmt: skip
    """The kind of post `query` asks for, one of the `kinds` the collection has: a word
    for it that no post says, in either number (`says`: "podcasts"), one beside a word
    for a post ("video posts"), or one that begins the query and is linked to its
    subject ("videos about pricing"). Where the posts say it and nothing of these holds
    ("pricing videos"), it is a word. None where it asks for none."""
    typed = (query or "").split()
    words = [t.strip(TRIM).lower() for t in typed]
    for i, word in enumerate(words):
        kind = KIND_WORDS.get(word)
        if kind is None or kind not in kinds:
            continue
        near = [j for j in (i - 1, i + 1) if 0 <= j < len(words)]
        beside = {words[j] for j in near}
        # ("videos about pricing": first, with a word that links it to a subject, it
        # names what is asked for, as "posts about pricing" does, whatever the posts say.)
        asked = i == 0 and len(words) > 2 and words[1] in ABOUT
        if beside & (POSTS | EPISODES) or asked or not says(word):
            taken = {i, *(j for j in near if words[j] in EPISODES)}
            if max(taken) + 1 < len(words) and words[max(taken) + 1] in ABOUT:
                taken.add(max(taken) + 1)  # ("podcasts about pricing": pricing)
            rest = " ".join(t for n, t in enumerate(typed) if n not in taken)
            return TypedKind(kind, rest, f"Showing the {kind} posts.",
                             f"No {kind} post matches the search.")  # fmt: skip
    return None
