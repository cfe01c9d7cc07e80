#!/usr/bin/env bash
# Re-import detection at scale (issue 17, pt 2). A store holding N imported signals (default
# 1,000,000) takes M new rows (default 10,000), then the same M rows again — every one found
# to have been imported before (its key, here the hash of the row's content, is looked up
# among the N + M kept) and skipped; the same M rows into an empty store for comparison.
# Prints each import's time, rows/s and peak memory, and the ratio of the M rows' import into
# the full store against the empty one.
# Usage: bench/import-again.sh [N] [M]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
M=${2:-10000}
CBS=data/cbs
cargo build --release --quiet -p baken --bin baken
cargo build --release --quiet -p baken-intake --examples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/examples/gen_signals "$((N + M))" "$work/all.csv"
head -n "$((N + 1))" "$work/all.csv" > "$work/base.csv"
{ head -n 1 "$work/all.csv"; tail -n "$M" "$work/all.csv"; } > "$work/new.csv"
store() {
    ./target/release/baken org add --name "Gemeente Groningen" --data-dir "$1" >/dev/null
    printf 'benchmark-wachtwoord\n' | ./target/release/baken user add --org "Gemeente Groningen" \
        --role analist --email bench@baken.local --data-dir "$1" >/dev/null 2>&1
    ./target/release/baken areas import "$CBS/groningen-wijken-2014.geojson" --kind wijk --year 2014 --data-dir "$1" >/dev/null
    ./target/release/baken areas import "$CBS/groningen-buurten-2014.geojson" --kind buurt --year 2014 --data-dir "$1" >/dev/null
}
run() { # label, data dir, file
    /usr/bin/time -f "%e %M" -o "$work/t" ./target/release/baken import signals "$3" \
        --mapping bench/import-mapping.toml --as bench@baken.local --data-dir "$2" --no-link \
        > "$work/out" 2>&1 || true
    read -r s kb < "$work/t"
    rows=$(($(wc -l < "$3") - 1))
    printf '%-36s %7.1f s %9.0f rows/s  peak RSS %5.0f MiB  | %s\n' "$1" "$s" \
        "$(python3 -c "print($rows / max($s, 0.001))")" "$(python3 -c "print($kb / 1024)")" \
        "$(grep -v '^rij ' "$work/out" | tail -n 1)"
    echo "$s" > "$work/$4.s"
}
store "$work/full"
run "$N rows into an empty store" "$work/full" "$work/base.csv" base
run "$M new rows into the $N" "$work/full" "$work/new.csv" new
run "the same $M again (all known)" "$work/full" "$work/new.csv" again
store "$work/empty"
run "$M rows into an empty store" "$work/empty" "$work/new.csv" empty
python3 - "$work" <<'PY'
import sys
w = sys.argv[1]
s = {k: float(open(f"{w}/{k}.s").read()) for k in ("new", "again", "empty")}
print(f"ratio: new rows into the full store / into an empty one: {s['new'] / s['empty']:.2f}")
print(f"ratio: all-known rows / new rows into the full store: {s['again'] / s['new']:.2f}")
PY
