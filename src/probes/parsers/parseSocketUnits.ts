import type { SocketUnit } from '../../domain/ProbeResults';

/**
 * `systemctl list-sockets --all --full --no-legend --show-types` (columns LISTEN, TYPE, UNIT,
 * ACTIVATES): one listen per line; a socket that starts several units names them separated by
 * ", ". Lines that do not have at least listen, type and a .socket unit are skipped (a message
 * such as "0 sockets listed." or an error).
 */
export function parseSocketUnits(text: string): SocketUnit[] {
  const out: SocketUnit[] = [];
  for (const line of text.split('\n')) {
    const [listen, type, unit, ...rest] = line.trim().split(/\s+/);
    if (listen === undefined || type === undefined || unit === undefined) continue;
    if (!unit.endsWith('.socket')) continue;
    const activates = rest
      .join(' ')
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
    out.push({ listen, type, unit, activates });
  }
  return out;
}

/**
 * The port of an IP listen as systemd prints it (`[::]:80`, `0.0.0.0:80`); null for everything
 * else, a unix path that happens to end in `:80` (`/run/x:80`) or a vsock address included.
 */
export function socketUnitPort(listen: string): number | null {
  const m = /^(?:\[[0-9A-Fa-f:.]+(?:%[^\]\s]+)?\]|\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(listen);
  return m ? Number(m[1]) : null;
}
