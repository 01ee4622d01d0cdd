import { createHmac } from 'node:crypto';
import type { KnownHostsEntry, ParsedKnownHosts } from './parseKnownHosts';

export type KnownHostsVerdict =
  | { status: 'ok'; line: number }
  | { status: 'revoked'; line: number }
  | { status: 'unknown' }
  | { status: 'mismatch'; expected: KnownHostsEntry[] };

/** The name OpenSSH looks up: the bare host on port 22, `[host]:port` otherwise (lower-cased). */
export function knownHostsName(address: string, port: number): string {
  const host = address.toLowerCase();
  return port === 22 ? host : `[${host}]:${port}`;
}

function wildcardToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/** OpenSSH match_hostname: any positive pattern matches and no negated (`!`) one does. */
function patternsMatch(patterns: string[], name: string): boolean {
  let matched = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    const re = wildcardToRegExp(negated ? p.slice(1) : p);
    if (re.test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

export function entryMatchesHost(entry: KnownHostsEntry, name: string): boolean {
  if (entry.hosts.kind === 'patterns') return patternsMatch(entry.hosts.patterns, name);
  const digest = createHmac('sha1', entry.hosts.salt).update(name).digest();
  return digest.equals(entry.hosts.hash);
}

export function entriesForHost(
  parsed: ParsedKnownHosts,
  address: string,
  port: number,
): KnownHostsEntry[] {
  const name = knownHostsName(address, port);
  return parsed.entries.filter((e) => entryMatchesHost(e, name));
}

export function checkKnownHosts(
  parsed: ParsedKnownHosts,
  address: string,
  port: number,
  keyBlob: Buffer,
): KnownHostsVerdict {
  const entries = entriesForHost(parsed, address, port);
  const revoked = entries.find((e) => e.revoked && e.keyBlob.equals(keyBlob));
  if (revoked) return { status: 'revoked', line: revoked.line };
  const trusted = entries.filter((e) => !e.revoked);
  const match = trusted.find((e) => e.keyBlob.equals(keyBlob));
  if (match) return { status: 'ok', line: match.line };
  return trusted.length === 0 ? { status: 'unknown' } : { status: 'mismatch', expected: trusted };
}
