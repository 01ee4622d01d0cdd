import type { HostConfig } from '../domain/HostConfig';
import type { InventoryFile } from './inventorySchema';
import { withoutUndefined } from './withoutUndefined';

type HostEntry = InventoryFile['hosts'][number];
type Defaults = NonNullable<InventoryFile['defaults']>;

const BUILT_IN = {
  user: 'root',
  sudo: false,
  port: 22,
  connectTimeoutMs: 5000,
  commandTimeoutMs: 10000,
};

/** Applies `defaults` (then built-in defaults) to one host and makes its paths absolute. */
export function toHostConfig(h: HostEntry, d: Defaults, abs: (p: string) => string): HostConfig {
  const privateKeyPath = h.privateKeyPath ?? d.privateKeyPath;
  const knownHostsPath = h.knownHostsPath ?? d.knownHostsPath;
  const agentSocket = h.agentSocket ?? d.agentSocket;
  const passphraseEnv = h.passphraseEnv ?? d.passphraseEnv;
  const bindErrorWindowMinutes = h.bindErrorWindowMinutes ?? d.bindErrorWindowMinutes;
  return {
    name: h.name,
    address: h.address,
    port: h.port ?? BUILT_IN.port,
    user: h.user ?? d.user ?? BUILT_IN.user,
    sudo: h.sudo ?? d.sudo ?? BUILT_IN.sudo,
    connectTimeoutMs: h.connectTimeoutMs ?? d.connectTimeoutMs ?? BUILT_IN.connectTimeoutMs,
    commandTimeoutMs: h.commandTimeoutMs ?? d.commandTimeoutMs ?? BUILT_IN.commandTimeoutMs,
    labels: { ...(h.labels ?? {}) },
    ...(privateKeyPath !== undefined ? { privateKeyPath: abs(privateKeyPath) } : {}),
    ...(knownHostsPath !== undefined ? { knownHostsPath: abs(knownHostsPath) } : {}),
    ...(agentSocket !== undefined ? { agentSocket: abs(agentSocket) } : {}),
    ...(passphraseEnv !== undefined ? { passphraseEnv } : {}),
    ...(h.hostKey !== undefined ? { hostKey: h.hostKey } : {}),
    ...(h.haGroup !== undefined ? { haGroup: h.haGroup } : {}),
    ...(bindErrorWindowMinutes !== undefined ? { bindErrorWindowMinutes } : {}),
    ...(d.remediation !== undefined
      ? {
          remediation: {
            user: d.remediation.user,
            privateKeyPath: abs(d.remediation.privateKeyPath),
            // root needs no sudo; any other remediation user does unless the inventory says otherwise
            sudo: d.remediation.sudo ?? d.remediation.user !== 'root',
          },
        }
      : {}),
    ...(h.lb !== undefined
      ? {
          lb: {
            kind: h.lb.kind,
            ...(h.lb.pidFile !== undefined ? { pidFile: h.lb.pidFile } : {}),
            ...(h.lb.errorLog !== undefined ? { errorLog: h.lb.errorLog } : {}),
            ...(h.lb.unit !== undefined ? { unit: h.lb.unit } : {}),
            ...(h.lb.configFile !== undefined ? { configFile: h.lb.configFile } : {}),
            ...(h.lb.commands !== undefined ? { commands: withoutUndefined(h.lb.commands) } : {}),
            ...(h.lb.ports !== undefined ? { ports: [...h.lb.ports] } : {}),
          },
        }
      : {}),
  };
}
