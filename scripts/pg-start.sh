#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the integration
# tests and prints its URL: a fresh cluster in DIR (default a new temp
# directory), C collation (strings sort as SQLite sorts them), trust
# authentication on 127.0.0.1 only. Installs Debian's postgresql first when
# it is missing and we are root. Stop it with scripts/pg-stop.sh DIR.
#
#   url=$(scripts/pg-start.sh /tmp/sitrep-pg 54329)
set -euo pipefail
dir=${1:-$(mktemp -d /tmp/sitrep-pg.XXXXXX)}
port=${2:-54329}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "pg-start: installing Debian's postgresql" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 \
      || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  else
    echo "pg-start: PostgreSQL is not installed (apt-get install postgresql)" >&2
    exit 2
  fi
fi

# PostgreSQL refuses to run as root: run it as the postgres user then.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  as_pg=(runuser -u postgres --)
fi
mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  runuser -u postgres -- test -w "$dir" \
    || { echo "pg-start: the postgres user cannot reach $dir (a parent directory is private)" >&2; exit 2; }
fi
if [ ! -f "$dir/data/PG_VERSION" ]; then
  "${as_pg[@]}" "$bin/initdb" -D "$dir/data" --locale=C --encoding=UTF8 \
    --auth=trust --username=sitrep >/dev/null
fi
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" start >&2
"$bin/psql" -h 127.0.0.1 -p "$port" -U sitrep -d postgres -q -c \
  "SELECT 1 FROM pg_database WHERE datname = 'sitrep'" -t | grep -q 1 \
  || "$bin/createdb" -h 127.0.0.1 -p "$port" -U sitrep sitrep
echo "postgres://sitrep@127.0.0.1:$port/sitrep"
