import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A captured fixture under test/fixtures/probes (the sibling .cmd file names the command). */
export function fixture(name: string): string {
  return readFileSync(join(__dirname, '../../fixtures/probes', name), 'utf8');
}

/** The error a call throws (fails the test when it does not throw). */
export function errorOf(fn: () => unknown): { name?: unknown; code?: unknown } {
  try {
    fn();
  } catch (err) {
    return err as { name?: unknown; code?: unknown };
  }
  throw new Error('expected the call to throw');
}
