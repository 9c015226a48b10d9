import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HTTP, type CloudEvent } from 'cloudevents';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { hubEvents, saleBody, seedShop } from '../support/fixtures.js';
import { startReceiver, type Received, type Receiver } from '../support/webhook-receiver.js';
import { openSse } from '../support/sse.js';

/** Retries every 0.2–1 s for about 20 s: a receiver down for a few seconds misses nothing. */
const WEBHOOK_ENV = {
  TILLSTREAM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  TILLSTREAM_WEBHOOK_RETRY_SCHEDULE_SECONDS: ['0.2', '0.4', '0.8', ...Array(20).fill('1')].join(','),
  TILLSTREAM_WEBHOOK_ATTEMPT_TIMEOUT_MS: '2000',
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(ENGINES)('webhooks and the event stream (%s)', (engine) => {
  let platform: TestPlatform;
  const receivers: Receiver[] = [];
  const webhooks: string[] = [];
  beforeAll(async () => {
    platform = await startPlatform(engine, { env: WEBHOOK_ENV });
  });
  afterEach(async () => {
    // A test's endpoints go away with it; so do its subscriptions, or later tests would feed them retries.
    for (const id of webhooks.splice(0)) await platform.request('DELETE', `/hub/v1/webhooks/${id}`);
    for (const receiver of receivers.splice(0)) await receiver.close();
  });
  afterAll(async () => platform?.stop());

  async function receiver(): Promise<Receiver> {
    const started = await startReceiver();
    receivers.push(started);
    return started;
  }
  async function subscribe(target: Receiver, events: string[]) {
    const created = await platform.request('POST', '/hub/v1/webhooks', { url: target.url, events });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    target.secrets = [created.body.secret];
    webhooks.push(created.body.id);
    return created.body as { id: string; secret: string };
  }
  const adjust = (sku: string, locationId: string, delta: number) =>
    platform.request('POST', '/erp/v1/inventory/adjustments', {
      id: uniqueName('adj'),
      sku,
      locationId,
      delta,
      reason: 'received',
      occurredAt: new Date().toISOString(),
    });

  /** Waits until `target` processed `count` webhooks; on a timeout says what it did receive and what the log shows. */
  async function processed(
    target: Receiver,
    count: number,
    what: string,
    timeoutMs = 20_000,
    only: (request: Received) => boolean = () => true,
  ): Promise<void> {
    await eventually(async () => target.processed.filter(only).length >= count, timeoutMs, what).catch(
      async (error: unknown) => {
        const logs = await Promise.all(
          webhooks.map(
            async (id) => (await platform.request('GET', `/hub/v1/webhooks/${id}/deliveries`)).body,
          ),
        );
        const seen = target.requests.map(
          (request) => `${request.webhookId}:${request.verifiedWith ? 'ok' : 'unverified'}`,
        );
        throw new Error(
          `${String(error)}\nrequests: ${seen.join(', ')}\ndelivery logs: ${JSON.stringify(logs)}`,
        );
      },
    );
  }

  it('delivers every event once, in hub log order per key, to a receiver that was down for a while', async () => {
    const endpoint = await receiver();
    await subscribe(endpoint, ['erp.stock.changed', 'pos.sale.completed']);
    await endpoint.down();
    const shop = await seedShop(platform, { skuCount: 3, stock: 50 });
    const sales: string[] = [];
    for (let n = 0; n < 6; n += 1) {
      const sale = saleBody(shop, [{ sku: shop.skus[n % 3]!, quantity: 1 }]);
      sales.push(sale.id);
      expect((await platform.request('POST', '/pos/v1/sales', sale)).status).toBe(201);
    }
    await sleep(1_500);
    await endpoint.up();
    // Answer 503 until an attempt has seen it: a fixed window could fall between two scheduled retries.
    endpoint.answer = () => 503;
    await eventually(async () => endpoint.requests.length > 0, 30_000, 'an attempt answered 503');
    endpoint.answer = () => 204;

    const mine = (event: any) =>
      (event.type === 'erp.stock.changed' && shop.skus.includes(event.data.sku)) ||
      (event.type === 'pos.sale.completed' && sales.includes(event.data.saleId));
    const expected = await eventually(
      async () => {
        const events = (await hubEvents(platform)).filter(mine);
        // 3 receipts, 6 sales and the 6 stock changes they cause.
        return events.length === 15 ? events : null;
      },
      30_000,
      'all events in the hub log',
    );
    await processed(endpoint, 15, 'every event delivered', 40_000);
    expect(endpoint.processed.map((request) => request.event.id).sort()).toEqual(
      expected.map((event) => event.id).sort(),
    );
    expect(endpoint.requests.length).toBeGreaterThan(15);
    expect(endpoint.requests.every((request) => request.verifiedWith !== null)).toBe(true);
    for (const key of new Set(expected.map((event) => event.partitionkey))) {
      const logOrder = expected.filter((event) => event.partitionkey === key).map((event) => event.id);
      const received = endpoint.processed
        .filter((request) => request.event.partitionkey === key)
        .map((request) => request.event.id);
      expect(received, `order of key ${key}`).toEqual(logOrder);
    }
    const parsed = HTTP.toEvent({
      headers: endpoint.processed[0]!.headers,
      body: endpoint.processed[0]!.body,
    });
    const cloudEvent = (Array.isArray(parsed) ? parsed[0] : parsed) as CloudEvent<unknown>;
    expect(cloudEvent.validate()).toBe(true);
    const first = expected.find((event) => event.id === endpoint.processed[0]!.webhookId)!;
    expect(cloudEvent).toMatchObject({
      id: first.id,
      type: first.type,
      sequence: first.sequence,
      specversion: '1.0',
    });
  }, 90_000);

  it('delivers concurrent changes of one subject in sequence order', async () => {
    const endpoint = await receiver();
    const shop = await seedShop(platform, { skuCount: 1 });
    const [sku] = shop.skus as [string];
    // The warehouse holds none of it yet: its balance starts at version 1 with the first of these changes.
    const subject = `stock/${sku}@${shop.warehouseId}`;
    await subscribe(endpoint, ['erp.stock.changed']);
    const writes = 40;
    const answers = await Promise.all(Array.from({ length: writes }, () => adjust(sku, shop.warehouseId, 1)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(writes).fill(201));
    const mine = (event: any) => event.subject === subject;
    await eventually(
      async () => endpoint.processed.filter((request) => mine(request.event)).length >= writes,
      40_000,
      'every change delivered',
    );
    const logged = (await hubEvents(platform, 'erp.stock.changed')).filter(mine);
    const delivered = endpoint.processed
      .filter((request) => mine(request.event))
      .map((request) => request.event);
    // Each change exactly once, and per key in the hub log's order: the hub's own promise on every engine.
    expect(delivered.map((event) => event.id)).toEqual(logged.map((event) => event.id));
    // The sequences order the changes: 1..n, one each, and the highest holds the final balance.
    const sequences = delivered.map((event) => Number(event.sequence));
    expect([...sequences].sort((a, b) => a - b)).toEqual(Array.from({ length: writes }, (_, n) => n + 1));
    const newest = delivered.reduce((held, event) => (event.sequence > held.sequence ? event : held));
    expect(newest.data).toMatchObject({ onHand: writes, version: writes });
    // Embedded, a context commits one transaction at a time; scale-out, ERP's relay publishes a subject in
    // `sequence` order though concurrent changes take transaction ids against their lock order.
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  }, 90_000);

  it('disables an endpoint that answers 410 and tells a hub.webhook.disabled subscriber', async () => {
    const gone = await receiver();
    const operations = await receiver();
    gone.answer = () => 410;
    const { id } = await subscribe(gone, ['erp.*']);
    await subscribe(operations, ['hub.webhook.disabled']);
    const shop = await seedShop(platform, { skuCount: 1 });
    const disabled = await eventually(
      async () => {
        const webhook = await platform.request('GET', `/hub/v1/webhooks/${id}`);
        return webhook.body.status === 'disabled' ? webhook.body : null;
      },
      20_000,
      'the endpoint disabled',
    );
    expect(disabled.disabledReason).toBe('gone');
    await processed(operations, 1, 'the operations endpoint told');
    expect(operations.processed[0]!.event).toMatchObject({
      type: 'hub.webhook.disabled',
      source: '/tillstream/hub',
      data: { webhookId: id, reason: 'gone', lastStatus: 410 },
    });
    const before = gone.requests.length;
    await adjust(shop.skus[0]!, shop.storeId, 1);
    await sleep(1_000);
    expect(gone.requests.length).toBe(before);
  }, 60_000);

  it('keeps every delivery verifiable while the secret is rotated', async () => {
    const endpoint = await receiver();
    const { id, secret: old } = await subscribe(endpoint, ['erp.stock.changed']);
    const shop = await seedShop(platform, { skuCount: 1, stock: 1 });
    const [sku] = shop.skus as [string];
    // Only this SKU's changes: an earlier test's event that reaches the hub after the subscription (JetStream
    // lagging under load) is delivered to it too, signed as things stood then.
    const ofSku = (request: Received) => request.event?.data?.sku === sku;
    const mine = () => endpoint.processed.filter(ofSku);
    await processed(endpoint, 1, 'first delivery', undefined, ofSku);
    const rotated = await platform.request('POST', `/hub/v1/webhooks/${id}/rotate-secret`, {});
    expect(rotated.status).toBe(200);
    for (let n = 0; n < 3; n += 1) expect((await adjust(sku, shop.storeId, 1)).status).toBe(201);
    await processed(endpoint, 4, 'deliveries during the rotation', undefined, ofSku);
    expect(
      mine()
        .slice(1)
        .every((request) => request.signatures.length === 2),
    ).toBe(true);
    endpoint.secrets = [rotated.body.secret];
    for (let n = 0; n < 3; n += 1) expect((await adjust(sku, shop.storeId, 1)).status).toBe(201);
    await processed(endpoint, 7, 'deliveries after switching secrets', undefined, ofSku);
    expect(endpoint.requests.filter(ofSku).every((request) => request.verifiedWith !== null)).toBe(true);
    expect(
      mine()
        .slice(0, 4)
        .every((request) => request.verifiedWith === old),
    ).toBe(true);
    expect(
      mine()
        .slice(4)
        .every((request) => request.verifiedWith === rotated.body.secret),
    ).toBe(true);
  }, 60_000);

  it.each([
    ['a non-http URL', { url: 'ftp://127.0.0.1/hook', events: ['erp.*'] }, 400, 'webhook_url_invalid'],
    ['a private address', { url: 'http://10.0.0.1/hook', events: ['erp.*'] }, 422, 'webhook_url_not_allowed'],
    [
      'a link-local address',
      { url: 'http://169.254.169.254/', events: ['erp.*'] },
      422,
      'webhook_url_not_allowed',
    ],
    ['IPv6 loopback', { url: 'http://[::1]:8080/', events: ['erp.*'] }, 422, 'webhook_url_not_allowed'],
    [
      'an unknown event pattern',
      { url: 'http://127.0.0.1:9/x', events: ['erp.stock.moved'] },
      422,
      'unknown_event_type',
    ],
    ['a malformed pattern', { url: 'http://127.0.0.1:9/x', events: ['erp.*.x'] }, 400, 'validation_failed'],
  ])('refuses a subscription to %s', async (_name, body, status, code) => {
    const response = await platform.request('POST', '/hub/v1/webhooks', body);
    expect(response.status).toBe(status);
    expect(response.body.code).toBe(code);
  });

  it('tails the log over SSE and resumes from Last-Event-ID', async () => {
    const hub = platform.processes.get('hub')![0]!;
    const auth = { authorization: `Bearer ${platform.adminKey}` };
    const start = (await platform.request('GET', '/hub/v1/events?limit=1000&type=erp.location.upserted')).body
      .next;
    const url = `${hub.baseUrl}/hub/v1/events/stream?type=erp.location.upserted&after=${start}`;
    const first = await openSse(url, auth);
    expect(first.status).toBe(200);
    const location = async () =>
      platform.request('PUT', `/erp/v1/locations/${uniqueName('store')}`, { name: 'SSE', kind: 'store' });
    await location();
    await eventually(async () => first.events().length === 1, 20_000, 'a live event');
    first.close();
    await location();
    await location();
    const resumed = await openSse(url, { ...auth, 'last-event-id': first.lastEventId()! });
    await eventually(async () => resumed.events().length === 2, 20_000, 'the events missed while away');
    const ids = [...first.events(), ...resumed.events()].map((event) => event.id);
    expect(new Set(ids).size).toBe(3);
    resumed.close();
  }, 60_000);

  it('serves the AsyncAPI 3 document beside the OpenAPI one', async () => {
    const asyncapi = await platform.request('GET', '/docs/asyncapi.json', undefined, { authorization: '' });
    expect(asyncapi.status).toBe(200);
    expect(asyncapi.body.asyncapi).toBe('3.0.0');
    expect(Object.keys(asyncapi.body.channels)).toContain('hub.webhook.disabled');
  });
});
