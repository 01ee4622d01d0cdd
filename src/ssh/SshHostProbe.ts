import type { SshFacts, SshProbe } from '../domain/DoctorProbes';
import type { HostConfig } from '../domain/HostConfig';
import { classifySshError } from './classifySshError';
import { endSshConnection } from './endSshConnection';
import { execOnClient } from './execOnClient';
import type { HostKeyPolicy } from './HostKeyPolicy';
import { hostKeyFingerprint } from './hostKeyFingerprint';
import { hostKeyPolicyFor } from './hostKeyPolicyFor';
import { KnownHostsCache } from './KnownHostsCache';
import { openSshConnection, type SshConnection } from './openSshConnection';
import { SshAuthLoader } from './SshAuthLoader';

/**
 * `portbot doctor`'s SSH check: the same connect, host-key verification and read-only login as
 * diagnoses (no pool: one connection per host, closed at once), then `true`, nothing else.
 */
export class SshHostProbe implements SshProbe {
  private readonly knownHosts = new KnownHostsCache();
  private readonly auth: SshAuthLoader;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.auth = new SshAuthLoader(env);
  }

  async check(host: HostConfig, timeoutMs: number): Promise<SshFacts> {
    const bounded: HostConfig = {
      ...host,
      connectTimeoutMs: Math.min(host.connectTimeoutMs, timeoutMs),
    };
    const started = Date.now();
    let conn: SshConnection | undefined;
    try {
      const policy = await hostKeyPolicyFor(bounded, this.knownHosts);
      const auth = await this.auth.methods(bounded);
      let fingerprint = '';
      const recording: HostKeyPolicy = {
        serverHostKeyAlgorithms: policy.serverHostKeyAlgorithms,
        verify: (key) => {
          fingerprint = hostKeyFingerprint(key);
          return policy.verify(key);
        },
      };
      conn = await openSshConnection({ host: bounded, policy: recording, auth, noDelay: true });
      const ran = await execOnClient(conn.client, bounded, 'true', {
        timeoutMs,
        maxOutputBytes: 4096,
      });
      return { ok: true, fingerprint, exitCode: ran.code, durationMs: Date.now() - started };
    } catch (err) {
      const e = classifySshError(bounded, err);
      return { ok: false, code: e.code, message: e.message };
    } finally {
      if (conn) await endSshConnection(conn);
    }
  }
}
