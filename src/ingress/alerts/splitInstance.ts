/** Host and port text of a Prometheus `instance`; `port` is null when the instance has none. */
export interface InstanceParts {
  host: string;
  port: string | null;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

// Blackbox-exporter targets are URLs: take the host, and the port or the scheme's default.
function fromUrl(instance: string): InstanceParts | null {
  let url: URL;
  try {
    url = new URL(instance);
  } catch {
    return null;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return null;
  return { host, port: url.port !== '' ? url.port : (DEFAULT_PORTS[url.protocol] ?? null) };
}

/**
 * `10.0.0.11:443`, `[2001:db8::1]:443`, `lb-01.example:443`, `lb-01`, a bare IPv6 address,
 * or an http(s) URL. Returns null for text that is none of these.
 */
export function splitInstance(instance: string): InstanceParts | null {
  const text = instance.trim();
  if (text === '') return null;
  if (SCHEME.test(text)) return fromUrl(text);
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    const port = bracketed[2];
    return { host: bracketed[1] ?? '', port: port === undefined || port === '' ? null : port };
  }
  const colons = text.split(':').length - 1;
  // two or more colons without brackets can only be an IPv6 address, never host:port
  if (colons !== 1) return { host: text, port: null };
  const at = text.lastIndexOf(':');
  const host = text.slice(0, at);
  const port = text.slice(at + 1);
  if (host === '') return null;
  return { host, port: port === '' ? null : port };
}
