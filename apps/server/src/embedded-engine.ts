import { join } from 'node:path';
import {
  backupSqliteTogether,
  makeDirectory,
  createEmbeddedEventLog,
  openSqlite,
  type Logger,
  type SqliteBackupSource,
} from '@tillstream/kernel';
import { systemClock } from '@tillstream/kernel';
import type { Config } from './config.js';
import type { Engine } from './platform.js';

/** One process, one SQLite file per context in the data dir, each context's outbox its event log. */
export function embeddedEngine(config: Config, logger: Logger): Engine {
  makeDirectory(config.dataDir);
  const opened: SqliteBackupSource[] = [];
  return {
    name: 'embedded',
    openDb: async (context) => {
      const file = join(config.dataDir, `${context}.sqlite`);
      opened.push({ name: context, file });
      return openSqlite({ file, context });
    },
    backup: (targetDir) => backupSqliteTogether(opened, targetDir),
    createEventLog: async () =>
      createEmbeddedEventLog({
        clock: systemClock,
        logger: logger.child({ component: 'event-log' }),
        retry: {
          maxAttempts: config.consumerMaxAttempts,
          baseDelayMs: config.consumerRetryBaseMs,
          maxDelayMs: config.consumerRetryMaxMs,
        },
        batchSize: config.consumerBatchSize,
        pollIntervalMs: config.pollIntervalMs,
        lingerMs: config.consumerLingerMs,
        eventRetentionHours: config.eventRetentionHours,
      }),
  };
}
