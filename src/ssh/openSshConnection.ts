import type { Socket } from 'node:net';
import type { AnyAuthMethod, ServerHostKeyAlgorithm } from 'ssh2';
// Not the index: see ssh2Modules.d.ts.
import Client from 'ssh2/lib/client.js';
import type { HostConfig } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import { classifySshError } from './classifySshError';
import { describeHost } from './describeHost';
import type { HostKeyPolicy } from './HostKeyPolicy';
import { signFirstPublickey } from './signFirstPublickey';
import { tcpConnect } from './tcpConnect';

export interface OpenSshConnectionParams {
  host: HostConfig;
  policy: HostKeyPolicy;
  auth: AnyAuthMethod[];
  noDelay: boolean;
}

export interface SshConnection {
  client: Client;
  /** Kept so the pool can unref it while idle (an idle pool must not keep a CLI alive). */
  socket: Socket;
}

/**
 * TCP connect + SSH handshake + auth within host.connectTimeoutMs overall. Resolves with a ready
 * client; rejects with a classified PortbotError. The host key verdict is recorded by the
 * verifier itself because ssh2 only reports a generic "Host denied (verification failed)".
 */
export async function openSshConnection(p: OpenSshConnectionParams): Promise<SshConnection> {
  const { host } = p;
  const started = Date.now();
  const sock = await tcpConnect(host, host.connectTimeoutMs, p.noDelay);
  const remaining = Math.max(1, host.connectTimeoutMs - (Date.now() - started));
  const client = new Client();
  // ssh2 keeps emitting (e.g. "Connection lost before handshake") after we gave up on a
  // connection; an EventEmitter 'error' without a listener would crash the process.
  client.on('error', () => undefined);
  let hostKeyError: PortbotError | null = null;

  return new Promise<SshConnection>((resolve, reject) => {
    const fail = (err: unknown): void => {
      cleanup();
      client.end();
      sock.destroy();
      reject(hostKeyError ?? classifySshError(host, err));
    };
    const onError = (err: Error): void => fail(err);
    const onClose = (): void =>
      fail(
        new PortbotError(
          'SSH_ERROR',
          `${describeHost(host)}: connection closed during SSH handshake`,
        ),
      );
    const onReady = (): void => {
      cleanup();
      resolve({ client, socket: sock });
    };
    const cleanup = (): void => {
      client.off('error', onError);
      client.off('close', onClose);
      client.off('ready', onReady);
    };
    client.on('error', onError);
    client.on('close', onClose);
    client.on('ready', onReady);
    try {
      client.connect({
        sock,
        host: host.address,
        port: host.port,
        username: host.user,
        authHandler: p.auth,
        readyTimeout: remaining,
        hostVerifier: (key: Buffer): boolean => {
          hostKeyError = p.policy.verify(key);
          return hostKeyError === null;
        },
        ...(p.policy.serverHostKeyAlgorithms
          ? {
              algorithms: {
                serverHostKey: p.policy.serverHostKeyAlgorithms as ServerHostKeyAlgorithm[],
              },
            }
          : {}),
      });
      signFirstPublickey(client);
    } catch (err) {
      fail(err);
    }
  });
}
