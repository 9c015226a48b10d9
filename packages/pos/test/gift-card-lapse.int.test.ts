import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { announceLocation, announceProduct, pgUrl, posApi, startPos, storedValueCalls } from './pos-rig.js';

const DAY = 86_400_000;

/**
 * Gift cards sold with an expiry: spendable until then, and the value left lapses once it passes (the books take
 * it as breakage), on either engine, by the same sweeper that gives back stranded holds.
 */
describe.each(harnessDialects(pgUrl))('POS gift card expiry on %s', (dialect) => {
  let pos: ContextHarness;
  const call = posApi(() => pos);
  const terminalId = `LAPSE-${dialect}`;
  let cards = 0;
  const newNumber = () => `GCL-${(cards += 1)}`;
  const inDays = (days: number) => new Date(pos.clock.now().getTime() + days * DAY).toISOString();

  const giftCards = storedValueCalls(call, terminalId);
  const { redeem } = giftCards;
  /** Sold now, to expire at `expiresAt` (none: never). */
  const issue = (number: string, amount: number, expiresAt?: string) =>
    giftCards.issue(number, amount, {
      occurredAt: pos.clock.now().toISOString(),
      ...(expiresAt ? { expiresAt } : {}),
    });
  const account = async (number: string) => (await call('GET', `/stored-value/${number}`)).body;
  const movements = async (number: string) =>
    (await giftCards.movements(number)).map((movement) => [movement.kind, movement.amount]);
  const lapses = async (number: string) =>
    (await pos.published())
      .filter(
        (event) => event.type === 'pos.stored_value.expired' && event.subject === `stored-value/${number}`,
      )
      .map((event) => event.data);
  /** Waits for the sweeper (every 20 ms) to have lapsed `count` times on the card. */
  const lapsed = async (number: string, count = 1) => {
    for (let attempt = 0; attempt < 250; attempt++) {
      if ((await lapses(number)).length >= count) return;
      await new Promise((done) => setTimeout(done, 20));
    }
    throw new Error(`${number} never lapsed`);
  };

  beforeAll(async () => {
    pos = await startPos(dialect, { storedValueHoldSeconds: 10 * 86_400, storedValueSweepIntervalMs: 20 });
    await announceLocation(pos, 'S1');
    await announceProduct(pos, 'A', 500);
    await pos.module.start?.();
  });
  afterAll(async () => {
    await pos?.module.stop?.();
    await pos?.close();
  });

  it('spends a card until its expiry, then lapses what is left and refuses it', async () => {
    const number = newNumber();
    const expiresAt = inDays(30);
    expect(await issue(number, 5000, expiresAt)).toMatchObject({ status: 201, body: { expiresAt } });
    expect(await account(number)).toMatchObject({ balance: 5000, expiresAt, storeId: 'S1' });
    expect((await redeem(number, 1200)).status).toBe(201);

    pos.clock.advance(30 * DAY);
    await lapsed(number);
    expect(await account(number)).toMatchObject({ balance: 0, expiresAt });
    // The hold no sale claimed went back first (the same sweep), then the whole balance lapsed.
    expect(await movements(number)).toEqual([
      ['issued', 5000],
      ['redeemed', -1200],
      ['expired', 1200],
      ['balance_expired', -5000],
    ]);
    expect(await lapses(number)).toEqual([
      expect.objectContaining({ amount: 5000, balance: 0, storeId: 'S1', expiresAt, kind: 'gift_card' }),
    ]);
    for (const refused of [await redeem(number, 1), await issue(number, 1000)])
      expect(refused).toMatchObject({ status: 422, body: { code: 'stored_value_expired', expiresAt } });
  });

  it('lists the cards with value that expire before an instant, soonest first, with what they hold', async () => {
    const soon = [newNumber(), newNumber(), newNumber()];
    await issue(soon[0]!, 1000, inDays(3));
    await issue(soon[1]!, 2000, inDays(2));
    await issue(soon[2]!, 500, inDays(2));
    await issue(newNumber(), 700, inDays(400));
    await issue(newNumber(), 900);
    const emptied = newNumber();
    await issue(emptied, 300, inDays(1));
    expect((await redeem(emptied, 300)).status).toBe(201);

    const before = encodeURIComponent(inDays(4));
    const first = await call('GET', `/stored-value/expiring?before=${before}&limit=2`);
    // Earlier tests' cards lapsed already: only these three are left with value before then.
    expect(first.body.cards.map((card: { number: string }) => card.number)).toEqual(
      [soon[1], soon[2]].sort(),
    );
    expect(first.body.outstanding).toEqual([{ currency: 'EUR', cards: 3, balance: 3500 }]);
    const second = await call(
      'GET',
      `/stored-value/expiring?before=${before}&limit=2&after=${encodeURIComponent(first.body.next)}`,
    );
    expect(second.body).toMatchObject({ cards: [{ number: soon[0], balance: 1000 }], next: null });
    for (const query of ['before=soon', `before=${before}&after=nonsense`, `before=${before}&limit=0`])
      expect((await call('GET', `/stored-value/expiring?${query}`)).body.code).toBe('validation_failed');
  });

  it('moves the expiry later on a top-up, never earlier, and says so on the event', async () => {
    const number = newNumber();
    const first = inDays(365);
    await issue(number, 2000, first);
    await issue(number, 1000, inDays(100));
    expect((await account(number)).expiresAt).toBe(first);
    const later = inDays(730);
    await issue(number, 1000, later);
    expect(await account(number)).toMatchObject({ balance: 4000, expiresAt: later });
    const issued = (await pos.published()).filter(
      (event) => event.type === 'pos.stored_value.issued' && event.subject === `stored-value/${number}`,
    );
    expect(issued.map((event) => (event.data as { expiresAt?: string }).expiresAt)).toEqual([
      first,
      first,
      later,
    ]);
  });

  it('refuses an expiry before the sale, and keeps a card sold without one spendable', async () => {
    const number = newNumber();
    const refused = await issue(number, 1000, new Date(pos.clock.now().getTime() - 1000).toISOString());
    expect(refused).toMatchObject({ status: 422, body: { code: 'invalid_expiry' } });
    expect(await issue(number, 1000, 'next year')).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    expect((await call('GET', `/stored-value/${number}`)).status).toBe(404);
    await issue(number, 1000);
    pos.clock.advance(3650 * DAY);
    await new Promise((done) => setTimeout(done, 100));
    expect(await account(number)).toMatchObject({ balance: 1000, expiresAt: null });
    expect((await redeem(number, 1000)).status).toBe(201);
  });

  it('lapses a hold given back after the expiry again, and a late offline sale finds the card empty', async () => {
    const number = newNumber();
    await issue(number, 3000, inDays(1));
    const held = await redeem(number, 1000);
    pos.clock.advance(DAY);
    await lapsed(number);
    expect((await call('POST', `/stored-value/redemptions/${held.body.id}/cancel`)).status).toBe(200);
    await lapsed(number, 2);
    expect((await lapses(number)).map((data) => (data as { amount: number }).amount)).toEqual([2000, 1000]);
    expect((await account(number)).balance).toBe(0);

    // Rung offline before the expiry, synced after it: the sale stands, what the card no longer held is raised.
    const sale = {
      type: 'sale',
      id: uuidv7(),
      storeId: 'S1',
      terminalId,
      occurredAt: new Date(pos.clock.now().getTime() - 2 * DAY).toISOString(),
      currency: 'EUR',
      lines: [{ sku: 'A', quantity: 1, unitPrice: 500 }],
      payments: [{ method: 'gift_card', amount: 500, reference: number }],
    };
    const synced = await call('POST', '/sync', { terminalId, transactions: [sale] });
    expect(synced.body.results).toMatchObject([{ status: 'accepted' }]);
    expect((await call('GET', `/stored-value/exceptions?number=${number}`)).body.exceptions).toMatchObject([
      { reason: 'insufficient_balance', requested: 500, covered: 0, shortfall: 500 },
    ]);
  });
});
