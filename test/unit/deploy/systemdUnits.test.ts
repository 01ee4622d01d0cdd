import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EnvConfigSchema } from '../../../src/config/EnvConfigSchema';

/**
 * deploy/systemd against systemd's own parser. `systemd-analyze verify` exits 0 even for an
 * unknown key or a bad value and only prints a line, so any output at all is a failure.
 */
const repo = resolve(__dirname, '../../..');
const dir = join(repo, 'deploy/systemd');
const UNITS = { serve: 'portbot-serve.service', worker: 'portbot-worker.service' } as const;

function run(cmd: string, args: string[], cwd = dir) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

/** `Key=value` lines of a unit, every value of a repeated key, in order. */
function directives(file: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) map.set(m[1], [...(map.get(m[1]) ?? []), m[2]]);
  }
  return map;
}

const one = (d: Map<string, string[]>, key: string) => {
  const values = d.get(key) ?? [];
  expect([key, values.length]).toEqual([key, 1]);
  return values[0];
};

describe('systemd units (deploy/systemd)', () => {
  it('ships exactly the two units and the sysusers file', () => {
    expect(readdirSync(dir).sort()).toEqual(
      [UNITS.serve, UNITS.worker, 'portbot.sysusers.conf'].sort(),
    );
  });

  it('systemd-analyze verify prints nothing for either unit', () => {
    const r = run('systemd-analyze', ['verify', UNITS.serve, UNITS.worker]);
    expect(r).toEqual({ status: 0, out: '' });
  });

  it('the same check catches a misspelt key and a bad value (it is not blind)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'portbot-units-'));
    try {
      const broken = readFileSync(join(dir, UNITS.worker), 'utf8')
        .replace('NoNewPrivileges=yes', 'NoNewPrivilege=yes')
        .replace('ProtectSystem=strict', 'ProtectSystem=strcit');
      writeFileSync(join(tmp, UNITS.worker), broken);
      const r = run('systemd-analyze', ['verify', UNITS.worker], tmp);
      expect(r.out).toContain("Unknown key 'NoNewPrivilege'");
      expect(r.out).toContain('strcit');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it.each(Object.entries(UNITS))('%s: dedicated user, hardening, EnvironmentFile', (kind, unit) => {
    const d = directives(unit);
    expect(one(d, 'User')).toBe('portbot');
    expect(one(d, 'Group')).toBe('portbot');
    expect(one(d, 'NoNewPrivileges')).toBe('yes');
    expect(one(d, 'ProtectSystem')).toBe('strict');
    expect(one(d, 'ProtectHome')).toBe('yes');
    expect(one(d, 'PrivateTmp')).toBe('yes');
    // empty: the process may hold no capability at all, even if something grants one
    expect(one(d, 'CapabilityBoundingSet')).toBe('');
    expect(one(d, 'AmbientCapabilities')).toBe('');
    expect(one(d, 'EnvironmentFile')).toBe('/etc/portbot/portbot.env');
    expect(one(d, 'ExecStart')).toBe(`/usr/bin/node /opt/portbot/dist/cli/main.js ${kind}`);
    // exit 2 is a configuration error (docs/reference/cli.md): restarting cannot fix it
    expect(one(d, 'RestartPreventExitStatus')).toBe('2');
  });

  it.each(Object.values(UNITS))(
    '%s: systemd rates its exposure "OK" (at most 2.0 of 10)',
    (unit) => {
      const r = run('systemd-analyze', ['security', '--offline=true', unit]);
      const level = /Overall exposure level for \S+: ([0-9.]+) (\w+)/.exec(r.out);
      expect(level?.[2]).toBe('OK');
      expect(Number(level?.[1])).toBeLessThanOrEqual(2);
    },
  );

  it('the worker outlives its remediation drain on stop, and serves its health port', () => {
    const d = directives(UNITS.worker);
    const defaults = EnvConfigSchema.parse({});
    const stopSeconds = Number(/^(\d+)s$/.exec(one(d, 'TimeoutStopSec') ?? '')?.[1]);
    expect(stopSeconds * 1000).toBeGreaterThan(defaults.PORTBOT_REMEDIATION_DRAIN_MS);
    expect(stopSeconds * 1000).toBeGreaterThan(defaults.PORTBOT_DRAIN_MS);
    expect(d.get('Environment')).toEqual(['PORTBOT_WORKER_HTTP_PORT=3001']);
  });

  it('serve answers its probes and /metrics on a health port of its own', () => {
    expect(directives(UNITS.serve).get('Environment')).toEqual(['PORTBOT_HEALTH_PORT=3002']);
  });

  it('serve cannot read the remediation key', () => {
    expect(directives(UNITS.serve).get('InaccessiblePaths')).toEqual([
      '-/etc/portbot/keys/remediate_ed25519',
    ]);
    expect(directives(UNITS.worker).get('InaccessiblePaths')).toBeUndefined();
  });

  it('every variable a unit sets is one portbot reads', () => {
    const known = Object.keys(EnvConfigSchema.shape);
    for (const unit of Object.values(UNITS))
      for (const assignment of directives(unit).get('Environment') ?? [])
        expect(known).toContain(assignment.split('=')[0]);
  });

  it('sysusers creates the same user, with no login shell', () => {
    const lines = readFileSync(join(dir, 'portbot.sysusers.conf'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^u portbot - "[^"]+" \/nonexistent \/usr\/sbin\/nologin$/);
    // systemd-sysusers creates it for real, in a scratch root
    const root = mkdtempSync(join(tmpdir(), 'portbot-sysusers-'));
    try {
      mkdirSync(join(root, 'etc'));
      const r = run('systemd-sysusers', [`--root=${root}`, join(dir, 'portbot.sysusers.conf')]);
      expect(r.status).toBe(0);
      expect(readFileSync(join(root, 'etc/passwd'), 'utf8')).toMatch(
        /^portbot:x:\d+:\d+:portbot ChatOps bot:\/nonexistent:\/usr\/sbin\/nologin$/m,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('sudoers rules (deploy/sudoers)', () => {
  const sudoersDir = join(repo, 'deploy/sudoers');
  it.each(readdirSync(sudoersDir))('%s passes visudo -cf', (file) => {
    const r = run('visudo', ['-cf', join(sudoersDir, file)]);
    expect(r.status).toBe(0);
    expect(r.out).toContain('parsed OK');
  });
});
