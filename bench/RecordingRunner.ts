import type { CommandRunner, ExecOptions, ExecResult } from '../src/domain/CommandRunner';
import type { HostConfig } from '../src/domain/HostConfig';

/**
 * Passes execs through and remembers what was sent, so parallel-ssh gets byte for byte the
 * command portbot really runs (not a re-typed approximation) and execs per diagnosis can be
 * checked.
 */
export class RecordingRunner implements CommandRunner {
  readonly commands: { host: string; command: string; stdin: string | null }[] = [];

  constructor(private readonly inner: CommandRunner) {}

  exec(host: HostConfig, command: string, opts?: ExecOptions): Promise<ExecResult> {
    this.commands.push({ host: host.name, command, stdin: opts?.stdin ?? null });
    return this.inner.exec(host, command, opts);
  }
}
