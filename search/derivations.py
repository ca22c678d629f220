"""A word the collection lacks, read as a word it has with a derivational ending added.

Takes a word (`bases`); gives the words it may be made from, longest first:
"entrepreneurial" from "entrepreneur", "friendliness" from "friendly" or "friend",
"leaderships" from "leadership" or "leader", "creativity" from "creative". The caller
(search/corrections.py) searches the first that the posts say, and says so, when no
post has the word and no typo correction reaches it.

The stemmer joins a word's inflections ("leaders", "leader"), not its derivations
("leadership", "leader"; "entrepreneurial", "entrepreneur"), and an ending changes
too many letters for a typo's edits. Krovetz's KStem ("Viewing morphology as an
inference process", SIGIR 1993; Lucene's KStemFilter) takes a derivational ending off
only where what is left is a word of its dictionary; here the dictionary is the
collection's own vocabulary, and only a word no post says is read so, so no word that
finds posts as typed ever changes.
"""

from __future__ import annotations

# (ending, what replaces it): the commonest derivational endings of English, with
# their plurals and adverbs where a reader types those. "-less" is left out: it
# negates ("careless" is not "care").
ENDINGS: tuple[tuple[str, str], ...] = (
    ("ship", ""),  # leadership, friendship, ownership
    ("ness", ""),  # awareness, friendliness (friendli: see _spellings)
    ("liness", ""),  # friendliness, where the posts say "friend" but not "friendly"
    ("ful", ""),
    ("fully", ""),
    ("ally", ""),  # basically (after "ic" only: see bases)
    ("ity", ""),  # popularity, creativity (creativ+e)
    ("ability", "able"),  # affordability
    ("ibility", "ible"),
    ("ation", ""),  # information
    ("ation", "ate"),  # automation
    ("ization", ""),  # modernization
    ("isation", ""),
    ("ion", ""),  # discussion, promotion (promot+e)
    ("ment", ""),  # management (manag+e), employment
    ("ial", ""),  # entrepreneurial, financial (financ+e)
    ("ical", ""),  # musical
    ("ical", "y"),  # historical
    ("ism", ""),  # tourism
    ("ive", ""),  # productive, creative (creat+e)
    ("ize", ""),  # modernize
    ("ise", ""),
    ("able", ""),  # affordable
    ("ible", ""),
    ("ian", "y"),  # librarian
    ("ance", ""),  # performance
    ("ence", ""),  # existence
    ("ence", "ent"),  # confidence
    ("ency", "ent"),  # consistency
    ("ous", ""),  # dangerous
    ("hood", ""),  # neighborhood
)
# Endings of two letters ("-er", "-ly", "-al", "-ic") are left out: taking two letters
# off is a typo's reach already (search/typos.py), which tried before this is asked.
# So are "-ist" ("dentist" is not "dent") and "-dom" ("kingdom" is not "king").
# Longest ending first: the least taken off is the nearest meaning.
_ENDINGS = sorted(ENDINGS, key=lambda rule: -len(rule[0]))
# A base shorter than this is too often another word ("ear" in "early").
MIN_BASE = 4
# Nor is a base made of fewer of the typed word's letters: "fin" and an "e" made
# "finance" the word "fine" (it costs "lovable": a blog that says "love" mostly has
# "lovable" too, or does not mean it).
MIN_ROOT = 4
# The Latin endings join roots that are no words of their own, and a short word that
# one of them seems to follow is mostly a coincidence: "mission" is no "miss",
# "station" no "state", "million" no "mill". Before them the base keeps this many of
# the word's letters ("creation": "create", "existence": "exist", "location": "locate").
MIN_LATIN_ROOT = 5
LATIN = frozenset({"ion", "ation", "ization", "isation", "ance", "ence", "ency", "ity",
                   "ability", "ibility", "ive", "ous", "ial", "ical", "ian", "ize",
                   "ise", "ible"})  # fmt: skip
# Consonants an ending doubles ("forgettable"); not "l" or "s", which words double
# themselves ("skillful", "successful").
_NOT_DOUBLED = frozenset("aeiouls")


def _forms(word: str) -> list[str]:
    """`word` and, for a plural, its singular ("leaderships", "abilities")."""
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    elif word.endswith("es") and word[-3:-2] in ("s", "x", "z", "h"):
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    return forms


def _spellings(root: str) -> list[str]:
    """The words `root`, what is left once an ending is off, may have been spelt as:
    itself, with the "e" an ending drops ("creat" for "create"), with the "y" an
    ending turns to "i" ("friendli", "happi"), or without the consonant an ending
    doubles ("forgett")."""
    spellings = [root, root + "e"]
    if root.endswith("i"):
        spellings.append(root[:-1] + "y")
    if len(root) > 2 and root[-1] == root[-2] and root[-1] not in _NOT_DOUBLED:
        spellings.append(root[:-1])
    return spellings


def bases(word: str) -> list[str]:
    """The words `word` may be made from by one derivational ending (after a plural's
    ending is off), longest first, each of MIN_BASE letters or more, MIN_ROOT of them
    the word's own (MIN_LATIN_ROOT before a LATIN ending); [] for a word of anything
    but letters."""
    if not word.isalpha():
        return []
    found: dict[str, None] = {}
    for form in _forms(word):
        for ending, replacement in _ENDINGS:
            if not form.endswith(ending) or form == ending:
                continue
            root = form[: -len(ending)]
            if len(root) < (MIN_LATIN_ROOT if ending in LATIN else MIN_ROOT):
                continue
            if ending == "ally" and not root.endswith("ic"):
                # ("basically": "basic"; "formally" is "formal", "partially" "partial",
                # a typo's reach: not "form" and "party")
                continue
            for base in [root + replacement] if replacement else _spellings(root):
                if len(base) >= MIN_BASE and base != word:
                    found.setdefault(base)
    return sorted(found, key=len, reverse=True)
