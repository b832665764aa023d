#!/usr/bin/env bash
# Installs what package-lock.json pins, when missing or stale: the local services (Azurite, MailDev), Chart.js (embedded in
# the workspace by the Http project) and playwright-core (drives Debian's Chromium in the browser test).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is required (Node.js 20+): it installs Azurite, the local storage emulator." >&2
  exit 1
fi
if [ ! -x node_modules/.bin/azurite ] || [ ! -f node_modules/chart.js/dist/chart.umd.min.js ] || [ ! -d node_modules/playwright-core ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing local services from package-lock.json (npm ci)…" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
