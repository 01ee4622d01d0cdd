import { randomBytes } from 'node:crypto';
import type { CommandRunner } from '../domain/CommandRunner';
import type { HaGroupConfig, HostConfig } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import type { ProbeResults } from '../domain/ProbeResults';
import type { Runbook } from '../domain/Runbook';
import { assembleProbeResults } from './assembleProbeResults';
import { buildProbeScript } from './buildProbeScript';
import type { CatalogueParams } from './catalogue';
import { splitSections } from './splitSections';
import { PROBE_SHELL_COMMAND } from './catalogue';
import { lbProbeParams } from './lbProbeParams';

export type { ProbeResults } from '../domain/ProbeResults';

/** ss (2000 lines), logs (64 KiB), config (256 KiB) and /proc reads fit well inside this. */
const MAX_OUTPUT_BYTES = 2 * 1024 * 1024;

/**
 * Probe one host for one port in ONE exec (one SSH round trip): run the catalogue's batch
 * script, split its nonce-delimited sections and parse each. `lb` is the runbook with the
 * host's overrides applied (config/resolveLb). Throws BAD_PORT before any I/O for a bad port.
 */
export async function collectProbes(
  runner: CommandRunner,
  host: HostConfig,
  port: number,
  lb: Runbook | null,
  ha: HaGroupConfig | null,
  opts: { nonce?: string } = {},
): Promise<ProbeResults> {
  const params: CatalogueParams = {
    port,
    nonce: opts.nonce ?? randomBytes(12).toString('hex'),
    sudo: host.sudo,
    lb: lb ? lbProbeParams(lb) : null,
    vip: ha?.vip ?? null,
  };
  const script = buildProbeScript(params);
  const result = await runner.exec(host, PROBE_SHELL_COMMAND, {
    maxOutputBytes: MAX_OUTPUT_BYTES,
    stdin: script,
  });
  const sections = splitSections(result.stdout, params.nonce);
  if (sections.size === 0) {
    const why = result.stderr.trim().split('\n')[0] ?? '';
    throw new PortbotError(
      'PROBE_FAILED',
      `probe script produced no sections on ${host.name} (exit ${result.code ?? result.signal ?? '?'})${why ? `: ${why}` : ''}`,
    );
  }
  const probes = assembleProbeResults({
    host: host.name,
    params,
    lb,
    ha,
    sections,
    stderr: result.stderr,
  });
  if (result.truncated) {
    probes.missing.push({
      code: 'probe-output-truncated',
      detail: `probe output was cut at ${MAX_OUTPUT_BYTES} bytes: the sections after the cut are missing`,
    });
  }
  return probes;
}
