import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runOk } from './run';

/** `ssh-keygen -H` form of a known_hosts host field: |1|base64(salt)|base64(HMAC-SHA1(salt, host)). */
export function hashedHostField(host: string, salt: Buffer = randomBytes(20)): string {
  const mac = createHmac('sha1', salt).update(host).digest('base64');
  return `|1|${salt.toString('base64')}|${mac}`;
}

/** "ssh-ed25519 AAAA..." from a .pub file (comment dropped). */
export function readPublicKey(pubPath: string): string {
  const [type, blob] = readFileSync(pubPath, 'utf8').trim().split(/\s+/);
  if (type === undefined || blob === undefined)
    throw new Error(`not a public key file: ${pubPath}`);
  return `${type} ${blob}`;
}

/** What `ssh-keygen -lf` prints: SHA256 of the key blob, base64 without padding. */
export function fingerprintOf(publicKey: string): string {
  const blob = publicKey.split(/\s+/)[1];
  if (blob === undefined) throw new Error('public key without blob');
  return `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

export async function generateKey(path: string, comment: string): Promise<void> {
  await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

export interface KnownHostEntry {
  address: string;
  publicKey: string;
  hashed: boolean;
}

export function knownHostsText(entries: readonly KnownHostEntry[]): string {
  return entries
    .map((e) => `${e.hashed ? hashedHostField(e.address) : e.address} ${e.publicKey}\n`)
    .join('');
}
