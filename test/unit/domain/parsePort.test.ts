import { parsePort } from '../../../src/domain/parsePort';
import { PortbotError } from '../../../src/domain/PortbotError';

describe('parsePort', () => {
  it.each([
    ['80', 80],
    [' 443 ', 443],
    ['1', 1],
    ['65535', 65535],
    [8080, 8080],
  ])('accepts %j', (input, port) => {
    expect(parsePort(input)).toBe(port);
  });

  it.each([
    '0',
    '70000',
    'abc',
    '80.5',
    '-1',
    '0x50',
    '1e3',
    '',
    '80; touch /tmp/pwned',
    '$(id)',
    '`id`',
    '80\nid',
    80.5,
    null,
  ])('rejects %j with BAD_PORT', (input) => {
    expect(() => parsePort(input)).toThrow(PortbotError);
    try {
      parsePort(input);
    } catch (err) {
      expect((err as PortbotError).code).toBe('BAD_PORT');
      expect((err as PortbotError).message).toMatch(/^port must be an integer 1-65535, got /);
    }
  });
});
