import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../../src/cli/runCli';
import { captureIo } from '../support/captureIo';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'portbot-cli-'));
const inventory = join(dir, 'inventory.yaml');
writeFileSync(join(dir, 'known_hosts'), '');
writeFileSync(
  inventory,
  `defaults: { knownHostsPath: ./known_hosts }\nhosts:\n  - { name: lb-01, address: 127.0.0.1, port: 1, lb: { kind: nginx } }\n`,
);
const PWNED = join(dir, 'pwned');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const io = captureIo();
  const code = await runCli(args, io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

describe('portbot diagnose: bad input gets a specific error and exit 2', () => {
  it.each([
    ['0', 'port must be an integer 1-65535, got "0"'],
    ['70000', 'port must be an integer 1-65535, got "70000"'],
    ['abc', 'port must be an integer 1-65535, got "abc"'],
    ['80.5', 'port must be an integer 1-65535, got "80.5"'],
  ])('port %s', async (port, message) => {
    const r = await cli('diagnose', 'lb-01', port, '--inventory', inventory);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`portbot: ${message}`);
  });

  it('unknown host names the valid ones', async () => {
    const r = await cli('diagnose', 'lb-99', '80', '--inventory', inventory);
    expect(r).toEqual({ code: 2, out: '', err: 'portbot: unknown host "lb-99" (known: lb-01)' });
  });

  it('unknown group, and a missing inventory', async () => {
    expect((await cli('diagnose', '--group', 'edge', '80', '--inventory', inventory)).err).toBe(
      'portbot: unknown haGroup "edge" (known: none)',
    );
    const missing = await cli('diagnose', 'lb-01', '80', '--inventory', join(dir, 'nope.yaml'));
    expect(missing).toMatchObject({
      code: 2,
      err: `portbot: ${join(dir, 'nope.yaml')}: file not found`,
    });
  });

  it('usage errors', async () => {
    expect((await cli('diagnose', 'lb-01')).code).toBe(2);
    expect((await cli('diagnose', '--all', '--group', 'x', '80')).err).toContain(
      '--all and --group cannot be combined',
    );
    expect((await cli('diagnose', 'lb-01', '80', '--bogus')).err).toContain(
      "Unknown option '--bogus'",
    );
    expect((await cli('frobnicate')).err).toContain('unknown command "frobnicate"');
  });

  it.each([
    [`80; touch ${PWNED}`, '80'],
    [`$(touch ${PWNED})`, '80'],
    [`\`touch ${PWNED}\``, '80'],
    [`lb-01\ntouch ${PWNED}`, '80'],
    ['lb-01', `80; touch ${PWNED}`],
    ['lb-01', `$(touch ${PWNED})`],
    ['lb-01', `\`touch ${PWNED}\``],
    ['lb-01', `80\ntouch ${PWNED}`],
  ])('hostile host %j / port %j never reaches a shell', async (host, port) => {
    const r = await cli('diagnose', host, port, '--inventory', inventory);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^portbot: (unknown host|port must be an integer)/);
    expect(existsSync(PWNED)).toBe(false);
  });
});

describe('the compiled portbot binary', () => {
  const bin = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

  it('exists (run `npm run build` first)', () => {
    expect(existsSync(bin)).toBe(true);
  });

  it('prints a one-line error without a stack trace for a bad inventory', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'hosts:\n  - { name: lb-01, address: 10.0.0.1, port: ssh }\n');
    const err = await run('node', [bin, 'diagnose', 'lb-01', '80', '--inventory', bad]).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 2 });
    const stderr = (err as { stderr: string }).stderr;
    expect(stderr).toContain(`${bad}: hosts[0].port: expected integer 1-65535, got 'ssh'`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
