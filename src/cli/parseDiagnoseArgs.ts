import { parseArgs } from 'node:util';
import { PortbotError } from '../domain/PortbotError';
import { parsePort } from '../domain/parsePort';
import { MAX_SAMPLE_MS } from '../probes/collectSamples';
import { DIAGNOSE_USAGE, usageFor } from './usage';
import { parseConcurrency } from './parseConcurrency';

export type DiagnoseTarget =
  { kind: 'host'; host: string } | { kind: 'group'; group: string } | { kind: 'all' };

export interface DiagnoseArgs {
  target: DiagnoseTarget;
  port: number;
  json: boolean;
  concurrency: number;
  inventory: string | undefined;
  /** `--sample`: how long to sample the port when it is free or healthy (ms); 0 = not asked. */
  sampleMs: number;
}

/** `20s`, `500ms`, `20` (seconds): 100 ms to MAX_SAMPLE_MS. */
export function parseSampleDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!m) return null;
  const ms = Math.round(Number(m[1]) * (m[2] === 'ms' ? 1 : 1000));
  return ms >= 100 && ms <= MAX_SAMPLE_MS ? ms : null;
}

function usage(message: string): PortbotError {
  return new PortbotError('USAGE', usageFor(DIAGNOSE_USAGE, message));
}

export function parseDiagnoseArgs(argv: string[]): DiagnoseArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        inventory: { type: 'string', short: 'i' },
        json: { type: 'boolean', default: false },
        group: { type: 'string', short: 'g' },
        all: { type: 'boolean', default: false },
        concurrency: { type: 'string', short: 'c' },
        sample: { type: 'string' },
      },
    });
  } catch (err) {
    throw usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  const concurrency = parseConcurrency(values.concurrency, usage);
  const sampleMs = values.sample === undefined ? 0 : parseSampleDuration(values.sample);
  if (sampleMs === null) {
    throw usage(
      `--sample must be a duration from 100ms to ${MAX_SAMPLE_MS / 1000}s (e.g. 20s), got ${JSON.stringify(values.sample)}`,
    );
  }
  if (values.all && values.group !== undefined) throw usage('--all and --group cannot be combined');
  const wanted = values.all || values.group !== undefined ? 1 : 2;
  if (positionals.length !== wanted) {
    throw usage(wanted === 1 ? 'expected exactly one port' : 'expected <host> <port>');
  }
  const port = parsePort(positionals[wanted - 1]);
  const target: DiagnoseTarget = values.all
    ? { kind: 'all' }
    : values.group !== undefined
      ? { kind: 'group', group: values.group }
      : { kind: 'host', host: positionals[0] ?? '' };
  return {
    target,
    port,
    json: values.json,
    concurrency,
    inventory: values.inventory,
    sampleMs,
  };
}
