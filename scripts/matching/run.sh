#!/usr/bin/env bash
# Claim-matching research in one command: BM25 baseline, MiniLM cosine, the re-ranker chosen on 5 train folds,
# and its dev figures (CLEF 2020 CheckThat! Task 2, read from ../shared/data/checkthat2020-claim-retrieval).
#
#   bash scripts/matching/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/matching/venv.sh
"$PY" scripts/matching/research.py 2>&1 | grep -v -e '^Loading weights' -e Warning
