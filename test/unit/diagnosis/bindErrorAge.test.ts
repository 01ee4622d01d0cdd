import { diagnose } from '../../../src/diagnosis/diagnose';
import type { Diagnosis } from '../../../src/domain/diagnosis';
import { diagnoseInput, runbook } from '../../support/factories/diagnoseInput';
import {
  BOOT_TIME,
  CLOCK_TICKS,
  lbProbe,
  nginxTree,
  probeResults,
} from '../../support/factories/probeResults';
import { fixture } from '../probes/fixture';

// The real lab capture: nginx run as www-data on :80 logged EACCES at 2026-12-07 16:31:50 UTC.
const [, EACCES = ''] = fixture('nginx-error-log-eacces-lab.txt').split('\n');
const LOGGED = Date.UTC(2026, 11, 7, 16, 31, 50) / 1000;
const clockAt = (now: number) => ({ now, utcOffsetMinutes: 0 });
const codes = (d: Diagnosis) => d.findings.map((f) => f.code);

function stoppedNginx(now: number, host: { bindErrorWindowMinutes?: number } = {}): Diagnosis {
  return diagnose(
    diagnoseInput(probeResults({ clock: clockAt(now), lb: lbProbe({ logLines: [EACCES] }) }), {
      host,
    }),
  );
}

describe('bind errors count only when newer than the LB start or within the window', () => {
  it('a fresh EACCES line on a stopped nginx: permission-denied', () => {
    const d = stoppedNginx(LOGGED + 5 * 60);
    expect(d.verdict).toBe('permission-denied');
    expect(codes(d)).toContain('bind-error-in-log');
    expect(codes(d)).not.toContain('old-bind-error-in-log');
  });

  it('the same line two hours later (default window 60 min): the current state, the line a finding', () => {
    const d = stoppedNginx(LOGGED + 2 * 3600);
    expect(d.verdict).toBe('port-free-lb-down');
    expect(codes(d)).not.toContain('bind-error-in-log');
    const old = d.findings.find((f) => f.code === 'old-bind-error-in-log');
    expect(old?.detail).toContain('bind() to 0.0.0.0:80 failed (13: Permission denied)');
    expect(old?.detail).toContain('logged 2026-12-07T16:31:50Z, more than 60 min before');
  });

  it('a longer window from the inventory keeps it counting', () => {
    expect(stoppedNginx(LOGGED + 2 * 3600, { bindErrorWindowMinutes: 180 }).verdict).toBe(
      'permission-denied',
    );
  });

  it('without the host clock a line cannot be dated and counts as before', () => {
    const d = diagnose(
      diagnoseInput(probeResults({ clock: null, lb: lbProbe({ logLines: [EACCES] }) })),
    );
    expect(d.verdict).toBe('permission-denied');
  });

  it('HAProxy stderr lines carry no time and still count', () => {
    const line = fixture('haproxy-log-eacces-lab.txt')
      .split('\n')
      .find((l) => l.includes('Permission denied'));
    const d = diagnose(
      diagnoseInput(
        probeResults({
          clock: clockAt(LOGGED + 10 * 3600),
          lb: lbProbe({ kind: 'haproxy', logLines: [line ?? ''] }),
        }),
        { lb: runbook('haproxy'), host: { lb: { kind: 'haproxy' } } },
      ),
    );
    expect(d.verdict).toBe('permission-denied');
  });

  describe('a running nginx is judged by its master start time, not the window', () => {
    const port81 = EACCES.replace('0.0.0.0:80', '0.0.0.0:81');
    const running = (startedAt: number, now: number) => {
      const tree = nginxTree(900);
      const [master, ...workers] = tree.processes;
      const startTicks = (startedAt - BOOT_TIME) * CLOCK_TICKS;
      return diagnose(
        diagnoseInput(
          probeResults({
            port: 81,
            clock: clockAt(now),
            sockets: [tree.socket],
            processes: [{ ...master!, startTicks }, ...workers],
            lb: lbProbe({ managedPid: 900, managedPidSource: 'pidfile', logLines: [port81] }),
          }),
        ),
      );
    };

    it('a reload that failed after the master started: permission-denied', () => {
      expect(running(LOGGED - 3600, LOGGED + 60).verdict).toBe('permission-denied');
    });

    it('a failure from before the master started belongs to an earlier attempt', () => {
      const d = running(LOGGED + 30, LOGGED + 60);
      expect(d.verdict).toBe('lb-not-listening');
      const old = d.findings.find((f) => f.code === 'old-bind-error-in-log');
      expect(old?.detail).toContain('before the running nginx started (2026-12-07T16:32:20Z)');
    });
  });
});
