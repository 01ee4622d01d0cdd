#!/usr/bin/env bash
# `npm run demo [-- --no-build]`: checks what the demo needs before touching anything, refuses
# while another demo runs, builds, then hands over to dist-dev/demo/runDemo.js (README, "Demo").
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'portbot demo: %s\n' "$*" >&2; }

if [ "$(uname -s)" != Linux ]; then
  say "needs Linux: the lab is built from network namespaces."
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  say "needs root: the lab creates a bridge, network namespaces and per-host sshd, nginx,"
  say "HAProxy and keepalived. Run it as root (sudo npm run demo); nothing was changed."
  exit 2
fi
missing=()
need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || missing+=("$2"); }
need ip iproute2; need ss iproute2; need unshare util-linux; need nsenter util-linux
need setpriv util-linux; need sshd openssh-server; need ssh-keygen openssh-client
need nginx nginx-light; need haproxy haproxy; need keepalived keepalived
need redis-server redis-server; need python3 python3; need pgrep procps; need visudo sudo
need conntrack conntrack; need flock util-linux
if [ "${#missing[@]}" -gt 0 ]; then
  pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  say "missing programs; install them first (Debian 12):"
  say "  apt-get install -y --no-install-recommends ${pkgs}"
  say "or run bash deploy/try-it.sh, which installs them and starts the demo."
  exit 2
fi

# One demo at a time: the lock is held by this shell until the demo has stopped everything.
exec 9>/run/portbot-demo.lock
if ! flock -n 9; then
  pid=$(cat /run/portbot-demo.pid 2>/dev/null || echo '?')
  say "a demo is already running (pid ${pid}); it is untouched. Use it at the URL it printed,"
  say "or stop it with Ctrl-C in its terminal first."
  exit 1
fi
if [ "${1:-}" != --no-build ]; then
  npm run --silent build
  npm run --silent build:dev
fi
# The demo itself does not inherit the lock (9>&-): nothing it starts can keep it held.
node dist-dev/demo/runDemo.js 9>&-
