import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PORTBOT_BIN } from '../test/support/portbotProcess';
import { summarize, type Summary } from './stats';

/** Rounds of the three commands, one of each per round, so load on the machine hits all alike. */
const WARMUP_ROUNDS = 2;

export interface CliStartResult {
  runs: number;
  /** `node -e 0`: node's own start-up, the floor. */
  nodeMs: Summary;
  /** `portbot --help`: node + the CLI's fixed start-up. */
  helpMs: Summary;
  /** `portbot diagnose HOST PORT --json` on one bench host (cold connection): the user's wait. */
  diagnoseMs: Summary;
  /** The same without the CLI's compile cache (`PORTBOT_COMPILE_CACHE=off`): what it saves. */
  diagnoseNoCacheMs: Summary;
  /** diagnose p50 − node p50: what portbot adds to node's start-up, diagnosis included. */
  overNodeMs: number;
}

function timed(
  args: readonly string[],
  cache: string,
): Promise<{ ms: number; code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, PORTBOT_COMPILE_CACHE: cache };
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => out.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ ms: performance.now() - t0, code, out: Buffer.concat(out).toString() }),
    );
  });
}

async function once(args: readonly string[], what: string, cache = 'off'): Promise<number> {
  const r = await timed(args, cache);
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.out.trim().slice(0, 300)}`);
  return r.ms;
}

/**
 * The CLI's fixed cost (issue 12 item 3): node alone, `portbot --help` and a one-host
 * `portbot diagnose` (with its compile cache, then without) as new processes, start to exit,
 * interleaved round by round. The cache lives in a directory of this run only, filled by the
 * warm-up rounds, as a user's is by their first run.
 */
export async function measureCliStart(
  inventoryPath: string,
  host: string,
  port: number,
  runs: number,
): Promise<CliStartResult> {
  const node = ['-e', '0'];
  const help = [PORTBOT_BIN, '--help'];
  const diagnose = [PORTBOT_BIN, 'diagnose', host, String(port), '--inventory', inventoryPath];
  diagnose.push('--json');
  const samples = { node: [] as number[], help: [] as number[], diagnose: [] as number[] };
  const noCache: number[] = [];
  const cache = mkdtempSync(join(tmpdir(), 'portbot-bench-compile-cache-'));
  try {
    for (let i = 0; i < WARMUP_ROUNDS + runs; i++) {
      const n = await once(node, 'node -e 0');
      const h = await once(help, 'portbot --help', cache);
      const d = await once(diagnose, `portbot diagnose ${host}`, cache);
      const c = await once(diagnose, `portbot diagnose ${host} (no compile cache)`);
      if (i < WARMUP_ROUNDS) continue;
      samples.node.push(n);
      samples.help.push(h);
      samples.diagnose.push(d);
      noCache.push(c);
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  const nodeMs = summarize(samples.node);
  const diagnoseMs = summarize(samples.diagnose);
  return {
    runs,
    nodeMs,
    helpMs: summarize(samples.help),
    diagnoseMs,
    diagnoseNoCacheMs: summarize(noCache),
    overNodeMs: Math.round((diagnoseMs.p50 - nodeMs.p50) * 1000) / 1000,
  };
}
