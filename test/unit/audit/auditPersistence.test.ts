import { auditPersistence } from '../../../src/audit/auditPersistence';

describe('auditPersistence', () => {
  it('is not persistent with AOF off and an empty save schedule (redis-server --save "" --appendonly no)', () => {
    expect(auditPersistence(['appendonly', 'no'], ['save', ''])).toEqual({
      persistent: false,
      appendonly: 'no',
      save: '',
    });
  });

  it('is persistent with AOF on', () => {
    expect(auditPersistence(['appendonly', 'yes'], ['save', '']).persistent).toBe(true);
  });

  it('is persistent with an RDB save schedule', () => {
    expect(auditPersistence(['appendonly', 'no'], ['save', '3600 1 300 100']).persistent).toBe(
      true,
    );
  });

  it('is unknown when CONFIG answers nothing (disabled or renamed)', () => {
    expect(auditPersistence(undefined, undefined)).toEqual({
      persistent: 'unknown',
      appendonly: undefined,
      save: undefined,
    });
  });

  it('is still persistent when only one CONFIG GET answers and it shows persistence', () => {
    expect(auditPersistence(['appendonly', 'yes'], undefined).persistent).toBe(true);
  });
});
