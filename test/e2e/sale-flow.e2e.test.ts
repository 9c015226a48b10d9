import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudEventSchema, findEventContract } from '@tillstream/contracts';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { hubEvents, saleBody, seedShop, waitForOnHand } from '../support/fixtures.js';
import { schemaAjv as ajv } from '../support/schemas.js';

const validEnvelope = ajv.compile(CloudEventSchema);

describe.each(ENGINES)('a store sale flows POS → ERP → commerce and the hub (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPlatform(engine);
  });
  afterAll(async () => platform?.stop());

  it('updates ERP stock, commerce availability and lists the events in order as valid CloudEvents', async () => {
    const shop = await seedShop(platform, { skuCount: 2, stock: 10 });
    const [first, second] = shop.skus as [string, string];
    // The stock is on the store's shelf: let the web channel sell from the store (click and collect).
    const channel = await platform.request('PUT', '/erp/v1/channels/web', {
      locations: [shop.storeId],
      safetyStock: 0,
    });
    expect(channel.status).toBe(201);
    await eventually(
      async () => (await platform.request('GET', `/commerce/v1/products/${first}`)).body.available === 10,
      20_000,
      'commerce sees the receipt',
    );

    const sale = saleBody(shop, [
      { sku: first, quantity: 3 },
      { sku: second, quantity: 1 },
    ]);
    const posted = await platform.request('POST', '/pos/v1/sales', sale);
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ id: sale.id, status: 'completed', total: 2000 });

    await waitForOnHand(platform, first, shop.storeId, 7);
    await waitForOnHand(platform, second, shop.storeId, 9);
    const product = await eventually(
      async () => {
        const response = await platform.request('GET', `/commerce/v1/products/${first}`);
        return response.body.available === 7 ? response : null;
      },
      20_000,
      'commerce availability reflects the sale',
    );
    expect(product.headers.get('etag')).toBeTruthy();
    expect(product.body).toMatchObject({
      sku: first,
      price: { amount: 500, currency: 'EUR' },
      inStock: true,
    });

    const notModified = await platform.request('GET', `/commerce/v1/products/${first}`, undefined, {
      'if-none-match': product.headers.get('etag')!,
    });
    expect(notModified.status).toBe(304);

    const events = await eventually(
      async () => {
        const all = await hubEvents(platform);
        const related = all.filter(
          (event) => event.subject === `sale/${sale.id}` || event.data?.sku === first,
        );
        return related.some((event) => event.type === 'erp.stock.changed' && event.data.onHand === 7)
          ? all
          : null;
      },
      20_000,
      'hub lists the sale and its stock change',
    );
    for (const event of events) {
      expect(validEnvelope(event), JSON.stringify(validEnvelope.errors)).toBe(true);
      const contract = findEventContract(event.type, 1);
      expect(contract, event.type).toBeDefined();
      expect(
        ajv.validate(contract!.dataSchema, event.data),
        `${event.type}: ${JSON.stringify(ajv.errors)}`,
      ).toBe(true);
    }
    const saleEvent = events.findIndex(
      (event) => event.type === 'pos.sale.completed' && event.data.saleId === sale.id,
    );
    const stockEvent = events.findIndex(
      (event) => event.type === 'erp.stock.changed' && event.data.sku === first && event.data.onHand === 7,
    );
    expect(saleEvent).toBeGreaterThanOrEqual(0);
    expect(stockEvent).toBeGreaterThan(saleEvent);
    expect(events[stockEvent].causationid ?? events[stockEvent].correlationid).toBeDefined();
    // Per-key versions only grow, in log order.
    const versions = events
      .filter(
        (event) =>
          event.type === 'erp.stock.changed' &&
          event.data.sku === first &&
          event.data.locationId === shop.storeId,
      )
      .map((event) => event.sequence);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('pages the hub log with a cursor that resumes exactly where it stopped', async () => {
    await seedShop(platform, { skuCount: 1 });
    const all = await hubEvents(platform);
    const firstPage = await platform.request('GET', '/hub/v1/events?limit=3');
    const secondPage = await platform.request('GET', `/hub/v1/events?limit=3&after=${firstPage.body.next}`);
    expect(
      [...firstPage.body.events, ...secondPage.body.events].map((event: { id: string }) => event.id),
    ).toEqual(all.slice(0, 6).map((event) => event.id));
    const invalid = await platform.request('GET', '/hub/v1/events?after=abc');
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('validation_failed');
  });
});
