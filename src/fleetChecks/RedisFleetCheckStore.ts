import type { Redis } from 'ioredis';
import { PortbotError } from '../domain/PortbotError';
import { formatIssuePath } from '../validation/formatIssuePath';
import { flatPairs } from '../redis/flatPairs';
import { SET_ROOT } from '../incidents/incidentScripts';
import { runLuaScript } from '../redis/runLuaScript';
import { RedisPostSlot } from '../redis/RedisPostSlot';
import type { PostSlot } from '../domain/PostSlot';
import type { FleetCheck, FleetCheckStore } from './FleetCheck';
import { FleetCheckHashSchema, FlatHashReplySchema } from './FleetCheckHashSchema';
import { OPEN_FLEET_CHECK } from './fleetCheckScripts';

const PREFIX = 'portbot:fleet-check:';

/** FleetCheckStore on Redis: one hash per check, expiring like incidents do. */
export class RedisFleetCheckStore implements FleetCheckStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  async open(input: Parameters<FleetCheckStore['open']>[0]): Promise<FleetCheck> {
    const reply = await runLuaScript(
      this.redis,
      OPEN_FLEET_CHECK,
      [`${PREFIX}seq`],
      [
        PREFIX,
        input.scope.kind,
        input.scope.kind === 'group' ? input.scope.group : '',
        String(input.port),
        input.channel,
        input.requestedBy,
        String(input.now),
        String(this.ttlSeconds),
      ],
    );
    const flat = FlatHashReplySchema.safeParse(reply);
    if (!flat.success) throw corrupt('(new)', 'the open script did not answer a hash');
    return toFleetCheck(flatPairs(flat.data));
  }

  async get(id: string): Promise<FleetCheck | null> {
    const h = await this.redis.hgetall(PREFIX + id);
    return h.id === undefined ? null : toFleetCheck(h);
  }

  async setRoot(id: string, channel: string, ts: string): Promise<boolean> {
    return (await runLuaScript(this.redis, SET_ROOT, [PREFIX + id], [channel, ts])) === 1;
  }

  rootSlot(id: string): PostSlot {
    return new RedisPostSlot(this.redis, {
      hashKey: PREFIX + id,
      fieldPrefix: 'root',
      channelField: 'channel',
    });
  }
}

function toFleetCheck(h: Record<string, string>): FleetCheck {
  const parsed = FleetCheckHashSchema.safeParse(h);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => formatIssuePath(issue.path));
    throw corrupt(h.id ?? '?', `bad or missing ${[...new Set(fields)].join(', ')}`);
  }
  const r = parsed.data;
  return {
    id: r.id,
    scope: r.scope === 'group' ? { kind: 'group', group: r.group } : { kind: 'all' },
    port: r.port,
    channel: r.channel,
    rootTs: r.rootTs ?? null,
    requestedBy: r.requestedBy,
    openedAt: r.openedAt,
  };
}

function corrupt(id: string, why: string): PortbotError {
  return new PortbotError('INTERNAL', `fleet check ${id} is not valid in Redis: ${why}`, {
    userFacing: false,
  });
}
