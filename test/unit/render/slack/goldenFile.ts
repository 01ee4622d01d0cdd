import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BLOCKKIT_FIXTURES } from './diagnosisFixtures';

/**
 * Compare `actual` with test/fixtures/blockkit/<name>.golden.json; UPDATE_GOLDEN=1 rewrites the
 * file instead (review the diff before committing it).
 */
export function expectGolden(name: string, actual: unknown): void {
  const path = join(BLOCKKIT_FIXTURES, `${name}.golden.json`);
  const json = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, json);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden file ${path}: run with UPDATE_GOLDEN=1`);
  expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(path, 'utf8')));
}
