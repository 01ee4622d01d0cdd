import { closeWithin } from '../../../src/worker/closeWithin';
import { silentLog } from '../../support/fakes/silentLog';

/** A BullMQ worker whose jobs never finish: close() and even close(true) wait for ever. */
function stuckWorker() {
  const calls: (boolean | undefined)[] = [];
  return {
    calls,
    close: (force?: boolean) => {
      calls.push(force);
      return new Promise<void>(() => undefined);
    },
  };
}

describe('closeWithin', () => {
  it('returns once drained', async () => {
    const calls: (boolean | undefined)[] = [];
    const w = { close: (force?: boolean) => (calls.push(force), Promise.resolve()) };
    await closeWithin([w], 10_000, silentLog);
    expect(calls).toEqual([undefined]);
  });

  it('force-closes after the deadline and returns even when the forced close never ends', async () => {
    const w = stuckWorker();
    await closeWithin([w], 50, silentLog);
    expect(w.calls).toEqual([undefined, true]);
  });
});
