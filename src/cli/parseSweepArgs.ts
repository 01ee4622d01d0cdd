import { parseArgs } from 'node:util';
import type { FleetScope } from '../domain/FleetScope';
import { PortbotError } from '../domain/PortbotError';
import { SWEEP_USAGE, usageFor } from './usage';
import { parseConcurrency } from './parseConcurrency';

export interface SweepArgs {
  scope: FleetScope;
  json: boolean;
  concurrency: number;
  inventory: string | undefined;
}

function usage(message: string): PortbotError {
  return new PortbotError('USAGE', usageFor(SWEEP_USAGE, message));
}

/** `portbot sweep [--group G | --all] [--json]`; neither --group nor --all sweeps every host. */
export function parseSweepArgs(argv: string[]): SweepArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        inventory: { type: 'string', short: 'i' },
        json: { type: 'boolean', default: false },
        group: { type: 'string', short: 'g' },
        all: { type: 'boolean', default: false },
        concurrency: { type: 'string', short: 'c' },
      },
    });
  } catch (err) {
    throw usage((err as Error).message);
  }
  const { values } = parsed;
  if (values.all && values.group !== undefined) throw usage('--all and --group cannot be combined');
  const concurrency = parseConcurrency(values.concurrency, usage);
  const scope: FleetScope =
    values.group !== undefined ? { kind: 'group', group: values.group } : { kind: 'all' };
  return { scope, json: values.json, concurrency, inventory: values.inventory };
}
