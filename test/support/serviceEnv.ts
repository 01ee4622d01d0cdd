import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_SLACK_TOKEN } from '../../src/localSlack/LocalSlackStore';
import { TEST_APP_TOKEN } from './localSlack/startTestSlack';
import type { SlackMode } from './slackTransport';
import { testRedisUrl } from './testRedis';
import { TEST_APPROVAL_KEY } from './testSigner';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const ALERT_TOKEN = 'test-alert-token-0123456789abcdef';
export const ALERT_CHANNEL = 'C0ALERTS';
export const ALLOWED_USER = 'U0ALICE';

/**
 * Environment for real `portbot serve|worker` processes against the stand-in, a Redis db and the
 * lab. Socket Mode (`mode: 'socket'`) drops the signing secret, which that mode does not need.
 */
export function serviceEnv(opts: {
  slackApiUrl: string;
  redisDb: number;
  inventory: string;
  mode?: SlackMode;
  /** Socket Mode's app-level token; default TEST_APP_TOKEN. */
  appToken?: string;
  /** The policy's `workspaces`; absent allows any. */
  workspaces?: string[];
  extra?: Record<string, string>;
}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'portbot-svc-'));
  const policy = join(dir, 'policy.yaml');
  writeFileSync(
    policy,
    `commands:\n  channels: ["${ALERT_CHANNEL}"]\n  users: ["${ALLOWED_USER}"]\n` +
      (opts.workspaces ? `workspaces: ${JSON.stringify(opts.workspaces)}\n` : ''),
  );
  const slack =
    opts.mode === 'socket'
      ? { SLACK_MODE: 'socket', SLACK_APP_TOKEN: opts.appToken ?? TEST_APP_TOKEN }
      : { SLACK_SIGNING_SECRET: SIGNING_SECRET };
  return {
    SLACK_BOT_TOKEN: LOCAL_SLACK_TOKEN,
    ...slack,
    SLACK_API_URL: opts.slackApiUrl,
    PORTBOT_ALERT_TOKEN: ALERT_TOKEN,
    PORTBOT_ALERT_CHANNEL: ALERT_CHANNEL,
    PORTBOT_APPROVAL_KEY: TEST_APPROVAL_KEY,
    PORTBOT_POLICY: policy,
    PORTBOT_INVENTORY: opts.inventory,
    REDIS_URL: testRedisUrl(opts.redisDb),
    PORTBOT_HTTP_PORT: '0',
    LOG_LEVEL: 'info',
    // Suites open dozens of incidents a minute on purpose; the cap has its own test.
    PORTBOT_NEW_INCIDENTS_PER_MINUTE: '1000',
    // An alert on a free or healthy port would be sampled for 20 s; sampling has its own suite.
    PORTBOT_SAMPLE_SECONDS: '0',
    ...opts.extra,
  };
}

/** An inventory of one host nobody connects to: serve alone never opens SSH. */
export function writeIdleInventory(dir: string): string {
  writeFileSync(join(dir, 'id_ed25519'), 'not a real key');
  writeFileSync(join(dir, 'known_hosts'), '');
  const file = join(dir, 'inventory.yaml');
  writeFileSync(
    file,
    [
      'defaults:',
      '  user: root',
      '  privateKeyPath: ./id_ed25519',
      '  knownHostsPath: ./known_hosts',
      'hosts:',
      '  - name: lb-01',
      '    address: 10.0.0.11',
      '    lb: { kind: nginx, commands: { reload: "nginx -s reload" } }',
      '',
    ].join('\n'),
  );
  return file;
}

export function alertmanagerPayload(
  status: 'firing' | 'resolved',
  instance: string,
  extraLabels: Record<string, string> = {},
) {
  return {
    version: '4',
    status,
    receiver: 'portbot',
    groupKey: '{}:{alertname="LbPortDown"}',
    groupLabels: { alertname: 'LbPortDown' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.invalid',
    truncatedAlerts: 0,
    alerts: [
      {
        status,
        labels: { alertname: 'LbPortDown', instance, severity: 'page', ...extraLabels },
        annotations: { summary: `LB port down on ${instance}` },
        startsAt: '2026-11-21T10:00:00Z',
        endsAt: status === 'resolved' ? '2026-11-21T10:12:03Z' : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.invalid/graph',
        fingerprint: `fp-${instance}`,
      },
    ],
  };
}

export async function postAlert(
  port: number,
  body: unknown,
  token = ALERT_TOKEN,
  source = 'alertmanager',
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}/alerts/${source}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}
