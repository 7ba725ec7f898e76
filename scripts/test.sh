#!/usr/bin/env bash
# The README's test command, and what CI runs (.ci/run): set up what is missing on this machine, build, and run every
# suite (unit, extension host in a real VS Code, UI in Chromium). The last line is "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
t0=$(date +%s)
bash scripts/setup.sh
npm run build --silent
echo "setup and build: $(( $(date +%s) - t0 ))s"
# Same as `npm test`, without npm's own error lines after the summary (its last line must stay the count).
exec node scripts/test-all.mjs
