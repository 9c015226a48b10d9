import { describe, expect, it } from 'vitest';
import { harnessDialects } from '@tillstream/kernel/testing';
import { pgUrl, replenishmentRig } from './replenishment.rig.js';

const RAISE = '/replenishment/purchase-orders';

describe.each(harnessDialects(pgUrl))('ERP raises replenishment drafts on a real %s database', (dialect) => {
  const { call, ok, product, policy, suggestion, purchaseOrder, location, erpOf } = replenishmentRig(dialect);
  const zenith = { id: 'zenith', name: 'Zenith Supply' };
  const drafts = async (locationId: string) =>
    (await ok('GET', `/purchase-orders?locationId=${locationId}&status=draft&limit=100`)).purchaseOrders;

  it('drafts one order per supplier at the last cost, lists SKUs with no supplier, and drafts nothing twice', async () => {
    const here = await location();
    const [a, b, c, orphan] = [await product(), await product(), await product(), await product()];
    // History: each order is 1 unit, so it leaves the suggestions (reorder at 50, up to 100, packs of 10) at 100.
    await purchaseOrder(here, [{ sku: a, quantity: 1, unitCost: 400 }]);
    // Newer but for another location: the location's own supplier comes first.
    await purchaseOrder('W1', [{ sku: a, quantity: 1, unitCost: 380 }], true, zenith);
    // Only ever bought for another location: its supplier and cost are taken.
    await purchaseOrder('W1', [{ sku: b, quantity: 1, unitCost: 250 }], true, zenith);
    await purchaseOrder(here, [{ sku: c, quantity: 1, unitCost: 120 }]);
    // Newer, but cancelled or never placed: neither is a supplier's price.
    const cancelled = await purchaseOrder(here, [{ sku: c, quantity: 1, unitCost: 99 }], true, zenith);
    await ok('POST', `/purchase-orders/${cancelled}/cancel`);
    await purchaseOrder('W1', [{ sku: c, quantity: 1, unitCost: 98 }], false, zenith);
    for (const sku of [a, b, c, orphan])
      await policy(sku, here, { reorderPoint: 50, orderUpTo: 100, packSize: 10 });
    const [dueA, dueB, dueC, dueOrphan] = [
      await suggestion(a, here),
      await suggestion(b, here),
      await suggestion(c, here),
      await suggestion(orphan, here),
    ];
    expect([dueA.suggested, dueB.suggested, dueC.suggested, dueOrphan.suggested]).toEqual([
      100, 100, 100, 100,
    ]);
    const eventsBefore = (await erpOf().published()).length;

    const first = await call('POST', RAISE, { locationId: here });
    expect(first.status).toBe(201);
    const unassigned = [{ sku: orphan, locationId: here, suggested: 100, reason: 'no_previous_order' }];
    expect(first.body).toMatchObject({
      created: [
        {
          supplier: { id: 'acme' },
          locationId: here,
          currency: 'EUR',
          status: 'draft',
          version: 0,
          lines: [
            { sku: a, quantity: 100, unitCost: 400, received: 0 },
            { sku: c, quantity: 100, unitCost: 120, received: 0 },
          ].sort((x, y) => (x.sku < y.sku ? -1 : 1)),
          total: 100 * 400 + 100 * 120,
        },
        {
          supplier: zenith,
          locationId: here,
          currency: 'EUR',
          status: 'draft',
          lines: [{ sku: b, quantity: 100, unitCost: 250 }],
          total: 100 * 250,
        },
      ],
      unassigned,
    });
    expect(first.body.created).toHaveLength(2);
    // Ordinary purchase orders, and drafts publish nothing until they are submitted.
    const ids = first.body.created.map((draft: any) => draft.id);
    expect((await drafts(here)).map((draft: any) => draft.id).sort()).toEqual([...ids].sort());
    expect(await ok('GET', `/purchase-orders/${ids[0]}`)).toEqual(first.body.created[0]);
    expect((await erpOf().published()).length).toBe(eventsBefore);
    // Still suggested (a draft is not on order), with the draft shown beside it.
    expect(await suggestion(a, here)).toMatchObject({ onOrder: 1, drafted: 100, suggested: 100 });

    expect(await call('POST', RAISE, { locationId: here })).toEqual({
      status: 200,
      body: { created: [], unassigned },
    });

    // Submitted, the acme draft is on order; cancelled, zenith's draft covers nothing any more.
    await ok('POST', `/purchase-orders/${ids[0]}/submit`);
    await ok('POST', `/purchase-orders/${ids[1]}/cancel`);
    const third = await call('POST', RAISE, { locationId: here });
    expect(third).toMatchObject({
      status: 201,
      body: {
        created: [{ supplier: zenith, lines: [{ sku: b, quantity: 100, unitCost: 250 }] }],
        unassigned,
      },
    });
    expect(third.body.created).toHaveLength(1);
  });

  it("orders only what a buyer's own draft does not cover, in whole packs", async () => {
    const here = await location();
    const sku = await product();
    await purchaseOrder(here, [{ sku, quantity: 1, unitCost: 300 }]);
    await policy(sku, here, { reorderPoint: 10, orderUpTo: 31, packSize: 6 });
    await purchaseOrder(here, [{ sku, quantity: 6, unitCost: 300 }], false);
    expect(await suggestion(sku, here)).toMatchObject({ position: 1, drafted: 6, suggested: 30 });

    const raised = await call('POST', RAISE, { locationId: here });
    // With the draft as if on order, the position is 7, at most the reorder point: 31 − 7 = 24, four packs.
    expect(raised).toMatchObject({ status: 201, body: { created: [{ lines: [{ sku, quantity: 24 }] }] } });
  });

  it('raises for every location when the body is empty or names none', async () => {
    const [one, two] = [await location(), await location()];
    const sku = await product();
    await purchaseOrder('W1', [{ sku, quantity: 1, unitCost: 500 }]);
    await policy(sku, one, { reorderPoint: 1, orderUpTo: 4 });
    await policy(sku, two, { reorderPoint: 1, orderUpTo: 5 });

    const raised = await call('POST', RAISE);
    expect(raised.status).toBe(201);
    const mine = raised.body.created.filter((draft: any) => [one, two].includes(draft.locationId));
    expect(mine).toMatchObject([
      { locationId: one, lines: [{ sku, quantity: 4, unitCost: 500 }] },
      { locationId: two, lines: [{ sku, quantity: 5, unitCost: 500 }] },
    ]);
    expect(await call('POST', RAISE, {})).toMatchObject({ status: 200, body: { created: [] } });
  });

  it('drafts one set when several raises arrive at once', async () => {
    const here = await location();
    const skus = [await product(), await product(), await product()];
    await purchaseOrder('W1', [{ sku: skus[0]!, quantity: 1, unitCost: 100 }]);
    await purchaseOrder('W1', [{ sku: skus[1]!, quantity: 1, unitCost: 100 }], true, zenith);
    await purchaseOrder('W1', [{ sku: skus[2]!, quantity: 1, unitCost: 100 }], true, zenith);
    for (const sku of skus) await policy(sku, here, { reorderPoint: 2, orderUpTo: 9 });

    // Enough at once that, without the lock, PostgreSQL lets two read before either commits.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call('POST', RAISE, { locationId: here })),
    );
    const raised = answers.filter((answer) => answer.status === 201);
    expect(raised).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(19);
    expect(raised[0]!.body.created).toHaveLength(2);
    const open = await drafts(here);
    expect(open).toHaveLength(2);
    expect(
      open.flatMap((draft: any) => draft.lines).reduce((sum: number, line: any) => sum + line.quantity, 0),
    ).toBe(27);
  });

  it('lets only a key with erp:write raise drafts', async () => {
    const erp = erpOf();
    const reader = (await erp.apiKeys.create({ name: 'reader', scopes: ['erp:read'] })).secret;
    const response = await erp.app.inject({
      method: 'POST',
      url: `/erp/v1${RAISE}`,
      headers: { authorization: `Bearer ${reader}` },
      payload: {},
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'insufficient_scope', requiredScope: 'erp:write' });
  });
});
