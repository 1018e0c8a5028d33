#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests (test/browser/*.test.ts).
# Installs it with apt-get when missing (as root, or through sudo). Exits non-zero, saying why, when it cannot.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "Chromium is installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "✖ $CHROMIUM is missing and apt-get is not available on this machine." >&2
  echo "  Install Chromium with your package manager so that $CHROMIUM exists, then run the browser tests again." >&2
  exit 1
fi

if [ "$(id -u)" = 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "✖ $CHROMIUM is missing, and installing it needs root: run 'apt-get install -y chromium' as root (sudo is not available)." >&2
  exit 1
fi

echo "Installing Chromium with apt-get (about 30 seconds)…"
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get install -y --no-install-recommends chromium; then
  echo "apt-get install failed; refreshing the package lists and trying again…"
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" apt-get install -y --no-install-recommends chromium || {
    echo "✖ Could not install Chromium with apt-get. Install the 'chromium' package by hand so that $CHROMIUM exists." >&2
    exit 1
  }
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "✖ The chromium package is installed but $CHROMIUM does not exist." >&2
  exit 1
fi
echo "Chromium is installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
