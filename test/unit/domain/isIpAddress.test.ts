import { z } from 'zod';
import { isIpAddress } from '../../../src/domain/isIpAddress';

describe('isIpAddress', () => {
  it('takes IPv4 and IPv6 only', () => {
    expect(['10.0.0.1', '::1', '::ffff:10.0.0.1'].map(isIpAddress)).toEqual([true, true, true]);
    expect(['example.com', '1.2.3', '[::1]', '-1.2.3.4'].map(isIpAddress)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  // The inventory schema used zod's IP checks before this rule moved into the core: same answers.
  it.each([
    '10.0.0.100',
    '255.255.255.255',
    '256.0.0.1',
    '01.2.3.4',
    '10.0.0.100/24',
    '2001:db8::100',
    'fe80::1',
    '::',
    '1::2::3',
    '::ffff:10.0.0.1',
    '::1\n',
    '::@1\\',
    'fe80::1%eth0',
    'dead.beef',
    '',
  ])('agrees with zod on %j', (value) => {
    const zod = z.union([z.ipv4(), z.ipv6()]).safeParse(value).success;
    expect(isIpAddress(value)).toBe(zod);
  });
});
