import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { announceLocation, announceProduct, pgUrl, posApi, startPos, storedValueCalls } from './pos-rig.js';

const HOLD_SECONDS = 60;

describe.each(harnessDialects(pgUrl))('POS gift card holds expire on %s', (dialect) => {
  let pos: ContextHarness;
  const call = posApi(() => pos);
  const terminalId = `EXP-${dialect}`;
  let cards = 0;
  const newNumber = () => `GCX-${(cards += 1)}`;

  const { issue, redeem, movements } = storedValueCalls(call, terminalId);
  const sale = (
    payments: { method: string; amount: number; reference?: string; redemptionId?: string }[],
  ) => ({
    type: 'sale',
    id: uuidv7(),
    storeId: 'S1',
    terminalId,
    occurredAt: '2026-11-01T10:00:00Z',
    currency: 'EUR',
    lines: [{ sku: 'A', quantity: 1, unitPrice: payments.reduce((sum, payment) => sum + payment.amount, 0) }],
    payments,
  });
  const sync = async (transaction: object) =>
    (await call('POST', '/sync', { terminalId, transactions: [transaction] })).body.results;
  const balance = async (number: string) => (await call('GET', `/stored-value/${number}`)).body.balance;
  const ledgerSum = async (number: string) =>
    (await movements(number)).reduce((sum, movement) => sum + movement.amount, 0);
  /** Waits until the sweeper has given back every hold that is due (its ledger shows the `expired` credit). */
  const swept = async (number: string, redemptionId: string) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      if ((await movements(number)).some((m) => m.kind === 'expired' && m.reference.endsWith(redemptionId)))
        return;
      await new Promise((done) => setTimeout(done, 20));
    }
    throw new Error(`Redemption ${redemptionId} was never swept`);
  };

  beforeAll(async () => {
    pos = await startPos(dialect, { storedValueHoldSeconds: HOLD_SECONDS, storedValueSweepIntervalMs: 20 });
    await announceLocation(pos, 'S1');
    await announceProduct(pos, 'A', 500);
    await pos.module.start?.();
  });
  afterAll(async () => {
    await pos?.module.stop?.();
    await pos?.close();
  });

  it('gives a hold stranded by a crashed till back to its card once it expires, with the cancellation event', async () => {
    const number = newNumber();
    await issue(number, 5000);
    const held = await redeem(number, 3000);
    expect(held).toMatchObject({ status: 201, body: { status: 'held' } });
    expect(Date.parse(held.body.expiresAt) - pos.clock.now().getTime()).toBe(HOLD_SECONDS * 1000);
    pos.clock.advance((HOLD_SECONDS - 1) * 1000);
    await new Promise((done) => setTimeout(done, 100));
    expect(await balance(number)).toBe(2000);

    pos.clock.advance(1000);
    await swept(number, held.body.id);
    expect(await balance(number)).toBe(5000);
    expect(await ledgerSum(number)).toBe(5000);
    expect((await movements(number)).map((movement) => [movement.kind, movement.amount])).toEqual([
      ['issued', 5000],
      ['redeemed', -3000],
      ['expired', 3000],
    ]);
    expect(await call('POST', `/stored-value/redemptions/${held.body.id}/cancel`)).toMatchObject({
      status: 200,
      body: { status: 'expired', saleId: null },
    });
    expect(await balance(number)).toBe(5000);
    const given = (await pos.published()).filter(
      (event) =>
        event.type === 'pos.stored_value.redemption_cancelled' && event.subject === `stored-value/${number}`,
    );
    expect(given.map((event) => event.data)).toMatchObject([
      { redemptionId: held.body.id, amount: 3000, balance: 5000, reason: 'expired' },
    ]);
  });

  it('still takes a sale that names a hold after it expired, debiting the card as if rung offline', async () => {
    const number = newNumber();
    await issue(number, 5000);
    const held = await redeem(number, 3000);
    pos.clock.advance(HOLD_SECONDS * 1000);
    await swept(number, held.body.id);
    const late = sale([{ method: 'gift_card', amount: 3000, reference: number, redemptionId: held.body.id }]);
    expect(await sync(late)).toMatchObject([{ status: 'accepted' }]);
    expect(await sync(late)).toMatchObject([{ status: 'duplicate' }]);
    expect(await balance(number)).toBe(2000);
    expect(await ledgerSum(number)).toBe(2000);
    expect((await call('GET', `/stored-value/exceptions?number=${number}`)).body.exceptions).toEqual([]);
  });

  it('keeps the books whole when the value went elsewhere before the late sale arrived: the rest is a shortfall', async () => {
    const number = newNumber();
    await issue(number, 5000);
    const stranded = await redeem(number, 3000);
    pos.clock.advance(HOLD_SECONDS * 1000);
    await swept(number, stranded.body.id);
    // Back on the card, the value is spent at another till before the first till's sale comes in.
    const elsewhere = await redeem(number, 4000);
    expect(
      await sync(
        sale([{ method: 'gift_card', amount: 4000, reference: number, redemptionId: elsewhere.body.id }]),
      ),
    ).toMatchObject([{ status: 'accepted' }]);
    const late = sale([
      { method: 'gift_card', amount: 3000, reference: number, redemptionId: stranded.body.id },
      { method: 'cash', amount: 100 },
    ]);
    expect(await sync(late)).toMatchObject([{ status: 'accepted' }]);
    expect(await balance(number)).toBe(0);
    expect(await ledgerSum(number)).toBe(0);
    const { exceptions } = (await call('GET', `/stored-value/exceptions?number=${number}`)).body;
    expect(exceptions).toMatchObject([
      { saleId: late.id, reason: 'insufficient_balance', requested: 3000, covered: 1000, shortfall: 2000 },
    ]);
    // What ERP's journal owes the holder (2200) from the events it books: value sold, less what sales paid
    // with the card, plus the shortfalls it writes off. It must be the card's balance.
    const events = await pos.published();
    const sold = events
      .filter((event) => event.type === 'pos.stored_value.issued' && (event.data as any).number === number)
      .reduce((sum, event) => sum + (event.data as any).amount, 0);
    const spent = events
      .filter((event) => event.type === 'pos.sale.completed')
      .flatMap(
        (event) => (event.data as any).payments as { method: string; amount: number; reference?: string }[],
      )
      .filter((payment) => payment.method === 'gift_card' && payment.reference === number)
      .reduce((sum, payment) => sum + payment.amount, 0);
    const writtenOff = events
      .filter(
        (event) =>
          event.type === 'pos.stored_value.exception_raised' && (event.data as any).number === number,
      )
      .reduce((sum, event) => sum + (event.data as any).shortfall, 0);
    expect([sold, spent, writtenOff]).toEqual([5000, 7000, 2000]);
    expect(sold - spent + writtenOff).toBe(await balance(number));
  });

  it('leaves a hold a sale claimed in time alone, however late the sweep', async () => {
    const number = newNumber();
    await issue(number, 5000);
    const held = await redeem(number, 1500);
    const paid = sale([{ method: 'gift_card', amount: 1500, reference: number, redemptionId: held.body.id }]);
    expect(await sync(paid)).toMatchObject([{ status: 'accepted' }]);
    pos.clock.advance(10 * HOLD_SECONDS * 1000);
    // A later hold on the same card, due too: once it is swept, the sweep has passed the claimed one.
    const probe = await redeem(number, 100);
    pos.clock.advance(HOLD_SECONDS * 1000);
    await swept(number, probe.body.id);
    expect(await balance(number)).toBe(3500);
    expect(await ledgerSum(number)).toBe(3500);
    expect((await call('POST', `/stored-value/redemptions/${held.body.id}/cancel`)).body.code).toBe(
      'stored_value_redemption_claimed',
    );
  });
});
