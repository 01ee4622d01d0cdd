import {
  parseConntrack,
  parseReservedPorts,
  parseSysctls,
} from '../../../src/probes/parsers/parseSysctls';
import { splitSections } from '../../../src/probes/splitSections';
import { fixture } from './fixture';

const sections = splitSections(fixture('batch-nginx-80-root.txt'), 'fixture80nginx01');

describe('parseSysctls', () => {
  it('reads the /proc/sys values of a real batch run', () => {
    expect(parseSysctls(sections.get('sysctl')?.output ?? '')).toEqual({
      ipLocalPortRange: { from: 40000, to: 40000 },
      ipLocalReservedPorts: [],
      ipUnprivilegedPortStart: 1024,
      ipNonlocalBind: 0,
      ipv6NonlocalBind: 0,
    });
    expect(parseConntrack(sections.get('conntrack')?.output ?? '')).toEqual({
      count: 0,
      max: 262144,
    });
  });

  it('gives null for values the host lacks', () => {
    const s = parseSysctls(
      'grep: /proc/sys/net/ipv6/ip_nonlocal_bind: No such file or directory\n',
    );
    expect(s.ipv6NonlocalBind).toBeNull();
    expect(s.ipLocalReservedPorts).toBeNull();
    expect(parseConntrack('no /proc/sys/net/netfilter')).toBeNull();
  });

  it('parses reserved port lists and ranges', () => {
    expect(parseReservedPorts('8080,9000-9010')).toEqual([
      { from: 8080, to: 8080 },
      { from: 9000, to: 9010 },
    ]);
  });
});
