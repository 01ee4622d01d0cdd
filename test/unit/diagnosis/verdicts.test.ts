import { diagnose } from '../../../src/diagnosis/diagnose';
import type { Diagnosis } from '../../../src/domain/diagnosis';
import type { ActionKind, Verdict } from '../../../src/domain/verdict';
import { diagnoseInput, haGroup, runbook } from '../../support/factories/diagnoseInput';
import {
  haProbe,
  lbProbe,
  listener,
  nginxTree,
  owner,
  probeResults,
  processInfo,
  socketEntry,
} from '../../support/factories/probeResults';

const python = processInfo({
  pid: 4123,
  comm: 'python3',
  exe: '/usr/bin/python3.11',
  cmdline: 'python3 -m http.server 80',
});
const nginxDown = lbProbe({ managedPid: null });

interface Case {
  name: string;
  input: Parameters<typeof diagnose>[0];
  verdict: Verdict;
  occupantPid: number | null;
  actions: ActionKind[];
  summary: RegExp;
  /** A line the evidence must contain. */
  evidence: string;
}

const nginx = nginxTree(900);
const orphan = nginxTree(700);

const cases: Case[] = [
  {
    name: 'python3 on :80 while nginx is down',
    input: diagnoseInput(
      probeResults({
        sockets: [listener(80, [owner('python3', 4123, 3)])],
        processes: [python],
        lb: nginxDown,
      }),
    ),
    verdict: 'foreign-listener',
    occupantPid: 4123,
    actions: ['kill-occupant', 'restart-lb'],
    summary: /^port 80 is held by python3 \(pid 4123, user root\) — nginx is not running$/,
    evidence: 'users:(("python3",pid=4123,fd=3))',
  },
  {
    name: 'holder runs from /tmp',
    input: diagnoseInput(
      probeResults({
        sockets: [listener(80, [owner('kworkerd', 6666)])],
        processes: [processInfo({ pid: 6666, comm: 'kworkerd', exe: '/tmp/.x/kworkerd' })],
        lb: nginxDown,
      }),
    ),
    verdict: 'suspicious-occupant',
    occupantPid: 6666,
    actions: ['escalate-security'],
    summary:
      /kworkerd \(pid 6666, user root\) and its executable \/tmp\/\.x\/kworkerd lives in \/tmp/,
    evidence: '/tmp/.x/kworkerd',
  },
  {
    name: 'holder exe deleted',
    input: diagnoseInput(
      probeResults({
        sockets: [listener(80, [owner('miner', 6667)])],
        processes: [
          processInfo({ pid: 6667, comm: 'miner', exe: '/usr/local/bin/miner', exeDeleted: true }),
        ],
        lb: nginxDown,
      }),
    ),
    verdict: 'suspicious-occupant',
    occupantPid: 6667,
    actions: ['escalate-security'],
    summary: /executable \/usr\/local\/bin\/miner was deleted/,
    evidence: '/usr/local/bin/miner (deleted)',
  },
  {
    name: 'docker-proxy publishes the port',
    input: diagnoseInput(
      probeResults({
        sockets: [listener(80, [owner('docker-proxy', 812, 4)])],
        processes: [
          processInfo({
            pid: 812,
            comm: 'docker-proxy',
            exe: '/usr/bin/docker-proxy',
            cmdline:
              '/usr/bin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 80 -container-ip 172.17.0.2 -container-port 80',
            cgroup: ['0::/system.slice/docker.service'],
          }),
        ],
        lb: nginxDown,
      }),
    ),
    verdict: 'container-port',
    occupantPid: 812,
    actions: ['escalate-owner'],
    summary: /published by container docker-proxy:172\.17\.0\.2:80/,
    evidence: 'pid=812',
  },
  {
    name: 'orphaned nginx master with workers, no managed pid',
    input: diagnoseInput(
      probeResults({ sockets: [orphan.socket], processes: orphan.processes, lb: nginxDown }),
    ),
    verdict: 'stale-lb-instance',
    occupantPid: 700,
    actions: ['kill-occupant', 'restart-lb'],
    summary:
      /stale nginx instance \(pid 700, user root\), not the managed one — nginx is not running as managed/,
    evidence: 'pid=700',
  },
  {
    name: 'nginx listener while the pid file cannot be read: stale, but no kill and no restart',
    input: diagnoseInput(
      probeResults({
        sockets: [orphan.socket],
        processes: orphan.processes,
        lb: nginxDown,
        missing: [
          { code: 'managed-pid-unknown', detail: '/run/nginx.pid exists but cannot be read' },
        ],
      }),
    ),
    verdict: 'stale-lb-instance',
    occupantPid: 700,
    actions: ['advice'],
    summary: /stale nginx instance/,
    evidence: 'pid=700',
  },
  {
    name: 'outgoing connection owns an ephemeral port',
    input: diagnoseInput(
      probeResults({
        port: 40000,
        sockets: [
          socketEntry({
            state: 'ESTAB',
            localPort: 40000,
            localAddress: '10.77.0.11:40000',
            peerAddress: '10.77.0.12:9000',
            owners: [owner('haproxy', 77, 12)],
          }),
        ],
        processes: [processInfo({ pid: 77, comm: 'haproxy', exe: '/usr/sbin/haproxy' })],
        lb: lbProbe({ kind: 'haproxy', managedPid: null }),
      }),
      { lb: runbook('haproxy') },
    ),
    verdict: 'ephemeral-port-collision',
    occupantPid: 77,
    actions: ['reserve-port', 'restart-lb'],
    summary:
      /outgoing connection of haproxy \(pid 77, user root\) from 10\.77\.0\.11:40000 to 10\.77\.0\.12:9000 \(ESTAB\) — port 40000 lies in ip_local_port_range 32768-60999/,
    evidence: '10.77.0.11:40000',
  },
  {
    name: 'EACCES in the log, nginx down',
    input: diagnoseInput(
      probeResults({
        lb: lbProbe({
          logLines: [
            '2026/11/21 10:00:00 [emerg] 4242#4242: bind() to 0.0.0.0:80 failed (13: Permission denied)',
          ],
        }),
      }),
    ),
    verdict: 'permission-denied',
    occupantPid: null,
    actions: ['advice'],
    summary:
      /nginx cannot bind 0\.0\.0\.0:80: permission denied \(errno 13\) — port 80 is below ip_unprivileged_port_start \(1024\) and nginx runs without root or CAP_NET_BIND_SERVICE/,
    evidence: '(13: Permission denied)',
  },
  {
    name: 'EADDRNOTAVAIL for the VIP on the BACKUP node',
    input: diagnoseInput(
      probeResults({
        lb: lbProbe({
          logLines: [
            '2026/11/21 10:00:00 [emerg] 4242#4242: bind() to 10.0.0.100:80 failed (99: Cannot assign requested address)',
          ],
        }),
        ha: haProbe({ holdsVip: false, keepalivedRunning: true }),
      }),
      { ha: haGroup() },
    ),
    verdict: 'address-not-available',
    occupantPid: null,
    actions: ['advice'],
    summary:
      /10\.0\.0\.100 is the VIP of edge and this node \(BACKUP\) does not hold it; ipv4\.ip_nonlocal_bind=0/,
    evidence: '(99: Cannot assign requested address)',
  },
  {
    name: 'nginx config test fails',
    input: diagnoseInput(
      probeResults({
        lb: lbProbe({
          configTest: {
            exitCode: 1,
            output:
              'nginx: [emerg] unknown directive "lisen" in /etc/nginx/sites-enabled/default:3\nnginx: configuration file /etc/nginx/nginx.conf test failed',
          },
        }),
      }),
    ),
    verdict: 'config-conflict',
    occupantPid: null,
    actions: ['advice'],
    summary: /^nginx on lb-01 will not \(re\)start: its config test fails \(nginx -t exited 1\)$/,
    evidence: 'unknown directive "lisen"',
  },
  {
    name: 'managed nginx master and workers share the socket',
    input: diagnoseInput(
      probeResults({
        sockets: [nginx.socket],
        processes: nginx.processes,
        lb: lbProbe({ managedPid: 900, managedPidSource: 'pidfile' }),
      }),
    ),
    verdict: 'healthy',
    occupantPid: 900,
    actions: [],
    summary: /^port 80 is served by the managed nginx \(pid 900, user root\)$/,
    evidence: 'pid=900',
  },
  {
    name: 'nginx runs but nothing listens',
    input: diagnoseInput(
      probeResults({
        processes: nginx.processes,
        lb: lbProbe({ managedPid: 900, managedPidSource: 'pidfile' }),
      }),
    ),
    verdict: 'lb-not-listening',
    occupantPid: null,
    actions: ['reload-lb'],
    summary: /^nginx is running \(pid 900\) but nothing listens on port 80$/,
    evidence: 'alive=900',
  },
  {
    name: 'only TIME-WAIT sockets, nginx down',
    input: diagnoseInput(
      probeResults({
        sockets: [1, 2, 3].map((i) =>
          socketEntry({
            state: 'TIME-WAIT',
            localAddress: '10.0.0.11:80',
            peerAddress: `10.0.0.5:5100${i}`,
          }),
        ),
        lb: nginxDown,
      }),
    ),
    verdict: 'time-wait-only',
    occupantPid: null,
    actions: ['advice'],
    summary:
      /^nothing listens on port 80; only 3 TIME-WAIT sockets remain, which do not block a listener using SO_REUSEADDR — nginx is not running$/,
    evidence: 'TIME-WAIT',
  },
  {
    name: 'nothing on the port, nginx down',
    input: diagnoseInput(probeResults({ lb: nginxDown })),
    verdict: 'port-free-lb-down',
    occupantPid: null,
    actions: ['restart-lb'],
    summary: /^nothing listens on port 80 and nginx is not running on lb-01$/,
    evidence: 'pidfile-unreadable',
  },
];

describe('diagnose: one case per verdict', () => {
  it.each(cases)('$name → $verdict', (c) => {
    const d: Diagnosis = diagnose(c.input);
    expect(d.verdict).toBe(c.verdict);
    expect(d.occupant?.pid ?? null).toBe(c.occupantPid);
    expect(d.actions.map((a) => a.kind)).toEqual(c.actions);
    expect(d.summary).toMatch(c.summary);
    expect(d.evidence.length).toBeGreaterThan(0);
    expect(d.evidence.map((e) => e.output).join('\n')).toContain(c.evidence);
    expect(d.host).toBe('lb-01');
    expect(d.durationMs).toBe(42);
  });

  it('covers every verdict except unreachable', () => {
    expect(new Set(cases.map((c) => c.verdict)).size).toBe(12);
  });
});
