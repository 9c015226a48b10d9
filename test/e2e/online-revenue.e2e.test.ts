import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { expectLedgerTrue, putLocation, putProduct, stockAt } from '../support/inventory.js';
import { fulfilmentsOf } from '../support/fulfilments.js';

interface Entry {
  kind: string;
  sourceId: string;
  lines: Array<{ account: string; debit: number; credit: number }>;
}

/**
 * Online revenue recognised when the goods ship, over the whole platform: a paid order sits in customer
 * deposits (2400) with its tax owed, each parcel ERP ships moves its share to revenue, and the period the goods
 * leave in shows the revenue beside the cost of the goods.
 */
describe.each(ENGINES)('online revenue at shipment (%s)', (engine) => {
  let platform: TestPlatform;
  const startedAt = new Date(Date.now() - 1_000).toISOString();

  const ok = async (method: 'POST' | 'PUT', path: string, body?: unknown) => {
    const response = await platform.request(method, path, body);
    if (response.status >= 300)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const erpOutput = () => platform.processes.get('erp')![0]!.output();
  /** The web channel's trial balance from the start of the test, as `{ account: balance }`. */
  const webBalances = async (to?: string) => {
    const period = `from=${encodeURIComponent(startedAt)}${to ? `&to=${encodeURIComponent(to)}` : ''}`;
    const { status, body } = await platform.request(
      'GET',
      `/erp/v1/finance/trial-balance?channel=web&${period}`,
    );
    expect(status).toBe(200);
    const [eur] = body.currencies;
    expect(eur?.balanced ?? true).toBe(true);
    const accounts: Array<{ code: string; balance: number }> = eur?.accounts ?? [];
    return Object.fromEntries(accounts.map((account) => [account.code, account.balance]));
  };
  const webMargin = async (period: string) => {
    const { status, body } = await platform.request(
      'GET',
      `/erp/v1/finance/gross-margin?channel=web&${period}`,
    );
    expect(status).toBe(200);
    return body.currencies[0]?.channels[0] ?? null;
  };
  const entry = (kind: string, sourceId: string) =>
    eventually(
      async () => {
        const { body } = await platform.request(
          'GET',
          `/erp/v1/finance/journal?kind=${kind}&sourceId=${encodeURIComponent(sourceId)}`,
        );
        return (body.entries?.[0] as Entry | undefined) ?? null;
      },
      30_000,
      () => `the journal has the ${kind} of ${sourceId}; ERP wrote:\n${erpOutput()}`,
    );

  beforeAll(async () => {
    platform = await startPlatform(engine);
  }, 120_000);
  afterAll(async () => platform?.stop());

  it('lists the customer deposits in the chart of accounts, as a liability', async () => {
    const { status, body } = await platform.request('GET', '/erp/v1/finance/accounts');
    expect(status).toBe(200);
    expect(body.accounts).toContainEqual({
      code: '2400',
      name: 'Customer deposits: online orders paid, not yet shipped',
      type: 'liability',
    });
  });

  it(
    'holds a paid order in deposits and recognises it parcel by parcel, beside its cost',
    { timeout: 120_000 },
    async () => {
      // Two warehouses with two units each at 4.00; the web shop sells from both, 10 % off, 10 % tax on top.
      const sku = await putProduct(platform);
      const warehouses = [await putLocation(platform, 'warehouse'), await putLocation(platform, 'warehouse')];
      await ok('PUT', '/erp/v1/channels/web', { locations: warehouses, safetyStock: 0 });
      for (const locationId of warehouses)
        await ok('POST', '/erp/v1/inventory/adjustments', {
          id: uniqueName('receipt'),
          sku,
          locationId,
          delta: 2,
          reason: 'received',
          unitCost: 400,
          occurredAt: new Date().toISOString(),
        });
      await ok('PUT', `/erp/v1/promotions/${uniqueName('web-10')}`, {
        name: 'Ten percent off online',
        priority: 0,
        stacking: 'stackable',
        channels: ['web'],
        target: { skus: [sku] },
        effect: { type: 'percent_off_lines', basisPoints: 1000 },
      });
      await ok('PUT', `/erp/v1/tax-rates/${uniqueName('sales-tax')}`, {
        name: 'Sales tax, added',
        taxCategory: 'standard',
        ratePpm: 100_000,
        inclusive: false,
      });

      // Three at 5.00, 1.50 off, 1.35 tax on the 13.50 left: 14.85 paid.
      const cart = await ok('POST', '/commerce/v1/carts', {});
      await eventually(
        async () =>
          (await platform.request('POST', `/commerce/v1/carts/${cart.id}/lines`, { sku, quantity: 3 }))
            .status === 200,
        30_000,
        'the storefront knows the product',
      );
      let quoted: unknown;
      await eventually(
        async () => {
          // Setting the line's quantity, not adding to it: this is asked again until the prices are in.
          const line = await platform.request('PUT', `/commerce/v1/carts/${cart.id}/lines/${sku}`, {
            quantity: 3,
          });
          quoted = line.body;
          return line.status === 200 && line.body.quote?.totals.total === 1485;
        },
        30_000,
        () => `the storefront sells three with the promotion and the tax; last: ${JSON.stringify(quoted)}`,
      );
      const order = await ok('POST', `/commerce/v1/carts/${cart.id}/checkout`, {
        email: 'shopper@example.com',
        payment: { method: 'test' },
      });

      // Paid, not shipped: the provider owes it, the tax is owed, the goods' 13.50 is the shopper's.
      const placed = await entry('online_order', order.id);
      expect(placed.lines).toEqual([
        { account: '1150', debit: 1485, credit: 0 },
        { account: '2100', debit: 0, credit: 135 },
        { account: '2400', debit: 0, credit: 1350 },
      ]);
      expect(await webBalances()).toEqual({ '1150': 1485, '2100': 135, '2400': 1350 });
      const beforeShipping = new Date().toISOString();

      const [first, second] = await fulfilmentsOf(platform, order.id, 2);
      const units = first!.lines[0]!.quantity;
      await ok('POST', `/erp/v1/fulfillments/${first!.id}/ship`);
      // The first parcel earns its units' share: 4.50 a unit, 5.00 gross less 0.50 discount.
      const parcel = await entry('online_shipment', `${order.id}/${first!.id}`);
      expect(parcel.lines).toEqual([
        { account: '2400', debit: 450 * units, credit: 0 },
        { account: '4000', debit: 0, credit: 500 * units },
        { account: '4050', debit: 50 * units, credit: 0 },
      ]);
      expect(await webBalances()).toMatchObject({
        '2400': 1350 - 450 * units,
        '4000': 500 * units,
        '4050': 50 * units,
      });

      // Its units left stock as it shipped, so their cost is booked beside its revenue, in its period.
      expect(await stockAt(platform, sku, first!.locationId)).toMatchObject({
        onHand: 2 - units,
        reserved: 0,
      });
      await expectLedgerTrue(platform);
      await eventually(
        async () => ((await webBalances())['5000'] === 400 * units ? true : null),
        30_000,
        () => `the first parcel's cost is booked; ERP wrote:\n${erpOutput()}`,
      );
      const betweenParcels = new Date().toISOString();
      expect(
        await webMargin(
          `from=${encodeURIComponent(beforeShipping)}&to=${encodeURIComponent(betweenParcels)}`,
        ),
      ).toEqual({
        channel: 'web',
        netSales: 450 * units,
        costOfSales: 400 * units,
        grossMargin: 50 * units,
        marginBasisPoints: 1111,
      });

      await ok('POST', `/erp/v1/fulfillments/${second!.id}/ship`);
      await entry('online_shipment', `${order.id}/${second!.id}`);
      // The order's last parcel commits the rest of its hold: its goods' cost is booked under web too.
      const balances = await eventually(
        async () => {
          const now = await webBalances();
          return now['5000'] === 1200 ? now : null;
        },
        30_000,
        () => `the cost of the order's goods is booked; ERP wrote:\n${erpOutput()}`,
      );
      expect(balances).toEqual({
        '1150': 1485,
        '1300': -1200,
        '2100': 135,
        '2400': 0,
        '4000': 1500,
        '4050': 150,
        '5000': 1200,
      });

      // The period the order was paid in has no online revenue; the one its goods left in has it with its cost.
      expect(
        await webMargin(`from=${encodeURIComponent(startedAt)}&to=${encodeURIComponent(beforeShipping)}`),
      ).toBeNull();
      expect(await webMargin(`from=${encodeURIComponent(beforeShipping)}`)).toEqual({
        channel: 'web',
        netSales: 1350,
        costOfSales: 1200,
        grossMargin: 150,
        marginBasisPoints: 1111,
      });
      expect(await webMargin(`from=${encodeURIComponent(betweenParcels)}`)).toMatchObject({
        netSales: 450 * (3 - units),
        costOfSales: 400 * (3 - units),
      });
      // The tax is reported when paid, and the accounts agree with it.
      const { body: tax } = await platform.request(
        'GET',
        `/erp/v1/finance/tax-summary?channel=web&from=${encodeURIComponent(startedAt)}`,
      );
      expect(tax.currencies[0]).toMatchObject({ net: 1350, tax: 135, reconciled: true });
    },
  );
});
