import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const repo = resolve(__dirname, '../../..');
const script = join(repo, 'scripts/checkFolderCycles.mjs');

function check(root: string) {
  const run = spawnSync(process.execPath, [script, root], { cwd: repo, encoding: 'utf8' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('scripts/checkFolderCycles.mjs', () => {
  let dir: string;
  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'folder-cycles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the real source tree', () => {
    const run = check(join(repo, 'src'));
    expect(run.out).toContain('no folder cycles');
    expect(run.status).toBe(0);
  });

  // No file cycle here: only the folders depend on each other, which file-level tools miss.
  it('fails when two folders import each other through different files', () => {
    write({
      'audit/handleExport.ts': "import { sendJson } from '../ingress/http/sendJson';\n",
      'audit/recordAudit.ts': 'export const recordAudit = 1;\n',
      'ingress/http/sendJson.ts': 'export const sendJson = 1;\n',
      'ingress/acceptAlerts.ts': "import type { recordAudit } from '../audit/recordAudit';\n",
    });
    const run = check(dir);
    expect(run.status).toBe(1);
    expect(run.out).toContain('folder cycle: audit, ingress');
    expect(run.out).toContain(
      'audit -> ingress (audit/handleExport.ts -> ingress/http/sendJson.ts)',
    );
    expect(run.out).toContain('ingress -> audit (ingress/acceptAlerts.ts -> audit/recordAudit.ts)');
  });

  it('fails on a cycle through a third folder, whatever the import form', () => {
    write({
      'a/one.ts': "export { b } from '../b';\n",
      'b/index.ts': "export const b = require('../c/three');\n",
      'c/three.ts': "export const load = () => import('../a/one');\n",
    });
    const run = check(dir);
    expect(run.status).toBe(1);
    expect(run.out).toContain('folder cycle: a, b, c');
  });

  it('allows imports in one direction and within a folder', () => {
    write({
      'core/rule.ts': "import { helper } from './sub/helper';\nexport const rule = helper;\n",
      'core/sub/helper.ts': "import { rule } from '../rule';\nexport const helper = rule;\n",
      'edge/adapter.ts': "import { rule } from '../core/rule';\nimport 'zod';\nexport { rule };\n",
    });
    const run = check(dir);
    expect(run.out).toContain('no folder cycles');
    expect(run.status).toBe(0);
  });

  it('warns about a relative import it cannot resolve instead of skipping it silently', () => {
    write({
      'core/rule.ts': "import { gone } from '../edge/gone';\nexport const rule = gone;\n",
      'edge/adapter.ts': 'export const adapter = 1;\n',
    });
    const run = check(dir);
    expect(run.out).toContain('warning: core/rule.ts: cannot resolve ../edge/gone');
    expect(run.out).toContain('no folder cycles');
  });

  it('passes the real source tree without warnings', () => {
    expect(check(join(repo, 'src')).out).not.toContain('warning');
  });
});
