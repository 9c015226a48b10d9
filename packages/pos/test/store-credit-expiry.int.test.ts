import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { announceLocation, announceProduct, pgUrl, posApi, startPos } from './pos-rig.js';

const DAY = 86_400_000;
const VALIDITY_DAYS = 90;

/**
 * Store credit a return refunds onto is valid for the days the chain sets, counted again from each later
 * refund onto it; the value left when it passes lapses like a gift card's, on either engine.
 */
describe.each(harnessDialects(pgUrl))('POS store credit validity on %s', (dialect) => {
  let pos: ContextHarness;
  const call = posApi(() => pos);
  const terminalId = `SCV-${dialect}`;
  const inDays = (days: number) => new Date(pos.clock.now().getTime() + days * DAY).toISOString();
  const account = async (number: string) => (await call('GET', `/stored-value/${number}`)).body;
  /** A return without a receipt of one item, refunded in store credit (onto `reference` when given). */
  const returnToCredit = (amount: number, reference?: string) =>
    call('POST', '/returns', {
      id: uuidv7(),
      storeId: 'S1',
      terminalId,
      occurredAt: pos.clock.now().toISOString(),
      currency: 'EUR',
      lines: [{ sku: 'A', quantity: 1, disposition: 'restock', unitPrice: amount }],
      refunds: [{ method: 'store_credit', amount, ...(reference ? { reference } : {}) }],
    });
  const published = async (type: string, number: string) =>
    (await pos.published())
      .filter((event) => event.type === type && event.subject === `stored-value/${number}`)
      .map((event) => event.data as { expiresAt?: string; amount: number });

  beforeAll(async () => {
    pos = await startPos(dialect, { storeCreditValidityDays: VALIDITY_DAYS, storedValueSweepIntervalMs: 20 });
    await announceLocation(pos, 'S1');
    await announceProduct(pos, 'A', 800);
    await pos.module.start?.();
  });
  afterAll(async () => {
    await pos?.module.stop?.();
    await pos?.close();
  });

  it('keeps credit valid from each refund onto it, then lapses what is left and refuses it', async () => {
    const first = await returnToCredit(800);
    expect(first.status).toBe(201);
    const number = first.body.refunds[0].reference as string;
    const firstExpiry = inDays(VALIDITY_DAYS);
    expect(await account(number)).toMatchObject({
      kind: 'store_credit',
      balance: 800,
      expiresAt: firstExpiry,
    });

    // A month later another return goes onto the same credit: valid 90 days from then.
    pos.clock.advance(30 * DAY);
    expect((await returnToCredit(500, number)).status).toBe(201);
    const secondExpiry = inDays(VALIDITY_DAYS);
    expect(await account(number)).toMatchObject({ balance: 1300, expiresAt: secondExpiry });
    expect((await published('pos.stored_value.issued', number)).map((data) => data.expiresAt)).toEqual([
      firstExpiry,
      secondExpiry,
    ]);

    // Past the first expiry it still holds its value; past the second it lapses to breakage.
    pos.clock.advance((VALIDITY_DAYS - 1) * DAY);
    await new Promise((done) => setTimeout(done, 100));
    expect((await account(number)).balance).toBe(1300);
    pos.clock.advance(DAY);
    for (let attempt = 0; attempt < 250; attempt++) {
      if ((await published('pos.stored_value.expired', number)).length > 0) break;
      await new Promise((done) => setTimeout(done, 20));
    }
    expect(await published('pos.stored_value.expired', number)).toEqual([
      expect.objectContaining({ amount: 1300, balance: 0, kind: 'store_credit', expiresAt: secondExpiry }),
    ]);
    expect(await returnToCredit(100, number)).toMatchObject({
      status: 422,
      body: { code: 'stored_value_expired', expiresAt: secondExpiry },
    });
  });
});
