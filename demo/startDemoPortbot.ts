import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

export interface DemoPortbot {
  child: ChildProcess;
  /** The local Slack's Web API base URL, ending in /api/. */
  slackApiUrl: string;
  exited: Promise<number | null>;
  /** The last lines portbot wrote, for a failure message. */
  tail: () => string;
}

/**
 * `portbot serve --with-worker` in local mode, its output in `logFile`. It runs under
 * `setpriv --pdeathsig SIGTERM`, so a demo that is killed outright takes portbot (and with it
 * portbot's embedded Redis) along. Resolves once serve listens and the local Slack is up.
 */
export async function startDemoPortbot(opts: {
  repo: string;
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  timeoutMs: number;
}): Promise<DemoPortbot> {
  const main = join(opts.repo, 'dist', 'cli', 'main.js');
  const child = spawn(
    'setpriv',
    ['--pdeathsig', 'SIGTERM', process.execPath, main, 'serve', '--with-worker'],
    { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = createWriteStream(opts.logFile);
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const seen = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`portbot not ready in ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    const onData = (b: Buffer) => {
      log.write(b);
      out = (out + b.toString()).slice(-20_000);
      const url = /"slackApiUrl":"([^"]+)"/.exec(out)?.[1];
      if (url && /portbot serve listening on :\d+/.test(out)) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`portbot exited ${code} while starting`));
    });
  });
  const tail = () => out.trimEnd().split('\n').slice(-8).join('\n');
  const slackApiUrl = await seen;
  return { child, slackApiUrl, exited, tail };
}
