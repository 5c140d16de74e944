#!/usr/bin/env bash
# The warehouse-first reference for the import benchmark:
#
#   bash Benchmarks/duckdb-reference.sh [WORLD_DIRECTORY]
#
# DuckDB reads the same NDJSON in memory, nothing durable, and sums each account's events per
# signal with a 14-day half-life (no dedupe, identity, state or scoring), three runs.
# WORLD_DIRECTORY defaults to .build/compare-world, the world Benchmarks/compare-imports.sh uses,
# written once by Benchmarks/write-world.sh if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
world="${1:-.build/compare-world}"
if [[ ! -f $world/events.ndjson ]]; then
    swift build --quiet -c release --product signalbox
    Benchmarks/write-world.sh "$world" .build/release/signalbox
fi

venv=.build/bench-venv
if ! "$venv/bin/python" -c "import duckdb" 2> /dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet duckdb
fi
for run in 1 2 3; do
    "$venv/bin/python" Benchmarks/duckdb_reference.py "$world/events.ndjson"
done
