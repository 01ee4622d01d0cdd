import { createServer } from 'node:http';
import { Redis } from 'ioredis';

/**
 * The floor portbot's alert intake is measured against (issue 12 item 7): node:http and one
 * EVALSHA per request, nothing else. Run as its own process (`node intakeBaselineServer.js
 * <redisUrl> <bearer>`); prints `listening on :PORT`. Answers like portbot's Alertmanager webhook for
 * the bench: bearer checked, JSON parsed, the first alert's instance deduplicated exactly
 * (first sight "opened", then "repeat"), 202 with `{"results":[{"outcome":…}]}`.
 */
const DEDUP = `local n = redis.call('HINCRBY', KEYS[1], 'alerts', 1)
if n == 1 then return 'opened' end
return 'repeat'`;

const [redisUrl = 'redis://127.0.0.1:6379/15', bearer = ''] = process.argv.slice(2);
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });

async function main(): Promise<void> {
  const sha = (await redis.script('LOAD', DEDUP)) as string;
  const server = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${bearer}`) {
      res.writeHead(401).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        alerts?: { labels?: { instance?: string } }[];
      };
      const instance = body.alerts?.[0]?.labels?.instance ?? '';
      redis
        .evalsha(sha, 1, `bench:baseline:${instance}`)
        .then((outcome) => {
          const json = JSON.stringify({ results: [{ outcome }] });
          res.writeHead(202, { 'content-type': 'application/json' }).end(json);
        })
        .catch(() => res.writeHead(503).end());
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`listening on :${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  });
  process.once('SIGTERM', () => {
    server.close();
    redis.disconnect();
    process.exit(0);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`intake baseline: ${String(err)}\n`);
  process.exit(1);
});
