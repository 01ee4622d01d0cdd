import { isPortbotError } from '../../domain/PortbotError';
import { hasControlChars, quoteUntrusted } from '../quoteUntrusted';
import { parsePort } from '../../domain/parsePort';
import { isInventoryName } from '../../domain/isInventoryName';
import { normalizeSlackText } from './normalizeSlackText';
import type { ParsePortCommandResult, PortCommand } from './PortCommand';
import { AUDIT_EXPORT_USAGE, PORT_SUBCOMMANDS, PORT_USAGE } from './PortCommand';

const NAME_RULE = "letters, digits, '.', '_' or '-', at most 63, starting with a letter or digit";
const CHECK_USAGE =
  'usage: /port check <host> <port>, /port check group:<name> <port> or /port check all <port>';
// Slack clients turn a typed "--" into an en or em dash; "—since" is still the flag.
const SINCE_FLAG = /^(?:--|\u2013|\u2014)since(?:=(.*))?$/i;

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; hint: string };

/** Echoes user text back in an error: one line, bounded. */
function shown(text: string): string {
  return quoteUntrusted(text, 40);
}

function fail(
  error: string,
  hint: string = PORT_USAGE,
): { ok: false; error: string; hint: string } {
  return { ok: false, error, hint };
}

// People paste "lb-01" with quotes; a matching pair around a whole word is not part of it.
// Backticks are not stripped: `…` is shell command substitution, so it stays an error.
function unquote(token: string): string {
  const m = /^(["'])(.*)\1$/.exec(token);
  return m ? (m[2] ?? '') : token;
}

function port(text: string): Parsed<number> {
  try {
    return { ok: true, value: parsePort(text) };
  } catch (err) {
    if (!isPortbotError(err)) throw err;
    return fail(`port must be an integer 1-65535, got ${shown(text)}`, CHECK_USAGE);
  }
}

function name(text: string, what: 'host' | 'group'): Parsed<string> {
  if (text === '') return fail(`missing ${what} name`, CHECK_USAGE);
  if (isInventoryName(text)) return { ok: true, value: text };
  return fail(`${shown(text)} is not a valid ${what} name (${NAME_RULE})`, CHECK_USAGE);
}

function check(args: string[]): ParsePortCommandResult {
  let [target, portText] = args;
  if (target === undefined) return fail('check needs a host and a port', CHECK_USAGE);
  // `lb-01:443` is a common way to write host and port; `group:edge` is not a port
  const joined = /^([^:]+):([0-9]+)$/.exec(target);
  if (portText === undefined && joined && joined[1] !== 'group') [, target = '', portText] = joined;
  if (portText === undefined) return fail(`check ${shown(target)} needs a port`, CHECK_USAGE);
  if (args.length > 2) {
    return fail(`too many words after check: ${shown(args.slice(2).join(' '))}`, CHECK_USAGE);
  }

  const p = port(portText);
  if (!p.ok) return p;
  let command: PortCommand;
  if (target.toLowerCase() === 'all') {
    command = { kind: 'check-all', port: p.value };
  } else if (/^group:/i.test(target)) {
    const group = name(target.slice('group:'.length), 'group');
    if (!group.ok) return group;
    command = { kind: 'check-group', group: group.value, port: p.value };
  } else {
    const host = name(target, 'host');
    if (!host.ok) return host;
    command = { kind: 'check-host', host: host.value, port: p.value };
  }
  return { ok: true, command };
}

const SWEEP_USAGE = 'usage: /port sweep, /port sweep all or /port sweep group:<name>';

function sweep(args: string[]): ParsePortCommandResult {
  const [target, ...rest] = args;
  if (rest.length > 0)
    return fail(`too many words after sweep: ${shown(rest.join(' '))}`, SWEEP_USAGE);
  if (target === undefined || target.toLowerCase() === 'all')
    return { ok: true, command: { kind: 'sweep', scope: { kind: 'all' } } };
  if (!/^group:/i.test(target))
    return fail(`sweep takes all or group:<name>, got ${shown(target)}`, SWEEP_USAGE);
  const group = name(target.slice('group:'.length), 'group');
  if (!group.ok) return { ...group, hint: SWEEP_USAGE };
  return { ok: true, command: { kind: 'sweep', scope: { kind: 'group', group: group.value } } };
}

/** `audit export [--since <when>]`, also `--since=<when>`; the value is checked later. */
function audit(args: string[]): ParsePortCommandResult {
  const [sub, ...rest] = args;
  if (sub === undefined) return fail('audit needs a subcommand: export', AUDIT_EXPORT_USAGE);
  if (sub.toLowerCase() !== 'export') {
    return fail(`unknown audit subcommand ${shown(sub)}; valid: export`, AUDIT_EXPORT_USAGE);
  }
  let since: string | null = null;
  for (let i = 0; i < rest.length; i += 1) {
    const word = rest[i] ?? '';
    const flag = SINCE_FLAG.exec(word);
    if (!flag) return fail(`unexpected ${shown(word)} after audit export`, AUDIT_EXPORT_USAGE);
    const value = flag[1] ?? rest[++i];
    if (value === undefined || value === '')
      return fail('--since needs a value', AUDIT_EXPORT_USAGE);
    if (since !== null) return fail('--since given twice', AUDIT_EXPORT_USAGE);
    since = unquote(value);
  }
  return { ok: true, command: { kind: 'audit-export', since } };
}

/**
 * Parses the text after `/port`. Everything typed is data: a name checked against the
 * inventory alphabet and a port parsed as an integer; anything else is an error that says
 * what is valid. No text → help.
 */
export function parsePortCommand(text: string): ParsePortCommandResult {
  const normalized = normalizeSlackText(typeof text === 'string' ? text : '');
  if (hasControlChars(normalized)) {
    return fail('a /port command is one line, without control characters');
  }
  if (normalized === '') return { ok: true, command: { kind: 'help' } };
  const [sub = '', ...args] = normalized.split(' ').map(unquote);
  switch (sub.toLowerCase()) {
    case 'check':
      return check(args);
    case 'sweep':
      return sweep(args);
    case 'audit':
      return audit(args);
    case 'status':
    case 'help':
      if (args.length > 0)
        return fail(`${sub.toLowerCase()} takes no arguments, got ${shown(args.join(' '))}`);
      return { ok: true, command: { kind: sub.toLowerCase() as 'status' | 'help' } };
    default:
      return fail(`unknown subcommand ${shown(sub)}; valid: ${PORT_SUBCOMMANDS.join(', ')}`);
  }
}
