import { readFile } from 'node:fs/promises';
import type { AnyAuthMethod, ParsedKey } from 'ssh2';
import { parseKey } from 'ssh2/lib/protocol/keyParser.js';
import type { HostConfig } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import { describeHost } from './describeHost';
import { errnoCode } from './errnoCode';

/**
 * Builds the ssh2 auth methods for a host. Each private key is read and decrypted once (per
 * path and passphrase variable) and kept parsed, so the passphrase itself is not retained.
 */
export class SshAuthLoader {
  private readonly keys = new Map<string, Promise<ParsedKey>>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async methods(host: HostConfig): Promise<AnyAuthMethod[]> {
    const methods: AnyAuthMethod[] = [];
    if (host.privateKeyPath !== undefined) {
      const key = await this.key(host, host.privateKeyPath);
      methods.push({ type: 'publickey', username: host.user, key });
    }
    const agent =
      host.agentSocket ?? (host.privateKeyPath === undefined ? this.env.SSH_AUTH_SOCK : undefined);
    if (agent !== undefined && agent !== '') {
      methods.push({ type: 'agent', username: host.user, agent });
    }
    if (methods.length === 0) {
      throw new PortbotError(
        'SSH_AUTH',
        `${describeHost(host)}: no privateKeyPath and no ssh-agent (agentSocket unset, SSH_AUTH_SOCK empty)`,
      );
    }
    return methods;
  }

  private key(host: HostConfig, path: string): Promise<ParsedKey> {
    const cacheKey = `${path}\0${host.passphraseEnv ?? ''}`;
    let pending = this.keys.get(cacheKey);
    if (!pending) {
      pending = this.loadKey(host, path);
      // a failure is not cached: fixing the file or the variable must not need a restart
      pending.catch(() => this.keys.delete(cacheKey));
      this.keys.set(cacheKey, pending);
    }
    return pending;
  }

  private async loadKey(host: HostConfig, path: string): Promise<ParsedKey> {
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (err) {
      throw new PortbotError(
        'SSH_AUTH',
        `${describeHost(host)}: private key file ${path} cannot be read (${errnoCode(err) ?? 'error'})`,
        { cause: err },
      );
    }
    let passphrase: string | undefined;
    if (host.passphraseEnv !== undefined) {
      passphrase = this.env[host.passphraseEnv];
      if (passphrase === undefined) {
        throw new PortbotError(
          'SSH_AUTH',
          `${describeHost(host)}: passphrase variable ${host.passphraseEnv} for ${path} is not set`,
        );
      }
    }
    // OpenSSH-format files parse to an array at runtime (ssh2 takes the first key too)
    const parsed: ParsedKey | ParsedKey[] | Error = parseKey(data, passphrase);
    const key = isKeyList(parsed) ? parsed[0] : parsed;
    if (key === undefined || key instanceof Error) {
      const why = key instanceof Error ? key.message.replace(/\s+/g, ' ') : 'no key found';
      throw new PortbotError(
        'SSH_AUTH',
        `${describeHost(host)}: private key ${path} cannot be used: ${why}`,
      );
    }
    return key;
  }
}

function isKeyList(v: ParsedKey | ParsedKey[] | Error): v is ParsedKey[] {
  return Array.isArray(v);
}
