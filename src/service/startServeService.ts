import type { Server } from 'node:http';
import { WebClient } from '@slack/web-api';
import type { AuditExportSlack } from '../commands/AuditExportDeps';
import { DEFAULT_ALERT_MAPPING } from '../config/AlertMappingSchema';
import type { EnvConfig } from '../config/EnvConfigSchema';
import { loadPolicy } from '../config/loadPolicy';
import { loadStaticConfig } from '../config/loadStaticConfig';
import { redisEndpoint } from '../config/RedisEnvSchema';
import { createHttpServer } from '../http/createHttpServer';
import type { PageRoutes } from '../http/PageRoutes';
import type { Policy } from '../domain/Policy';
import { RedisFleetCheckStore } from '../fleetChecks/RedisFleetCheckStore';
import { RedisIncidentStore } from '../incidents/RedisIncidentStore';
import { RedisHeldSummaryStore } from '../heldAlerts/RedisHeldSummaryStore';
import { announceHeld } from '../ingress/announceHeld';
import { boltLogger } from '../observability/boltLogger';
import type { Logger } from '../observability/createLogger';
import type { Metrics } from '../observability/createMetrics';
import { BullJobQueue } from '../queue/BullJobQueue';
import { heldSummaryQueue } from '../queue/heldSummaryQueue';
import { sweepQueue } from '../queue/sweepQueue';
import { closeRedis } from '../redis/closeRedis';
import { redisForRequests } from '../redis/redisConnection';
import { whenRedisReady } from '../redis/whenRedisReady';
import { RedisTokenBucket } from '../redis/RedisTokenBucket';
import { RedisReplicaWait } from '../redis/RedisReplicaWait';
import { describeRedisEndpoint } from '../redis/describeRedisEndpoint';
import { formatStatusText } from '../render/formatStatusText';
import { closeSocketMode } from '../slack/closeSocketMode';
import { startSocketMode } from '../slack/startSocketMode';
import { createBoltApp } from '../slack/createBoltApp';
import type { SlackPoster } from '../slack/SlackPoster';
import { SlackUserGroups } from '../slack/SlackUserGroups';
import { logRedisState } from './logRedisState';
import { approvalSignerFor } from './approvalSignerFor';
import { warnWithoutPersistence } from './checkRedisPersistence';
import { openAuditLog } from './openAuditLog';
import { remediationFlowDeps } from './remediationFlowDeps';

export interface SlackSettings {
  token: string;
  signingSecret: string;
  apiUrl?: string;
  authTest: () => Promise<boolean>;
  poster: SlackPoster;
  /** The two-step file upload, for `/port audit export`. */
  files: Pick<AuditExportSlack, 'uploadFile' | 'shareFile'>;
}

/** Largest audit export sent as a Slack file; it is built in memory (Slack wants the length first). */
export const AUDIT_EXPORT_MAX_BYTES = 32 * 1024 * 1024;

/**
 * `portbot serve`: Bolt + alert webhooks + health/metrics + queue producers. SSH only with the
 * read-only credential, to plan a remediation request; never the remediation credential.
 */
export async function startServeService(
  env: EnvConfig,
  deps: {
    log: Logger;
    metrics: Metrics;
    slack: SlackSettings;
    alertChannel: string;
    /** Local mode binds to loopback only: its Slack side is a stand-in anyone could sign for. */
    listenHost?: string;
    /** Local mode: the workspace page, served on the same listener, for the policy in force. */
    page?: (policy: Policy) => PageRoutes;
  },
): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const log = deps.log.child({ component: 'serve' });
  const { inventory, runbooks } = loadStaticConfig(env.PORTBOT_INVENTORY);
  const { policy, source } = loadPolicy(env.PORTBOT_POLICY);
  const signer = approvalSignerFor(env, policy);
  const page = deps.page?.(policy);
  const redisAt = redisEndpoint(env);
  const stateRedis = redisForRequests(redisAt, env.PORTBOT_REDIS_TIMEOUT_MS);
  const queueRedis = redisForRequests(redisAt, env.PORTBOT_REDIS_TIMEOUT_MS);
  // Sentinel means a failover can happen: an alert is acknowledged once a replica has it.
  const waitReplicas = env.PORTBOT_ALERT_WAIT_REPLICAS ?? (redisAt.kind === 'sentinel' ? 1 : 0);
  logRedisState(stateRedis, 'state', log);
  logRedisState(queueRedis, 'queue', log);
  const incidents = new RedisIncidentStore(stateRedis, env.PORTBOT_INCIDENT_TTL_S);
  const checks = new RedisFleetCheckStore(stateRedis, env.PORTBOT_INCIDENT_TTL_S);
  const queue = new BullJobQueue(queueRedis, undefined, log);
  const heldQueue = heldSummaryQueue(queueRedis, undefined, log);
  const sweeps = sweepQueue(queueRedis, undefined, log);
  const { auditLog, audit, auditRedis, close: closeAudit } = openAuditLog(env, stateRedis, log);
  await whenRedisReady(stateRedis, env.PORTBOT_REDIS_TIMEOUT_MS);
  await warnWithoutPersistence(env.AUDIT_REDIS_URL !== undefined, stateRedis, auditRedis, log);
  const now = () => Date.now();
  const claimReplayKey = (key: string, ttlMs: number) =>
    incidents.claimOnce(`replay:${key}`, ttlMs);
  // One membership cache for every policy list that may name user groups.
  const groups = new SlackUserGroups(
    new WebClient(deps.slack.token, deps.slack.apiUrl ? { slackApiUrl: deps.slack.apiUrl } : {}),
    [policy.remediation?.requesters, policy.remediation?.approvers, policy.auditors],
    log,
  );
  const userGroups = (userId: string) => groups.groupsOf(userId);
  const remediation = remediationFlowDeps({
    policy,
    signer,
    inventory,
    runbooks,
    incidents,
    stateRedis,
    queueRedis,
    poster: deps.slack.poster,
    userGroups,
    audit,
    log,
  });
  deps.metrics.sources.countOpenIncidents = () => incidents.countOpen();
  deps.metrics.sources.jobCounts = async () => {
    const [counts, held, swept] = await Promise.all([
      queue.counts(),
      heldQueue.counts(),
      sweeps.counts(),
    ]);
    return { ...counts, held_summary: held, sweep: swept };
  };
  const { app, listener, socketMode } = createBoltApp({
    token: deps.slack.token,
    mode: env.SLACK_MODE,
    signingSecret: deps.slack.signingSecret,
    ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
    ...(deps.slack.apiUrl ? { slackApiUrl: deps.slack.apiUrl } : {}),
    logger: boltLogger(deps.log),
    log,
    poster: deps.slack.poster,
    portCommand: {
      policy,
      inventory,
      incidents,
      checks,
      queue,
      sweeps,
      now,
      log,
      audit,
      status: async () => {
        const [open, counts] = await Promise.all([incidents.countOpen(), queue.counts()]);
        return formatStatusText(open, counts.diagnose);
      },
      auditExport: {
        auditLog,
        userGroups,
        slack: {
          openDm: (userId) => deps.slack.poster.openDm(userId),
          uploadFile: (file) => deps.slack.files.uploadFile(file),
          shareFile: (share) => deps.slack.files.shareFile(share),
        },
        maxBytes: AUDIT_EXPORT_MAX_BYTES,
      },
    },
    guard: { now, claimOnce: claimReplayKey, workspaces: policy.workspaces },
    remediation: remediation.deps,
  });
  const server = createHttpServer({
    ...(listener ? { slackListener: listener } : {}),
    alerts: {
      incidents,
      queue,
      inventory,
      mapping: env.PORTBOT_ALERT_MAPPING ?? DEFAULT_ALERT_MAPPING,
      channel: deps.alertChannel,
      rediagnoseIntervalMs: env.PORTBOT_REDIAGNOSE_INTERVAL_S * 1000,
      newIncidentCap: {
        bucket: new RedisTokenBucket(stateRedis),
        perMinute: env.PORTBOT_NEW_INCIDENTS_PER_MINUTE,
        announce: announceHeld({
          store: new RedisHeldSummaryStore(stateRedis),
          enqueue: heldQueue.enqueue,
        }),
      },
      now,
      log,
      audit,
      onOutcome: (src, outcome) => deps.metrics.alertsReceived.inc({ source: src, outcome }),
      claimOnce: claimReplayKey,
      releaseClaim: (key: string) => incidents.releaseClaim(`replay:${key}`),
      ...(waitReplicas > 0
        ? {
            writes: new RedisReplicaWait([stateRedis, queueRedis], {
              replicas: waitReplicas,
              timeoutMs: env.PORTBOT_ALERT_WAIT_MS,
              log,
            }),
          }
        : {}),
      auth: {
        ...(env.PORTBOT_ALERT_TOKEN ? { bearerToken: env.PORTBOT_ALERT_TOKEN } : {}),
        ...(env.PORTBOT_ALERT_HMAC_SECRET ? { hmacSecret: env.PORTBOT_ALERT_HMAC_SECRET } : {}),
      },
    },
    readiness: {
      redis: async () => (await stateRedis.ping()) === 'PONG',
      slack: deps.slack.authTest,
    },
    registry: deps.metrics.registry,
    log,
    audit: { audit: auditLog, token: env.PORTBOT_AUDIT_TOKEN, now, log },
    maxConnectionsPerAddress: env.PORTBOT_MAX_CONNECTIONS_PER_ADDRESS,
    ...(page ? { page } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (deps.listenHost) server.listen(env.PORTBOT_HTTP_PORT, deps.listenHost, resolve);
    else server.listen(env.PORTBOT_HTTP_PORT, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORTBOT_HTTP_PORT;
  const close = async () => {
    if (socketMode) await closeSocketMode(socketMode, log);
    // The page's event streams stay open until ended: the server would wait for them.
    page?.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await queue.close();
    await heldQueue.close();
    await sweeps.close();
    await remediation.close();
    await Promise.all([closeRedis(stateRedis), closeRedis(queueRedis)]);
    await closeAudit();
  };
  // Socket Mode: Bolt holds its own WebSocket to Slack; HTTP mode is served by our listener above.
  if (socketMode) {
    // A refused app token must not leave the listener and Redis holding the process open.
    await startSocketMode(app).catch(async (err: unknown) => {
      await close();
      throw err;
    });
  }
  log.info(
    {
      port,
      policy: source,
      hosts: inventory.hosts.length,
      mode: env.SLACK_MODE,
      redis: describeRedisEndpoint(redisAt),
      alertWaitReplicas: waitReplicas,
    },
    'serve listening',
  );
  return { server, port, close };
}
