#!/usr/bin/env node
// Fails when two top-level folders of the source tree depend on each other, directly or
// through other folders. File-level cycle checkers miss these: audit/a.ts -> ingress/b.ts and
// ingress/c.ts -> audit/d.ts form no file cycle, yet neither folder can be understood (or moved)
// without the other. Every src/<folder>/** counts as one folder.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT_FOLDER = '(root)';

function listSourceFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...listSourceFiles(path));
    else if (/\.(ts|tsx|mts|cts)$/.test(entry) && !entry.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

function resolveRelative(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')];
  if (base.endsWith('.js')) candidates.push(base.replace(/\.js$/, '.ts'));
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

function folderOf(rootDir, file) {
  const parts = relative(rootDir, file).split(sep);
  return parts.length > 1 ? parts[0] : ROOT_FOLDER;
}

/** Folder -> (folder -> one example import "from -> to") for imports that stay inside rootDir. */
export function folderGraph(rootDir) {
  const graph = new Map();
  for (const file of listSourceFiles(rootDir)) {
    const from = folderOf(rootDir, file);
    if (!graph.has(from)) graph.set(from, new Map());
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveRelative(file, fileName);
      if (target === undefined) {
        // tsc would refuse it too; say so rather than leave an edge out of the graph unseen.
        console.warn(`warning: ${relative(rootDir, file)}: cannot resolve ${fileName}`);
        continue;
      }
      if (relative(rootDir, target).startsWith('..')) continue;
      const to = folderOf(rootDir, target);
      const edges = graph.get(from);
      if (to !== from && !edges.has(to)) {
        edges.set(to, `${relative(rootDir, file)} -> ${relative(rootDir, target)}`);
      }
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan). */
export function findFolderCycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node)?.keys() ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node), index.get(to)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

function main() {
  const rootDir = resolve(process.argv[2] ?? 'src');
  const graph = folderGraph(rootDir);
  const cycles = findFolderCycles(graph);
  if (cycles.length === 0) {
    console.log(`no folder cycles in ${relative(process.cwd(), rootDir) || '.'}`);
    return;
  }
  for (const cycle of cycles) {
    console.error(`folder cycle: ${cycle.join(', ')}`);
    const members = new Set(cycle);
    for (const from of cycle) {
      for (const [to, example] of graph.get(from) ?? []) {
        if (members.has(to)) console.error(`  ${from} -> ${to} (${example})`);
      }
    }
  }
  process.exitCode = 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main();
