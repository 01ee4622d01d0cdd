import { randomBytes } from 'node:crypto';
import type { CommandRunner } from '../domain/CommandRunner';
import type { HaGroupConfig, HostConfig } from '../domain/HostConfig';
import { isIpAddress } from '../domain/isIpAddress';
import { PortbotError } from '../domain/PortbotError';
import type { HaProbe } from '../domain/ProbeResults';
import { haProbe } from './assembleProbeResults';
import { PROBE_SHELL_COMMAND, vipScript } from './catalogue';
import { splitSections } from './splitSections';

/** ip addr and pidof print a few lines; anything beyond this is not theirs. */
const MAX_OUTPUT_BYTES = 64 * 1024;

/**
 * Whether `host` holds its group's VIP, in one short exec: how the diagnosis of one member
 * learns about the others (vip-split-brain). Null when the check itself failed.
 */
export async function collectVipState(
  runner: CommandRunner,
  host: HostConfig,
  group: HaGroupConfig,
): Promise<HaProbe | null> {
  if (!isIpAddress(group.vip))
    throw new PortbotError('INVENTORY_INVALID', `haGroup ${group.name}: vip is not an IP address`);
  const nonce = randomBytes(12).toString('hex');
  const result = await runner.exec(host, PROBE_SHELL_COMMAND, {
    stdin: vipScript({ nonce, vip: group.vip }),
    maxOutputBytes: MAX_OUTPUT_BYTES,
  });
  const sections = splitSections(result.stdout, nonce);
  const missing: { code: string; detail: string }[] = [];
  const probe = haProbe(sections, group, missing);
  return missing.length > 0 ? null : probe;
}
