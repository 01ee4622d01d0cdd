import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultRunbooksDir, loadRunbooks } from '../../../src/config/loadRunbooks';
import { RunbookSchema } from '../../../src/config/runbookSchema';
import { PortbotError } from '../../../src/domain/PortbotError';
import type { Runbook } from '../../../src/domain/Runbook';

const GOOD = `kind: nginx
binary: /usr/sbin/nginx
programs: [nginx]
pidFile: /run/nginx.pid
unit: nginx.service
configFile: /etc/nginx/nginx.conf
errorLog: /var/log/nginx/error.log
logPatterns:
  addressInUse: 'bind\\(\\) to (?<address>\\S+) failed \\(98: '
  permissionDenied: 'bind\\(\\) to (?<address>\\S+) failed \\(13: '
  addressNotAvailable: 'bind\\(\\) to (?<address>\\S+) failed \\(99: '
configListen: nginx-listen
commands:
  configTest: nginx -t
  start: systemctl start nginx
  reload: systemctl reload nginx
  restart: systemctl restart nginx
  stop: systemctl stop nginx
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'portbot-runbooks-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PortbotError);
    expect((err as PortbotError).code).toBe('RUNBOOK_INVALID');
    return (err as Error).message
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^\s+- /, ''));
  }
  throw new Error('expected loadRunbooks to throw');
}

describe('loadRunbooks', () => {
  it('loads the shipped runbooks from the repo, found from src/config and from dist/config', () => {
    const shipped = defaultRunbooksDir();
    expect(shipped).toBe(path.resolve(__dirname, '../../../runbooks'));
    const fromDist = path.resolve(__dirname, '../../../dist/config');
    expect(defaultRunbooksDir(fromDist)).toBe(shipped);
    const runbooks = loadRunbooks(shipped);
    expect([...runbooks.keys()].sort()).toEqual(['haproxy', 'nginx']);
    expect(runbooks.get('haproxy')?.configListen).toBe('haproxy-bind');
  });

  it('loads a valid file keyed by kind', () => {
    write('nginx.yaml', GOOD);
    const rb: Runbook | undefined = loadRunbooks(dir).get('nginx');
    expect(rb?.programs).toEqual(['nginx']);
    expect(
      new RegExp(rb?.logPatterns.addressInUse ?? '').exec('bind() to 0.0.0.0:80 failed (98: x')
        ?.groups?.['address'],
    ).toBe('0.0.0.0:80');
  });

  it('lists every problem of every file at once, each with file, path and reason', () => {
    const broken = write(
      'haproxy.yaml',
      GOOD.replace('kind: nginx', 'kind: haproxy')
        .replace('programs: [nginx]', 'programs: []')
        .replace('pidFile: /run/nginx.pid', 'pidFile: run/nginx.pid')
        .replace("addressInUse: 'bind", "addressInUse: '(unclosed bind")
        .replace(
          "permissionDenied: 'bind\\(\\) to (?<address>\\S+)",
          "permissionDenied: 'bind\\(\\) to (\\S+)",
        )
        .replace('configListen: nginx-listen', 'configListen: caddy')
        .replace('  stop: systemctl stop nginx\n', '  stop: "  "\n')
        .concat('pidfile: /run/typo.pid\n'),
    );
    const badYaml = write('nginx.yaml', 'kind: nginx\nprograms: [nginx\n');
    const problems = problemsOf(() => loadRunbooks(dir));
    const expected: [string, RegExp][] = [
      [broken, /programs: must list at least one program name/],
      [broken, /pidFile: must be an absolute path/],
      [broken, /logPatterns\.addressInUse: does not compile/],
      [broken, /logPatterns\.permissionDenied: needs a named group \(\?<address>/],
      [broken, /configListen: /],
      [broken, /commands\.stop: must be a non-empty command/],
      [broken, /unknown field 'pidfile'/],
      [badYaml, /:\d+: /],
    ];
    for (const [file, re] of expected) {
      expect(problems.some((p) => p.startsWith(file) && re.test(p))).toBe(true);
    }
    expect(problems.length).toBeGreaterThanOrEqual(expected.length);
  });

  it('rejects a kind that does not match its file name, and an empty folder', () => {
    write('haproxy.yaml', GOOD);
    expect(problemsOf(() => loadRunbooks(dir))).toEqual([
      `${path.join(dir, 'haproxy.yaml')}: kind: "nginx" must match the file name "haproxy"`,
    ]);
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    expect(problemsOf(() => loadRunbooks(empty))[0]).toMatch(/no \*\.yaml runbooks found/);
    expect(problemsOf(() => loadRunbooks(path.join(dir, 'missing')))[0]).toMatch(
      /cannot read folder/,
    );
  });
});

describe('RunbookSchema', () => {
  it('missing fields are named', () => {
    const r = RunbookSchema.safeParse({ kind: 'nginx' });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining(['binary', 'programs', 'logPatterns', 'commands']),
    );
  });
});
