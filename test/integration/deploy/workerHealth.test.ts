import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { waitFor } from '../../lab/waitFor';
import { startPortbot, type PortbotProcess } from '../../support/portbotProcess';
import { connectTestRedis, testRedisUrl } from '../../support/testRedis';

/**
 * `portbot worker` with PORTBOT_WORKER_HTTP_PORT: the probes the Kubernetes and compose files
 * point at (deploy/) and the worker's own metrics, on the real compiled process.
 */
const DB = 3;
let redis: Redis;
let worker: PortbotProcess;
let base: string;

beforeAll(async () => {
  redis = await connectTestRedis(DB);
  const dir = mkdtempSync(join(tmpdir(), 'portbot-worker-health-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')]);
  writeFileSync(join(dir, 'known_hosts'), '');
  writeFileSync(
    join(dir, 'inventory.yaml'),
    [
      'defaults: { user: portbot-diag, privateKeyPath: ./id, knownHostsPath: ./known_hosts }',
      'hosts:',
      '  - { name: lb-01, address: 127.0.0.1, port: 1, hostKey: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU", lb: { kind: nginx } }',
      '',
    ].join('\n'),
  );
  worker = await startPortbot(['worker'], {
    PORTBOT_INVENTORY: join(dir, 'inventory.yaml'),
    PORTBOT_POLICY: join(dir, 'no-policy.yaml'),
    REDIS_URL: testRedisUrl(DB),
    PORTBOT_WORKER_HTTP_PORT: '0',
    LOG_LEVEL: 'info',
  });
  await waitFor('the worker health listener', () => /worker health on :\d+/.test(worker.output()), {
    timeoutMs: 10_000,
  });
  base = `http://127.0.0.1:${/worker health on :(\d+)/.exec(worker.output())?.[1]}`;
});

afterAll(async () => {
  await worker?.stop();
  await redis?.quit();
});

test('answers /healthz and /readyz (Redis checked) like serve does', async () => {
  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ ok: true });
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ ok: true, checks: { redis: true } });
});

test("exposes the worker's own metrics: diagnosis duration and SSH errors", async () => {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  const text = await res.text();
  for (const name of [
    'portbot_diagnosis_duration_seconds',
    'portbot_ssh_errors_total',
    'portbot_process_process_start_time_seconds',
  ])
    expect(text).toContain(`# TYPE ${name} `);
});

test('serves no alert or Slack routes', async () => {
  for (const path of ['/alerts/alertmanager', '/slack/events']) {
    const res = await fetch(`${base}${path}`, { method: 'POST', body: '{}' });
    expect([path, res.status]).toEqual([path, 404]);
  }
});
