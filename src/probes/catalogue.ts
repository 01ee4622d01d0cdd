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
    // sc runs ss, keeps the first lines and the trailing status line.
    `sc() { S=$({ "$@" 2>&1 </dev/null; echo "rc=$?"; } | sed '${LIMITS.ssLines},\${$!d;}'); r=\${S##*rc=}; S=\${S%rc=*}; printf '%s' "$S"; }`,
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

function lbSection(p: CatalogueParams, lb: LbProbeParams): string {
  const pidRead = p.sudo
    ? `v=$(${SUDO}head -c ${LIMITS.pidFileBytes} ${q(lb.pidFile)} 2>/dev/null </dev/null) && echo "pidfile=$v" || echo pidfile-unreadable`
    : 'echo pidfile-unreadable';
  return [
    'b lb',
    `if [ -x ${q(lb.binary)} ]; then echo binary=present; else echo binary=missing; fi`,
    'mp=',
    'if [ -d /run/systemd/system ]; then',
    `  mp=$(systemctl show -p MainPID --value ${q(lb.unit)} 2>/dev/null </dev/null); echo "mainpid=$mp"; [ "$mp" = 0 ] && mp=`,
    'fi',
    'if [ -z "$mp" ]; then',
    // missing (nothing runs as managed) and unreadable (we cannot tell) lead to different advice
    `  v=; if read -r v 2>/dev/null <${q(lb.pidFile)}; then echo "pidfile=$v"; elif [ ! -e ${q(lb.pidFile)} ]; then echo pidfile-missing; else ${pidRead}; fi; mp=$v`,
    'fi',
    `case $mp in ''|*[!0-9]*) mp=;; esac`,
    'if [ -n "$mp" ]; then if [ -d "/proc/$mp" ]; then echo "alive=$mp"; else echo "dead=$mp"; fi; fi',
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

/** The whole batch, in the order the sections depend on each other (ss and lb feed the walk). */
export function probeScript(p: CatalogueParams): string {
  const parts = [preamble(p), metaSection(), sysctlSection(), conntrackSection(), ssSection(p)];
  if (p.lb) parts.push(lbSection(p, p.lb));
  else parts.push('mp=');
  parts.push(walkProcesses(), processSections(p));
  if (p.lb) parts.push(logSections(p, p.lb), configSections(p, p.lb));
  if (p.vip !== null) parts.push(haSections(p.vip));
  return parts.join('\n') + '\n';
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
    case 'lb':
      return lb
        ? `test -x ${q(lb.binary)}; systemctl show -p MainPID --value ${q(lb.unit)} || cat ${q(lb.pidFile)}`
        : name;
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
    `cf=${q(lb.configFile)}; cd=\${cf%/*}; T=$cf; R=" $cf "; I=; k=0; dp=0`,
    'set -f',
    `while [ -n "$T" ] && [ $dp -lt ${SWEEP_LIMITS.includeDepth} ]; do dp=$((dp+1)); N=`,
    '  for f in $T; do',
    `    for pt in $(sed -n 's/#.*//; s/.*\\(^\\|[;{}[:space:]]\\)include[[:space:]]\\{1,\\}\\([^;[:space:]]*\\)[[:space:]]*;.*/\\2/p' "$f" 2>/dev/null); do`,
    `      pt=\${pt#[\\"\\']}; pt=\${pt%[\\"\\']}; case $pt in /*) g=$pt;; *) g="$cd/$pt";; esac`,
    '      set +f; for x in $g; do set -f; [ -f "$x" ] || continue',
    `        I="$I$(printf '%s\\t%s' "$pt" "$x")\n"`,
    '        case $R in *" $x "*) continue;; esac',
    `        [ $k -ge ${SWEEP_LIMITS.includeFiles} ] && continue`,
    `        R="$R$x "; N="$N $x"; k=$((k+1)); b inc.$k; printf '%s\\n' "$x"; head -c ${LIMITS.configBytes} "$x" 2>&1 </dev/null; e inc.$k $?`,
    '      done; set -f',
    '    done',
    '  done; T=$N',
    'done; set +f',
    `b includes; printf '%b' "$I"; e includes 0`,
  );
  return lines.join('\n');
}

function socketUnitsSection(): string {
  return [
    'if [ -d /run/systemd/system ]; then',
    '  b sockets; systemctl list-sockets --all --full --no-legend --no-pager 2>&1 </dev/null; e sockets $?',
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
      return 'systemctl list-sockets --all --full --no-legend --no-pager';
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
