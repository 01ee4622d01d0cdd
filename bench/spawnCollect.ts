import { spawn } from 'node:child_process';

export interface SpawnCollectOptions {
  /** Written to the child's stdin, then EOF; absent: stdin is closed (ignored). */
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Run in a process group of its own and kill the whole group on timeout: a child whose own
   * children inherit its pipes (ansible's forks) would otherwise keep 'close' from ever coming.
   */
  group?: boolean;
}

export interface Collected {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Spawn to close, from performance.now(). */
  wallMs: number;
}

/** Runs a command to its end, keeping stdout and stderr; SIGKILL after timeoutMs. */
export function spawnCollect(
  cmd: string,
  args: readonly string[],
  timeoutMs: number,
  o: SpawnCollectOptions = {},
): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, {
      stdio: [o.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(o.env ? { env: o.env } : {}),
      ...(o.group ? { detached: true } : {}),
    });
    if (o.stdin !== undefined) child.stdin?.end(o.stdin);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      try {
        if (o.group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        wallMs: performance.now() - started,
      });
    });
  });
}
