#!/usr/bin/env bash
# Writes the 15000-workspace demo world (3.6M messages) that the import comparisons use, once:
#
#   Benchmarks/write-world.sh WORLD_DIRECTORY SIGNALBOX_BINARY
#
# Does nothing when WORLD_DIRECTORY already holds events.ndjson.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 WORLD_DIRECTORY SIGNALBOX_BINARY" >&2
    exit 64
fi
world=$1
binary=$(realpath "$2")
if [[ ! -f $world/events.ndjson ]]; then
    echo "writing the 15000-workspace world into $world (once)…" >&2
    mkdir -p "$world"
    (cd "$world" && "$binary" demo --workspaces 15000 --directory . --show 0 > /dev/null)
fi
