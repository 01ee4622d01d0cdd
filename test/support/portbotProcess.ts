import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const PORTBOT_BIN = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

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
): Promise<PortbotProcess> {
  if (!existsSync(PORTBOT_BIN)) throw new Error(`${PORTBOT_BIN} missing: run npm run build first`);
  const child = spawn(process.execPath, [PORTBOT_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`portbot ${args.join(' ')} not ready:\n${out}`)),
      timeoutMs,
    );
    const check = () => {
      const m = /listening on :(\d+)/.exec(out);
      if (m) return done(Number(m[1]));
      if (args[0] === 'worker' && out.includes('worker started')) return done(0);
    };
    const done = (p: number) => {
      clearTimeout(timer);
      resolve(p);
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    void exited.then((code) =>
      reject(new Error(`portbot ${args.join(' ')} exited ${code}:\n${out}`)),
    );
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
