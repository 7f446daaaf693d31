#!/usr/bin/env bash
# Transcript MAP, measured the way a transcript reaches a reviewer, through the real binary: for each CheckThat 2019
# debate, `claimdesk train --hold-out DEBATE` trains without it (and without ClaimBuster's copies of its sentences),
# the debate is written as "SPEAKER: text" lines, `claimdesk extract --model FOLD.bin --all --format tsv` extracts it,
# and each line is scored by its best sentence (a line without any scores 0). Prints average precision, P@5 and P@10
# per debate, their means (MAP is the CheckThat lab's measure) and a random ranking's MAP (mean of 1,000 seeded
# shuffles). Python's standard library only; the data is read from ../shared (never copied).
#
#   bash scripts/eval_transcripts.sh                  (DATA=../shared/data by default)
#   CLAIMDESK_BIN=path/to/claimdesk bash scripts/eval_transcripts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
data="${DATA:-../shared/data}"
sentences="$data/claimbuster/crowdsourced.csv"
debates="$data/checkthat2019-debates/training"
for f in "$sentences" "$debates"; do
  if [ ! -e "$f" ]; then
    echo "eval_transcripts: $f: not found (set DATA to the folder holding claimbuster/ and checkthat2019-debates/)" >&2
    exit 1
  fi
done
bin="${CLAIMDESK_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --quiet --bin claimdesk
  bin="${CARGO_TARGET_DIR:-target}/release/claimdesk"
fi
work="${CARGO_TARGET_DIR:-target}/eval-transcripts"
mkdir -p "$work"
python3 - "$bin" "$sentences" "$debates" "$work" <<'PY'
import os, random, subprocess, sys

binary, sentences, debates, work = sys.argv[1:5]


def average_precision(scores, labels):
    """Mean over the positives of the precision among all lines scored at least as high (ties counted together)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    positives = sum(labels)
    if positives == 0:
        return 0.0
    seen = hits = 0
    total = 0.0
    i = 0
    while i < len(order):
        j = i
        group_hits = 0
        while j < len(order) and scores[order[j]] == scores[order[i]]:
            group_hits += labels[order[j]]
            j += 1
        seen += j - i
        hits += group_hits
        total += group_hits * hits / seen
        i = j
    return total / positives


def precision_at(scores, labels, k):
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:k]
    return sum(labels[i] for i in order) / len(order)


def random_ap(labels, rounds=1000):
    rng = random.Random(12345)
    order = list(range(len(labels)))
    total = 0.0
    for _ in range(rounds):
        rng.shuffle(order)
        hits = 0
        ap = 0.0
        for rank, i in enumerate(order, 1):
            if labels[i]:
                hits += 1
                ap += hits / rank
        total += ap / max(1, sum(labels))
    return total / rounds


rows = []
for file in sorted(f for f in os.listdir(debates) if f.endswith(".tsv")):
    name = file[: -len(".tsv")]
    lines = []
    with open(os.path.join(debates, file), encoding="utf-8") as f:
        for row in f.read().splitlines():
            if not row.strip():
                continue
            _, speaker, text, label = row.split("\t")
            clean = lambda s: s.replace("\r", " ").replace("\n", " ").strip()
            lines.append((clean(speaker), clean(text), label.strip() == "1"))
    # The transcript a reviewer would open: one "SPEAKER: text" line per line.
    transcript = "".join(f"{s}: {t}\n" for s, t, _ in lines).encode("utf-8")
    starts, at = [], 0
    for s, t, _ in lines:
        starts.append(at)
        at += len(f"{s}: {t}\n".encode("utf-8"))
    doc = os.path.join(work, name + ".txt")
    with open(doc, "wb") as f:
        f.write(transcript)
    model = os.path.join(work, name + ".bin")
    subprocess.run([binary, "train", "--data", sentences, "--debates", debates, "--hold-out", name, "--folds", "0",
                    "--out", model], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tsv = subprocess.run([binary, "extract", doc, "--model", model, "--all", "--format", "tsv"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    scores = [0.0] * len(lines)
    for row in tsv.splitlines()[1:]:
        start, _end, score = row.split("\t")[:3]
        start, score = int(start), float(score)
        line = max(i for i, s in enumerate(starts) if s <= start)
        scores[line] = max(scores[line], score)
    labels = [int(p) for _, _, p in lines]
    rows.append((name, len(lines), sum(labels), average_precision(scores, labels), precision_at(scores, labels, 5),
                 precision_at(scores, labels, 10), random_ap(labels)))
    print(f"{name:<28}{rows[-1][1]:>6}{rows[-1][2]:>10}{rows[-1][3]:>8.3f}{rows[-1][4]:>7.2f}{rows[-1][5]:>7.2f}"
          f"{rows[-1][6]:>9.3f}", flush=True)

mean = lambda k: sum(r[k] for r in rows) / len(rows)
print(f"{'mean (leave one out)':<44}{mean(3):>8.3f}{mean(4):>7.2f}{mean(5):>7.2f}{mean(6):>9.3f}")
print(f"MAP {mean(3):.3f}  P@5 {mean(4):.2f}  P@10 {mean(5):.2f}  (random ranking: MAP {mean(6):.3f}; "
      f"{len(rows)} transcripts, each held out; through `claimdesk extract --all --format tsv`)")
PY
