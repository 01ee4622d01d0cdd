import { parseSocketUnits, socketUnitPort } from '../../../src/probes/parsers/parseSocketUnits';
import { fixture } from './fixture';

/** REAL `systemctl list-sockets` output of systemd 252 (see each fixture's .cmd for how it was captured). */
describe('parseSocketUnits', () => {
  it('stock Debian socket units: stream, datagram, FIFO, unix paths, abstract sockets', () => {
    const units = parseSocketUnits(fixture('systemctl-list-sockets-debian-units.txt'));
    expect(units).toHaveLength(10);
    expect(units).toContainEqual({
      listen: '[::]:22',
      type: 'Stream',
      unit: 'ssh.socket',
      activates: ['ssh.service'],
    });
    expect(units).toContainEqual({
      listen: '0.0.0.0:443',
      type: 'Stream',
      unit: 'metrics-agent.socket',
      activates: ['metrics-agent.service'],
    });
    expect(units).toContainEqual({
      listen: '[::]:8125',
      type: 'Datagram',
      unit: 'metrics-agent.socket',
      activates: ['metrics-agent.service'],
    });
    expect(units.find((u) => u.listen === '/run/initctl')?.type).toBe('FIFO');
    expect(units.filter((u) => u.unit === 'mariadb.socket').map((u) => u.listen)).toEqual([
      '/run/mysqld/mysqld.sock',
      '@mariadb',
      '[::]:3306',
    ]);
  });

  it('the lab socket unit on port 80', () => {
    expect(parseSocketUnits(fixture('systemctl-list-sockets-lab.txt'))).toEqual([
      {
        listen: '[::]:80',
        type: 'Stream',
        unit: 'portbot-lab-web.socket',
        activates: ['portbot-lab-web.service'],
      },
    ]);
  });

  it('skips what is not a socket line (errors, the legend, an empty listing)', () => {
    expect(
      parseSocketUnits(
        'Failed to list units: Transport endpoint is not connected\n\n0 sockets listed.\n',
      ),
    ).toEqual([]);
    expect(parseSocketUnits('LISTEN UNIT ACTIVATES\n')).toEqual([]);
  });

  it('ports of IP listens only', () => {
    expect(socketUnitPort('[::]:80')).toBe(80);
    expect(socketUnitPort('0.0.0.0:443')).toBe(443);
    expect(socketUnitPort('/run/dbus/system_bus_socket')).toBeNull();
    expect(socketUnitPort('@mariadb')).toBeNull();
    expect(socketUnitPort('/run/app:80')).toBeNull();
    expect(socketUnitPort('vsock:2:80')).toBeNull();
    expect(socketUnitPort('[fe80::1%eth0]:80')).toBe(80);
  });
});
