import { PortbotError } from '../domain/PortbotError';

/**
 * POSIX single-quote a value so any sh (bash, dash, busybox) reads it as ONE literal word:
 * inside '…' nothing is special except the closing quote, which we splice as '\''.
 * NUL cannot be carried in an argv at all, so it is refused rather than silently cut.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) {
    throw new PortbotError('INTERNAL', 'refusing to quote a value that contains a NUL byte', {
      userFacing: false,
    });
  }
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
