import { parseArgs } from 'node:util';
import { loadInventory } from '../config/loadInventory';
import { loadPolicy } from '../config/loadPolicy';
import { termWaitMs } from '../domain/Policy';
import { defaultRunbooksDir, loadRunbooks } from '../config/loadRunbooks';
import { PortbotError } from '../domain/PortbotError';
import { parsePort } from '../domain/parsePort';
import { formatPlanText } from '../remediation/formatPlanText';
import { REMEDIATION_ACTIONS, type RemediationAction } from '../remediation/RemediationPlan';
import { SshPool } from '../ssh/SshPool';
import { planForHost } from '../usecases/planForHost';
import type { CliIo } from './CliIo';
import { PLAN_USAGE, usageFor } from './usage';

function usage(message: string): PortbotError {
  return new PortbotError('USAGE', usageFor(PLAN_USAGE, message));
}

function isAction(value: string): value is RemediationAction {
  return (REMEDIATION_ACTIONS as readonly string[]).includes(value);
}

function parsePlanArgs(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        inventory: { type: 'string', short: 'i' },
        policy: { type: 'string' },
        action: { type: 'string', short: 'a' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [host, port] = positionals;
  if (positionals.length !== 2 || host === undefined) throw usage('expected <host> <port>');
  if (values.action === undefined || !isAction(values.action)) {
    throw usage(`--action must be one of ${REMEDIATION_ACTIONS.join(', ')}`);
  }
  return {
    host,
    port: parsePort(port),
    action: values.action,
    json: values.json,
    inventory: values.inventory,
    policy: values.policy,
  };
}

/**
 * `portbot plan`: the steps an approved request would run, nothing executed. Exit 0 a plan,
 * 2 usage/inventory, 3 a host could not be diagnosed, 4 the plan is refused (reason printed).
 */
export async function planCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parsePlanArgs(argv);
  const runbooks = loadRunbooks(defaultRunbooksDir());
  const inventoryPath = args.inventory ?? io.env.PORTBOT_INVENTORY ?? 'inventory.yaml';
  const inventory = loadInventory(inventoryPath, new Set(runbooks.keys()));
  // The same policy serve plans with, so the printed plan is the one a request would run.
  const { policy } = loadPolicy(args.policy ?? io.env.PORTBOT_POLICY ?? 'policy.yaml');
  const pool = new SshPool();
  let planned;
  try {
    planned = await planForHost(
      { runner: pool, runbooks, now: io.now },
      inventory,
      args.host,
      args.port,
      args.action,
      { termWaitMs: termWaitMs(policy) },
    );
  } finally {
    await pool.close();
  }
  if (planned.kind === 'undiagnosable') {
    const down = planned.diagnoses.filter((d) => d.verdict === 'unreachable');
    const text = down.map((d) => `${d.host}: ${d.summary}`).join('\n');
    if (args.json) io.stdout(JSON.stringify({ undiagnosable: planned.diagnoses }, null, 2));
    io.stderr(`portbot: cannot plan, not every host could be diagnosed:\n${text}`);
    return 3;
  }
  const { result } = planned;
  if (!result.ok) {
    if (args.json)
      io.stdout(JSON.stringify({ refused: { code: result.code, reason: result.reason } }, null, 2));
    else io.stdout(`refused (${result.code}): ${result.reason}`);
    return 4;
  }
  io.stdout(
    args.json ? JSON.stringify(result.plan, null, 2) : formatPlanText(result.plan).trimEnd(),
  );
  return 0;
}
