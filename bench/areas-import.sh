#!/usr/bin/env bash
# Import time and peak memory of `baken areas import` on the 11,691 Dutch buurten of 2014,
# into a fresh embedded database, repeated RUNS times (default 5).
# Usage: bench/areas-import.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
FILE=data/cbs/nederland-buurten-2014.geojson
cargo build --release --quiet
echo "run,wall_seconds,peak_rss_mib"
for i in $(seq 1 "$RUNS"); do
    dir=$(mktemp -d)
    /usr/bin/time -f "%e %M" -o "$dir/time" ./target/release/baken areas import "$FILE" --kind buurt --year 2014 --data-dir "$dir" > "$dir/out"
    read -r wall rss < "$dir/time"
    printf '%s,%s,%.1f\n' "$i" "$wall" "$(echo "$rss / 1024" | bc -l)"
    head -1 "$dir/out" >&2
    rm -rf "$dir"
done
