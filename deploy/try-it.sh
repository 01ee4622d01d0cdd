#!/usr/bin/env bash
# Fresh machine → a real incident in the browser: installs what portbot and its lab need, builds,
# then runs `npm run demo` (README, "The demo"): the lab, a rogue listener, portbot in local mode,
# an alert, the URL to open. Run as root; Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo 'try-it.sh: needs root: it installs packages with apt-get and builds a lab of network' >&2
  echo 'namespaces (bridge, sshd, nginx, HAProxy, keepalived). Run: sudo bash deploy/try-it.sh' >&2
  exit 2
fi
need=(openssh-server openssh-client nginx-light haproxy keepalived redis-server python3 iproute2 procps conntrack sudo util-linux)
missing=()
for p in "${need[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  rm -f /usr/sbin/policy-rc.d
fi
npm ci --no-audit --no-fund || npm install --no-save --no-audit --no-fund  # see .ci/run
# The demo builds, then stays in the foreground until Ctrl-C.
exec npm run demo
