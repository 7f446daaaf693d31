#!/usr/bin/env bash
# Sentence segmentation, ClaimDesk beside a peer: every case of tests/data/segmentation-cases.json (a text and the
# sentences a careful human cuts it into) through ClaimDesk's binary (`claimdesk extract CASE.txt --format tsv --all`,
# each sentence taken from the document by its byte offsets) and through pysbd (pinned, from PyPI, in a virtual
# environment under target/). Prints both pass counts, per category and in all; with -v, every case either fails.
#
#   bash scripts/peer_segmentation.sh [-v]
#   CLAIMDESK_BIN=/path/to/claimdesk bash scripts/peer_segmentation.sh    (another build, e.g. an older commit's)
set -euo pipefail
cd "$(dirname "$0")/.."
verbose="${1:-}"
work=target/peer
mkdir -p "$work"
bin="${CLAIMDESK_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --quiet --bin claimdesk
  bin="${CARGO_TARGET_DIR:-target}/release/claimdesk"
fi
if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
fi
if ! "$work/venv/bin/python" -c 'import pysbd, sys; sys.exit(pysbd.__version__ != "0.3.4")' 2>/dev/null; then
  "$work/venv/bin/pip" install --quiet "pysbd==0.3.4"
fi
"$work/venv/bin/python" - "$bin" tests/data/segmentation-cases.json "$work/segmentation" "$verbose" <<'PY'
import collections, json, os, subprocess, sys
import pysbd

binary, cases_path, work, verbose = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "-v"
cases = json.load(open(cases_path, encoding="utf-8"))["cases"]
os.makedirs(work, exist_ok=True)
seg = pysbd.Segmenter(language="en", clean=False)


def claimdesk(text, n):
    path = os.path.join(work, f"case-{n:03}.txt")
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    out = subprocess.run([binary, "extract", path, "--format", "tsv", "--all"], check=True, capture_output=True).stdout
    lines = out.decode("utf-8").splitlines()[1:]  # the first line is the header
    spans = [tuple(map(int, line.split("\t")[:2])) for line in lines]
    return [data[a:b].decode("utf-8") for a, b in spans]


def peer(text):
    return [s.strip() for s in seg.segment(text) if s.strip()]


passed = collections.Counter()
total = collections.Counter()
for n, case in enumerate(cases):
    expected, cat = case["sentences"], case["category"]
    total[cat] += 1
    for name, got in (("claimdesk", claimdesk(case["text"], n)), ("pysbd", peer(case["text"]))):
        ok = got == expected
        passed[(name, cat)] += ok
        passed[name] += ok
        if verbose and not ok:
            print(f"{name} fails [{cat}] {case['text']!r}\n  expected {expected}\n  got      {got}")

print(f"segmentation cases: {len(cases)} ({cases_path})")
print(f"{'category':<14}{'cases':>6}{'ClaimDesk':>11}{'pysbd ' + pysbd.__version__:>13}")
for cat in sorted(total):
    print(f"{cat:<14}{total[cat]:>6}{passed[('claimdesk', cat)]:>11}{passed[('pysbd', cat)]:>13}")
print(f"{'all':<14}{len(cases):>6}{passed['claimdesk']:>11}{passed['pysbd']:>13}")
PY
