import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startLab, type Lab } from '../../lab';
import { startPortbot, type PortbotProcess } from '../../support/portbotProcess';
import { connectTestRedis, testRedisUrl } from '../../support/testRedis';
import { TEST_APPROVAL_KEY } from '../../support/testSigner';

/**
 * The "done when": a real headless Chromium on the local workspace page of a real
 * `portbot serve --with-worker` in local mode (no Slack token: the built-in local Slack), with
 * Redis and the lab's lb-03. One person plays requester and approver through the user switcher:
 * /port check → diagnosis → button → confirm → modal (a refused reason, then a good one) →
 * approval message → switch user → approve → the thread ends in success; the requester's DM
 * says so. HTML in the holder's command line and in the reason shows as text. Screenshots go to
 * test/artifacts/; the assertions read the page's text, not pixels.
 */
const DB = 14;
const CHROMIUM = process.env.PORTBOT_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'artifacts');
const [ALICE, BOB] = ['U0ALICE', 'U0BOB'];
/** Rides on the rogue listener's command line, which the diagnosis shows. */
const INJECTED_ARG = '/srv/<img src=x onerror=window.__pwned=1>';
const REASON = 'rogue python on :80 <b>urgent</b> <script>window.__pwned=2</script>';

let lab: Lab;
let redis: Redis;
let serve: PortbotProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  lab = await startLab({ keepalived: false });
  redis = await connectTestRedis(DB);
  const dir = mkdtempSync(join(tmpdir(), 'portbot-page-'));
  const policy = join(dir, 'policy.yaml');
  writeFileSync(
    policy,
    [
      'commands: { channels: ["*"], users: ["*"] }',
      'remediation:',
      `  requesters: { users: ["${ALICE}"], groups: [] }`,
      // A user group too: the page seeds a member for it, so group lookups answer in local mode.
      `  approvers: { users: ["${BOB}"], groups: ["S0LEADS"] }`,
      '  approvals: { default: 1, vipHolder: 1 }',
      'auditors: { users: ["U0CAROL"], groups: [] }',
      '',
    ].join('\n'),
  );
  await lab.rogueListener('lb-03', 80, ['--directory', INJECTED_ARG]);
  // No SLACK_BOT_TOKEN: local mode, as a newcomer runs it.
  serve = await startPortbot(['serve', '--with-worker'], {
    REDIS_URL: testRedisUrl(DB),
    PORTBOT_HTTP_PORT: '0',
    PORTBOT_INVENTORY: lab.inventoryPath,
    PORTBOT_POLICY: policy,
    PORTBOT_APPROVAL_KEY: TEST_APPROVAL_KEY,
    LOG_LEVEL: 'info',
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Root in CI: Chromium's sandbox refuses to run as root.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.on('pageerror', (err) => console.log(`page error: ${err.message}`));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  expect(await serve?.stop()).toBe(0);
  await redis?.quit();
  await lab?.stop();
}, 60_000);

/** A screenshot for people, and the page text it shows, which the test checks. */
async function shot(name: string): Promise<string> {
  await page.screenshot({ path: join(ARTIFACTS, `workspace-${name}.png`), fullPage: true });
  return page.locator('body').innerText();
}

async function actAs(user: string): Promise<void> {
  await page.selectOption('#user-switcher', user);
  // The page marks whose snapshot it shows once the server's stream for that user answered.
  await page.locator(`body[data-user="${user}"]`).waitFor();
}

/** Presses a button, accepting its confirm dialog when it has one. */
async function press(button: Locator, confirmText: RegExp): Promise<void> {
  await button.click();
  const dialog = page.locator('#confirm-root .dialog');
  if (await dialog.isVisible()) await dialog.getByRole('button', { name: confirmText }).click();
}

it('plays a whole incident: check, diagnosis, request with a reason, approval by another user, success', async () => {
  await page.goto(`http://127.0.0.1:${serve.port}/`);
  const options = await page.locator('#user-switcher option').allInnerTexts();
  expect(options).toEqual([
    'alice — requester',
    'bob — approver',
    's0leads-member — approver',
    'carol — auditor',
    'outsider — outsider',
  ]);
  await actAs(ALICE);

  await page.fill('#composer', '/port check lb-03 80');
  await page.press('#composer', 'Enter');
  const root = page
    .locator('#messages .message', { hasText: 'lb-03:80' })
    .filter({ hasText: 'foreign-listener' });
  await root.waitFor({ timeout: 60_000 });
  const diagnosis = await shot('1-diagnosis');
  expect(diagnosis).toContain('lb-03:80');
  expect(diagnosis).toContain('python3');
  // The holder's command line, HTML and all, is text on the page.
  expect(await root.innerText()).toContain(INJECTED_ARG);
  expect(await page.locator('#messages img, #messages script').count()).toBe(0);

  // The diagnosis's kill button: Slack's confirm dialog, then the request modal.
  await press(root.getByRole('button', { name: /Stop python3/ }), /^Request approval$/);
  const modal = page.locator('#modal-root .modal');
  await modal.waitFor({ timeout: 30_000 });
  expect(await modal.innerText()).toContain('Reason (kept in the audit log)');
  await modal.locator('input.bk-input').fill('ab');
  await modal.getByRole('button', { name: 'Request approval' }).click();
  // Bolt answered with errors: the modal stays, the error shows under the field.
  await modal.locator('.bk-error').waitFor({ timeout: 10_000 });
  expect(await modal.locator('.bk-error').innerText()).toContain('at least 3 visible characters');
  await modal.locator('input.bk-input').fill(REASON);
  await modal.getByRole('button', { name: 'Request approval' }).click();
  await modal.waitFor({ state: 'hidden', timeout: 10_000 });

  await root.getByRole('button', { name: /repl/ }).click();
  const approval = page
    .locator('#thread-messages .message', { hasText: 'Remediation request' })
    .first();
  await approval.waitFor({ timeout: 30_000 });
  await page.locator('#thread-messages', { hasText: 'Awaiting approval' }).waitFor();
  const requested = await shot('2-requested');
  expect(requested).toContain('Awaiting approval');
  expect(await approval.innerText()).toContain(REASON);
  expect(await page.locator('#thread-messages b, #thread-messages script').count()).toBe(0);

  // The approver is another person: switch, and the same thread is there.
  await actAs(BOB);
  await approval.waitFor();
  await press(approval.getByRole('button', { name: /Approve/ }), /Accept|Approve/);
  await page
    .locator('#thread-messages .message', { hasText: 'Succeeded' })
    .first()
    .waitFor({ timeout: 120_000 });
  await page
    .locator('#thread-messages', { hasText: 'The request to kill-occupant on lb-03:80 succeeded' })
    .waitFor({ timeout: 30_000 });
  const succeeded = await shot('3-succeeded');
  expect(succeeded).toContain('Succeeded');
  expect(succeeded).toContain('The request to kill-occupant on lb-03:80 succeeded');
  expect((await lab.listeners('lb-03', 80)).join('\n')).toContain('"haproxy"');

  // The requester is told in their DM with portbot (a user the page seeded in the local Slack).
  await actAs(ALICE);
  await page.getByRole('button', { name: '✉ portbot' }).click();
  await page.locator('#messages', { hasText: 'succeeded' }).waitFor({ timeout: 30_000 });
  const dm = await shot('4-requester-dm');
  expect(dm).toContain('was approved');
  expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
}, 300_000);
