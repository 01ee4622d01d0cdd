import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diagnose } from '../../../src/diagnosis/diagnose';
import type { Runbook } from '../../../src/domain/Runbook';
import { probesFromCapture } from '../../support/factories/capturedProbes';
import { diagnoseInput, runbook } from '../../support/factories/diagnoseInput';

/**
 * Near misses of the shared-port verdicts found by the hostile review (attack/), replayed on the
 * REAL probe batches captured in the lab (each fixture's .cmd says how).
 */
function labRunbook(): Runbook {
  const base = runbook('nginx');
  return { ...base, commands: { ...base.commands, configTest: '/usr/sbin/nginx -t' } };
}

function run(file: string, nonce: string) {
  const text = readFileSync(path.join(__dirname, '../../fixtures/probes', file), 'utf8');
  const lb = labRunbook();
  const probes = probesFromCapture({ text, nonce, port: 80, sudo: false, vip: null, lb, ha: null });
  return { probes, d: diagnose(diagnoseInput(probes, { lb })) };
}

describe('shared-port near misses, captured batches', () => {
  it('a copy of python3 named systemd is no service manager: a foreign listener, killable', () => {
    const { d } = run('batch-impostor-systemd-80.txt', 'fixture80impostorsystemd');
    expect(d.occupant).toMatchObject({ pid: 23, comm: 'systemd', exe: '/run/lab/bin/systemd' });
    expect(d.verdict).toBe('foreign-listener');
    expect(d.actions.map((a) => a.kind)).toContain('kill-occupant');
    expect(JSON.stringify(d)).not.toContain('service manager');
  });

  it('systemctl that never answers is cut off: the batch ends, the listing is reported missing', () => {
    const { probes, d } = run('batch-hung-systemctl-80.txt', 'fixture80hungsystemctl');
    expect(probes.systemd).toBe(true);
    expect(probes.socketUnits).toBeNull();
    expect(probes.lb?.managedPid).toBeNull();
    expect(d.findings).toContainEqual({
      code: 'socket-units-unlisted',
      detail: 'systemctl list-sockets: no answer within 2 s',
    });
    // the holder is a python3 copy named systemd (/run/lab/bin/systemd), not the manager
    expect(d.verdict).toBe('foreign-listener');
    expect(d.occupant).toMatchObject({ comm: 'systemd', exe: '/run/lab/bin/systemd' });
  });
});
