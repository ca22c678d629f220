"""Words as people shorten them: "small biz" finds "small business", "govt" finds
"government" (it had been corrected to "got"), "mktg" "marketing", "info" "information";
and "can't" finds "cannot", and "cannot" "can't".

Takes a parsed query and the collection's vocabulary (`expand_shorthand`); gives the
shortenings expanded, each now searched as typed and as written out (an OR group, the
form typed first, as with an editor's synonym: search/synonyms.py), and never to be
corrected as typos. Applied after the editor's synonyms (a rule of theirs for the same
word wins). A shortening the collection itself writes at least a tenth as often as the
words it stands for is left as typed: there it is the collection's own word, as "qtr",
"avg" and "shr" are in Reuters' reports, and widened it moved searches for its posts
down. Only shortenings that mean one thing in writing about business are in RULES:
"corp", "inc" and "co" are left alone (they are in companies' names as the posts write
them), and "gov" is a governor too.
"""

from __future__ import annotations

from collections.abc import Mapping

from search.query import ParsedQuery
from search.synonyms import Synonyms, parse_rules

OWN_WORD_SHARE = 0.1

RULES = """
biz => business
info => information
govt => government
mktg => marketing
mgmt, mgt => management
mgr => manager
mgrs => managers
dept => department
depts => departments
intl => international
natl => national
assn, assoc => association
acct => account
accts => accounts
acctg => accounting
amt => amount
approx => approximately
avg => average
yr => year
yrs => years
wk => week
wks => weeks
hr => human resources, hour
hrs => hours
pic => picture, photo
pics => pictures, photos
tech => technology
econ => economy, economics
exec => executive
execs => executives
admin => administration, administrator
svc => service
svcs => services
mfg => manufacturing
mfr => manufacturer
mfrs => manufacturers
qtr => quarter
qtrs => quarters
ppl => people
thru => through
pls, plz => please
msg => message
thx, thanx, tks => thanks
appt => appointment
fb => facebook
ig, insta => instagram
yt => youtube
asap => as soon as possible
smb => small business
roi => return on investment
seo => search engine optimization
diy => do it yourself
faq => frequently asked questions
ceo => chief executive
cfo => chief financial officer
pr => public relations, press release
ai => artificial intelligence
kpi => key performance indicator
kpis => key performance indicators
cx => customer experience
wom => word of mouth
crm => customer relationship management
cant, cannot
"""

SHORTHAND = parse_rules(RULES, "search/shorthand.py")
# Each rule's shortening by its first word: a query looks at the few rules its words
# begin (walking every rule was a hundredth of a query).
_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _short in SHORTHAND.rules:
    _BY_FIRST.setdefault(_short[0], []).append(_short)
_ORDER = {short: n for n, short in enumerate(SHORTHAND.rules)}


def expand_shorthand(parsed: ParsedQuery, df: Mapping[str, int]) -> set[str]:
    """Widen each shortening of `parsed` to what it stands for, in place, unless the
    collection writes it as its own word (see the module docstring); gives the words of
    the shortenings widened."""
    typed = set(parsed.words_in_order())
    # (in the rules' order, as when every rule was walked)
    shorts = sorted((s for word in typed for s in _BY_FIRST.get(word, ())), key=_ORDER.__getitem__)
    rules = {short: alts for short in shorts if set(short) <= typed
             and not own_word(short, alts := SHORTHAND.rules[short], df)}  # fmt: skip
    if not rules:
        return set()
    return {w for rule in Synonyms(rules).expand(parsed) for w in rule["from"].split()}


def own_word(short: tuple[str, ...], alts: list[tuple[str, ...]], df: Mapping[str, int]) -> bool:
    """Whether the collection writes `short` at least OWN_WORD_SHARE as often as the
    commonest of `alts` (a run of words: as its rarest word, at most); a spelling of the
    same word both ways ("cant, cannot") is never the collection's own."""
    if short in SHORTHAND.rules.get(alts[0], ()):
        return False
    most = max(min(df.get(w, 0) for w in alt) for alt in alts)
    return min(df.get(w, 0) for w in short) >= OWN_WORD_SHARE * most > 0
