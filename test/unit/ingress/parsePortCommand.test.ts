import { HostSchema } from '../../../src/config/inventorySchema';
import { hasControlChars } from '../../../src/ingress/quoteUntrusted';
import { isInventoryName } from '../../../src/domain/isInventoryName';
import { parsePortCommand } from '../../../src/ingress/slashCommand/parsePortCommand';
import type { PortCommand } from '../../../src/ingress/slashCommand/PortCommand';
import { AUDIT_EXPORT_USAGE, PORT_USAGE } from '../../../src/ingress/slashCommand/PortCommand';

function commandOf(text: string): PortCommand {
  const result = parsePortCommand(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error}`);
  return result.command;
}

function errorOf(text: string): { error: string; hint: string } {
  const result = parsePortCommand(text);
  if (result.ok)
    throw new Error(
      `expected ${JSON.stringify(text)} to be refused, got ${JSON.stringify(result.command)}`,
    );
  return result;
}

describe('parsePortCommand: valid commands', () => {
  it.each<[string, PortCommand]>([
    ['check lb-01 80', { kind: 'check-host', host: 'lb-01', port: 80 }],
    ['check lb-01 443', { kind: 'check-host', host: 'lb-01', port: 443 }],
    ['CHECK lb-01 65535', { kind: 'check-host', host: 'lb-01', port: 65535 }],
    ['check lb-01:443', { kind: 'check-host', host: 'lb-01', port: 443 }],
    ['check lb_01.fra1 1', { kind: 'check-host', host: 'lb_01.fra1', port: 1 }],
    ['check group:edge 443', { kind: 'check-group', group: 'edge', port: 443 }],
    ['check GROUP:edge 443', { kind: 'check-group', group: 'edge', port: 443 }],
    ['check all 80', { kind: 'check-all', port: 80 }],
    ['check ALL 80', { kind: 'check-all', port: 80 }],
    ['status', { kind: 'status' }],
    ['help', { kind: 'help' }],
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    // what Slack actually delivers for typed or pasted text
    [
      'check <http://lb-01.example.com|lb-01.example.com> 443',
      { kind: 'check-host', host: 'lb-01.example.com', port: 443 },
    ],
    ['check <http://lb-01> 80', { kind: 'check-host', host: 'lb-01', port: 80 }],
    ['check \u201clb-01\u201d 80', { kind: 'check-host', host: 'lb-01', port: 80 }],
    ["check 'lb-01' '80'", { kind: 'check-host', host: 'lb-01', port: 80 }],
    ['check\u00a0lb-01\u00a0\u00a080', { kind: 'check-host', host: 'lb-01', port: 80 }],
    ['  check   lb-01   80  \n', { kind: 'check-host', host: 'lb-01', port: 80 }],
    ['check lb-01 0080', { kind: 'check-host', host: 'lb-01', port: 80 }],
    ['sweep', { kind: 'sweep', scope: { kind: 'all' } }],
    ['Sweep all', { kind: 'sweep', scope: { kind: 'all' } }],
    ['sweep group:edge', { kind: 'sweep', scope: { kind: 'group', group: 'edge' } }],
    ['audit export', { kind: 'audit-export', since: null }],
    ['AUDIT Export', { kind: 'audit-export', since: null }],
    ['audit export --since 7d', { kind: 'audit-export', since: '7d' }],
    ['audit export --since=12h', { kind: 'audit-export', since: '12h' }],
    ['audit export --SINCE 30m', { kind: 'audit-export', since: '30m' }],
    ["audit export --since '7d'", { kind: 'audit-export', since: '7d' }],
    // the value is checked against the clock later, by the CLI's and HTTP's own parser
    ['audit export --since abc', { kind: 'audit-export', since: 'abc' }],
    ['audit export --since 999999999d', { kind: 'audit-export', since: '999999999d' }],
    [
      'audit export --since 2026-11-21T10:00:00Z',
      { kind: 'audit-export', since: '2026-11-21T10:00:00Z' },
    ],
    // Slack clients turn a typed "--" into an en or em dash
    ['audit export \u2014since 7d', { kind: 'audit-export', since: '7d' }],
    ['audit export \u2013since=1d', { kind: 'audit-export', since: '1d' }],
  ])('%j', (text, want) => {
    expect(commandOf(text)).toEqual(want);
  });
});

describe('parsePortCommand: errors say what is valid', () => {
  it.each<[string, string, string]>([
    [
      'frobnicate',
      "unknown subcommand 'frobnicate'; valid: check, sweep, status, audit, help",
      PORT_USAGE,
    ],
    [
      'chekc lb-01 80',
      "unknown subcommand 'chekc'; valid: check, sweep, status, audit, help",
      PORT_USAGE,
    ],
    ['check', 'check needs a host and a port', 'usage: /port check'],
    ['check lb-01', "check 'lb-01' needs a port", 'usage: /port check'],
    ['check group:edge', "check 'group:edge' needs a port", 'usage: /port check'],
    ['check all', "check 'all' needs a port", 'usage: /port check'],
    ['check lb-01 http', "port must be an integer 1-65535, got 'http'", 'usage: /port check'],
    ['check lb-01 0', "port must be an integer 1-65535, got '0'", 'usage: /port check'],
    ['check lb-01 65536', "port must be an integer 1-65535, got '65536'", 'usage: /port check'],
    ['check lb-01 -1', "port must be an integer 1-65535, got '-1'", 'usage: /port check'],
    ['check lb-01 80.0', "port must be an integer 1-65535, got '80.0'", 'usage: /port check'],
    ['check lb-01 0x50', "port must be an integer 1-65535, got '0x50'", 'usage: /port check'],
    ['check lb-01 443 80', "too many words after check: '80'", 'usage: /port check'],
    ['check group: 80', 'missing group name', 'usage: /port check'],
    ['check group:edge;x 80', "'edge;x' is not a valid group name", 'usage: /port check'],
    ['check -lb 80', "'-lb' is not a valid host name", 'usage: /port check'],
    [`check ${'a'.repeat(64)} 80`, 'is not a valid host name', 'usage: /port check'],
    ['check <@U024BE7LH> 80', "'<@U024BE7LH>' is not a valid host name", 'usage: /port check'],
    ['status now', "status takes no arguments, got 'now'", PORT_USAGE],
    ['help me', "help takes no arguments, got 'me'", PORT_USAGE],
    ['audit', 'audit needs a subcommand: export', AUDIT_EXPORT_USAGE],
    ['audit verify', "unknown audit subcommand 'verify'; valid: export", AUDIT_EXPORT_USAGE],
    ['audit export 7d', "unexpected '7d' after audit export", AUDIT_EXPORT_USAGE],
    ['audit export --since', '--since needs a value', AUDIT_EXPORT_USAGE],
    ['audit export --since=', '--since needs a value', AUDIT_EXPORT_USAGE],
    ['audit export --since 7d --since 1d', '--since given twice', AUDIT_EXPORT_USAGE],
    ['audit export --since 7d extra', "unexpected 'extra' after audit export", AUDIT_EXPORT_USAGE],
    ['audit export --format csv', "unexpected '--format' after audit export", AUDIT_EXPORT_USAGE],
    ['audit export -since 7d', "unexpected '-since' after audit export", AUDIT_EXPORT_USAGE],
  ])('%j', (text, error, hint) => {
    const got = errorOf(text);
    expect(got.error).toContain(error);
    expect(got.hint).toContain(hint);
  });

  it('the usage names every subcommand form', () => {
    for (const form of [
      'check <host> <port>',
      'check group:<name> <port>',
      'check all <port>',
      'status',
      'audit export [--since 7d]',
      'help',
    ]) {
      expect(PORT_USAGE).toContain(`/port ${form}`);
    }
  });
});

describe('parsePortCommand: hostile input is an error, never a lookup', () => {
  it.each([
    'check lb-01;rm -rf / 80',
    'check lb-01;rm 80',
    'check lb-01 80; touch /tmp/pwned',
    'check lb-01 80;',
    'check lb-01 80&&id',
    'check lb-01 80|nc',
    'check $(id) 80',
    'check lb-01 $(id)',
    'check `id` 80',
    'check lb-01 `id`',
    'check lb-01 80\ntouch /tmp/pwned',
    'check lb-01\n80',
    'check lb-01 80\r\nid',
    'check lb-01\u000080',
    'check lb-01 80\u0007',
    'check ../../etc/passwd 80',
    'check lb-01/../x 80',
    'check lb-01 &amp;&amp; 80',
    'check &lt;script&gt; 80',
    'check -oProxyCommand=id 80',
    'check --all 80',
    'check "lb-01 80"',
    'status; id',
    'help $(id)',
    'audit export --since 7d; id',
    'audit export --since 7d\nid',
    'audit export $(id)',
    '$(id)',
    '`id`',
  ])('%j', (text) => {
    const got = errorOf(text);
    expect(got.error.length).toBeGreaterThan(0);
    expect(got.hint.length).toBeGreaterThan(0);
    // echoed text stays on one line
    expect(hasControlChars(got.error)).toBe(false);
  });

  it('bounds the echoed text', () => {
    const got = errorOf(`check ${'x;'.repeat(5000)} 80`);
    expect(got.error.length).toBeLessThan(200);
  });

  it('never throws on non-string input', () => {
    expect(parsePortCommand(undefined as unknown as string)).toEqual({
      ok: true,
      command: { kind: 'help' },
    });
  });
});

describe('isInventoryName agrees with the inventory schema', () => {
  it.each([
    'lb-01',
    'LB_01',
    'a',
    '0',
    'lb.fra1',
    'a'.repeat(63),
    '',
    '-lb',
    '.lb',
    '_lb',
    'a'.repeat(64),
    'lb 01',
    'lb;01',
    'lb/01',
    'lb:01',
    '$(id)',
    'lb\n01',
    'l\u00e9',
  ])('%j', (name) => {
    const bySchema = HostSchema.shape.name.safeParse(name).success;
    expect(isInventoryName(name)).toBe(bySchema);
  });
});
