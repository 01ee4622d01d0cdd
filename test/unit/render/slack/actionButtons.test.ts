import type { ActionsBlock, Block } from '../../../../src/render/slack/blockKitTypes';
import {
  ACTION_ID_PREFIX,
  type ActionButtonValue,
  renderDiagnosisMessage,
} from '../../../../src/render/slack';
import {
  decodeActionButtonId,
  encodeActionButtonId,
} from '../../../../src/render/slack/actionButtons';
import { loadDiagnosis } from './diagnosisFixtures';

function buttons(blocks: Block[]): ActionsBlock['elements'] {
  return blocks.filter((b): b is ActionsBlock => b.type === 'actions').flatMap((b) => b.elements);
}

describe('action buttons', () => {
  it('offers the recommended actions as approval buttons carrying a compact JSON value', () => {
    const d = loadDiagnosis('foreign-listener');
    const m = renderDiagnosisMessage(d, { incidentId: 'inc-42' });
    const els = buttons(m.blocks);
    expect(els.map((b) => b.action_id)).toEqual([
      `${ACTION_ID_PREFIX}kill-occupant`,
      `${ACTION_ID_PREFIX}restart-lb`,
    ]);
    const [kill, restart] = els;
    expect(kill?.style).toBe('danger');
    expect(kill?.confirm?.confirm.text).toBe('Request approval');
    expect(restart?.style).toBeUndefined();
    const value = JSON.parse(kill?.value ?? '') as ActionButtonValue;
    expect(value).toEqual({
      incidentId: 'inc-42',
      kind: 'kill-occupant',
      host: 'lb-01',
      port: 80,
      pid: 4123,
      startTicks: 123456,
    });
    expect(els.every((b) => b.text.text.startsWith('🔒 '))).toBe(true);
    expect(JSON.stringify(m.blocks)).toMatch(/asks for approval first/);
  });

  it('shows advice as text only, never as a button', () => {
    for (const verdict of [
      'permission-denied',
      'config-conflict',
      'time-wait-only',
      'address-not-available',
    ] as const) {
      const m = renderDiagnosisMessage(loadDiagnosis(verdict), { incidentId: 'inc-1' });
      expect(buttons(m.blocks)).toEqual([]);
      expect(JSON.stringify(m.blocks)).toMatch(/💡/);
    }
  });

  it('gives escalation and reserve-port their own kinds, and no kill button for a suspicious holder', () => {
    const sus = buttons(
      renderDiagnosisMessage(loadDiagnosis('suspicious-occupant'), { incidentId: 'i' }).blocks,
    );
    expect(sus.map((b) => b.action_id)).toEqual([`${ACTION_ID_PREFIX}escalate-security`]);
    const eph = buttons(
      renderDiagnosisMessage(loadDiagnosis('ephemeral-port-collision'), { incidentId: 'i' }).blocks,
    );
    expect(eph.map((b) => b.action_id)).toEqual([
      `${ACTION_ID_PREFIX}reserve-port`,
      `${ACTION_ID_PREFIX}restart-lb`,
    ]);
  });

  it('keeps action_ids unique when a kind repeats, and drops buttons once resolved', () => {
    const d = loadDiagnosis('foreign-listener');
    const twice = {
      ...d,
      actions: [
        ...d.actions,
        { kind: 'restart-lb' as const, risk: 'low' as const, title: 'again' },
      ],
    };
    const ids = buttons(renderDiagnosisMessage(twice, { incidentId: 'i' }).blocks).map(
      (b) => b.action_id,
    );
    expect(ids).toEqual([
      `${ACTION_ID_PREFIX}kill-occupant`,
      `${ACTION_ID_PREFIX}restart-lb`,
      `${ACTION_ID_PREFIX}restart-lb:2`,
    ]);
    expect(
      buttons(
        renderDiagnosisMessage(d, { incidentId: 'i', resolvedAt: '2026-11-21T10:14:14Z' }).blocks,
      ),
    ).toEqual([]);
  });

  it('leaves a button out rather than send a value over 2000 characters', () => {
    const m = renderDiagnosisMessage(loadDiagnosis('foreign-listener'), {
      incidentId: 'i'.repeat(2100),
    });
    expect(buttons(m.blocks)).toEqual([]);
    expect(JSON.stringify(m.blocks)).toMatch(/2 action\(s\) could not be offered as buttons/);
  });

  it('shows the alert counter from the second firing, and the resolved banner', () => {
    const d = loadDiagnosis('foreign-listener');
    expect(
      JSON.stringify(renderDiagnosisMessage(d, { incidentId: 'i', alertCount: 1 })),
    ).not.toMatch(/alert fired/);
    expect(
      JSON.stringify(renderDiagnosisMessage(d, { incidentId: 'i', alertCount: 1234 })),
    ).toMatch(/🔁 alert fired 1,234 times/);
    const resolved = renderDiagnosisMessage(d, {
      incidentId: 'i',
      resolvedAt: '2026-11-21T10:14:14Z',
      durationText: '12m 3s',
    });
    expect(JSON.stringify(resolved.blocks)).toMatch(/✅ \*Resolved\* after 12m 3s/);
    expect(resolved.text.startsWith('✅ resolved')).toBe(true);
  });
});

describe('action button ids', () => {
  it('decodes what it encodes', () => {
    for (const kind of ['kill-occupant', 'restart-lb', 'reserve-port'] as const) {
      for (const n of [1, 2, 7]) {
        expect(decodeActionButtonId(encodeActionButtonId(kind, n))).toEqual({ kind, n });
      }
    }
    expect(encodeActionButtonId('restart-lb', 1)).toBe(`${ACTION_ID_PREFIX}restart-lb`);
  });

  it.each([
    'restart-lb',
    `${ACTION_ID_PREFIX}no-such-kind`,
    `${ACTION_ID_PREFIX}restart-lb:1`,
    `${ACTION_ID_PREFIX}restart-lb:02`,
    `${ACTION_ID_PREFIX}restart-lb:x`,
    `${ACTION_ID_PREFIX}restart-lb:2:3`,
  ])('refuses %s', (id) => {
    expect(decodeActionButtonId(id)).toBeNull();
  });
});
