import { formatStatusText } from '../../../../src/render/formatStatusText';

describe('formatStatusText', () => {
  it('counts waiting and delayed diagnoses as queued', () => {
    const counts = {
      diagnose_waiting: 2,
      diagnose_delayed: 1,
      diagnose_active: 4,
      diagnose_failed: 5,
    };
    expect(formatStatusText(3, counts)).toBe(
      '3 open incidents; diagnoses: 3 queued, 4 running, 5 failed',
    );
  });

  it('reads missing counts as zero and says "incident" for one', () => {
    expect(formatStatusText(1, {})).toBe(
      '1 open incident; diagnoses: 0 queued, 0 running, 0 failed',
    );
  });
});
