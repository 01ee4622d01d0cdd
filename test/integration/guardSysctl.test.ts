import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/runCli';
import { startLab, type Lab } from '../lab';
import { LAB_BRIDGE_ADDRESS, PEER_PORT } from '../lab/labTypes';
import { ensurePeer } from '../lab/peer';
import { captureIo } from '../support/captureIo';

/**
 * Issue 11 item 2 on the lab: the drop-in `portbot guard sysctl` prints, applied with
 * `sysctl -p` inside a host, keeps outbound connections off the LB port even when
 * ip_local_port_range is narrowed onto it (the Cloudpods scenario can no longer be reproduced).
 */
let lab: Lab;
const HOST = 'lb-03'; // HAProxy: its config (bind :80) is read live
const LB_PORT = 80;

/** argv: ADDRESS PORT N. Opens N connections at once; prints each local port or the errno. */
const CONNECT_PY = `import errno, socket, sys
held = []
for _ in range(int(sys.argv[3])):
    s = socket.socket()
    try:
        s.connect((sys.argv[1], int(sys.argv[2])))
        print(s.getsockname()[1])
        held.append(s)
    except OSError as e:
        print('ERR ' + errno.errorcode.get(e.errno, str(e.errno)))
        s.close()
for s in held:
    s.close()
`;

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
  await ensurePeer(lab.dir);
}, 180_000);

afterAll(async () => {
  await lab?.stop();
}, 60_000);

async function guard(...args: string[]) {
  const io = captureIo();
  const code = await runCli(['guard', 'sysctl', ...args, '--inventory', lab.inventoryPath], io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

async function connectMany(n: number): Promise<string[]> {
  const out = await lab.execOk(HOST, [
    '/usr/bin/python3',
    '-c',
    CONNECT_PY,
    LAB_BRIDGE_ADDRESS,
    String(PEER_PORT),
    String(n),
  ]);
  return out.split('\n').filter((l) => l !== '');
}

/** Ports LB_PORT..LB_PORT+3 only: the kernel refuses a range below ip_unprivileged_port_start. */
async function narrowRange(): Promise<void> {
  await lab.sysctl(HOST, [
    `net.ipv4.ip_unprivileged_port_start=${LB_PORT}`,
    `net.ipv4.ip_local_port_range=${LB_PORT} ${LB_PORT + 3}`,
  ]);
}

describe('portbot guard sysctl on the lab', () => {
  it('without the guard the narrowed range hands out the LB port (the scenario reproduces)', async () => {
    await lab.reset(HOST);
    await narrowRange();
    const ports = await connectMany(4);
    expect(ports).toContain(String(LB_PORT));
  });

  it('with the generated drop-in applied, no outbound connection ever takes the LB port', async () => {
    await lab.reset(HOST);
    // Reservations the host already has must survive the drop-in.
    await lab.sysctl(HOST, ['net.ipv4.ip_local_reserved_ports=9000-9001,9002']);

    const r = await guard(HOST);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`net.ipv4.ip_local_reserved_ports = ${LB_PORT},9000-9002`);

    writeFileSync(join(lab.hostDir(HOST), 'tmp/60-portbot-reserved-ports.conf'), `${r.out}\n`);
    await lab.execOk(HOST, ['sysctl', '-p', '/tmp/60-portbot-reserved-ports.conf']);
    const applied = await lab.execOk(HOST, ['cat', '/proc/sys/net/ipv4/ip_local_reserved_ports']);
    // what the kernel reads back is what portbot wrote: the same compaction
    expect(applied.trim()).toBe(`${LB_PORT},9000-9002`);

    await narrowRange();
    // More connections at once than the range has ports: the kernel hands out what it can
    // (it need not try every port of a small range) and never the reserved one.
    const ports = await connectMany(6);
    expect(ports).toHaveLength(6);
    expect(ports).not.toContain(String(LB_PORT));
    const got = ports.filter((p) => !p.startsWith('ERR'));
    expect(got.length).toBeGreaterThan(0);
    for (const p of got) expect(['81', '82', '83']).toContain(p);
    for (const e of ports.filter((p) => p.startsWith('ERR'))) expect(e).toBe('ERR EADDRNOTAVAIL');
    expect(await lab.sockets(HOST, LB_PORT)).toEqual([]);
  });

  it('a host that cannot be probed: exit 3, nothing printed', async () => {
    await lab.sshdDown('lb-04');
    try {
      const r = await guard('--all');
      expect(r.code).toBe(3);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/lb-04: could not be probed/);
    } finally {
      await lab.restore('lb-04');
    }
  });
});
