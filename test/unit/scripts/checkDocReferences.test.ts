import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const repo = resolve(__dirname, '../../..');
const script = join(repo, 'scripts/checkDocReferences.mjs');

function check(cwd: string, ...roots: string[]) {
  const run = spawnSync(process.execPath, [script, ...roots], { cwd, encoding: 'utf8' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

// Built from parts so this file does not trip the check it tests.
const outside = {
  numberedSection: ['/** Defaults of ', 'section', ' 4. */'].join(''),
  spec: ['// see the ', 'con', 'tract'].join(''),
  labNotes: ['// measured, see ', 'LAB', '-NOTES'].join(''),
  sharedFolder: ['See [notes](..', '/shared/notes.md).'].join(''),
  oldTable: ['an extension of the ', 'original', ' table'].join(''),
};

describe('scripts/checkDocReferences.mjs', () => {
  let dir: string;
  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'doc-references-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the repository as it is', () => {
    const run = check(repo);
    expect(run.out).toContain('no references to documents outside the repository');
    expect(run.status).toBe(0);
  });

  it.each(Object.entries(outside))('fails on %s and names the line', (_kind, line) => {
    write({ 'src/a/file.ts': `export const x = 1;\n${line}\n`, 'docs/ok.md': '# fine\n' });
    const run = check(dir, 'src', 'docs');
    expect(run.status).toBe(1);
    expect(run.out).toContain(`src/a/file.ts:2: ${line.trim()}`);
    expect(run.out).not.toContain('docs/ok.md');
  });

  it('passes in-repo citations', () => {
    write({
      'src/a.ts': '/** Step kinds: docs/reference/remediation.md. */\n',
      'README.md': 'See docs/adr/0001.\n',
    });
    const run = check(dir, 'src', 'README.md');
    expect(run.status).toBe(0);
  });
});
