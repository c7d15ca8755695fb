#!/usr/bin/env bash
# Stops a server scripts/pg-start.sh started in DIR and removes DIR.
set -euo pipefail
dir=$1
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
rm -rf "$dir"
