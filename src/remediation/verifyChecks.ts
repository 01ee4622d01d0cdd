import type { ExecResult } from '../domain/CommandRunner';
import { checkHosts, checkWithinMs, evaluateCheck, type CheckResult } from './evaluateCheck';
import type { ExecuteDeps, Observation } from './ExecutionPorts';
import type { Check } from './RemediationPlan';

type ObserveDeps = Pick<ExecuteDeps, 'observe' | 'now' | 'sleep' | 'pollIntervalMs'>;

async function observeAll(
  deps: ObserveDeps,
  hosts: readonly string[],
  port: number,
): Promise<Map<string, Observation>> {
  const unique = [...new Set(hosts)];
  const seen = await Promise.all(unique.map((h) => deps.observe(h, port)));
  return new Map(unique.map((h, i) => [h, seen[i] as Observation]));
}

/**
 * Establishes every check, re-probing the hosts they name. Checks with a deadline are polled
 * until they all hold or the longest deadline passes; the others must hold at the first look.
 * Returns the first failing check's result, or null when all hold.
 */
export async function verifyChecks(
  deps: ObserveDeps,
  checks: readonly Check[],
  port: number,
  exit: ExecResult | null,
): Promise<{ failed: CheckResult | null; seen: string[] }> {
  const hosts = checks.flatMap(checkHosts);
  const deadline = deps.now() + Math.max(0, ...checks.map(checkWithinMs));
  for (;;) {
    const observed = hosts.length > 0 ? await observeAll(deps, hosts, port) : new Map();
    const results = checks.map((c) => evaluateCheck(c, observed, exit));
    const failed = results.find((r) => !r.ok) ?? null;
    if (!failed || deps.now() >= deadline) return { failed, seen: results.map((r) => r.detail) };
    // exit-zero cannot change by waiting: a failed exit code fails at once.
    if (checks.some((c, i) => c.kind === 'exit-zero' && results[i]?.ok === false)) {
      return { failed, seen: results.map((r) => r.detail) };
    }
    await deps.sleep(deps.pollIntervalMs);
  }
}
