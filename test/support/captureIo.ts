import type { CliIo } from '../../src/cli/CliIo';

export interface CapturedIo extends CliIo {
  out: string[];
  err: string[];
}

/** A CliIo that records what a command printed, for in-process CLI tests. */
export function captureIo(env: Record<string, string | undefined> = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    now: () => performance.now(),
  };
}
