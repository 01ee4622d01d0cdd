import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Lab } from '../lab/Lab';
import { tcpState } from '../lab/tcpState';
import { labNetnsNames } from '../lab/network';
import { DEPLOY_SUDOERS } from '../lab/diagUser';
import { fingerprintOf } from '../lab/knownHosts';
import { servedHostKey } from '../lab/hostKeys';
import { run } from '../lab/run';
import { startLab } from '../lab/startLab';

// Ground truth for the lab itself: every scenario checked with the real OpenSSH client or
// from inside the host, never through portbot's own code.
let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
}, 180_000);

afterAll(async () => {
  await lab?.stop();
});

function ssh(name: string, remote: string[], user?: string): ReturnType<typeof run> {
  return run(lab.sshArgv(name, remote, user), { timeoutMs: 15_000 });
}

interface InventoryDoc {
  defaults: { user: string; knownHostsPath: string; privateKeyPath: string };
  hosts: {
    name: string;
    address: string;
    user?: string;
    sudo?: boolean;
    hostKey?: string;
    haGroup?: string;
    lb: { kind: string };
  }[];
  haGroups: { name: string; vip: string; members: string[] }[];
}

test('inventory, known_hosts and a fresh lab: all healthy, VIP on lb-01', async () => {
  const inv = parse(readFileSync(lab.inventoryPath, 'utf8')) as InventoryDoc;
  expect(inv.defaults.user).toBe('root');
  expect(inv.defaults.knownHostsPath).toBe(join(lab.dir, 'keys/known_hosts'));
  expect(inv.hosts.map((h) => [h.name, h.address, h.lb.kind])).toEqual([
    ['lb-01', '10.77.0.11', 'nginx'],
    ['lb-02', '10.77.0.12', 'nginx'],
    ['lb-03', '10.77.0.13', 'haproxy'],
    ['lb-04', '10.77.0.14', 'nginx'],
  ]);
  expect(inv.hosts[3]).toMatchObject({ user: 'portbot-diag', sudo: true });
  expect(inv.haGroups).toEqual([
    expect.objectContaining({ name: 'edge', vip: '10.77.0.100', members: ['lb-01', 'lb-02'] }),
  ]);
  const served = await servedHostKey('10.77.0.13');
  expect(inv.hosts[2]?.hostKey).toBe(fingerprintOf(served ?? ''));
  const kh = readFileSync(lab.knownHostsPath, 'utf8').trim().split('\n');
  expect(kh.map((l) => l.split(' ')[0])).toEqual([
    expect.stringMatching(/^\|1\|/),
    expect.stringMatching(/^\|1\|/),
    '10.77.0.13',
    '10.77.0.14',
  ]);
  // OpenSSH itself resolves the hashed entry.
  expect((await run(['ssh-keygen', '-F', '10.77.0.11', '-f', lab.knownHostsPath])).rc).toBe(0);
  for (const h of lab.hosts) {
    const r = await ssh(h.name, ['hostname; ss -Htlnp "sport = :80"'], 'root');
    expect(r.rc).toBe(0);
    expect(r.stdout).toContain(h.name);
    expect(r.stdout).toContain(`("${h.lb}",pid=`);
  }
  expect(await lab.vipHolders()).toEqual(['lb-01']);
});

test('hosts are isolated: processes, /etc/nginx and /tmp', async () => {
  await lab.startDetached('lb-01', ['/bin/sleep', '4242']);
  const seen = await ssh('lb-01', [
    'for i in 1 2 3 4 5 6 7 8 9 10; do pgrep -f "sleep 4242" && exit 0; sleep 0.1; done; exit 1',
  ]);
  expect(seen.rc).toBe(0);
  expect((await ssh('lb-02', ['ps -eo args'])).stdout).not.toContain('sleep 4242');
  await ssh('lb-01', ['echo mark > /tmp/mark; echo "# mark" >> /etc/nginx/mime.types']);
  expect(
    (await ssh('lb-02', ['cat /tmp/mark; grep -c "# mark" /etc/nginx/mime.types'])).stdout.trim(),
  ).toBe('0');
  await lab.reset('lb-01');
  expect((await lab.exec('lb-01', ['pgrep', '-f', 'sleep 4242'])).rc).toBe(1);
});

test('rogueListener: python3 holds :80, nginx failed with 98 in its error log', async () => {
  await lab.rogueListener('lb-01');
  const r = await ssh('lb-01', ['ss -Htlnp "sport = :80"; pgrep -x nginx || echo no-nginx']);
  expect(r.stdout).toMatch(/users:\(\("python3",pid=\d+/);
  expect(r.stdout).toContain('no-nginx');
  expect((await ssh('lb-01', ['cat /var/log/nginx/error.log'])).stdout).toContain(
    'bind() to 0.0.0.0:80 failed (98: Address already in use)',
  );
});

test('healthy after a scenario: nginx listens and the pid file names the master', async () => {
  await lab.healthy('lb-01');
  const r = await ssh('lb-01', ['cat /run/nginx.pid; ss -Htlnp "sport = :80"']);
  const pid = r.stdout.split('\n')[0];
  expect(r.stdout).toContain(`("nginx",pid=${pid},`);
});

test('orphanedLbMaster: nginx master on :80 without the managed pid file', async () => {
  const pid = await lab.orphanedLbMaster('lb-02');
  const r = await ssh('lb-02', [
    'ss -Htlnp "sport = :80"; test -e /run/nginx.pid && echo pidfile || echo no-pidfile',
  ]);
  expect(r.stdout).toContain(`("nginx",pid=${pid},`);
  expect(r.stdout).toContain('no-pidfile');
});

test('orphanedLbMaster on HAProxy with a stale pid file naming a dead pid', async () => {
  const pid = await lab.orphanedLbMaster('lb-03', { stalePidFile: true });
  const r = await ssh('lb-03', [
    'ss -Htlnp "sport = :80"; p=$(cat /run/haproxy.pid); kill -0 $p || echo dead-$p',
  ]);
  expect(r.stdout).toContain(`("haproxy",pid=${pid},`);
  expect(r.stdout).toMatch(/dead-\d+/);
});

test('ephemeralCollision on HAProxy: ESTAB from :80, no listener, 98; then the fix', async () => {
  await lab.ephemeralCollision('lb-03');
  const r = await ssh('lb-03', ['ss -Htan "sport = :80"; sysctl -n net.ipv4.ip_local_port_range']);
  expect(r.stdout).toMatch(/^ESTAB\s+\d+\s+\d+\s+10\.77\.0\.13:80\s+10\.77\.0\.1:9009/m);
  expect(r.stdout).not.toContain('LISTEN');
  expect(r.stdout).toMatch(/32768\s+60999/);
  expect(lab.lbLog('lb-03')).toContain(
    'cannot bind socket (Address already in use) for [0.0.0.0:80]',
  );
  await lab.fixEphemeralCollision('lb-03');
  const after = await ssh('lb-03', [
    'ss -Htlnp "sport = :80"; sysctl -n net.ipv4.ip_local_reserved_ports',
  ]);
  expect(after.stdout).toContain('("haproxy",pid=');
  expect(after.stdout.trim().endsWith('80')).toBe(true);
});

test('nonRootLb: EACCES in the nginx error log, nothing listens', async () => {
  await lab.nonRootLb('lb-02');
  expect(lab.lbLog('lb-02')).toContain('bind() to 0.0.0.0:80 failed (13: Permission denied)');
  expect((await lab.listeners('lb-02', 80)).length).toBe(0);
});

test('vipNotHeld: lb-02 lacks the VIP lb-01 holds, nginx failed with 99', async () => {
  await lab.vipNotHeld('lb-02');
  expect(await lab.vipHolders()).toEqual(['lb-01']);
  expect(lab.lbLog('lb-02')).toContain(
    'bind() to 10.77.0.100:80 failed (99: Cannot assign requested address)',
  );
  expect(
    (await ssh('lb-02', ['sysctl -n net.ipv4.ip_nonlocal_bind; cat /run/keepalived.state'])).stdout,
  ).toMatch(/^0\nBACKUP/);
});

test('duplicateListen: nginx -t fails naming the duplicate', async () => {
  await lab.duplicateListen('lb-01');
  const r = await ssh('lb-01', ['/usr/sbin/nginx -t']);
  expect(r.rc).not.toBe(0);
  expect(r.stderr).toContain('a duplicate listen 0.0.0.0:80');
});

test('timeWaitOnly: only TIME-WAIT sockets with local port 80, no owner', async () => {
  await lab.timeWaitOnly('lb-02');
  const r = await ssh('lb-02', ['ss -Htanp "sport = :80"']);
  const lines = r.stdout.trim().split('\n');
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(l).toMatch(/^TIME-WAIT\s.*10\.77\.0\.12:80\s+\S+\s*$/);
});

test('reset/lbDownPortFree clear TIME-WAIT leftovers: nothing on :80, LB down', async () => {
  await lab.lbDownPortFree('lb-02');
  expect(await lab.sockets('lb-02', 80)).toEqual([]);
  expect(await lab.lbRunning('lb-02')).toBe(false);
});

test('deletedExecutable: the listener runs from a deleted file under /opt', async () => {
  const pid = await lab.deletedExecutable('lb-03');
  const r = await ssh('lb-03', [`readlink /proc/${pid}/exe; ss -Htlnp "sport = :80"`]);
  expect(r.stdout).toContain('/opt/portbot-lab/lb-03/python3 (deleted)');
  expect(r.stdout).toContain(`pid=${pid},`);
});

test('changeHostKey: OpenSSH refuses (hashed known_hosts entry); restore brings the old key back', async () => {
  await lab.changeHostKey('lb-01');
  const refused = await ssh('lb-01', ['true']);
  expect(refused.rc).toBe(255);
  expect(refused.stderr).toContain('Host key verification failed');
  await lab.restore('lb-01');
  expect((await ssh('lb-01', ['true'])).rc).toBe(0);
});

test('sshdDown: connection refused; restore boots the host again', async () => {
  await lab.sshdDown('lb-02');
  expect(await tcpState('10.77.0.12', 22)).toBe('refused');
  const r = await ssh('lb-02', ['true']);
  expect(r.rc).toBe(255);
  expect(r.stderr).toContain('Connection refused');
  await lab.restore('lb-02');
  expect((await ssh('lb-02', ['hostname'])).stdout.trim()).toBe('lb-02');
});

test('lb-04: non-root login; sudo -n is needed for owners and permitted for the diagnostic ss', async () => {
  const who = await ssh('lb-04', ['id -un; ss -H -tuanp "( sport = :80 )"'], 'portbot-diag');
  expect(who.stderr).toBe('');
  expect(who.stdout.split('\n')[0]).toBe('portbot-diag');
  expect(who.stdout).not.toContain('users:');
  const sudo = await ssh(
    'lb-04',
    ['sudo -n /usr/bin/ss -H -tuanp "( sport = :80 )"'],
    'portbot-diag',
  );
  expect(sudo.rc).toBe(0);
  expect(sudo.stdout).toContain('("nginx",pid=');
  const copied = readFileSync(
    join(lab.hostDir('lb-04'), 'etc/sudoers.d/portbot-diagnostics'),
    'utf8',
  );
  if (existsSync(DEPLOY_SUDOERS)) {
    // The real rules: exactly the deploy file, and nothing beyond its read-only commands.
    expect(copied).toBe(readFileSync(DEPLOY_SUDOERS, 'utf8'));
    const denied = await ssh('lb-04', ['sudo -n /bin/sh -c id'], 'portbot-diag');
    expect(denied.rc).not.toBe(0);
    expect(denied.stderr).toMatch(/password is required|not allowed/);
  } else {
    expect(copied).toContain('LAB-ONLY FALLBACK');
  }
});

test('keepalived(false) releases the VIP everywhere, keepalived(true) elects lb-01', async () => {
  await lab.reset('lb-02');
  await lab.keepalived(false);
  expect(await lab.vipHolders()).toEqual([]);
  await lab.keepalived(true);
  expect(await lab.vipHolders()).toEqual(['lb-01']);
  expect((await ssh('lb-01', ['cat /run/keepalived.state'])).stdout.trim()).toBe('MASTER');
});

test('stop() leaves no namespace, veth, bridge or lab process behind', async () => {
  await lab.stop();
  expect(await labNetnsNames()).toEqual([]);
  const links = await run(['ip', '-o', 'link', 'show']);
  expect(links.stdout).not.toMatch(/pbbr0|pbv\d/);
  expect((await run(['pgrep', '-f', 'sshd -D -f /run/lab/sshd_config'])).rc).toBe(1);
});
