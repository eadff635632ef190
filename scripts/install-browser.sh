#!/usr/bin/env bash
# Debian's Chromium and ChromeDriver for the browser tests (tests/test_app_browser.py).
# Installs them when run as root (CI runs as root); elsewhere says what to run and exits 0,
# and the browser tests skip with that reason. Idempotent.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "install-browser: not root; run 'sudo apt-get install chromium chromium-driver' for the browser tests" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q chromium chromium-driver >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null; }
chromium --version
