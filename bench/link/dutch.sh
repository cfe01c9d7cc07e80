#!/usr/bin/env bash
# The generated Dutch data set with known truth (crates/link/examples/dutch_generator.rs):
# deduplicate N records (default 1,000,000) with Baken and with Splink 5 (DuckDB) in the same
# run. Precision, recall and F1 at 0.9 and at each tool's best threshold; wall time and peak
# memory of each whole process.
# Usage: bench/link/dutch.sh [RECORDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
VENV=${LINK_VENV:-target/link-venv}
WORK=${LINK_WORK:-target/link-bench}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "splink==5.0.0" "recordlinkage==0.16" "duckdb==2.0.1"
fi
mkdir -p "$WORK"
cargo build --release --quiet --bin baken
cargo build --release --quiet -p baken-link --example dutch_generator
DATA="$WORK/dutch-$N.csv"
target/release/examples/dutch_generator "$N" "$DATA" 2026
"$VENV/bin/python" bench/link/truth_from_entity.py "$DATA" "$WORK/dutch-${N}_truth.csv"
cat > "$WORK/dutch.toml" <<'TOML'
[columns]
given_name = "given_name"
surname = "surname"
date_of_birth = "date_of_birth"
street = "street"
house_number = "house_number"
postcode = "postcode"
city = "city"
TOML
measure() { # name, command...: prints "seconds peak_mib"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" > "$WORK/$name.log" 2>&1
  awk '{ printf "%.2f %.0f\n", $1, $2 / 1024 }' "$WORK/$name.time"
}
read -r bs bm < <(measure "baken-dutch-$N" target/release/baken link file "$DATA" --id-column id \
    --mapping "$WORK/dutch.toml" --out "$WORK/baken-dutch-$N.csv" --threshold 0.2)
read -r ss sm < <(measure "splink-dutch-$N" "$VENV/bin/python" bench/link/splink_dutch.py "$DATA" \
    "$WORK/splink-dutch-$N.csv")
read -r bp br bf bbest bt < <("$VENV/bin/python" bench/link/evaluate.py "$WORK/dutch-${N}_truth.csv" "$WORK/baken-dutch-$N.csv" 0.9)
read -r sp sr sf sbest st < <("$VENV/bin/python" bench/link/evaluate.py "$WORK/dutch-${N}_truth.csv" "$WORK/splink-dutch-$N.csv" 0.9)
echo "| records | tool | precision @0.9 | recall @0.9 | F1 @0.9 | best F1 (threshold) | wall s | peak MiB |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
echo "| $N | Baken | $bp | $br | $bf | $bbest ($bt) | $bs | $bm |"
echo "| $N | Splink 5.0.0 | $sp | $sr | $sf | $sbest ($st) | $ss | $sm |"
awk -v b="$bs" -v s="$ss" 'BEGIN { printf "Splink/Baken wall time: %.1fx\n", s / b }'
