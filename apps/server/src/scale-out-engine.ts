import { ConfigError, systemClock, type Logger } from '@tillstream/kernel';
import { createNatsEventLog, openPostgres } from '@tillstream/kernel/scale-out';
import type { Config } from './config.js';
import type { Engine } from './platform.js';

/** One process per context: PostgreSQL (a schema per context) and NATS JetStream (a stream per context). */
export function scaleOutEngine(config: Config, logger: Logger): Engine {
  const missing = [!config.pgUrl && 'TILLSTREAM_PG_URL', !config.natsUrl && 'TILLSTREAM_NATS_URL'].filter(
    Boolean,
  );
  if (missing.length > 0) throw new Error(`the scale-out engine needs ${missing.join(' and ')}`);
  // A durable consumer made anew (deleted on NATS) is handed everything its stream still holds, and the hub's
  // index tells an event it indexed before only while it keeps that event: the stream must not outlast it.
  const hubHours = config.hubEventRetentionHours;
  const streamHours = config.eventRetentionHours;
  if (hubHours > 0 && (streamHours === 0 || streamHours > hubHours))
    throw new ConfigError([
      `hubEventRetentionHours: on the scale-out engine the hub log keeps events at least as long as the streams ` +
        `do; set TILLSTREAM_EVENT_RETENTION_HOURS between 1 and ${hubHours} (now ${streamHours}, 0 = for ever)`,
    ]);
  return {
    name: 'scale-out',
    openDb: (context) => openPostgres({ url: config.pgUrl!, context, poolSize: config.pgPoolSize, logger }),
    createEventLog: () =>
      createNatsEventLog({
        servers: config.natsUrl!,
        clock: systemClock,
        logger: logger.child({ component: 'event-log' }),
        retry: {
          maxAttempts: config.consumerMaxAttempts,
          baseDelayMs: config.consumerRetryBaseMs,
          maxDelayMs: config.consumerRetryMaxMs,
        },
        batchSize: config.consumerBatchSize,
        pollIntervalMs: config.pollIntervalMs,
        streamPrefix: config.natsStreamPrefix,
        ackWaitMs: config.natsAckWaitMs,
        outboxRetentionHours: config.outboxRetentionHours,
        eventRetentionHours: config.eventRetentionHours,
      }),
  };
}
