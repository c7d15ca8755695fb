#!/usr/bin/env bash
# Builds the web page into web/dist (served by `sitrep serve --web web/dist`).
# Needs node and npm; the npm registry only when web/node_modules is missing
# or package-lock.json changed. Runnable from any directory.
set -euo pipefail
web="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "web/build.sh: '$tool' not found; install Node.js 20 or newer (with npm) first" >&2
    exit 2
  }
done

# npm ci only when needed: a stamp in node_modules holds the lock's checksum.
stamp="$web/node_modules/.sitrep-lock.sha256"
want="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "web/build.sh: npm ci (package-lock.json changed or node_modules missing)" >&2
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

node "$web/scripts/vendor.mjs"
