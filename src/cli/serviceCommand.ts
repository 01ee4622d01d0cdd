import { WebClient } from '@slack/web-api';
import { parseArgs } from 'node:util';
import { loadEnvConfig } from '../config/loadEnvConfig';
import { PortbotError } from '../domain/PortbotError';
import { createLogger } from '../observability/createLogger';
import { createMetrics } from '../observability/createMetrics';
import { startServeService } from '../service/startServeService';
import { startWorkerService } from '../service/startWorkerService';
import { WebClientPoster } from '../slack/WebClientPoster';
import { STAND_IN_TOKEN } from '../slackStandIn/SlackStandInStore';
import { startSlackStandIn } from '../slackStandIn/startSlackStandIn';
import type { CliIo } from './CliIo';

const LOCAL_SIGNING_SECRET = 'portbot-local-signing-secret';
const LOCAL_ALERT_CHANNEL = 'C0PORTBOT';

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
  const env = loadEnvConfig(io.env);
  const log = createLogger({ level: env.LOG_LEVEL });
  const metrics = createMetrics();
  const closers: (() => Promise<void>)[] = [];

  let token = env.SLACK_BOT_TOKEN;
  let apiUrl = env.SLACK_API_URL;
  if (!token) {
    // Local mode: no Slack credentials, so Slack is the built-in stand-in (see README).
    const standIn = await startSlackStandIn({ autoCreateChannels: true });
    closers.push(() => standIn.close());
    token = STAND_IN_TOKEN;
    apiUrl = standIn.url;
    log.info({ slackApiUrl: standIn.url }, 'local mode: Slack stand-in started');
  }
  const client = new WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 5, factor: 2, minTimeout: 500 },
  });
  const slack = new WebClientPoster(client);

  if (kind === 'serve') {
    const serve = await startServeService(env, {
      log,
      metrics,
      alertChannel: env.PORTBOT_ALERT_CHANNEL ?? LOCAL_ALERT_CHANNEL,
      slack: {
        token,
        signingSecret: env.SLACK_SIGNING_SECRET ?? LOCAL_SIGNING_SECRET,
        ...(apiUrl ? { apiUrl } : {}),
        authTest: async () => (await client.auth.test()).ok === true,
      },
    });
    closers.unshift(serve.close);
    io.stdout(`portbot serve listening on :${serve.port}`);
  }
  if (kind === 'worker' || withWorker) {
    const worker = startWorkerService(env, { log, slack, metrics });
    closers.unshift(worker.close);
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  for (const close of closers) await close();
  log.info({}, 'stopped');
  return 0;
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
    throw new PortbotError(
      'USAGE',
      `${(err as Error).message}\nusage: portbot serve [--with-worker] | portbot worker`,
    );
  }
}
