import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabGroup } from './Lab';
import { Lab } from './Lab';
import type { LabHostSpec } from './labTypes';
import { labDir } from './startLab';

interface LabState {
  dir: string;
  hosts: LabHostSpec[];
  groups: LabGroup[];
  wrappers: Record<string, number>;
}

/** A Lab handle for a lab another process started (e.g. `npm run lab:up`), from <dir>/lab.json. */
export function attachLab(dir?: string): Lab {
  const d = labDir(dir);
  const state = JSON.parse(readFileSync(join(d, 'lab.json'), 'utf8')) as LabState;
  return new Lab(state.dir, state.hosts, state.groups, new Map(Object.entries(state.wrappers)));
}
