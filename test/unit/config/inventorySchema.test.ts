import { HaGroupSchema, LbSchema } from '../../../src/config/inventorySchema';

const group = (vip: string) => ({
  name: 'edge',
  kind: 'keepalived',
  vip,
  members: ['lb-01', 'lb-02'],
});

describe('inventory schema: haGroups[].vip', () => {
  it.each(['10.0.0.100', '2001:db8::100', 'fe80::1'])('accepts the IP address %s', (vip) => {
    expect(HaGroupSchema.safeParse(group(vip)).success).toBe(true);
  });

  // The probes run `ip addr show to VIP`, which takes no DNS name.
  it.each(['vip.example.com', 'lb-vip', '10.0.0.256', 'dead.beef', '10.0.0.100/24'])(
    'rejects %s with an "expected an IP address" message at vip',
    (vip) => {
      const r = HaGroupSchema.safeParse(group(vip));
      expect(r.success).toBe(false);
      expect(r.error?.issues).toEqual([
        expect.objectContaining({
          path: ['vip'],
          message: 'expected an IP address (IPv4 or IPv6), not a DNS name',
        }),
      ]);
    },
  );
});

describe('inventory schema rules shared with the probe builder', () => {
  it('lb.unit is a systemd unit name that cannot pass for an option', () => {
    const unit = (u: string) => LbSchema.safeParse({ kind: 'nginx', unit: u }).success;
    expect(unit('nginx.service')).toBe(true);
    expect(unit('haproxy@edge.service')).toBe(true);
    expect(unit('-nginx.service')).toBe(false);
    expect(unit('nginx;id')).toBe(false);
  });
});
