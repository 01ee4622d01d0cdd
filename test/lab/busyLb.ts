import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from './Lab';
import { nginxConf, nginxSite } from './lbConfigs';
import { BUSY_MARK } from './network';
import { BUSY_CLIENTS_PY } from './pyScripts';
import { spawnDetached } from './run';
import { waitFor } from './waitFor';

/** Connections per client process: well under the 20,000 open files a process may have here. */
const PER_CLIENT = 5000;
/**
 * One client address (the bridge's) has the ephemeral range to itself towards one host:port,
 * 32768-60999 in the root namespace: 28,232 ports, with room left for everything else.
 */
const MAX_CONNECTIONS = 25_000;

/**
 * nginx able to hold `connections` accepted connections that send nothing: 4 workers of 8,000
 * (the hard open-files limit here is 20,000 and cannot be raised without CAP_SYS_RESOURCE);
 * header and keep-alive timeouts long enough that nginx does not close the idle clients.
 */
export function busyNginxConf(): string {
  return nginxConf()
    .replace(/^worker_processes\s+\S+;/m, 'worker_processes 4;\nworker_rlimit_nofile 8500;')
    .replace(/worker_connections\s+\d+;/, 'worker_connections 8000;')
    .replace(/^http \{/m, 'http {\n\tclient_header_timeout 1h;\n\tkeepalive_timeout 1h;');
}

/**
 * `reuseport`: one listening socket per worker, the kernel spreads connections evenly over them.
 * With one shared socket the workers' wake-ups decide, and one worker reached its 8,000 while
 * two others had none: nginx then closes idle connections to make room (measured here).
 * The master opens every worker's socket, so it still holds every listener on the port.
 */
export const BUSY_NGINX_SITE = nginxSite([
  '80 default_server reuseport',
  '[::]:80 default_server reuseport',
]);

/**
 * The managed nginx healthy on :80 with `connections` ESTABLISHED connections accepted, from
 * clients in the root namespace (10.77.0.1). Resolves once nginx has accepted them all (the
 * listener's accept queue is empty and the host counts them ESTABLISHED).
 */
export async function startBusyLb(lab: Lab, name: string, connections: number): Promise<void> {
  if (!Number.isInteger(connections) || connections < 0 || connections > MAX_CONNECTIONS) {
    throw new Error(`busy LB: connections must be 0-${MAX_CONNECTIONS}, got ${connections}`);
  }
  if (lab.host(name).lb !== 'nginx') throw new Error(`busy LB: ${name} does not run nginx`);
  await lab.reset(name);
  writeFileSync(join(lab.hostDir(name), 'etc/nginx/nginx.conf'), busyNginxConf());
  writeFileSync(join(lab.hostDir(name), 'etc/nginx/sites-enabled/default'), BUSY_NGINX_SITE);
  const started = await lab.startLb(name);
  if (started.rc !== 0) throw new Error(`${name}: nginx start failed: ${started.stderr.trim()}`);
  const address = lab.host(name).address;
  for (let left = connections; left > 0; left -= PER_CLIENT) {
    const n = Math.min(PER_CLIENT, left);
    spawnDetached(
      ['/usr/bin/python3', '-c', BUSY_CLIENTS_PY, BUSY_MARK, address, '80', String(n)],
      join(lab.dir, 'busy-clients.log'),
    );
  }
  await waitFor(
    `${name}: ${connections} connections accepted on :80`,
    async () => {
      const listen = await lab.execOk(name, ['ss', '-Htln', 'sport = :80']);
      const queued = listen.split('\n').some((l) => /^LISTEN\s+[1-9]/.test(l));
      const established = await lab.execOk(name, [
        'sh',
        '-c',
        "ss -Htn state established '( sport = :80 )' | wc -l",
      ]);
      return !queued && Number(established.trim()) >= connections;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
}
