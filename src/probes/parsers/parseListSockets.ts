import type { SocketUnit } from '../../domain/SweepProbe';

const UNIT = /\s(\S+\.socket)(?:\s+(\S+))?\s*$/;

/**
 * `systemctl list-sockets --all --full --no-legend`: LISTEN, UNIT, ACTIVATES columns separated by
 * spaces. LISTEN itself may hold a space (`kobject-uevent 1`), so the line is read from the
 * right: the unit is the last word ending in `.socket`, what follows it is ACTIVATES.
 */
export function parseListSockets(output: string): SocketUnit[] {
  const units: SocketUnit[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trimEnd();
    const m = UNIT.exec(line);
    if (!m?.[1]) continue;
    const listen = line.slice(0, m.index).trim();
    if (listen === '' || listen === 'LISTEN') continue;
    const activates = m[2] === undefined || m[2] === '-' ? null : m[2];
    units.push({ listen, unit: m[1], activates });
  }
  return units;
}
