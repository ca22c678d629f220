"""Forms of a word the stemmer cannot join: British spellings, irregular plurals and pasts.

Takes a normalized word (`stemmer_form`); gives the form the stemmed chain stems in its
place: the American spelling of a British one ("colour" -> "color", "organised" ->
"organized", "catalogue" -> "catalog"), the singular of an irregular plural ("women" ->
"woman", "children" -> "child", "criteria" -> "criterion"), the verb of an irregular
past ("written" -> "write", `IRREGULAR_VERBS`), else the word itself. So
a post that says "colour" and one that says "color" share a term, as do "women" and
"woman", and a reader who types either finds both, as "customers" finds "customer"
(Snowball's rules take endings off; they leave "women" and "colour" as they are). The
exact chain keeps the word as written, so the form typed still ranks first.

Without it a British reader's word was a typo to every part of the search that looks
for one: "colour" on a blog that says "color" became "co loud" (two words run together,
one of them corrected), "analyse" "an a lose", "realise" "real".

The spellings are breame's list (about 1,700 British spellings with their inflections,
from the American-British English Translator's data), loaded once per process (3 ms)
when first asked: by the stemmer for a word no vocabulary taught it, or by the first
snippet (search/snippets.py looks for a word's other forms, `forms_of`). The
plurals are the irregular ones a blog uses, listed here; plurals that are also other
words ("leaves", "lives", "bases", "analyses") are left to the stemmer.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

IRREGULAR_PLURALS = {
    **{f"{head}men": f"{head}man" for head in (
        "", "wo", "business", "businesswo", "sales", "saleswo", "chair", "chairwo",
        "spokes", "spokeswo", "trades", "crafts", "middle", "fresh", "police", "fire",
        "gentle", "sports", "country", "congress", "fore", "repair", "work", "states",
        "camera", "handy", "lay", "news", "noble", "sea", "weather", "committee",
    )},  # fmt: skip
    "children": "child", "grandchildren": "grandchild", "stepchildren": "stepchild",
    "feet": "foot", "teeth": "tooth", "geese": "goose", "mice": "mouse", "oxen": "ox",
    "criteria": "criterion", "phenomena": "phenomenon", "crises": "crisis",
    "theses": "thesis", "hypotheses": "hypothesis", "curricula": "curriculum",
    "alumni": "alumnus", "stimuli": "stimulus", "syllabi": "syllabus",
    "knives": "knife", "wives": "wife", "halves": "half", "shelves": "shelf",
    "thieves": "thief", "wolves": "wolf", "loaves": "loaf", "selves": "self",
}  # fmt: skip


# The past tenses and participles of irregular verbs that are no other word a blog
# uses, as their verbs: "written" and "wrote" are "write" to the stemmer, as Snowball
# makes "writes" and "writing" ("written on a rock" finds the maxim "write this on a
# rock"; "sold my business" the posts that say "selling a business"). Left out: forms
# that are also nouns or other words ("thought", whose plural "thoughts" Snowball
# keeps apart; "found", "left", "saw", "rose", "fell", "won", the currency, "fed", the
# Federal Reserve; "spoke", "broke", "bore", "drew", "shot", "lay", "lit", "sat").
IRREGULAR_VERBS = {
    **{form: verb for verb, forms in {
        "arise": ("arose", "arisen"), "beat": ("beaten",), "become": ("became",),
        "begin": ("began", "begun"), "bend": ("bent",), "bite": ("bitten",),
        "blow": ("blew", "blown"), "break": ("broken",), "bring": ("brought",),
        "build": ("built",), "buy": ("bought",), "catch": ("caught",),
        "choose": ("chose", "chosen"), "come": ("came",), "creep": ("crept",),
        "deal": ("dealt",), "dig": ("dug",), "draw": ("drawn",),
        "drink": ("drank", "drunk"), "drive": ("drove", "driven"),
        "eat": ("eaten",), "fall": ("fallen",), "feel": ("felt",),
        "fight": ("fought",), "flee": ("fled",), "fly": ("flew", "flown"),
        "forbid": ("forbade", "forbidden"), "forget": ("forgot", "forgotten"),
        "forgive": ("forgave", "forgiven"), "freeze": ("froze", "frozen"),
        "get": ("got", "gotten"), "give": ("gave", "given"), "go": ("went", "gone"),
        "grow": ("grew", "grown"), "hang": ("hung",), "hear": ("heard",),
        "hide": ("hid", "hidden"), "hold": ("held",), "keep": ("kept",),
        "know": ("knew", "known"), "lead": ("led",), "lend": ("lent",),
        "lose": ("lost",), "make": ("made",), "mean": ("meant",), "meet": ("met",),
        "mistake": ("mistook", "mistaken"), "overcome": ("overcame",),
        "overtake": ("overtook", "overtaken"), "pay": ("paid",), "ride": ("rode", "ridden"),
        "rise": ("risen",), "run": ("ran",), "say": ("said",), "seek": ("sought",),
        "sell": ("sold",), "send": ("sent",), "shake": ("shook", "shaken"),
        "show": ("shown",), "shrink": ("shrank", "shrunk"), "sing": ("sang", "sung"),
        "sink": ("sank", "sunk"), "sleep": ("slept",), "speak": ("spoken",),
        "spend": ("spent",), "stand": ("stood",), "steal": ("stolen",),
        "strike": ("struck",), "strive": ("strove", "striven"), "swear": ("swore", "sworn"),
        "sweep": ("swept",), "swim": ("swam", "swum"), "swing": ("swung",),
        "take": ("took", "taken"), "teach": ("taught",), "tear": ("torn",),
        "tell": ("told",), "throw": ("threw", "thrown"),
        "undergo": ("underwent", "undergone"), "understand": ("understood",),
        "undertake": ("undertook", "undertaken"), "uphold": ("upheld",),
        "wake": ("woke", "woken"), "wear": ("worn",), "weep": ("wept",),
        "withdraw": ("withdrew", "withdrawn"), "withhold": ("withheld",),
        "write": ("wrote", "written"),
    }.items() for form in forms},
}  # fmt: skip


# Pairs of the list that are not one word spelt two ways: a tonne is 1,000 kg, a ton
# 907 kg or 1,016 (on the known-item evaluation "tonnes", which Reuters says for the
# metric unit, found the posts about tons too and lost a target).
NOT_THE_SAME = frozenset({"tonne", "tonnes"})


@cache
def _spellings() -> Mapping[str, str]:
    from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

    return {k: v for k, v in BRITISH_ENGLISH_SPELLINGS.items() if k not in NOT_THE_SAME}


def american(word: str) -> str:
    """The American spelling of `word` (lower-case, as analysed) if it is a British one."""
    return _spellings().get(word, word)


@cache
def _forms() -> Mapping[str, frozenset[str]]:
    """stemmer form -> the words that have it, but itself: {"color": {"colour"},
    "woman": {"women"}}."""
    found: dict[str, set[str]] = {}
    for pairs in (_spellings(), IRREGULAR_PLURALS, IRREGULAR_VERBS):
        for word, form in pairs.items():
            found.setdefault(form, set()).add(word)
    return {form: frozenset(words) for form, words in found.items()}


def forms_of(word: str) -> frozenset[str]:
    """The words the stemmed chain takes for one with `word` ("women": "woman" and
    "women"; "color": "color" and "colour"), `word` among them: what a highlighter
    looks for besides the word's own beginning."""
    form = stemmer_form(word)
    return _forms().get(form, frozenset()) | {word, form}


def stemmer_form(word: str) -> str:
    """The form of `word` the stemmed chain stems: its American spelling, the singular
    of an irregular plural, or the verb of an irregular past ("wrote", "written":
    "write"; see the module docstring)."""
    return IRREGULAR_PLURALS.get(word) or IRREGULAR_VERBS.get(word) or american(word)
