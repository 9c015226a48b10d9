import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tillstream/kernel';
import { envName, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('fills defaults and converts environment strings to the declared types', () => {
    const config = loadConfig({ TILLSTREAM_PORT: '9000', TILLSTREAM_CONSUMER_MAX_ATTEMPTS: '3' }, {});
    expect(config).toMatchObject({
      port: 9000,
      consumerMaxAttempts: 3,
      host: '127.0.0.1',
      idempotencyTtlHours: 24,
    });
  });

  it('lets flags override the environment', () => {
    expect(loadConfig({ TILLSTREAM_PORT: '9000' }, { port: '9100' }).port).toBe(9100);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig(
        { TILLSTREAM_PORT: 'eighty', TILLSTREAM_LOG_LEVEL: 'loud', TILLSTREAM_IDEMPOTENCY_TTL_HOURS: '1' },
        {},
      );
      expect.unreachable('an invalid configuration must throw');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('port');
      expect(problems).toContain('logLevel');
      expect(problems).toContain('idempotencyTtlHours');
    }
  });

  it('names environment variables after the settings', () => {
    expect(envName('consumerMaxAttempts')).toBe('TILLSTREAM_CONSUMER_MAX_ATTEMPTS');
  });
});
