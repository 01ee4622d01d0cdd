import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resetLogs, writeBaselineConfigs } from './hostFiles';
import type { Lab } from './Lab';
import { netnsOf } from './labTypes';
import { netnsPids, stopBusyClients } from './network';
import { killQuietly, run } from './run';
import { OPT_DIR } from './stopLab';
import { removeSystemdLeftovers } from './systemdHost';
import { waitFor } from './waitFor';

/** Order matters: the kernel keeps the local port range above ip_unprivileged_port_start. */
export const BASELINE_SYSCTLS = [
  'net.ipv4.ip_local_port_range=32768 60999',
  'net.ipv4.ip_unprivileged_port_start=1024',
  'net.ipv4.ip_local_reserved_ports=',
  'net.ipv4.ip_nonlocal_bind=0',
];

/** The body of Lab.reset for a running host (see there). */
export async function resetHost(lab: Lab, name: string): Promise<void> {
  // Their connections would hold the port's sockets in the root namespace (CLOSE-WAIT).
  stopBusyClients();
  const sshd = await lab.sshdPid(name);
  const keep = new Set([lab.wrapperPid(name), sshd]);
  const ns = netnsOf(name);
  const extra = (): number[] => netnsPids(ns).filter((p) => !keep.has(p));
  for (const p of extra()) killQuietly(p);
  await waitFor(`${name}: processes gone`, () => extra().length === 0, { timeoutMs: 5000 });
  const h = lab.hostDir(name);
  removeSystemdLeftovers(h);
  writeBaselineConfigs(h, lab.keepalivedParams(name));
  resetLogs(h);
  for (const f of readdirSync(join(h, 'run'))) {
    if ((/\.pid(\.oldbin)?$/.test(f) && f !== 'sshd.pid') || f === 'keepalived.state')
      rmSync(join(h, 'run', f), { force: true });
  }
  rmSync(join(OPT_DIR, name), { recursive: true, force: true });
  await lab.sysctl(name, BASELINE_SYSCTLS);
  // keepalived died by SIGKILL: its VIP would stay (split brain) unless removed.
  for (const g of lab.groups)
    await run(['ip', '-n', ns, 'addr', 'del', `${g.vip}/32`, 'dev', 'eth0']);
  // Sockets that outlived their processes (TIME-WAIT, FIN-WAIT, ...): everything but sshd's.
  await run([
    'nsenter',
    '-t',
    String(sshd),
    '-n',
    'ss',
    '-K',
    '-tan',
    'exclude',
    'listening',
    '( ! sport = :22 )',
  ]);
}
