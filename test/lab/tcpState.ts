import { connect } from 'node:net';

/** Connects once: 'open', 'refused', or 'timeout' (no answer within 1 s). */
export function tcpState(host: string, port: number): Promise<'open' | 'refused' | 'timeout'> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 1000 });
    s.once('connect', () => {
      s.destroy();
      resolve('open');
    });
    s.once('timeout', () => {
      s.destroy();
      resolve('timeout');
    });
    s.once('error', (e: NodeJS.ErrnoException) =>
      resolve(e.code === 'ECONNREFUSED' ? 'refused' : 'timeout'),
    );
  });
}
