import { open } from 'node:fs/promises';
import { parseExportOptions } from '../audit/export/parseExportOptions';
import { RedisAuditLog } from '../audit/redis/RedisAuditLog';
import { verifyAuditLog } from '../audit/redis/verifyAuditLog';
import { writeAuditExport } from '../audit/export/writeAuditExport';
import { PortbotError } from '../domain/PortbotError';
import type { CliIo } from './CliIo';
import { AUDIT_USAGE, usageFor } from './usage';
import { errorMessage } from '../domain/errorMessage';
import { withEmbeddedRedisDefault } from '../config/withEmbeddedRedisDefault';
import { auditRedisEndpoint, RedisEnvSchema } from '../config/RedisEnvSchema';
import { redisForOneShot } from '../redis/redisConnection';

const EXPORT_FLAGS = ['--since', '--until', '--format', '--out'] as const;
type ExportFlag = (typeof EXPORT_FLAGS)[number];

/** `portbot audit verify|export …`. Exit 0 ok, 1 chain broken or Redis failed, 2 usage. */
export async function auditCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'help' || sub === '--help' || sub === '-h') {
    io.stdout(`usage:\n${AUDIT_USAGE}`);
    return 0;
  }
  if (sub === 'verify') {
    if (rest.length > 0) usage(`audit verify takes no arguments, got ${JSON.stringify(rest[0])}`);
    return withAuditLog(io, (log) => verify(log, io));
  }
  if (sub === 'export') {
    const flags = parseFlags(rest);
    const options = parseExportOptions(
      { since: flags['--since'], until: flags['--until'], format: flags['--format'] },
      Date.now(),
      { since: '--since', until: '--until', format: '--format' },
    );
    const out = flags['--out'];
    return withAuditLog(io, async (log) => {
      const events = log.read(options.range, (id, error) =>
        io.stderr(`skipped malformed audit entry ${id}: ${error}`),
      );
      if (out === undefined) {
        await writeAuditExport(events, options.format, (lines) => io.stdout(lines.join('\n')));
        return 0;
      }
      const count = await writeToFile(out, (write) =>
        writeAuditExport(events, options.format, (lines) => write(`${lines.join('\n')}\n`)),
      );
      io.stderr(`exported ${count} audit events to ${out}`);
      return 0;
    });
  }
  usage(
    sub === undefined
      ? 'audit: say verify or export'
      : `audit: unknown subcommand ${JSON.stringify(sub)}`,
  );
}

async function verify(log: RedisAuditLog, io: CliIo): Promise<number> {
  const result = await verifyAuditLog(log);
  if (result.ok && result.malformed.length > 0) {
    for (const bad of result.malformed) {
      io.stderr(`malformed audit entry ${bad.id} (seq ${bad.seq}): ${bad.error}`);
    }
    io.stderr(
      `audit log chain intact (${result.count} events, head seq ${result.head.seq}) but ${result.malformed.length} malformed entries`,
    );
    return 1;
  }
  if (result.ok) {
    io.stdout(
      result.count === 0
        ? 'audit log ok: empty'
        : `audit log ok: ${result.count} events, head seq ${result.head.seq} sha256 ${result.head.hash}`,
    );
    return 0;
  }
  io.stderr(
    `audit log BROKEN at seq ${result.seq}: ${result.reason} (${result.detail}); ${result.count} events before it verified`,
  );
  return 1;
}

function parseFlags(args: string[]): Partial<Record<ExportFlag, string>> {
  const flags: Partial<Record<ExportFlag, string>> = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!(EXPORT_FLAGS as readonly string[]).includes(name)) {
      usage(`audit export: unknown argument ${JSON.stringify(arg)}`);
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') usage(`audit export: ${name} needs a value`);
    if (flags[name as ExportFlag] !== undefined) usage(`audit export: ${name} given twice`);
    flags[name as ExportFlag] = value;
  }
  return flags;
}

async function withAuditLog(
  io: CliIo,
  run: (log: RedisAuditLog) => Promise<number>,
): Promise<number> {
  // The Redis variables alone, read as serve reads them (empty means unset).
  const parsed = RedisEnvSchema.safeParse(
    Object.fromEntries(
      Object.entries(withEmbeddedRedisDefault(io.env)).filter(
        ([, v]) => v !== undefined && v !== '',
      ),
    ),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    usage(`${issue?.path.join('.') ?? 'REDIS_URL'}: ${issue?.message ?? 'invalid'}`);
  }
  const endpoint = auditRedisEndpoint(parsed.data);
  const which = io.env.AUDIT_REDIS_URL
    ? 'AUDIT_REDIS_URL'
    : endpoint.kind === 'sentinel'
      ? 'REDIS_SENTINELS'
      : 'REDIS_URL';
  // Fail fast: a CLI run should say Redis is down, not retry forever.
  const redis = redisForOneShot(endpoint, { connectMs: 10_000 });
  // connect() reports only "Connection is closed"; the error event names the cause and address.
  let lastError: string | undefined;
  redis.on('error', (err: Error) => (lastError = err.message));
  try {
    await redis.connect().catch((err: unknown) => {
      throw new PortbotError(
        'INTERNAL',
        `cannot reach the audit Redis (${which}): ${lastError ?? errorMessage(err)}`,
      );
    });
    return await run(new RedisAuditLog(redis));
  } finally {
    redis.disconnect();
  }
}

async function writeToFile(
  path: string,
  body: (write: (text: string) => Promise<void>) => Promise<number>,
): Promise<number> {
  // 0600: the log names people and hosts; it should not become world-readable by accident.
  const file = await open(path, 'w', 0o600).catch((err: unknown) => {
    throw new PortbotError('USAGE', `--out ${path}: ${errorMessage(err)}`);
  });
  try {
    return await body(async (text) => {
      await file.write(text);
    });
  } finally {
    await file.close();
  }
}

function usage(message: string): never {
  throw new PortbotError('USAGE', usageFor(AUDIT_USAGE, message));
}
