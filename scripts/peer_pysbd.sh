#!/usr/bin/env bash
# A peer measured in the same run: pysbd (the Python sentence segmenter) against ClaimDesk on the same generated
# news-like corpus. Installs pysbd from PyPI into a virtual environment under target/. Prints both speeds in MB/s
# and ClaimDesk's speed as a ratio.
#
#   bash scripts/peer_pysbd.sh [MEGABYTES]      (default 10; pysbd runs on the first 1 MB of it: it is slow)
set -euo pipefail
cd "$(dirname "$0")/.."
mb="${1:-10}"
work=target/peer
mkdir -p "$work"
cargo build --release --quiet --bin claimdesk --example corpus
target/release/examples/corpus $((mb * 1024 * 1024)) 42 > "$work/corpus.txt"
if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet pysbd
fi
"$work/venv/bin/python" - "$work/corpus.txt" <<'PY'
import subprocess, sys, time
import pysbd

path = sys.argv[1]
data = open(path, "rb").read()
text = data.decode("utf-8")

# ClaimDesk: the whole pipeline (load, segmentation, boilerplate, features, attribution, kinds, scoring) on the
# whole corpus, every sentence written out, best of three runs.
best = None
for _ in range(3):
    t = time.perf_counter()
    subprocess.run(["target/release/claimdesk", "extract", path, "--format", "tsv", "--all"],
                   check=True, stdout=subprocess.DEVNULL)
    dt = time.perf_counter() - t
    best = dt if best is None else min(best, dt)
cd_mbs = len(data) / 1e6 / best

# pysbd: segmentation only, paragraph by paragraph, on the first 1 MB (whole paragraphs).
cut = text[: 1_000_000]
cut = cut[: cut.rfind("\n")]
seg = pysbd.Segmenter(language="en", clean=False)
t = time.perf_counter()
n = 0
for para in cut.split("\n"):
    if para.strip():
        n += len(seg.segment(para))
dt = time.perf_counter() - t
py_mbs = len(cut.encode("utf-8")) / 1e6 / dt

print(f"corpus: {len(data) / 1e6:.1f} MB ({path})")
print(f"claimdesk extract (full pipeline): {cd_mbs:.1f} MB/s (best of 3, {best:.2f} s)")
print(f"pysbd {pysbd.__version__} (segmentation only, first {len(cut.encode('utf-8')) / 1e6:.1f} MB, {n} sentences): {py_mbs:.3f} MB/s")
print(f"ratio: ClaimDesk is {cd_mbs / py_mbs:.0f}x pysbd's speed")
PY
