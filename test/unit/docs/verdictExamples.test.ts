import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VERDICTS } from '../../../src/domain/verdict';
import { DiagnosisSchema } from '../../../src/incidents/DiagnosisSchema';

/** docs/reference/verdict-examples.md: one valid example per verdict, the renderer's fixtures. */
const repo = resolve(__dirname, '../../..');
const page = readFileSync(join(repo, 'docs/reference/verdict-examples.md'), 'utf8');

function examples(): { heading: string; json: unknown }[] {
  return [...page.matchAll(/^## `([a-z-]+)`\n[\s\S]*?```json\n([\s\S]*?)\n```/gm)].map((m) => ({
    heading: m[1] ?? '',
    json: JSON.parse(m[2] ?? 'null') as unknown,
  }));
}

describe('docs/reference/verdict-examples.md', () => {
  it('has one example per verdict, in precedence order', () => {
    expect(examples().map((e) => e.heading)).toEqual([...VERDICTS]);
  });

  it.each(examples().map((e) => [e.heading, e.json] as const))(
    '%s: a valid diagnosis with that verdict, equal to the renderer fixture',
    (verdict, json) => {
      const parsed = DiagnosisSchema.parse(json);
      expect(parsed.verdict).toBe(verdict);
      expect(parsed.evidence.length).toBeGreaterThan(0);
      const fixture: unknown = JSON.parse(
        readFileSync(join(repo, 'test/fixtures/blockkit/diagnoses', `${verdict}.json`), 'utf8'),
      );
      expect(json).toEqual(fixture);
    },
  );
});
