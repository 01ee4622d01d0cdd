import { createHash } from 'node:crypto';
import { SshPool } from '../src/ssh/SshPool';
import { diagnoseMany } from '../src/usecases/diagnoseMany';
import { tallyVerdicts, type BenchContext } from './BenchContext';
import { RecordingRunner } from './RecordingRunner';

export interface ProbeCommand {
  /** The command line portbot ran on bench-01 (`exec /bin/sh -s`). */
  command: string;
  /** What it sent on stdin: the probe script, byte for byte (null when nothing was sent). */
  stdin: string | null;
  /** The script (or the command when there is no stdin): what the size and hash describe. */
  text: string;
  bytes: number;
  sha256: string;
  execsPerDiagnosis: number;
  /**
   * True when every bench host got a script of the same length: the text itself differs by a
   * per-exec nonce (output delimiter), so one host's script stands for all of them.
   */
  sameLengthForAllHosts: boolean;
}

/**
 * One unmeasured fan-out through a recording runner: it also warms the lab (first logins,
 * page cache) before anything is timed. Several execs per diagnosis would be joined with
 * newlines into one script for parallel-ssh.
 */
export async function captureProbeCommand(ctx: BenchContext): Promise<ProbeCommand> {
  const pool = new SshPool({ maxConcurrency: ctx.concurrency });
  const rec = new RecordingRunner(pool);
  try {
    const deps = { runner: rec, runbooks: ctx.runbooks, now: () => performance.now() };
    const results = await diagnoseMany(deps, ctx.inventory, ctx.hosts, ctx.port, ctx.concurrency);
    tallyVerdicts({}, results);
  } finally {
    await pool.close();
  }
  const byHost = new Map<string, string[]>();
  for (const c of rec.commands)
    byHost.set(c.host, [...(byHost.get(c.host) ?? []), c.stdin ?? c.command]);
  const firstName = ctx.hosts[0]?.name ?? '';
  const first = byHost.get(firstName);
  const firstExec = rec.commands.find((c) => c.host === firstName);
  if (!first || first.length === 0 || !firstExec)
    throw new Error('portbot sent no command to bench-01');
  const text = first.join('\n');
  return {
    command: firstExec.command,
    stdin: firstExec.stdin === null ? null : text,
    text,
    bytes: Buffer.byteLength(text),
    sha256: createHash('sha256').update(text).digest('hex'),
    execsPerDiagnosis: rec.commands.length / ctx.hosts.length,
    sameLengthForAllHosts: [...byHost.values()].every(
      (cmds) => cmds.join('\n').length === text.length,
    ),
  };
}
