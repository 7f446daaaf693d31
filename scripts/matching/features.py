"""Cheap agreement features between a query and a fact-check: numbers, years, names, negation, direction words.
Twin of `src/library/matching/features.rs`: keep the word lists and rules identical."""
import re

NUM = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
NEGATION = set("not no never none nobody nothing neither nor cannot without isn't aren't wasn't weren't don't "
               "doesn't didn't won't wouldn't can't couldn't shouldn't hasn't haven't hadn't fake false hoax".split())
# Pairs of words that flip a claim's meaning; a fact-check using one where the query uses the other is a near miss.
OPPOSITES = [
    ("rise", "fall"), ("rising", "falling"), ("rises", "falls"), ("rose", "fell"), ("increase", "decrease"),
    ("increased", "decreased"), ("increasing", "decreasing"), ("increases", "decreases"), ("up", "down"),
    ("more", "less"), ("more", "fewer"), ("higher", "lower"), ("high", "low"), ("gain", "loss"), ("gained", "lost"),
    ("win", "lose"), ("won", "lost"), ("legal", "illegal"), ("north", "south"), ("east", "west"), ("before", "after"),
    ("alive", "dead"), ("born", "died"), ("approve", "reject"), ("approved", "rejected"), ("support", "oppose"),
    ("supports", "opposes"), ("supported", "opposed"), ("ban", "allow"), ("banned", "allowed"), ("male", "female"),
    ("men", "women"), ("democrat", "republican"), ("democrats", "republicans"), ("democratic", "republican"),
    ("liberal", "conservative"), ("positive", "negative"), ("largest", "smallest"), ("most", "least"),
    ("best", "worst"), ("first", "last"), ("open", "closed"), ("arrested", "released"), ("guilty", "innocent"),
    ("true", "false"), ("lowest", "highest"), ("minimum", "maximum"), ("inside", "outside"), ("rich", "poor"),
    ("richer", "poorer"), ("growing", "shrinking"), ("grew", "shrank"),
]
OPP = {}
for a, b in OPPOSITES:
    OPP.setdefault(a, set()).add(b)
    OPP.setdefault(b, set()).add(a)
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
CAP = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z]+")
STOPCAP = set("the a an this that these those it in on at of for and or but if when what why how who i we you he "
              "she they my our your his her their there here breaking news video photo watch just new".split())


def numbers(text):
    out = set()
    for m in NUM.findall(text):
        v = m.replace(",", "")
        try:
            out.add(float(v))
        except ValueError:
            pass
    return out


def years(nums):
    return {n for n in nums if 1800 <= n <= 2100 and n == int(n)}


def caps(text):
    return {w.lower() for w in CAP.findall(text)} - STOPCAP


class Side:
    """What the features need from one text, computed once (the Rust index keeps this per entry)."""

    def __init__(self, text):
        low = text.lower().replace("’", "'")
        self.words = set(WORD.findall(low))
        self.nums = numbers(text)
        self.years = years(self.nums)
        self.caps = caps(text)
        self.neg = len([w for w in WORD.findall(low) if w in NEGATION or w.endswith("n't")])


def agreement(q, d):
    """Features of (query side, document side); all are 0 when both texts carry nothing of the kind."""
    qn, dn = q.nums - q.years, d.nums - d.years
    num_match = len(qn & dn)
    num_miss = 1.0 if (qn and dn and not (qn & dn)) else 0.0
    year_match = len(q.years & d.years)
    year_miss = 1.0 if (q.years and d.years and not (q.years & d.years)) else 0.0
    cap_overlap = len(q.caps & d.words) / (1 + len(q.caps))
    dcap_missing = len(d.caps - q.words) / (1 + len(d.caps))
    neg_flip = 1.0 if (q.neg > 0) != (d.neg > 0) else 0.0
    opp = 0
    for a, b in OPPOSITES:
        for x, y in ((a, b), (b, a)):
            if x in q.words and y in d.words and y not in q.words and x not in d.words:
                opp += 1
    return [num_match, num_miss, year_match, year_miss, cap_overlap, dcap_missing, neg_flip, min(opp, 2)]


NAMES = ["num_match", "num_miss", "year_match", "year_miss", "cap_overlap", "dcap_missing", "neg_flip", "opposite"]
