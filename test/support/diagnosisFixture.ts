import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnosis } from '../../src/domain/diagnosis';

/** A realistic Diagnosis per verdict (test/fixtures/blockkit/diagnoses/<verdict>.json). */
export function diagnosisFixture(verdict: string): Diagnosis {
  return JSON.parse(
    readFileSync(
      join(__dirname, '..', 'fixtures', 'blockkit', 'diagnoses', `${verdict}.json`),
      'utf8',
    ),
  ) as Diagnosis;
}
