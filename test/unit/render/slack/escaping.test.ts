import type { Diagnosis } from '../../../../src/domain/diagnosis';
import {
  renderDiagnosingMessage,
  renderDiagnosisMessage,
  renderError,
  renderEvidenceReply,
  renderGroupSummary,
  renderHeldSummary,
  type SlackMessage,
} from '../../../../src/render/slack';
import {
  escapeCodeBlock,
  escapeMrkdwn,
  inlineCode,
} from '../../../../src/render/slack/escapeMrkdwn';
import { loadDiagnosis } from './diagnosisFixtures';

const NASTY = '<!channel> <!here> <@U02ADMIN> <https://evil.example|click> & `x` ```';

/** Every mrkdwn string in a message, plus its `text` (which Slack parses as mrkdwn too). */
function mrkdwnTexts(m: SlackMessage): string[] {
  const out = [m.text];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') {
      expect(o.verbatim).toBe(true);
      out.push(o.text);
    }
    Object.values(o).forEach(walk);
  };
  walk(m.blocks);
  return out;
}

function poisoned(): Diagnosis {
  const d = loadDiagnosis('foreign-listener');
  const o = d.occupant;
  if (!o) throw new Error('fixture has an occupant');
  return {
    ...d,
    host: `lb-01${NASTY}`,
    summary: `port 80 is held by ${NASTY}`,
    occupant: {
      ...o,
      comm: NASTY,
      cmdline: `${NASTY}\n--flag`,
      user: NASTY,
      exe: NASTY,
      unit: NASTY,
      container: NASTY,
    },
    findings: [{ code: NASTY, detail: NASTY }],
    evidence: [{ probe: NASTY, command: NASTY, output: `${NASTY}\n${NASTY}` }],
    actions: d.actions.map((a) => ({ ...a, title: NASTY, detail: NASTY })),
  };
}

describe('values from hosts and alerts cannot ping, link or break formatting', () => {
  const d = poisoned();
  const messages: [string, SlackMessage][] = [
    [
      'root',
      renderDiagnosisMessage(d, {
        incidentId: NASTY,
        alertCount: 3,
        resolvedAt: NASTY,
        durationText: NASTY,
      }),
    ],
    ['root open', renderDiagnosisMessage(d, { incidentId: 'inc-1' })],
    ['evidence', renderEvidenceReply(d, { fullEvidenceHint: NASTY })],
    [
      'diagnosing',
      renderDiagnosingMessage({ host: NASTY, port: 80, requestedBy: NASTY, source: 'command' }),
    ],
    ['group', renderGroupSummary([d, { ...d, verdict: 'healthy' }], { scope: NASTY })],
    ['error', renderError(NASTY, NASTY)],
    [
      'held summary',
      renderHeldSummary({
        source: NASTY,
        minuteStartMs: 0,
        count: 2,
        targets: [{ host: NASTY, port: 80 }],
        distinctTargets: 2,
        targetsComplete: true,
        perMinute: 1,
      }),
    ],
  ];

  it.each(messages)(
    '%s: no raw < or > in any mrkdwn text, every mrkdwn object verbatim',
    (_label, m) => {
      for (const text of mrkdwnTexts(m)) {
        expect(text).not.toMatch(/[<>]/);
        expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/); // every & is part of an entity we wrote
      }
      expect(JSON.stringify(m)).toContain('&lt;!channel&gt;'); // the name is still shown, harmlessly
    },
  );

  it('keeps a code block closed when the output contains ```', () => {
    const m = renderEvidenceReply(d);
    const section = JSON.stringify(m.blocks[1]);
    const text = (JSON.parse(section) as { text: { text: string } }).text.text;
    expect(text.match(/```/g)).toHaveLength(2);
  });

  it('renders a real Slack user id as a mention, anything else as text', () => {
    const ok = renderDiagnosingMessage({
      host: 'lb-01',
      port: 80,
      requestedBy: 'U024BE7LH',
      source: 'command',
    });
    expect(JSON.stringify(ok.blocks)).toContain('<@U024BE7LH>');
    const bad = renderDiagnosingMessage({
      host: 'lb-01',
      port: 80,
      requestedBy: '!channel',
      source: 'command',
    });
    expect(JSON.stringify(bad.blocks)).not.toContain('<');
  });

  it('escape helpers', () => {
    expect(escapeMrkdwn('a & <b> c')).toBe('a &amp; &lt;b&gt; c');
    expect(inlineCode('a`b\nc')).toBe('`aˋb ⏎ c`');
    expect(inlineCode('x'.repeat(50), 10)).toBe(`\`${'x'.repeat(9)}…\``);
    expect(escapeCodeBlock('```<x>')).toBe('`\u200b`\u200b`&lt;x&gt;');
    expect(escapeMrkdwn('a ```` b')).not.toMatch(/``/);
  });
});
