"""Shared pieces of the claim-matching research: data loading, text cleanup, BM25, metrics.

Every function here has a twin in `src/library/matching/` (Rust); keep the two in step, since the Rust figures on
dev must agree with these within ~0.01.
Data: CLEF 2020 CheckThat! Task 2 (Shaar et al., ACL 2020), read from ../shared, never copied.
"""
import csv
import math
import os
import re
import sys
from collections import Counter, defaultdict

import numpy as np

csv.field_size_limit(sys.maxsize)


def data_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get(
        "CHECKTHAT_DIR", os.path.join(here, "..", "..", "..", "shared", "data", "checkthat2020-claim-retrieval")
    )


def read_tsv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    return rows[0], rows[1:]


def load_vclaims(d):
    _, rows = read_tsv(os.path.join(d, "verified_claims.docs.tsv"))
    ids = [int(r[0]) for r in rows]
    return ids, [r[1] for r in rows], [r[2] for r in rows]


def load_split(d, split):
    _, rows = read_tsv(os.path.join(d, split, "tweets.queries.tsv"))
    qids = [int(r[0]) for r in rows]
    texts = [r[1] for r in rows]
    rel = defaultdict(set)
    with open(os.path.join(d, split, "tweet-vclaim-pairs.qrels"), encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) >= 4 and p[3] != "0":
                rel[int(p[0])].add(int(p[2]))
    return qids, texts, [rel[q] for q in qids]


# --- text cleanup of the query (a tweet) -------------------------------------------------------------------
URL = re.compile(r"(?:https?://|www\.)\S+|pic\.twitter\.com/\S+|\S+\.(?:com|org|net|ly)/\S*", re.I)
# "— Name (@handle) January 6, 2020" closing an embedded tweet.
SIGNATURE = re.compile(r"\s*[—–-]+\s*[^—–]{0,80}\(@\w+\)\s*[A-Z][a-z]+ \d{1,2}, \d{4}\s*$")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")


def clean_query(text):
    t = SIGNATURE.sub("", text)
    t = URL.sub(" ", t)
    # hashtags and handles: split CamelCase so #FakeNews reads "Fake News"
    t = re.sub(r"[#@](\w+)", lambda m: CAMEL.sub(" ", m.group(1)), t)
    t = re.sub(r"\s+", " ", t).strip()
    return t


# --- BM25 -----------------------------------------------------------------------------------------------
WORD = re.compile(r"[a-z0-9]+")
STOP = set(
    "a an the of to in on and or is are was were be been by for with at as it its this that from has have had "
    "will would not no but he she they we you i his her their our your them him".split()
)


def words(text):
    return WORD.findall(text.lower())


class BM25:
    def __init__(self, docs, k1=1.2, b=0.75, stop=False):
        self.k1, self.b, self.stop = k1, b, stop
        self.vocab = {}
        rows, cols, tfs = [], [], []
        self.len = np.zeros(len(docs))
        df = Counter()
        for i, d in enumerate(docs):
            toks = self.tok(d)
            self.len[i] = len(toks)
            c = Counter(toks)
            for w, n in c.items():
                j = self.vocab.setdefault(w, len(self.vocab))
                rows.append(i)
                cols.append(j)
                tfs.append(n)
                df[j] += 1
        self.n = len(docs)
        self.avg = self.len.mean()
        from scipy.sparse import csc_matrix

        self.tf = csc_matrix((tfs, (rows, cols)), shape=(len(docs), len(self.vocab)), dtype=np.float64)
        self.idf = np.zeros(len(self.vocab))
        for j, n in df.items():
            self.idf[j] = math.log(1 + (self.n - n + 0.5) / (n + 0.5))

    def tok(self, t):
        w = words(t)
        return [x for x in w if x not in STOP] if self.stop else w

    def score_text(self, query, text):
        """BM25 of a text that is not in the index, under the index's statistics."""
        toks = self.tok(text)
        tf = Counter(toks)
        norm = self.k1 * (1 - self.b + self.b * len(toks) / self.avg)
        s = 0.0
        for w in set(self.tok(query)):
            j = self.vocab.get(w)
            if j is not None and tf[w]:
                s += self.idf[j] * tf[w] * (self.k1 + 1) / (tf[w] + norm)
        return s

    def scores(self, query):
        s = np.zeros(self.n)
        norm = self.k1 * (1 - self.b + self.b * self.len / self.avg)
        for w in set(self.tok(query)):
            j = self.vocab.get(w)
            if j is None:
                continue
            col = self.tf.getcol(j)
            idx = col.indices
            tf = col.data
            s[idx] += self.idf[j] * tf * (self.k1 + 1) / (tf + norm[idx])
        return s


# --- metrics --------------------------------------------------------------------------------------------
def ap_at5(ranked, rel):
    hits, total = 0, 0.0
    for i, d in enumerate(ranked[:5]):
        if d in rel:
            hits += 1
            total += hits / (i + 1)
    return total / min(len(rel), 5) if rel else 0.0


def rr(ranked, rel):
    for i, d in enumerate(ranked):
        if d in rel:
            return 1.0 / (i + 1)
    return 0.0


def report(rankings, rels):
    m = np.mean([ap_at5(r, s) for r, s in zip(rankings, rels)])
    mrr = np.mean([rr(r, s) for r, s in zip(rankings, rels)])
    p1 = np.mean([1.0 if r and r[0] in s else 0.0 for r, s in zip(rankings, rels)])
    return m, mrr, p1


def fmt(name, m):
    return f"{name:<44} MAP@5 {m[0]:.4f}  MRR {m[1]:.4f}  P@1 {m[2]:.4f}"
