#!/usr/bin/env bash
# The scale-out integration test: the real Spark and PostgreSQL, on loopback.
#
#   spark/integration-test.sh            # after ./setup (binary + gazetteer)
#
# 1. builds a WARC + JSONL archive from our own articles
#    (scripts/make-warc-fixture.py);
# 2. starts a PostgreSQL server (scripts/pg-start.sh) and a Spark standalone
#    master and worker on 127.0.0.1;
# 3. runs the backfill on the standalone cluster; again through
#    spark-submit with the binary and gazetteer shipped by --archives, as on
#    a real cluster, into the same output (a re-run must leave the same
#    output, not add to it); and once more on local[2];
# 4. stores the same inputs with `sitrep ingest` (SQLite) and checks that
#    each backfill output equals the store's `sitrep export parquet`:
#    documents, events and clusters, value for value (spark/compare.py);
# 5. loads the backfill into PostgreSQL (`sitrep load`), loads it again
#    (nothing added), serves both stores and checks the API answers alike
#    (spark/compare_api.py);
# 6. stores the same inputs with `sitrep ingest` straight into a second
#    PostgreSQL database, and checks its API answers and its Parquet export
#    against the SQLite store's.
#
# Needs Java 17+, python3 and, as root, installs Debian's postgresql when
# missing. The venv with PySpark (spark/requirements.txt) is made in
# var/spark-venv. Work files go to $WORK (default a new temp directory).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/target/release/sitrep
work=${WORK:-$(mktemp -d /tmp/sitrep-scale.XXXXXX)}
mkdir -p "$work"
# The PostgreSQL server runs as the postgres user: it must reach $work/pg
# (mktemp makes the directory private).
chmod 755 "$work"
log() { echo "integration: $*" >&2; }

[ -x "$bin" ] || { log "no $bin: run ./setup first"; exit 2; }
[ -f var/gazetteer/meta.json ] || { log "no gazetteer index: run ./setup first"; exit 2; }
command -v java >/dev/null || { log "no java: Spark needs Java 17+"; exit 2; }

venv=$root/var/spark-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pyspark, pyarrow' 2>/dev/null; then
  log "installing PySpark into $venv (spark/requirements.txt)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r spark/requirements.txt
fi
py=$venv/bin/python
spark_home=$("$py" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
export SPARK_HOME=$spark_home SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON=$py PYSPARK_DRIVER_PYTHON=$py
export SITREP_GAZETTEER=$root/var/gazetteer SPARK_LOG_DIR=$work/spark-logs SPARK_WORKER_DIR=$work/spark-work

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -d "$work/pg" ] && scripts/pg-stop.sh "$work/pg" || true
}
trap cleanup EXIT

log "1. the archive"
python3 scripts/make-warc-fixture.py "$work/archive" --stories 60 --warcs 4 >&2
inputs=("$work"/archive/crawl-*.warc.gz "$work/archive/records.jsonl")

log "2. PostgreSQL and a Spark standalone cluster on 127.0.0.1"
pg_url=$(scripts/pg-start.sh "$work/pg" "${PG_PORT:-54339}")
master_port=${SPARK_MASTER_PORT:-7177}
"$spark_home/bin/spark-class" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$master_port" --webui-port 0 > "$work/master.log" 2>&1 &
pids+=($!)
"$spark_home/bin/spark-class" org.apache.spark.deploy.worker.Worker \
  "spark://127.0.0.1:$master_port" --host 127.0.0.1 --cores 2 --memory 2g --webui-port 0 \
  > "$work/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  grep -q "Successfully registered with master" "$work/worker.log" 2>/dev/null && break
  sleep 1
done
grep -q "Successfully registered with master" "$work/worker.log" \
  || { log "the Spark worker did not register"; tail -20 "$work/worker.log" >&2; exit 1; }

backfill() {
  "$py" spark/backfill.py --sitrep "$bin" --gazetteer var/gazetteer "$@" "${inputs[@]}" \
    2> >(grep -E '^backfill:|Error|Exception' >&2)
}

log "3. the backfill: standalone cluster, a re-run, local[2]"
# Each run's manifest is copied aside: the next run into the same output
# replaces it. (spark-submit prints the driver's stderr on stdout.)
backfill --master "spark://127.0.0.1:$master_port" --output "$work/cluster" > /dev/null
cp "$work/cluster/_manifest.json" "$work/cluster.json"
tar -czf "$work/dist.tar.gz" -C "$work" --transform 's,^,dist/,' \
  -C "$(dirname "$bin")" sitrep -C "$root/var" gazetteer
"$spark_home/bin/spark-submit" --master "spark://127.0.0.1:$master_port" \
  --archives "$work/dist.tar.gz#shipped" spark/backfill.py \
  --sitrep "$bin" --executor-sitrep shipped/dist/sitrep --executor-gazetteer shipped/dist/gazetteer \
  --output "$work/cluster" "${inputs[@]}" > "$work/rerun.log" 2>&1 \
  || { tail -40 "$work/rerun.log" >&2; log "spark-submit failed"; exit 1; }
tr '\r' '\n' < "$work/rerun.log" | grep -E '^backfill:' >&2 || true
cp "$work/cluster/_manifest.json" "$work/rerun.json"
backfill --master 'local[2]' --output "$work/local2" > /dev/null
"$py" - "$work/cluster.json" "$work/rerun.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
keys = ["documents", "events", "clusters"]
assert [a[k] for k in keys] == [b[k] for k in keys], (a, b)
assert a["documents"] > 0 and a["events"] > 0 and a["clusters"] > 0, a
print(f"integration: re-run: the same {', '.join(f'{a[k]} {k}' for k in keys)}")
EOF

log "4. the same inputs through sitrep ingest, compared"
"$bin" ingest $("$bin" backfill list "${inputs[@]}") --db "$work/ingest.db" --quiet
"$bin" export parquet --db "$work/ingest.db" -o "$work/export"
"$py" spark/compare.py "$work/local2" "$work/export"
"$py" spark/compare.py "$work/cluster" "$work/export"

log "5. the backfill loaded into PostgreSQL, served beside the SQLite store"
"$bin" load "$work/cluster" --db "$pg_url" > "$work/load.json"
"$bin" load "$work/cluster" --db "$pg_url" > "$work/reload.json"
"$py" - "$work/load.json" "$work/reload.json" <<'EOF'
import json, sys
first, again = (json.load(open(p)) for p in sys.argv[1:])
assert first["added"] > 0 and first["failed"] == 0, first
assert again["added"] == 0 and again["already_stored"] == first["added"], again
print(f"integration: load: {first['added']} articles, {first['events']} events; again: nothing added")
EOF
"$bin" serve --db "$work/ingest.db" --addr 127.0.0.1:7461 --rate-limit 0 > "$work/serve-sqlite.log" 2>&1 &
pids+=($!)
"$bin" serve --db "$pg_url" --addr 127.0.0.1:7462 --rate-limit 0 > "$work/serve-pg.log" 2>&1 &
pids+=($!)
for port in 7461 7462; do
  for _ in $(seq 30); do
    curl -sf "http://127.0.0.1:$port/api/health" > /dev/null && break
    sleep 0.5
  done
done
"$py" spark/compare_api.py http://127.0.0.1:7461 http://127.0.0.1:7462

log "6. sitrep ingest straight into PostgreSQL, compared with SQLite"
pg_ingest=${pg_url%/*}/sitrep_ingest
psql_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
"$psql_bin/createdb" -h 127.0.0.1 -p "${PG_PORT:-54339}" -U sitrep sitrep_ingest
"$bin" ingest $("$bin" backfill list "${inputs[@]}") --db "$pg_ingest" --quiet
"$bin" export parquet --db "$pg_ingest" -o "$work/export-pg"
"$py" spark/compare.py "$work/export-pg" "$work/export"
"$bin" serve --db "$pg_ingest" --addr 127.0.0.1:7463 --rate-limit 0 > "$work/serve-pg-ingest.log" 2>&1 &
pids+=($!)
for _ in $(seq 30); do
  curl -sf "http://127.0.0.1:7463/api/health" > /dev/null && break
  sleep 0.5
done
"$py" spark/compare_api.py http://127.0.0.1:7461 http://127.0.0.1:7463
log "passed (work files in $work)"
