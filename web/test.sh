#!/usr/bin/env bash
# Runs the page's browser tests (web/tests/*.test.mjs) with node's test
# runner; builds web/dist first if it is missing. Environment:
#   SITREP_BIN   the sitrep binary (default target/release/sitrep)
#   CHROMIUM     the browser (default /usr/bin/chromium; Debian: apt-get install chromium)
# Screenshots go to out/screenshots/. Exits non-zero on any failure.
set -euo pipefail
web="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

command -v node >/dev/null 2>&1 || { echo "web/test.sh: 'node' not found; install Node.js 20 or newer" >&2; exit 2; }
if [ ! -f "$web/dist/index.html" ] || [ ! -d "$web/node_modules/playwright-core" ]; then
  "$web/build.sh"
fi
exec node --test --test-reporter=spec "$web"/tests/*.test.mjs
