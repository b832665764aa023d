#!/usr/bin/env bash
# Installs the local services (Azurite, MailDev) pinned in package-lock.json, when they are missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is required (Node.js 20+): it installs Azurite, the local storage emulator." >&2
  exit 1
fi
if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing local services from package-lock.json (npm ci)…" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
