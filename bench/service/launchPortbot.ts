import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PortbotProcess } from '../../test/support/portbotProcess';
import { repoRoot } from '../benchFiles';

/**
 * test/support's startPortbot finds the binary relative to its own .ts file, which points into
 * dist/dist once compiled; the bench runs compiled, so it starts the same binary from the repo
 * root, with the same readiness rules (serve prints its port, worker logs "worker started").
 */
export async function launchPortbot(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<PortbotProcess> {
  const bin = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(bin)) throw new Error(`${bin} missing: run npm run build first`);
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
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
