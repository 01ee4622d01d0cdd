/**
 * What the probes found on one host, parsed. Produced by probes/collectProbes from one batched
 * exec, consumed by the pure diagnosis engine. Every field that a host may lack is nullable and
 * the reason goes to `missing`, so a host without systemd, conntrack or the LB binary still
 * gets a diagnosis.
 */
export interface SocketOwner {
  comm: string;
  pid: number;
  fd: number;
}

export interface SocketEntry {
  netid: string; // tcp | udp | …
  state: string; // LISTEN, ESTAB, TIME-WAIT, UNCONN, SYN-SENT, …
  localAddress: string; // as ss prints it: 0.0.0.0:80, [::]:80, 10.0.0.1%eth0:80, *:80
  localPort: number;
  peerAddress: string;
  /** Empty when ss shows no users:(…) column (other PID namespace, no privileges, TIME-WAIT). */
  owners: SocketOwner[];
  raw: string;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
  /** Single-letter state from /proc/PID/stat. */
  state: string;
  startTicks: number;
  /** Target of /proc/PID/exe with any " (deleted)" suffix removed; null when unreadable. */
  exe: string | null;
  exeDeleted: boolean;
  /** NUL-separated argv joined with spaces; null when unreadable or empty (kernel thread). */
  cmdline: string | null;
  uid: number | null;
  user: string | null;
  /** Raw lines of /proc/PID/cgroup. */
  cgroup: string[];
}

export interface PortRange {
  from: number;
  to: number;
}

export interface Sysctls {
  ipLocalPortRange: PortRange | null;
  ipLocalReservedPorts: PortRange[] | null;
  ipUnprivilegedPortStart: number | null;
  ipNonlocalBind: number | null;
  ipv6NonlocalBind: number | null;
}

export interface ConfigTest {
  exitCode: number;
  output: string;
}

export interface LbProbe {
  kind: string;
  /** Whether the LB's binary exists on the host. */
  binaryPresent: boolean;
  /** MainPID from systemd, else the pid file; null when neither names a live process. */
  managedPid: number | null;
  managedPidSource: 'systemd' | 'pidfile' | null;
  /** Last lines of the LB's log (journald unit or errorLog), oldest first, bounded. */
  logLines: string[];
  logSource: 'journald' | 'file' | null;
  configTest: ConfigTest | null;
  /** address:port pairs the LB config declares, in file order (duplicates kept). */
  configListens: string[];
  /**
   * The pid in `<pidFile>.oldbin` when it names a live process: nginx writes it during a binary
   * upgrade (SIGUSR2) for the old master, until the upgrade is finished or rolled back.
   */
  oldbinPid: number | null;
}

/** One line of `systemctl list-sockets --show-types`: a listen of a systemd .socket unit. */
export interface SocketUnit {
  /** As systemd prints it: `[::]:80`, `0.0.0.0:80`, `/run/dbus/system_bus_socket`, … */
  listen: string;
  /** Stream, Datagram, SequentialPacket, FIFO, Netlink, … */
  type: string;
  unit: string;
  /** The units the socket starts (usually the .service of the same name). */
  activates: string[];
}

export interface HaProbe {
  group: string;
  vip: string;
  holdsVip: boolean;
  keepalivedRunning: boolean;
}

export interface HostClock {
  /** Seconds since the epoch on the host (`date +%s`). */
  now: number;
  /** The host's UTC offset (`date +%z`), for log formats that print local time (nginx). */
  utcOffsetMinutes: number;
}

export interface ProbeResults {
  host: string;
  port: number;
  /** Every socket whose local port is `port`, any state, tcp and udp. */
  sockets: SocketEntry[];
  /** Socket holders, their ancestors up to pid 1, and the managed LB pid. Keyed by pid. */
  processes: Record<number, ProcessInfo>;
  sysctls: Sysctls;
  conntrack: { count: number; max: number } | null;
  systemd: boolean;
  /** Seconds since the epoch at boot (btime in /proc/stat) and USER_HZ, for startedAt. */
  bootTime: number | null;
  clockTicks: number;
  /** The host's own clock when probed: dates LB log lines without trusting portbot's clock. */
  clock: HostClock | null;
  lb: LbProbe | null;
  /**
   * systemd's socket units, listed only when systemd runs and a process named systemd holds a
   * socket on the port (socket activation); null when not listed.
   */
  socketUnits: SocketUnit[] | null;
  ha: HaProbe | null;
  /** Finding-ready notes about what could not be probed (no systemd, no conntrack, …). */
  missing: { code: string; detail: string }[];
  evidence: { probe: string; command: string; output: string }[];
  /** Set only when sampling was asked for and ran (transient-occupant). */
  samples?: PortSamples;
}

/** One printed sample of the port: what `ss` showed from sample `index` on (until the next). */
export interface PortSampleChange {
  /** Host clock, seconds since the epoch (milliseconds precision). */
  at: number;
  index: number;
  sockets: SocketEntry[];
}

/** The port sampled every intervalMs (transient-occupant; probes/collectSamples). */
export interface PortSamples {
  mode: 'listening' | 'holding';
  intervalMs: number;
  startedAt: number;
  endedAt: number;
  /** Samples taken. */
  samples: number;
  changes: PortSampleChange[];
  /** More changes happened than were printed (LIMITS.sampleChanges): the tail is missing. */
  truncated: boolean;
  evidence: { probe: string; command: string; output: string };
}
