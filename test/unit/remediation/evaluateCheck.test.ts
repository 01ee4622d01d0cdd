import type { Observation } from '../../../src/remediation/ExecutionPorts';
import { evaluateCheck } from '../../../src/remediation/evaluateCheck';
import type { Check } from '../../../src/remediation/RemediationPlan';
import { diag } from '../../support/factories/planInput';
import { listener, owner, probeResults, socketEntry } from '../../support/factories/probeResults';

function seen(o: Partial<Observation['probes'] & object>, d = diag('foreign-listener', 'lb-01')) {
  const obs: Observation = { diagnosis: d, probes: { ...probeResults({ host: 'lb-01' }), ...o } };
  return new Map([['lb-01', obs]]);
}

const PORT_FREE: Check = { kind: 'port-free', host: 'lb-01', port: 80, withinMs: 1000 };

describe('evaluateCheck', () => {
  it('port-free: ownerless FIN-WAIT/TIME-WAIT leftovers of a killed process do not count', () => {
    const leftovers = [
      socketEntry({ state: 'TIME-WAIT', localAddress: '10.0.0.11:80' }),
      socketEntry({ state: 'FIN-WAIT-2', localAddress: '10.0.0.11:80' }),
    ];
    expect(evaluateCheck(PORT_FREE, seen({ sockets: leftovers }), null).ok).toBe(true);
  });

  it('port-free: a listener, even one whose owner is invisible, or an owned connection holds it', () => {
    expect(evaluateCheck(PORT_FREE, seen({ sockets: [listener(80, [])] }), null).ok).toBe(false);
    const conn = socketEntry({ state: 'ESTAB', owners: [owner('haproxy', 9)] });
    expect(evaluateCheck(PORT_FREE, seen({ sockets: [conn] }), null).ok).toBe(false);
  });

  it('occupant-is: the same pid with other start ticks is another process', () => {
    const d = diag('foreign-listener', 'lb-01');
    const o = d.occupant;
    if (!o || o.startTicks === null || o.exe === null || o.uid === null) throw new Error('fixture');
    const same: Check = {
      kind: 'occupant-is',
      host: 'lb-01',
      port: 80,
      pid: o.pid,
      startTicks: o.startTicks,
      exe: o.exe,
      uid: o.uid,
      cmdline: o.cmdline,
    };
    expect(evaluateCheck(same, seen({}, d), null).ok).toBe(true);
    const reused = { ...same, startTicks: o.startTicks + 1 };
    expect(evaluateCheck(reused, seen({}, d), null)).toMatchObject({ ok: false });
  });

  it('occupant-is: a re-exec (same pid, start ticks, exe and uid, another cmdline) is another target', () => {
    const d = diag('foreign-listener', 'lb-01');
    const o = d.occupant;
    if (!o || o.startTicks === null || o.exe === null || o.uid === null) throw new Error('fixture');
    const approved: Check = {
      kind: 'occupant-is',
      host: 'lb-01',
      port: 80,
      pid: o.pid,
      startTicks: o.startTicks,
      exe: o.exe,
      uid: o.uid,
      cmdline: 'python3 -m http.server 80',
    };
    const reExec = { ...d, occupant: { ...o, cmdline: 'python3 /tmp/other.py 80' } };
    const r = evaluateCheck(approved, seen({}, reExec), null);
    expect(r.ok).toBe(false);
    expect(r.detail).toContain('running another command line (python3 /tmp/other.py 80)');
    const same = { ...d, occupant: { ...o, cmdline: 'python3 -m http.server 80' } };
    expect(evaluateCheck(approved, seen({}, same), null).ok).toBe(true);
    // A diagnosis that could not read the command line recorded none: not compared.
    expect(evaluateCheck({ ...approved, cmdline: null }, seen({}, reExec), null).ok).toBe(true);
  });

  it('connection-gone: matches the exact 4-tuple only', () => {
    const conn = socketEntry({
      state: 'ESTAB',
      localAddress: '10.0.0.11:40000',
      peerAddress: '10.0.0.12:9000',
      owners: [owner('haproxy', 9)],
    });
    const gone = (peerPort: number): Check => ({
      kind: 'connection-gone',
      host: 'lb-01',
      connection: { localIp: '10.0.0.11', localPort: 40000, peerIp: '10.0.0.12', peerPort },
    });
    expect(evaluateCheck(gone(9000), seen({ sockets: [conn] }), null).ok).toBe(false);
    expect(evaluateCheck(gone(9001), seen({ sockets: [conn] }), null).ok).toBe(true);
  });

  it('a host that could not be probed never satisfies a check', () => {
    const obs: Observation = { diagnosis: diag('unreachable', 'lb-01'), probes: null };
    expect(evaluateCheck(PORT_FREE, new Map([['lb-01', obs]]), null)).toEqual({
      ok: false,
      detail: 'lb-01 could not be probed',
    });
  });
});
