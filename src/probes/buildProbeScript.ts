import { PortbotError } from '../domain/PortbotError';
import type { CatalogueParams, LbProbeParams } from './catalogue';
import { probeScript } from './catalogue';

export interface ProbeScriptInput {
  port: number;
  nonce: string;
  sudo: boolean;
  lb: LbProbeParams | null;
  vip: string | null;
}

/** Chat and alerts hand us "ports" of any shape; only a real integer 1-65535 goes any further. */
export function validatePort(port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PortbotError(
      'BAD_PORT',
      `port must be an integer 1-65535, got ${JSON.stringify(port)}`,
    );
  }
  return port;
}

export function validateNonce(nonce: string): string {
  if (!/^[A-Za-z0-9]{8,64}$/.test(nonce)) {
    throw new PortbotError('INTERNAL', 'probe nonce must be 8-64 letters or digits', {
      userFacing: false,
    });
  }
  return nonce;
}

// Values are quoted anyway; these checks keep them from being read as options (a leading "-")
// and keep sudoers rules, which need absolute paths, meaningful.
function absolutePath(field: string, value: string): string {
  if (!value.startsWith('/') || /[\0\n]/.test(value)) {
    throw new PortbotError(
      'INVENTORY_INVALID',
      `lb.${field} must be an absolute path, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function unitName(value: string): string {
  if (!/^[A-Za-z0-9@_:.\\][A-Za-z0-9@_:.\\-]*$/.test(value)) {
    throw new PortbotError(
      'INVENTORY_INVALID',
      `lb.unit is not a systemd unit name: ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function vipAddress(value: string): string {
  if (!/^[0-9A-Fa-f][0-9A-Fa-f:.]*$/.test(value)) {
    throw new PortbotError(
      'INVENTORY_INVALID',
      `haGroup vip is not an IP address: ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function configTest(value: string): string {
  if (value.trim() === '' || value.includes('\0')) {
    throw new PortbotError('RUNBOOK_INVALID', 'lb configTest command is empty');
  }
  return value;
}

/** Validate every parameter, then render the catalogue's one batched probe script. */
export function buildProbeScript(input: ProbeScriptInput): string {
  const params: CatalogueParams = {
    port: validatePort(input.port),
    nonce: validateNonce(input.nonce),
    sudo: input.sudo === true,
    lb: input.lb
      ? {
          kind: input.lb.kind,
          binary: absolutePath('binary', input.lb.binary),
          pidFile: absolutePath('pidFile', input.lb.pidFile),
          unit: unitName(input.lb.unit),
          errorLog: absolutePath('errorLog', input.lb.errorLog),
          configFile: absolutePath('configFile', input.lb.configFile),
          configTest: configTest(input.lb.configTest),
        }
      : null,
    vip: input.vip === null ? null : vipAddress(input.vip),
  };
  return probeScript(params);
}
