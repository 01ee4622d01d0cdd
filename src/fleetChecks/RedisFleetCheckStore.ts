import type { Redis } from 'ioredis';
import type { FleetScope } from '../domain/FleetScope';
import { PortbotError } from '../domain/PortbotError';
import { flatPairs } from '../redis/flatPairs';
import { SET_ROOT } from '../incidents/incidentScripts';
import { runLuaScript } from '../redis/runLuaScript';
import { RedisPostSlot } from '../redis/RedisPostSlot';
import type { PostSlot } from '../domain/PostSlot';
import type { FleetCheck, FleetCheckStore } from './FleetCheck';
import { OPEN_FLEET_CHECK } from './fleetCheckScripts';

const PREFIX = 'portbot:fleet-check:';

/** FleetCheckStore on Redis: one hash per check, expiring like incidents do. */
export class RedisFleetCheckStore implements FleetCheckStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  async open(input: Parameters<FleetCheckStore['open']>[0]): Promise<FleetCheck> {
    const reply = (await runLuaScript(
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
    )) as string[];
    return toFleetCheck(flatPairs(reply));
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
  return {
    id: h.id ?? '',
    scope: toScope(h),
    port: Number(h.port),
    channel: h.channel ?? '',
    rootTs: h.rootTs ?? null,
    requestedBy: h.requestedBy ?? '',
    openedAt: Number(h.openedAt),
  };
}

function toScope(h: Record<string, string>): FleetScope {
  if (h.scope === 'all') return { kind: 'all' };
  if (h.scope === 'group' && h.group !== undefined) return { kind: 'group', group: h.group };
  throw new PortbotError('INTERNAL', `fleet check ${h.id ?? '?'} has no valid scope`, {
    userFacing: false,
  });
}
