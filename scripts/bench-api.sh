#!/usr/bin/env bash
# API latency benchmark: filtered event queries against a store of about
# 100,000 event mentions, loaded by wrk (Debian's package) on loopback.
#
#   scripts/bench-api.sh [STORIES] [SECONDS] [CONNECTIONS]
#   (defaults: 7200 stories ≈ 100k events, 30 s, 4 connections)
#
# Builds the store once under /tmp/sitrep-bench-api (a generated corpus,
# scripts/make-store-corpus.py), starts `sitrep serve` on a free port with
# the rate limit off, and runs wrk with one thread and CONNECTIONS open
# connections (each sends its next request when the last is answered) over a
# rotating list of filtered queries (date ranges, bounding boxes, a circle,
# countries, actors, CAMEO/PLOVER codes, full-text, sorting, paging, the
# timeline and the map grid). Prints p50/p95/p99 latency and requests/s.
# Needs target/release/sitrep (./setup) and wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
stories=${1:-7200}
seconds=${2:-30}
connections=${3:-4}
command -v wrk >/dev/null || { echo "bench-api: wrk not found (apt-get install wrk)" >&2; exit 2; }
sitrep=target/release/sitrep
[ -x "$sitrep" ] || { echo "bench-api: $sitrep missing: run ./setup" >&2; exit 2; }
work=/tmp/sitrep-bench-api
db=$work/store-$stories.db
mkdir -p "$work"
if [ ! -f "$db" ]; then
  python3 scripts/make-store-corpus.py "$work/corpus-$stories" --stories "$stories" --seed 17 >&2
  "$sitrep" ingest "$work/corpus-$stories/corpus.jsonl" --db "$db" --quiet
fi
"$sitrep" query counts --db "$db" >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$sitrep" serve --db "$db" --addr "127.0.0.1:$port" --rate-limit 0 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
cat > "$work/queries.lua" <<'LUA'
-- Filtered event queries, in turn: what the page and analysts ask.
local paths = {
  "/api/events?from=2025-03-01&to=2025-03-31&limit=100",
  "/api/events?bbox=22,44,41,53&limit=100",
  "/api/events?near=49.99,36.23&km=50&limit=100",
  "/api/events?country=UA&cameo=19&limit=100",
  "/api/events?country=SD&from=2025-06-01&to=2025-08-31&sort=sources&limit=50",
  "/api/events?actor=RUSMIL&limit=100",
  "/api/events?plover=ASSAULT&from=2025-05-01&to=2025-05-15&limit=100",
  "/api/events?q=drones&limit=100",
  "/api/events?source=sitrepwire.example&originals=true&limit=100&offset=200",
  "/api/events?cameo=173&country=ML&limit=100",
  "/api/events/timeline?from=2025-04-01&to=2025-06-30&country=UA",
  "/api/events/grid?cell=2&from=2025-02-01&to=2025-03-31",
}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d in %.1f s: %.0f/s; errors: %d non-2xx/3xx, %d socket\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA
wrk -t1 -c"$connections" -d"${seconds}s" -s "$work/queries.lua" "http://127.0.0.1:$port"
