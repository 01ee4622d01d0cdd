import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface IntakeBaseline {
  port: number;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Starts intakeBaselineServer as a process of its own, as serve is, and waits for its port. */
export async function startIntakeBaseline(
  redisUrl: string,
  bearer: string,
): Promise<IntakeBaseline> {
  const child = spawn(
    process.execPath,
    [join(__dirname, 'intakeBaselineServer.js'), redisUrl, bearer],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (b: Buffer): void => {
      out += b.toString();
      const m = /listening on :(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`intake baseline exited: ${out}`)));
  });
  return {
    port,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
