import type { HostConfig, Inventory } from '../../domain/HostConfig';
import { isPortbotError } from '../../domain/PortbotError';
import { parsePort } from '../../domain/parsePort';
import type { AlertEvent } from './AlertEvent';
import type { AlertMapping } from '../../config/AlertMappingSchema';
import { quoteUntrusted } from '../quoteUntrusted';
import type { InstanceParts } from './splitInstance';
import { splitInstance } from './splitInstance';

export type AlertTargetResult =
  { ok: true; host: string; port: number } | { ok: false; reason: string };

// The generic endpoint's host and port are fields of the payload, not operator-chosen labels.
const GENERIC_MAPPING: AlertMapping = {
  hostLabels: ['host'],
  portLabels: ['port'],
  instanceLabel: 'instance',
};

/** Alert text is untrusted: show a bounded, single-line excerpt in reasons. */
function shown(value: string): string {
  return quoteUntrusted(value, 64);
}

function firstLabel(labels: Record<string, string>, names: readonly string[]) {
  for (const name of names) {
    const value = labels[name]?.trim();
    if (value) return { name, value };
  }
  return null;
}

function normaliseAddress(text: string): string {
  return text
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

function findTarget(inventory: Inventory, host: string): HostConfig | string {
  const byName = inventory.hosts.find((h) => h.name === host);
  if (byName) return byName;
  const wanted = normaliseAddress(host);
  const byAddress = inventory.hosts.filter((h) => normaliseAddress(h.address) === wanted);
  const [first] = byAddress;
  if (first && byAddress.length === 1) return first;
  if (byAddress.length > 1) {
    const names = byAddress.map((h) => h.name).join(', ');
    return `address ${shown(host)} belongs to several inventory hosts (${names}); add a host label to the alert`;
  }
  return `host ${shown(host)} is not in the inventory`;
}

function portFrom(text: string, where: string): number | string {
  try {
    return parsePort(text);
  } catch (err) {
    if (!isPortbotError(err)) throw err;
    return `${where} ${shown(text)}: port must be an integer 1-65535`;
  }
}

function portOf(
  labels: Record<string, string>,
  m: AlertMapping,
  instance: InstanceParts | null,
  instanceText: string,
): number | string {
  const label = firstLabel(labels, m.portLabels);
  if (label) return portFrom(label.value, `label ${label.name}`);
  if (instance && instance.port !== null) {
    return portFrom(instance.port, `${m.instanceLabel} ${shown(instanceText)} has port`);
  }
  if (m.defaultPort !== undefined) return m.defaultPort;
  return `no port in labels ${[...m.portLabels, m.instanceLabel].join('/')}`;
}

/**
 * Which inventory host and port an alert is about: host from the first host label, else the
 * host part of the instance label, matched against inventory names, then addresses; port from
 * the first port label, else the instance's port, else the mapping's default port.
 */
export function mapAlertTarget(
  event: AlertEvent,
  inventory: Inventory,
  mapping: AlertMapping,
): AlertTargetResult {
  const m = event.source === 'generic' ? GENERIC_MAPPING : mapping;
  const { labels } = event;
  const instanceText = labels[m.instanceLabel]?.trim() ?? '';
  const instance = instanceText === '' ? null : splitInstance(instanceText);

  const hostLabel = firstLabel(labels, m.hostLabels);
  const hostText = hostLabel?.value ?? instance?.host ?? null;
  if (hostText === null) {
    const tried = [...m.hostLabels, m.instanceLabel].join('/');
    const why =
      instanceText === '' ? '' : ` (${m.instanceLabel} ${shown(instanceText)} has no host)`;
    return { ok: false, reason: `no host in labels ${tried}${why}` };
  }
  const target = findTarget(inventory, hostText);
  if (typeof target === 'string') return { ok: false, reason: target };

  const port = portOf(labels, m, instance, instanceText);
  if (typeof port === 'string') return { ok: false, reason: port };

  return { ok: true, host: target.name, port };
}
