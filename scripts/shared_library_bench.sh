#!/usr/bin/env bash
# The shared library at scale (benches/shared_library.rs) against a throwaway local PostgreSQL server
# (scripts/pg_throwaway.sh): 1,000,000 generated fact-checks imported (COPY), then 8 clients matching at once.
#
#   bash scripts/shared_library_bench.sh
#   CLAIMDESK_BENCH_ENTRIES=100000 bash scripts/shared_library_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg_throwaway.sh
pg_start
CLAIMDESK_BENCH_PG="$PG_URL" cargo bench --bench shared_library
