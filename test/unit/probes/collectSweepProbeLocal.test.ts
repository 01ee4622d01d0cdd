import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSweepProbe } from '../../../src/probes/collectSweepProbe';
import { hostConfig } from '../../support/factories/hostConfig';
import { nginxRunbook } from '../../support/factories/nginxRunbook';
import { localShellRunner } from '../../support/localShellRunner';

// The sweep batch run for real by /bin/sh on this machine (no SSH): proves its shell is valid,
// that it follows nginx includes the way nginx does, and that the parsers read what it prints.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pb-sweep-'));
  mkdirSync(join(dir, 'sites'));
  mkdirSync(join(dir, 'snippets'));
  // relative include (against the main file's folder), a glob, an include inside a server
  // block, a nested include, a quoted one, a commented one and one that matches nothing
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'events {}',
      'http {',
      '  include sites/*.conf;',
      "  include '" + join(dir, 'extra.conf') + "';",
      '  # include snippets/never.conf;',
      '  include conf.d/*.conf;',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'sites/a.conf'),
    'server { listen 8443 ssl; include snippets/listen.conf; }\n',
  );
  writeFileSync(join(dir, 'sites/b.conf'), 'server { listen 9080; listen 9080; }\n');
  writeFileSync(join(dir, 'snippets/listen.conf'), 'listen [::]:8443 ssl;\n');
  writeFileSync(join(dir, 'snippets/never.conf'), 'server { listen 7777; }\n');
  writeFileSync(join(dir, 'extra.conf'), 'include snippets/nested.conf;\n');
  writeFileSync(join(dir, 'snippets/nested.conf'), 'server { listen 127.0.0.1:8081; }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('collectSweepProbe against the real local /bin/sh', () => {
  it('reads the nginx config with its includes, every listener and the ephemeral range', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const host = hostConfig({ name: 'local', address: '127.0.0.1' });
      const p = await collectSweepProbe(
        localShellRunner,
        host,
        nginxRunbook(join(dir, 'nginx.conf')),
        null,
      );
      expect(p.configListens).toEqual([
        '0.0.0.0:8443',
        '[::]:8443',
        '0.0.0.0:9080',
        '0.0.0.0:9080',
        '127.0.0.1:8081',
      ]);
      const mine = p.listeners.find((s) => s.localPort === port);
      expect(mine?.owners.map((o) => o.pid)).toContain(process.pid);
      expect(p.sysctls.ipLocalPortRange).not.toBeNull();
      expect(p.ephemeralInUse).toEqual(expect.any(Number));
      expect(p.socketUnits).toBeNull(); // no systemd as PID 1 here
      expect(p.k8s).toEqual([]);
      expect(p.evidence.map((e) => e.probe)).toEqual(
        expect.arrayContaining(['meta', 'sysctl', 'listen', 'ephemeral', 'config', 'includes']),
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
