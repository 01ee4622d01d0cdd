import pLimit from 'p-limit';
import type { CommandRunner, ExecOptions, ExecResult } from '../domain/CommandRunner';
import type { HostConfig } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import { classifySshError } from './classifySshError';
import { describeHost } from './describeHost';
import { ChannelOpenError, execOnClient } from './execOnClient';
import { hostKeyPolicyFor } from './hostKeyPolicyFor';
import { KnownHostsCache } from './KnownHostsCache';
import { endSshConnection } from './endSshConnection';
import { openSshConnection, type SshConnection } from './openSshConnection';
import { sshPoolKey } from './sshPoolKey';
import { SshAuthLoader } from './SshAuthLoader';

export interface SshPoolOptions {
  /** Close a connection after this long without execs. Default 60 000 ms. */
  idleTimeoutMs?: number | undefined;
  /** Execs in flight at once over all hosts, their connects included. Default 16. */
  maxConcurrency?: number | undefined;
  /** Channels at once on one connection; keep it under sshd's MaxSessions (default 10). Default 8. */
  maxChannelsPerConnection?: number | undefined;
  /** Default for ExecOptions.maxOutputBytes. Default 1 MiB. */
  maxOutputBytes?: number | undefined;
  /** TCP_NODELAY on the socket. Default true; false exists to measure the difference. */
  noDelay?: boolean | undefined;
  /** Hears about known_hosts lines that were ignored (malformed, @cert-authority). */
  onWarning?: ((message: string) => void) | undefined;
  /** Where SSH_AUTH_SOCK and passphrase variables are read. Default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
}

export interface SshPoolStats {
  /** Successful SSH connections opened since the pool was created. */
  connects: number;
  /** Connection attempts that failed. */
  connectFailures: number;
  /** Ready connections currently pooled. */
  open: number;
  /** Execs currently holding a concurrency slot, and the most ever at once. */
  inFlight: number;
  peakInFlight: number;
}

interface PoolEntry {
  key: string;
  ready: Promise<SshConnection>;
  conn: SshConnection | null;
  dead: boolean;
  active: number;
  idleTimer: NodeJS.Timeout | null;
  channels: pLimit.Limit;
}

/**
 * CommandRunner over ssh2: one pooled connection per host configuration (sshPoolKey), shared by
 * concurrent execs (also while it is still connecting), closed after idleTimeoutMs and dropped
 * as soon as it dies. Idle sockets are unref'd so a forgotten pool never keeps a CLI alive.
 * `durationMs` counts from the moment the exec got its concurrency slot (connect included).
 * On COMMAND_TIMEOUT the remote process is sent KILL; sshd honours that only for non-root
 * logins (root sessions run without privilege separation), otherwise it runs to its end.
 */
export class SshPool implements CommandRunner {
  private readonly pool = new Map<string, PoolEntry>();
  private readonly limit: pLimit.Limit;
  private readonly knownHosts: KnownHostsCache;
  private readonly auth: SshAuthLoader;
  private readonly counters = { connects: 0, connectFailures: 0, inFlight: 0, peakInFlight: 0 };
  private closed = false;

  constructor(private readonly opts: SshPoolOptions = {}) {
    this.limit = pLimit(opts.maxConcurrency ?? 16);
    this.knownHosts = new KnownHostsCache(opts.onWarning);
    this.auth = new SshAuthLoader(opts.env ?? process.env);
  }

  exec(host: HostConfig, command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.limit(async () => {
      const c = this.counters;
      c.inFlight += 1;
      c.peakInFlight = Math.max(c.peakInFlight, c.inFlight);
      const started = Date.now();
      try {
        const result = await this.execWithRetry(host, command, opts);
        return { ...result, durationMs: Date.now() - started };
      } finally {
        c.inFlight -= 1;
      }
    });
  }

  stats(): SshPoolStats {
    const open = [...this.pool.values()].filter((e) => e.conn !== null && !e.dead).length;
    return { ...this.counters, open };
  }

  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.pool.values()];
    this.pool.clear();
    await Promise.all(
      entries.map(async (entry) => {
        this.drop(entry);
        const conn = await entry.ready.catch(() => null);
        // Idle sockets are unref'd; whoever awaits close() needs the loop alive until they end.
        conn?.socket.ref();
        if (conn) await endSshConnection(conn);
      }),
    );
  }

  private async execWithRetry(
    host: HostConfig,
    command: string,
    opts: ExecOptions,
  ): Promise<Omit<ExecResult, 'durationMs'>> {
    for (let attempt = 0; ; attempt++) {
      if (this.closed)
        throw new PortbotError('SSH_ERROR', `${describeHost(host)}: SSH pool is closed`);
      const entry = this.entryFor(host);
      const reused = entry.conn !== null;
      this.activate(entry);
      try {
        const conn = await entry.ready;
        return await entry.channels(() =>
          execOnClient(conn.client, host, command, {
            timeoutMs: opts.timeoutMs ?? host.commandTimeoutMs,
            maxOutputBytes: opts.maxOutputBytes ?? this.opts.maxOutputBytes ?? 1024 * 1024,
            stdin: opts.stdin,
          }),
        );
      } catch (err) {
        // A pooled connection can die before its close event arrives; the command never started,
        // so one retry on a fresh connection is safe. A live server refusing a channel is not retried.
        const lost =
          err instanceof ChannelOpenError &&
          (entry.dead || /Not connected|No response/.test(err.message));
        if (lost) {
          this.drop(entry);
          if (reused && attempt === 0) continue;
        }
        throw classifySshError(host, err);
      } finally {
        this.deactivate(entry);
      }
    }
  }

  private entryFor(host: HostConfig): PoolEntry {
    const key = sshPoolKey(host);
    const existing = this.pool.get(key);
    if (existing && !existing.dead) return existing;
    const onReady = (conn: SshConnection): SshConnection => {
      this.counters.connects += 1;
      entry.conn = conn;
      conn.client.on('error', () => this.drop(entry));
      conn.client.on('close', () => this.drop(entry));
      if (entry.dead) void endSshConnection(conn); // the pool was closed while connecting
      return conn;
    };
    const onFailure = (err: unknown): never => {
      this.counters.connectFailures += 1;
      this.drop(entry);
      throw err;
    };
    const entry: PoolEntry = {
      key,
      conn: null,
      dead: false,
      active: 0,
      idleTimer: null,
      channels: pLimit(this.opts.maxChannelsPerConnection ?? 8),
      ready: this.connect(host).then(onReady, onFailure),
    };
    this.pool.set(key, entry);
    return entry;
  }

  private async connect(host: HostConfig): Promise<SshConnection> {
    const policy = await hostKeyPolicyFor(host, this.knownHosts);
    const auth = await this.auth.methods(host);
    return openSshConnection({ host, policy, auth, noDelay: this.opts.noDelay ?? true });
  }

  private activate(entry: PoolEntry): void {
    entry.active += 1;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = null;
    entry.conn?.socket.ref();
  }

  private deactivate(entry: PoolEntry): void {
    entry.active -= 1;
    if (entry.active > 0 || entry.dead || !entry.conn) return;
    const conn = entry.conn;
    conn.socket.unref();
    entry.idleTimer = setTimeout(() => {
      this.drop(entry);
      void endSshConnection(conn);
    }, this.opts.idleTimeoutMs ?? 60_000);
    entry.idleTimer.unref();
  }

  private drop(entry: PoolEntry): void {
    entry.dead = true;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = null;
    if (this.pool.get(entry.key) === entry) this.pool.delete(entry.key);
  }
}
