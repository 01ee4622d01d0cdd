import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostConfig, Inventory } from '../../../src/domain/HostConfig';
import type { AlertEvent } from '../../../src/ingress/alerts/AlertEvent';
import { AlertMappingSchema, DEFAULT_ALERT_MAPPING } from '../../../src/config/AlertMappingSchema';
import type { AlertMapping } from '../../../src/config/AlertMappingSchema';
import { mapAlertTarget } from '../../../src/ingress/alerts/mapAlertTarget';
import { parseAlertPayload } from '../../../src/ingress/alerts/parseAlertPayload';
import { splitInstance } from '../../../src/ingress/alerts/splitInstance';
import { hostConfig } from '../../support/factories/hostConfig';

function host(name: string, address: string): HostConfig {
  return hostConfig({ name, address });
}

const inventory: Inventory = {
  path: '/etc/portbot/inventory.yaml',
  hosts: [
    host('lb-01', '10.0.0.11'),
    host('lb-02', 'lb-02.example.net'),
    host('lb-v6', '2001:DB8::1'),
    host('lb-03', '10.0.0.13'),
    host('node-exp', '10.108.0.2'),
    host('twin-a', '10.0.0.50'),
    host('twin-b', '10.0.0.50'),
  ],
  haGroups: [],
};

function event(
  labels: Record<string, string>,
  source: AlertEvent['source'] = 'alertmanager',
): AlertEvent {
  return {
    source,
    status: 'firing',
    labels,
    summary: '',
    startsAt: null,
    endsAt: null,
    fingerprint: null,
  };
}

const map = (labels: Record<string, string>, mapping: AlertMapping = DEFAULT_ALERT_MAPPING) =>
  mapAlertTarget(event(labels), inventory, mapping);

describe('splitInstance', () => {
  it.each<[string, ReturnType<typeof splitInstance>]>([
    ['10.0.0.11:443', { host: '10.0.0.11', port: '443' }],
    ['[2001:db8::1]:443', { host: '2001:db8::1', port: '443' }],
    ['[2001:db8::1]', { host: '2001:db8::1', port: null }],
    ['2001:db8::1', { host: '2001:db8::1', port: null }],
    ['lb-01.example:443', { host: 'lb-01.example', port: '443' }],
    ['lb-01', { host: 'lb-01', port: null }],
    ['lb-01:', { host: 'lb-01', port: null }],
    ['lb-01:http', { host: 'lb-01', port: 'http' }],
    ['  lb-01:80 ', { host: 'lb-01', port: '80' }],
    ['https://server.example.org', { host: 'server.example.org', port: '443' }],
    ['http://lb-01:8080/healthz', { host: 'lb-01', port: '8080' }],
    ['http://[2001:db8::1]/', { host: '2001:db8::1', port: '80' }],
    ['tcp://lb-01', { host: 'lb-01', port: null }],
    [':443', null],
    ['', null],
    ['http://', null],
  ])('%j', (instance, want) => {
    expect(splitInstance(instance)).toEqual(want);
  });
});

describe('mapAlertTarget with the default mapping', () => {
  it.each<[string, Record<string, string>, string, number]>([
    ['host and port labels', { host: 'lb-01', port: '80' }, 'lb-01', 80],
    ['instance by address', { instance: '10.0.0.11:443' }, 'lb-01', 443],
    ['instance by name', { instance: 'lb-03:8443' }, 'lb-03', 8443],
    [
      'instance by DNS address, case and trailing dot ignored',
      { instance: 'LB-02.example.net.:8443' },
      'lb-02',
      8443,
    ],
    ['bracketed IPv6 instance', { instance: '[2001:db8::1]:443' }, 'lb-v6', 443],
    [
      'URL instance takes the scheme default port',
      { instance: 'https://lb-02.example.net' },
      'lb-02',
      443,
    ],
    [
      'host label wins over instance host',
      { host: 'lb-03', instance: '10.0.0.11:443' },
      'lb-03',
      443,
    ],
    [
      'port label wins over instance port',
      { instance: '10.0.0.11:443', port: '8443' },
      'lb-01',
      8443,
    ],
    ['host label may be an address', { host: '10.0.0.13', port: '80' }, 'lb-03', 80],
    ['empty host label falls back to instance', { host: ' ', instance: 'lb-01:80' }, 'lb-01', 80],
  ])('%s', (_name, labels, wantHost, wantPort) => {
    expect(map(labels)).toEqual({ ok: true, host: wantHost, port: wantPort });
  });

  it.each<[string, Record<string, string>, string]>([
    ['unknown address', { instance: '10.9.9.9:443' }, "host '10.9.9.9' is not in the inventory"],
    ['unknown name', { host: 'lb-99', port: '80' }, "host 'lb-99' is not in the inventory"],
    ['no port anywhere', { instance: 'lb-01' }, 'no port in labels port/instance'],
    ['no host anywhere', { alertname: 'X' }, 'no host in labels host/instance'],
    [
      'instance without host',
      { instance: ':443' },
      "no host in labels host/instance (instance ':443' has no host)",
    ],
    [
      'bad port label',
      { host: 'lb-01', port: 'https' },
      "label port 'https': port must be an integer 1-65535",
    ],
    [
      'port label out of range',
      { host: 'lb-01', port: '65536' },
      "label port '65536': port must be an integer 1-65535",
    ],
    [
      'bad instance port',
      { instance: 'lb-01:http' },
      "instance 'lb-01:http' has port 'http': port must be an integer 1-65535",
    ],
    [
      'shared address is ambiguous',
      { instance: '10.0.0.50:80' },
      "address '10.0.0.50' belongs to several inventory hosts (twin-a, twin-b); add a host label to the alert",
    ],
    [
      'hostile host label is just an unknown name',
      { host: 'lb-01; rm -rf /\n$(id)', port: '80' },
      "host 'lb-01; rm -rf /?$(id)' is not in the inventory",
    ],
  ])('%s → %s', (_name, labels, reason) => {
    expect(map(labels)).toEqual({ ok: false, reason });
  });

  it('bounds a huge label in the reason', () => {
    const result = map({ host: 'h'.repeat(10_000), port: '80' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeLessThan(120);
  });
});

describe('mapAlertTarget with a configured mapping', () => {
  const custom = AlertMappingSchema.parse({
    hostLabels: ['hostname', 'node'],
    portLabels: ['lb_port'],
    instanceLabel: 'target',
    defaultPort: 443,
  });

  it.each<[Record<string, string>, unknown]>([
    [
      { hostname: 'lb-01', lb_port: '80' },
      { ok: true, host: 'lb-01', port: 80 },
    ],
    [{ node: 'lb-03' }, { ok: true, host: 'lb-03', port: 443 }],
    [{ target: '10.0.0.11:8080' }, { ok: true, host: 'lb-01', port: 8080 }],
    // the default labels mean nothing under this mapping
    [
      { host: 'lb-01', port: '80' },
      { ok: false, reason: 'no host in labels hostname/node/target' },
    ],
    [
      { hostname: 'lb-01', port: '80' },
      { ok: true, host: 'lb-01', port: 443 },
    ],
  ])('%j', (labels, want) => {
    expect(map(labels, custom)).toEqual(want);
  });

  it('generic events always use their host/port fields, whatever the mapping', () => {
    const parsed = parseAlertPayload('generic', { host: '10.0.0.11', port: 8443 });
    if (!parsed.ok) throw new Error(parsed.error);
    const [generic] = parsed.events;
    if (!generic) throw new Error('no event');
    expect(mapAlertTarget(generic, inventory, custom)).toEqual({
      ok: true,
      host: 'lb-01',
      port: 8443,
    });
  });
});

describe('AlertMappingSchema', () => {
  it('fills the documented defaults (docs/reference/service.md)', () => {
    expect(AlertMappingSchema.parse({})).toEqual(DEFAULT_ALERT_MAPPING);
  });

  it.each([
    [{ hostLabels: 'host' }, 'hostLabels'],
    [{ hostLabels: ['host-name'] }, 'hostLabels.0'],
    [{ instanceLabel: '' }, 'instanceLabel'],
    [{ defaultPort: 0 }, 'defaultPort'],
    [{ defaultPort: '443' }, 'defaultPort'],
    [{ hostlabels: ['host'] }, ''],
  ])('rejects %j', (input, field) => {
    const parsed = AlertMappingSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join('.')).toBe(field);
  });
});

describe('real payloads end to end (parse, then map)', () => {
  const FIXTURES = join(__dirname, '../../fixtures/alerts');
  const targets = (source: 'alertmanager' | 'grafana', file: string) => {
    const parsed = parseAlertPayload(source, readFileSync(join(FIXTURES, file), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.events.map((e) => mapAlertTarget(e, inventory, DEFAULT_ALERT_MAPPING));
  };

  it('Alertmanager firing group', () => {
    expect(targets('alertmanager', 'alertmanager-firing.json')).toEqual([
      { ok: true, host: 'lb-01', port: 443 },
      { ok: true, host: 'lb-01', port: 80 },
    ]);
  });

  it('Alertmanager instance shapes', () => {
    expect(targets('alertmanager', 'alertmanager-instances.json')).toEqual([
      { ok: true, host: 'lb-v6', port: 443 },
      { ok: true, host: 'lb-02', port: 8443 },
      // lb-03 is known, but its instance carries no port and the mapping has no default
      { ok: false, reason: 'no port in labels port/instance' },
    ]);
  });

  it('Grafana: node-exporter instance maps by address; the docs example has no host', () => {
    expect(targets('grafana', 'grafana-resolved.json')).toEqual([
      { ok: true, host: 'node-exp', port: 9100 },
    ]);
    expect(targets('grafana', 'grafana-docs-firing.json')).toEqual([
      { ok: false, reason: 'no host in labels host/instance' },
      { ok: false, reason: 'no host in labels host/instance' },
    ]);
  });
});
