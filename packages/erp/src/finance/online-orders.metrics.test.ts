import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { Db } from '@tillstream/kernel';
import { registerOnlineOrderMetrics } from './online-orders.metrics.js';
import type { OnlineOrderReads } from './online-orders.store.js';

describe('the online orders’ gauges', () => {
  it('read the waiting shipments once per scrape, and again at the next', async () => {
    let reads = 0;
    const registry = new Registry();
    registerOnlineOrderMetrics(registry, {
      db: {} as Db,
      clock: { now: () => new Date('2026-12-05T10:00:00.000Z') },
      reads: {
        waitingSummary: async () => {
          reads += 1;
          return { shipments: 3, oldestShippedAt: '2026-12-05T09:59:00.000Z' };
        },
      } as unknown as OnlineOrderReads,
    });
    const scrape = await registry.metrics();
    expect(scrape).toContain('tillstream_finance_shipments_awaiting_order 3');
    expect(scrape).toContain('tillstream_finance_shipments_awaiting_order_oldest_age_seconds 60');
    expect(reads).toBe(1);
    await registry.metrics();
    expect(reads).toBe(2);
  });
});
