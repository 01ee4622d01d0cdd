import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { openEventStream } from '../../../src/localWorkspace/openEventStream';

// A browser tab that stops reading (frozen, suspended, a script that opens streams and never
// reads) must not make serve buffer every snapshot it would have sent: each snapshot is the
// whole state, so only the latest matters.
describe('openEventStream with a client that never reads', () => {
  it('keeps at most about one snapshot queued however many changes come', async () => {
    const listeners = new Set<() => void>();
    const big = 'x'.repeat(256 * 1024);
    let opened: ServerResponse | undefined;
    const server = createServer((req, res) => {
      opened = res;
      openEventStream(req, res, {
        snapshot: () => ({ big }),
        onChange: (l) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
        onEnd: () => undefined,
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const sock: Socket = connect(port, '127.0.0.1');
    sock.on('error', () => undefined);
    sock.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await new Promise<void>((r) => sock.once('data', () => r()));
    sock.pause();
    try {
      for (let i = 0; i < 60; i++) {
        for (const l of listeners) l();
        await new Promise((r) => setTimeout(r, 50));
      }
      const queued = opened?.writableLength ?? -1;
      expect(queued).toBeGreaterThanOrEqual(0);
      expect(queued).toBeLessThan(3 * big.length);
    } finally {
      sock.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('openEventStream when the first snapshot fails', () => {
  it('throws to the caller, unsubscribes, ends the response, and never calls onEnd', async () => {
    const listeners = new Set<() => void>();
    let thrown: unknown;
    let ended = 0;
    const server = createServer((req, res) => {
      try {
        openEventStream(req, res, {
          snapshot: () => {
            throw new Error('snapshot failed');
          },
          onChange: (l) => {
            listeners.add(l);
            return () => listeners.delete(l);
          },
          onEnd: () => (ended += 1),
        });
      } catch (err) {
        thrown = err;
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      await res.text();
      expect(String(thrown)).toContain('snapshot failed');
      expect(listeners.size).toBe(0);
      expect(ended).toBe(0);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
