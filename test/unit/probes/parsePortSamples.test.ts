import { parsePortSamples } from '../../../src/probes/parsers/parsePortSamples';
import { fixture } from './fixture';

describe('parsePortSamples on a real sampling of the lab', () => {
  it('reads when the binder appeared and left, on the host clock', () => {
    // sample-holding-8080.cmd: python3 took :8080 between sample 5 and sample 6
    const s = parsePortSamples(fixture('sample-holding-8080.txt'));
    expect(s).toMatchObject({
      mode: 'holding',
      intervalMs: 100,
      startedAt: 1796673284.729,
      samples: 18,
      truncated: false,
    });
    // uptime 158589 cs at start=…284.729: +1.52 s, +1.80 s, +5.07 s
    expect(s?.changes.map((c) => [c.at, c.index, c.sockets.length])).toEqual([
      [1796673286.249, 5, 1],
      [1796673286.529, 6, 0],
    ]);
    expect(s?.endedAt).toBe(1796673289.799);
    expect(s?.changes[0]?.sockets[0]).toMatchObject({
      state: 'LISTEN',
      localAddress: '0.0.0.0:8080',
      owners: [{ comm: 'python3', pid: 54, fd: 3 }],
    });
  });

  it('reads nothing from a sampling that did not finish, and notes dropped changes', () => {
    const text = fixture('sample-holding-8080.txt');
    expect(parsePortSamples(text.replace(/^end_cs=.*$/m, ''))).toBeNull();
    expect(parsePortSamples(text.replace('changes=2', 'changes=201'))?.truncated).toBe(true);
  });
});
