import { parseArgs } from 'node:util';
import { PortbotError } from '../domain/PortbotError';
import { DOCTOR_USAGE, usageFor } from './usage';

export interface DoctorArgs {
  inventory: string | undefined;
  policy: string | undefined;
  json: boolean;
  concurrency: number;
  timeoutMs: number;
}

function usage(message: string): PortbotError {
  return new PortbotError('USAGE', usageFor(DOCTOR_USAGE, message));
}

function intFlag(name: string, raw: string | undefined, min: number, max: number, dflt: number) {
  const value = raw === undefined ? dflt : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw usage(`--${name} must be an integer ${min}-${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function parseDoctorArgs(argv: string[]): DoctorArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        inventory: { type: 'string', short: 'i' },
        policy: { type: 'string' },
        json: { type: 'boolean', default: false },
        concurrency: { type: 'string', short: 'c' },
        timeout: { type: 'string' },
      },
    });
  } catch (err) {
    throw usage((err as Error).message);
  }
  const { values } = parsed;
  return {
    inventory: values.inventory,
    policy: values.policy,
    json: values.json,
    concurrency: intFlag('concurrency', values.concurrency, 1, 500, 16),
    timeoutMs: intFlag('timeout', values.timeout, 100, 60_000, 5000),
  };
}
