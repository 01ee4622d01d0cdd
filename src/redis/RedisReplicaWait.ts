import type { Redis } from 'ioredis';
import type { Log } from '../domain/Log';
import type { WriteConfirmation, WriteConfirmed } from '../domain/WriteConfirmation';

/**
 * Redis replicates asynchronously: a write the master acknowledged, then lost with the master
 * before a replica had it, is gone after a failover. WAIT on each connection that wrote blocks
 * until `replicas` replicas have everything that connection wrote (WAIT counts per client).
 *
 * With fewer replicas connected than asked for (one of two nodes down: the survivor is the master
 * and nothing can be failed over to), waiting would refuse every alert until the node returns;
 * it waits for the connected ones instead, and with none the write rests on the master's AOF.
 * A reconnect between mark() and confirm() may have moved the connection to a promoted replica
 * that never saw the writes, so it is never confirmed.
 */
export class RedisReplicaWait implements WriteConfirmation {
  private reconnects = 0;
  private degraded = false;

  constructor(
    private readonly connections: readonly Redis[],
    private readonly opts: { replicas: number; timeoutMs: number; log: Log },
  ) {
    for (const c of connections) c.on('ready', () => (this.reconnects += 1));
  }

  mark(): number {
    return this.reconnects;
  }

  async confirm(mark: number): Promise<WriteConfirmed> {
    const first = this.connections[0];
    if (first === undefined) return { confirmed: true, replicas: 0, wanted: 0 };
    const wanted = Math.min(this.opts.replicas, await onlineReplicas(first));
    this.noteDegraded(wanted);
    const acks =
      wanted === 0
        ? []
        : await Promise.all(
            this.connections.map(async (c) =>
              Number(await c.call('WAIT', String(wanted), String(this.opts.timeoutMs))),
            ),
          );
    if (this.reconnects !== mark) {
      return { confirmed: false, reason: 'the Redis connection was re-established meanwhile' };
    }
    const replicas = acks.length === 0 ? 0 : Math.min(...acks);
    if (replicas < wanted) {
      return {
        confirmed: false,
        reason: `${replicas} of ${wanted} replicas confirmed within ${this.opts.timeoutMs} ms`,
      };
    }
    return { confirmed: true, replicas, wanted };
  }

  /** One log line when alerts start or stop being acknowledged with fewer replicas than asked. */
  private noteDegraded(wanted: number): void {
    const degraded = wanted < this.opts.replicas;
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    if (degraded) {
      this.opts.log.warn(
        { wanted: this.opts.replicas, connected: wanted },
        'fewer redis replicas connected than PORTBOT_ALERT_WAIT_REPLICAS: alerts are acknowledged once the connected ones have them',
      );
    } else {
      this.opts.log.info({ wanted }, 'redis replicas back: alerts wait for all of them again');
    }
  }
}

/** ROLE on a master lists its replicas that are online (done with their initial sync). */
async function onlineReplicas(redis: Redis): Promise<number> {
  const role = (await redis.call('ROLE')) as unknown[];
  if (role[0] !== 'master') throw new Error(`redis answered ROLE ${String(role[0])}, not master`);
  return Array.isArray(role[2]) ? role[2].length : 0;
}
