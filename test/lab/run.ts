import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

export interface RunResult {
  stdout: string;
  stderr: string;
  rc: number;
}

/** A clean environment: the harness's PATH may carry pyenv shims that hosts must not inherit. */
export const HOST_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C',
  LC_ALL: 'C',
};

/** Runs argv (no shell) and collects its output; rc -1 when killed by the timeout or a signal. */
export function run(
  argv: readonly string[],
  opts: { timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) return Promise.reject(new Error('run: empty argv'));
  return new Promise((resolve, reject) => {
    const input = opts.input;
    const child = spawn(cmd, args, {
      env: HOST_ENV,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        rc: code ?? -1,
      });
    });
    if (input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // a command that exits early must not crash the harness
      child.stdin.end(input);
    }
  });
}

/** Like run, but throws with the command's stderr when it does not exit 0. */
export async function runOk(
  argv: readonly string[],
  opts: { timeoutMs?: number; input?: string } = {},
): Promise<string> {
  const r = await run(argv, opts);
  if (r.rc !== 0)
    throw new Error(`${argv.join(' ')} exited ${r.rc}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/**
 * Starts a long-lived process detached from the harness, its output appended to logFile (or
 * discarded), and returns its pid without waiting for it.
 */
export function spawnDetached(argv: readonly string[], logFile?: string): number {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('spawnDetached: empty argv');
  const fd = logFile === undefined ? 'ignore' : openSync(logFile, 'a');
  try {
    const child = spawn(cmd, args, { env: HOST_ENV, detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
    return child.pid;
  } finally {
    if (typeof fd === 'number') closeSync(fd);
  }
}

export function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export function lines(s: string): string[] {
  return s.split('\n').filter((l) => l.trim() !== '');
}
