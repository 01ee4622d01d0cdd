import { formatSweepText } from '../../../../src/render/formatSweepText';
import { notFullySwept, type HostSweep } from '../../../../src/sweep/SweepRisk';

const swept = (over: Partial<HostSweep>): HostSweep => ({
  host: 'lb-01',
  lbPorts: [80],
  risks: [],
  failure: null,
  unseen: [],
  ...over,
});
// What the attack saw: configFile pointing nowhere gave "ok (LB ports none known)" and exit 0.
const unread = swept({
  lbPorts: [],
  unseen: [{ code: 'lb-config-unreadable', detail: 'head: cannot open /nonexistent/nginx.conf' }],
});

describe('formatSweepText and notFullySwept', () => {
  it('a host whose LB config could not be read is INCOMPLETE, says why, and is not fully swept', () => {
    const text = formatSweepText([unread]);
    expect(text).toContain('lb-01: INCOMPLETE (LB ports none known)');
    expect(text).toContain(
      'not seen: lb-config-unreadable: head: cannot open /nonexistent/nginx.conf',
    );
    expect(text).toContain('1 incomplete (LB config not read)');
    expect(text).not.toMatch(/: ok /);
    expect(notFullySwept(unread)).toBe(true);
  });

  it('includes left unread count too; other gaps are listed but the host stays swept', () => {
    const capped = swept({
      unseen: [{ code: 'lb-config-includes-unread', detail: '3 included file(s)' }],
    });
    expect(notFullySwept(capped)).toBe(true);
    const noConntrack = swept({ unseen: [{ code: 'no-conntrack', detail: 'not probed' }] });
    expect(notFullySwept(noConntrack)).toBe(false);
    expect(formatSweepText([noConntrack])).toContain(
      'lb-01: ok (LB ports 80)\n  not seen: no-conntrack',
    );
  });

  it('an unreachable host is not swept', () => {
    const down = swept({ failure: { code: 'SSH_REFUSED', message: 'refused' } });
    expect(notFullySwept(down)).toBe(true);
    expect(formatSweepText([down])).toContain('lb-01: NOT SWEPT (SSH_REFUSED): refused');
  });
});
