import { diagnose } from '../../../src/diagnosis/diagnose';
import { sameBind } from '../../../src/diagnosis/rules/reuseportSplit';
import { diagnoseInput, runbook } from '../../support/factories/diagnoseInput';
import {
  lbProbe,
  listener,
  nginxTree,
  owner,
  probeResults,
  processInfo,
} from '../../support/factories/probeResults';

/** Where the four shared-port verdicts sit among their neighbours (docs/reference/verdicts.md). */
const systemd = processInfo({
  pid: 1,
  ppid: 0,
  comm: 'systemd',
  exe: '/usr/lib/systemd/systemd',
  cmdline: '/sbin/init',
  cgroup: ['0::/init.scope'],
});

describe('socket-activation among its neighbours', () => {
  it('systemd passing its socket to the managed LB (the LB’s own socket unit) is healthy', () => {
    const t = nginxTree(900);
    const shared = listener(80, [owner('nginx', 900), owner('systemd', 1)]);
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [shared],
          processes: [...t.processes, systemd],
          lb: lbProbe({ managedPid: 900, managedPidSource: 'systemd' }),
        }),
      ),
    );
    expect(d.verdict).toBe('healthy');
  });

  it('a process that only calls itself systemd is a foreign listener (its executable is python3)', () => {
    const fake = processInfo({ pid: 4000, comm: 'systemd', exe: '/usr/bin/python3.11' });
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('systemd', 4000)])],
          processes: [fake],
          lb: lbProbe(),
        }),
      ),
    );
    expect(d.verdict).toBe('foreign-listener');
  });

  it('a "systemd" run from /tmp is suspicious first', () => {
    const fake = processInfo({ pid: 4000, comm: 'systemd', exe: '/tmp/systemd' });
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('systemd', 4000)])],
          processes: [fake],
          lb: lbProbe(),
        }),
      ),
    );
    expect(d.verdict).toBe('suspicious-occupant');
  });

  it('pid 1 systemd without a unit listing: socket-activation, advice to find the unit, no kill', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('systemd', 1)], '0.0.0.0:80')],
          processes: [systemd],
          lb: lbProbe(),
        }),
      ),
    );
    expect(d.verdict).toBe('socket-activation');
    expect(d.actions.map((a) => a.kind)).not.toContain('kill-occupant');
  });
});

describe('lb-reload-generations and stale-lb-instance', () => {
  const haproxy = (pid: number, startTicks: number, cmdline: string) =>
    processInfo({ pid, comm: 'haproxy', exe: '/usr/sbin/haproxy', startTicks, cmdline });
  const fresh = '/usr/sbin/haproxy -D -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid';

  function run(managed: string, other: string, otherStart: number) {
    return diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('haproxy', 500)]), listener(80, [owner('haproxy', 400)])],
          processes: [haproxy(500, 2000, managed), haproxy(400, otherStart, other)],
          lb: lbProbe({ kind: 'haproxy', managedPid: 500, managedPidSource: 'pidfile' }),
        }),
        { lb: runbook('haproxy') },
      ),
    );
  }

  it('an older process beside a managed one that a reload started: lb-reload-generations', () => {
    expect(run(`${fresh} -sf 400`, fresh, 1000).verdict).toBe('lb-reload-generations');
  });

  it('a process that was itself started by a reload: lb-reload-generations, whatever its age', () => {
    expect(run(fresh, `${fresh} -x /run/haproxy/admin.sock -sf 300`, 3000).verdict).toBe(
      'lb-reload-generations',
    );
  });

  it('a reload process newer than the managed one is not called old, and is not offered for a kill', () => {
    const d = run(fresh, `${fresh} -x /run/haproxy/admin.sock -sf 300`, 3000);
    expect(d.summary).toContain('1 haproxy process started by a later reload (pid 400;');
    expect(d.summary).not.toContain('old haproxy');
    expect(d.occupant?.pid).toBe(400);
    expect(d.actions.map((a) => a.kind)).toEqual(['advice', 'advice']);
    expect(d.actions[0]?.title).toBe('Find out which haproxy serves the current configuration');
  });

  it('an older reload generation is still offered for a graceful kill, the oldest first', () => {
    const d = run(`${fresh} -sf 400`, fresh, 1000);
    expect(d.summary).toContain('1 old haproxy process from earlier reloads (pid 400)');
    expect(d.occupant?.pid).toBe(400);
    expect(d.actions[0]).toMatchObject({ kind: 'kill-occupant', title: 'Stop haproxy (pid 400)' });
  });

  it('no reload anywhere (two fresh starts): stale-lb-instance', () => {
    expect(run(fresh, fresh, 1000).verdict).toBe('stale-lb-instance');
  });
});

describe('lb-binary-upgrade', () => {
  it('two masters, one the child of the other, without an .oldbin file: still the upgrade', () => {
    const old = nginxTree(900);
    const next = nginxTree(950, { ppid: 900 });
    const socket = listener(80, [owner('nginx', 950), owner('nginx', 900)]);
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [socket],
          processes: [...old.processes, ...next.processes],
          lb: lbProbe({ managedPid: 950, managedPidSource: 'pidfile' }),
        }),
      ),
    );
    expect(d.verdict).toBe('lb-binary-upgrade');
    expect(d.occupant?.pid).toBe(900);
    expect(d.actions.map((a) => a.kind)).toEqual(['advice', 'advice']);
  });
});

describe('reuseport-split and foreign-listener', () => {
  const python = processInfo({ pid: 4123, comm: 'python3', exe: '/usr/bin/python3.11' });

  function run(pyAddress: string, lbAddress: string, managed: boolean) {
    const t = nginxTree(900);
    return diagnose(
      diagnoseInput(
        probeResults({
          sockets: [
            listener(80, [owner('python3', 4123)], pyAddress),
            ...(managed ? [listener(80, [owner('nginx', 900)], lbAddress)] : []),
          ],
          processes: [...(managed ? t.processes : []), python],
          lb: lbProbe(managed ? { managedPid: 900, managedPidSource: 'pidfile' } : {}),
        }),
      ),
    );
  }

  it('the same address beside the listening LB: reuseport-split', () => {
    expect(run('0.0.0.0:80', '0.0.0.0:80', true).verdict).toBe('reuseport-split');
  });

  it('the LB down: foreign-listener', () => {
    expect(run('0.0.0.0:80', '0.0.0.0:80', false).verdict).toBe('foreign-listener');
  });

  it('another address than the LB’s (no overlap, no co-bind): foreign-listener', () => {
    expect(run('127.0.0.1:80', '10.0.0.11:80', true).verdict).toBe('foreign-listener');
  });

  it('which addresses overlap', () => {
    expect(sameBind('0.0.0.0:80', '10.0.0.11:80')).toBe(true);
    expect(sameBind('*:80', '0.0.0.0:80')).toBe(true);
    expect(sameBind('[::]:80', '[fe80::1]:80')).toBe(true);
    expect(sameBind('[::]:80', '0.0.0.0:80')).toBe(false);
    expect(sameBind('10.0.0.11:80', '10.0.0.12:80')).toBe(false);
    expect(sameBind('0.0.0.0%eth0:80', '10.0.0.11:80')).toBe(false);
  });
});
