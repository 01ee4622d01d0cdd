import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from './Lab';
import { KEEPALIVED_ARGV } from './lbConfigs';
import { netnsOf } from './labTypes';
import { run } from './run';
import { waitFor } from './waitFor';

function groupOf(lab: Lab, group: string): { vip: string; members: string[] } {
  const g = lab.groups.find((x) => x.name === group);
  if (!g) throw new Error(`no lab haGroup ${group}`);
  return g;
}

async function keepalivedRunning(lab: Lab, name: string): Promise<boolean> {
  return (await lab.exec(name, ['pgrep', '-x', 'keepalived'])).rc === 0;
}

/** Starts keepalived in the host unless it runs; logs to /var/log/keepalived.log. */
export async function ensureKeepalived(lab: Lab, name: string): Promise<void> {
  if (await keepalivedRunning(lab, name)) return;
  await lab.startDetached(name, KEEPALIVED_ARGV, 'keepalived.log');
  await waitFor(`${name}: keepalived running`, () => keepalivedRunning(lab, name));
}

export async function vipHolders(lab: Lab, group: string): Promise<string[]> {
  const g = groupOf(lab, group);
  const held = await Promise.all(
    g.members.map(async (m) => {
      const r = await run(['ip', '-n', netnsOf(m), '-br', '-4', 'addr', 'show', 'dev', 'eth0']);
      return r.stdout.includes(` ${g.vip}/`) ? m : null;
    }),
  );
  return held.filter((m): m is string => m !== null);
}

/** Resolves when node, and only node, holds the group's VIP. */
export async function waitVip(
  lab: Lab,
  node: string,
  group: string,
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(
    `VIP of ${group} on ${node} only`,
    async () => {
      const h = await vipHolders(lab, group);
      return h.length === 1 && h[0] === node;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** The member that should be MASTER with the current configs (highest effective priority). */
export function expectedMaster(lab: Lab, group: string): string {
  const ranked = groupOf(lab, group)
    .members.map((m) => ({ m, p: lab.keepalivedParams(m)?.priority ?? 0 }))
    .sort((a, b) => b.p - a.p);
  const top = ranked[0];
  if (!top) throw new Error(`haGroup ${group} has no members`);
  return top.m;
}

/** up: keepalived on every member, waits for the expected MASTER. down: SIGTERM (VIP released cleanly). */
export async function keepalivedSwitch(lab: Lab, up: boolean, group: string): Promise<void> {
  const g = groupOf(lab, group);
  if (up) {
    await Promise.all(g.members.map((m) => ensureKeepalived(lab, m)));
    await waitVip(lab, expectedMaster(lab, group), group);
    return;
  }
  for (const m of g.members) {
    const pidFile = join(lab.hostDir(m), 'run/keepalived.pid');
    // The pid file holds the host-namespace pid: signal it from inside the host.
    if (existsSync(pidFile))
      await lab.exec(m, ['kill', '-TERM', readFileSync(pidFile, 'utf8').trim()]);
  }
  await waitFor(
    `keepalived stopped on ${group}`,
    async () => {
      const running = await Promise.all(g.members.map((m) => keepalivedRunning(lab, m)));
      return !running.includes(true) && (await vipHolders(lab, group)).length === 0;
    },
    { timeoutMs: 10_000 },
  );
}
