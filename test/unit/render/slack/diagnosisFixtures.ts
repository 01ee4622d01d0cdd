import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnosis } from '../../../../src/domain/diagnosis';
import { VERDICTS, type Verdict } from '../../../../src/domain/verdict';

export const BLOCKKIT_FIXTURES = join(__dirname, '../../../fixtures/blockkit');

/** The realistic diagnosis of `verdict` stored under test/fixtures/blockkit/diagnoses. */
export function loadDiagnosis(verdict: Verdict): Diagnosis {
  const raw = readFileSync(join(BLOCKKIT_FIXTURES, 'diagnoses', `${verdict}.json`), 'utf8');
  const d = JSON.parse(raw) as Diagnosis;
  if (d.verdict !== verdict) throw new Error(`fixture ${verdict}.json holds verdict ${d.verdict}`);
  return d;
}

export function allDiagnoses(): Diagnosis[] {
  return VERDICTS.map(loadDiagnosis);
}

/** A diagnosis with every free-text field blown up to about 100 KB, control characters included. */
export function hugeDiagnosis(verdict: Verdict): Diagnosis {
  const d = loadDiagnosis(verdict);
  const line = (i: number): string =>
    `line ${i} <!channel> & <@U123> \`\`\` *bold* ${'x'.repeat(60)}\n`;
  const big = Array.from({ length: 1200 }, (_, i) => line(i)).join('');
  const occupant = d.occupant ?? {
    pid: 1,
    ppid: null,
    user: null,
    uid: null,
    comm: 'x',
    cmdline: null,
    exe: null,
    startedAt: null,
    startTicks: null,
    socketState: 'LISTEN',
    localAddress: '0.0.0.0:1',
    unit: null,
    container: null,
  };
  return {
    ...d,
    summary: big,
    occupant: {
      ...occupant,
      comm: big,
      cmdline: big,
      exe: big,
      user: big,
      unit: big,
      container: big,
      localAddress: big,
    },
    findings: Array.from({ length: 200 }, (_, i) => ({
      code: `finding-${i}-${'c'.repeat(300)}`,
      detail: big,
    })),
    evidence: Array.from({ length: 120 }, (_, i) => ({
      probe: `probe-${i}`,
      command: big,
      output: big,
    })),
    actions: [
      { kind: 'kill-occupant', risk: 'medium', title: big, detail: big },
      { kind: 'restart-lb', risk: 'medium', title: big, detail: big },
      { kind: 'restart-lb', risk: 'medium', title: 'second restart' },
      { kind: 'advice', risk: 'none', title: big, detail: big },
    ],
  };
}
