import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, targetOf, type TcpProxy } from '@tillstream/kernel/testing';
import { scaleOutConfigured, scaleOutUrls } from '../support/engines.js';
import {
  contextOf,
  eventually,
  startPlatform,
  type ContextName,
  type TestPlatform,
} from '../support/platform.js';
import { plausibleRequests, type SweepRequest } from '../support/openapi-samples.js';
import { platformDocument } from '../support/openapi-document.js';
import { hubEvents, onHandAt, saleBody, seedShop, waitForOnHand, type Shop } from '../support/fixtures.js';

/** Longer than ERP's ack wait below and several of its consumers' tries of the database. */
const OUTAGE_MS = 4_000;

/** Every `tillstream_consumer_dead_letters` gauge of a context's process that is not 0. */
async function deadLetters(platform: TestPlatform, context: ContextName): Promise<string[]> {
  const server = platform.processes.get(context)![0]!;
  const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => /^tillstream_consumer_dead_letters\{/.test(line) && !/ 0$/.test(line));
}

/** Every `tillstream_consumer_lag` gauge of a context's process. */
async function consumerLags(platform: TestPlatform, context: ContextName): Promise<number[]> {
  const server = platform.processes.get(context)![0]!;
  const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('tillstream_consumer_lag{'))
    .map((line) => Number(line.split(' ').pop()));
}

async function readiness(platform: TestPlatform, context: ContextName): Promise<number> {
  const server = platform.processes.get(context)![0]!;
  return (await fetch(`${server.baseUrl}/readyz`)).status;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The scale-out engine while what it stands on goes away and comes back: ERP's or POS's PostgreSQL (a
 * restart, a failover), or NATS. Each is reached through a TCP hop the test cuts. What cannot be done answers
 * 503 with Retry-After, not 500; nothing acknowledged is lost or applied twice; and every process recovers by
 * itself, without a restart.
 */
describe.skipIf(!scaleOutConfigured)('scale-out platform while a database or the bus is away', () => {
  let platform: TestPlatform;
  let shop: Shop;
  let erpDatabase: TcpProxy;
  let posDatabase: TcpProxy;
  let commerceDatabase: TcpProxy;
  let otherDatabases: TcpProxy;
  let bus: TcpProxy;

  const allProxies = () => [erpDatabase, posDatabase, commerceDatabase, otherDatabases, bus];

  beforeAll(async () => {
    const database = targetOf(scaleOutUrls.pg, 5432);
    [erpDatabase, posDatabase, commerceDatabase, otherDatabases, bus] = await Promise.all([
      startTcpProxy(database),
      startTcpProxy(database),
      startTcpProxy(database),
      startTcpProxy(database),
      startTcpProxy(targetOf(scaleOutUrls.nats, 4222)),
    ]);
    platform = await startPlatform('scale-out', {
      databaseProxies: {
        erp: erpDatabase,
        pos: posDatabase,
        commerce: commerceDatabase,
        hub: otherDatabases,
        analytics: otherDatabases,
      },
      busProxy: bus,
      env: {
        // An outage outlasts both: a consumer must neither give its messages up nor park them.
        TILLSTREAM_NATS_ACK_WAIT_MS: '2000',
        TILLSTREAM_CONSUMER_MAX_ATTEMPTS: '2',
      },
    });
    shop = await seedShop(platform, { skuCount: 1, stock: 1_000 });
    // A store that has been selling: POS has heard of its products from ERP's events and no longer asks ERP.
    const sku = shop.skus[0]!;
    expect(
      (await platform.request('POST', '/pos/v1/sales', saleBody(shop, [{ sku, quantity: 1 }]))).status,
    ).toBe(201);
    await waitForOnHand(platform, sku, shop.storeId, 999);
    await eventually(
      async () => {
        const lags = await consumerLags(platform, 'pos');
        return lags.length > 0 && lags.every((lag) => lag === 0);
      },
      20_000,
      'POS caught up',
    );
  }, 120_000);
  // A failed test leaves nothing cut for the next.
  afterEach(() => allProxies().forEach((proxy) => proxy.restore()));
  afterAll(async () => {
    await platform?.stop();
    await Promise.all(allProxies().map((proxy) => proxy?.close()));
  });

  it("answers 503 database_unavailable while ERP's database is away, and applies the sales taken meanwhile once it is back", async () => {
    const sku = shop.skus[0]!;
    const before = await onHandAt(platform, sku, shop.storeId);

    erpDatabase.cut();
    const read = await platform.request('GET', `/erp/v1/inventory/${sku}`);
    expect(read.status).toBe(503);
    expect(read.headers.get('content-type')).toContain('application/problem+json');
    expect(read.body).toMatchObject({ code: 'database_unavailable', status: 503 });
    expect(Number(read.headers.get('retry-after'))).toBeGreaterThan(0);
    // POS stands on its own database: the till goes on selling.
    const sales = Array.from({ length: 10 }, () => saleBody(shop, [{ sku, quantity: 2 }]));
    for (const sale of sales)
      expect((await platform.request('POST', '/pos/v1/sales', sale)).status).toBe(201);
    await pause(OUTAGE_MS);
    expect(await readiness(platform, 'erp')).toBe(503);
    erpDatabase.restore();

    await waitForOnHand(platform, sku, shop.storeId, before - 20);
    expect(await deadLetters(platform, 'erp')).toEqual([]);
    await eventually(async () => (await readiness(platform, 'erp')) === 200, 20_000, 'ERP ready again');
    // Applied once: nothing more arrives later.
    await pause(500);
    expect(await onHandAt(platform, sku, shop.storeId)).toBe(before - 20);
  });

  it("refuses a sale with 503 and Retry-After while POS's database is away, and takes it once when retried", async () => {
    const sku = shop.skus[0]!;
    const before = await onHandAt(platform, sku, shop.storeId);
    const sale = saleBody(shop, [{ sku, quantity: 3 }]);

    posDatabase.cut();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const refused = await platform.request('POST', '/pos/v1/sales', sale);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: 'database_unavailable' });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    posDatabase.restore();

    const taken = await eventually(
      async () => {
        const answer = await platform.request('POST', '/pos/v1/sales', sale);
        return answer.status === 503 ? null : answer;
      },
      20_000,
      'the sale taken',
    );
    expect(taken.status).toBe(201);
    expect((await platform.request('POST', '/pos/v1/sales', sale)).status).toBe(200);
    await waitForOnHand(platform, sku, shop.storeId, before - 3);
    expect(await deadLetters(platform, 'pos')).toEqual([]);
  });

  it('takes sales while the bus is away and delivers each once to ERP and the hub when it is back', async () => {
    const sku = shop.skus[0]!;
    const before = await onHandAt(platform, sku, shop.storeId);

    bus.cut();
    const sales = Array.from({ length: 10 }, () => saleBody(shop, [{ sku, quantity: 1 }]));
    for (const sale of sales)
      expect((await platform.request('POST', '/pos/v1/sales', sale)).status).toBe(201);
    await eventually(async () => (await readiness(platform, 'pos')) === 503, 20_000, 'POS reports the bus');
    expect(await onHandAt(platform, sku, shop.storeId)).toBe(before);
    bus.restore();

    await waitForOnHand(platform, sku, shop.storeId, before - 10);
    const saleIds = new Set(sales.map((sale) => sale.id));
    await eventually(
      async () =>
        (await hubEvents(platform, 'pos.sale.completed')).filter((event) => saleIds.has(event.data.saleId))
          .length === sales.length,
      20_000,
      'every sale in the hub',
    );
    for (const context of ['erp', 'pos', 'hub'] as const)
      await eventually(async () => (await readiness(platform, context)) === 200, 20_000, `${context} ready`);
    await pause(500);
    expect(await onHandAt(platform, sku, shop.storeId)).toBe(before - 10);
    const inHub = (await hubEvents(platform, 'pos.sale.completed')).filter((event) =>
      saleIds.has(event.data.saleId),
    );
    expect(inHub).toHaveLength(sales.length);
  });

  it("keeps the storefront's catalog answering while commerce's database is away, and refuses a cart with 503", async () => {
    const sku = shop.skus[0]!;
    const before = await platform.request('GET', `/commerce/v1/products/${sku}`);
    expect(before.status).toBe(200);

    commerceDatabase.cut();
    const during = await platform.request('GET', `/commerce/v1/products/${sku}`);
    const cart = await platform.request('POST', '/commerce/v1/carts', {});
    commerceDatabase.restore();

    expect(during.status).toBe(200);
    expect(during.body).toMatchObject({ sku, price: before.body.price });
    expect(cart.status).toBe(503);
    expect(cart.body).toMatchObject({ code: 'database_unavailable' });
    const after = await eventually(
      async () => {
        const answer = await platform.request('POST', '/commerce/v1/carts', {});
        return answer.status === 201 ? answer : null;
      },
      20_000,
      'a cart once the database is back',
    );
    expect(after.body).toMatchObject({ id: expect.any(String) });
  });

  it('answers every operation of every service, while every database is away, with a 503 or what it holds in memory, never a 500', async () => {
    const requests = [...plausibleRequests(await platformDocument(platform))];
    expect(requests.length).toBeGreaterThan(100);
    for (const proxy of [erpDatabase, posDatabase, commerceDatabase, otherDatabases]) proxy.cut();
    const answers = [];
    for (const request of requests) answers.push(await answerTo(platform, request));
    for (const proxy of [erpDatabase, posDatabase, commerceDatabase, otherDatabases]) proxy.restore();

    const wrong = answers.filter(
      (answer) =>
        answer.status === 0 ||
        (answer.status >= 500 &&
          !['database_unavailable', 'service_unavailable'].includes(answer.code ?? '')) ||
        (answer.status >= 400 && !answer.problem),
    );
    expect(wrong).toEqual([]);
    // The outage was seen: most operations need their database.
    expect(answers.filter((answer) => answer.code === 'database_unavailable').length).toBeGreaterThan(
      requests.length / 2,
    );
  });
});

/** The answer's status and, for a problem document, its code; status 0 for none within 5 s. */
async function answerTo(platform: TestPlatform, request: SweepRequest) {
  const server = platform.processes.get(contextOf(request.path))![0]!;
  try {
    const response = await fetch(server.baseUrl + request.path, {
      method: request.method,
      headers: {
        authorization: `Bearer ${platform.adminKey}`,
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: request.body,
      signal: AbortSignal.timeout(5_000),
    });
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.startsWith('text/event-stream')) await response.body?.cancel();
    const text = contentType.startsWith('text/event-stream') ? '' : await response.text();
    const problem = contentType.includes('application/problem+json');
    const code = problem ? (JSON.parse(text) as { code?: string }).code : undefined;
    return { label: request.label, status: response.status, problem, code };
  } catch (error) {
    return { label: request.label, status: 0, problem: false, code: String(error) };
  }
}
