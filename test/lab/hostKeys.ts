import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from './Lab';
import { generateKey, readPublicKey } from './knownHosts';
import { run } from './run';
import { waitFor } from './waitFor';

const KEY = 'ssh_host_ed25519_key';

/** The key sshd currently presents, as "ssh-ed25519 AAAA..." (undefined while it is not answering). */
export async function servedHostKey(address: string): Promise<string | undefined> {
  const r = await run(['ssh-keyscan', '-T', '2', '-t', 'ed25519', address], { timeoutMs: 5000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith(`${address} `));
  return line?.split(' ').slice(1, 3).join(' ');
}

async function swapKeyAndHup(lab: Lab, name: string, fromBase: string): Promise<void> {
  const h = lab.hostDir(name);
  const expected = readPublicKey(`${fromBase}.pub`);
  copyFileSync(fromBase, join(h, `${KEY}.next`));
  copyFileSync(`${fromBase}.pub`, join(h, `${KEY}.next.pub`));
  renameSync(join(h, `${KEY}.next`), join(h, KEY));
  renameSync(join(h, `${KEY}.next.pub`), join(h, `${KEY}.pub`));
  // sshd re-execs itself on SIGHUP and rereads its host keys; as PID 1 it keeps its pid.
  process.kill(await lab.sshdPid(name), 'SIGHUP');
  await waitFor(
    `${name}: sshd presenting the new key`,
    async () => (await servedHostKey(lab.host(name).address)) === expected,
    {
      timeoutMs: 10_000,
      intervalMs: 100,
    },
  );
}

export async function changeHostKey(lab: Lab, name: string): Promise<void> {
  const h = lab.hostDir(name);
  const fresh = join(h, 'rotated_host_key');
  rmSync(fresh, { force: true });
  rmSync(`${fresh}.pub`, { force: true });
  await generateKey(fresh, `${name}-rotated`);
  await swapKeyAndHup(lab, name, fresh);
}

/** Boots the host if its sshd is gone, and puts the original host key back if it was changed. */
export async function restoreHost(lab: Lab, name: string): Promise<void> {
  if (!lab.isUp(name)) await lab.bootHost(name);
  const h = lab.hostDir(name);
  const orig = join(h, `${KEY}.orig`);
  if (!existsSync(orig)) return;
  if ((await servedHostKey(lab.host(name).address)) !== readPublicKey(`${orig}.pub`))
    await swapKeyAndHup(lab, name, orig);
}
