import { check, type DoctorCheck } from './DoctorCheck';
import { oneLine } from './oneLine';

export type ConfigCheckName = 'env' | 'runbooks' | 'inventory' | 'policy';

/**
 * What loading one piece of configuration gave: a description of it, the loader's error, or
 * why it could not be loaded at all (it depends on a piece that failed).
 */
export type LoadOutcome =
  | { ok: true; detail: string }
  | { ok: false; error: string }
  | { ok: 'not-checked'; reason: string; fix: string };

const FIX: Readonly<Record<ConfigCheckName, string>> = {
  env: 'fix the variables named (the environment or .env; docs/reference/service.md lists them); Redis and Slack are checked once it is valid',
  runbooks: 'fix the files named (format: docs/architecture.md, "How to add an LB kind")',
  inventory:
    'fix what is named (format: docs/reference/inventory.md); the file is --inventory, else PORTBOT_INVENTORY, else ./inventory.yaml',
  policy:
    'fix what is named (format: docs/reference/policy.md); the file is --policy, else PORTBOT_POLICY, else ./policy.yaml',
};

export function configCheck(name: ConfigCheckName, outcome: LoadOutcome): DoctorCheck {
  if (outcome.ok === true) return check(name, null, 'ok', outcome.detail);
  // The piece it depends on already failed, which decides the exit code.
  if (outcome.ok === 'not-checked') return check(name, null, 'warn', outcome.reason, outcome.fix);
  return check(name, null, 'fail', oneLine(outcome.error), FIX[name]);
}
