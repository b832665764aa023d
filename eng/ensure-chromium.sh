#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium) for the workspace browser test when it is missing. playwright-core drives
# this executable: no browser is downloaded. Needs root (or sudo) and apt.
set -euo pipefail
if [ -x "${CARTLAB_CHROMIUM:-/usr/bin/chromium}" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing and apt-get is not available: install Chromium and set CARTLAB_CHROMIUM to its path." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "Installing Chromium for the browser test (apt-get install chromium)…" >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
