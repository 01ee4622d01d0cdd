import { z } from 'zod';
import { AlertMappingSchema } from './AlertMappingSchema';
import { boundedInt } from './boundedInt';
import { checkRedisEnv, redisEnvFields } from './RedisEnvSchema';

/** Every environment variable portbot serve/worker read (listed with comments in .env.example). */
export const EnvConfigSchema = z
  .object({
    SLACK_BOT_TOKEN: z
      .string()
      .regex(/^xoxb-\S+$/, { error: "expected a bot token starting with 'xoxb-'" })
      .optional(),
    SLACK_SIGNING_SECRET: z
      .string()
      .min(8, { error: 'expected the app signing secret' })
      .optional(),
    SLACK_APP_TOKEN: z
      .string()
      .regex(/^xapp-\S+$/, { error: "expected an app token starting with 'xapp-'" })
      .optional(),
    SLACK_MODE: z
      .enum(['http', 'socket'], { error: "expected 'http' or 'socket'" })
      .default('http'),
    SLACK_API_URL: z.url({ error: 'expected an http(s) URL' }).optional(),
    PORTBOT_ALERT_CHANNEL: z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, { error: 'expected a channel id like C0123ABC' })
      .optional(),
    PORTBOT_ALERT_TOKEN: z
      .string()
      .min(16, { error: 'expected at least 16 characters' })
      .optional(),
    PORTBOT_ALERT_HMAC_SECRET: z
      .string()
      .min(16, { error: 'expected at least 16 characters' })
      .optional(),
    /** JSON, e.g. {"hostLabels":["host","node"],"portLabels":["port"],"instanceLabel":"instance"} */
    PORTBOT_ALERT_MAPPING: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'expected JSON' });
          return z.NEVER;
        }
      })
      .pipe(AlertMappingSchema)
      .optional(),
    PORTBOT_POLICY: z.string().default('./policy.yaml'),
    PORTBOT_INVENTORY: z.string().default('./inventory.yaml'),
    ...redisEnvFields,
    /** serve answers 503 when one Redis command takes longer than this (a paused Redis). */
    PORTBOT_REDIS_TIMEOUT_MS: boundedInt(100, 60000, 'milliseconds').default(2000),
    /**
     * HMAC-SHA256 key over remediation requests and approvals (serve signs, the worker checks);
     * required when the policy enables remediation, the same value for serve and worker.
     */
    PORTBOT_APPROVAL_KEY: z
      .string()
      .min(32, { error: 'expected at least 32 characters (e.g. openssl rand -hex 32)' })
      .optional(),
    /**
     * An alert is answered 202 only once this many replicas have its writes (Redis WAIT), so a
     * failover cannot lose it. Unset: 1 with REDIS_SENTINELS, else 0 (no wait).
     */
    PORTBOT_ALERT_WAIT_REPLICAS: boundedInt(0, 10, 'a number of replicas').optional(),
    /** How long serve waits for those replicas before answering 503 (the sender retries). */
    PORTBOT_ALERT_WAIT_MS: boundedInt(10, 60000, 'milliseconds').default(500),
    /** Bearer token for GET /audit/export; unset refuses every export request. */
    PORTBOT_AUDIT_TOKEN: z
      .string()
      .min(16, { error: 'expected at least 16 characters' })
      .optional(),
    PORTBOT_HTTP_PORT: boundedInt(0, 65535, 'a TCP port').default(3000),
    /** `portbot worker` serves /healthz, /readyz and /metrics here; unset, it listens nowhere. */
    PORTBOT_WORKER_HTTP_PORT: boundedInt(0, 65535, 'a TCP port').optional(),
    /**
     * `portbot serve` also answers /healthz, /readyz and /metrics here, apart from the public
     * listener, so held public connections cannot fail a probe; unset, only on PORTBOT_HTTP_PORT.
     */
    PORTBOT_HEALTH_PORT: boundedInt(0, 65535, 'a TCP port').optional(),
    /** Connections one client address may hold at once; 0 = no cap (a proxy in front limits). */
    PORTBOT_MAX_CONNECTIONS_PER_ADDRESS: boundedInt(0, 512, 'connections').default(64),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'expected fatal, error, warn, info, debug, trace or silent',
      })
      .default('info'),
    /** Repeats of a firing alert re-diagnose at most once per this many seconds. */
    PORTBOT_REDIAGNOSE_INTERVAL_S: boundedInt(0, 86400, 'seconds').default(300),
    /** Alerts that would open more NEW incidents than this per source and minute are held back. */
    PORTBOT_NEW_INCIDENTS_PER_MINUTE: boundedInt(
      1,
      100000,
      'new incidents per minute per source',
    ).default(20),
    /** An open incident is forgotten this long after its last alert. */
    PORTBOT_INCIDENT_TTL_S: boundedInt(60, 30 * 86400, 'seconds').default(7 * 86400),
    /** Diagnoses running against the same host at once, across all workers (others wait, delayed). */
    PORTBOT_PER_HOST_CONCURRENCY: boundedInt(1, 64, 'a count').default(2),
    /** A host whose SSH timed out fails fast for this long (circuit breaker). */
    PORTBOT_HOST_BREAKER_MS: boundedInt(0, 600000, 'milliseconds').default(30000),
    /**
     * An alert's diagnosis that finds the port free or healthy samples it this long
     * (transient-occupant); 0 turns sampling off.
     */
    PORTBOT_SAMPLE_SECONDS: boundedInt(0, 60, 'seconds').default(20),
    PORTBOT_WORKER_CONCURRENCY: boundedInt(1, 500, 'a count').default(20),
    /**
     * How long a running job stays locked to its worker (renewed every half of it), and how often
     * workers look for lapsed locks: a killed worker's jobs return within about their sum.
     */
    PORTBOT_JOB_LOCK_MS: boundedInt(1000, 600000, 'milliseconds').default(10000),
    PORTBOT_STALLED_INTERVAL_MS: boundedInt(1000, 600000, 'milliseconds').default(5000),
    /** On SIGTERM, running jobs get this long to finish before they are handed back. */
    PORTBOT_DRAIN_MS: boundedInt(0, 600000, 'milliseconds').default(20000),
    /** Approved remediation requests one worker process runs at once (one per HA group anyway). */
    PORTBOT_REMEDIATION_CONCURRENCY: boundedInt(1, 50, 'a count').default(4),
    /**
     * The fencing lock of a running remediation lives this long unless a step renews it; a lost
     * worker's request is declared aborted only after it lapsed. Longer than the slowest step.
     */
    PORTBOT_REMEDIATION_LOCK_MS: boundedInt(10000, 3600000, 'milliseconds').default(120000),
    /** On SIGTERM a running remediation gets this long to finish its plan (never cut mid-step). */
    PORTBOT_REMEDIATION_DRAIN_MS: boundedInt(0, 3600000, 'milliseconds').default(300000),
    /** Slack messages (posts + updates) per second per channel, across all workers. */
    PORTBOT_SLACK_PER_CHANNEL_PER_S: z.coerce.number().positive().max(100).default(1),
    /** chat.update calls per minute across the workspace (Slack's Tier 3 is 50+). */
    PORTBOT_SLACK_UPDATES_PER_MIN: boundedInt(1, 6000, 'calls per minute').default(45),
    /**
     * When the worker sweeps every host for latent port conflicts (cron, 5 fields, or 6 with
     * seconds first); `off` schedules none. Daily at 06:00 in PORTBOT_SWEEP_TZ by default.
     */
    PORTBOT_SWEEP_CRON: z
      .string()
      .trim()
      .regex(/^(off|\S+( \S+){4,5})$/, {
        error: "expected a cron pattern like '0 6 * * *' (5 or 6 fields) or 'off'",
      })
      .default('0 6 * * *'),
    /** IANA time zone of PORTBOT_SWEEP_CRON. */
    PORTBOT_SWEEP_TZ: z.string().min(1).default('UTC'),
    /** Where sweep digests go; default PORTBOT_ALERT_CHANNEL (no channel: no scheduled sweep). */
    PORTBOT_SWEEP_CHANNEL: z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, { error: 'expected a channel id like C0123ABC' })
      .optional(),
  })
  .superRefine((env, ctx) => {
    checkRedisEnv(env, ctx);
    if (env.PORTBOT_ALERT_WAIT_MS >= env.PORTBOT_REDIS_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['PORTBOT_ALERT_WAIT_MS'],
        message: `must be below PORTBOT_REDIS_TIMEOUT_MS (${env.PORTBOT_REDIS_TIMEOUT_MS}): the wait is one Redis command`,
      });
    }
    if (env.SLACK_BOT_TOKEN && env.SLACK_MODE === 'http' && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'required when SLACK_BOT_TOKEN is set and SLACK_MODE=http',
      });
    }
    if (
      env.SLACK_BOT_TOKEN &&
      (env.PORTBOT_ALERT_TOKEN || env.PORTBOT_ALERT_HMAC_SECRET) &&
      !env.PORTBOT_ALERT_CHANNEL
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['PORTBOT_ALERT_CHANNEL'],
        message: 'required when alerts are enabled: where alert threads open',
      });
    }
    if (env.SLACK_BOT_TOKEN && env.SLACK_MODE === 'socket' && !env.SLACK_APP_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_APP_TOKEN'],
        message: 'required when SLACK_MODE=socket',
      });
    }
  });

export type EnvConfig = z.infer<typeof EnvConfigSchema>;
