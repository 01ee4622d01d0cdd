/** One Sentinel process: where ioredis asks which server is the master. */
export interface SentinelAddress {
  host: string;
  port: number;
}

/**
 * Where portbot's Redis is: one server named by a URL, or the master a set of Sentinels names.
 * With Sentinel the URL still carries the credentials and the db number; its host and port are
 * not used.
 */
export type RedisEndpoint =
  | { kind: 'url'; url: string }
  | {
      kind: 'sentinel';
      url: string;
      sentinels: SentinelAddress[];
      /** The master group name the Sentinels monitor (`sentinel monitor NAME …`). */
      name: string;
      sentinelPassword?: string;
    };
