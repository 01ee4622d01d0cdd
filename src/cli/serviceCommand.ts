import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadEnvConfig } from '../config/loadEnvConfig';
import { PortbotError } from '../domain/PortbotError';
import { boltLogger } from '../observability/boltLogger';
import { createLogger, logFormatFor } from '../observability/createLogger';
import { createMetrics } from '../observability/createMetrics';
import { cachedCheck } from '../http/cachedCheck';
import { startServeService } from '../service/startServeService';
import { startWorkerService } from '../service/startWorkerService';
import { startHealthListener } from '../service/startHealthListener';
import { createWebClients } from '../slack/createWebClients';
import { WebClientFiles } from '../slack/WebClientFiles';
import { WebClientPoster } from '../slack/WebClientPoster';
import { LOCAL_SLACK_TOKEN } from '../localSlack/LocalSlackStore';
import { startLocalSlack, type LocalSlack } from '../localSlack/startLocalSlack';
import type { Policy } from '../domain/Policy';
import { localWorkspacePage } from '../localWorkspace/localWorkspacePage';
import { wantsEmbeddedRedis } from '../config/wantsEmbeddedRedis';
import { startEmbeddedRedis } from '../redis/startEmbeddedRedis';
import type { CliIo } from './CliIo';
import { SERVICE_USAGE, usageFor } from './usage';

const LOCAL_ALERT_CHANNEL = 'C0PORTBOT';
/** Relative to the working directory (docs/reference/service.md). */
const EMBEDDED_REDIS_DIR = 'var/redis';

/**
 * `portbot serve [--with-worker]` and `portbot worker`. Runs until SIGTERM/SIGINT, then stops
 * taking work, lets running jobs finish or hands them back, closes Redis and exits 0.
 */
export async function serviceCommand(
  kind: 'serve' | 'worker',
  argv: string[],
  io: CliIo,
): Promise<number> {
  const withWorker = kind === 'serve' && parseServiceArgs(argv);
  const parsedEnv = loadEnvConfig(io.env);
  const log = createLogger({ level: parsedEnv.LOG_LEVEL, format: logFormatFor(process.stdout) });
  const metrics = createMetrics();
  const closers: (() => Promise<void>)[] = [];
  // No Redis named: use (or start) the one on 127.0.0.1; it is stopped after everything else.
  const embedded = wantsEmbeddedRedis(io.env)
    ? await startEmbeddedRedis({
        host: '127.0.0.1',
        port: parsedEnv.PORTBOT_EMBEDDED_REDIS_PORT,
        dir: EMBEDDED_REDIS_DIR,
        log,
        path: io.env.PATH,
      })
    : null;
  const env = embedded ? { ...parsedEnv, REDIS_URL: embedded.url } : parsedEnv;

  let token = env.SLACK_BOT_TOKEN;
  let apiUrl = env.SLACK_API_URL;
  const localMode = !token;
  // A fresh secret per run: a published default would let anyone who reaches the port forge
  // /port commands that fan out SSH sessions to the real inventory.
  const localSigningSecret = randomBytes(32).toString('hex');
  let localSlack: LocalSlack | undefined;
  if (!token) {
    // Local mode: no Slack credentials, so Slack is the built-in local Slack (see README).
    localSlack = await startLocalSlack({ autoCreateChannels: true });
    const started = localSlack;
    closers.push(() => started.close());
    token = LOCAL_SLACK_TOKEN;
    apiUrl = localSlack.url;
    log.info({ slackApiUrl: localSlack.url }, 'local mode: local Slack started');
  }
  const slackToken: string = token;
  const { client, posts } = createWebClients(slackToken, {
    ...(apiUrl ? { apiUrl } : {}),
    logger: boltLogger(log),
  });
  const slack = new WebClientPoster(client, posts);

  // Listened for from the start: a SIGTERM while a part is still starting (serve already taking
  // alerts, the worker waiting for Redis) must stop what runs, not kill the process outright.
  const stopSignal = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  const start = startParts();
  // After a stop signal, a start that fails on its way down only matters to the log.
  start.catch((err: unknown) => log.debug({ err }, 'start-up ended by the stop'));
  let early: string | undefined;
  try {
    early = await Promise.race([start.then(() => undefined), stopSignal]);
  } catch (err) {
    // A failed start (port in use, bad inventory) must not leave Redis or the local Slack holding
    // the process open.
    await closeAll(closers, log);
    await embedded?.stop();
    throw err;
  }
  log.info({ signal: early ?? (await stopSignal), starting: early !== undefined }, 'shutting down');
  await closeAll(closers, log);
  await embedded?.stop();
  log.info({}, 'stopped');
  return 0;

  async function startParts(): Promise<void> {
    if (kind === 'serve') {
      const authTest = cachedCheck(async () => (await client.auth.test()).ok === true, 30_000);
      const alertChannel = env.PORTBOT_ALERT_CHANNEL ?? LOCAL_ALERT_CHANNEL;
      const signingSecret = env.SLACK_SIGNING_SECRET ?? localSigningSecret;
      // The workspace page plays Slack's side over HTTP: Socket Mode has no /slack/events.
      const workspaceSlack = env.SLACK_MODE === 'http' ? localSlack : undefined;
      const page = workspaceSlack
        ? (policy: Policy) =>
            localWorkspacePage({ slack: workspaceSlack, policy, alertChannel, signingSecret, log })
        : undefined;
      const serve = await startServeService(env, {
        log,
        metrics,
        alertChannel,
        ...(localMode ? { listenHost: '127.0.0.1' } : {}),
        ...(page ? { page } : {}),
        slack: {
          token: slackToken,
          signingSecret,
          ...(apiUrl ? { apiUrl } : {}),
          authTest,
          poster: slack,
          files: new WebClientFiles(client, posts),
        },
      });
      closers.unshift(serve.close);
      io.stdout(`portbot serve listening on :${serve.port}`);
      if (page) io.stdout(`portbot local workspace: http://127.0.0.1:${serve.port}/`);
      if (env.PORTBOT_HEALTH_PORT !== undefined) {
        const health = await startHealthListener(env, env.PORTBOT_HEALTH_PORT, {
          log,
          metrics,
          component: 'serve-health',
          checks: { slack: authTest },
        });
        closers.unshift(health.close);
        io.stdout(`portbot serve health on :${health.port}`);
      }
    }
    if (kind === 'worker' || withWorker) {
      const worker = startWorkerService(env, { log, slack, history: slack, metrics });
      closers.unshift(worker.close);
      // With --with-worker, serve's own listener already exposes the same registry.
      if (kind === 'worker' && env.PORTBOT_WORKER_HTTP_PORT !== undefined) {
        const health = await startHealthListener(env, env.PORTBOT_WORKER_HTTP_PORT, {
          log,
          metrics,
          component: 'worker-http',
        });
        closers.unshift(health.close);
        io.stdout(`portbot worker health on :${health.port}`);
      }
    }
  }
}

/**
 * In order (workers finish their Slack posts before the local Slack goes), and every closer runs
 * even when one fails; failures are logged, not thrown.
 */
async function closeAll(
  closers: (() => Promise<void>)[],
  log: { error: (o: object, m: string) => void },
): Promise<void> {
  for (const close of closers) {
    try {
      await close();
    } catch (err) {
      log.error({ err: String(err) }, 'shutdown step failed');
    }
  }
}

function parseServiceArgs(argv: string[]): boolean {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { 'with-worker': { type: 'boolean', default: false } },
      strict: true,
    });
    return values['with-worker'];
  } catch (err) {
    throw new PortbotError('USAGE', usageFor(SERVICE_USAGE, (err as Error).message));
  }
}
