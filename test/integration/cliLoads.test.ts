import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PORTBOT_BIN } from '../support/portbotProcess';

/**
 * The compiled CLI (`npm run build`) loads only what a command needs: its start-up is the user's
 * wait (bench "CLI start"). A `--require` hook records every module file in require.cache when the
 * process exits.
 */
const dir = mkdtempSync(join(tmpdir(), 'portbot-loads-'));
const hook = join(dir, 'recordModules.js');
writeFileSync(
  hook,
  `process.on('exit', () => require('fs').writeFileSync(process.env.LOADS_OUT, JSON.stringify(Object.keys(require.cache))));\n`,
);
const inventory = join(dir, 'inventory.yaml');
writeFileSync(join(dir, 'known_hosts'), '');
// Port 1 refuses at once: the diagnosis ends `unreachable` (exit 3) after the whole diagnose path
// (ssh, probes, rules, rendering) has been loaded.
writeFileSync(
  inventory,
  `defaults: { knownHostsPath: ./known_hosts }\nhosts:\n  - { name: lb-01, address: 127.0.0.1, port: 1, lb: { kind: nginx } }\n`,
);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function loadedBy(...args: string[]): Promise<{ code: number; modules: string[] }> {
  const out = join(dir, `loads-${args[0] ?? 'none'}.json`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--require', hook, PORTBOT_BIN, ...args],
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          LOADS_OUT: out,
          PORTBOT_COMPILE_CACHE: join(dir, 'compile-cache'),
        },
      },
      (err) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        try {
          resolve({ code, modules: JSON.parse(readFileSync(out, 'utf8')) as string[] });
        } catch (readErr) {
          reject(readErr instanceof Error ? readErr : new Error(String(readErr)));
        }
      },
    );
  });
}

const packageOf = (file: string): string | undefined =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
const packages = (modules: string[]) =>
  [...new Set(modules.map(packageOf).filter((p) => p !== undefined))].sort();
const portbotFolders = (modules: string[]) =>
  [...new Set(modules.flatMap((m) => /\/dist\/([^/]+)\//.exec(m)?.[1] ?? []))].sort();

describe('what the compiled CLI loads', () => {
  it('diagnose: ssh2, yaml and zod, no Slack, BullMQ, Redis, metrics or service code', async () => {
    const { code, modules } = await loadedBy('diagnose', 'lb-01', '80', '--inventory', inventory);
    expect(code).toBe(3);
    const loaded = packages(modules);
    expect(loaded).toEqual(expect.arrayContaining(['ssh2', 'yaml', 'zod']));
    for (const heavy of [
      '@slack/bolt',
      '@slack/web-api',
      'bullmq',
      'ioredis',
      'prom-client',
      'pino',
    ]) {
      expect(loaded).not.toContain(heavy);
    }
    // ssh2's client modules only: its index pulls in node:https, its server and agents.
    expect(modules.some((m) => m.endsWith('ssh2/lib/client.js'))).toBe(true);
    expect(
      modules.filter((m) => /ssh2\/lib\/(index|server|http-agents|keygen)\.js$/.test(m)),
    ).toEqual([]);
    const serviceFolders = [
      'slack',
      'service',
      'worker',
      'queue',
      'redis',
      'http',
      'observability',
    ];
    expect(portbotFolders(modules)).toContain('probes');
    expect(portbotFolders(modules).filter((f) => serviceFolders.includes(f))).toEqual([]);
  });

  it('--help loads no library at all', async () => {
    const { code, modules } = await loadedBy('--help');
    expect(code).toBe(0);
    expect(modules.some((m) => m.endsWith('cli/usage.js'))).toBe(true);
    expect(packages(modules)).toEqual([]);
  });
});
