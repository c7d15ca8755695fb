#!/usr/bin/env bash
# The scaling table of docs/scale-out.md: the Spark backfill's extract step
# with 1 and 2 executor cores against the single-process `sitrep extract`
# on the same files, measured in the same run.
#
#   spark/scaling.sh FILE...        # e.g. /tmp/benchsplit/*.jsonl
#
# (scripts/make-bench-corpus.py builds a corpus from the dev sets' news
# texts; split it into files so the extract step has tasks to spread.)
# Prints one JSON line per run and a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/target/release/sitrep
py=$PWD/var/spark-venv/bin/python
[ -x "$bin" ] && [ -x "$py" ] || { echo "scaling: run ./setup and spark/integration-test.sh first" >&2; exit 2; }
export SPARK_HOME=$("$py" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
export SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON=$py PYSPARK_DRIVER_PYTHON=$py
work=$(mktemp -d /tmp/sitrep-scaling.XXXXXX)
trap 'rm -rf "$work"' EXIT

for jobs in 1 2; do
  start=$EPOCHREALTIME
  # To a file on the same disk, as the backfill stages its documents.
  "$bin" extract "$@" --jobs "$jobs" --format jsonl --quiet > "$work/extract.jsonl"
  end=$EPOCHREALTIME
  rm "$work/extract.jsonl"
  echo "{\"run\": \"sitrep extract --jobs $jobs\", \"start\": $start, \"end\": $end}"
done > "$work/baseline.jsonl"
for cores in 1 2; do
  "$py" spark/backfill.py --master "local[$cores]" --sitrep "$bin" --gazetteer var/gazetteer \
    --output "$work/out$cores" "$@" 2> "$work/spark$cores.log" > "$work/manifest$cores.json" \
    || { tail -20 "$work/spark$cores.log" >&2; exit 1; }
done
"$py" - "$work" <<'PY'
import json, sys
work = sys.argv[1]
base = [json.loads(l) for l in open(f"{work}/baseline.jsonl")]
for b in base:
    b["seconds"] = round(b.pop("end") - b.pop("start"), 3)
runs = [json.load(open(f"{work}/manifest{c}.json")) for c in (1, 2)]
mb = runs[0]["text_bytes"] / 1e6
one = mb / base[0]["seconds"]
for b in base:
    print(json.dumps({**b, "text_mb": round(mb, 2)}))
for r in runs:
    print(json.dumps({k: r[k] for k in ("master", "records", "text_bytes", "seconds", "total_seconds")}))
print()
print("| run | cores | extract s | MB/s | MB/s per core | per core ÷ `sitrep extract --jobs 1` | whole backfill s |")
print("|---|---|---|---|---|---|---|")
for b, cores in zip(base, (1, 2)):
    rate = mb / b["seconds"]
    print(f"| {b['run']} | {cores} | {b['seconds']:.1f} | {rate:.2f} | {rate / cores:.2f} | {rate / cores / one:.2f} | — |")
for r, cores in zip(runs, (1, 2)):
    s = r["seconds"]["extract"]
    rate = mb / s
    print(f"| Spark {r['master']} | {cores} | {s:.1f} | {rate:.2f} | {rate / cores:.2f} | {rate / cores / one:.2f} | {r['total_seconds']:.1f} |")
PY
