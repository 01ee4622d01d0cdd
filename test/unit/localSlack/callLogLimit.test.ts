import { CALL_LOG_LIMIT, LocalSlackStore } from '../../../src/localSlack/LocalSlackStore';

describe('LocalSlackStore call log', () => {
  it('keeps only the last CALL_LOG_LIMIT calls, numbered without gaps', () => {
    const store = new LocalSlackStore();
    const total = CALL_LOG_LIMIT + 5;
    for (let i = 0; i < total; i += 1) {
      store.record({
        method: 'chat.postMessage',
        params: {},
        at: i,
        status: 200,
        ok: true,
        response: {},
      });
    }
    const calls = store.calls();
    expect(calls).toHaveLength(CALL_LOG_LIMIT);
    expect(calls[0]?.seq).toBe(6);
    expect(calls.at(-1)?.seq).toBe(total);
  });
});
