#!/usr/bin/env bash
# Local Moran's I and Gi* (999 permutations, weights included) on the 11,691 Dutch buurten:
# baken against esda with numba, in the same run. Usage: bench/esda/bench.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=$(realpath -m "${ESDA_VENV:-target/esda-venv}")
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "esda==2.9.0" "libpysal==4.14.1" numba
cargo build --release --quiet --bin baken
cd bench/esda && "$VENV/bin/python" bench.py ../../target/release/baken ../.. "${1:-3}"
