import { isIpAddress } from '../domain/isIpAddress';
import type { PortRange } from '../domain/ProbeResults';
import { parsePort } from '../domain/parsePort';
import { PortbotError } from '../domain/PortbotError';
import { reservedPortsValue } from '../domain/portRanges';
import { ssArgs } from '../probes/catalogue';
import { shellQuote as q } from '../probes/shellQuote';
import type { FourTuple } from './RemediationPlan';

/**
 * The remediation catalogue: the ONLY place where the text of portbot's own remediation commands
 * lives (LB and keepalived commands come from runbooks and the inventory). Values spliced in are
 * validated integers, IP addresses, or shell-quoted. Keep in step with deploy/sudoers.
 */

/** Same file name as the diagnosis advice, so a hand-applied fix and portbot's are one file. */
export const RESERVED_PORTS_DROP_IN = '/etc/sysctl.d/60-portbot-reserved-ports.conf';
const RESERVED_PORTS_KEY = 'net.ipv4.ip_local_reserved_ports';

export type Signal = 'TERM' | 'KILL';

function privileged(sudo: boolean, command: string): string {
  return sudo ? `sudo -n ${command}` : command;
}

function pid(value: number): number {
  if (!Number.isSafeInteger(value) || value < 2) {
    throw new PortbotError('INTERNAL', `not a pid that may be signalled: ${value}`, {
      userFacing: false,
    });
  }
  return value;
}

function ip(value: string): string {
  if (!isIpAddress(value)) {
    // The inventory and the probes are validated before a plan is made: this is a bug, not input.
    throw new PortbotError('INTERNAL', `not an IP address: ${JSON.stringify(value.slice(0, 64))}`, {
      userFacing: false,
    });
  }
  return value;
}

export function signalCommand(sudo: boolean, signal: Signal, target: number): string {
  return privileged(sudo, `kill -${signal} ${pid(target)}`);
}

/** What an operator would type to see who holds the port (the probe's own ss invocation). */
export function portCheckCommand(sudo: boolean, port: number): string {
  return privileged(sudo, ssArgs(parsePort(port)));
}

export function vipCheckCommand(vip: string): string {
  return `ip -o addr show to ${q(ip(vip))}`;
}

/** Ranges as the sysctl writes them: the port added, every existing entry kept, compacted. */
export function reservedPortsList(existing: readonly PortRange[], port: number): string {
  return reservedPortsValue([...existing, { from: port, to: port }]);
}

export function reservePortCommand(sudo: boolean, list: string): string {
  return privileged(sudo, `sysctl -w ${q(`${RESERVED_PORTS_KEY}=${list}`)}`);
}

/** The drop-in's one line; `portbot guard sysctl` prints the same. */
export function reservedPortsLine(list: string): string {
  return `${RESERVED_PORTS_KEY} = ${list}`;
}

/** `tee` rather than a redirect: with sudo, a `>` would run as the unprivileged user. */
export function persistReservedPortsCommand(sudo: boolean, list: string): string {
  return (
    `printf '%s\\n' ${q(reservedPortsLine(list))} | ` +
    privileged(sudo, `tee ${q(RESERVED_PORTS_DROP_IN)} >/dev/null`)
  );
}

function endpoint(address: string, port: number): string {
  const host = ip(address);
  return `${host.includes(':') ? `[${host}]` : host}:${parsePort(port)}`;
}

/** Ends exactly one TCP connection: both endpoints, addresses and ports, must match. */
export function closeConnectionCommand(sudo: boolean, c: FourTuple): string {
  const filter = `( src ${endpoint(c.localIp, c.localPort)} and dst ${endpoint(c.peerIp, c.peerPort)} )`;
  return privileged(sudo, `ss -K -tn ${q(filter)}`);
}

/** Runbook and inventory commands are operator-trusted text; only the privilege prefix is added. */
export function operatorCommand(sudo: boolean, command: string): string {
  return privileged(sudo, command.trim());
}
