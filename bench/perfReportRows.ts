import type { BusyHostResult } from './measureBusyHost';
import type { CliStartResult } from './measureCliStart';
import { check, info, ms, x, type FailedPhase, type ReportRow } from './reportTable';

/** Issue 12 item 3: a one-host diagnose within node's own start-up + 120 ms. */
export const CLI_OVER_NODE_MS = 120;
/** Issue 12 item 1: the busy host's diagnosis p50 at most twice the same host idle. */
export const BUSY_RATIO = 2;

/** `inProcessColdMs`: the same one-host diagnosis in the bench process, fresh pool (p50). */
export function cliStartRows(
  r: CliStartResult | FailedPhase,
  inProcessColdMs: number,
): ReportRow[] {
  if ('error' in r) return [info('CLI start (node | --help | 1-host diagnose)', 'not measured')];
  return [
    info(
      'CLI start p50: node -e 0 | portbot --help | 1-host diagnose',
      `${ms(r.nodeMs.p50)} | ${ms(r.helpMs.p50)} | ${ms(r.diagnoseMs.p50)}`,
    ),
    check('1-host diagnose CLI p50 over node -e 0', r.overNodeMs, ms, '<=', CLI_OVER_NODE_MS),
    info(
      '  of which the diagnosis (in-process cold p50) | the rest',
      `${ms(inProcessColdMs)} | ${ms(r.overNodeMs - inProcessColdMs)}`,
    ),
    info(
      '1-host diagnose p50 without the compile cache, over node -e 0',
      ms(r.diagnoseNoCacheMs.p50 - r.nodeMs.p50),
    ),
  ];
}

export function busyHostRows(r: BusyHostResult | FailedPhase): ReportRow[] {
  if ('error' in r) return [info('busy LB (connections on the port)', 'not measured')];
  const n = r.connections.toLocaleString('en-US');
  return [
    info(
      `busy LB, ${n} connections: warm p50 idle | busy`,
      `${ms(r.idle.wallMs.p50)} | ${ms(r.busy.wallMs.p50)}`,
    ),
    check(`busy LB, ${n} connections: p50 busy ÷ idle`, r.ratio, x, '<=', BUSY_RATIO),
    info(
      'busy LB probe output idle | busy; remote CPU idle | busy',
      `${r.outputBytes.idle} B | ${r.outputBytes.busy} B; ${ms(r.idle.remoteCpuMsPerDiagnosis)} | ${ms(r.busy.remoteCpuMsPerDiagnosis)}`,
    ),
  ];
}
