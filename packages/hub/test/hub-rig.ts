import {
  createContextHarness,
  foreignEvent,
  type ContextHarness,
  type HarnessDialect,
} from '@tillstream/kernel/testing';
import { createLogger, createOutbox, uuidV7Ids, type ContextModule } from '@tillstream/kernel';
import { createHub, type WebhookSettings } from '../src/index.js';

export const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** Short, jitter-free schedule: the tests move the clock by hand to make retries due. */
export const TEST_SETTINGS: Partial<WebhookSettings> = {
  allowedHosts: ['127.0.0.1'],
  policy: {
    retryScheduleMs: [1_000, 2_000],
    jitter: 0,
    maxRetryAfterMs: 3_600_000,
    minRetryAfterMs: 1_000,
    disableAfterFailingMs: 5 * 86_400_000,
  },
  pollIntervalMs: 20,
  streamHeartbeatMs: 200,
  attemptTimeoutMs: 2_000,
  resolve: async () => [],
};

export interface HubRig {
  hub: ContextHarness;
  api(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
  /** An event from `source` (erp or pos) with the given type and partition key, delivered to the hub. */
  publish(type: string, key: string, data?: Record<string, unknown>): Promise<string>;
  /** Another hub instance on the same database, for tests of shared work. */
  secondInstance(): Promise<ContextModule>;
  close(): Promise<void>;
}

export async function startHubRig(
  dialect: HarnessDialect,
  settings: Partial<WebhookSettings> = {},
): Promise<HubRig> {
  const hub = await createContextHarness(
    (deps) => createHub({ ...deps, sources: ['erp', 'pos'], webhooks: { ...TEST_SETTINGS, ...settings } }),
    { dialect, pgUrl, name: 'hub' },
  );
  // Signatures carry the attempt time, which receivers check against their own clock (±5 min).
  hub.clock.set(new Date());
  await hub.module.start!();
  const others: ContextModule[] = [];
  let sequence = 0;
  return {
    hub,
    async api(method, url, body) {
      const response = await hub.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${hub.adminKey}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: response.statusCode, body: response.body ? response.json() : null };
    },
    async publish(type, key, data = {}) {
      sequence += 1;
      const source = type.split('.')[0]!;
      const event = foreignEvent(source, type, key, sequence, { key, n: sequence, ...data });
      await hub.deliver(source, event);
      return event.id;
    },
    async secondInstance() {
      const logger = createLogger({ name: 'test-hub-2', level: 'silent' });
      const deps = {
        db: hub.db,
        outbox: createOutbox('hub', { clock: hub.clock, ids: uuidV7Ids }),
        clock: hub.clock,
      };
      const module = createHub({
        ...deps,
        ids: uuidV7Ids,
        logger,
        sources: ['erp', 'pos'],
        webhooks: TEST_SETTINGS,
      });
      await module.start!();
      others.push(module);
      return module;
    },
    async close() {
      for (const module of [hub.module, ...others]) await module.stop?.();
      await hub.close();
    },
  };
}

/** Polls until `check` returns something truthy. */
export async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
