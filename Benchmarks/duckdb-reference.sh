#!/usr/bin/env bash
# The warehouse-first reference for the import benchmark: `bash Benchmarks/duckdb-reference.sh [WORLD_DIRECTORY]`.
# DuckDB reads the same NDJSON in memory, nothing durable, and sums each account's events per
# signal with a 14-day half-life (no dedupe, identity, state or scoring), three runs. WORLD_DIRECTORY
# defaults to .build/compare-world, the 15000-workspace world Benchmarks/compare-imports.sh uses,
# written once if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
world="${1:-.build/compare-world}"
if [[ ! -f $world/events.ndjson ]]; then
    echo "writing the 15000-workspace world into $world (once)…" >&2
    swift build --quiet -c release --product signalbox
    mkdir -p "$world"
    (cd "$world" && "$OLDPWD/.build/release/signalbox" demo --workspaces 15000 --directory . --show 0 > /dev/null)
fi

venv=.build/bench-venv
if ! "$venv/bin/python" -c "import duckdb" 2> /dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet duckdb
fi
for run in 1 2 3; do
    "$venv/bin/python" Benchmarks/duckdb_reference.py "$world/events.ndjson"
done
