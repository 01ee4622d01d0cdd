import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { MAX_STREAMS } from '../../../src/localWorkspace/workspaceRoutes';
import type { WorkspaceSnapshot } from '../../../src/localWorkspace/view/WorkspaceView';
import { startTestSlack, type TestSlack } from '../../support/localSlack/startTestSlack';
import { startPortbot, type PortbotProcess } from '../../support/portbotProcess';
import { serviceEnv, writeIdleInventory } from '../../support/serviceEnv';
import { connectTestRedis, testRedisUrl } from '../../support/testRedis';
import { TEST_APPROVAL_KEY } from '../../support/testSigner';

/**
 * The workspace page's HTTP side on a real `portbot serve` in local mode (no lab: an inventory
 * nobody connects to). Acting as anyone is the page's purpose, so what guards it is tested:
 * loopback names only, a page token on every POST and stream, its own scripts only. Then the
 * stream: a snapshot per user, live, and serve still stops with a stream open.
 */
const DB = 13;
let redis: Redis;
let serve: PortbotProcess;
let token: string;
let dir: string;

const base = () => `http://127.0.0.1:${serve.port}`;

beforeAll(async () => {
  redis = await connectTestRedis(DB);
  dir = mkdtempSync(join(tmpdir(), 'portbot-routes-'));
  const policy = join(dir, 'policy.yaml');
  writeFileSync(
    policy,
    'remediation:\n  requesters: { users: ["U0ALICE"] }\n  approvers: { users: ["U0BOB"] }\n',
  );
  serve = await startPortbot(['serve', '--with-worker'], {
    REDIS_URL: testRedisUrl(DB),
    PORTBOT_HTTP_PORT: '0',
    PORTBOT_INVENTORY: writeIdleInventory(dir),
    PORTBOT_POLICY: policy,
    PORTBOT_APPROVAL_KEY: TEST_APPROVAL_KEY,
  });
  const html = await (await fetch(`${base()}/`)).text();
  token = /name="portbot-page-token" content="([0-9a-f]{48})"/.exec(html)?.[1] ?? '';
}, 60_000);

afterAll(async () => {
  await serve?.kill();
  await redis?.quit();
});

/** A GET with a Host header of our choosing (fetch will not send another host's name). */
function getWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: serve.port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base()}/workspace/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** Reads server-sent snapshots until one satisfies `want`. */
async function snapshotWhere(
  user: string,
  want: (s: WorkspaceSnapshot) => boolean,
  keepOpen?: (abort: AbortController) => void,
): Promise<WorkspaceSnapshot> {
  const abort = new AbortController();
  const q = new URLSearchParams({ user, token });
  const res = await fetch(`${base()}/workspace/events?${q.toString()}`, { signal: abort.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  // A reader, not for-await: leaving a for-await loop would cancel the stream (keepOpen).
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += Buffer.from(chunk.value).toString();
    for (const m of text.matchAll(/^data: (.*)$/gm)) {
      const s = JSON.parse(m[1] ?? '') as WorkspaceSnapshot;
      if (want(s)) {
        if (keepOpen) keepOpen(abort);
        else abort.abort();
        return s;
      }
    }
  }
  throw new Error('stream ended before the snapshot came');
}

it('serves the page with its own scripts only, and a token per run', async () => {
  const res = await fetch(`${base()}/`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  const html = await res.text();
  expect(token).toMatch(/^[0-9a-f]{48}$/);
  // Nothing from another origin: every src and href is a path on portbot itself.
  const refs = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? '');
  expect(refs.length).toBeGreaterThan(0);
  expect(refs.filter((r) => !r.startsWith('/workspace/'))).toEqual([]);
  for (const ref of refs) expect((await fetch(`${base()}${ref}`)).status).toBe(200);
  expect((await fetch(`${base()}/workspace/../package.json`)).status).toBe(404);
});

it('answers loopback names only (no DNS rebinding)', async () => {
  expect(await getWithHost('/', `localhost:${serve.port}`)).toBe(200);
  expect(await getWithHost('/', `evil.example:${serve.port}`)).toBe(403);
  expect(await getWithHost('/workspace/events', 'evil.example')).toBe(403);
});

it('refuses a POST or a stream without the page token (another site in the browser cannot act)', async () => {
  const command = { user: 'U0ALICE', channel: 'C0PORTBOT', text: 'help' };
  expect((await postJson('command', command)).status).toBe(403);
  expect((await postJson('command', command, { 'x-portbot-page': 'f'.repeat(48) })).status).toBe(
    403,
  );
  expect((await fetch(`${base()}/workspace/events?user=U0ALICE`)).status).toBe(403);
  const q = new URLSearchParams({ user: 'U0NOBODY', token });
  expect((await fetch(`${base()}/workspace/events?${q.toString()}`)).status).toBe(403);
  expect(
    (await postJson('command', { ...command, user: 'U0NOBODY' }, { 'x-portbot-page': token }))
      .status,
  ).toBe(400);
  expect((await postJson('command', { nonsense: 1 }, { 'x-portbot-page': token })).status).toBe(
    400,
  );
});

it("sends each user their snapshot: /port help's answer reaches the one who typed it, live", async () => {
  const first = await snapshotWhere('U0ALICE', () => true);
  expect(first.users.map((u) => [u.id, u.roles])).toEqual([
    ['U0ALICE', ['requester']],
    ['U0BOB', ['approver']],
    ['U0OUTSIDER', ['outsider']],
  ]);
  expect(first.channels).toEqual([
    { id: 'C0PORTBOT', name: 'alerts', kind: 'channel' },
    { id: 'D0ALICE', name: 'portbot', kind: 'dm' },
  ]);
  const answered = snapshotWhere('U0ALICE', (s) =>
    s.messages.some((m) => m.ephemeral && m.text.includes('/port check')),
  );
  const res = await postJson(
    'command',
    { user: 'U0ALICE', channel: 'C0PORTBOT', text: 'help' },
    { 'x-portbot-page': token },
  );
  expect(res.status).toBe(200);
  const help = (await answered).messages.find((m) => m.ephemeral);
  expect(help?.blocks.some((b) => b.kind === 'section')).toBe(true);
  const bob = await snapshotWhere('U0BOB', () => true);
  expect(bob.messages.filter((m) => m.ephemeral)).toEqual([]);
});

it('caps open streams: one more than the cap is a 503 that says why, and a closed one frees a place', async () => {
  const open: AbortController[] = [];
  for (let i = 0; i < MAX_STREAMS; i += 1)
    await snapshotWhere(
      'U0BOB',
      () => true,
      (a) => open.push(a),
    );
  const q = new URLSearchParams({ user: 'U0BOB', token });
  const refused = await fetch(`${base()}/workspace/events?${q.toString()}`);
  expect(refused.status).toBe(503);
  expect(await refused.text()).toContain(`${MAX_STREAMS} workspace pages are open already`);
  open.pop()?.abort();
  // the server sees the close asynchronously: a place comes free within moments
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i += 1) {
    const again = new AbortController();
    const res = await fetch(`${base()}/workspace/events?${q.toString()}`, { signal: again.signal });
    status = res.status;
    if (status === 200) open.push(again);
    else await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toBe(200);
  for (const a of open) a.abort();
});

it('stops cleanly with a stream still open', async () => {
  let open: AbortController | undefined;
  await snapshotWhere(
    'U0BOB',
    () => true,
    (a) => (open = a),
  );
  expect(await serve.stop()).toBe(0);
  open?.abort();
});

describe('with a real Slack workspace', () => {
  let standIn: TestSlack;
  let withSlack: PortbotProcess;
  afterAll(async () => {
    await withSlack?.kill();
    await standIn?.close();
  });

  it('there is no page: / is a 404', async () => {
    standIn = await startTestSlack({ autoCreateChannels: true });
    withSlack = await startPortbot(
      ['serve'],
      serviceEnv({ slackApiUrl: standIn.url, redisDb: DB, inventory: writeIdleInventory(dir) }),
    );
    expect((await fetch(`http://127.0.0.1:${withSlack.port}/`)).status).toBe(404);
  }, 30_000);
});
