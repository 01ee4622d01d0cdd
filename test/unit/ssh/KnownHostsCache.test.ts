import { copyFileSync, mkdtempSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnownHostsCache } from '../../../src/ssh/KnownHostsCache';

// ssh-keyscan output captured on this machine (see the .cmd file next to it)
const fixture = join(__dirname, '../../fixtures/ssh/keyscan-127.0.0.1-p42222.known_hosts');
const dir = mkdtempSync(join(tmpdir(), 'portbot-kh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('parses once per path and re-reads when the file changes', async () => {
  const path = join(dir, 'known_hosts');
  copyFileSync(fixture, path);
  const warnings: string[] = [];
  const cache = new KnownHostsCache((w) => warnings.push(w));
  const first = await cache.load(path);
  expect(first.entries).toHaveLength(3);
  expect(await cache.load(path)).toBe(first);
  appendFileSync(path, '@cert-authority * ssh-ed25519 AAAA\n');
  const second = await cache.load(path);
  expect(second).not.toBe(first);
  expect(second.entries).toHaveLength(3);
  expect(warnings).toEqual([
    `${path} line 4: @cert-authority is not supported by portbot; line ignored`,
  ]);
});

test('a missing file is HOST_KEY_UNKNOWN naming the path', async () => {
  const missing = join(dir, 'nope');
  await expect(new KnownHostsCache().load(missing)).rejects.toMatchObject({
    code: 'HOST_KEY_UNKNOWN',
  });
  await expect(new KnownHostsCache().load(missing)).rejects.toThrow(
    `known_hosts file ${missing} cannot be read: ENOENT`,
  );
});
