import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diagnose } from '../../../src/diagnosis/diagnose';
import {
  flattenNginxListens,
  parseNginxListens,
} from '../../../src/probes/parsers/parseNginxListens';
import { diagnoseInput, runbook } from '../../support/factories/diagnoseInput';
import {
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
const managed = lbProbe({ managedPid: 900, managedPidSource: 'pidfile' });

describe('diagnose: precedence and hard cases', () => {
  it('a stale nginx with a deleted executable is suspicious, not stale, and gets no kill button', () => {
    const t = nginxTree(700);
    const master = t.processes[0];
    if (!master) throw new Error('factory');
    master.exeDeleted = true;
    const d = diagnose(
      diagnoseInput(probeResults({ sockets: [t.socket], processes: t.processes, lb: lbProbe() })),
    );
    expect(d.verdict).toBe('suspicious-occupant');
    expect(d.occupant?.pid).toBe(700);
    expect(d.actions.map((a) => a.kind)).toEqual(['escalate-security']);
    expect(d.actions[0]?.risk).toBe('high');
    expect(d.findings).toContainEqual({
      code: 'exe-deleted',
      detail: 'nginx (pid 700) runs /usr/sbin/nginx (deleted)',
    });
  });

  it('a python listener beats an ephemeral socket on the same port', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({
          port: 40000,
          sockets: [
            listener(40000, [owner('python3', 4123)], '127.0.0.1:40000'),
            socketEntry({
              state: 'ESTAB',
              localPort: 40000,
              localAddress: '10.0.0.11:40000',
              owners: [owner('curl', 5000)],
            }),
          ],
          processes: [python],
          lb: lbProbe(),
        }),
      ),
    );
    expect(d.verdict).toBe('foreign-listener');
    expect(d.occupant).toMatchObject({
      pid: 4123,
      localAddress: '127.0.0.1:40000',
      socketState: 'LISTEN',
    });
  });

  it('a healthy nginx with an old EACCES line in its log stays healthy; the line becomes a finding', () => {
    const t = nginxTree(900);
    const line =
      '2026/11/20 03:00:00 [emerg] 12#12: bind() to 0.0.0.0:80 failed (13: Permission denied)';
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [t.socket],
          processes: t.processes,
          lb: lbProbe({ ...managed, logLines: [line] }),
        }),
      ),
    );
    expect(d.verdict).toBe('healthy');
    expect(d.findings).toContainEqual({ code: 'bind-error-in-log', detail: line });
  });

  it('nginx master and workers on IPv4 and IPv6 are one healthy holder: the master', () => {
    const t = nginxTree(900);
    const v6 = listener(80, t.socket.owners, '[::]:80');
    const d = diagnose(
      diagnoseInput(probeResults({ sockets: [t.socket, v6], processes: t.processes, lb: managed })),
    );
    expect(d.verdict).toBe('healthy');
    expect(d.occupant).toMatchObject({ pid: 900, user: 'root', unit: 'nginx.service' });
    expect(d.lb).toEqual({ kind: 'nginx', running: true, pid: 900, listening: true });
    expect(d.findings.filter((f) => f.code === 'other-holder')).toEqual([]);
  });

  it('a worker of the managed master holding the socket alone is healthy', () => {
    const t = nginxTree(900);
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('nginx', 901)])],
          processes: t.processes,
          lb: managed,
        }),
      ),
    );
    expect(d.verdict).toBe('healthy');
    expect(d.occupant?.pid).toBe(901);
  });

  it('a worker of an orphaned master is stale; the master is the occupant to stop', () => {
    const managedTree = nginxTree(900);
    const orphan = nginxTree(700);
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('nginx', 701)])],
          processes: [...managedTree.processes, ...orphan.processes],
          lb: managed,
        }),
      ),
    );
    expect(d.verdict).toBe('stale-lb-instance');
    expect(d.occupant).toMatchObject({ pid: 700, comm: 'nginx', localAddress: '0.0.0.0:80' });
    expect(d.summary).toContain('the managed nginx is pid 900');
    expect(d.actions[0]).toMatchObject({ kind: 'kill-occupant', title: 'Stop nginx (pid 700)' });
    expect(d.actions[1]).toMatchObject({ kind: 'restart-lb', title: 'Restart nginx on lb-01' });
  });

  it('an HAProxy left over from a failed reload is stale when the pid file names another', () => {
    const old = processInfo({ pid: 300, comm: 'haproxy', exe: '/usr/sbin/haproxy' });
    const current = processInfo({ pid: 310, comm: 'haproxy', exe: '/usr/sbin/haproxy' });
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('haproxy', 300)])],
          processes: [old, current],
          lb: lbProbe({ kind: 'haproxy', managedPid: 310, managedPidSource: 'pidfile' }),
        }),
        { lb: runbook('haproxy') },
      ),
    );
    expect(d.verdict).toBe('stale-lb-instance');
    expect(d.occupant?.pid).toBe(300);
    expect(d.actions[0]?.detail).toContain('kill -USR1 300');
  });

  it('a pid file naming a reused pid (now python3) is not trusted: the python listener is foreign', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('python3', 4123)])],
          processes: [python],
          lb: lbProbe({ managedPid: 4123, managedPidSource: 'pidfile' }),
        }),
      ),
    );
    expect(d.verdict).toBe('foreign-listener');
    expect(d.lb).toEqual({ kind: 'nginx', running: false, pid: null, listening: false });
    expect(d.findings.map((f) => f.code)).toContain('managed-pid-reused');
  });

  it('a listener with no visible owner is a foreign listener with no occupant and no kill action', () => {
    const hidden = socketEntry({ localAddress: '0.0.0.0:80' });
    const d = diagnose(diagnoseInput(probeResults({ sockets: [hidden], lb: lbProbe() })));
    expect(d.verdict).toBe('foreign-listener');
    expect(d.occupant).toBeNull();
    expect(d.actions.map((a) => a.kind)).toEqual(['advice']);
    expect(d.findings.map((f) => f.code)).toContain('owner-not-visible');
    expect(d.evidence[0]?.output).toBe(hidden.raw);
  });

  it('an owner-less listener beside the managed nginx is only a finding', () => {
    const t = nginxTree(900);
    const own = listener(80, t.socket.owners, '10.0.0.11:80');
    const hidden = socketEntry({ localAddress: '127.0.0.1:80' });
    const d = diagnose(
      diagnoseInput(probeResults({ sockets: [own, hidden], processes: t.processes, lb: managed })),
    );
    expect(d.verdict).toBe('healthy');
    expect(d.findings.find((f) => f.code === 'owner-not-visible')?.detail).toContain(
      '127.0.0.1:80',
    );
  });

  it('a foreign listener beside the managed nginx still wins (table order) and names nginx as another holder', () => {
    const t = nginxTree(900);
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [
            listener(80, t.socket.owners, '10.0.0.11:80'),
            listener(80, [owner('python3', 4123)], '127.0.0.1:80'),
          ],
          processes: [...t.processes, python],
          lb: managed,
        }),
      ),
    );
    expect(d.verdict).toBe('foreign-listener');
    expect(d.occupant?.pid).toBe(4123);
    expect(d.summary).toBe(
      'port 80 is held by python3 (pid 4123, user root) — nginx (pid 900) is running',
    );
    expect(d.findings).toContainEqual({
      code: 'other-holder',
      detail: 'nginx (pid 900) also listens on 10.0.0.11:80',
    });
  });

  it('the latest bind failure decides: EACCES followed by EADDRINUSE is not permission-denied', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({
          lb: lbProbe({
            logLines: [
              '2026/11/21 09:00:00 [emerg] 1#1: bind() to 0.0.0.0:80 failed (13: Permission denied)',
              '2026/11/21 10:00:00 [emerg] 2#2: bind() to 0.0.0.0:80 failed (98: Address already in use)',
            ],
          }),
        }),
      ),
    );
    expect(d.verdict).toBe('port-free-lb-down');
    expect(d.findings.filter((f) => f.code === 'bind-error-in-log')).toHaveLength(2);
  });

  it('bind errors for another port do not count', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({
          lb: lbProbe({
            logLines: [
              '2026/11/21 09:00:00 [emerg] 1#1: bind() to 0.0.0.0:443 failed (13: Permission denied)',
            ],
          }),
        }),
      ),
    );
    expect(d.verdict).toBe('port-free-lb-down');
    expect(d.findings.map((f) => f.code)).not.toContain('bind-error-in-log');
  });

  it('HAProxy EACCES text is matched by the haproxy runbook', () => {
    const line =
      '[ALERT] (444) : Binding [/etc/haproxy/haproxy.cfg:12] for frontend fe_http: cannot bind socket (Permission denied) for [0.0.0.0:80]';
    const d = diagnose(
      diagnoseInput(probeResults({ lb: lbProbe({ kind: 'haproxy', logLines: [line] }) }), {
        lb: runbook('haproxy'),
      }),
    );
    expect(d.verdict).toBe('permission-denied');
    expect(d.evidence.map((e) => e.output).join('\n')).toContain(line);
  });

  it('a healthy nginx whose config test now fails is config-conflict (it will not survive a restart)', () => {
    const t = nginxTree(900);
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [t.socket],
          processes: t.processes,
          lb: lbProbe({
            ...managed,
            configTest: {
              exitCode: 1,
              output: 'nginx: [emerg] unexpected "}" in /etc/nginx/nginx.conf:40',
            },
          }),
        }),
      ),
    );
    expect(d.verdict).toBe('config-conflict');
    expect(d.summary).toContain('keeps serving its previous config');
  });

  it('HAProxy binding the same address twice (*:80 and 0.0.0.0:80) is config-conflict', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({
          lb: lbProbe({ kind: 'haproxy', configListens: ['*:80', '10.0.0.11:443', '0.0.0.0:80'] }),
        }),
        {
          lb: runbook('haproxy'),
        },
      ),
    );
    expect(d.verdict).toBe('config-conflict');
    expect(d.summary).toContain('declares 0.0.0.0:80 twice');
  });

  it('nginx: vhosts sharing an address are fine, a repeat inside one server block is a conflict', () => {
    const fixture = (name: string) =>
      readFileSync(path.join(__dirname, '../../fixtures/probes', name), 'utf8');
    const vhosts = flattenNginxListens(
      parseNginxListens('http { server { listen 80; } server { listen *:80; } }'),
    );
    expect(
      diagnose(diagnoseInput(probeResults({ lb: lbProbe({ configListens: vhosts }) }))).verdict,
    ).toBe('port-free-lb-down');
    const dup = flattenNginxListens(parseNginxListens(fixture('config-nginx-dup.conf')));
    const d = diagnose(diagnoseInput(probeResults({ lb: lbProbe({ configListens: dup }) })));
    expect(d.verdict).toBe('config-conflict');
    expect(d.summary).toContain('declares 0.0.0.0:80 twice');
  });
});
