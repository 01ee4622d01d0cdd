import { formatStatusText } from '../../../../src/render/formatStatusText';

describe('formatStatusText', () => {
  it('counts waiting and delayed diagnoses as queued', () => {
    const counts = { waiting: 2, delayed: 1, active: 4, failed: 5 };
    expect(formatStatusText(3, counts)).toBe(
      '3 open incidents; diagnoses: 3 queued, 4 running, 5 failed',
    );
  });

  it('says "incident" for one', () => {
    expect(formatStatusText(1, { waiting: 0, delayed: 0, active: 0, failed: 0 })).toBe(
      '1 open incident; diagnoses: 0 queued, 0 running, 0 failed',
    );
  });
});
