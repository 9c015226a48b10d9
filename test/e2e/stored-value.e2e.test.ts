import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { hubEvents, seedShop, type Shop } from '../support/fixtures.js';
import { issueGiftCard } from '../support/pos.js';

/**
 * Gift cards across the whole platform: concurrent redemptions never overdraw a card (scale-out: against two
 * POS instances at once), and an offline sale that overdrew it is recorded with an exception, not refused.
 */
describe.each(ENGINES)('gift cards and store credit (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: Shop;
  const terminalId = uniqueName('till');

  const sell = (number: string, amount: number, expiresAt?: string) =>
    issueGiftCard(platform, {
      storeId: shop.storeId,
      terminalId,
      number,
      amount,
      ...(expiresAt ? { expiresAt } : {}),
    });
  const redeem = (number: string, amount: number) =>
    platform.request('POST', `/pos/v1/stored-value/${number}/redemptions`, {
      id: uuidv7(),
      amount,
      currency: 'EUR',
      storeId: shop.storeId,
      terminalId,
    });
  const balance = async (number: string) =>
    (await platform.request('GET', `/pos/v1/stored-value/${number}`)).body.balance;

  beforeAll(async () => {
    platform = await startPlatform(engine, {
      instances: { pos: 2 },
      // Sweeps often, so a card sold to expire in a second lapses within the test.
      env: { TILLSTREAM_STORED_VALUE_SWEEP_INTERVAL_MS: '200' },
    });
    shop = await seedShop(platform, { skuCount: 1, stock: 50, price: 1000 });
    // Scale-out starts every service and two POS instances: slow on a loaded machine.
  }, 120_000);
  afterAll(async () => platform?.stop());

  it('lets exactly 10 of 20 concurrent redemptions of 10 through against a balance of 100', async () => {
    const number = uniqueName('GC');
    expect((await sell(number, 100)).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 20 }, () => redeem(number, 10)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(10);
    expect(answers.filter((answer) => answer.body.code === 'insufficient_balance')).toHaveLength(10);
    expect(await balance(number)).toBe(0);
    const { body } = await platform.request('GET', `/pos/v1/stored-value/${number}/movements`);
    expect(
      body.movements.reduce((sum: number, movement: { amount: number }) => sum + movement.amount, 0),
    ).toBe(0);
    await eventually(
      async () =>
        (await hubEvents(platform, 'pos.stored_value.redeemed')).filter(
          (event) => event.data.number === number,
        ).length === 10,
      20_000,
      'the hub has the 10 redemptions',
    );
  });

  it.each([
    ['a negative amount', '/pos/v1/stored-value/GC-1/redemptions', { amount: -10 }, 400, 'validation_failed'],
    [
      'a card number with a slash in it',
      '/pos/v1/stored-value/GC%2F1/redemptions',
      {},
      400,
      'validation_failed',
    ],
    [
      'a redemption id that is not a uuid',
      '/pos/v1/stored-value/redemptions/nope/cancel',
      undefined,
      400,
      'validation_failed',
    ],
    [
      'a redemption nobody made',
      `/pos/v1/stored-value/redemptions/${uuidv7()}/cancel`,
      undefined,
      404,
      'stored_value_redemption_not_found',
    ],
  ] as const)('answers %s with a problem, never a 500', async (_name, path, change, status, code) => {
    const body =
      change === undefined
        ? undefined
        : { id: uuidv7(), amount: 10, currency: 'EUR', storeId: shop.storeId, terminalId, ...change };
    const response = await platform.request('POST', path, body);
    expect(response).toMatchObject({ status, body: { code } });
  });

  it('records an offline sale that spent more than the card held, and raises the shortfall', async () => {
    const number = uniqueName('GC');
    await sell(number, 300);
    const sale = {
      type: 'sale',
      id: uuidv7(),
      storeId: shop.storeId,
      terminalId,
      occurredAt: new Date().toISOString(),
      currency: 'EUR',
      lines: [{ sku: shop.skus[0]!, quantity: 1, unitPrice: 1000 }],
      payments: [
        { method: 'gift_card', amount: 800, reference: number },
        { method: 'cash', amount: 200 },
      ],
    };
    await eventually(
      async () => (await platform.request('GET', '/pos/v1/catalog')).body.products?.length >= 1,
      20_000,
      'POS knows the product',
    );
    const synced = await platform.request('POST', '/pos/v1/sync', { terminalId, transactions: [sale] });
    expect(synced.body.results).toMatchObject([{ status: 'accepted' }]);
    expect(await balance(number)).toBe(0);
    const { body } = await platform.request('GET', `/pos/v1/stored-value/exceptions?number=${number}`);
    expect(body.exceptions).toMatchObject([{ saleId: sale.id, covered: 300, shortfall: 500 }]);
  });

  it('lapses the value left on a card at its expiry, and ERP books it as breakage at the store', async () => {
    const number = uniqueName('GC');
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    expect((await sell(number, 2500, expiresAt)).status).toBe(201);
    expect((await redeem(number, 500)).status).toBe(201);
    await eventually(async () => (await balance(number)) === 0, 20_000, 'the card lapses');
    expect(await redeem(number, 1)).toMatchObject({ status: 422, body: { code: 'stored_value_expired' } });
    const entry = await eventually(
      async () => {
        const { body } = await platform.request(
          'GET',
          `/erp/v1/finance/journal?kind=stored_value_expired&locationId=${shop.storeId}`,
        );
        return body.entries?.find((candidate: { sourceId: string }) => candidate.sourceId.startsWith(number));
      },
      20_000,
      'ERP books the breakage',
    );
    // The hold no sale claimed stays debited (it has not expired yet): 2,000 lapsed.
    expect(entry.lines).toEqual([
      { account: '2200', debit: 2000, credit: 0 },
      { account: '4900', debit: 0, credit: 2000 },
    ]);
  });
});
