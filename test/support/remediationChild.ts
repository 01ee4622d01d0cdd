/**
 * A remediation executor as its own process, for the "worker SIGKILLed mid-plan" test. Run from
 * dist/ (`npm run build`): node remediationChild.js INVENTORY DB REQUEST_ID PLAN_FILE PREFIX.
 * After running the first command that starts with PREFIX it prints "ran" and waits to be
 * killed: the command's effect is real, its `done` record and journal entry never written.
 */
import { readFileSync } from 'node:fs';
import type { RemediationPlan } from '../../src/remediation/RemediationPlan';
import { RemediationHarness } from './remediationHarness';

async function main(): Promise<void> {
  const [inventory, db, requestId, planFile, prefix] = process.argv.slice(2);
  if (!inventory || !db || !requestId || !planFile || !prefix) throw new Error('usage');
  const h = RemediationHarness.attach(inventory, Number(db));
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as RemediationPlan;
  await h.execute(plan, requestId, {
    runner: {
      run: async (host, command) => {
        const r = await h.runner.run(host, command);
        if (command.startsWith(prefix)) {
          process.stdout.write('ran\n');
          await new Promise(() => undefined);
        }
        return r;
      },
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
