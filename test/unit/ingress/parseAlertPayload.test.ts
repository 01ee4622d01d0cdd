import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALERT_BODY_LIMIT_BYTES } from '../../../src/ingress/alerts/alertLimits';
import type { AlertSource } from '../../../src/ingress/alerts/AlertEvent';
import {
  parseAlertPayload,
  SUMMARY_MAX_CHARS,
} from '../../../src/ingress/alerts/parseAlertPayload';

const FIXTURES = join(__dirname, '../../fixtures/alerts');
const fixtureText = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const fixture = (name: string) => JSON.parse(fixtureText(name)) as Record<string, unknown>;

function events(source: AlertSource, body: unknown) {
  const result = parseAlertPayload(source, body);
  if (!result.ok) throw new Error(`expected success, got: ${result.error}`);
  return result.events;
}

function errorOf(source: AlertSource, body: unknown): string {
  const result = parseAlertPayload(source, body);
  if (result.ok) throw new Error('expected the payload to be rejected');
  return result.error;
}

describe('parseAlertPayload: real Alertmanager 0.25 payloads', () => {
  it('turns a firing group into one event per alert', () => {
    expect(events('alertmanager', fixture('alertmanager-firing.json'))).toEqual([
      {
        source: 'alertmanager',
        status: 'firing',
        labels: {
          alertname: 'LbPortDown',
          instance: '10.0.0.11:443',
          job: 'blackbox',
          severity: 'critical',
        },
        summary: 'HTTPS on 10.0.0.11:443 is not answering',
        startsAt: '2026-11-21T23:49:30Z',
        endsAt: null, // Go's zero time while firing
        fingerprint: '28ec477b448c5ca3',
      },
      {
        source: 'alertmanager',
        status: 'firing',
        labels: {
          alertname: 'LbPortDown',
          host: 'lb-01',
          job: 'blackbox',
          port: '80',
          severity: 'critical',
        },
        summary: 'HTTP on lb-01:80 is not answering',
        startsAt: '2026-11-21T23:49:30Z',
        endsAt: null,
        fingerprint: '686734921a22b28d',
      },
    ]);
  });

  it('keeps endsAt and the same fingerprints when the group resolves', () => {
    const got = events('alertmanager', fixture('alertmanager-resolved.json'));
    expect(got.map((e) => [e.status, e.endsAt, e.fingerprint])).toEqual([
      ['resolved', '2026-11-21T23:49:35Z', '28ec477b448c5ca3'],
      ['resolved', '2026-11-21T23:49:35Z', '686734921a22b28d'],
    ]);
  });

  it('accepts the raw body as text or Buffer, exactly as received', () => {
    const text = fixtureText('alertmanager-instances.json');
    const fromText = events('alertmanager', text);
    expect(fromText).toHaveLength(3);
    expect(events('alertmanager', Buffer.from(text))).toEqual(fromText);
    expect(fromText.map((e) => e.labels.instance)).toEqual([
      '[2001:db8::1]:443',
      'lb-02.example.net:8443',
      'lb-03',
    ]);
  });
});

describe('parseAlertPayload: Grafana payloads', () => {
  it('parses the documented example (values, silenceURL, orgId, title ignored)', () => {
    const got = events('grafana', fixture('grafana-docs-firing.json'));
    expect(got).toHaveLength(2);
    expect(got[0]).toEqual({
      source: 'grafana',
      status: 'firing',
      labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
      summary: 'This alert was triggered for zone us-1',
      startsAt: '2021-10-12T09:51:03.157076+02:00',
      endsAt: null,
      fingerprint: 'c6eadffa33fcdf37',
    });
    expect(got[1]?.fingerprint).toBe('bc97ff14869b13e3');
  });

  it('parses a payload captured from a real Grafana (resolved, state ok)', () => {
    expect(events('grafana', fixtureText('grafana-resolved.json'))).toEqual([
      {
        source: 'grafana',
        status: 'resolved',
        labels: {
          alertname: 'Load avg 15m too high',
          grafana_folder: 'Node alerts',
          instance: '10.108.0.2:9100',
          job: 'node-exporter',
        },
        summary: '15m load average too high',
        startsAt: '2024-03-15T02:28:00Z',
        endsAt: '2024-03-15T02:42:00Z',
        fingerprint: 'becbfb94bd81ef48',
      },
    ]);
  });

  it('also accepts Grafana payloads on the Alertmanager endpoint (same alert shape)', () => {
    expect(events('alertmanager', fixture('grafana-resolved.json'))[0]?.status).toBe('resolved');
  });

  it('rejects a Grafana alert whose values are not numbers', () => {
    const body = fixture('grafana-resolved.json');
    const alerts = body.alerts as Record<string, unknown>[];
    alerts[0] = { ...alerts[0], values: { B: 'high' } };
    expect(errorOf('grafana', body)).toBe(
      "malformed grafana payload: alerts[0].values.B: expected a number, got 'high'",
    );
  });
});

describe('parseAlertPayload: generic payloads', () => {
  it('puts host and port into labels so the default mapping finds them', () => {
    expect(
      events('generic', { host: 'lb-01', port: 443, status: 'resolved', summary: 'TLS down' }),
    ).toEqual([
      {
        source: 'generic',
        status: 'resolved',
        labels: { host: 'lb-01', port: '443' },
        summary: 'TLS down',
        startsAt: null,
        endsAt: null,
        fingerprint: null,
      },
    ]);
  });

  it.each([
    ['status defaults to firing', { host: 'lb-01', port: 80 }, 'firing', 'lb-01:80'],
    ['port may be a decimal string', { host: 'lb-01', port: '8443' }, 'firing', 'lb-01:8443'],
    [
      'unknown fields are ignored',
      { host: 'lb-01', port: 80, team: 'sre', n: [1] },
      'firing',
      'lb-01:80',
    ],
  ])('%s', (_name, body, status, summary) => {
    const [event] = events('generic', body);
    expect(event?.status).toBe(status);
    expect(event?.summary).toBe(summary);
  });

  it('explicit host/port win over same-named labels', () => {
    const [event] = events('generic', {
      host: 'lb-02',
      port: 443,
      labels: { host: 'lb-01', port: '80', site: 'fra1' },
    });
    expect(event?.labels).toEqual({ host: 'lb-02', port: '443', site: 'fra1' });
  });
});

describe('parseAlertPayload: permissive where it is safe', () => {
  const minimal = { alerts: [{ status: 'firing', labels: { host: 'lb-01' } }] };

  it('needs only alerts[].status; labels/annotations may be null (Go nil maps)', () => {
    expect(events('alertmanager', minimal)).toEqual([
      {
        source: 'alertmanager',
        status: 'firing',
        labels: { host: 'lb-01' },
        summary: '',
        startsAt: null,
        endsAt: null,
        fingerprint: null,
      },
    ]);
    const nulls = {
      commonAnnotations: null,
      alerts: [{ status: 'resolved', labels: null, annotations: null }],
    };
    expect(events('alertmanager', nulls)[0]?.labels).toEqual({});
  });

  it('an empty alerts list is valid and yields no events', () => {
    expect(events('alertmanager', { ...fixture('alertmanager-firing.json'), alerts: [] })).toEqual(
      [],
    );
  });

  it.each([
    [{ summary: ' S ', description: 'D' }, { alertname: 'A' }, 'S'],
    [{ description: 'D', message: 'M' }, { alertname: 'A' }, 'D'],
    [{ message: 'M' }, { alertname: 'A' }, 'M'],
    [{}, { alertname: 'A' }, 'A'],
  ])(
    'summary falls back from summary to description, message, alertname (%j)',
    (annotations, labels, want) => {
      const [event] = events('alertmanager', {
        alerts: [{ status: 'firing', labels, annotations }],
      });
      expect(event?.summary).toBe(want);
    },
  );

  it('clips very long summaries', () => {
    const long = 'x'.repeat(SUMMARY_MAX_CHARS * 3);
    const [event] = events('alertmanager', {
      alerts: [{ status: 'firing', annotations: { summary: long } }],
    });
    expect(event?.summary).toHaveLength(SUMMARY_MAX_CHARS);
    expect(event?.summary.endsWith('…')).toBe(true);
  });

  it('handles 10,000 alerts in one payload (the body limit bounds it in practice)', () => {
    const alerts = Array.from({ length: 10_000 }, (_, i) => ({
      status: 'firing',
      labels: { host: `lb-${i}`, port: '443' },
    }));
    const body = JSON.stringify({ alerts });
    // the HTTP layer refuses such a body with 413 before parsing; the parser still copes
    expect(Buffer.byteLength(body)).toBeGreaterThan(ALERT_BODY_LIMIT_BYTES);
    const got = events('alertmanager', body);
    expect(got).toHaveLength(10_000);
    expect(got[9999]?.labels.host).toBe('lb-9999');
  });
});

describe('parseAlertPayload: malformed payloads get a 400-worthy message', () => {
  const good = fixture('alertmanager-firing.json');
  const withAlert = (patch: Record<string, unknown>) => ({
    ...good,
    alerts: [{ ...(good.alerts as Record<string, unknown>[])[0], ...patch }],
  });

  it.each<[string, AlertSource, unknown, string]>([
    [
      'not JSON',
      'alertmanager',
      '{"alerts": [',
      'malformed alertmanager payload: body is not valid JSON (',
    ],
    [
      'a list at the top',
      'alertmanager',
      [],
      'malformed alertmanager payload: (top level): expected a JSON object, got a list',
    ],
    [
      'null body',
      'grafana',
      null,
      'malformed grafana payload: (top level): expected a JSON object, got null',
    ],
    [
      'a number',
      'generic',
      42,
      'malformed generic payload: (top level): expected a JSON object, got 42',
    ],
    [
      'missing alerts',
      'alertmanager',
      { ...good, alerts: undefined },
      'malformed alertmanager payload: alerts: missing; expected a list of alerts',
    ],
    [
      'alerts is a mapping',
      'alertmanager',
      { alerts: { a: 1 } },
      'malformed alertmanager payload: alerts: expected a list of alerts, got a mapping',
    ],
    [
      'alert is a string',
      'alertmanager',
      { alerts: ['firing'] },
      "malformed alertmanager payload: alerts[0]: expected an alert object, got 'firing'",
    ],
    [
      'status missing',
      'alertmanager',
      withAlert({ status: undefined }),
      "malformed alertmanager payload: alerts[0].status: missing; expected 'firing' or 'resolved'",
    ],
    [
      'status pending',
      'alertmanager',
      withAlert({ status: 'pending' }),
      "malformed alertmanager payload: alerts[0].status: expected 'firing' or 'resolved', got 'pending'",
    ],
    [
      'label value a number',
      'alertmanager',
      withAlert({ labels: { host: 'lb-01', port: 443 } }),
      'malformed alertmanager payload: alerts[0].labels.port: expected a string label value, got 443',
    ],
    [
      'labels a list',
      'alertmanager',
      withAlert({ labels: ['host=lb-01'] }),
      'malformed alertmanager payload: alerts[0].labels: expected a mapping of labels, got a list',
    ],
    [
      'annotation not a string',
      'grafana',
      withAlert({ annotations: { summary: { text: 'x' } } }),
      'malformed grafana payload: alerts[0].annotations.summary: expected a string annotation value, got a mapping',
    ],
    [
      'startsAt not a time',
      'alertmanager',
      withAlert({ startsAt: 'yesterday' }),
      "malformed alertmanager payload: alerts[0].startsAt: expected an RFC 3339 timestamp, got 'yesterday'",
    ],
    [
      'startsAt a number',
      'alertmanager',
      withAlert({ startsAt: 1700000000 }),
      'malformed alertmanager payload: alerts[0].startsAt: expected an RFC 3339 timestamp, got 1700000000',
    ],
    [
      'fingerprint a number',
      'alertmanager',
      withAlert({ fingerprint: 12 }),
      'malformed alertmanager payload: alerts[0].fingerprint: expected a string, got 12',
    ],
    [
      'group status wrong',
      'alertmanager',
      { ...good, status: 'FIRING' },
      "malformed alertmanager payload: status: expected 'firing' or 'resolved', got 'FIRING'",
    ],
    [
      'truncatedAlerts negative',
      'alertmanager',
      { ...good, truncatedAlerts: -1 },
      'malformed alertmanager payload: truncatedAlerts: expected a count, got -1',
    ],
    [
      'commonLabels a string',
      'alertmanager',
      { ...good, commonLabels: 'job=x' },
      "malformed alertmanager payload: commonLabels: expected a mapping of labels, got 'job=x'",
    ],
    [
      'grafana orgId a string',
      'grafana',
      { ...good, orgId: '1' },
      "malformed grafana payload: orgId: expected an organisation id, got '1'",
    ],
    [
      'generic without host',
      'generic',
      { port: 80 },
      'malformed generic payload: host: missing; expected an inventory host name or address',
    ],
    [
      'generic empty host',
      'generic',
      { host: '  ', port: 80 },
      "malformed generic payload: host: expected an inventory host name or address, got ''",
    ],
    [
      'generic without port',
      'generic',
      { host: 'lb-01' },
      'malformed generic payload: port: missing; port must be an integer 1-65535',
    ],
    [
      'generic port 0',
      'generic',
      { host: 'lb-01', port: 0 },
      'malformed generic payload: port: port must be an integer 1-65535, got 0',
    ],
    [
      'generic port 70000',
      'generic',
      { host: 'lb-01', port: 70000 },
      'malformed generic payload: port: port must be an integer 1-65535, got 70000',
    ],
    [
      'generic port 80.5',
      'generic',
      { host: 'lb-01', port: 80.5 },
      'malformed generic payload: port: port must be an integer 1-65535, got 80.5',
    ],
    [
      'generic port injection',
      'generic',
      { host: 'lb-01', port: '80; touch /tmp/pwned' },
      "malformed generic payload: port: port must be an integer 1-65535, got '80; touch /tmp/pwned'",
    ],
    [
      'generic port boolean',
      'generic',
      { host: 'lb-01', port: true },
      'malformed generic payload: port: port must be an integer 1-65535, got true',
    ],
    [
      'generic status unknown',
      'generic',
      { host: 'lb-01', port: 80, status: 'ok' },
      "malformed generic payload: status: expected 'firing' or 'resolved', got 'ok'",
    ],
  ])('%s', (_name, source, body, want) => {
    const error = errorOf(source, body);
    if (want.endsWith('(')) expect(error.startsWith(want)).toBe(true);
    else expect(error).toBe(want);
  });

  it('lists the first five problems and counts the rest', () => {
    const alerts = Array.from({ length: 10_000 }, () => ({ status: 'bogus' }));
    const error = errorOf('alertmanager', { alerts });
    expect(error.split('; ')).toHaveLength(6);
    expect(error).toContain("alerts[4].status: expected 'firing' or 'resolved', got 'bogus'");
    expect(error.endsWith('and 9995 more problems')).toBe(true);
  });

  it('shows bad values shortened and on one line', () => {
    const error = errorOf('alertmanager', withAlert({ status: `firing\n${'x'.repeat(500)}` }));
    expect(error).not.toContain('\n');
    expect(error.length).toBeLessThan(200);
  });
});
