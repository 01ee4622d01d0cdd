import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_ALERT_MAPPING } from '../../../src/config/AlertMappingSchema';
import { mapAlertTarget } from '../../../src/ingress/alerts/mapAlertTarget';
import { parseAlertPayload } from '../../../src/ingress/alerts/parseAlertPayload';
import { waitFor } from '../../lab/waitFor';
import { hostConfig } from '../../support/factories/hostConfig';
import { freePort } from '../../support/sshd/startTestSshd';

/**
 * A real Alertmanager (Debian's prometheus-alertmanager) with deploy/alertmanager/alertmanager.yml,
 * only its webhook URL and token file pointed at this test, sends an LB-port alert on: what
 * arrives is what portbot's /alerts/alertmanager accepts, with the bearer token, mapped to the
 * inventory's (host, port).
 */
const repo = resolve(__dirname, '../../..');
const TOKEN = 'alert-token-0123456789abcdef-from-a-file';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let dir: string;
let alertmanager: ChildProcess;
let amPort: number;
let receiver: Server;
const received: Received[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portbot-alertmanager-'));
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":1}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const portbot = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const shipped = readFileSync(join(repo, 'deploy/alertmanager/alertmanager.yml'), 'utf8');
  const tokenFile = join(dir, 'portbot-alert-token');
  writeFileSync(tokenFile, `${TOKEN}\n`);
  const config = shipped
    .replace('http://portbot.portbot.svc:3000', portbot)
    .replace('/etc/alertmanager/secrets/portbot-alert-token', tokenFile);
  expect(config).not.toEqual(shipped);
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  amPort = await freePort();
  alertmanager = spawn(
    '/usr/bin/prometheus-alertmanager',
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: 'ignore' },
  );
  await waitFor(
    'alertmanager ready',
    async () => (await fetch(`http://127.0.0.1:${amPort}/-/ready`)).ok,
    { timeoutMs: 15_000, intervalMs: 100 },
  );
});

afterAll(async () => {
  if (alertmanager?.exitCode === null) {
    const exited = new Promise((r) => alertmanager.once('exit', r));
    alertmanager.kill('SIGTERM');
    await exited;
  }
  await new Promise<void>((r) => receiver?.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

test('an LB-port alert reaches /alerts/alertmanager with the bearer token and maps to (host, port)', async () => {
  const alert = {
    labels: {
      alertname: 'LbPortDown',
      severity: 'page',
      portbot: 'diagnose',
      job: 'lb-ports',
      instance: 'lb-01.example.net:443',
      host: 'lb-01.example.net',
      port: '443',
    },
    annotations: { summary: 'lb-01.example.net:443 does not accept connections' },
  };
  const posted = await fetch(`http://127.0.0.1:${amPort}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([alert]),
  });
  expect(posted.status).toBe(200);
  // group_wait in the shipped route is 5 s: poll for the notification, do not sleep
  const [hit] = await waitFor('the notification', () => received.length > 0 && received, {
    timeoutMs: 30_000,
    intervalMs: 100,
  });
  expect(hit?.path).toBe('/alerts/alertmanager');
  expect(hit?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  expect(hit?.headers['content-type']).toMatch(/^application\/json/);

  const parsed = parseAlertPayload('alertmanager', Buffer.from(hit?.body ?? ''));
  if (!parsed.ok) throw new Error(parsed.error);
  expect(parsed.events).toHaveLength(1);
  expect(parsed.events[0]).toMatchObject({ status: 'firing' });
  const inventory = {
    path: join(dir, 'inventory.yaml'),
    hosts: [
      hostConfig({ name: 'lb-01', address: 'lb-01.example.net' }),
      hostConfig({ name: 'lb-02', address: 'lb-02.example.net' }),
    ],
    haGroups: [],
  };
  const event = parsed.events[0];
  if (!event) throw new Error('no event');
  expect(mapAlertTarget(event, inventory, DEFAULT_ALERT_MAPPING)).toEqual({
    ok: true,
    host: 'lb-01',
    port: 443,
  });
});
