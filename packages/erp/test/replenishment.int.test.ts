import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { pgUrl, replenishmentRig } from './replenishment.rig.js';

describe.each(harnessDialects(pgUrl))('ERP replenishment on a real %s database', (dialect) => {
  const { call, ok, product, receive, policy, suggestion, storeSale, purchaseOrder } =
    replenishmentRig(dialect);

  it('sets, lists and removes a reorder policy; the same PUT keeps its version', async () => {
    const sku = await product();
    const url = `/inventory/${sku}/reorder-policies/S1`;
    const first = await call('PUT', url, { reorderPoint: 4, orderUpTo: 12 });
    expect(first).toMatchObject({ status: 201, body: { sku, locationId: 'S1', packSize: 1, version: 1 } });
    expect(await call('PUT', url, { reorderPoint: 4, orderUpTo: 12, packSize: 1 })).toEqual({
      status: 200,
      body: first.body,
    });
    expect(await call('PUT', url, { reorderPoint: 4, orderUpTo: 12, packSize: 6 })).toMatchObject({
      status: 200,
      body: { packSize: 6, version: 2 },
    });
    await policy(sku, 'W1', { reorderPoint: 0, orderUpTo: 50 });
    expect(await ok('GET', `/inventory/${sku}/reorder-policies`)).toEqual({
      sku,
      policies: [
        { sku, locationId: 'S1', reorderPoint: 4, orderUpTo: 12, packSize: 6, version: 2 },
        { sku, locationId: 'W1', reorderPoint: 0, orderUpTo: 50, packSize: 1, version: 1 },
      ],
    });

    expect(await call('DELETE', url)).toEqual({ status: 204, body: null });
    expect(await call('DELETE', url)).toMatchObject({
      status: 404,
      body: { code: 'reorder_policy_not_found' },
    });
    expect((await ok('GET', `/inventory/${sku}/reorder-policies`)).policies).toHaveLength(1);
    expect(await call('GET', '/inventory/NO-SUCH-SKU/reorder-policies')).toMatchObject({
      status: 404,
      body: { code: 'product_not_found' },
    });
  });

  it('creates a policy once when the same first PUT arrives many times at once', async () => {
    const sku = await product();
    const url = `/inventory/${sku}/reorder-policies/S2`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call('PUT', url, { reorderPoint: 2, orderUpTo: 8 })),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(19);
    expect(new Set(answers.map((answer) => answer.body.version))).toEqual(new Set([1]));
  });

  it('suggests once store sales take the position to the reorder point, in whole packs, below zero too', async () => {
    const sku = await product();
    await receive(sku, 'S1', 12);
    await policy(sku, 'S1', { reorderPoint: 10, orderUpTo: 30, packSize: 6 });
    expect(await suggestion(sku, 'S1')).toBeUndefined();

    await storeSale(sku, 'S1', 2);
    expect(await suggestion(sku, 'S1')).toMatchObject({ onHand: 10, position: 10, suggested: 24 });

    await storeSale(sku, 'S1', 13);
    expect(await suggestion(sku, 'S1')).toEqual({
      sku,
      locationId: 'S1',
      policy: { reorderPoint: 10, orderUpTo: 30, packSize: 6, version: 1 },
      onHand: -3,
      inTransit: 0,
      onOrder: 0,
      reserved: 0,
      backordered: 0,
      drafted: 0,
      position: -3,
      suggested: 36,
      unitCost: null,
      lastPurchaseOrderId: null,
    });
    // Nothing is suggested where the SKU has no policy.
    expect(await suggestion(sku, 'S2')).toBeUndefined();
  });

  it("counts a submitted purchase order for the location as on order, not a draft and not another location's", async () => {
    const sku = await product();
    await policy(sku, 'W1', { reorderPoint: 5, orderUpTo: 20 });
    expect(await suggestion(sku, 'W1')).toMatchObject({ position: 0, suggested: 20, unitCost: null });

    await purchaseOrder('W1', [{ sku, quantity: 20, unitCost: 400 }], false);
    const elsewhere = await purchaseOrder('S2', [{ sku, quantity: 50, unitCost: 450 }]);
    expect(await suggestion(sku, 'W1')).toMatchObject({
      onOrder: 0,
      drafted: 20,
      suggested: 20,
      // The latest order placed for the SKU, wherever it goes; the draft is no price yet.
      unitCost: { amount: 450, currency: 'EUR' },
      lastPurchaseOrderId: elsewhere,
    });

    const small = await purchaseOrder('W1', [{ sku, quantity: 5, unitCost: 430 }]);
    expect(await suggestion(sku, 'W1')).toMatchObject({
      onOrder: 5,
      position: 5,
      suggested: 15,
      unitCost: { amount: 430, currency: 'EUR' },
      lastPurchaseOrderId: small,
    });
    await purchaseOrder('W1', [{ sku, quantity: 1, unitCost: 430 }]);
    expect(await suggestion(sku, 'W1')).toBeUndefined();
    expect(await ok('GET', `/inventory/${sku}`)).toMatchObject({ totals: { onOrder: 56 } });

    // A receipt moves units from on order to on hand: the position stays where it was.
    await ok('POST', `/purchase-orders/${small}/receipts`, {
      id: uniqueName('rcpt'),
      lines: [{ sku, quantity: 5 }],
    });
    expect(await suggestion(sku, 'W1')).toBeUndefined();
  });

  it('counts a transfer shipped to the location, from the moment it ships', async () => {
    const sku = await product();
    await receive(sku, 'W1', 30);
    await policy(sku, 'S1', { reorderPoint: 10, orderUpTo: 20 });
    expect(await suggestion(sku, 'S1')).toMatchObject({ position: 0, suggested: 20 });
    const id = uniqueName('tr');
    await ok('POST', '/transfers', {
      id,
      sourceId: 'W1',
      destinationId: 'S1',
      lines: [{ sku, quantity: 12 }],
    });
    expect(await suggestion(sku, 'S1')).toMatchObject({ inTransit: 0 });

    await ok('POST', `/transfers/${id}/ship`);
    expect(await suggestion(sku, 'S1')).toBeUndefined();
    await ok('POST', `/transfers/${id}/receipts`, {
      id: uniqueName('tr-rcpt'),
      lines: [{ sku, quantity: 3 }],
    });
    await storeSale(sku, 'S1', 2);
    expect(await suggestion(sku, 'S1')).toMatchObject({
      onHand: 1,
      inTransit: 9,
      position: 10,
      suggested: 10,
    });
  });

  it('takes out held units and open backorders waiting at the location', async () => {
    const sku = await product({ backorderable: true });
    await receive(sku, 'W1', 4);
    await policy(sku, 'W1', { reorderPoint: 2, orderUpTo: 10 });
    expect(await suggestion(sku, 'W1')).toBeUndefined();
    await ok('POST', '/reservations', {
      id: uniqueName('r'),
      channel: 'web',
      lines: [{ sku, quantity: 7, locationId: 'W1' }],
      expiresInSeconds: 600,
    });
    expect(await suggestion(sku, 'W1')).toMatchObject({
      onHand: 4,
      reserved: 4,
      backordered: 3,
      position: -3,
      suggested: 13,
    });
  });

  it('pages in location and SKU order, going on past a suggestion that went away', async () => {
    const location = uniqueName('LOC');
    await ok('PUT', `/locations/${location}`, { name: location, kind: 'store' });
    const skus: string[] = [];
    for (let index = 0; index < 5; index += 1) skus.push(await product());
    skus.sort();
    for (const sku of skus) await policy(sku, location, { reorderPoint: 1, orderUpTo: 2 });
    await receive(skus[3]!, location, 5);

    const first = await ok('GET', `/replenishment?locationId=${location}&limit=2`);
    expect(first.items.map((item: any) => item.sku)).toEqual([skus[0], skus[1]]);
    expect(first.next).toBe(`${location}/${skus[1]}`);
    await call('DELETE', `/inventory/${skus[1]}/reorder-policies/${location}`);
    const second = await ok('GET', `/replenishment?locationId=${location}&limit=2&after=${first.next}`);
    expect(second.items.map((item: any) => item.sku)).toEqual([skus[2], skus[4]]);
    expect(second.next).toBeNull();

    const all = await ok('GET', `/replenishment?limit=500&after=${location}/${skus[0]}`);
    expect(all.items.every((item: any) => `${item.locationId}/${item.sku}` > `${location}/${skus[0]}`)).toBe(
      true,
    );
  });

  it('suggests nothing for a SKU made a kit or archived after its policy was set', async () => {
    const component = await product();
    const [becomesKit, archived] = [await product(), await product()];
    await policy(becomesKit, 'S2', { reorderPoint: 1, orderUpTo: 3 });
    await policy(archived, 'S2', { reorderPoint: 1, orderUpTo: 3 });
    expect(await suggestion(becomesKit, 'S2')).toBeDefined();
    expect(await suggestion(archived, 'S2')).toBeDefined();

    await ok('PUT', `/products/${becomesKit}`, {
      name: 'kit',
      price: { amount: 900, currency: 'EUR' },
      kind: 'kit',
      components: [{ sku: component, quantity: 2 }],
    });
    await ok('PUT', `/products/${archived}`, {
      name: archived,
      price: { amount: 900, currency: 'EUR' },
      status: 'archived',
    });
    expect(await suggestion(becomesKit, 'S2')).toBeUndefined();
    expect(await suggestion(archived, 'S2')).toBeUndefined();
  });
});
