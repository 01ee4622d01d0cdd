import { isPortbotError, type ErrorCode } from '../domain/PortbotError';
import type { CliIo } from './CliIo';
import { diagnoseCommand } from './diagnoseCommand';

const USAGE = `portbot — who holds the load balancer's port, and why

usage:
  portbot diagnose <host> <port> [--inventory FILE] [--json]
  portbot diagnose --group <haGroup> <port> [--json]
  portbot diagnose --all <port> [--concurrency N] [--json]
  portbot plan <host> <port> --action kill-occupant|restart-lb|reload-lb|reserve-port [--json]
                                    the steps an approved remediation would run (dry run)
  portbot serve [--with-worker]     Slack bot, alert webhooks, health and metrics
  portbot worker                    queue workers: SSH diagnoses, Slack posts
  portbot audit verify              check the audit log's hash chain
  portbot audit export [--since 7d|ISO] [--until ISO] [--format jsonl|csv] [--out FILE]
  portbot help`;

// Mistakes of the caller (exit 2) versus anything else that went wrong (exit 1).
const USAGE_ERRORS: readonly ErrorCode[] = [
  'USAGE',
  'INVENTORY_INVALID',
  'RUNBOOK_INVALID',
  'UNKNOWN_HOST',
  'UNKNOWN_GROUP',
  'BAD_PORT',
];

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'diagnose':
        return await diagnoseCommand(rest, io);
      case 'plan':
        return await (await import('./planCommand')).planCommand(rest, io);
      case 'serve':
      case 'worker':
        // Loaded on demand: Bolt, BullMQ and friends cost ~0.3 s of start-up that diagnose never needs.
        return await (await import('./serviceCommand')).serviceCommand(command, rest, io);
      case 'audit':
        return await (await import('./auditCommand')).auditCommand(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return 0;
      default:
        io.stderr(
          `portbot: ${command === undefined ? 'no command given' : `unknown command ${JSON.stringify(command)}`}\n${USAGE}`,
        );
        return 2;
    }
  } catch (err) {
    if (isPortbotError(err)) {
      io.stderr(`portbot: ${err.message}`);
      return USAGE_ERRORS.includes(err.code) ? 2 : 1;
    }
    // No stack for users; PORTBOT_DEBUG=1 shows it to developers.
    io.stderr(`portbot: unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    if (io.env.PORTBOT_DEBUG && err instanceof Error && err.stack) io.stderr(err.stack);
    return 1;
  }
}
