import { isPortbotError, type ErrorCode } from '../domain/PortbotError';
import type { CliIo } from './CliIo';
import { USAGE } from './usage';
import { errorMessage } from '../domain/errorMessage';

// Mistakes of the caller (exit 2) versus anything else that went wrong (exit 1).
const USAGE_ERRORS: readonly ErrorCode[] = [
  'USAGE',
  'CONFIG_INVALID',
  'POLICY_INVALID',
  'INVENTORY_INVALID',
  'RUNBOOK_INVALID',
  'UNKNOWN_HOST',
  'UNKNOWN_GROUP',
  'BAD_PORT',
  'REDIS_SERVER_MISSING',
  'EMBEDDED_REDIS_AUTH',
  'EMBEDDED_REDIS_PORT_TAKEN',
  'EMBEDDED_REDIS_DIR',
];

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // Each command's code (and its libraries: ssh2, yaml, zod, Bolt, BullMQ...) is loaded only
    // when that command runs: `portbot --help` stays at node's own start-up, and `diagnose`
    // loads no service code (test/unit/cli/diagnoseLoads.test.ts, bench "CLI start").
    switch (command) {
      case 'diagnose':
        return await (await import('./diagnoseCommand')).diagnoseCommand(rest, io);
      case 'plan':
        return await (await import('./planCommand')).planCommand(rest, io);
      case 'serve':
      case 'worker':
        return await (await import('./serviceCommand')).serviceCommand(command, rest, io);
      case 'doctor':
        return await (await import('./doctorCommand')).doctorCommand(rest, io);
      case 'guard':
        return await (await import('./guardCommand')).guardCommand(rest, io);
      case 'sweep':
        return await (await import('./sweepCommand')).sweepCommand(rest, io);
      case 'audit':
        return await (await import('./auditCommand')).auditCommand(rest, io);
      case '--version':
        io.stdout((await import('./portbotVersion')).portbotVersion());
        return 0;
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
    io.stderr(`portbot: unexpected error: ${errorMessage(err)}`);
    if (io.env.PORTBOT_DEBUG && err instanceof Error && err.stack) io.stderr(err.stack);
    return 1;
  }
}
