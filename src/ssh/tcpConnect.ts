import { Socket } from 'node:net';
import type { HostConfig } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import { classifySshError } from './classifySshError';
import { describeHost } from './describeHost';

/**
 * Opens the TCP connection ourselves (rather than letting ssh2 do it) so the connect has its own
 * deadline and Nagle is off before the first handshake packet: on loopback that halves a cold
 * connect (see the integration test's measurements).
 */
export function tcpConnect(host: HostConfig, timeoutMs: number, noDelay: boolean): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = new Socket();
    const timer = setTimeout(() => {
      sock.destroy();
      reject(
        new PortbotError(
          'SSH_TIMEOUT',
          `${describeHost(host)}: TCP connect timed out after ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    timer.unref();
    sock.once('error', (err) => {
      clearTimeout(timer);
      sock.destroy();
      reject(classifySshError(host, err));
    });
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      sock.setNoDelay(noDelay);
      resolve(sock);
    });
    sock.connect({ host: host.address, port: host.port });
  });
}
