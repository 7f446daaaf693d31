#!/usr/bin/env bash
# Matching quality of the shared library beside the embedded one: the CheckThat! 2020 fact-checks
# (../shared/data/checkthat2020-claim-retrieval, 10,375) imported, with the matcher's embeddings, into a library
# folder and into a throwaway PostgreSQL server (scripts/pg_throwaway.sh); the 197 dev tweets matched against each
# through the release binary (`claimdesk match TABLE --top 5`); MAP@5 of each from the dev qrels. Embedding takes
# about 3 minutes per import on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/checkthat2020-claim-retrieval
cargo build --release --bin claimdesk
bin=${CARGO_TARGET_DIR:-target}/release/claimdesk
. scripts/pg_throwaway.sh
pg_start
work=$(mktemp -d /tmp/claimdesk-map.XXXXXX)
trap 'pg_stop; rm -rf "$work"' EXIT
python3 - "$data/dev/tweets.queries.tsv" "$work/queries.tsv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w", newline="") as out:
    rows = csv.reader(f, delimiter="\t")
    next(rows)
    w = csv.writer(out, delimiter="\t")
    w.writerow(["id", "text"])
    for r in rows:
        w.writerow([r[0], " ".join(r[1].split())])
PY
for lib in "$work/folder" "$PG_URL"; do
  name=$([ "$lib" = "$PG_URL" ] && echo postgres || echo sqlite)
  start=$(date +%s)
  "$bin" library --library "$lib" import --source checkthat "$data/verified_claims.docs.tsv" | sed 's/^[^:]*: //'
  "$bin" match --library "$lib" "$work/queries.tsv" --top 5 > "$work/$name.tsv"
  echo "$name: imported and matched in $(( $(date +%s) - start )) s"
done
python3 - "$data/dev/tweet-vclaim-pairs.qrels" "$work/sqlite.tsv" "$work/postgres.tsv" <<'PY'
import sys
relevant = {}
for line in open(sys.argv[1]):
    q, _, d, rel = line.split()
    if rel == "1":
        relevant.setdefault(q, set()).add(d)
for path in sys.argv[2:]:
    ranked = {}
    for line in list(open(path))[1:]:
        cols = line.rstrip("\n").split("\t")
        ranked.setdefault(cols[0], []).append(cols[2])
    total = 0.0
    for q, rel in relevant.items():
        hits, ap = 0, 0.0
        for k, d in enumerate(ranked.get(q, [])[:5], 1):
            if d in rel:
                hits += 1
                ap += hits / k
        total += ap / min(len(rel), 5)
    print(f"{path.rsplit('/', 1)[1][:-4]}: MAP@5 {total / len(relevant):.4f} over {len(relevant)} dev tweets")
PY
if cmp -s "$work/sqlite.tsv" "$work/postgres.tsv"; then echo "the two rankings are identical"; else echo "the rankings differ"; fi
