import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaleOutConfigured } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { seedShop, type Shop } from '../support/fixtures.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';
import type { ServerProcess } from '../support/processes.js';

const WEBHOOK_ENV = {
  TILLSTREAM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  TILLSTREAM_WEBHOOK_RETRY_SCHEDULE_SECONDS: ['0.2', '0.4', ...Array(20).fill('1')].join(','),
};

/**
 * Two hub instances over one ERP stream: one indexes at a time (the other stands by), so the hub log keeps
 * each subject in `sequence` order, while both serve the log and webhooks follow it. When the indexing one
 * dies, the other takes over and the order still holds.
 */
describe.skipIf(!scaleOutConfigured)('two hub instances', () => {
  let platform: TestPlatform;
  let shop: Shop;
  let endpoint: Receiver;
  beforeAll(async () => {
    platform = await startPlatform('scale-out', { instances: { hub: 2 }, env: WEBHOOK_ENV });
    shop = await seedShop(platform, { skuCount: 1 });
    endpoint = await startReceiver();
    const created = await platform.request('POST', '/hub/v1/webhooks', {
      url: endpoint.url,
      events: ['erp.stock.changed'],
    });
    expect(created.status).toBe(201);
    endpoint.secrets = [created.body.secret];
    // Six processes starting on a shared two-core machine have taken 90 s.
  }, 180_000);
  afterAll(async () => {
    await endpoint?.close();
    await platform?.stop();
  });

  const hubs = () => platform.processes.get('hub')!;
  const alive = (server: ServerProcess) => server.child.exitCode === null && server.child.signalCode === null;
  const subject = () => `stock/${shop.skus[0]}@${shop.warehouseId}`;

  /** 40 concurrent changes of one subject. */
  async function adjustConcurrently(): Promise<void> {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        platform.request('POST', '/erp/v1/inventory/adjustments', {
          id: uniqueName('adj'),
          sku: shop.skus[0],
          locationId: shop.warehouseId,
          delta: 1,
          reason: 'received',
          occurredAt: new Date().toISOString(),
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(201));
  }

  /** The subject's events in the order one hub instance serves its log. */
  async function loggedBy(server: ServerProcess): Promise<any[]> {
    const response = await fetch(`${server.baseUrl}/hub/v1/events?type=erp.stock.changed&limit=1000`, {
      headers: { authorization: `Bearer ${platform.adminKey}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { events: any[] }).events.filter(
      (event) => event.subject === subject(),
    );
  }

  /** Which hub instances report leading the event index of ERP's stream. */
  async function leaders(): Promise<number[]> {
    const leading: number[] = [];
    for (const [index, server] of hubs().entries()) {
      if (!alive(server)) continue;
      const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
      if (text.includes('tillstream_consumer_leader{consumer="hub.event-index",source="erp"} 1'))
        leading.push(index);
    }
    return leading;
  }

  async function expectInOrder(count: number): Promise<void> {
    const logs = await eventually(
      async () => {
        const served = await Promise.all(hubs().filter(alive).map(loggedBy));
        return served.every((events) => events.length === count) ? served : undefined;
      },
      40_000,
      `${count} changes in every live hub's log`,
    );
    const sequences = logs[0]!.map((event) => Number(event.sequence));
    expect(sequences).toEqual(Array.from({ length: count }, (_, n) => n + 1));
    for (const served of logs)
      expect(served.map((event) => event.id)).toEqual(logs[0]!.map((event) => event.id));
    await eventually(
      async () => endpoint.processed.filter((request) => request.event.subject === subject()).length >= count,
      40_000,
      `${count} changes delivered`,
    );
    const delivered = endpoint.processed.filter((request) => request.event.subject === subject());
    expect(delivered.map((request) => Number(request.event.sequence))).toEqual(sequences);
  }

  it('indexes one subject in sequence order, one instance indexing while both serve', async () => {
    await adjustConcurrently();
    await expectInOrder(40);
    expect(await leaders()).toHaveLength(1);
  }, 90_000);

  it('keeps the order once the indexing instance is killed and the other takes over', async () => {
    const [leader] = await leaders();
    await platform.kill('hub', leader!);
    await eventually(async () => (await leaders()).length === 1, 30_000, 'the other hub leads');
    await adjustConcurrently();
    await expectInOrder(80);
  }, 120_000);
});
