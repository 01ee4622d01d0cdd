it('sends stdin and then EOF, so `exec /bin/sh -s` runs a script whatever the login shell', async () => {
  const pool = newPool();
  const script = 'printf \'%s\\n\' "$((6 * 7))"; cat\n';
  const r = await pool.exec(sshd.host(), 'exec /bin/sh -s', { stdin: script });
  expect(r).toMatchObject({ stdout: '42\n', code: 0 });
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PortbotError } from '../../../src/domain/PortbotError';
import { SshPool } from '../../../src/ssh/SshPool';
import { startTestSshd, type TestSshd } from '../../support/sshd/startTestSshd';

let sshd: TestSshd;
const pools: SshPool[] = [];
const newPool = (...args: ConstructorParameters<typeof SshPool>): SshPool => {
  const pool = new SshPool(...args);
  pools.push(pool);
  return pool;
};

beforeAll(async () => {
  sshd = await startTestSshd({ cleanHome: true });
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await sshd.stop();
});

async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

test('exec returns stdout, stderr and a non-zero exit code without throwing', async () => {
  const pool = newPool();
  const r = await pool.exec(sshd.host(), 'echo out; echo err >&2; exit 7');
  expect(r).toMatchObject({ stdout: 'out\n', stderr: 'err\n', code: 7, signal: null });
  expect(r.truncated).toBe(false);
  expect(r.durationMs).toBeGreaterThanOrEqual(0);
});

test('two execs share one connection (one "Accepted publickey" in the sshd log)', async () => {
  const pool = newPool();
  const before = sshd.acceptedLogins();
  await pool.exec(sshd.host(), 'true');
  await pool.exec(sshd.host(), 'true');
  await until('the login line', () => sshd.acceptedLogins() > before);
  expect(sshd.acceptedLogins() - before).toBe(1);
  expect(pool.stats()).toMatchObject({ connects: 1, open: 1 });
});

test('concurrent execs to a host that is still connecting share the pending connection', async () => {
  const pool = newPool();
  const before = sshd.acceptedLogins();
  const results = await Promise.all(
    [1, 2, 3, 4, 5].map((i) => pool.exec(sshd.host(), `echo ${i}`)),
  );
  expect(results.map((r) => r.stdout)).toEqual(['1\n', '2\n', '3\n', '4\n', '5\n']);
  expect(pool.stats().connects).toBe(1);
  await until('the login line', () => sshd.acceptedLogins() > before);
  expect(sshd.acceptedLogins() - before).toBe(1);
});

test('an idle connection is closed after idleTimeoutMs and the next exec reconnects', async () => {
  const pool = newPool({ idleTimeoutMs: 150 });
  await pool.exec(sshd.host(), 'true');
  expect(pool.stats().open).toBe(1);
  await until('idle close', () => pool.stats().open === 0, 2000);
  await pool.exec(sshd.host(), 'true');
  expect(pool.stats()).toMatchObject({ connects: 2, open: 1 });
});

test('reconnects after the server side dropped the connection', async () => {
  const pool = newPool();
  const host = sshd.host();
  // $PPID of the remote shell is this connection's sshd session process (same machine here)
  const sessionPid = Number((await pool.exec(host, 'echo $PPID')).stdout.trim());
  process.kill(sessionPid, 'SIGTERM');
  await until('the pool to notice', () => pool.stats().open === 0);
  expect((await pool.exec(host, 'echo back')).stdout).toBe('back\n');
  expect(pool.stats().connects).toBe(2);

  // killed again and used at once: the close may not have arrived yet; the exec must still work
  const pid2 = Number((await pool.exec(host, 'echo $PPID')).stdout.trim());
  process.kill(pid2, 'SIGKILL');
  expect((await pool.exec(host, 'echo again')).stdout).toBe('again\n');
  expect(pool.stats().connects).toBe(3);
});

test('command timeout → COMMAND_TIMEOUT, KILL is requested, the pool still works', async () => {
  const pool = newPool();
  const host = sshd.host();
  await pool.exec(host, 'true');
  const started = Date.now();
  const err = (await pool
    .exec(host, 'sleep 5.317', { timeoutMs: 300 })
    .catch((e: unknown) => e)) as PortbotError;
  const elapsed = Date.now() - started;
  expect(err.code).toBe('COMMAND_TIMEOUT');
  expect(err.message).toBe(`test-sshd (127.0.0.1:${sshd.port}): command timed out after 300 ms`);
  expect(elapsed).toBeGreaterThanOrEqual(290);
  expect(elapsed).toBeLessThan(2000);
  // The KILL signal request reached sshd. OpenSSH honours it only for non-root users: root
  // sessions run without privilege separation, so for root the sleep runs on after the close.
  await until('the signal request in the sshd log', () =>
    readFileSync(sshd.logPath, 'utf8').includes('session_signal_req'),
  );
  expect((await pool.exec(host, 'echo still')).stdout).toBe('still\n');
  expect(pool.stats().connects).toBe(1);
});

test('host.commandTimeoutMs applies when opts.timeoutMs is not given', async () => {
  const pool = newPool();
  await expect(pool.exec(sshd.host({ commandTimeoutMs: 200 }), 'sleep 3')).rejects.toMatchObject({
    code: 'COMMAND_TIMEOUT',
  });
});

test('output beyond maxOutputBytes is cut per stream and flagged', async () => {
  const pool = newPool();
  const cmd = 'head -c 5000 /dev/zero | tr "\\0" a; head -c 10 /dev/zero | tr "\\0" b >&2';
  const r = await pool.exec(sshd.host(), cmd, { maxOutputBytes: 1000 });
  expect(r.stdout).toBe('a'.repeat(1000));
  expect(r.stderr).toBe('b'.repeat(10));
  expect(r.truncated).toBe(true);
  expect(r.code).toBe(0);
  const big = await pool.exec(sshd.host(), 'head -c 1100000 /dev/zero | tr "\\0" c');
  expect(big.stdout.length).toBe(1024 * 1024);
  expect(big.truncated).toBe(true);
});

test('encrypted key with the passphrase from the named env var', async () => {
  const pool = newPool({ env: { PORTBOT_TEST_PASS: sshd.passphrase } });
  const host = sshd.host({ privateKeyPath: sshd.encryptedKey, passphraseEnv: 'PORTBOT_TEST_PASS' });
  expect((await pool.exec(host, 'echo enc')).stdout).toBe('enc\n');
});

test('ssh-agent authentication via agentSocket', async () => {
  const out = execFileSync('ssh-agent', ['-s', '-a', join(sshd.dir, 'agent.sock')], {
    encoding: 'utf8',
  });
  const agentPid = Number(/SSH_AGENT_PID=(\d+)/.exec(out)?.[1]);
  try {
    execFileSync('ssh-add', ['-q', sshd.clientKey], {
      env: { ...process.env, SSH_AUTH_SOCK: join(sshd.dir, 'agent.sock') },
    });
    const pool = newPool({ env: {} });
    const host = sshd.host({ agentSocket: join(sshd.dir, 'agent.sock') });
    delete (host as { privateKeyPath?: string }).privateKeyPath;
    expect((await pool.exec(host, 'echo agent')).stdout).toBe('agent\n');
  } finally {
    process.kill(agentPid, 'SIGTERM');
  }
});

test('the concurrency limit holds across hosts (observed on the server)', async () => {
  const pool = newPool({ maxConcurrency: 3 });
  const log = join(sshd.dir, 'overlap.log');
  const cmd = `echo "+ $(date +%s%N)" >> ${log}; sleep 0.2; echo "- $(date +%s%N)" >> ${log}`;
  const hosts = ['a', 'b', 'c', 'd'].map((n) => sshd.host({ name: `fan-${n}` }));
  await Promise.all(Array.from({ length: 12 }, (_, i) => pool.exec(hosts[i % 4]!, cmd)));
  const events = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([sign, ns]) => ({ delta: sign === '+' ? 1 : -1, at: BigInt(ns ?? '0') }))
    .sort((x, y) => (x.at === y.at ? x.delta - y.delta : x.at < y.at ? -1 : 1));
  let running = 0;
  let peak = 0;
  for (const e of events) {
    running += e.delta;
    peak = Math.max(peak, running);
  }
  expect(events).toHaveLength(24);
  expect(peak).toBe(3);
  expect(pool.stats().peakInFlight).toBe(3);
  expect(pool.stats().connects).toBe(4);
});

test('latency: cold connect+exec and warm exec of `true`, 30 runs each', async () => {
  const host = sshd.host();
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 30; i++) {
    const pool = newPool();
    let t = performance.now();
    await pool.exec(host, 'true');
    cold.push(performance.now() - t);
    t = performance.now();
    await pool.exec(host, 'true');
    warm.push(performance.now() - t);
    await pool.close();
  }
  const result = { coldMedianMs: median(cold), warmMedianMs: median(warm) };
  console.log(`ssh latency over 30 runs: ${JSON.stringify(result)}`);
  expect(result.warmMedianMs).toBeLessThan(result.coldMedianMs);
});
