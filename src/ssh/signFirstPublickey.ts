import type { Client } from 'ssh2';

type SignCallback = (data: Buffer, done: (signature: Buffer) => void) => void;

interface KeyLike {
  isPrivateKey?: () => boolean;
  sign?: (data: Buffer, hash?: string) => Buffer | Error;
}

/** The part of ssh2 1.x's Client this reaches into: its protocol object (set by connect()). */
interface ClientInternals {
  _protocol?: {
    authPK(user: string, key: KeyLike, keyAlgo?: string, sign?: SignCallback): void;
  };
}

/** The hash each RSA signature algorithm signs with (ssh2's own table); other keys need none. */
const RSA_HASHES: Readonly<Record<string, string>> = {
  'rsa-sha2-256': 'sha256',
  'rsa-sha2-512': 'sha512',
  'ssh-rsa': 'sha1',
};

/**
 * Makes ssh2 send a private key's publickey request signed at once, as OpenSSH does for a key
 * it holds in full. ssh2 first asks whether the key would do (USERAUTH_PK_OK) and signs only
 * after the answer: one round trip more per new connection, 50 ms for a host in another region
 * (bench/README.md "Far away hosts"). A key the server refuses is refused in the same way, so
 * ssh2 goes on to the next method as before. Agent keys keep the query (the agent signs, and
 * may ask its user). Call right after client.connect().
 */
export function signFirstPublickey(client: Client): void {
  const proto = (client as unknown as ClientInternals)._protocol;
  if (!proto) return;
  const authPK = proto.authPK.bind(proto);
  proto.authPK = (user, key, keyAlgo, sign) => {
    const signer = key.sign?.bind(key);
    if (sign || !signer || key.isPrivateKey?.() !== true) {
      authPK(user, key, keyAlgo, sign);
      return;
    }
    const hash = keyAlgo === undefined ? undefined : RSA_HASHES[keyAlgo];
    const signed = signer(Buffer.alloc(0), hash);
    // A key that cannot sign here cannot sign after PK_OK either: keep ssh2's own path and error.
    if (signed instanceof Error) {
      authPK(user, key, keyAlgo);
      return;
    }
    authPK(user, key, keyAlgo, (data, done) => {
      const signature = signer(data, hash);
      if (signature instanceof Error) throw signature;
      done(signature);
    });
  };
}
