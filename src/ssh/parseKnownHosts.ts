/**
 * OpenSSH known_hosts parser (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"). Pure: text in, entries out.
 * Matching against a host lives in matchKnownHosts.ts.
 */
export type KnownHostsHosts =
  { kind: 'patterns'; patterns: string[] } | { kind: 'hashed'; salt: Buffer; hash: Buffer };

export interface KnownHostsEntry {
  /** 1-based line number, for messages. */
  line: number;
  revoked: boolean;
  hosts: KnownHostsHosts;
  keyType: string;
  /** The decoded base64 key field: the same bytes the server sends as its host key. */
  keyBlob: Buffer;
}

export interface ParsedKnownHosts {
  entries: KnownHostsEntry[];
  /** Lines that were skipped, with why (malformed, unsupported @cert-authority). */
  warnings: string[];
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeBase64(field: string): Buffer | null {
  if (!BASE64.test(field)) return null;
  const buf = Buffer.from(field, 'base64');
  return buf.length > 0 ? buf : null;
}

function parseHosts(field: string): KnownHostsHosts | null {
  if (field.startsWith('|1|')) {
    const [salt, hash] = field.slice(3).split('|');
    const saltBuf = salt === undefined ? null : decodeBase64(salt);
    const hashBuf = hash === undefined ? null : decodeBase64(hash);
    // HMAC-SHA1: 20-byte salt (the HMAC key) and 20-byte digest
    if (saltBuf === null || hashBuf === null || hashBuf.length !== 20) return null;
    return { kind: 'hashed', salt: saltBuf, hash: hashBuf };
  }
  const patterns = field.split(',').filter((p) => p.length > 0);
  return patterns.length > 0 ? { kind: 'patterns', patterns } : null;
}

/** The key type named inside the blob (string length + name), which must agree with the field. */
function blobKeyType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const len = blob.readUInt32BE(0);
  if (len === 0 || 4 + len > blob.length) return null;
  return blob.subarray(4, 4 + len).toString('latin1');
}

export function parseKnownHosts(text: string): ParsedKnownHosts {
  const entries: KnownHostsEntry[] = [];
  const warnings: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let revoked = false;
    if (fields[0]?.startsWith('@')) {
      const marker = fields.shift();
      if (marker === '@cert-authority') {
        warnings.push(`line ${lineNo}: @cert-authority is not supported by portbot; line ignored`);
        return;
      }
      if (marker !== '@revoked') {
        warnings.push(`line ${lineNo}: unknown marker ${marker}; line ignored`);
        return;
      }
      revoked = true;
    }
    const [hostField, keyType, keyField] = fields;
    if (hostField === undefined || keyType === undefined || keyField === undefined) {
      warnings.push(`line ${lineNo}: expected "hosts keytype base64-key"; line ignored`);
      return;
    }
    const hosts = parseHosts(hostField);
    const keyBlob = decodeBase64(keyField);
    if (hosts === null || keyBlob === null || blobKeyType(keyBlob) !== keyType) {
      warnings.push(`line ${lineNo}: malformed host pattern or key; line ignored`);
      return;
    }
    entries.push({ line: lineNo, revoked, hosts, keyType, keyBlob });
  });
  return { entries, warnings };
}
