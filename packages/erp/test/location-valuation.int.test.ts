import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

/** What the stock at each location is worth: each SKU's value split over where its units are. */
describe.each(harnessDialects(pgUrl))('ERP stock valuation per location on %s', (dialect) => {
  const rig = purchaseOrderRig(dialect);
  const { ok, call, product, stockAt, deliverOwnEvents: valueStock } = rig;

  const place = async (kind: 'store' | 'warehouse') => {
    const id = uniqueName(kind === 'store' ? 'S' : 'W');
    await ok('PUT', `/locations/${id}`, { name: id, kind });
    return id;
  };
  /** Received outside any order at `unitCost` a unit, so the valuation values it. */
  const receive = (sku: string, locationId: string, delta: number, unitCost: number) =>
    rig.receive(sku, locationId, delta, '2026-11-01T08:00:00Z', unitCost);
  const sell = (sku: string, storeId: string, quantity: number) =>
    rig.storeSale(sku, storeId, quantity, '2026-11-01T09:00:00Z');
  const atLocation = (locationId: string) =>
    ok('GET', `/finance/inventory-valuation?locationId=${locationId}&limit=500`);
  /** Each location's item of this SKU: [units, value] by location. */
  const skuAt = async (sku: string, ...locations: string[]) => {
    const found: Record<string, [number, number] | undefined> = {};
    for (const location of locations) {
      const item = ((await atLocation(location)).items as any[]).find((row) => row.sku === sku);
      found[location] = item && [item.quantity, item.value];
    }
    return found;
  };
  const chainItem = async (sku: string) =>
    (
      (await ok('GET', `/finance/inventory-valuation?after=${sku.slice(0, -1)}&limit=500`)).items as any[]
    ).find((item) => item.sku === sku);
  const summary = async () =>
    (await ok('GET', '/finance/inventory-valuation/locations?currency=EUR')).currencies[0];

  it('values each location’s units at the average, goods in transit at their destination, adding up to 1300', async () => {
    const [w, a, b] = [await place('warehouse'), await place('store'), await place('store')];
    const x = await product();
    await receive(x, w, 10, 400);
    await receive(x, a, 10, 600);
    await valueStock();
    expect(await skuAt(x, w, a, b)).toEqual({ [w]: [10, 5000], [a]: [10, 5000], [b]: undefined });

    // Shipped, the four are in transit to b and worth there what they were worth at w.
    const transferId = uniqueName('tr');
    await ok('POST', '/transfers', {
      id: transferId,
      sourceId: w,
      destinationId: b,
      lines: [{ sku: x, quantity: 4 }],
    });
    await ok('POST', `/transfers/${transferId}/ship`);
    await valueStock();
    expect(await stockAt(x, b)).toMatchObject({ onHand: 0, inTransit: 4 });
    expect(await skuAt(x, w, a, b)).toEqual({ [w]: [6, 3000], [a]: [10, 5000], [b]: [4, 2000] });
    const [inTransit] = (await atLocation(b)).items;
    expect(inTransit).toEqual({ sku: x, currency: 'EUR', quantity: 4, value: 2000, averageUnitCost: 500 });
    await ok('POST', `/transfers/${transferId}/receipts`, {
      id: uniqueName('tr-rcpt'),
      lines: [{ sku: x, quantity: 4 }],
    });
    await valueStock();
    expect(await skuAt(x, w, a, b)).toEqual({ [w]: [6, 3000], [a]: [10, 5000], [b]: [4, 2000] });

    // b sells two more than it has: it owes them at the average, and the others keep what they hold.
    await sell(x, a, 3);
    await sell(x, b, 6);
    await valueStock();
    expect(await stockAt(x, b)).toMatchObject({ onHand: -2 });
    expect(await skuAt(x, w, a, b)).toEqual({ [w]: [6, 3000], [a]: [7, 3500], [b]: [-2, -1000] });
    // The chain-wide view is as it was: one line per SKU, the books beside it.
    expect(await chainItem(x)).toEqual({
      sku: x,
      currency: 'EUR',
      quantity: 11,
      value: 5500,
      averageUnitCost: 500,
    });

    // 100 over three single units: the cent that is left goes to the first location, and they add up.
    const y = await product();
    await receive(y, a, 1, 100);
    await receive(y, b, 1, 0);
    await receive(y, w, 1, 0);
    await valueStock();
    const split = await skuAt(y, w, a, b);
    const first = [w, a, b].sort()[0]!;
    expect(Object.values(split).map((held) => held![1])).toEqual(
      [w, a, b].map((location) => (location === first ? 34 : 33)),
    );
    expect((await chainItem(y)).value).toBe(100);

    const bView = await atLocation(b);
    expect(bView).toMatchObject({ locationId: b, currency: null, next: null });
    expect(bView.currencies).toEqual([
      { currency: 'EUR', skus: 2, quantity: -1, value: -1000 + split[b]![1] },
    ]);

    const eur = await summary();
    const mine = (eur.locations as any[]).filter((location) => [w, a, b].includes(location.locationId));
    expect(mine).toEqual(
      [
        { locationId: w, skus: 2, quantity: 7, value: 3000 + split[w]![1] },
        { locationId: a, skus: 2, quantity: 8, value: 3500 + split[a]![1] },
        { locationId: b, skus: 2, quantity: -1, value: -1000 + split[b]![1] },
      ].sort((one, other) => (one.locationId < other.locationId ? -1 : 1)),
    );
    expect(eur).toMatchObject({ reconciled: true, value: eur.books, quantity: eur.chain.quantity });
    expect(eur.chain.value).toBe(eur.books);
    const trial = await ok('GET', '/finance/trial-balance');
    const inventory = trial.currencies[0].accounts.find((account: any) => account.code === '1300');
    expect(inventory.balance).toBe(eur.value);
    const chain = await ok('GET', '/finance/inventory-valuation?currency=EUR&limit=1');
    expect(chain.locationId).toBeNull();
    expect(chain.currencies[0]).toMatchObject({ value: eur.value, books: eur.books, reconciled: true });
  });

  it('pages a location’s SKUs by SKU, with the totals of all of them on every page', async () => {
    const location = await place('store');
    const skus = [await product(), await product(), await product()].sort();
    for (const sku of skus) await receive(sku, location, 2, 150);
    await valueStock();
    const first = await ok('GET', `/finance/inventory-valuation?locationId=${location}&currency=EUR&limit=2`);
    expect(first.items.map((item: any) => item.sku)).toEqual(skus.slice(0, 2));
    expect(first.next).toBe(skus[1]);
    const totals = [{ currency: 'EUR', skus: 3, quantity: 6, value: 900 }];
    expect(first.currencies).toEqual(totals);
    const second = await ok(
      'GET',
      `/finance/inventory-valuation?locationId=${location}&currency=EUR&limit=2&after=${first.next}`,
    );
    expect(second).toMatchObject({ currency: 'EUR', next: null, currencies: totals });
    expect(second.items).toEqual([
      { sku: skus[2], currency: 'EUR', quantity: 2, value: 300, averageUnitCost: 150 },
    ]);
    const dollars = await ok('GET', `/finance/inventory-valuation?locationId=${location}&currency=USD`);
    expect(dollars).toMatchObject({ items: [], next: null, currencies: [] });
  });

  it('answers 404 for a location nobody created and 400 for a query it cannot read', async () => {
    const unknown = await call('GET', `/finance/inventory-valuation?locationId=${uniqueName('NOWHERE')}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('location_not_found');
    for (const query of [
      'locationId=%20',
      'locationId=W1&limit=0',
      'locationId=W1&after=%20',
      'locationId=W1&currency=eur',
    ])
      expect((await call('GET', `/finance/inventory-valuation?${query}`)).body.code, query).toBe(
        'validation_failed',
      );
    for (const query of ['currency=eur', 'locationId=W1', 'limit=5']) {
      const refused = await call('GET', `/finance/inventory-valuation/locations?${query}`);
      expect([refused.status, refused.body.code], query).toEqual([400, 'validation_failed']);
    }
  });
});
