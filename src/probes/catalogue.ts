import { shellQuote as q } from './shellQuote';

/**
 * The probe catalogue: the ONLY place where command text lives. Every fragment is a fixed,
 * read-only template; the values spliced in are either validated integers or strings quoted
 * with shellQuote. The argument lists of the `sudo -n` commands must stay in step with
 * deploy/sudoers/portbot-diagnostics (sudoers matches arguments literally).
 */

export const PROBE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The one command line a diagnosis runs; the batch script goes to its standard input. POSIX sh
 * whatever the login shell (bash, dash, zsh, fish, csh), and on Debian that sh is dash: about
 * 7 ms less CPU per diagnosis than the same script under bash (measured on the lab).
 */
export const PROBE_SHELL_COMMAND = 'exec /bin/sh -s';

export const LIMITS = {
  /** ss lines kept (listeners come first in ss output); the last line carries the status. */
  ssLines: 2000,
  /** Processes described per call (holders, their ancestors, the managed LB pid). */
  maxPids: 64,
  /** Ancestors followed per holder. */
  maxDepth: 32,
  logLines: 200,
  logBytes: 65536,
  configBytes: 262144,
  pidFileBytes: 64,
  /** argv can run to megabytes; the head names the program. */
  cmdlineBytes: 4096,
  /** `systemctl list-sockets` lines kept (a host has tens of socket units, not thousands). */
  socketUnitLines: 200,
  /** Port sampling (transient-occupant): at most this many samples (60 s at 100 ms)… */
  maxSamples: 600,
  /** …printed only when a sample differs from the one before, at most this many times… */
  sampleChanges: 200,
  /** …with at most this many socket lines each. */
  sampleLines: 10,
  /**
   * Each systemctl call's limit: a busy or hung manager answers no D-Bus call, and without one
   * the whole batch runs into commandTimeoutMs and the host reads as unreachable.
   */
  systemctlSeconds: 2,
} as const;

/** Values already validated by buildProbeScript. */
export interface LbProbeParams {
  kind: string;
  binary: string;
  pidFile: string;
  unit: string;
  errorLog: string;
  configFile: string;
  /** Operator-trusted command line from inventory/runbook, run as a command. */
  configTest: string;
}

export interface CatalogueParams {
  port: number;
  nonce: string;
  sudo: boolean;
  lb: LbProbeParams | null;
  vip: string | null;
}

export function sectionMarker(nonce: string): string {
  return `@@PB-${nonce}`;
}

const SUDO = 'sudo -n ';

function priv(p: CatalogueParams): string {
  return p.sudo ? SUDO : '';
}

export function ssArgs(port: number, withOwners = true): string {
  return `ss -H -tuan${withOwners ? 'p' : ''} ${q(`( sport = :${port} )`)}`;
}

/** Listening TCP and unconnected UDP sockets only, with their inode (`ino:`), no owners. */
export function ssListenArgs(port: number): string {
  return `ss -H -tulne ${q(`( sport = :${port} )`)}`;
}

function preamble(p: CatalogueParams): string {
  return [
    'LC_ALL=C; export LC_ALL',
    `PATH=${PROBE_PATH}; export PATH`,
    `M=${q(sectionMarker(p.nonce))}`,
    // b/e open and close a section; e starts with a newline so a section whose output lacks
    // a final newline still ends on a line of its own.
    `b() { printf '%s %s\\n' "$M" "$1"; }`,
    `e() { printf '\\n%s /%s %s\\n' "$M" "$1" "$2"; }`,
    // Builtin reads avoid one fork per /proc file.
    `rf() { while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done; }`,
    `pc() { [ -z "$L" ] && return 0; if [ \${#L} -gt ${LIMITS.logBytes} ]; then printf '%s\\n' "$L" | tail -c ${LIMITS.logBytes}; else printf '%s\\n' "$L"; fi; }`,
    // sc runs ss, keeps the first lines and the trailing status line. Fewer bytes than that many
    // lines cannot hold that many lines: the usual listing skips sed and its pipe (a fork and an
    // exec); a longer one goes through sed exactly as it came from ss.
    // Streamed through sed so the shell never holds more than the kept lines: on a busy LB the
    // listing can run to a million sockets (skipping sed for short listings held them all).
    `sc() { S=$({ "$@" 2>&1 </dev/null; echo "rc=$?"; } | sed '${LIMITS.ssLines},\${$!d;}'); r=\${S##*rc=}; S=\${S%rc=*}; printf '%s' "$S"; }`,
    // T bounds systemctl (coreutils timeout; a host without it runs systemctl unbounded).
    `T=; command -v timeout >/dev/null 2>&1 && T='timeout ${LIMITS.systemctlSeconds}'`,
  ].join('\n');
}

function metaSection(): string {
  return [
    'b meta',
    'u=; while read -r k v x; do [ "$k" = Uid: ] && { u=$v; break; }; done </proc/self/status',
    `printf 'uid=%s\\n' "$u"`,
    'if [ -d /run/systemd/system ]; then echo systemd=1; else echo systemd=0; fi',
    'bt=; while read -r k v; do [ "$k" = btime ] && { bt=$v; break; }; done </proc/stat',
    `printf 'btime=%s\\nclk_tck=%s\\n' "$bt" "$(getconf CLK_TCK 2>/dev/null)"`,
    // The host's clock dates the LB log lines (nginx logs local time without an offset).
    `printf 'clock=%s\\n' "$(date '+%s %z' 2>/dev/null)"`,
    'e meta 0',
  ].join('\n');
}

const SYSCTLS = [
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_nonlocal_bind',
  'net.ipv6.ip_nonlocal_bind',
] as const;

export const SYSCTL_PATHS: readonly string[] = SYSCTLS.map(
  (n) => `/proc/sys/${n.replace(/\./g, '/')}`,
);
const NETFILTER = '/proc/sys/net/netfilter';
export const CONNTRACK_PATHS = [`${NETFILTER}/nf_conntrack_count`, `${NETFILTER}/nf_conntrack_max`];

// /proc/sys handlers answer only a read at offset 0, so the shell's byte-wise `read` sees a
// truncated value: one grep reads them all in one go and names each file (PATH:VALUE).
function sysctlSection(): string {
  return ['b sysctl', `grep -H '' ${SYSCTL_PATHS.join(' ')} 2>&1`, 'e sysctl $?'].join('\n');
}

function conntrackSection(): string {
  return [
    'b conntrack',
    `if [ -d ${NETFILTER} ]; then grep -H '' ${CONNTRACK_PATHS.join(' ')} 2>&1; e conntrack $?;`,
    `else echo 'no ${NETFILTER}'; e conntrack 1; fi`,
  ].join('\n');
}

function ssSection(p: CatalogueParams): string {
  const lines = ['b ss', `sc ${priv(p)}${ssArgs(p.port)}`, 'e ss "$r"'];
  if (p.sudo) {
    // Without working sudo the unprivileged ss still lists sockets, only owners go missing.
    lines.push(`[ "$r" = 0 ] || { b ss-nosudo; sc ${ssArgs(p.port)}; e ss-nosudo "$r"; }`);
  }
  return lines.join('\n');
}

/** The socket-activation listing command (read-only, no root needed). */
export const LIST_SOCKETS =
  'systemctl list-sockets --all --full --no-legend --no-pager --show-types';

/**
 * Only when a process named systemd holds a socket on the port (pid 1 or a user manager with a
 * socket unit), so a normal diagnosis pays no systemctl round trip.
 */
function activationSection(): string {
  return [
    `case $S in *'("systemd",pid='*) if [ -d /run/systemd/system ]; then`,
    `  b activation; L=$($T ${LIST_SOCKETS} 2>&1 </dev/null); r=$?`,
    `  [ "$r" = 124 ] && [ -n "$T" ] && L='systemctl list-sockets: no answer within ${LIMITS.systemctlSeconds} s'`,
    `  printf '%s\\n' "$L" | head -n ${LIMITS.socketUnitLines}; e activation $r`,
    'fi;; esac',
  ].join('\n');
}

/**
 * Listeners first: `ss -l` asks the kernel for listening sockets only, and without `-p` ss does
 * not walk every fd of every process (on an LB with 20,000 accepted connections that walk and the
 * connection list cost about as much as the rest of the diagnosis several times over). When the
 * managed pid holds every TCP listener on the port (its own fd table, a few dozen entries, names
 * each listener's inode), that is the whole answer: F=1, and the connection-level listing
 * (ssSection) is skipped. Otherwise (no managed pid, a listener it does not hold, no TCP listener,
 * fds unreadable without root) it runs as before. Verdicts that rest on connections need no
 * listener (docs/reference/verdicts.md), so they always get their data.
 */
function listenerSection(p: CatalogueParams): string {
  return [
    `b ss-listen; sc ${ssListenArgs(p.port)}; e ss-listen "$r"`,
    'F=0',
    'if [ "$r" = 0 ] && [ -n "$mp" ]; then',
    // INODE:FD for each socket the managed pid holds (`ls -l` prints `FD -> socket:[INODE]`).
    `  P=; while IFS= read -r l; do case $l in *' -> socket:['*) t=\${l##*'socket:['}; n=\${l% -> *}; P="$P \${t%]}:\${n##* }";; esac; done <<PB_FDS`,
    '$(ls -l "/proc/$mp/fd" 2>/dev/null </dev/null)',
    'PB_FDS',
    '  b listen-owners',
    '  while read -r a s x; do [ "$a" = tcp ] && [ "$s" = LISTEN ] || continue; i=${x##*ino:}; i=${i%% *}',
    `    case " $P " in *" $i:"*) f=\${P##*" $i:"}; printf '%s %s %s\\n' "$i" "$mp" "\${f%% *}"; [ $F = 0 ] && F=1;; *) F=2;; esac`,
    '  done <<PB_LISTEN',
    '$S',
    'PB_LISTEN',
    '  e listen-owners $F',
    'fi',
  ].join('\n');
}

function lbSection(p: CatalogueParams, lb: LbProbeParams): string {
  const pidRead = p.sudo
    ? `v=$(${SUDO}head -c ${LIMITS.pidFileBytes} ${q(lb.pidFile)} 2>/dev/null </dev/null) && echo "pidfile=$v" || echo pidfile-unreadable`
    : 'echo pidfile-unreadable';
  return [
    'b lb',
    `if [ -x ${q(lb.binary)} ]; then echo binary=present; else echo binary=missing; fi`,
    'mp=',
    'if [ -d /run/systemd/system ]; then',
    `  mp=$($T systemctl show -p MainPID --value ${q(lb.unit)} 2>/dev/null </dev/null); echo "mainpid=$mp"; [ "$mp" = 0 ] && mp=`,
    'fi',
    'if [ -z "$mp" ]; then',
    // missing (nothing runs as managed) and unreadable (we cannot tell) lead to different advice.
    // An empty file is no pid, not unreadable: `nginx -t` (the config test, which may run at the
    // same time) creates the pid file empty when there is none. A pid without a final newline
    // fails `read` but is still the pid.
    `  v=; if [ ! -e ${q(lb.pidFile)} ]; then echo pidfile-missing; elif read -r v 2>/dev/null <${q(lb.pidFile)} || [ -n "$v" ]; then echo "pidfile=$v"; elif [ -s ${q(lb.pidFile)} ]; then ${pidRead}; else echo pidfile-empty; fi; mp=$v`,
    'fi',
    `case $mp in ''|*[!0-9]*) mp=;; esac`,
    'if [ -n "$mp" ]; then if [ -d "/proc/$mp" ]; then echo "alive=$mp"; else echo "dead=$mp"; fi; fi',
    // nginx's binary upgrade (USR2) keeps the old master's pid here until it is finished.
    `ob=; read -r ob 2>/dev/null <${q(`${lb.pidFile}.oldbin`)}; case $ob in ''|*[!0-9]*) ob=;; esac`,
    '[ -n "$ob" ] && [ -d "/proc/$ob" ] && echo "oldbin=$ob"',
    'e lb 0',
  ].join('\n');
}

/** Collect the pids ss names plus the managed pid, and walk each ppid chain via /proc/PID/stat. */
function walkProcesses(): string {
  return [
    // Pure shell (no grep|sort|head pipeline: ~3 ms of forks); set -f because ss prints `*:80`.
    'H=; set -f; for t in $S; do while :; do case $t in *pid=*) t=${t#*pid=}; h=${t%%[!0-9]*}',
    `  case " $H " in *" $h "*) ;; *) [ -n "$h" ] && H="$H $h";; esac;; *) break;; esac; done; done; set +f`,
    'Q=; n=0',
    // Up the ppid chain but not into pid 1 (init: its details say nothing about the port) unless
    // pid 1 itself holds the socket (systemd socket activation).
    'w() { p=$1; d=0; while [ "$p" -gt 0 ] 2>/dev/null && { [ $d = 0 ] || [ "$p" -gt 1 ]; } && [ $d -lt ' +
      `${LIMITS.maxDepth} ] && [ $n -lt ${LIMITS.maxPids} ]; do`,
    `  case " $Q " in *" $p "*) return 0;; esac`,
    '  l=; read -r l 2>/dev/null <"/proc/$p/stat" || return 0',
    '  Q="$Q $p"; n=$((n+1)); d=$((d+1)); r=${l##*) }; set -- $r; p=$2',
    'done; }',
    // The managed pid first: with more holders than maxPids (nginx with 100 workers) it would
    // otherwise go undescribed.
    '[ -n "$mp" ] && w "$mp"',
    '[ -n "$ob" ] && w "$ob"',
    'for h in $H; do w "$h"; done',
  ].join('\n');
}

function processSections(p: CatalogueParams): string {
  return [
    'U=',
    'for p in $Q; do',
    '  b stat.$p; rf 2>&1 <"/proc/$p/stat"; e stat.$p $?',
    '  b status.$p; u=; { while read -r k v x; do [ "$k" = Uid: ] && { u=$v; printf \'%s %s %s\\n\' "$k" "$v" "$x"; break; }; done; } 2>&1 <"/proc/$p/status"; e status.$p $?',
    `  case $u in ''|*[!0-9]*) ;; *) case " $U " in *" $u "*) ;; *) U="$U $u";; esac;; esac`,
    `  b exe.$p; ${priv(p)}readlink "/proc/$p/exe" 2>&1 </dev/null; e exe.$p $?`,
    `  b cmdline.$p; head -c ${LIMITS.cmdlineBytes} "/proc/$p/cmdline" 2>&1; e cmdline.$p $?`,
    '  b cgroup.$p; rf 2>&1 <"/proc/$p/cgroup"; e cgroup.$p $?',
    'done',
    'b users; if [ -n "$U" ]; then getent passwd $U 2>&1; fi; e users $?',
  ].join('\n');
}

function logSections(p: CatalogueParams, lb: LbProbeParams): string {
  const journal = `journalctl -u ${q(lb.unit)} -n ${LIMITS.logLines} --no-pager -o short-iso`;
  return [
    'jf=1',
    'if [ -d /run/systemd/system ]; then',
    `  b log.journal; L=$(${priv(p)}${journal} 2>&1 </dev/null); r=$?; pc; e log.journal $r`,
    // journalctl exits 0 when there is no journal at all: that is "no journal", not "no errors".
    `  case $L in *'No journal files were found'*|'-- No entries --') ;; *) [ "$r" = 0 ] && jf=0;; esac`,
    'fi',
    `if [ $jf = 1 ]; then b log.file; L=$(${priv(p)}tail -n ${LIMITS.logLines} ${q(lb.errorLog)} 2>&1 </dev/null); r=$?; pc; e log.file $r; fi`,
  ].join('\n');
}

function configSections(p: CatalogueParams, lb: LbProbeParams): string {
  return [
    'b configtest',
    `if [ -x ${q(lb.binary)} ]; then L=$( { ${priv(p)}${lb.configTest}`,
    '} 2>&1 </dev/null); r=$?; pc; else echo binary missing; r=127; fi',
    'e configtest $r',
    `b config; ${priv(p)}head -c ${LIMITS.configBytes} ${q(lb.configFile)} 2>&1 </dev/null; e config $?`,
  ].join('\n');
}

function haSections(vip: string): string {
  return [
    'b keepalived; pidof keepalived 2>&1; r=$?',
    '[ $r = 127 ] && { pgrep -x keepalived 2>&1; r=$?; }; e keepalived $r',
    `b vip; ip -o addr show to ${q(vip)} 2>&1 </dev/null; e vip $?`,
  ].join('\n');
}

/**
 * Two parts of the batch side by side (docs/adr/0008-two-concurrent-parts.md): `beside` runs in
 * a pipeline stage of its own while `first` runs, and its output follows `first`'s through the
 * pipe (`exec cat`), so the sections come out whole and in the same order as run one after the
 * other, and the wall time follows the slower part, not the sum. Neither part reads the other's
 * variables. Every stage's commands read /dev/null, not the script on stdin; only `cat` reads
 * the pipe.
 */
function alongside(first: readonly string[], beside: readonly string[]): string {
  if (beside.length === 0) return first.join('\n');
  return ['{', ...beside, '} </dev/null | {', '{', ...first, '} </dev/null', 'exec cat', '}'].join(
    '\n',
  );
}

/**
 * The whole batch. The chain runs in the order its sections depend on each other (lb feeds the
 * listener check, both feed the walk); the LB's logs, config test and config, and the HA state,
 * depend on none of it and run beside it.
 */
export function probeScript(p: CatalogueParams): string {
  const chain = [metaSection(), sysctlSection(), conntrackSection()];
  // The managed pid first: the listener section checks it against the listeners.
  chain.push(p.lb ? lbSection(p, p.lb) : 'mp=; ob=');
  // An nginx binary upgrade in progress (ob: the .oldbin master) shares the managed pid's
  // listeners, so the fast path would hide the second master: the full listing runs then.
  chain.push(listenerSection(p), `[ "$F" = 1 ] && [ -z "$ob" ] || {\n${ssSection(p)}\n}`);
  // After the listing: it runs only when a process named systemd holds the port, which only the
  // full listing (with -p) shows; on the fast path the managed LB holds every listener.
  chain.push(activationSection());
  chain.push(walkProcesses(), processSections(p));
  const beside: string[] = [];
  if (p.lb) beside.push(logSections(p, p.lb), configSections(p, p.lb));
  if (p.vip !== null) beside.push(haSections(p.vip));
  return `${preamble(p)}\n${alongside(chain, beside)}\n`;
}

/** The command a section stands for, shown as evidence (what an operator would type). */
export function describeSection(name: string, p: CatalogueParams): string {
  const s = priv(p);
  const [kind, pid] = name.split('.', 2) as [string, string | undefined];
  const lb = p.lb;
  switch (kind) {
    case 'meta':
      return "grep Uid /proc/self/status; test -d /run/systemd/system; grep btime /proc/stat; getconf CLK_TCK; date '+%s %z'";
    case 'sysctl':
      return `grep -H '' ${SYSCTL_PATHS.join(' ')}`;
    case 'conntrack':
      return `grep -H '' ${CONNTRACK_PATHS.join(' ')}`;
    case 'ss':
      return s + ssArgs(p.port);
    case 'ss-nosudo':
      return ssArgs(p.port);
    case 'ss-listen':
      return ssListenArgs(p.port);
    case 'listen-owners':
      return 'ls -l /proc/MANAGED_PID/fd: the listeners the managed LB holds (inode pid fd)';
    case 'lb':
      return lb
        ? `test -x ${q(lb.binary)}; systemctl show -p MainPID --value ${q(lb.unit)} || cat ${q(lb.pidFile)}; cat ${q(`${lb.pidFile}.oldbin`)}`
        : name;
    case 'activation':
      return LIST_SOCKETS;
    case 'stat':
    case 'status':
    case 'cgroup':
      return `cat /proc/${pid ?? '?'}/${kind}`;
    case 'cmdline':
      return `head -c ${LIMITS.cmdlineBytes} /proc/${pid ?? '?'}/cmdline`;
    case 'exe':
      return `${s}readlink /proc/${pid ?? '?'}/exe`;
    case 'users':
      return 'getent passwd UID…';
    case 'log':
      if (!lb) return name;
      return pid === 'journal'
        ? `${s}journalctl -u ${q(lb.unit)} -n ${LIMITS.logLines} --no-pager -o short-iso`
        : `${s}tail -n ${LIMITS.logLines} ${q(lb.errorLog)}`;
    case 'configtest':
      return lb ? s + lb.configTest : name;
    case 'config':
      return lb ? `${s}head -c ${LIMITS.configBytes} ${q(lb.configFile)}` : name;
    case 'keepalived':
      return 'pidof keepalived';
    case 'vip':
      return `ip -o addr show to ${q(p.vip ?? '')}`;
    default:
      return name;
  }
}

/** Time between two samples of the port (transient-occupant). */
export const SAMPLE_INTERVAL_MS = 100;

/**
 * `listening`: only TCP listeners count (the managed LB listens: its accepted connections share
 * the port and would drown anything else). `holding`: every TCP socket with the port as its
 * local port but TIME-WAIT (nothing listens, so no connection on it is the LB's).
 */
export type SampleMode = 'listening' | 'holding';

export interface SampleParams {
  port: number;
  nonce: string;
  sudo: boolean;
  /** Wall time to sample for (the loop also stops at LIMITS.maxSamples). */
  windowMs: number;
  mode: SampleMode;
}

const SAMPLE_FILTER: Record<SampleMode, string> = {
  listening: '$1=="tcp" && $2=="LISTEN"',
  holding: '$1=="tcp" && $2!="TIME-WAIT"',
};

/**
 * Port sampling, read-only and bounded: the same `ss` as the diagnosis every SAMPLE_INTERVAL_MS
 * until the window ends (wall time, read from /proc/uptime without a fork) or LIMITS.maxSamples.
 * A sample is printed (`@ <uptime centiseconds> <index>`, then its socket lines) only when it
 * differs from the one before, so output grows with what happens on the port, not with the
 * window; LIMITS cap the changes and the lines per change.
 */
export function sampleScript(p: SampleParams): string {
  const base: CatalogueParams = { port: p.port, nonce: p.nonce, sudo: p.sudo, lb: null, vip: null };
  const ss = `${priv(base)}${ssArgs(p.port)}`;
  const keep = `awk '${SAMPLE_FILTER[p.mode]} && n++ < ${LIMITS.sampleLines}'`;
  // /proc/uptime has two decimals: "12345.67" -> 1234567 centiseconds.
  const clock = 'read -r u x </proc/uptime; c=${u%.*}${u#*.}';
  return (
    [
      preamble(base),
      'b sample',
      // One checked run first: a failing ss (sudo refused) must not read as "nothing seen".
      `E=$(${ss} 2>&1 >/dev/null </dev/null); r=$?`,
      'if [ "$r" != 0 ]; then printf \'%s\\n\' "$E"; e sample "$r"; exit 0; fi',
      clock,
      `printf 'mode=${p.mode} interval_ms=${SAMPLE_INTERVAL_MS} start=%s uptime_cs=%s\\n' "$(date +%s.%3N)" "$c"`,
      `end=$((c + ${Math.ceil(p.windowMs / 10)})); P=; i=0; k=0`,
      `while [ "$c" -lt "$end" ] && [ $i -lt ${LIMITS.maxSamples} ]; do`,
      `  S=$(${ss} 2>/dev/null </dev/null | ${keep}); ${clock}`,
      '  if [ "$S" != "$P" ]; then k=$((k+1))',
      `    if [ $k -le ${LIMITS.sampleChanges} ]; then printf '@ %s %s\\n' "$c" "$i"; [ -n "$S" ] && printf '%s\\n' "$S"; fi`,
      '    P=$S; fi',
      `  i=$((i+1)); sleep ${SAMPLE_INTERVAL_MS / 1000}; ${clock}`,
      'done',
      `printf 'end_cs=%s samples=%s changes=%s\\n' "$c" "$i" "$k"`,
      'e sample 0',
    ].join('\n') + '\n'
  );
}

/** What an operator would type for the sampling, shown as its evidence. */
export function describeSample(p: SampleParams): string {
  return `every ${SAMPLE_INTERVAL_MS} ms for ${p.windowMs / 1000} s: ${p.sudo ? SUDO : ''}${ssArgs(p.port)} (${p.mode === 'listening' ? 'TCP listeners' : 'TCP sockets but TIME-WAIT'}, printed when they change)`;
}

/**
 * A peer's VIP state only (vip-split-brain): keepalived running, and whether it holds the VIP.
 * The same read-only sections as the diagnosis' HA part, in a batch of their own.
 */
export function vipScript(p: { nonce: string; vip: string }): string {
  const base: CatalogueParams = { port: 1, nonce: p.nonce, sudo: false, lb: null, vip: p.vip };
  return `${preamble(base)}\n${haSections(p.vip)}\n`;
}

/** The sweep's one batch per host: every listener, the LB config with its includes, the rest. */
export interface SweepCatalogueParams {
  nonce: string;
  sudo: boolean;
  /** Main config file; `followIncludes` for nginx (HAProxy has no include directive). */
  lb: { configFile: string; followIncludes: boolean } | null;
  vip: string | null;
}

export const SWEEP_LIMITS = {
  /** Files read through nginx `include` (each bounded by LIMITS.configBytes). */
  includeFiles: 64,
  /** Levels of include inside included files. */
  includeDepth: 8,
  k8sBytes: 16384,
} as const;

/** Every listening TCP socket and bound UDP socket, any port, with owners. */
export const SS_LISTENERS_ARGS = 'ss -H -tulnp';

function sweepListenSection(p: SweepCatalogueParams): string {
  const lines = ['b listen', `sc ${p.sudo ? SUDO : ''}${SS_LISTENERS_ARGS}`, 'e listen "$r"'];
  if (p.sudo)
    lines.push(
      `[ "$r" = 0 ] || { b listen-nosudo; sc ${SS_LISTENERS_ARGS}; e listen-nosudo "$r"; }`,
    );
  return lines.join('\n');
}

// Sockets with a local port inside the ephemeral range, counted on the host (a busy host has
// tens of thousands): how crowded the range is gives the odds of landing on an LB port.
function ephemeralSection(): string {
  return [
    'b ephemeral',
    'set -- $(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)',
    'if [ -n "$2" ]; then n=$(ss -H -tan state connected "( sport >= :$1 and sport <= :$2 )" 2>/dev/null | wc -l); r=$?; printf \'range=%s-%s\\ninuse=%s\\n\' "$1" "$2" "$n"; else echo no-range; r=1; fi',
    'e ephemeral $r',
  ].join('\n');
}

/**
 * The main config file (with sudo like the diagnosis reads it), then for nginx every file its
 * `include` directives name, followed level by level as nginx does: relative patterns against
 * the main file's folder, globs expanded by the shell. Included files are read without sudo
 * (Debian's /etc/nginx is world-readable); section `includes` maps each pattern to its files.
 */
function sweepConfigSections(
  p: SweepCatalogueParams,
  lb: { configFile: string; followIncludes: boolean },
): string {
  const lines = [
    `b config; ${p.sudo ? SUDO : ''}head -c ${LIMITS.configBytes} ${q(lb.configFile)} 2>&1 </dev/null; e config $?`,
  ];
  if (!lb.followIncludes) return lines.join('\n');
  lines.push(
    // Tab and newline as variables: names are printed with %s only, never %b (a "\\c" in a
    // file name would otherwise cut every mapping after it), and without a fork per file.
    `cf=${q(lb.configFile)}; cd=\${cf%/*}; T=$cf; R=" $cf "; I=; k=0; dp=0; tb=$(printf '\\t'); nl=$(printf '\\nx'); nl=\${nl%x}`,
    'set -f',
    `while [ -n "$T" ] && [ $dp -lt ${SWEEP_LIMITS.includeDepth} ]; do dp=$((dp+1)); N=`,
    '  for f in $T; do',
    `    for pt in $(sed -n 's/#.*//; s/.*\\(^\\|[;{}[:space:]]\\)include[[:space:]]\\{1,\\}\\([^;[:space:]]*\\)[[:space:]]*;.*/\\2/p' "$f" 2>/dev/null); do`,
    `      pt=\${pt#[\\"\\']}; pt=\${pt%[\\"\\']}; case $pt in /*) g=$pt;; *) g="$cd/$pt";; esac`,
    '      set +f; for x in $g; do set -f; [ -f "$x" ] || continue',
    '        I="$I$pt$tb$x$nl"',
    '        case $R in *" $x "*) continue;; esac',
    `        [ $k -ge ${SWEEP_LIMITS.includeFiles} ] && continue`,
    `        R="$R$x "; N="$N $x"; k=$((k+1)); b inc.$k; printf '%s\\n' "$x"; head -c ${LIMITS.configBytes} "$x" 2>&1 </dev/null; e inc.$k $?`,
    '      done; set -f',
    '    done',
    '  done; T=$N',
    'done; set +f',
    `b includes; printf '%s' "$I"; e includes 0`,
  );
  return lines.join('\n');
}

function socketUnitsSection(): string {
  return [
    'if [ -d /run/systemd/system ]; then',
    // Bounded like the diagnosis' listing: a hung manager costs 2 s, a host of units 200 lines.
    `  st=; command -v timeout >/dev/null 2>&1 && st='timeout ${LIMITS.systemctlSeconds}'`,
    `  b sockets; L=$($st ${LIST_SOCKETS} 2>&1 </dev/null); r=$?`,
    `  printf '%s\\n' "$L" | head -n ${LIMITS.socketUnitLines}; e sockets $r`,
    'fi',
  ].join('\n');
}

// kubelet or kube-proxy mark a Kubernetes node; kube-apiserver's argv may carry
// --service-node-port-range (only visible on control-plane nodes).
function k8sSection(): string {
  return [
    'b k8s',
    // Each line prefixed with the name pgrep matched: argv[0] may be a wrapper (hyperkube).
    `for c in kubelet kube-proxy kube-apiserver; do pgrep -a -x "$c" 2>/dev/null | while IFS= read -r l; do printf '%s %s\\n' "$c" "$l"; done; done | head -c ${SWEEP_LIMITS.k8sBytes}`,
    'e k8s 0',
  ].join('\n');
}

/** The sweep batch: one exec per host, read-only, no port filter. */
export function sweepScript(p: SweepCatalogueParams): string {
  const base: CatalogueParams = { port: 1, nonce: p.nonce, sudo: p.sudo, lb: null, vip: p.vip };
  const parts = [
    preamble(base),
    metaSection(),
    sysctlSection(),
    conntrackSection(),
    sweepListenSection(p),
    ephemeralSection(),
    socketUnitsSection(),
    k8sSection(),
  ];
  if (p.lb) parts.push(sweepConfigSections(p, p.lb));
  if (p.vip !== null) parts.push(haSections(p.vip));
  return parts.join('\n') + '\n';
}

/** The command a sweep section stands for, shown as evidence. */
export function describeSweepSection(name: string, p: SweepCatalogueParams): string {
  const s = p.sudo ? SUDO : '';
  const kind = name.split('.', 1)[0];
  switch (kind) {
    case 'listen':
      return s + SS_LISTENERS_ARGS;
    case 'listen-nosudo':
      return SS_LISTENERS_ARGS;
    case 'ephemeral':
      return "ss -H -tan state connected '( sport >= :LOW and sport <= :HIGH )' | wc -l";
    case 'sockets':
      return LIST_SOCKETS;
    case 'k8s':
      return 'pgrep -a -x kubelet; pgrep -a -x kube-proxy; pgrep -a -x kube-apiserver';
    case 'config':
      return p.lb ? `${s}head -c ${LIMITS.configBytes} ${q(p.lb.configFile)}` : name;
    case 'inc':
      return `head -c ${LIMITS.configBytes} <included file>`;
    case 'includes':
      return 'nginx include patterns and the files they matched';
    default:
      return describeSection(name, { port: 1, nonce: p.nonce, sudo: p.sudo, lb: null, vip: p.vip });
  }
}
