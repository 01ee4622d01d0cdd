import type { Diagnosis, HaState } from '../../../src/domain/diagnosis';
import type { Verdict } from '../../../src/domain/verdict';
import type {
  PlanInput,
  PlanOptions,
  RemediationAction,
} from '../../../src/remediation/RemediationPlan';
import { diagnosisFixture } from '../diagnosisFixture';
import { haGroup, runbook } from './diagnoseInput';
import { hostConfig } from './hostConfig';

export const OPTIONS: PlanOptions = {
  termWaitMs: 5000,
  acceptOutage: false,
  closeConnection: false,
  sudo: false,
};

/** A realistic diagnosis of `verdict` on `host`, with its HA role replaced. */
export function diag(
  verdict: Verdict,
  host = 'lb-01',
  ha: Partial<HaState> | null = {},
  patch: Partial<Diagnosis> = {},
): Diagnosis {
  const d = diagnosisFixture(verdict);
  return {
    ...d,
    host,
    port: 80,
    ha:
      ha === null
        ? null
        : { group: 'edge', role: 'BACKUP', vip: '10.0.0.100', holdsVip: false, ...ha },
    ...patch,
  };
}

export const MASTER = { role: 'MASTER', holdsVip: true } as const;
export const BACKUP = { role: 'BACKUP', holdsVip: false } as const;

export function input(
  action: RemediationAction,
  target: Diagnosis,
  members: Diagnosis[] | null,
  o: Partial<PlanOptions> = {},
  extra: Partial<PlanInput['target']> = {},
): PlanInput {
  const host = hostConfig({
    name: target.host,
    lb: { kind: 'nginx' },
    ...(members ? { haGroup: 'edge' } : {}),
  });
  return {
    action,
    target: { host, lb: runbook('nginx'), diagnosis: target, ...extra },
    group: members
      ? {
          config: haGroup({ members: members.map((m) => m.host) }),
          diagnoses: members,
        }
      : null,
    options: { ...OPTIONS, ...o },
  };
}
