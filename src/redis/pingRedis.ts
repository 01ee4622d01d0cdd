import { Socket } from 'node:net';

/**
 * What answers on host:port: `none` (connection refused: nothing listens), `ready` (a Redis
 * answered PING), `auth` (a Redis that wants a password), `loading` (a Redis still loading its
 * data), `other` (something accepted the connection but gave no Redis answer within the timeout:
 * another program, or a Redis too busy to answer).
 */
export type PingAnswer = 'none' | 'ready' | 'auth' | 'loading' | 'other';

function classify(reply: string): PingAnswer {
  if (reply.startsWith('+PONG')) return 'ready';
  if (/^-(NOAUTH|WRONGPASS)/.test(reply)) return 'auth';
  return reply.startsWith('-LOADING') ? 'loading' : 'other';
}

/** One PING on a raw socket: no client library, no reconnect loop, no error event to silence. */
export function pingRedis(host: string, port: number, timeoutMs = 1000): Promise<PingAnswer> {
  return new Promise((resolve) => {
    const sock = new Socket();
    let reply = '';
    const done = (answer: PingAnswer) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done('other'), timeoutMs);
    sock.once('error', (err: NodeJS.ErrnoException) =>
      done(err.code === 'ECONNREFUSED' ? 'none' : 'other'),
    );
    sock.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (!reply.includes('\r\n')) return;
      done(classify(reply));
    });
    sock.once('close', () => done('other'));
    sock.connect({ host, port }, () => sock.write('PING\r\n'));
  });
}
