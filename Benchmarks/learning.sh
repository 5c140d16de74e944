#!/usr/bin/env bash
# Learning benchmark: `bash Benchmarks/learning.sh [workspaces]`.
# Times a 90-day backtest, training snapshots and the fit on 100,000 accounts × 8 weekly snapshots
# (signalbox-bench learn), then fits scikit-learn's LogisticRegression on the exported training
# matrix with the same penalty and compares the validation AUC with signalbox train's.
set -euo pipefail
cd "$(dirname "$0")/.."
workspaces="${1:-20000}"
matrix="$(mktemp -d)/features.csv"
swift build --quiet -c release --product signalbox-bench
.build/release/signalbox-bench learn "$workspaces" "$matrix"

venv=.build/bench-venv
if ! "$venv/bin/python" -c "import sklearn" 2> /dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet scikit-learn
fi
"$venv/bin/python" Benchmarks/sklearn_check.py "$matrix"
