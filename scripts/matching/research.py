"""Claim-matching research on CheckThat! 2020 Task 2: BM25 baseline, MiniLM embeddings, fusion, a learned re-ranker.
Tunes on train (5 folds), reports dev. Run through run.sh."""
import os
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BM25, clean_query, data_dir, fmt, load_split, load_vclaims, report  # noqa: E402
from embed_cache import embed  # noqa: E402
from features import NAMES, Side, agreement  # noqa: E402

POOL = int(os.environ.get("POOL", 20))


def ranked(scores, ids, k=10):
    top = np.argpartition(-scores, k)[:k]
    top = top[np.argsort(-scores[top])]
    return [ids[i] for i in top]


class Setup:
    def __init__(self, doc_text="claim+title", query_clean=False):
        d = data_dir()
        self.ids, self.claims, self.titles = load_vclaims(d)
        self.id_index = {v: i for i, v in enumerate(self.ids)}
        self.bm = BM25([c + " " + t for c, t in zip(self.claims, self.titles)])
        ec = embed(self.claims)
        et = embed(self.titles)
        # One stored vector per fact-check: claim + title embeddings summed (its dot with a unit query is the sum
        # of the two cosines), or the claim's alone.
        self.E = ec + et if doc_text == "claim+title" else ec
        self.sides = [Side(c + " " + t) for c, t in zip(self.claims, self.titles)]
        self.query_clean = query_clean
        self.splits = {}
        for s in ("train", "dev"):
            qids, texts, rels = load_split(d, s)
            qt = [clean_query(t) for t in texts] if query_clean else texts
            Q = embed(qt)
            B = np.array([self.bm.scores(t) for t in texts])
            C = Q @ self.E.T
            self.splits[s] = dict(qids=qids, texts=texts, rels=rels, B=B, C=C)

    def candidates(self, s, qi, pool=POOL):
        sp = self.splits[s]
        b, c = sp["B"][qi], sp["C"][qi]
        tb = np.argpartition(-b, pool)[:pool]
        tc = np.argpartition(-c, pool)[:pool]
        cand = np.union1d(tb, tc)
        # ranks within the whole library, clipped at the pool size (what the Rust index knows)
        rb = {j: r for r, j in enumerate(tb[np.argsort(-b[tb])])}
        rc = {j: r for r, j in enumerate(tc[np.argsort(-c[tc])])}
        bmax = max(b.max(), 1e-9)
        cmax = c.max()
        qside = Side(sp["texts"][qi])
        X = []
        for j in cand:
            X.append(
                [b[j], b[j] / bmax, np.log1p(rb.get(j, pool)), c[j], c[j] - cmax, np.log1p(rc.get(j, pool))]
                + agreement(qside, self.sides[j])
            )
        y = [1 if self.ids[j] in sp["rels"][qi] else 0 for j in cand]
        return cand, np.array(X, dtype=np.float64), np.array(y)

    def all_candidates(self, s):
        return [self.candidates(s, qi) for qi in range(len(self.splits[s]["qids"]))]


BASE = ["bm25", "bm25_rel", "bm25_logrank", "cos", "cos_gap", "cos_logrank"]


def fit(cands, C=1.0):
    X = np.vstack([c[1] for c in cands])
    y = np.concatenate([c[2] for c in cands])
    mu, sd = X.mean(0), X.std(0) + 1e-9
    lr = LogisticRegression(C=C, max_iter=5000)
    lr.fit((X - mu) / sd, y)
    return mu, sd, lr


def score(model, X):
    mu, sd, lr = model
    return lr.decision_function((X - mu) / sd)


def rank_lists(setup, s, cands, model):
    out, tops = [], []
    for (cand, X, y) in cands:
        z = score(model, X)
        order = np.argsort(-z)
        out.append([setup.ids[cand[i]] for i in order])
        tops.append((z[order[0]], y[order[0]]))
    return out, tops


def folds_eval(setup, cands, C, k=5):
    n = len(cands)
    ranks = [None] * n
    tops = [None] * n
    for tr, te in KFold(k, shuffle=True, random_state=0).split(np.arange(n)):
        m = fit([cands[i] for i in tr], C)
        r, t = rank_lists(setup, "train", [cands[i] for i in te], m)
        for i, rr_, tt in zip(te, r, t):
            ranks[i], tops[i] = rr_, tt
    return ranks, tops


def main():
    for doc_text in ("claim", "claim+title"):
        setup = Setup(doc_text)
        print(f"== stored vector: {doc_text}; candidate pool {POOL} from BM25 + {POOL} from cosine")
        for s in ("train", "dev"):
            sp = setup.splits[s]
            print(s, fmt("BM25 (claim+title, k1 1.2, b 0.75)", report([ranked(b, setup.ids) for b in sp["B"]], sp["rels"])))
            print(s, fmt("MiniLM cosine", report([ranked(c, setup.ids) for c in sp["C"]], sp["rels"])))
        tr = setup.all_candidates("train")
        recall = np.mean([c[2].max() for c in tr])
        print(f"train candidate recall {recall:.4f}")
        best = None
        for C in (0.01, 0.1, 1.0, 10.0):
            ranks, tops = folds_eval(setup, tr, C)
            m = report(ranks, setup.splits["train"]["rels"])
            print("train 5-fold", fmt(f"re-ranker LR C={C}", m))
            if best is None or m[0] > best[0]:
                best = (m[0], C)
        C = best[1]
        model = fit(tr, C)
        dv = setup.all_candidates("dev")
        ranks, _ = rank_lists(setup, "dev", dv, model)
        print("dev", fmt(f"re-ranker LR C={C} (chosen on folds)", report(ranks, setup.splits["dev"]["rels"])))
        print("coef", dict(zip(BASE + NAMES, np.round(model[2].coef_[0], 3))))


if __name__ == "__main__":
    main()
