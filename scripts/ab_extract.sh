#!/usr/bin/env bash
# Extraction speed, A/B, interleaved: the code at BASE (default 6c5730b, before the transcripts work) against the
# working tree, on the benchmark's 10 MB generated corpus, one after the other in each round (the order alternating),
# so that the machine's drift from hour to hour falls on both alike. Each run is examples/extract_speed.rs (the same
# harness file is built into both; it times `Extractor::sentences`, what `cargo bench --bench extract` times) and
# reports MiB/s by CPU time and by wall clock, and the time to load the shipped weights; the script prints every round
# and the medians.
#
#   bash scripts/ab_extract.sh [BASE] [ROUNDS]        (ROUNDS default 10)
#   BASE_TARGET=dir bash scripts/ab_extract.sh        (reuse a target folder already holding BASE's build)
set -euo pipefail
cd "$(dirname "$0")/.."
base="${1:-6c5730b}"
rounds="${2:-10}"
target="${CARGO_TARGET_DIR:-target}"
work="$target/ab"
mkdir -p "$work"
features=(--release --no-default-features --features mimalloc)
# BASE's sources, with the harness added (only an example: the library is BASE's as it was).
src="$work/base-src-$base"
if [ ! -d "$src" ]; then
  mkdir -p "$src"
  git archive "$base" | tar -x -C "$src"
fi
cp examples/extract_speed.rs "$src/examples/extract_speed.rs"
base_target="${BASE_TARGET:-$work/base-target}"
(cd "$src" && CARGO_TARGET_DIR="$base_target" cargo build --quiet "${features[@]}" --example extract_speed)
cargo build --quiet "${features[@]}" --example extract_speed --example corpus
a="$base_target/release/examples/extract_speed"
b="$target/release/examples/extract_speed"
corpus="$work/corpus.txt"
[ -s "$corpus" ] || "$target/release/examples/corpus" $((10 * 1024 * 1024)) 42 > "$corpus"
python3 - "$a" "$b" "$corpus" "$rounds" "$base" <<'PY'
import statistics, subprocess, sys

a, b, corpus, rounds, base = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]


loads = {"base": [], "new": []}


def run(binary, name):
    out = subprocess.run([binary, corpus, "3"], check=True, capture_output=True, text=True).stdout.splitlines()
    loads[name].append(float(out[0].split()[2]))
    cpu = [float(l.split()[1]) for l in out[1:]]
    wall = [float(l.split()[4]) for l in out[1:]]
    return statistics.median(cpu), statistics.median(wall)


results = {"base": [], "new": []}
for r in range(rounds):
    order = [("base", a), ("new", b)] if r % 2 == 0 else [("new", b), ("base", a)]
    line = []
    for name, binary in order:
        cpu, wall = run(binary, name)
        results[name].append((cpu, wall))
        line.append(f"{name} cpu {cpu:6.2f} wall {wall:6.2f}")
    print(f"round {r + 1:2}: " + "   ".join(line), flush=True)
for k, label in ((0, "CPU time"), (1, "wall clock")):
    old = statistics.median(x[k] for x in results["base"])
    new = statistics.median(x[k] for x in results["new"])
    ratios = [n[k] / o[k] for o, n in zip(results["base"], results["new"])]
    print(f"median MiB/s by {label}: base ({base}) {old:.1f}, new {new:.1f}; new/base per round: median "
          f"{statistics.median(ratios):.3f}, range {min(ratios):.3f} to {max(ratios):.3f}")
print(f"loading the shipped weights, median: base {statistics.median(loads['base']):.2f} ms, "
      f"new {statistics.median(loads['new']):.2f} ms")
PY
