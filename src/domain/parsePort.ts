import { PortbotError } from './PortbotError';

/** Ports come from chat, alerts and argv: accept only a plain decimal integer 1-65535. */
export function parsePort(value: unknown): number {
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (/^[0-9]{1,5}$/.test(text)) {
    const port = Number(text);
    if (port >= 1 && port <= 65535) return port;
  }
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  throw new PortbotError('BAD_PORT', `port must be an integer 1-65535, got ${shown}`);
}
