import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DIAG_USER } from './labTypes';
import { run, runOk } from './run';

/** The repo root, from test/lab (jest) or dist-dev/test/lab (compiled). */
function repoRoot(): string {
  let d = __dirname;
  while (!existsSync(join(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
}

export const DEPLOY_SUDOERS = join(repoRoot(), 'deploy', 'sudoers', 'portbot-diagnostics');

const FALLBACK_SUDOERS = `# PORTBOT LAB-ONLY FALLBACK: deploy/sudoers/portbot-diagnostics did not exist when the lab started.
# Never ship this: it grants everything.
${DIAG_USER} ALL=(root) NOPASSWD: ALL
`;

/**
 * Home of the diagnostics user: /run/lab is each host's own tree (<dir>/hosts/<name>), so the
 * home lives under the lab dir and exists in every host (sshd would otherwise print "Could not
 * chdir to home directory" on every exec's stderr).
 */
export const DIAG_HOME = '/run/lab/home';

/** The non-root diagnostics account: system user, no password but not locked (sshd UsePAM no). */
export async function ensureDiagUser(): Promise<{ uid: number; gid: number }> {
  const exists = await run(['id', '-u', DIAG_USER]);
  if (exists.rc !== 0) {
    await runOk([
      'useradd',
      '--system',
      '--no-create-home',
      '--home-dir',
      DIAG_HOME,
      '--shell',
      '/bin/sh',
      DIAG_USER,
    ]);
  }
  await runOk(['usermod', '-p', '*', '-d', DIAG_HOME, '-s', '/bin/sh', DIAG_USER]);
  const uid = Number((await runOk(['id', '-u', DIAG_USER])).trim());
  const gid = Number((await runOk(['id', '-g', DIAG_USER])).trim());
  return { uid, gid };
}

/** The sudoers.d text for non-root hosts: the deploy file when present and valid, else the fallback. */
export async function diagSudoers(labDir: string, log: (msg: string) => void): Promise<string> {
  if (!existsSync(DEPLOY_SUDOERS)) {
    log(`WARNING: ${DEPLOY_SUDOERS} missing; lab-only fallback grants ${DIAG_USER} ALL`);
    return FALLBACK_SUDOERS;
  }
  const text = readFileSync(DEPLOY_SUDOERS, 'utf8');
  const probe = join(labDir, 'sudoers.check');
  writeFileSync(probe, text, { mode: 0o440 });
  const check = await run(['visudo', '-c', '-q', '-f', probe]);
  if (check.rc !== 0) {
    log(
      `WARNING: ${DEPLOY_SUDOERS} fails visudo -c (${check.stdout.trim()} ${check.stderr.trim()}); using lab-only fallback`,
    );
    return FALLBACK_SUDOERS;
  }
  return text;
}
