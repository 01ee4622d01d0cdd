import { createInterface } from 'node:readline';
import { DelayRelay, type DelayRelayOptions } from './DelayRelay';

/*
 * The relay as its own process (test/lab/farRelays.ts starts it), so the bench's CPU does not
 * delay its timers. argv: a mark for teardown, then the options as JSON. It prints one JSON line
 * when every route listens, answers each `stats` line on stdin with one JSON line, and exits
 * when stdin ends: a bench that dies takes its relay with it.
 */
async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[3] ?? '') as DelayRelayOptions;
  const relay = new DelayRelay(opts);
  await relay.listen();
  process.stdout.write(`${JSON.stringify({ ready: true, routes: opts.routes.length })}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (l) => {
    if (l.trim() === 'stats') process.stdout.write(`${JSON.stringify(relay.stats)}\n`);
  });
  lines.on('close', () => {
    void relay.close().finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`relay: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
