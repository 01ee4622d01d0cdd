import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Log } from '../domain/Log';
import { PortbotError } from '../domain/PortbotError';
import { findOnPath } from './findOnPath';
import { pingRedis } from './pingRedis';
import { redisForOneShot } from './redisConnection';

/** The Redis serve/worker use when REDIS_URL is unset: theirs (`started`) or one already there. */
export interface EmbeddedRedis {
  url: string;
  /** true when this process started redis-server (and stop() stops it). */
  started: boolean;
  stop: () => Promise<void>;
}

export interface EmbeddedRedisOptions {
  host: string;
  port: number;
  /** Data goes to `<dir>/<port>`: one folder per port, so two servers never share one. */
  dir: string;
  log: Log;
  /** Where to look for redis-server (and setpriv); the process's PATH in production. */
  path: string | undefined;
  readyTimeoutMs?: number;
}

/**
 * Makes sure a Redis answers on host:port. One that already answers is used and never touched.
 * Otherwise redis-server from PATH is started with append-only persistence, and stop() ends it.
 * Its life is tied to ours: it runs under `setpriv --pdeathsig SIGTERM`, so a portbot that
 * crashes or is SIGKILLed takes it along; and in its own process group, so a Ctrl-C meant for
 * portbot does not stop Redis before portbot's workers have closed. Two portbots starting at
 * once race for the port: the loser's redis-server cannot bind, exits before it reads or writes
 * the data folder (Redis binds first), and the loser uses the winner's.
 */
export async function startEmbeddedRedis(opts: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const url = `redis://${opts.host}:${opts.port}`;
  const log = opts.log;
  const noop = { url, started: false, stop: () => Promise.resolve() };
  const answer = await pingRedis(opts.host, opts.port);
  if (answer === 'ready' || answer === 'loading') {
    log.info({ redis: url }, 'REDIS_URL unset: using the Redis that answers there');
    return noop;
  }
  // Used anyway, either would leave serve up with every Redis command failing (NOAUTH, or a
  // protocol error from a program that is not Redis), which reads like an outage, not a setup.
  if (answer === 'auth') {
    throw new PortbotError(
      'EMBEDDED_REDIS_AUTH',
      `REDIS_URL is unset and the Redis on ${opts.host}:${opts.port} asks for a password: set ` +
        `REDIS_URL=redis://:PASSWORD@${opts.host}:${opts.port}, or PORTBOT_EMBEDDED_REDIS_PORT ` +
        'to a free port for portbot to start its own Redis there.',
    );
  }
  if (answer === 'other') {
    throw new PortbotError(
      'EMBEDDED_REDIS_PORT_TAKEN',
      `REDIS_URL is unset and ${opts.host}:${opts.port} is held by a program that is not a Redis ` +
        '(it did not answer PING): set REDIS_URL to your Redis, or PORTBOT_EMBEDDED_REDIS_PORT ' +
        'to a free port for portbot to start its own Redis there.',
    );
  }
  const redisServer = findOnPath('redis-server', opts.path);
  if (redisServer === null) {
    throw new PortbotError(
      'REDIS_SERVER_MISSING',
      `REDIS_URL is unset and nothing answers on ${opts.host}:${opts.port}, so portbot would start ` +
        'its own Redis, but redis-server is not on PATH. Install it (Debian/Ubuntu: ' +
        'apt-get install redis-server) or set REDIS_URL to your Redis.',
    );
  }
  const dataDir = join(resolve(opts.dir), String(opts.port));
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new PortbotError(
      'EMBEDDED_REDIS_DIR',
      `REDIS_URL is unset and portbot cannot create its Redis data folder ${dataDir} ` +
        `(${(err as NodeJS.ErrnoException).code ?? String(err)}): start it from a writable ` +
        'working directory, or set REDIS_URL to your Redis.',
    );
  }
  const logFile = join(dataDir, 'redis.log');
  const args = [
    ...['--port', String(opts.port), '--bind', opts.host, '--dir', dataDir],
    ...['--appendonly', 'yes', '--save', '', '--daemonize', 'no', '--logfile', logFile],
  ];
  const setpriv = findOnPath('setpriv', opts.path);
  const argv = setpriv
    ? [setpriv, '--pdeathsig', 'SIGTERM', redisServer, ...args]
    : [redisServer, ...args];
  if (!setpriv) log.warn({}, 'setpriv not found: the embedded Redis outlives a crashed portbot');
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: 'ignore', detached: true });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) log.error({ code, signal, logFile }, 'embedded redis-server exited');
  });
  const ready = await waitReady(opts, child);
  if (ready === 'theirs') {
    stopping = true;
    log.info({ redis: url }, 'another process started a Redis there first: using it');
    return noop;
  }
  log.info({ redis: url, pid: child.pid, dir: dataDir }, 'embedded redis-server started');
  return {
    url,
    started: true,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      // SIGTERM: Redis flushes and fsyncs the append-only file, then exits.
      child.kill('SIGTERM');
      const stuck = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(stuck);
      log.info({ redis: url }, 'embedded redis-server stopped');
    },
  };

  async function waitReady(o: EmbeddedRedisOptions, c: ChildProcess): Promise<'ours' | 'theirs'> {
    const deadline = Date.now() + (o.readyTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      const gone = c.exitCode !== null || c.signalCode !== null;
      const answer = await pingRedis(o.host, o.port);
      // Which server answers: ours may still be starting while another portbot's already binds.
      if (answer === 'ready') return (await serverPid(url)) === c.pid ? 'ours' : 'theirs';
      if (gone && answer === 'none') break;
      await sleep(gone ? 100 : 50);
    }
    c.kill('SIGKILL');
    throw new PortbotError(
      'EMBEDDED_REDIS_FAILED',
      `the embedded redis-server on ${o.host}:${o.port} did not start; its log ${logFile} ends:\n` +
        tail(logFile),
    );
  }
}

/** The answering server's `process_id` (INFO server); null when it cannot be read. */
async function serverPid(url: string): Promise<number | null> {
  const client = redisForOneShot({ kind: 'url', url }, { connectMs: 1000, commandMs: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const m = /process_id:(\d+)/.exec(await client.info('server'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  } finally {
    client.disconnect();
  }
}

function tail(file: string): string {
  if (!existsSync(file)) return '(no log written)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-5).join('\n');
}
