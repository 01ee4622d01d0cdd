import { appendFileSync } from 'node:fs';

/**
 * A figure measured by a fault test (`npm run faults` prints them). Written only when
 * PORTBOT_FAULT_FIGURES names a file, so plain `npm test` runs leave nothing behind.
 */
export function recordFigure(fault: string, figure: string, value: number, unit: string): void {
  const file = process.env.PORTBOT_FAULT_FIGURES;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ fault, figure, value, unit })}\n`);
}
