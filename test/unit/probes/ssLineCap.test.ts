import { buildProbeScript } from '../../../src/probes/buildProbeScript';
import { LIMITS } from '../../../src/probes/catalogue';
import { localHost, localShellRunner } from '../../support/localShellRunner';

const host = localHost;

// The batch's helpers, as the catalogue renders them: everything before the first section.
const helpers = buildProbeScript({
  port: 80,
  nonce: 'abcdefgh12',
  sudo: false,
  lb: null,
  vip: null,
}).split('\nb meta\n')[0];

async function sc(listing: string): Promise<string> {
  const script = `${helpers}\nlisting() { ${listing}; }\nsc listing; printf '[r=%s]' "$r"\n`;
  return (await localShellRunner.exec(host, '/bin/sh -s', { stdin: script })).stdout;
}

// The ss wrapper keeps the first lines and the listing's exit status, streaming through sed.
describe('sc (the ss wrapper) against the real local /bin/sh', () => {
  it.each([
    ['nothing', 'true', '', 0],
    ['no final newline, failing', "(printf 'ss: bad filter'; exit 1)", 'ss: bad filter', 1],
    ['a few lines', "printf 'a\\nb\\n'", 'a\nb\n', 0],
  ])('%s: the output and its status', async (_name, listing, out, status) => {
    expect(await sc(listing)).toBe(`${out}[r=${status}]`);
  });

  it('keeps the first lines of a long listing and its status', async () => {
    const now = await sc('(seq 1 2600; exit 3)');
    const lines = now.replace(/\[r=3\]$/, '').split('\n');
    expect(lines[0]).toBe('1');
    expect(lines.filter((l) => l !== '').length).toBe(LIMITS.ssLines - 1);
    expect(now.endsWith('[r=3]')).toBe(true);
  });
});
