import { hostConfig } from './hostConfig';
import { defaultRunbooksDir, loadRunbooks } from '../../../src/config/loadRunbooks';
import type { DiagnoseInput } from '../../../src/diagnosis/diagnose';
import type { HaGroupConfig, HostConfig } from '../../../src/domain/HostConfig';
import type { ProbeResults } from '../../../src/domain/ProbeResults';
import type { Runbook } from '../../../src/domain/Runbook';

/** The repository's real runbooks, so tests exercise the shipped log patterns. */
export const RUNBOOKS: ReadonlyMap<string, Runbook> = loadRunbooks(defaultRunbooksDir());

export function runbook(kind: 'nginx' | 'haproxy' = 'nginx'): Runbook {
  const rb = RUNBOOKS.get(kind);
  if (!rb) throw new Error(`runbook ${kind} missing`);
  return rb;
}

export function haGroup(o: Partial<HaGroupConfig> = {}): HaGroupConfig {
  return { name: 'edge', kind: 'keepalived', vip: '10.0.0.100', members: ['lb-01', 'lb-02'], ...o };
}

/** Input for diagnose(): nginx host by default; `lb: null` for a host without an LB. */
export function diagnoseInput(
  probes: ProbeResults,
  o: { lb?: Runbook | null; ha?: HaGroupConfig | null; host?: Partial<HostConfig> } = {},
): DiagnoseInput {
  const lb = o.lb === undefined ? runbook('nginx') : o.lb;
  const host = hostConfig({ lb: { kind: 'nginx' }, ...o.host });
  if (!lb) delete host.lb;
  return { host, port: probes.port, probes, lb, ha: o.ha ?? null, durationMs: 42 };
}
