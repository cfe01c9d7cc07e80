#!/usr/bin/env bash
# A/B: the same generated CSV imported by two baken binaries in one run, alternating.
# Usage: BASE=path/to/old/baken [N=100000] [LINKED=1] bench/import-ab.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BASE:?set BASE to the baseline baken binary}"
cargo build --release --quiet -p baken --bin baken
cargo build --release --quiet -p baken-intake --examples
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
./target/release/examples/gen_signals ${N:-100000} $W/s.csv >/dev/null
run() {
  local bin=$1 tag=$2; local d=$W/$tag-$3
  $bin org add --name "Gemeente Groningen" --data-dir $d >/dev/null
  printf 'benchmark-wachtwoord\n' | $bin user add --org "Gemeente Groningen" --role analist --email bench@baken.local --data-dir $d >/dev/null 2>&1
  $bin areas import data/cbs/groningen-wijken-2014.geojson --kind wijk --year 2014 --data-dir $d >/dev/null
  $bin areas import data/cbs/groningen-buurten-2014.geojson --kind buurt --year 2014 --data-dir $d >/dev/null
  /usr/bin/time -f "$tag %e s %M KB" $bin import signals $W/s.csv --mapping bench/import-mapping.toml --as bench@baken.local --data-dir $d ${4:+$4} 2>&1 >/dev/null | tail -1
}
for i in 1 2; do
  [ -n "${LINKED:-}" ] && flag="" || flag=--no-link
  run "$BASE" baseline $i "$flag"
  run ./target/release/baken current $i "$flag"
done
