import { parseArgs } from 'node:util';
import { PortbotError } from '../domain/PortbotError';
import type { DiagnoseTarget } from './parseDiagnoseArgs';
import { GUARD_USAGE, usageFor } from './usage';
import { parseConcurrency } from './parseConcurrency';

export interface GuardArgs {
  kind: 'sysctl' | 'k8s';
  target: DiagnoseTarget;
  /** No SSH: ports from the inventory only, existing reservations not read. */
  offline: boolean;
  concurrency: number;
  inventory: string | undefined;
}

function usage(message: string): PortbotError {
  return new PortbotError('USAGE', usageFor(GUARD_USAGE, message));
}

export function parseGuardArgs(argv: string[]): GuardArgs {
  const [kind, ...rest] = argv;
  if (kind !== 'sysctl' && kind !== 'k8s') {
    throw usage(`expected guard sysctl or guard k8s, got ${JSON.stringify(kind ?? '')}`);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        inventory: { type: 'string', short: 'i' },
        host: { type: 'string' },
        group: { type: 'string', short: 'g' },
        all: { type: 'boolean', default: false },
        offline: { type: 'boolean', default: false },
        concurrency: { type: 'string', short: 'c' },
      },
    });
  } catch (err) {
    throw usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw usage('expected at most one host');
  const host = values.host ?? positionals[0];
  const chosen = [host !== undefined, values.group !== undefined, values.all].filter(Boolean);
  if (chosen.length > 1) throw usage('choose one of <host>, --host, --group, --all');
  if (positionals.length === 1 && values.host !== undefined) throw usage('a host given twice');
  const concurrency = parseConcurrency(values.concurrency, usage);
  let target: DiagnoseTarget;
  if (host !== undefined) target = { kind: 'host', host };
  else if (values.group !== undefined) target = { kind: 'group', group: values.group };
  else if (values.all || kind === 'k8s') target = { kind: 'all' };
  else throw usage('guard sysctl needs <host>, --host, --group or --all');
  return { kind, target, offline: values.offline, concurrency, inventory: values.inventory };
}
