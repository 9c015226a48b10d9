import { describe, expect, it } from 'vitest';
import { ConfigError, createLogger } from '@tillstream/kernel';
import { loadConfig } from './config.js';
import { scaleOutEngine } from './scale-out-engine.js';

const SERVERS = {
  TILLSTREAM_PG_URL: 'postgres://127.0.0.1:5432/x',
  TILLSTREAM_NATS_URL: 'nats://127.0.0.1:4222',
};
const logger = createLogger({ name: 'engine-test', level: 'silent' });
const engineWith = (hubHours: string, streamHours: string) =>
  scaleOutEngine(
    loadConfig(
      {
        ...SERVERS,
        TILLSTREAM_HUB_EVENT_RETENTION_HOURS: hubHours,
        TILLSTREAM_EVENT_RETENTION_HOURS: streamHours,
      },
      {},
    ),
    logger,
  );

describe('the scale-out engine settings', () => {
  it('refuses a hub log kept shorter than the streams, which could hand the hub pruned events again', () => {
    for (const streamHours of ['0', '48']) {
      expect(() => engineWith('24', streamHours)).toThrow(ConfigError);
      try {
        engineWith('24', streamHours);
      } catch (error) {
        expect((error as ConfigError).problems.join('\n')).toMatch(
          /hubEventRetentionHours: .*TILLSTREAM_EVENT_RETENTION_HOURS between 1 and 24/,
        );
      }
    }
  });

  it('takes a hub log kept for ever, or at least as long as the streams', () => {
    for (const [hubHours, streamHours] of [
      ['0', '0'],
      ['0', '48'],
      ['24', '24'],
      ['24', '12'],
    ] as const)
      expect(engineWith(hubHours, streamHours).name).toBe('scale-out');
  });
});
