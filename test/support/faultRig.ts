import type { Redis } from 'ioredis';
import { RedisAuditLog } from '../../src/audit/redis/RedisAuditLog';
import type { StoredMessage } from '../../src/localSlack/localSlackTypes';
import type { TestSlack } from './localSlack/startTestSlack';
import { ALERT_CHANNEL, postAlert } from './serviceEnv';

/** Fires a generic alert for host:port at a serve process; the answer must be 202. */
export async function fire(servePort: number, host: string, port: number): Promise<void> {
  const a = await postAlert(
    servePort,
    { host, port, status: 'firing', summary: 'fault test' },
    undefined,
    'generic',
  );
  if (a.status !== 202) throw new Error(`alert ${host}:${port} answered ${a.status}`);
}

/** What one incident's thread looks like in the local Slack. */
export interface ThreadView {
  roots: StoredMessage[];
  replies: StoredMessage[];
  diagnosed: boolean;
}

/** host:port in a message text, not a prefix of a longer port (lb-01:80 vs lb-01:8080). */
export function names(text: string, target: string): boolean {
  return new RegExp(`${target.replace(/[.]/g, '\\.')}(?!\\d)`).test(text);
}

export function threadOf(slack: TestSlack, target: string): ThreadView {
  const roots = slack.topLevelMessages(ALERT_CHANNEL).filter((m) => names(m.text, target));
  const root = roots[0];
  const replies = root ? slack.thread(ALERT_CHANNEL, root.ts).replies : [];
  const diagnosed = root !== undefined && !/diagnosing/i.test(root.text);
  return { roots, replies, diagnosed };
}

/** Resolves once every target has a diagnosed root with at least one reply. */
export function waitForThreads(slack: TestSlack, targets: string[], timeoutMs: number) {
  return slack.waitFor(
    () =>
      targets.every((t) => {
        const v = threadOf(slack, t);
        return v.diagnosed && v.replies.length > 0;
      })
        ? true
        : undefined,
    timeoutMs,
  );
}

/** Root posts (no thread_ts) Slack accepted whose text names the target. */
export function acceptedRootPosts(slack: TestSlack, target: string): number {
  return slack
    .calls('chat.postMessage')
    .filter((c) => c.ok && !c.params.thread_ts && names(String(c.params.text), target)).length;
}

/** `diagnosis.posted` audit events per job id. */
export async function postedAuditsPerJob(redis: Redis): Promise<Map<string, number>> {
  const perJob = new Map<string, number>();
  for await (const e of new RedisAuditLog(redis).read({})) {
    if (e.type !== 'diagnosis.posted') continue;
    const job = String(e.detail.job);
    perJob.set(job, (perJob.get(job) ?? 0) + 1);
  }
  return perJob;
}
