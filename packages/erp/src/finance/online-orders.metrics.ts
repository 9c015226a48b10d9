import { Gauge, type Registry } from 'prom-client';
import type { Clock, Db } from '@tillstream/kernel';
import { waitedSeconds } from './online-orders.decide.js';
import type { OnlineOrderReads } from './online-orders.store.js';

/**
 * What an operator alerts on when online revenue is stuck: shipments ERP made whose order finance never read
 * (its `commerce.order.placed` dead-lettered, say), read from the database at scrape time. Each waits for a
 * placement that may never come, and its revenue with it; replaying the order's event books them.
 */
export function registerOnlineOrderMetrics(
  registry: Registry,
  deps: { db: Db; clock: Clock; reads: OnlineOrderReads },
): void {
  // A scrape collects every gauge at once: the two below share one read of the waiting shipments.
  let reading: ReturnType<OnlineOrderReads['waitingSummary']> | null = null;
  const waitingSummary = () =>
    (reading ??= deps.reads.waitingSummary(deps.db).finally(() => {
      reading = null;
    }));
  new Gauge({
    name: 'tillstream_finance_shipments_awaiting_order',
    help: 'Online shipments booked nothing yet because finance has not read their order’s placement',
    registers: [registry],
    async collect() {
      this.set((await waitingSummary()).shipments);
    },
  });
  new Gauge({
    name: 'tillstream_finance_shipments_awaiting_order_oldest_age_seconds',
    help: 'How long the oldest shipment waiting for its order has waited since it shipped; 0 when none waits',
    registers: [registry],
    async collect() {
      const { oldestShippedAt } = await waitingSummary();
      this.set(oldestShippedAt === null ? 0 : waitedSeconds(oldestShippedAt, deps.clock.now()));
    },
  });
}
