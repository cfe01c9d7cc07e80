#!/usr/bin/env bash
# The yearly council report at the scale of a region: N signals (default 1,000,000, generated
# and imported as bench/import-signals.sh does) and M interventions (default 50,000, the plan's
# mix over 2023-2025) in a store with ten municipalities, everything in the reporting
# municipality (the heaviest case for its report). Measures wall time and peak memory of
# `baken report --year 2024` for HTML, PDF and XLSX — as the team (exact, with the records
# counted) and for readers outside it — on the embedded SQLite store and, when
# BAKEN_BENCH_POSTGRES_URL is set (an empty database), on PostgreSQL.
# Usage: [ENGINES="sqlite postgres"] bench/report.sh [N] [M]
set -euo pipefail
cd "$(dirname "$0")/.."
# Baken refuses unknown BAKEN_* variables in its environment.
PG_URL=${BAKEN_BENCH_POSTGRES_URL:-}
unset BAKEN_BENCH_POSTGRES_URL
N=${1:-1000000}
M=${2:-50000}
cargo build --release --quiet -p baken --bin baken
cargo build --release --quiet -p baken-intake --examples
cargo build --release --quiet -p baken-demo --examples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/examples/gen_signals "$N" "$work/signals.csv"

run_engine() {
    local name=$1 data=$2; shift 2
    local db=("$@")
    for i in $(seq 1 10); do
        ./target/release/baken org add --name "Gemeente $i" --data-dir "$data" "${db[@]}" >/dev/null
    done
    printf 'benchmark-wachtwoord\n' | ./target/release/baken user add --org "Gemeente 1" --role analist --email bench@baken.local --data-dir "$data" "${db[@]}" >/dev/null 2>&1
    printf 'benchmark-wachtwoord\n' | ./target/release/baken user add --org "Gemeente 1" --role bibob-coordinator --email bibob@baken.local --data-dir "$data" "${db[@]}" >/dev/null 2>&1
    ./target/release/baken areas import data/cbs/groningen-buurten-2014.geojson --kind buurt --year 2014 --data-dir "$data" "${db[@]}" >/dev/null
    local t0=$SECONDS
    ./target/release/baken import signals "$work/signals.csv" --mapping bench/import-mapping.toml \
        --as bench@baken.local --data-dir "$data" "${db[@]}" --no-link | tail -1
    echo "$name: $N signals imported in $((SECONDS - t0)) s"
    ./target/release/examples/gen_register "$data" "$M" bench@baken.local bibob@baken.local ${db[1]:-}
    # The first report reads a store just written (cold page cache); the last line repeats it.
    for run in team:html team:pdf team:xlsx extern:html extern:pdf extern:xlsx team:html; do
        readers=${run%%:*} format=${run##*:}
        {
            /usr/bin/time -f "%e %M" -o "$work/t" ./target/release/baken report --as bench@baken.local \
                --year 2024 --readers "$readers" --format "$format" --out "$work/r.$format" \
                --data-dir "$data" "${db[@]}" 2>/dev/null
            read -r s kb < "$work/t"
            printf '%-9s %-7s %-5s %6.2f s  peak RSS %5.0f MiB  %7.0f kB\n' "$name" "$readers" "$format" "$s" "$((kb / 1024))" "$(( $(stat -c %s "$work/r.$format") / 1024 ))"
        }
    done
}

ENGINES=${ENGINES:-sqlite postgres}
if [[ " $ENGINES " == *" sqlite "* ]]; then
    run_engine sqlite "$work/sqlite"
fi
if [ -n "$PG_URL" ] && [[ " $ENGINES " == *" postgres "* ]]; then
    run_engine postgres "$work/pg" --database-url "$PG_URL"
fi
