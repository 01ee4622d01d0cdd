import { chunkHosts, FLEET_CHUNK_SIZE } from '../../../src/domain/chunkHosts';

const names = (n: number) => Array.from({ length: n }, (_, i) => `h${i}`);

describe('chunkHosts', () => {
  it.each([
    [0, []],
    [1, [1]],
    [25, [25]],
    [26, [13, 13]],
    [50, [25, 25]],
    [51, [17, 17, 17]],
    [200, [25, 25, 25, 25, 25, 25, 25, 25]],
    [201, [23, 23, 23, 22, 22, 22, 22, 22, 22]],
  ])('%i hosts → chunks of %j', (n, sizes) => {
    const chunks = chunkHosts(names(n));
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(names(n));
    expect(chunks.every((c) => c.length <= FLEET_CHUNK_SIZE && c.length > 0)).toBe(true);
  });

  it('is deterministic and leaves its input alone', () => {
    const hosts = names(77);
    const copy = [...hosts];
    expect(chunkHosts(hosts)).toEqual(chunkHosts(hosts));
    expect(hosts).toEqual(copy);
  });

  it('takes another size, and refuses one that is not a positive integer', () => {
    expect(chunkHosts(names(5), 2)).toEqual([['h0', 'h1'], ['h2', 'h3'], ['h4']]);
    expect(() => chunkHosts(names(5), 0)).toThrow(RangeError);
    expect(() => chunkHosts(names(5), 2.5)).toThrow(RangeError);
  });
});
