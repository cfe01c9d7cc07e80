#!/usr/bin/env bash
# Search latency at N generated signals (default 1,000,000) on both engines: the bulk-import
# generator's rows imported into the embedded SQLite store and into PostgreSQL, then
# `baken serve` and 20 Dutch queries through `GET /api/v1/signals?q=…` (first page and the
# total the caller may see), each asked RUNS times (default 10) after one warm-up round, with
# an analist's token; p50 and p99 over all requests, and per query.
# Needs PostgreSQL: BENCH_POSTGRES_URL=postgres://user@host:port/postgres (a database
# `baken_search_bench` is created and dropped). Without it, SQLite only.
# Usage: bench/search.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
RUNS=${2:-10}
PORT=${PORT:-18432}
cargo build --release --quiet -p baken --bin baken
cargo build --release --quiet -p baken-intake --examples
BAKEN=./target/release/baken
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
./target/release/examples/gen_signals "$N" "$work/signals.csv"

QUERIES=(hennep henneplucht woning woningen loods loodsen contant geld ramen afgeplakt
  bedrijfsunit bedrijfspand arbeidsmigranten migranten doorverkocht "de vries" fatima
  hennepkwekerij drugslab "bezoek woning")

run_engine() { # name, store flags...
  local name=$1; shift
  $BAKEN org add --name "Gemeente Groningen" "$@" >/dev/null
  printf 'benchmark-wachtwoord\n' | $BAKEN user add --org "Gemeente Groningen" --role analist \
      --email bench@baken.local "$@" >/dev/null 2>&1
  local started=$SECONDS
  $BAKEN import signals "$work/signals.csv" --mapping bench/import-mapping.toml \
      --as bench@baken.local --no-link "$@" | tail -1 >&2
  echo "$name: imported in $((SECONDS - started)) s" >&2
  local token
  token=$($BAKEN token create --email bench@baken.local "$@" 2>/dev/null | tail -1 | awk '{print $NF}')
  BAKEN_BIND=127.0.0.1:$PORT $BAKEN serve "$@" >"$work/serve-$name.log" 2>&1 &
  server=$!
  for _ in $(seq 1 200); do
    curl -sf "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && break
    sleep 0.1
  done
  python3 - "$name" "$PORT" "$token" "$RUNS" "${QUERIES[@]}" <<'PY'
import json, sys, time, urllib.parse, urllib.request
name, port, token, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
queries = sys.argv[5:]
def ask(q):
    url = f"http://127.0.0.1:{port}/api/v1/signals?" + urllib.parse.urlencode({"q": q})
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    t = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        body = json.load(r)
    return time.perf_counter() - t, body.get("total", 0)
for q in queries:  # warm-up round
    ask(q)
all_ms, rows = [], []
for q in queries:
    ms = []
    for _ in range(runs):
        s, total = ask(q)
        ms.append(s * 1000)
    ms.sort()
    all_ms += ms
    rows.append((q, total, ms[len(ms) // 2], ms[-1]))
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
print(f"{name}: {len(all_ms)} requests, p50 {pct(all_ms, 50):.1f} ms, p99 {pct(all_ms, 99):.1f} ms")
print("| query | hits | p50 ms | max ms |")
print("| --- | --- | --- | --- |")
for q, total, p50, mx in rows:
    print(f"| {q} | {total} | {p50:.1f} | {mx:.1f} |")
PY
  kill "$server"; wait "$server" 2>/dev/null || true; server=
}

echo "signals: $N, runs per query: $RUNS"
run_engine sqlite --data-dir "$work/sqlite"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  base=${BENCH_POSTGRES_URL%/*}
  psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS baken_search_bench" >/dev/null
  psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE baken_search_bench" >/dev/null
  run_engine postgres --database-url "$base/baken_search_bench"
  psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE baken_search_bench" >/dev/null
fi
