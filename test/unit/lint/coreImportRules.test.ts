import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const repo = resolve(__dirname, '../../..');

// ESLint loads its flat config with a dynamic import(), which jest's VM cannot do: lint in a
// child Node process, all samples in one run.
const lintSamples = `
import { ESLint } from 'eslint';
const samples = JSON.parse(process.argv[1]);
const eslint = new ESLint({ overrideConfigFile: 'eslint.config.mjs' });
const out = [];
for (const { file, text } of samples) {
  const [result] = await eslint.lintText(text, { filePath: file });
  out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message));
}
console.log(JSON.stringify(out));
`;

interface Sample {
  file: string;
  text: string;
}

/** Lints each text as if it were the core file named; returns the import-rule findings of each. */
function importFindings(samples: Sample[]): string[][] {
  const run = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', lintSamples, JSON.stringify(samples)],
    { cwd: repo, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[][];
}

// Existing core files, so the type-aware parser finds them in the project.
const renderFile = 'src/render/slack/verdictStyle.ts';
const approvalFile = 'src/approval/requiredApprovals.ts';
const auditFile = 'src/audit/hashChain.ts';
const policyFile = 'src/policy/mayRunCommand.ts';
const doctorFile = 'src/doctor/redisChecks.ts';

const bad: [what: string, file: string, text: string][] = [
  ['an adapter package', renderFile, "import { Redis } from 'ioredis';\nexport { Redis };\n"],
  ['yaml', approvalFile, "import { parse } from 'yaml';\nexport { parse };\n"],
  ['zod', policyFile, "import { z } from 'zod';\nexport { z };\n"],
  ['node:fs', renderFile, "import { readFileSync } from 'node:fs';\nexport { readFileSync };\n"],
  ['bare fs', renderFile, "import { readFileSync } from 'fs';\nexport { readFileSync };\n"],
  [
    'node:timers',
    approvalFile,
    "import { setTimeout } from 'node:timers';\nexport { setTimeout };\n",
  ],
  [
    'the Slack adapter',
    renderFile,
    "import { x } from '../../slack/WebClientPoster';\nexport { x };\n",
  ],
  [
    'the queue folder',
    approvalFile,
    "import type { x } from '../queue/queues';\nexport type { x };\n",
  ],
  ['the Redis audit log', auditFile, "import { x } from './redis/RedisAuditLog';\nexport { x };\n"],
  [
    'the Redis helpers',
    approvalFile,
    "import { x } from '../redis/runLuaScript';\nexport { x };\n",
  ],
  [
    'a config schema',
    policyFile,
    "import type { x } from '../config/PolicySchema';\nexport type { x };\n",
  ],
  ['a config loader', policyFile, "import { x } from '../config/loadPolicy';\nexport { x };\n"],
  ['the worker', approvalFile, "import { x } from '../worker/startWorkers';\nexport { x };\n"],
  [
    'the local Slack',
    renderFile,
    "import { x } from '../../localSlack/LocalSlackStore';\nexport { x };\n",
  ],
  [
    'the fleet checks',
    approvalFile,
    "import { x } from '../fleetChecks/FleetCheck';\nexport { x };\n",
  ],
  ['the CLI', approvalFile, "import { x } from '../cli/usage';\nexport { x };\n"],
  [
    "an adapter from the doctor's checks",
    doctorFile,
    "import { probeRedis } from '../redis/probeRedis';\nexport { probeRedis };\n",
  ],
  ['ioredis in the doctor', doctorFile, "import { Redis } from 'ioredis';\nexport { Redis };\n"],
];
const dynamicImport: Sample = {
  file: renderFile,
  text: "export const load = () => import('node:crypto');\n",
};
// Core-to-core imports, including the pure Block Kit folder render/slack/ from in and outside it.
const good: Sample[] = [
  {
    file: renderFile,
    text: [
      "import { createHash } from 'node:crypto';",
      "import type { Verdict } from '../../domain/verdict';",
      "import { renderDiagnosisMessage } from './renderDiagnosisMessage';",
      'export type V = Verdict;',
      "export const h = createHash('sha256');",
      'export const f = renderDiagnosisMessage;',
      '',
    ].join('\n'),
  },
  {
    file: 'src/render/formatStatusText.ts',
    text: "import { FAMILY_ORDER } from './slack/verdictStyle';\nexport const f = FAMILY_ORDER;\n",
  },
  {
    file: approvalFile,
    text: "import { FAMILY_ORDER } from '../render/slack/verdictStyle';\nexport const f = FAMILY_ORDER;\n",
  },
];

describe('pure-core import rules (eslint.config.mjs)', () => {
  let findings: string[][];
  beforeAll(() => {
    findings = importFindings([
      ...bad.map(([, file, text]) => ({ file, text })),
      dynamicImport,
      ...good,
    ]);
  }, 60_000);

  it.each(bad.map((sample, i) => [sample[0], i] as const))('flags %s', (_what, i) => {
    expect(findings[i]).toEqual([expect.stringMatching(/core/i)]);
  });

  it('flags a dynamic import()', () => {
    expect(findings[bad.length]).toEqual([expect.stringContaining('dynamic import()')]);
  });

  it('passes the imports the core is allowed', () => {
    expect(findings.slice(bad.length + 1)).toEqual(good.map(() => []));
  });
});
