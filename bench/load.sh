#!/usr/bin/env bash
# The read paths under load (issue 13): N generated signals (bench/import-signals.sh's
# generator and mapping, Groningen wijken and buurten) in the embedded store — or in
# PostgreSQL when BENCH_POSTGRES_URL names an empty server database to use —, `baken serve`
# (release), one analist's API token and browser session, and wrk with 200 connections on
# loopback for SECONDS per endpoint. Prints per endpoint p50, p99, requests/s and errors
# (non-2xx/3xx answers and socket errors), and the server's resident memory idle and at the end.
# With BENCH_KEEP=DIR the store is made in DIR and kept: a later run with the same DIR uses it
# as it is, without generating and importing again (each mixed run adds to it).
# Usage: [BENCH_POSTGRES_URL=postgres://…/db] [BENCH_KEEP=DIR] bench/load.sh [N] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
SECS=${2:-10}
CBS=data/cbs
PORT=18181
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet -p baken --bin baken
cargo build --release --quiet -p baken-intake --examples
if [ -n "${BENCH_KEEP:-}" ]; then
    work=$BENCH_KEEP
    mkdir -p "$work"
else
    work=$(mktemp -d)
fi
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    if [ -z "${BENCH_KEEP:-}" ]; then
        rm -rf "$work"
    fi
}
trap cleanup EXIT
data="$work/baken"
# The browser session signs in with its password alone (the second factor is a login-time
# step, not what this measures).
printf '[sign_in]\nsecond_factor_roles = []\n' > "$work/baken.toml"
export BAKEN_CONFIG="$work/baken.toml"
store=(--data-dir "$data")
engine=sqlite
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
    store+=(--database-url "$BENCH_POSTGRES_URL")
    engine=postgres
fi
baken=./target/release/baken
if [ -f "$work/imported" ]; then
    echo "the store in $work as it is: $(cat "$work/imported")"
else
    ./target/release/examples/gen_signals "$N" "$work/signals.csv"
    $baken org add --name "Gemeente Groningen" "${store[@]}" >/dev/null
    printf 'benchmark-wachtwoord\n' | $baken user add --org "Gemeente Groningen" --role analist \
        --email bench@baken.local "${store[@]}" >/dev/null 2>&1
    $baken areas import "$CBS/groningen-wijken-2014.geojson" --kind wijk --year 2014 "${store[@]}" >/dev/null
    $baken areas import "$CBS/groningen-buurten-2014.geojson" --kind buurt --year 2014 "${store[@]}" >/dev/null
    started=$(date +%s)
    $baken import signals "$work/signals.csv" --mapping bench/import-mapping.toml \
        --as bench@baken.local "${store[@]}" --no-link | tail -1
    echo "$N generated signals, imported in $(( $(date +%s) - started )) s on $(date -u +%F)" > "$work/imported"
    cat "$work/imported"
fi
# A partner: the police, with an agreement that shares the theme drugs (one signal in seven)
# with it — made once per store, and how long making it took at this size.
if [ ! -f "$work/partner" ]; then
    $baken org add --name "Politie Noord-Nederland" --kind politie "${store[@]}" >/dev/null
    printf 'benchmark-wachtwoord\n' | $baken user add --org "Politie Noord-Nederland" --role analist \
        --email politie@baken.local "${store[@]}" >/dev/null 2>&1
    started=$(date +%s)
    $baken agreement add --name "RIEC drugs" --org "Gemeente Groningen" \
        --org "Politie Noord-Nederland" --theme drugs --legal-basis "RIEC-convenant" \
        --valid-from 2020-01-01 "${store[@]}" >/dev/null
    echo "an agreement sharing drugs with the police, made at $N signals in $(( $(date +%s) - started )) s" > "$work/partner"
fi
cat "$work/partner"
token=$($baken token create --email bench@baken.local "${store[@]}" 2>/dev/null | head -1)
partner=$($baken token create --email politie@baken.local "${store[@]}" 2>/dev/null | head -1)

$baken serve --bind "127.0.0.1:$PORT" "${store[@]}" >"$work/serve.log" 2>&1 &
server=$!
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
    curl -s -o /dev/null "$base/inloggen" && break
    sleep 0.2
done
rss() { awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$server/status"; }
idle=$(rss)

# A browser session for the HTML pages.
jar="$work/cookies"
csrf=$(curl -s -c "$jar" "$base/inloggen" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
    --data-urlencode "email=bench@baken.local" --data-urlencode "password=benchmark-wachtwoord" \
    "$base/inloggen"
# (curl writes HttpOnly cookies with a "#HttpOnly_" prefix.)
cookie=$(sed 's/^#HttpOnly_//' "$jar" | awk '!/^#/ && NF >= 7 {printf "%s=%s; ", $6, $7}')
if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/overzicht")" != 200 ]; then
    echo "the browser session did not log in" >&2
    exit 1
fi
# An area that exists and a signal the analist may see.
area=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/signals?pageSize=1" \
    | python3 -c 'import json,sys; s=json.load(sys.stdin)["items"][0]; print(next((a["code"] for a in s.get("areas") or [] if a["code"].startswith("WK")), "WK001400"))')
if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/gebieden/$area")" != 200 ]; then
    echo "the area page of $area does not answer 200" >&2
    exit 1
fi
signal=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/signals?pageSize=1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')

# The cursor of page 5,000 of 25 signals (or, with fewer signals, of the middle page):
# walked to once, 100 signals a request.
depth=$(( N / 25 / 2 < 5000 ? N / 25 / 2 : 5000 ))
deep=$(python3 - "$base" "$token" "$depth" <<'PY'
import json, sys, urllib.request
base, token, depth = sys.argv[1], sys.argv[2], int(sys.argv[3])
cursor, seen = None, 0
while seen < (depth - 1) * 25:
    size = min(100, (depth - 1) * 25 - seen)
    url = f"{base}/api/v1/signals?pageSize={size}" + (f"&cursor={cursor}" if cursor else "")
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    page = json.load(urllib.request.urlopen(req))
    seen += len(page["items"])
    cursor = page.get("nextCursor")
    if not cursor:
        break
print(cursor or "")
PY
)

echo "engine $engine, $N signals, wrk -t2 -c200 -d${SECS}s on loopback; server RSS idle $idle"
echo "| request | p50 | p99 | req/s | errors |"
echo "| --- | --- | --- | --- | --- |"
# The server still answers the requests wrk left when it stopped (a slow endpoint leaves up to
# 200): the next endpoint is measured once a small page answers within 50 ms again (30 s at most).
settle() {
    local i
    for i in $(seq 1 60); do
        local t
        t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "$base/api/v1/signals?pageSize=1")
        python3 -c "import sys; sys.exit(0 if float('$t') < 0.05 else 1)" && return 0
        sleep 0.5
    done
}
run() {
    local name=$1 path=$2 kind=$3 header
    case $kind in
        api) header="Authorization: Bearer $token" ;;
        partner) header="Authorization: Bearer $partner" ;;
        *) header="Cookie: $cookie" ;;
    esac
    wrk -t2 -c200 -d"${SECS}s" --timeout 30s --latency -H "$header" "$base$path" >"$work/wrk.out" 2>&1 || true
    settle
    row "$name"
}
# One row of the table from wrk's output in $work/wrk.out.
row() {
    python3 - "$1" "$work/wrk.out" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
def latency(p):
    m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m:
        return "–"
    v, u = float(m.group(1)), m.group(2)
    ms = v / 1000 if u == "us" else v * 1000 if u == "s" else v
    return f"{ms:.1f} ms"
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = int(non2xx.group(1)) if non2xx else 0
if sock:
    errors += sum(int(g) for g in sock.groups())
done = float(rps.group(1)) if rps else 0.0
if done == 0.0:
    print(f"| {name} | none completed | none completed | 0 | {errors} |")
else:
    print(f"| {name} | {latency(50)} | {latency(99)} | {done:.1f} | {errors} |")
PY
}
run "API list, first page" "/api/v1/signals" api
if [ -n "$deep" ]; then
    run "API list, page $depth" "/api/v1/signals?cursor=$deep" api
fi
run "API list, theme" "/api/v1/signals?theme=drugs" api
run "API list, area" "/api/v1/signals?areaCode=$area" api
run "API list, status" "/api/v1/signals?status=nieuw" api
run "API list, open and overdue" "/api/v1/signals?open=true&overdue=true" api
run "API search" "/api/v1/signals?q=hennepkwekerij" api
run "API search, frequent word" "/api/v1/signals?q=woning" api
run "API search, a name near none" "/api/v1/signals?q=pieterzen" api
run "API search, a frequent name misspelled" "/api/v1/signals?q=bakkr" api
run "API search, frequent word within a theme" "/api/v1/signals?q=woning&theme=drugs" api
run "API search, frequent word within an area" "/api/v1/signals?q=woning&areaCode=$area" api
run "API signal" "/api/v1/signals/$signal" api
run "API deviations" "/api/v1/deviations?level=wijk&theme=drugs" api
run "/signalen" "/signalen" ui
run "/overzicht" "/overzicht" ui
run "/kaart" "/kaart" ui
run "/afwijkingen" "/afwijkingen" ui
run "area page" "/gebieden/$area" ui
# The partner sees a seventh of the signals: its list, the theme it shares, a theme it sees
# none of (whose time must not grow with the signals it may not see), an area.
run "partner: API list" "/api/v1/signals" partner
run "partner: theme shared" "/api/v1/signals?theme=drugs" partner
run "partner: theme not shared" "/api/v1/signals?theme=vastgoed" partner
run "partner: area" "/api/v1/signals?areaCode=$area" partner
# The beheerder makes an agreement with the police on another theme and ends it the same day
# while the analist's list is under load: the agreement's walk over every signal of the
# parties runs a chunk at a time, and the end takes the police's rows away at once. The list
# runs until both are done (wrk stops and reports on SIGINT).
wrk -t2 -c200 -d3600s --timeout 30s --latency -H "Authorization: Bearer $token" \
    "$base/api/v1/signals" >"$work/wrk.out" 2>&1 &
load=$!
sleep 2
name="Belasting $(date +%s)"
started=$(date +%s)
$baken agreement add --name "$name" --org "Gemeente Groningen" --org "Politie Noord-Nederland" \
    --theme cybercrime --legal-basis "RIEC-convenant" --valid-from 2020-01-01 "${store[@]}" >/dev/null
made=$(( $(date +%s) - started ))
started=$(date +%s)
$baken agreement end --name "$name" --last-day "$(TZ=Europe/Amsterdam date +%F)" "${store[@]}" >/dev/null
ended=$(( $(date +%s) - started ))
kill -INT "$load"
wait "$load" || true
settle
row "API list while an agreement is made (${made} s) and ended (${ended} s)"
echo "server RSS at the end: $(rss)"

# The mixed run: 90 % reads (first list page), 10 % writes — half new signals, half status
# changes (nieuw → in-triage) of signals that have not changed yet — for SECONDS; then
# nothing may be lost (every 201 is a signal or a change that is there) and the audit chain
# must verify.
total() { curl -s -H "Authorization: Bearer $token" "$base/api/v1/signals$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
before=$(total "")
triaged_before=$(total "?status=in-triage")
python3 - "$base" "$token" >"$work/ids.txt" <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
cursor, ids = None, []
while len(ids) < 20000:
    url = f"{base}/api/v1/signals?status=nieuw&pageSize=100" + (f"&cursor={cursor}" if cursor else "")
    page = json.load(urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})))
    ids += [s["id"] for s in page["items"]]
    cursor = page.get("nextCursor")
    if not cursor:
        break
print("\n".join(ids))
PY
cat >"$work/mixed.lua" <<LUA
local ids = {}
for line in io.lines("$work/ids.txt") do ids[#ids + 1] = line end
local threads, thread_no = {}, 0
function setup(thread)
    thread:set("offset", thread_no * 10000)
    thread_no = thread_no + 1
    threads[#threads + 1] = thread
end
local counter = 0
stored, failed = 0, 0
local body = '{"title":"Gemengde belasting","description":"Nieuw tijdens de leesbelasting",'
    .. '"sourceKind":"partner","sourceReliability":"B","informationCredibility":"2",'
    .. '"themes":["drugs"],"latitude":53.21927,"longitude":6.568567}'
local change = '{"status":"in-triage","reason":"Opgepakt tijdens de belasting"}'
request = function()
    counter = counter + 1
    local auth = { ["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json" }
    if counter % 20 == 0 then
        return wrk.format("POST", "/api/v1/signals", auth, body)
    elseif counter % 20 == 10 then
        local id = ids[offset + math.floor(counter / 20) + 1]
        if id then
            return wrk.format("POST", "/api/v1/signals/" .. id .. "/status-changes", auth, change)
        end
    end
    return wrk.format("GET", "/api/v1/signals", auth)
end
response = function(status)
    if status == 201 then stored = stored + 1 elseif status >= 400 then failed = failed + 1 end
end
function done(summary, latency, requests)
    local s, f = 0, 0
    for _, t in ipairs(threads) do s = s + t:get("stored"); f = f + t:get("failed") end
    io.write(string.format("writes answered 201: %d, answers >= 400: %d\\n", s, f))
end
LUA
wrk -t2 -c200 -d"${SECS}s" --timeout 30s --latency -s "$work/mixed.lua" "$base/" >"$work/wrk.out" 2>&1 || true
grep "writes answered" "$work/wrk.out" || true
after=$(total "")
triaged_after=$(total "?status=in-triage")
python3 - "$work/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
print(f"mixed run (10 % writes): p50 {p50.group(1) if p50 else '–'}, p99 {p99.group(1) if p99 else '–'}, "
      f"{rps.group(1) if rps else 0} req/s, non-2xx {non2xx.group(1) if non2xx else 0}")
PY
echo "signals before $before, after $after (+$((after - before))); in triage before $triaged_before, after $triaged_after (+$((triaged_after - triaged_before)))"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
$baken audit verify "${store[@]}" | tail -1
