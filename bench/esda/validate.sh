#!/usr/bin/env bash
# Sets up a Python virtualenv with PySAL (esda, libpysal) and checks `baken analyse` against it
# on libpysal's Columbus data and the Groningen buurten (data/cbs).
# Usage: bench/esda/validate.sh [BAKEN_BINARY]
#        bench/esda/validate.sh --prepare   (only sets up the virtualenv)
set -euo pipefail
cd "$(dirname "$0")/../.."
BAKEN=${1:-./target/debug/baken}
VENV=$(realpath -m "${ESDA_VENV:-target/esda-venv}")
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check "esda==2.9.0" "libpysal==4.14.1"
[ "$BAKEN" = --prepare ] && exit 0
[ -x "$BAKEN" ] || cargo build --quiet --bin baken
"$VENV/bin/python" bench/esda/validate.py "$BAKEN" .
