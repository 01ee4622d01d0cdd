import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from this file whether it runs as .ts (jest) or from dist-dev/ (bench). */
function repoRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

export const PORTBOT_BIN = join(repoRoot(__dirname), 'dist', 'cli', 'main.js');

export interface PortbotProcess {
  child: ChildProcess;
  /** HTTP port of a `serve` process; 0 for workers. */
  port: number;
  output: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop: () => Promise<number | null>;
  kill: () => Promise<void>;
}

/**
 * Starts the compiled `portbot serve|worker` as a real process (`npm run build` first) and
 * waits until it is ready: serve prints its port, worker logs "worker started".
 */
export async function startPortbot(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
  opts: { cwd?: string } = {},
): Promise<PortbotProcess> {
  if (!existsSync(PORTBOT_BIN)) throw new Error(`${PORTBOT_BIN} missing: run npm run build first`);
  const child = spawn(process.execPath, [PORTBOT_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`portbot ${args.join(' ')} not ready in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on :(\d+)/.exec(out);
      if (m) done(Number(m[1]));
      else if (args[0] === 'worker' && out.includes('worker started')) done(0);
    };
    const done = (p: number) => {
      clearTimeout(timer);
      resolve(p);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`portbot ${args.join(' ')} exited ${code}:\n${out}`));
    });
  });
  return {
    child,
    port,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
