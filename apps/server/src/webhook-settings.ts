import { DEFAULT_DELIVERY_POLICY, type WebhookSettings } from '@tillstream/hub';
import type { Config } from './config.js';
import { listSetting } from './config-lists.js';

/** The hub's webhook settings from the configuration (lists arrive comma-separated from the environment). */
export function webhookSettings(config: Config): Partial<WebhookSettings> {
  return {
    allowedHosts: listSetting(config.webhookAllowedHosts),
    policy: {
      ...DEFAULT_DELIVERY_POLICY,
      retryScheduleMs: listSetting(config.webhookRetryScheduleSeconds).map((seconds) =>
        Math.round(Number(seconds) * 1000),
      ),
      disableAfterFailingMs: Math.round(config.webhookDisableAfterHours * 3_600_000),
    },
    attemptTimeoutMs: config.webhookAttemptTimeoutMs,
    concurrency: config.webhookConcurrency,
    pollIntervalMs: config.pollIntervalMs,
    logRetentionHours: config.webhookLogRetentionHours,
    eventRetentionHours: config.hubEventRetentionHours,
  };
}
