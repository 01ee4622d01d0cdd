import { netnsOf } from '../test/lab/labTypes';
import type { Lab } from '../test/lab/Lab';
import { labNetnsNames } from '../test/lab/network';
import { startLab } from '../test/lab/startLab';
import { stopLab } from '../test/lab/stopLab';

/*
 * The lab network (bridge, pb-* namespaces, 10.77/16) is machine-wide and every startLab()
 * tears down whatever lab runs. A test run started while the bench runs therefore replaces our
 * hosts (new host keys, killed sshds): the bench must say so instead of blaming portbot, and
 * must never tear down a lab that is no longer ours.
 */

export function benchHostNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `bench-${String(i + 1).padStart(2, '0')}`);
}

/** Starts a lab of bench hosts only, refusing to replace a running lab unless told to. */
export async function startBenchLab(
  names: readonly string[],
  dir: string,
  takeover: boolean,
  log: (msg: string) => void,
): Promise<Lab> {
  const running = await labNetnsNames();
  if (running.length > 0 && !takeover) {
    throw new Error(
      `a lab is already up (${running.length} pb-* namespaces); stop it with \`npm run lab:down\` or set PORTBOT_BENCH_TAKEOVER=1`,
    );
  }
  // Bench hosts only: no keepalived pair, no sudo user, nothing idle to add noise.
  const opts = { dir, hosts: [], benchHosts: names.length, keepalived: false };
  return startLab(opts, log).catch(async (err: unknown) => {
    // A half-started lab of ours is cleaned up; one that someone else started meanwhile is not.
    if ((await foreignNetns(names)).length === 0) await stopLab(dir);
    throw err;
  });
}

async function foreignNetns(names: readonly string[]): Promise<string[]> {
  const ours = new Set(names.map(netnsOf));
  return (await labNetnsNames()).filter((n) => !ours.has(n));
}

/** Why the lab is no longer ours, or undefined when every bench host still runs alone. */
export async function labTakenOver(
  lab: Lab,
  names: readonly string[],
): Promise<string | undefined> {
  const foreign = await foreignNetns(names);
  const down = names.filter((n) => !lab.isUp(n));
  if (foreign.length === 0 && down.length === 0) return undefined;
  const others = foreign.slice(0, 4).join(' ') || 'none';
  return `the lab was replaced while the bench ran (${down.length} bench hosts gone, other lab namespaces: ${others}); run again when no lab test is running`;
}
