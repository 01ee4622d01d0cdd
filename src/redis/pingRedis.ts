import { Socket } from 'node:net';

/**
 * What answers on host:port: `none` (connection refused: nothing listens), `ready` (a Redis
 * answered PING, or asked for a password: it is someone's Redis either way), `other` (something
 * accepted the connection but gave no ready Redis answer: a Redis still loading its data, or
 * another program).
 */
export type PingAnswer = 'none' | 'ready' | 'other';

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
      done(/^(\+PONG|-NOAUTH|-WRONGPASS)/.test(reply) ? 'ready' : 'other');
    });
    sock.once('close', () => done('other'));
    sock.connect({ host, port }, () => sock.write('PING\r\n'));
  });
}
