#!/usr/bin/env bash
# Clusters and hot spots inside the web request, on the 11,691 Dutch buurten of 2014: an
# embedded store with every buurt, a base per buurt and N signals (default 50,000) placed in
# buurten (ten times as many in a band of municipalities, so that there is something to find), then
# `GET /api/v1/deviations?level=buurt` — counts, bases, shapes, the deviation table, queen
# contiguity, local Moran's I and Gi* with 999 permutations each — timed RUNS times with curl.
# The same request with level=wijk (no wijken loaded: counts and bases only) is the floor.
# Usage: bench/hotspots.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50000}
RUNS=${2:-5}
PORT=${PORT:-18431}
cargo build --release --quiet -p baken --bin baken
BAKEN=./target/release/baken
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
data="$work/data"
$BAKEN org add --name "Gemeente" --data-dir "$data" >/dev/null
printf 'benchmark-wachtwoord\n' | $BAKEN user add --org "Gemeente" --role analist \
    --email bench@baken.local --data-dir "$data" >/dev/null 2>&1
$BAKEN areas import data/cbs/nederland-buurten-2014.geojson --kind buurt --year 2014 \
    --data-dir "$data" | sed -n 1p
python3 - "$N" "$work" <<'PY'
import json, random, sys
n, work = int(sys.argv[1]), sys.argv[2]
features = json.load(open("data/cbs/nederland-buurten-2014.geojson"))["features"]
codes = [f["properties"]["statcode"] for f in features]
rng = random.Random(2026)
with open(f"{work}/bases.csv", "w") as b:
    b.write("code;aantal\n")
    for c in codes:
        b.write(f"{c};{rng.randint(1500, 3000)}\n")
# Buurten of a band of municipalities (code GM0100–GM0400) get ten times the weight.
weights = [10 if 100 <= int(c[2:6]) < 400 else 1 for c in codes]
with open(f"{work}/signals.csv", "w") as s:
    s.write("Titel;Omschrijving;Datum;Thema;Gebied\n")
    for i, c in enumerate(rng.choices(codes, weights=weights, k=n)):
        s.write(f"Signaal {i};Waargenomen bij controle {i};2025-0{1 + i % 9}-1{i % 10};drugs;{c}\n")
PY
$BAKEN areas bases "$work/bases.csv" --kind inwoners --year 2024 --source "bench (random)" \
    --data-dir "$data" | sed -n 1p
cat > "$work/mapping.toml" <<'TOML'
[columns]
title = "Titel"
description = "Omschrijving"
received_at = "Datum"
themes = "Thema"
area_code = "Gebied"

[defaults]
source_kind = "partner"
source_reliability = "C"
information_credibility = "3"
classification = "intern"
TOML
$BAKEN import signals "$work/signals.csv" --mapping "$work/mapping.toml" \
    --as bench@baken.local --data-dir "$data" --no-link | tail -1
token=$($BAKEN token create --email bench@baken.local --data-dir "$data" | tail -1 | awk '{print $NF}')
BAKEN_BIND=127.0.0.1:$PORT $BAKEN serve --data-dir "$data" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && break
  sleep 0.1
done
time_request() { # url → seconds
  curl -s -o "$work/out.json" -w '%{time_total}\n' -H "Authorization: Bearer $token" "$1"
}
best() { sort -n | head -1; }
url="http://127.0.0.1:$PORT/api/v1/deviations?level=buurt&theme=drugs"
floor="http://127.0.0.1:$PORT/api/v1/deviations?level=wijk&theme=drugs"
time_request "$url" >/dev/null # warm the page cache
buurt=$(for _ in $(seq 1 "$RUNS"); do time_request "$url"; done | best)
python3 - "$work/out.json" <<'PY'
import json, sys, collections
j = json.load(open(sys.argv[1]))
c = collections.Counter(a["cluster"] for a in j["areas"])
h = collections.Counter(a["hotspot"] for a in j["areas"])
print(f"areas: {len(j['areas'])}, permutations: {j['permutations']}, seed: {j['seed']}")
print("clusters:", dict(sorted(c.items())))
print("hot spots:", dict(sorted(h.items())))
PY

wijk=$(for _ in $(seq 1 "$RUNS"); do time_request "$floor"; done | best)
echo "signals: $N, runs: $RUNS (best of each)"
echo "GET /api/v1/deviations?level=buurt (11,691 buurten, with clusters and hot spots): ${buurt} s"
echo "GET /api/v1/deviations?level=wijk (no areas: counts and bases only):              ${wijk} s"
