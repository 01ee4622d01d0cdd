import { compactPortRanges, reservedPortsValue } from '../../../src/domain/portRanges';
import { formatSysctlGuards, sysctlGuard } from '../../../src/guards/sysctlGuard';

describe('port ranges for net.ipv4.ip_local_reserved_ports', () => {
  it('sorts, merges overlapping and adjacent ranges, drops duplicates', () => {
    expect(
      compactPortRanges([
        { from: 9000, to: 9010 },
        { from: 80, to: 80 },
        { from: 9011, to: 9011 },
        { from: 443, to: 443 },
        { from: 80, to: 80 },
        { from: 9005, to: 9020 },
        { from: 81, to: 81 },
      ]),
    ).toEqual([
      { from: 80, to: 81 },
      { from: 443, to: 443 },
      { from: 9000, to: 9020 },
    ]);
  });

  it('refuses ports outside 1-65535, reversed ranges, and a list the kernel would cut', () => {
    expect(() => reservedPortsValue([{ from: 0, to: 0 }])).toThrow(/1-65535/);
    expect(() => reservedPortsValue([{ from: 70000, to: 70000 }])).toThrow(/1-65535/);
    expect(() => reservedPortsValue([{ from: 90, to: 80 }])).toThrow(/not a port range: 90-80/);
    const every3rd = Array.from({ length: 1200 }, (_, i) => ({ from: 1 + i * 3, to: 1 + i * 3 }));
    expect(() => reservedPortsValue(every3rd)).toThrow(/at most 4095/);
  });
});

describe('sysctlGuard', () => {
  it('reserves inventory ports and the live config ports, keeping existing reservations', () => {
    const g = sysctlGuard({
      name: 'lb-03',
      inventoryPorts: [443],
      live: {
        configListens: ['0.0.0.0:80', '[::]:80', '10.0.0.100:8443'],
        reserved: [
          { from: 8080, to: 8080 },
          { from: 8444, to: 8450 },
        ],
      },
    });
    expect(g).toEqual({
      host: 'lb-03',
      lbPorts: [80, 443, 8443],
      value: '80,443,8080,8443-8450',
      mergedExisting: true,
    });
    expect(formatSysctlGuards(g ? [g] : [])).toBe(
      'net.ipv4.ip_local_reserved_ports = 80,443,8080,8443-8450',
    );
  });

  it('offline: inventory ports only; no ports known: null', () => {
    expect(sysctlGuard({ name: 'a', inventoryPorts: [443, 80], live: null })).toMatchObject({
      value: '80,443',
      mergedExisting: false,
    });
    expect(sysctlGuard({ name: 'a', inventoryPorts: [], live: null })).toBeNull();
  });

  it('names each host when several print', () => {
    const a = sysctlGuard({ name: 'lb-01', inventoryPorts: [80], live: null });
    const b = sysctlGuard({ name: 'lb-02', inventoryPorts: [443], live: null });
    expect(formatSysctlGuards([a!, b!])).toBe(
      [
        '# host: lb-01',
        'net.ipv4.ip_local_reserved_ports = 80',
        '# host: lb-02',
        'net.ipv4.ip_local_reserved_ports = 443',
      ].join('\n'),
    );
  });
});
