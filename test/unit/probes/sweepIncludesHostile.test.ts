import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSweepProbe } from '../../../src/probes/collectSweepProbe';
import { hostConfig } from '../../support/factories/hostConfig';
import { nginxRunbook } from '../../support/factories/nginxRunbook';
import { localShellRunner } from '../../support/localShellRunner';

// Hostile nginx include trees, run for real by /bin/sh on this machine (no SSH).
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pb-sweep-hostile-'));
  mkdirSync(join(dir, 'sites'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const host = hostConfig({ name: 'local', address: '127.0.0.1' });

describe('the sweep batch against hostile include trees', () => {
  it('a file name with a backslash does not cut off the includes that follow it', async () => {
    writeFileSync(join(dir, 'nginx.conf'), 'http { include sites/*.conf; }\n');
    // printf %b would read "\c" as "stop output here"
    writeFileSync(join(dir, 'sites', 'a\\cz.conf'), 'server { listen 8081; }\n');
    writeFileSync(join(dir, 'sites', 'b.conf'), 'server { listen 9080; }\n');
    const p = await collectSweepProbe(
      localShellRunner,
      host,
      nginxRunbook(join(dir, 'nginx.conf')),
      null,
    );
    expect(p.configListens).toEqual(['0.0.0.0:8081', '0.0.0.0:9080']);
  });

  it('a file name with a backslash-t is not split into a forged pattern line', async () => {
    writeFileSync(join(dir, 'nginx.conf'), 'http { include sites/*.conf; }\n');
    writeFileSync(join(dir, 'sites', 'a\\nb.conf'), 'server { listen 8082; }\n');
    const p = await collectSweepProbe(
      localShellRunner,
      host,
      nginxRunbook(join(dir, 'nginx.conf')),
      null,
    );
    expect(p.configListens).toEqual(['0.0.0.0:8082']);
  });

  it('an include of itself, and a symlink to /dev/zero are read once or skipped', async () => {
    writeFileSync(
      join(dir, 'nginx.conf'),
      'http { include nginx.conf; include sites/*; server { listen 7070; } }\n',
    );
    symlinkSync('/dev/zero', join(dir, 'sites', 'zero'));
    const p = await collectSweepProbe(
      localShellRunner,
      host,
      nginxRunbook(join(dir, 'nginx.conf')),
      null,
    );
    expect(p.configListens).toContain('0.0.0.0:7070');
  });

  it('more included files than the sweep reads is reported, not silently dropped', async () => {
    writeFileSync(join(dir, 'nginx.conf'), 'http { include sites/*.conf; }\n');
    for (let i = 0; i < 2000; i++) {
      writeFileSync(
        join(dir, 'sites', `s${String(i).padStart(4, '0')}.conf`),
        `server { listen ${10000 + i}; }\n`,
      );
    }
    const p = await collectSweepProbe(
      localShellRunner,
      host,
      nginxRunbook(join(dir, 'nginx.conf')),
      null,
    );
    expect(p.configListens).toHaveLength(64);
    expect(p.missing.map((m) => m.code)).toContain('lb-config-includes-unread');
  });
});
