import type { Client, ClientChannel } from 'ssh2';
import type { ExecResult } from '../domain/CommandRunner';
import type { HostConfig } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import { describeHost } from './describeHost';

/** The channel could not be opened: the command never started, so a retry is safe. */
export class ChannelOpenError extends Error {
  constructor(cause: Error) {
    super(`cannot open an exec channel: ${cause.message}`, { cause });
    this.name = 'ChannelOpenError';
  }
}

export interface ExecOnClientOptions {
  timeoutMs: number;
  maxOutputBytes: number;
  stdin?: string | undefined;
}

class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    const room = this.cap - this.size;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * Runs one command on a ready client. On timeout the remote process gets KILL (OpenSSH honours
 * "signal" requests) and the channel is closed; the connection stays usable.
 */
export function execOnClient(
  client: Client,
  host: HostConfig,
  command: string,
  opts: ExecOnClientOptions,
): Promise<Omit<ExecResult, 'durationMs'>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let channel: ClientChannel | null = null;
    const stdout = new CappedBuffer(opts.maxOutputBytes);
    const stderr = new CappedBuffer(opts.maxOutputBytes);
    let code: number | null = null;
    let signal: string | null = null;
    let exited = false;

    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        reject(err);
        return;
      }
      const truncated = stdout.truncated || stderr.truncated;
      resolve({ stdout: stdout.text(), stderr: stderr.text(), code, signal, truncated });
    };
    const abandon = (ch: ClientChannel): void => {
      try {
        ch.signal('KILL');
      } catch {
        // not every server accepts signals; closing the channel is the fallback
      }
      ch.close();
    };
    const timer = setTimeout(() => {
      if (channel) abandon(channel);
      finish(
        new PortbotError(
          'COMMAND_TIMEOUT',
          `${describeHost(host)}: command timed out after ${opts.timeoutMs} ms`,
        ),
      );
    }, opts.timeoutMs);
    timer.unref();

    const onChannel = (err: Error | undefined, ch: ClientChannel): void => {
      if (err) {
        finish(new ChannelOpenError(err));
        return;
      }
      if (settled) {
        abandon(ch);
        return;
      }
      channel = ch;
      // The script, then EOF. ssh2 sends no channel requests after EOF, so a timed-out script
      // is ended by closing its channel rather than by a KILL request (which OpenSSH ignores
      // for root sessions anyway); a command without stdin keeps its channel open for KILL.
      if (opts.stdin !== undefined) ch.end(opts.stdin);
      ch.on('data', (d: Buffer) => stdout.push(d));
      ch.stderr.on('data', (d: Buffer) => stderr.push(d));
      ch.on('exit', (c: number | null, sig?: string) => {
        exited = true;
        code = typeof c === 'number' ? c : null;
        signal = typeof sig === 'string' ? sig : null;
      });
      ch.on('close', () => {
        if (exited) finish(null);
        else
          finish(
            new PortbotError(
              'SSH_ERROR',
              `${describeHost(host)}: channel closed without an exit status (connection lost?)`,
            ),
          );
      });
    };
    try {
      client.exec(command, onChannel);
    } catch (err) {
      // ssh2 throws "Not connected" synchronously when the socket is already gone
      finish(new ChannelOpenError(err instanceof Error ? err : new Error(String(err))));
    }
  });
}
