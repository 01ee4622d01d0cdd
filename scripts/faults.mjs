#!/usr/bin/env node
// `npm run faults`: runs the fault suite (test/fault, real processes, the lab: needs root and
// the lab lock) and prints the figures the tests measured: messages per incident and time to
// recover after worker, Slack, Redis and host faults.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const figures = join(mkdtempSync(join(tmpdir(), 'portbot-faults-')), 'figures.jsonl');
const jest = spawnSync('npx', ['jest', '--runInBand', 'test/fault', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, PORTBOT_FAULT_FIGURES: figures },
});
const rows = existsSync(figures)
  ? readFileSync(figures, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
console.log('\nportbot fault report');
let fault = '';
for (const r of rows) {
  if (r.fault !== fault) console.log(`\n${(fault = r.fault)}`);
  const value =
    r.unit !== 'ms'
      ? `${r.value} ${r.unit}`
      : r.value < 1000
        ? `${r.value} ms`
        : `${(r.value / 1000).toFixed(1)} s`;
  console.log(`  ${r.figure.padEnd(48)} ${value}`);
}
process.exit(jest.status ?? 1);
