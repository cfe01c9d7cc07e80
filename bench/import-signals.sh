#!/usr/bin/env bash
# Bulk import of N generated signals (default 1,000,000) from CSV into the embedded SQLite
# store — validation, subject normalisation, area assignment (Groningen buurten and wijken),
# search indexing, one transaction — against a raw SQLite insert of the same rows, in the same
# run. Prints rows/s, the ratio and peak memory of both.
# Baken runs twice: with --no-link (subjects linked later by `baken link run`) and with the
# default batch linking after the commit.
# Usage: bench/import-signals.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
CBS=data/cbs
cargo build --release --quiet -p baken --bin baken
cargo build --release --quiet -p baken-intake --examples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/examples/gen_signals "$N" "$work/signals.csv"
data="$work/baken"
./target/release/baken org add --name "Gemeente Groningen" --data-dir "$data" >/dev/null
printf 'benchmark-wachtwoord\n' | ./target/release/baken user add --org "Gemeente Groningen" --role analist --email bench@baken.local --data-dir "$data" >/dev/null 2>&1
./target/release/baken areas import "$CBS/groningen-wijken-2014.geojson" --kind wijk --year 2014 --data-dir "$data" | sed -n 1p
./target/release/baken areas import "$CBS/groningen-buurten-2014.geojson" --kind buurt --year 2014 --data-dir "$data" | sed -n 1p

/usr/bin/time -f "%e %M" -o "$work/baken.time" \
    ./target/release/baken import signals "$work/signals.csv" --mapping bench/import-mapping.toml \
    --as bench@baken.local --data-dir "$data" --no-link | tail -1
read -r baken_s baken_kb < "$work/baken.time"
# The same file again into a fresh store, with the subjects linked (the default).
data2="$work/baken-linked"
./target/release/baken org add --name "Gemeente Groningen" --data-dir "$data2" >/dev/null
printf 'benchmark-wachtwoord\n' | ./target/release/baken user add --org "Gemeente Groningen" --role analist --email bench@baken.local --data-dir "$data2" >/dev/null 2>&1
./target/release/baken areas import "$CBS/groningen-wijken-2014.geojson" --kind wijk --year 2014 --data-dir "$data2" >/dev/null
./target/release/baken areas import "$CBS/groningen-buurten-2014.geojson" --kind buurt --year 2014 --data-dir "$data2" >/dev/null
/usr/bin/time -f "%e %M" -o "$work/linked.time" \
    ./target/release/baken import signals "$work/signals.csv" --mapping bench/import-mapping.toml \
    --as bench@baken.local --data-dir "$data2" | tail -1
read -r linked_s linked_kb < "$work/linked.time"

/usr/bin/time -f "%e %M" -o "$work/raw.time" \
    ./target/release/examples/raw_insert "$work/signals.csv" "$work/raw.db"
read -r raw_s raw_kb < "$work/raw.time"
/usr/bin/time -f "%e %M" -o "$work/rawb.time" \
    ./target/release/examples/raw_insert "$work/signals.csv" "$work/rawb.db" --batched
read -r rawb_s rawb_kb < "$work/rawb.time"

python3 - "$N" "$baken_s" "$baken_kb" "$raw_s" "$raw_kb" "$rawb_s" "$rawb_kb" "$linked_s" "$linked_kb" <<'PY'
import sys
n = int(sys.argv[1])
bs, bk, rs, rk, qs, qk = float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
ls, lk = float(sys.argv[8]), int(sys.argv[9])
print(f"rows: {n}")
print(f"baken import --no-link:{bs:7.1f} s, {n/bs:9,.0f} rows/s, peak RSS {bk/1024:5.0f} MiB")
print(f"baken import + linking:{ls:7.1f} s, {n/ls:9,.0f} rows/s, peak RSS {lk/1024:5.0f} MiB")
print(f"raw insert (per row):  {rs:7.1f} s, {n/rs:9,.0f} rows/s, peak RSS {rk/1024:5.0f} MiB")
print(f"raw insert (batched):  {qs:7.1f} s, {n/qs:9,.0f} rows/s, peak RSS {qk/1024:5.0f} MiB")
print(f"ratio baken / raw per row: {rs/bs:.2f}; baken / raw batched: {qs/bs:.2f}")
print(f"ratio baken + linking / raw per row: {rs/ls:.2f}")
PY
