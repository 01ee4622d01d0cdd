import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The version in package.json, which sits above this file both in src/cli (jest) and in
 * dist/cli (the build); read at run time so the build does not copy package.json into dist/.
 * Its own file so that `portbot --help` (usage.ts) loads no zod.
 */
export function portbotVersion(fromDir: string = __dirname): string {
  const raw: unknown = JSON.parse(readFileSync(join(fromDir, '..', '..', 'package.json'), 'utf8'));
  return PackageVersionSchema.parse(raw).version;
}

const PackageVersionSchema = z.object({ version: z.string() });
