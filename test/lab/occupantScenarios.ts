import { chmodSync, copyFileSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from './Lab';
import { haproxyCfg, nginxSiteForPort } from './lbConfigs';
import { BIND_ERRORS } from './lbLogPatterns';
import { BRIEF_BINDER_PY, NODE_EXPORTER_PY, SELF_CONNECT_PY } from './occupantScripts';
import { OPT_DIR } from './stopLab';
import { waitFor } from './waitFor';

/**
 * Issue-11 occupant scenarios (self-connect, protected agent, transient binder). Each starts
 * from reset(name) and returns once `ss` and the LB log show the promised state.
 */

function setLbPort(lab: Lab, name: string, port: number): void {
  const h = lab.hostDir(name);
  if (lab.host(name).lb === 'nginx')
    writeFileSync(join(h, 'etc/nginx/sites-enabled/default'), nginxSiteForPort(port));
  else writeFileSync(join(h, 'etc/haproxy/haproxy.cfg'), haproxyCfg([`:${port}`]));
}

/** Starts the managed LB, which must fail with EADDRINUSE (checked in its log), and waits until it is gone. */
async function startLbInUse(lab: Lab, name: string): Promise<void> {
  const kind = lab.host(name).lb;
  const r = await lab.startLb(name);
  if (r.rc === 0) throw new Error(`${name}: ${kind} started although the port is taken`);
  await waitFor(`${name}: EADDRINUSE in the ${kind} log`, () =>
    BIND_ERRORS[kind].inUse.test(lab.lbLog(name)),
  );
  await waitFor(`${name}: ${kind} gone after failing`, async () => !(await lab.lbRunning(name)));
}

/**
 * A client loops connecting to ADDRESS:PORT (nothing listens there, PORT inside the ephemeral
 * range) until the kernel picks PORT as its source port: the socket connects to itself and
 * stays ESTAB. The LB's start then fails with EADDRINUSE. Returns the client's pid.
 */
export async function selfConnect(
  lab: Lab,
  name: string,
  port: number,
  address = '127.0.0.1',
): Promise<number> {
  await lab.reset(name);
  setLbPort(lab, name, port);
  await lab.startDetached(name, ['/usr/bin/python3', '-c', SELF_CONNECT_PY, address, String(port)]);
  const self = `${address}:${port}`;
  const pid = await waitFor(
    `${name}: a connection ${self} -> ${self}`,
    async () => {
      const line = (await lab.sockets(name, port)).find((l) =>
        new RegExp(`^ESTAB\\s.*\\s${self}\\s+${self}\\s`).test(l),
      );
      const m = line ? /pid=(\d+),/.exec(line) : null;
      return m ? Number(m[1]) : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  await startLbInUse(lab, name);
  return pid;
}

/**
 * The node exporter stand-in, started with `--web.listen-address=:PORT`, holds the LB's port;
 * the LB's start failed. Returns its pid. Its executable is named node_exporter (a copy of the
 * python3 binary running the stand-in script): portbot decides on the executable's name, so a
 * script whose exe is python3 would rightly not count as the agent.
 */
export async function protectedAgent(lab: Lab, name: string, port: number): Promise<number> {
  await lab.reset(name);
  setLbPort(lab, name, port);
  const dir = join(OPT_DIR, name, 'bin');
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, 'node_exporter');
  copyFileSync(realpathSync('/usr/bin/python3'), exe);
  chmodSync(exe, 0o755);
  await lab.startDetached(name, [
    exe,
    '-c',
    NODE_EXPORTER_PY,
    `--web.listen-address=:${port}`,
    '--collector.textfile.directory=/var/lib/node_exporter',
  ]);
  const pid = await waitFor(
    `${name}: node_exporter on :${port}`,
    async () => {
      const m = (await lab.listeners(name, port)).join('\n').match(/"node_exporter",pid=(\d+),/);
      return m ? Number(m[1]) : undefined;
    },
    { timeoutMs: 15_000 },
  );
  await startLbInUse(lab, name);
  return pid;
}

/**
 * A process binds PORT for HOLD_MS every PERIOD_MS; the LB was started during its first, longer
 * hold and failed with EADDRINUSE. Returns once the port is free again, with the binder's pid.
 */
export async function transientBinder(
  lab: Lab,
  name: string,
  port: number,
  holdMs = 200,
  // Long enough that a diagnosis started when the port comes free ends before the next hold
  // on a loaded machine (at 2 s the snapshot sometimes caught the binder: foreign-listener).
  periodMs = 6000,
): Promise<number> {
  await lab.reset(name);
  setLbPort(lab, name, port);
  await lab.startDetached(name, [
    '/usr/bin/python3',
    '-c',
    BRIEF_BINDER_PY,
    String(port),
    String(holdMs),
    String(periodMs),
    '4000',
  ]);
  const pid = await waitFor(
    `${name}: the binder listening on :${port}`,
    async () => {
      const m = (await lab.listeners(name, port)).join('\n').match(/"python3",pid=(\d+),/);
      return m ? Number(m[1]) : undefined;
    },
    { timeoutMs: 15_000 },
  );
  await startLbInUse(lab, name);
  await waitFor(
    `${name}: :${port} free again`,
    async () => (await lab.listeners(name, port)).length === 0,
  );
  return pid;
}
