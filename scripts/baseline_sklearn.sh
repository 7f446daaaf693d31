#!/usr/bin/env bash
# The published simple baseline, measured here the way ClaimDesk's scorer is measured: TF-IDF (word 1- and 2-grams)
# plus logistic regression (scikit-learn), 5-fold stratified cross-validation on the ClaimBuster crowdsourced
# sentences, check-worthy (Verdict 1) against the rest. Installs scikit-learn from PyPI into a virtual environment
# under target/, then runs ClaimDesk's own cross-validation on the same file for comparison.
#
#   bash scripts/baseline_sklearn.sh [CSV]      (default ../shared/data/claimbuster/crowdsourced.csv)
set -euo pipefail
cd "$(dirname "$0")/.."
csv="${1:-../shared/data/claimbuster/crowdsourced.csv}"
work=target/peer
mkdir -p "$work"
if [ ! -x "$work/venv-sklearn/bin/python" ]; then
  python3 -m venv "$work/venv-sklearn"
  "$work/venv-sklearn/bin/pip" install --quiet scikit-learn
fi
"$work/venv-sklearn/bin/python" - "$csv" <<'PY'
import csv, sys
import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline

with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
texts = np.array([r["Text"] for r in rows], dtype=object)
labels = np.array([1 if r["Verdict"].strip() in ("1", "1.0") else 0 for r in rows])
folds = StratifiedKFold(5, shuffle=True, random_state=0)
print(f"scikit-learn {sklearn.__version__}; {len(rows)} sentences, {labels.sum()} check-worthy")
for c in (1.0, 10.0):
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                          LogisticRegression(C=c, max_iter=3000))
    p = cross_val_predict(model, texts, labels, cv=folds, method="predict_proba")[:, 1]
    pred = p >= 0.5
    print(f"TF-IDF + logistic regression (C={c:g}), 5-fold, threshold 0.50: "
          f"precision {precision_score(labels, pred):.3f}  recall {recall_score(labels, pred):.3f}  "
          f"F1 {f1_score(labels, pred):.3f}  weighted F1 {f1_score(labels, pred, average='weighted'):.3f}  "
          f"average precision {average_precision_score(labels, p):.3f}")
PY
cargo build --release --quiet --bin claimdesk
echo "ClaimDesk (claimdesk train, same file, its own 5-fold split):"
target/release/claimdesk train --data "$csv" --out "$work/claimdesk-lr.bin" 2>/dev/null | sed -n '/^5-fold/,/^other/p' | grep -v '^other'
