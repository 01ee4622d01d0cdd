import { HostSchema } from '../../../src/config/inventorySchema';
import { isInventoryName } from '../../../src/domain/isInventoryName';

describe('isInventoryName', () => {
  // One rule for what a user may type and what the inventory may contain.
  it.each([
    'lb-01',
    'edge.eu_1',
    'a',
    'x'.repeat(63),
    'x'.repeat(64),
    '-lb',
    '.lb',
    'lb 01',
    'lb;id',
    '',
  ])('matches the inventory schema on %j', (name) => {
    const inInventory = HostSchema.safeParse({ name, address: '10.0.0.1' }).success;
    expect(isInventoryName(name)).toBe(inInventory);
  });

  it('accepts host-like names and refuses option-like or shell-active ones', () => {
    expect(['lb-01', 'edge.eu_1'].map(isInventoryName)).toEqual([true, true]);
    expect(['-lb', 'lb;id', 'x'.repeat(64)].map(isInventoryName)).toEqual([false, false, false]);
  });
});
