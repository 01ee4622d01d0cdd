import { loadEnvConfig } from '../../../src/config/loadEnvConfig';
import { PortbotError } from '../../../src/domain/PortbotError';

describe('loadEnvConfig', () => {
  it('applies defaults for local mode', () => {
    const env = loadEnvConfig({});
    expect(env).toMatchObject({
      SLACK_MODE: 'http',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORTBOT_HTTP_PORT: 3000,
      PORTBOT_INVENTORY: './inventory.yaml',
      LOG_LEVEL: 'info',
      PORTBOT_REDIAGNOSE_INTERVAL_S: 300,
    });
    expect(env.SLACK_BOT_TOKEN).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(loadEnvConfig({ SLACK_BOT_TOKEN: '', PORTBOT_HTTP_PORT: '' }).PORTBOT_HTTP_PORT).toBe(
      3000,
    );
  });

  it('lists every problem at once and never echoes a secret', () => {
    const secret = 'xoxp-this-is-a-user-token-not-a-bot-token';
    try {
      loadEnvConfig({
        SLACK_BOT_TOKEN: secret,
        SLACK_MODE: 'rtm',
        PORTBOT_HTTP_PORT: 'http',
        REDIS_URL: 'localhost:6379',
        LOG_LEVEL: 'loud',
      });
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(PortbotError);
      expect((err as PortbotError).code).toBe('CONFIG_INVALID');
      const message = (err as PortbotError).message;
      expect(message).toMatch(/^invalid configuration \(5 problems\):/);
      expect(message).toContain("SLACK_BOT_TOKEN: expected a bot token starting with 'xoxb-'");
      expect(message).toContain("SLACK_MODE: expected 'http' or 'socket'");
      expect(message).toContain('PORTBOT_HTTP_PORT: expected a TCP port');
      expect(message).toContain('REDIS_URL: expected redis://');
      expect(message).toContain('LOG_LEVEL: expected fatal');
      expect(message).not.toContain(secret);
    }
  });

  it('requires the signing secret in HTTP mode and the alert channel when alerts are on', () => {
    expect(() =>
      loadEnvConfig({ SLACK_BOT_TOKEN: 'xoxb-1', PORTBOT_ALERT_TOKEN: '0123456789abcdef' }),
    ).toThrow(
      /SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set and SLACK_MODE=http[\s\S]*PORTBOT_ALERT_CHANNEL: required when alerts are enabled/,
    );
    expect(() => loadEnvConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'socket' })).toThrow(
      'SLACK_APP_TOKEN: required when SLACK_MODE=socket',
    );
  });

  it('parses the alert label mapping from JSON and rejects a bad one', () => {
    const env = loadEnvConfig({
      PORTBOT_ALERT_MAPPING:
        '{"hostLabels":["node"],"portLabels":["svc_port"],"instanceLabel":"target"}',
    });
    expect(env.PORTBOT_ALERT_MAPPING).toEqual({
      hostLabels: ['node'],
      portLabels: ['svc_port'],
      instanceLabel: 'target',
    });
    expect(() => loadEnvConfig({ PORTBOT_ALERT_MAPPING: '{nope' })).toThrow(
      'PORTBOT_ALERT_MAPPING: expected JSON',
    );
    expect(() => loadEnvConfig({ PORTBOT_ALERT_MAPPING: '{"hostLabels":["bad label"]}' })).toThrow(
      'PORTBOT_ALERT_MAPPING.hostLabels.0',
    );
  });
});
