import { isIpAddress } from '../domain/isIpAddress';
import { isUnitName } from '../domain/isUnitName';
import { parsePort } from '../domain/parsePort';
import { PortbotError } from '../domain/PortbotError';
import type { CatalogueParams, LbProbeParams, SweepCatalogueParams } from './catalogue';
import { probeScript } from './catalogue';

export interface ProbeScriptInput {
  port: number;
  nonce: string;
  sudo: boolean;
  lb: LbProbeParams | null;
  vip: string | null;
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
  if (!isUnitName(value)) {
    throw new PortbotError(
      'INVENTORY_INVALID',
      `lb.unit is not a systemd unit name: ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function vipAddress(value: string): string {
  if (!isIpAddress(value)) {
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
    port: parsePort(input.port),
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

/** The sweep batch's parameters, checked like the diagnosis batch's. */
export function validateSweepParams(p: SweepCatalogueParams): SweepCatalogueParams {
  return {
    nonce: validateNonce(p.nonce),
    sudo: p.sudo === true,
    lb: p.lb
      ? {
          configFile: absolutePath('configFile', p.lb.configFile),
          followIncludes: p.lb.followIncludes,
        }
      : null,
    vip: p.vip === null ? null : vipAddress(p.vip),
  };
}
