import { execFile } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PORTBOT_BIN } from '../support/portbotProcess';

/**
 * The compiled CLI keeps V8's code cache of the modules it loads (src/cli/compileCache.ts) in
 * one file: written by the first run, used as is by the next, rewritten when an entry does not
 * match its module, and never in the way when it is damaged or turned off.
 */
const dir = mkdtempSync(join(tmpdir(), 'portbot-compile-cache-'));
const inventory = join(dir, 'inventory.yaml');
writeFileSync(join(dir, 'known_hosts'), '');
// Port 1 refuses at once: the whole diagnose path loads, the verdict is `unreachable` (exit 3).
writeFileSync(
  inventory,
  `defaults: { knownHostsPath: ./known_hosts }\nhosts:\n  - { name: lb-01, address: 127.0.0.1, port: 1, lb: { kind: nginx } }\n`,
);
const cacheDir = join(dir, 'cache');
/** The one cache file this CLI writes (named after the node version and the CLI's path). */
function cacheFile(): string {
  const files = readdirSync(cacheDir).filter((f) => f.endsWith('.bin'));
  expect(files).toHaveLength(1);
  expect(files[0]?.startsWith(`${process.version}-${process.arch}-`)).toBe(true);
  return join(cacheDir, files[0] ?? '');
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function diagnose(env: Record<string, string>): Promise<{ code: number; verdict: unknown }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [PORTBOT_BIN, 'diagnose', 'lb-01', '80', '--inventory', inventory, '--json'],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } },
      (err, stdout) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, verdict: (JSON.parse(stdout) as { verdict: unknown }).verdict });
      },
    );
  });
}

/** The cache file's index: [module file, source hash, byte length] per module. */
function cacheIndex(): [string, string, number][] {
  const blob = readFileSync(cacheFile());
  const length = blob.readUInt32LE(0);
  return JSON.parse(blob.subarray(4, 4 + length).toString()) as [string, string, number][];
}

const zodEntry = (index: [string, string, number][]) =>
  index.find(([file]) => file.endsWith('node_modules/zod/v4/classic/schemas.cjs'));

describe('the CLI compile cache', () => {
  const env = { PORTBOT_COMPILE_CACHE: cacheDir };

  it('is written by the first run with the libraries of the diagnose path', async () => {
    expect(await diagnose(env)).toEqual({ code: 3, verdict: 'unreachable' });
    const files = cacheIndex().map(([file]) => file);
    expect(files.some((f) => f.endsWith('node_modules/yaml/dist/index.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('node_modules/ssh2/lib/client.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('dist/cli/diagnoseCommand.js'))).toBe(true);
    expect(zodEntry(cacheIndex())).toBeDefined();
  });

  it('is used as is by the next run: V8 accepted every entry, nothing is rewritten', async () => {
    const before = readFileSync(cacheFile());
    expect(await diagnose(env)).toEqual({ code: 3, verdict: 'unreachable' });
    expect(readFileSync(cacheFile()).equals(before)).toBe(true);
  });

  it('compiles a module whose source hash does not match and rewrites its entry', async () => {
    const blob = readFileSync(cacheFile());
    const length = blob.readUInt32LE(0);
    const index = cacheIndex();
    const entry = zodEntry(index);
    if (entry === undefined) throw new Error('no zod entry');
    const realHash = entry[1];
    entry[1] = 'not-the-source-hash';
    const newIndex = Buffer.from(JSON.stringify(index));
    const head = Buffer.alloc(4);
    head.writeUInt32LE(newIndex.length, 0);
    writeFileSync(cacheFile(), Buffer.concat([head, newIndex, blob.subarray(4 + length)]));
    expect(await diagnose(env)).toEqual({ code: 3, verdict: 'unreachable' });
    expect(zodEntry(cacheIndex())?.[1]).toBe(realHash);
  });

  it('a damaged cache file changes nothing but the speed, and is replaced', async () => {
    writeFileSync(cacheFile(), 'not a cache');
    expect(await diagnose(env)).toEqual({ code: 3, verdict: 'unreachable' });
    expect(zodEntry(cacheIndex())).toBeDefined();
  });

  it('is private to its user (0700 folder, 0600 file)', () => {
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    expect(statSync(cacheFile()).mode & 0o777).toBe(0o600);
  });

  it('ignores a cache file others could write, or another user owns, and replaces it with its own', async () => {
    // V8 runs cached code as it finds it: such a file would run someone else's code as us.
    chmodSync(cacheFile(), 0o666);
    expect(await diagnose(env)).toEqual({ code: 3, verdict: 'unreachable' });
    expect(statSync(cacheFile()).mode & 0o777).toBe(0o600);
    if (process.geteuid?.() === 0) {
      chownSync(cacheFile(), 65534, 65534);
      expect(await diagnose(env)).toEqual({ code: 3, verdict: 'unreachable' });
      expect(statSync(cacheFile()).uid).toBe(0);
    }
  });

  it('a folder others can write, or a symlink, turns the cache off: nothing is read or written there', async () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    expect(await diagnose({ PORTBOT_COMPILE_CACHE: shared })).toEqual({
      code: 3,
      verdict: 'unreachable',
    });
    expect(readdirSync(shared)).toEqual([]);
    const link = join(dir, 'link');
    symlinkSync(cacheDir, link);
    const before = readFileSync(cacheFile());
    expect(await diagnose({ PORTBOT_COMPILE_CACHE: link })).toEqual({
      code: 3,
      verdict: 'unreachable',
    });
    expect(readFileSync(cacheFile()).equals(before)).toBe(true);
  });

  it('runs without a cache under a uid with no HOME and no passwd entry (a container)', async () => {
    expect(process.geteuid?.()).toBe(0);
    // --help needs no file of the test's (private to root); the CLI must not crash on homedir().
    const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
      execFile(
        'setpriv',
        [
          '--reuid=54321',
          '--regid=54321',
          '--clear-groups',
          process.execPath,
          PORTBOT_BIN,
          '--help',
        ],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
        (err, _stdout, stderr) =>
          resolve({
            code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1,
            err: stderr,
          }),
      );
    });
    expect(r).toEqual({ code: 0, err: '' });
  });

  it('PORTBOT_COMPILE_CACHE=off writes nothing (not even under HOME)', async () => {
    const home = join(dir, 'home');
    expect(await diagnose({ PORTBOT_COMPILE_CACHE: 'off', HOME: home })).toEqual({
      code: 3,
      verdict: 'unreachable',
    });
    expect(existsSync(home)).toBe(false);
  });
});
