import type {
  HaProbe,
  LbProbe,
  ProbeResults,
  ProcessInfo,
  SocketEntry,
  SocketOwner,
} from '../../../src/domain/ProbeResults';

/**
 * Builders for ProbeResults. Raw lines and evidence mimic what the probe script records
 * (sections `ss`, `stat.<pid>`, `exe.<pid>`, `cgroup.<pid>`, `lb`, `log.file`, …), so the
 * engine's evidence picking is exercised the way it runs against real hosts.
 */

export const BOOT_TIME = 1_795_000_000;
export const CLOCK_TICKS = 100;

type SocketInput = Partial<Omit<SocketEntry, 'raw'>> & { owners?: SocketOwner[] };

export function socketEntry(o: SocketInput = {}): SocketEntry {
  const netid = o.netid ?? 'tcp';
  const state = o.state ?? 'LISTEN';
  const localPort = o.localPort ?? 80;
  const localAddress = o.localAddress ?? `0.0.0.0:${localPort}`;
  const peerAddress =
    o.peerAddress ?? (state === 'LISTEN' || state === 'UNCONN' ? '0.0.0.0:*' : '10.0.0.12:9000');
  const owners = o.owners ?? [];
  const users =
    owners.length > 0
      ? ` users:(${owners.map((w) => `("${w.comm}",pid=${w.pid},fd=${w.fd})`).join(',')})`
      : '';
  const raw = `${netid.padEnd(5)} ${state.padEnd(10)} 0      511    ${localAddress.padEnd(20)} ${peerAddress.padEnd(20)}${users}`;
  return { netid, state, localAddress, localPort, peerAddress, owners, raw };
}

export function listener(
  port: number,
  owners: SocketOwner[],
  localAddress = `0.0.0.0:${port}`,
): SocketEntry {
  return socketEntry({ localPort: port, localAddress, owners });
}

export function owner(comm: string, pid: number, fd = 6): SocketOwner {
  return { comm, pid, fd };
}

export function processInfo(o: Partial<ProcessInfo> & { pid: number; comm: string }): ProcessInfo {
  return {
    ppid: 1,
    state: 'S',
    startTicks: 12_345_600,
    exe: `/usr/bin/${o.comm}`,
    exeDeleted: false,
    cmdline: o.comm,
    uid: 0,
    user: 'root',
    cgroup: ['0::/'],
    ...o,
  };
}

/** An nginx master (pid `master`) and two workers, all sharing the listening socket. */
export function nginxTree(
  master = 900,
  opts: { ppid?: number; port?: number } = {},
): {
  processes: ProcessInfo[];
  socket: SocketEntry;
} {
  const port = opts.port ?? 80;
  const w1 = master + 1;
  const w2 = master + 2;
  return {
    processes: [
      processInfo({
        pid: master,
        ppid: opts.ppid ?? 1,
        comm: 'nginx',
        exe: '/usr/sbin/nginx',
        cmdline: 'nginx: master process /usr/sbin/nginx',
        cgroup: ['0::/system.slice/nginx.service'],
      }),
      ...[w1, w2].map((pid) =>
        processInfo({
          pid,
          ppid: master,
          comm: 'nginx',
          exe: '/usr/sbin/nginx',
          cmdline: 'nginx: worker process',
          uid: 33,
          user: 'www-data',
          cgroup: ['0::/system.slice/nginx.service'],
        }),
      ),
    ],
    socket: listener(port, [owner('nginx', w2), owner('nginx', w1), owner('nginx', master)]),
  };
}

export function lbProbe(o: Partial<LbProbe> = {}): LbProbe {
  return {
    kind: 'nginx',
    binaryPresent: true,
    managedPid: null,
    managedPidSource: null,
    logLines: [],
    logSource: 'file',
    configTest: {
      exitCode: 0,
      output: 'nginx: configuration file /etc/nginx/nginx.conf test is successful',
    },
    configListens: ['0.0.0.0:80'],
    oldbinPid: null,
    ...o,
  };
}

export function haProbe(o: Partial<HaProbe> = {}): HaProbe {
  return { group: 'edge', vip: '10.0.0.100', holdsVip: false, keepalivedRunning: true, ...o };
}

type ProbeOverrides = Partial<Omit<ProbeResults, 'processes' | 'sysctls'>> & {
  processes?: ProcessInfo[] | Record<number, ProcessInfo>;
  sysctls?: Partial<ProbeResults['sysctls']>;
};

/** A quiet Debian host: nothing on the port, default sysctls, no LB probe unless given. */
export function probeResults(o: ProbeOverrides = {}): ProbeResults {
  const { processes, sysctls, evidence, ...rest } = o;
  const procs = Array.isArray(processes)
    ? Object.fromEntries(processes.map((p) => [p.pid, p]))
    : (processes ?? {});
  const base: ProbeResults = {
    host: 'lb-01',
    port: 80,
    sockets: [],
    processes: procs,
    sysctls: {
      ipLocalPortRange: { from: 32768, to: 60999 },
      ipLocalReservedPorts: [],
      ipUnprivilegedPortStart: 1024,
      ipNonlocalBind: 0,
      ipv6NonlocalBind: 0,
      ...sysctls,
    },
    conntrack: { count: 120, max: 262144 },
    systemd: false,
    bootTime: BOOT_TIME,
    clockTicks: CLOCK_TICKS,
    clock: null,
    lb: null,
    socketUnits: null,
    ha: null,
    missing: [],
    evidence: [],
    ...rest,
  };
  return { ...base, evidence: evidence ?? evidenceOf(base) };
}

/** Evidence sections as the probe script would record them for these results. */
export function evidenceOf(p: ProbeResults): ProbeResults['evidence'] {
  const s = p.sysctls;
  const ev: ProbeResults['evidence'] = [
    {
      probe: 'sysctl',
      command: 'sysctl net.ipv4.ip_local_port_range …',
      output: [
        `net.ipv4.ip_local_port_range = ${s.ipLocalPortRange ? `${s.ipLocalPortRange.from}\t${s.ipLocalPortRange.to}` : 'unreadable'}`,
        `net.ipv4.ip_local_reserved_ports = ${(s.ipLocalReservedPorts ?? []).map((r) => (r.from === r.to ? r.from : `${r.from}-${r.to}`)).join(',')}`,
        `net.ipv4.ip_unprivileged_port_start = ${s.ipUnprivilegedPortStart ?? 'unreadable'}`,
        `net.ipv4.ip_nonlocal_bind = ${s.ipNonlocalBind ?? 'unreadable'}`,
      ].join('\n'),
    },
    {
      probe: 'ss',
      command: `ss -H -tuanp '( sport = :${p.port} )'`,
      output: p.sockets.map((x) => x.raw).join('\n'),
    },
  ];
  for (const proc of Object.values(p.processes)) {
    ev.push(
      {
        probe: `stat.${proc.pid}`,
        command: `cat /proc/${proc.pid}/stat`,
        output: `${proc.pid} (${proc.comm}) ${proc.state} ${proc.ppid} ${proc.pid} ${proc.pid} 0 -1 4194560 …`,
      },
      {
        probe: `exe.${proc.pid}`,
        command: `readlink /proc/${proc.pid}/exe`,
        output: `${proc.exe ?? ''}${proc.exeDeleted ? ' (deleted)' : ''}`,
      },
      {
        probe: `cgroup.${proc.pid}`,
        command: `cat /proc/${proc.pid}/cgroup`,
        output: proc.cgroup.join('\n'),
      },
    );
  }
  if (p.lb) {
    const pid = p.lb.managedPid;
    ev.push({
      probe: 'lb',
      command: 'test -x /usr/sbin/nginx; cat /run/nginx.pid',
      output: `binary=present\n${pid !== null ? `pidfile=${pid}\nalive=${pid}` : 'pidfile-unreadable'}`,
    });
    ev.push({
      probe: 'log.file',
      command: 'tail -n 200 /var/log/nginx/error.log',
      output: p.lb.logLines.join('\n'),
    });
    if (p.lb.configTest)
      ev.push({ probe: 'configtest', command: 'nginx -t', output: p.lb.configTest.output });
  }
  return ev;
}
