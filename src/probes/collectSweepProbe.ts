import { randomBytes } from 'node:crypto';
import type { CommandRunner } from '../domain/CommandRunner';
import type { HaGroupConfig, HostConfig } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import type { Runbook } from '../domain/Runbook';
import type { SweepProbe } from '../domain/SweepProbe';
import { assembleSweepProbe } from './assembleSweepProbe';
import { validateSweepParams } from './buildProbeScript';
import { PROBE_SHELL_COMMAND, sweepScript, type SweepCatalogueParams } from './catalogue';
import { splitSections } from './splitSections';

/** Every listener of a busy host, the config and its includes fit well inside this. */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/** Sweep one host in ONE exec (read-only): the catalogue's sweep batch, split and parsed. */
export async function collectSweepProbe(
  runner: CommandRunner,
  host: HostConfig,
  lb: Runbook | null,
  ha: HaGroupConfig | null,
  opts: { nonce?: string } = {},
): Promise<SweepProbe> {
  const params: SweepCatalogueParams = validateSweepParams({
    nonce: opts.nonce ?? randomBytes(12).toString('hex'),
    sudo: host.sudo,
    lb: lb
      ? { configFile: lb.configFile, followIncludes: lb.configListen === 'nginx-listen' }
      : null,
    vip: ha?.vip ?? null,
  });
  const result = await runner.exec(host, PROBE_SHELL_COMMAND, {
    maxOutputBytes: MAX_OUTPUT_BYTES,
    stdin: sweepScript(params),
  });
  const sections = splitSections(result.stdout, params.nonce);
  if (sections.size === 0) {
    const why = result.stderr.trim().split('\n')[0] ?? '';
    throw new PortbotError(
      'PROBE_FAILED',
      `sweep script produced no sections on ${host.name} (exit ${result.code ?? result.signal ?? '?'})${why ? `: ${why}` : ''}`,
    );
  }
  const probe = assembleSweepProbe({ host: host.name, params, lb, ha, sections });
  if (result.truncated) {
    probe.missing.push({
      code: 'probe-output-truncated',
      detail: `sweep output was cut at ${MAX_OUTPUT_BYTES} bytes: the sections after the cut are missing`,
    });
  }
  return probe;
}
