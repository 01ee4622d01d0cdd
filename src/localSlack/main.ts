import { LOCAL_SLACK_TOKEN } from './LocalSlackStore';
import type { LocalSlackChannel } from './localSlackTypes';
import { startLocalSlack } from './startLocalSlack';

const USAGE =
  'usage: node dist/localSlack/main.js [--port N] [--host H] [--token T]... ' +
  '[--channel ID[:name]]... [--strict-channels]';

interface CliArgs {
  port: number;
  host: string;
  tokens: string[];
  channels: LocalSlackChannel[];
  strictChannels: boolean;
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {
    port: 0,
    host: '127.0.0.1',
    tokens: [],
    channels: [],
    strictChannels: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--strict-channels') {
      args.strictChannels = true;
      continue;
    }
    if (value === undefined) throw new Error(`${flag ?? ''} needs a value\n${USAGE}`);
    i += 1;
    if (flag === '--port') {
      args.port = Number(value);
      if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
        throw new Error(`--port must be 0..65535, got ${value}`);
      }
    } else if (flag === '--host') args.host = value;
    else if (flag === '--token') args.tokens.push(value);
    else if (flag === '--channel') {
      const [id = '', name] = value.split(':');
      args.channels.push({ id, name: name ?? id.toLowerCase() });
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return args;
}

/** Runs the local Slack by hand for local portbot runs; every call is logged to stdout as JSON. */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const tokens = args.tokens.length > 0 ? args.tokens : [LOCAL_SLACK_TOKEN];
  const localSlack = await startLocalSlack({
    port: args.port,
    host: args.host,
    tokens,
    channels: args.channels,
    autoCreateChannels: !args.strictChannels,
    onCall: (call) => process.stdout.write(`${JSON.stringify({ event: 'call', ...call })}\n`),
  });
  // Tokens given on the command line are not echoed: someone may pass a real one by mistake.
  const token = args.tokens.length > 0 ? '(as given with --token)' : LOCAL_SLACK_TOKEN;
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: localSlack.url, token })}\n`);
  const stop = (): void => {
    void localSlack.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
