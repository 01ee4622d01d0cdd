#!/usr/bin/env node
// Fails when source, tests or docs cite a document that is not in the repository (a numbered
// section of an outside spec, lab notes, a shared folder next to the checkout). Readers of the
// repository cannot follow such a pointer; cite docs/reference/* or docs/adr/* instead.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const DEFAULT_ROOTS = ['src', 'test', 'bench', 'docs', 'README.md', 'CONTRIBUTING.md'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'dist-dev', '.labbuild', 'coverage']);
const TEXT_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs|md|json|ya?ml|sh|py|conf|txt)$/;
const OUTSIDE_REFERENCE = /section [0-9]|CONTRACT|contract|LAB-NOTES|\.\.\/shared|original table/;

function listFiles(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return [];
  if (stat.isFile()) return [path];
  const files = [];
  for (const entry of readdirSync(path)) {
    if (SKIP_DIRS.has(entry)) continue;
    const child = join(path, entry);
    if (statSync(child).isDirectory()) files.push(...listFiles(child));
    else if (TEXT_FILE.test(entry)) files.push(child);
  }
  return files;
}

/** Every line under the roots that cites an outside document, as "file:line: text". */
function findOutsideReferences(roots) {
  const hits = [];
  for (const file of roots.flatMap(listFiles)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (OUTSIDE_REFERENCE.test(line)) {
          hits.push(`${relative(process.cwd(), file)}:${i + 1}: ${line.trim()}`);
        }
      });
  }
  return hits;
}

function main() {
  const roots = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_ROOTS;
  const hits = findOutsideReferences(roots.map((r) => resolve(r)));
  if (hits.length === 0) {
    console.log('no references to documents outside the repository');
    return;
  }
  console.error('cite docs/reference/* or docs/adr/* instead of documents outside the repository:');
  for (const hit of hits) console.error(`  ${hit}`);
  process.exitCode = 1;
}

main();
