import { randomBytes } from 'node:crypto';
import type { CommandRunner } from '../domain/CommandRunner';
import type { HostConfig } from '../domain/HostConfig';
import type { PortSamples } from '../domain/ProbeResults';
import { validateNonce } from './buildProbeScript';
import {
  PROBE_SHELL_COMMAND,
  SAMPLE_INTERVAL_MS,
  describeSample,
  sampleScript,
  type SampleMode,
  type SampleParams,
} from './catalogue';
import { parsePortSamples } from './parsers/parsePortSamples';
import { capEvidence, firstLine } from './sectionText';
import { splitSections } from './splitSections';
import { parsePort } from '../domain/parsePort';

/** Longest sampling window accepted (CLI `--sample`, PORTBOT_SAMPLE_SECONDS). */
export const MAX_SAMPLE_MS = 60_000;
/** Bytes of sampling output read; LIMITS bound what the script prints well below this. */
const MAX_OUTPUT_BYTES = 512 * 1024;

export type SampleOutcome =
  { samples: PortSamples } | { missing: { code: string; detail: string } };

/**
 * Samples the port for `windowMs` in ONE exec (catalogue sampleScript, read-only, bounded):
 * the command may run that long, so its timeout is the window plus the host's command timeout.
 */
export async function collectSamples(
  runner: CommandRunner,
  host: HostConfig,
  port: number,
  opts: { windowMs: number; mode: SampleMode; nonce?: string },
): Promise<SampleOutcome> {
  const windowMs = Math.min(Math.max(opts.windowMs, SAMPLE_INTERVAL_MS), MAX_SAMPLE_MS);
  const params: SampleParams = {
    port: parsePort(port),
    nonce: validateNonce(opts.nonce ?? randomBytes(12).toString('hex')),
    sudo: host.sudo,
    windowMs,
    mode: opts.mode,
  };
  const result = await runner.exec(host, PROBE_SHELL_COMMAND, {
    stdin: sampleScript(params),
    maxOutputBytes: MAX_OUTPUT_BYTES,
    // The loop sleeps the window out; ss and date add a few ms a round on a loaded host.
    timeoutMs: windowMs * 2 + host.commandTimeoutMs,
  });
  const section = splitSections(result.stdout, params.nonce).get('sample');
  const parsed = section?.exitCode === 0 ? parsePortSamples(section.output) : null;
  if (!section || !parsed) {
    const why = firstLine(section?.output ?? result.stderr) || 'no output';
    return { missing: { code: 'sample-failed', detail: `sampling port ${port} failed: ${why}` } };
  }
  return {
    samples: {
      ...parsed,
      evidence: {
        probe: 'sample',
        command: describeSample(params),
        output: capEvidence('sample', section.output, section.exitCode),
      },
    },
  };
}
