import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * The .ts a shipped .js was compiled from. The workspace page's browser code has its own
 * tsconfig (src/localWorkspace/browser/) and lands under localWorkspace/public/js/.
 */
function sourceOf(rel: string): string {
  const page = join('localWorkspace', 'public', 'js');
  const from = rel.startsWith(`${page}/`)
    ? join('src', 'localWorkspace', relative(page, rel))
    : join('src', rel);
  return from.replace(/\.js$/, '.ts');
}

/** Relative require() targets of a compiled CommonJS file. */
function relativeRequires(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)].map((m) => m[1] ?? '');
}

describe('the build output (npm run build)', () => {
  const shipped = existsSync(dist) ? filesUnder(dist).filter((f) => f.endsWith('.js')) : [];

  it('exists', () => {
    expect(shipped.length).toBeGreaterThan(50);
    expect(shipped).toContain(join(dist, 'cli', 'main.js'));
  });

  it('holds only compiled src/: no test, bench or lab code', () => {
    const withoutSource = shipped
      .map((f) => relative(dist, f))
      .filter((rel) => !existsSync(join(root, sourceOf(rel))));
    expect(withoutSource).toEqual([]);
    for (const top of ['test', 'bench', 'src', 'lab'])
      expect(existsSync(join(dist, top))).toBe(false);
  });

  it('never requires a file outside dist/', () => {
    const escaping = shipped.flatMap((f) =>
      relativeRequires(f)
        .map((target) => resolve(dirname(f), target))
        .filter((target) => relative(dist, target).startsWith('..'))
        .map((target) => `${relative(dist, f)} → ${relative(root, target)}`),
    );
    expect(escaping).toEqual([]);
  });

  it('portbot --version prints the version in package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const { stdout } = await promisify(execFile)('node', [
      join(dist, 'cli', 'main.js'),
      '--version',
    ]);
    expect(stdout).toBe(`${pkg.version}\n`);
  });
});
