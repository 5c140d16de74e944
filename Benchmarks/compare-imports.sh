#!/usr/bin/env bash
# Alternated `signalbox import` runs of two builds over one world, for changes too small to see in
# single runs on a machine whose speed drifts from minute to minute: A and B take turns, so both
# meet the same phases, and the rounds B wins say more than any one timing.
#
#   Benchmarks/compare-imports.sh ROUNDS BINARY_A BINARY_B [WORLD_DIRECTORY]
#
# BINARY_A and BINARY_B are release builds of `signalbox` (copy .build/release/signalbox aside
# before building the other). WORLD_DIRECTORY defaults to .build/compare-world, written once by
# `BINARY_A demo --workspaces 15000` (3.6M messages); any folder with events.ndjson,
# companies.csv and signalbox.yaml works. Each import goes into a new store, which is removed after.
set -euo pipefail

if [[ $# -lt 3 || ! "$1" =~ ^[0-9]+$ ]]; then
    echo "usage: $0 ROUNDS BINARY_A BINARY_B [WORLD_DIRECTORY]" >&2
    exit 64
fi
rounds=$1
binaries=("$(realpath "$2")" "$(realpath "$3")")
world=${4:-.build/compare-world}
for binary in "${binaries[@]}"; do
    [[ -x $binary ]] || { echo "$binary is not an executable" >&2; exit 66; }
done

"$(dirname "$0")/write-world.sh" "$world" "${binaries[0]}"
for file in events.ndjson companies.csv signalbox.yaml; do
    [[ -f $world/$file ]] || { echo "$world/$file is missing" >&2; exit 66; }
done

store=$(mktemp -d)
results=$(mktemp)
trap 'rm -rf "$store" "$results"' EXIT

# One import: prints messages per second and CPU seconds (user + system).
import_once() {
    local binary=$1 output cpu rate
    rm -f "$store"/import.sqlite*
    output=$( { TIMEFORMAT='cpu %U %S'; time (cd "$world" && "$binary" import events.ndjson --firmographics companies.csv \
        --config signalbox.yaml --db "$store/import.sqlite" 2>&1); } 2>&1 )
    cpu=$(sed -nE 's/^cpu ([0-9.]+) ([0-9.]+)$/\1 \2/p' <<< "$output" | awk '{ printf "%.2f", $1 + $2 }')
    rate=$(sed -nE 's/.*\(([0-9]+) messages\/s\).*/\1/p' <<< "$output")
    [[ -n $rate ]] || { echo "$binary import failed:" >&2; echo "$output" >&2; exit 1; }
    echo "$rate $cpu"
}

printf '%-6s %12s %8s   %12s %8s\n' round "A msg/s" "A cpu s" "B msg/s" "B cpu s"
for round in $(seq "$rounds"); do
    read -r rate_a cpu_a <<< "$(import_once "${binaries[0]}")"
    read -r rate_b cpu_b <<< "$(import_once "${binaries[1]}")"
    printf '%-6s %12s %8s   %12s %8s\n' "$round" "$rate_a" "$cpu_a" "$rate_b" "$cpu_b"
    echo "$rate_a $cpu_a $rate_b $cpu_b" >> "$results"
done

awk '
    { a[NR] = $1; ca[NR] = $2; b[NR] = $3; cb[NR] = $4; if ($3 > $1) wins++ }
    function median(values, n,    sorted, i, j, t) {
        for (i = 1; i <= n; i++) sorted[i] = values[i]
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
        return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
    }
    END {
        printf "median  A %.0f msg/s, %.2f cpu s;  B %.0f msg/s, %.2f cpu s\n", median(a, NR), median(ca, NR), median(b, NR), median(cb, NR)
        printf "B faster in %d of %d rounds\n", wins, NR
    }
' "$results"
