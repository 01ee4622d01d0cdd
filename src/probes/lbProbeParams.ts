import type { Runbook } from '../domain/Runbook';
import type { LbProbeParams } from './catalogue';

/** The parts of a (host-resolved) runbook that the probe script needs. */
export function lbProbeParams(lb: Runbook): LbProbeParams {
  return {
    kind: lb.kind,
    binary: lb.binary,
    pidFile: lb.pidFile,
    unit: lb.unit,
    errorLog: lb.errorLog,
    configFile: lb.configFile,
    configTest: lb.commands.configTest,
  };
}
