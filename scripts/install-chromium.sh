#!/usr/bin/env bash
# Installs Debian's chromium for the terminal app's browser test (test/e2e/pos-web.e2e.test.ts), once.
# Idempotent: does nothing when /usr/bin/chromium is there. Needs root (CI runs as root).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  /usr/bin/chromium --version
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium
/usr/bin/chromium --version
