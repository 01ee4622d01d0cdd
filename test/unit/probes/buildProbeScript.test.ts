import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeScriptInput } from '../../../src/probes/buildProbeScript';
import { buildProbeScript } from '../../../src/probes/buildProbeScript';
import { errorOf } from './fixture';

function input(over: Partial<ProbeScriptInput> = {}): ProbeScriptInput {
  return {
    port: 80,
    nonce: 'abcdef0123456789',
    sudo: false,
    vip: '10.0.0.100',
    lb: {
      kind: 'nginx',
      binary: '/usr/sbin/nginx',
      pidFile: '/run/nginx.pid',
      unit: 'nginx.service',
      errorLog: '/var/log/nginx/error.log',
      configFile: '/etc/nginx/nginx.conf',
      configTest: 'nginx -t',
    },
    ...over,
  };
}

describe('buildProbeScript', () => {
  it.each([0, 70000, NaN, 80.5, -1, '80; x', '0x50', '8e1'])(
    'rejects port %p with BAD_PORT',
    (port) => {
      expect(errorOf(() => buildProbeScript(input({ port: port as number })))).toMatchObject({
        name: 'PortbotError',
        code: 'BAD_PORT',
      });
    },
  );

  it('reads ports with the same rule as chat and alerts (domain/parsePort)', () => {
    // A decimal string is what parsePort accepts everywhere else; the script gets the number.
    expect(buildProbeScript(input({ port: ' 8080' as unknown as number }))).toContain(
      `ss -H -tuanp '( sport = :8080 )'`,
    );
  });

  it('takes unit names and VIPs by the inventory schema rules', () => {
    const unit = (u: string) => () => buildProbeScript(input({ lb: { ...input().lb!, unit: u } }));
    expect(unit('haproxy@edge.service')).not.toThrow();
    expect(unit('nginx\\x2dedge.service')).not.toThrow();
    expect(errorOf(unit('-nginx.service'))).toMatchObject({ code: 'INVENTORY_INVALID' });
    expect(errorOf(unit('nginx service'))).toMatchObject({ code: 'INVENTORY_INVALID' });
    expect(buildProbeScript(input({ vip: '2001:db8::100' }))).toContain(
      `ip -o addr show to '2001:db8::100'`,
    );
    // Hex-and-dots shapes that are not addresses passed the old check; `ip` would then fail.
    for (const vip of ['dead.beef', '10.0.0.256', 'a:b:c', 'vip.example.com']) {
      expect(errorOf(() => buildProbeScript(input({ vip })))).toMatchObject({
        code: 'INVENTORY_INVALID',
      });
    }
  });

  it('caps each process command line (argv can run to megabytes)', () => {
    const script = buildProbeScript(input());
    expect(script).toContain('head -c 4096 "/proc/$p/cmdline"');
    expect(script).not.toContain('cat "/proc/$p/cmdline"');
  });

  it('describes the managed pid before the socket holders (the walk stops at maxPids)', () => {
    const script = buildProbeScript(input());
    expect(script.indexOf('w "$mp"')).toBeGreaterThan(0);
    expect(script.indexOf('w "$mp"')).toBeLessThan(script.indexOf('for h in $H; do w "$h"'));
  });

  it('lists socket units only when systemd runs and a process named systemd holds the port', () => {
    const script = buildProbeScript(input({ sudo: true }));
    const at = script.indexOf(
      `case $S in *'("systemd",pid='*) if [ -d /run/systemd/system ]; then`,
    );
    expect(at).toBeGreaterThan(script.indexOf('b ss'));
    expect(script).toContain(
      'L=$($T systemctl list-sockets --all --full --no-legend --no-pager --show-types 2>&1 </dev/null)',
    );
    expect(script).toContain(`printf '%s\\n' "$L" | head -n 200; e activation $r`);
    expect(script).not.toContain('sudo -n systemctl');
  });

  it('bounds every systemctl call: a hung manager must not take the whole batch down', () => {
    const script = buildProbeScript(input());
    expect(script).toContain("T=; command -v timeout >/dev/null 2>&1 && T='timeout 2'");
    const calls = script.split('\n').filter((l) => /\$\((\$T )?systemctl /.test(l));
    expect(calls).toHaveLength(2);
    for (const l of calls) expect(l).toMatch(/\$\(\$T systemctl /);
    expect(script).toContain(
      `[ "$r" = 124 ] && [ -n "$T" ] && L='systemctl list-sockets: no answer within 2 s'`,
    );
  });

  it('reads the .oldbin pid file of an nginx binary upgrade, quoted, and describes that process', () => {
    const script = buildProbeScript(input({ lb: { ...input().lb!, pidFile: '/run/$(id).pid' } }));
    expect(script).toContain(`ob=; read -r ob 2>/dev/null <'/run/$(id).pid.oldbin'`);
    expect(script).toContain('[ -n "$ob" ] && [ -d "/proc/$ob" ] && echo "oldbin=$ob"');
    expect(script.indexOf('[ -n "$ob" ] && w "$ob"')).toBeLessThan(
      script.indexOf('for h in $H; do w "$h"'),
    );
    // without an LB there is no pid file to read, and the walk still runs
    expect(buildProbeScript(input({ lb: null }))).toContain('mp=; ob=');
  });

  it('starts with LC_ALL=C and the explicit PATH, and never scans all processes', () => {
    const script = buildProbeScript(input());
    expect(
      script.startsWith(
        'LC_ALL=C; export LC_ALL\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; export PATH\n',
      ),
    ).toBe(true);
    expect(script).not.toMatch(/ps -e|ps aux|\/proc\/\*/);
    expect(script).toContain(`ss -H -tuanp '( sport = :80 )'`);
    expect(script).toContain("M='@@PB-abcdef0123456789'");
  });

  it('quotes paths from the inventory and keeps hostile values literal', () => {
    const script = buildProbeScript(
      input({
        lb: {
          ...input().lb!,
          errorLog: "/var/log/x'; touch /tmp/pwned; '",
          pidFile: '/run/$(id).pid',
        },
      }),
    );
    expect(script).toContain(`tail -n 200 '/var/log/x'\\''; touch /tmp/pwned; '\\'''`);
    expect(script).toContain(`<'/run/$(id).pid'`);
  });

  it('prefixes only the privileged probes with sudo -n when host.sudo is set', () => {
    const plain = buildProbeScript(input());
    const sudo = buildProbeScript(input({ sudo: true }));
    expect(plain).not.toContain('sudo');
    for (const cmd of [
      `sudo -n ss -H -tuanp '( sport = :80 )'`,
      'sudo -n readlink "/proc/$p/exe"',
      `sudo -n tail -n 200 '/var/log/nginx/error.log'`,
      `sudo -n journalctl -u 'nginx.service' -n 200 --no-pager -o short-iso`,
      'sudo -n nginx -t',
      `sudo -n head -c 262144 '/etc/nginx/nginx.conf'`,
      `sudo -n head -c 64 '/run/nginx.pid'`,
    ]) {
      expect(sudo).toContain(cmd);
    }
    expect(sudo).not.toMatch(/sudo -n (cat|getent|grep|ip|pidof)/);
  });

  it('rejects option-like or malformed inventory values', () => {
    expect(
      errorOf(() => buildProbeScript(input({ lb: { ...input().lb!, unit: '-x' } }))),
    ).toMatchObject({ code: 'INVENTORY_INVALID' });
    expect(
      errorOf(() => buildProbeScript(input({ lb: { ...input().lb!, errorLog: 'relative.log' } }))),
    ).toMatchObject({ code: 'INVENTORY_INVALID' });
    expect(errorOf(() => buildProbeScript(input({ vip: '10.0.0.1; id' })))).toMatchObject({
      code: 'INVENTORY_INVALID',
    });
    expect(errorOf(() => buildProbeScript(input({ nonce: 'x y' })))).toMatchObject({
      code: 'INTERNAL',
    });
  });

  it.each(['/bin/dash', '/bin/bash'])(
    'is valid syntax for %s, with and without lb/ha/sudo',
    (sh) => {
      const dir = mkdtempSync(join(tmpdir(), 'pbscript-'));
      for (const over of [{}, { sudo: true }, { lb: null, vip: null }]) {
        const file = join(dir, 'probe.sh');
        writeFileSync(file, buildProbeScript(input(over)));
        expect(() => execFileSync(sh, ['-n', file])).not.toThrow();
      }
    },
  );
});
