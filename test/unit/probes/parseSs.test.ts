import { portOf } from '../../../src/probes/normalizeListen';
import { parseSs } from '../../../src/probes/parsers/parseSs';
import { fixture } from './fixture';

describe('parseSs on real ss -H -tuanp output', () => {
  it('reads a listener held by nginx master and workers, IPv4 and IPv6, plus TIME-WAIT', () => {
    const sockets = parseSs(fixture('ss-port-80.txt'));
    expect(sockets).toHaveLength(5);
    const v4 = sockets[0];
    expect(v4).toMatchObject({
      netid: 'tcp',
      state: 'LISTEN',
      localAddress: '0.0.0.0:80',
      localPort: 80,
    });
    expect(v4?.owners).toEqual([
      { comm: 'nginx', pid: 10, fd: 5 },
      { comm: 'nginx', pid: 7, fd: 5 },
      { comm: 'nginx', pid: 5, fd: 5 },
    ]);
    expect(sockets.filter((s) => s.state === 'TIME-WAIT')).toHaveLength(3);
    expect(sockets[1]).toMatchObject({ peerAddress: '127.0.0.1:47438', owners: [] });
    expect(sockets[4]).toMatchObject({ localAddress: '[::]:80', peerAddress: '[::]:*' });
  });

  it('keeps a comm that contains a space', () => {
    const [s] = parseSs(fixture('ss-comm-with-space-7070.txt'));
    expect(s?.owners).toEqual([{ comm: 'web server', pid: 11, fd: 3 }]);
  });

  it('returns no owners when the holder lives in another PID namespace', () => {
    const sockets = parseSs(fixture('ss-no-owner-8081.txt'));
    expect(sockets).toHaveLength(1);
    expect(sockets[0]).toMatchObject({ state: 'LISTEN', localPort: 8081, owners: [] });
  });

  it('reads udp UNCONN on *:port, ESTAB and SYN-SENT with Send-Q', () => {
    expect(parseSs(fixture('ss-udp-5353.txt'))[0]).toMatchObject({
      netid: 'udp',
      state: 'UNCONN',
      localAddress: '*:5353',
      localPort: 5353,
    });
    const eph = parseSs(fixture('ss-ephemeral-40000.txt'));
    expect(eph.map((s) => s.state)).toEqual(['ESTAB', 'SYN-SENT']);
    expect(eph[1]).toMatchObject({ localAddress: '10.99.0.1:40000', peerAddress: '10.99.0.50:80' });
    expect(eph[1]?.raw).toContain('SYN-SENT 0      1');
  });

  it('reads IPv4-mapped IPv6 and an interface-scoped address', () => {
    const all = parseSs(fixture('ss-all.txt'));
    const mapped = all.find((s) => s.localAddress.startsWith('[::ffff:'));
    expect(mapped).toMatchObject({
      localAddress: '[::ffff:127.0.0.1]:9090',
      localPort: 9090,
      state: 'ESTAB',
    });
    expect(parseSs(fixture('ss-bound-to-device-5454.txt'))[0]).toMatchObject({
      localAddress: '0.0.0.0%v0:5454',
      localPort: 5454,
    });
    expect(all).toHaveLength(fixture('ss-all.txt').trim().split('\n').length);
  });

  it('shows only the sockets of processes an unprivileged user may see', () => {
    const [listen] = parseSs(fixture('ss-unprivileged-80.txt'));
    expect(listen?.owners.map((o) => o.pid)).toEqual([10, 7]);
  });

  it('skips lines that are not sockets (sudo noise, errors)', () => {
    expect(parseSs(fixture('sudo-denied.txt'))).toEqual([]);
    expect(portOf('*:*')).toBeNull();
    expect(portOf('[fe80::1]%eth0:546')).toBe(546);
  });
});

describe('parseSs on hostile process names (real ss output, iproute2 6.1)', () => {
  // Each holder renamed itself with prctl(PR_SET_NAME); ss prints the name unescaped, cut at
  // its first ')'. The .cmd files name the process and port.
  it.each([
    ['ss-hostile-comm-7071.txt', '",pid=1,fd=1', 3],
    ['ss-hostile-comm-7072.txt', 'x",pid=1,fd=1', 3],
    ['ss-hostile-comm-7073.txt', '("a",pid=1,fd=1', 3],
  ])('%s: the owner is the real pid with the whole name as comm', (file, comm, fd) => {
    const [s] = parseSs(fixture(file));
    expect(s?.owners).toHaveLength(1);
    expect(s?.owners[0]).toMatchObject({ comm, fd });
    expect(s?.owners[0]?.pid).not.toBe(1);
    expect(s?.raw).toContain(`pid=${s?.owners[0]?.pid},fd=3))`);
  });

  it('reads both owners when one of two processes sharing the socket forges a tuple', () => {
    const [s] = parseSs(fixture('ss-hostile-comm-two-owners-7075.txt'));
    expect(s?.owners).toEqual([
      { comm: '",pid=1,fd=1', pid: 23423, fd: 3 },
      { comm: 'master', pid: 23418, fd: 3 },
    ]);
  });

  it('a newline in the name leaves the socket ownerless rather than misread', () => {
    const sockets = parseSs(fixture('ss-hostile-comm-newline-7074.txt'));
    expect(sockets).toHaveLength(1);
    expect(sockets[0]).toMatchObject({ localPort: 7074, owners: [] });
  });

  it('an ss that printed the name uncut still cannot pass a forged tuple for pid 1', () => {
    // Not captured (iproute2 6.1 cuts at ')'): the 7071 line as an ss printing the full
    // comm `",pid=1,fd=1)` would show it.
    const line =
      'tcp LISTEN 0      5      0.0.0.0:7071 0.0.0.0:* users:(("",pid=1,fd=1)",pid=23078,fd=3))';
    expect(parseSs(line)[0]?.owners).toEqual([{ comm: '",pid=1,fd=1)', pid: 23078, fd: 3 }]);
    // A 15-character name can end a tuple and open the next: the rest no longer parses, so the
    // whole list is refused.
    const split =
      'tcp LISTEN 0      5      0.0.0.0:7071 0.0.0.0:* users:(("",pid=1,fd=1),(",pid=23078,fd=3))';
    expect(parseSs(split)[0]?.owners).toEqual([]);
  });
});
