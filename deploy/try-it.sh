#!/usr/bin/env bash
# Fresh machine → portbot diagnosing a namespaced lab of nginx/HAProxy hosts. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
need=(openssh-server openssh-client nginx-light haproxy keepalived iproute2 procps conntrack sudo util-linux)
missing=()
for p in "${need[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  rm -f /usr/sbin/policy-rc.d
fi
npm ci --no-audit --no-fund || npm install --no-save --no-audit --no-fund  # see .ci/run
npm run build
npm run lab:up
inventory="${PORTBOT_LAB_DIR:-/tmp/portbot-lab}/inventory.yaml"
node dist/cli/main.js diagnose --all 80 --inventory "$inventory" || true
echo
echo "The lab stays up: try  node dist/cli/main.js diagnose lb-01 80 --inventory $inventory --json"
echo "Stop it with: npm run lab:down"
