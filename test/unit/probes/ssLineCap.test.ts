import { buildProbeScript } from '../../../src/probes/buildProbeScript';
import { LIMITS } from '../../../src/probes/catalogue';
import { localShellRunner } from '../../support/localShellRunner';
import type { HostConfig } from '../../../src/domain/HostConfig';

const host: HostConfig = {
  name: 'local',
  address: '127.0.0.1',
  port: 22,
  user: 'root',
  sudo: false,
  connectTimeoutMs: 1000,
  commandTimeoutMs: 10000,
  labels: {},
};

// The batch's helpers, as the catalogue renders them: everything before the first section.
const helpers = buildProbeScript({
  port: 80,
  nonce: 'abcdefgh12',
  sudo: false,
  lb: null,
  vip: null,
}).split('\nb meta\n')[0];

// What `sc` did before it skipped sed for short listings: every listing through the pipe.
const SC_WITH_SED = `sc0() { S=$({ "$@" 2>&1 </dev/null; echo "rc=$?"; } | sed '${LIMITS.ssLines},\${$!d;}'); r=\${S##*rc=}; S=\${S%rc=*}; printf '%s' "$S"; }`;

async function both(listing: string): Promise<{ now: string; sed: string }> {
  const run = async (fn: string): Promise<string> => {
    const script = `${helpers}\n${SC_WITH_SED}\nlisting() { ${listing}; }\n${fn} listing; printf '[r=%s]' "$r"\n`;
    return (await localShellRunner.exec(host, '/bin/sh -s', { stdin: script })).stdout;
  };
  return { now: await run('sc'), sed: await run('sc0') };
}

// The ss wrapper keeps the first lines and the status line; skipping sed must change nothing.
describe('sc (the ss wrapper) against the real local /bin/sh', () => {
  it.each([
    ['nothing', 'true'],
    ['a few lines', "printf 'tcp LISTEN 0 511 0.0.0.0:80 0.0.0.0:*\\nudp UNCONN 0 0 *:80 *:*\\n'"],
    ['no final newline', "(printf 'ss: bad filter'; exit 1)"],
    ['many short lines', 'seq 1 1990'],
    ['just under the limit in bytes', "seq 1 700 | sed 's/^/x/'"],
    ['more lines than the limit', '(seq 1 2600; exit 3)'],
    ['exactly the limit', `seq 1 ${LIMITS.ssLines}`],
  ])('%s: same output and status as through sed', async (_name, listing) => {
    const { now, sed } = await both(listing);
    expect(now).toBe(sed);
    expect(now).toMatch(/\[r=\d+\]$/);
  });

  it('keeps the first lines of a long listing and its status', async () => {
    const { now } = await both('(seq 1 2600; exit 3)');
    const lines = now.replace(/\[r=3\]$/, '').split('\n');
    expect(lines[0]).toBe('1');
    expect(lines.filter((l) => l !== '').length).toBe(LIMITS.ssLines - 1);
    expect(now.endsWith('[r=3]')).toBe(true);
  });
});
