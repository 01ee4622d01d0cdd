import type { BenchContext } from './BenchContext';
import { measureRuns, type ProcessPhaseResult } from './measureProcesses';
import type { FailedPhase } from './reportTable';
import {
  ansibleInstalled,
  ANSIBLE_BIN,
  controlMasters,
  rawProbeCommand,
  runAnsible,
  ticksOf,
  type AnsibleSetup,
} from './runAnsible';

export interface AnsiblePhaseResult extends ProcessPhaseResult {
  /** ControlPersist masters alive after the unmeasured first run (one per host expected). */
  controlMasters: number;
  /** Characters of the `-m raw` command line carrying the script. */
  commandChars: number;
}

/**
 * Ansible ad-hoc, warm: the unmeasured first run opens one ControlPersist master per host, the
 * measured runs go through them. Client CPU is ansible, its forks and the mux clients (our
 * reaped children) plus what the detached masters burned meanwhile. Every run must report every
 * host CHANGED with rc=0; anything else fails the phase with the first failure line.
 */
export async function measureAnsibleWarm(
  ctx: BenchContext,
  setup: AnsibleSetup,
  script: string,
  runs: number,
): Promise<AnsiblePhaseResult | FailedPhase> {
  if (!ansibleInstalled()) return { error: `${ANSIBLE_BIN} not found (Debian package ansible)` };
  const command = rawProbeCommand(script);
  let masters: number[] = [];
  let opened = false;
  const once = async (): Promise<number> => {
    const r = await runAnsible(setup, ctx.hosts, command);
    if (r.succeeded !== ctx.hosts.length || r.exitCode !== 0) {
      throw new Error(
        `ansible succeeded on ${r.succeeded}/${ctx.hosts.length} hosts (rc ${r.exitCode}): ${r.problem ?? ''}`,
      );
    }
    if (!opened) {
      opened = true;
      masters = controlMasters(setup);
      if (masters.length !== ctx.hosts.length) {
        throw new Error(
          `${masters.length} ControlPersist masters for ${ctx.hosts.length} hosts after the first run: the measured runs would not be warm`,
        );
      }
    }
    return r.wallMs;
  };
  try {
    const phase = await measureRuns(
      ctx,
      `${ctx.hosts.length} hosts, ansible -m raw (warm)`,
      runs,
      once,
      {
        detachedTicks: () => ticksOf(masters),
      },
    );
    // A master that died and came back would have paid a new login inside a measured run.
    const after = new Set(controlMasters(setup));
    if (masters.some((pid) => !after.has(pid)) || after.size !== masters.length) {
      throw new Error('the ControlPersist masters changed during the measured runs');
    }
    return { ...phase, controlMasters: masters.length, commandChars: command.length };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    // Ours, found by the scratch folder in their title: they would idle on for 60 s otherwise.
    for (const pid of controlMasters(setup)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}
