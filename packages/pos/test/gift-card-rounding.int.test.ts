import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { announceLocation, announceProduct, announceStore, pgUrl, posApi, startPos } from './pos-rig.js';

/** Selling a gift card for cash in a store that rounds cash to 5 cents: the coins are rounded, the card is not. */
describe.each(harnessDialects(pgUrl))('POS gift cards sold for rounded cash on %s', (dialect) => {
  let pos: ContextHarness;
  const call = posApi(() => pos);
  const terminalId = `GR-${dialect}`;
  let cards = 0;
  const issue = (amount: number, payments: object[], extra: object = {}) => ({
    id: uuidv7(),
    number: `GR-${dialect}-${(cards += 1)}`,
    kind: 'gift_card',
    amount,
    currency: 'EUR',
    storeId: 'NL1',
    terminalId,
    occurredAt: '2026-11-01T10:00:00Z',
    payments,
    ...extra,
  });
  const issuedEvents = async (number: string) =>
    (await pos.published())
      .filter(
        (event) => event.type === 'pos.stored_value.issued' && event.subject === `stored-value/${number}`,
      )
      .map((event) => event.data as Record<string, unknown>);

  beforeAll(async () => {
    pos = await startPos(dialect);
    await announceStore(pos, 'NL1', 1, 5);
    await announceLocation(pos, 'PLAIN');
    await announceProduct(pos, 'A', 998);
  });
  afterAll(async () => pos?.close());

  it('loads 12.34 paid 12.35 in cash with +1, replays it, and publishes the rounding for the books', async () => {
    const body = issue(1234, [{ method: 'cash', amount: 1235, tendered: 2000 }], { cashRounding: 1 });
    const first = await call('POST', '/stored-value/issues', body);
    expect([first.status, first.body]).toEqual([
      201,
      expect.objectContaining({
        amount: 1234,
        payments: [{ method: 'cash', amount: 1235, tendered: 2000 }],
        cashRounding: 1,
        cashRoundingRule: { increment: 5, current: true },
      }),
    ]);
    expect((await call('GET', `/stored-value/${body.number}`)).body.balance).toBe(1234);
    const again = await call('POST', '/stored-value/issues', body);
    expect([again.status, again.body]).toEqual([200, first.body]);
    const unrounded = { ...body, cashRounding: undefined, payments: [{ method: 'cash', amount: 1234 }] };
    const changed = await call('POST', '/stored-value/issues', unrounded);
    expect([changed.status, changed.body.code]).toEqual([409, 'id_conflict']);
    expect(await issuedEvents(body.number)).toEqual([
      expect.objectContaining({
        amount: 1234,
        balance: 1234,
        payments: [{ method: 'cash', amount: 1235 }],
        cashRounding: 1,
        cashRoundingRule: { increment: 5, current: true },
      }),
    ]);
  });

  it('takes exact cash and a card unrounded, as before', async () => {
    const exact = issue(1234, [{ method: 'cash', amount: 1234 }]);
    const split = issue(1235, [
      { method: 'card', amount: 235 },
      { method: 'cash', amount: 1000 },
    ]);
    for (const body of [exact, split]) {
      const answer = await call('POST', '/stored-value/issues', body);
      expect(answer.status).toBe(201);
      expect(answer.body).not.toHaveProperty('cashRounding');
      const [event, ...more] = await issuedEvents(body.number);
      expect([event?.amount, more]).toEqual([body.amount, []]);
      expect(event).not.toHaveProperty('cashRounding');
      expect(event).not.toHaveProperty('cashRoundingRule');
    }
    // A card paying a cent less leaves 10.01 due in cash, paid 10.00.
    const rounded = issue(
      1235,
      [
        { method: 'card', amount: 234 },
        { method: 'cash', amount: 1000 },
      ],
      { cashRounding: -1 },
    );
    const answer = await call('POST', '/stored-value/issues', rounded);
    expect([answer.status, answer.body.amount, answer.body.cashRounding]).toEqual([201, 1235, -1]);
  });

  it.each([
    ['a wrong rounding', 'cash_rounding_mismatch', [{ method: 'cash', amount: 1230 }], { cashRounding: -4 }],
    [
      'a rounding paid by card only',
      'cash_rounding_without_cash',
      [{ method: 'card', amount: 1235 }],
      { cashRounding: 1 },
    ],
    [
      'payments off the rounding',
      'payment_mismatch',
      [{ method: 'cash', amount: 1234 }],
      { cashRounding: 1 },
    ],
    ['rounded cash not stated', 'payment_mismatch', [{ method: 'cash', amount: 1235 }], {}],
    [
      'any rounding where the store does not round',
      'cash_rounding_mismatch',
      [{ method: 'cash', amount: 1235 }],
      { cashRounding: 1, storeId: 'PLAIN', terminalId: `${terminalId}-P` },
    ],
  ])('refuses %s with 422 %s, loading nothing', async (_why, code, payments, extra) => {
    const body = issue(1234, payments, extra);
    const refused = await call('POST', '/stored-value/issues', body);
    expect([refused.status, refused.body.code]).toEqual([422, code]);
    expect((await call('GET', `/stored-value/${body.number}`)).status).toBe(404);
  });

  it.each([[2.5], [-50_001], ['1'], [null]])(
    'refuses a malformed rounding (%s) with 400',
    async (cashRounding) => {
      const refused = await call(
        'POST',
        '/stored-value/issues',
        issue(1234, [{ method: 'cash', amount: 1235 }], { cashRounding }),
      );
      expect([refused.status, refused.body.code]).toEqual([400, 'validation_failed']);
    },
  );

  it('closes a shift of a rounded card and a rounded sale with no over or short, and shows the rounding', async () => {
    const shiftId = uuidv7();
    const till = `${terminalId}-Z`;
    const opened = await call('POST', '/shifts', {
      id: shiftId,
      terminalId: till,
      storeId: 'NL1',
      seq: 1,
      currency: 'EUR',
      openedAt: '2026-11-01T08:00:00Z',
      openingFloat: 10_000,
    });
    expect(opened.status).toBe(201);
    const card = await call('POST', '/stored-value/issues', {
      ...issue(1234, [{ method: 'cash', amount: 1235, tendered: 2000 }], { cashRounding: 1 }),
      terminalId: till,
      shiftId,
    });
    expect(card.status).toBe(201);
    const sold = await call('POST', '/sales', {
      id: uuidv7(),
      storeId: 'NL1',
      terminalId: till,
      occurredAt: '2026-11-01T11:00:00Z',
      currency: 'EUR',
      lines: [{ sku: 'A', quantity: 1, unitPrice: 998 }],
      payments: [{ method: 'cash', amount: 1000 }],
      cashRounding: 2,
      shiftId,
    });
    expect(sold.status).toBe(201);
    const drawer = 10_000 + 1_235 + 1_000;
    const closed = await call('POST', `/shifts/${shiftId}/close`, {
      id: uuidv7(),
      closedAt: '2026-11-01T18:00:00Z',
      countedCash: drawer,
    });
    expect(closed.status).toBe(201);
    const { report } = (await call('GET', `/shifts/${shiftId}`)).body;
    expect(report.cash).toMatchObject({ sales: 2_235, refunds: 0, expected: drawer, overShort: 0 });
    expect(report.cashRounding).toEqual({ sales: 3, returns: 0, net: 3 });
    expect(report.storedValue.sold).toEqual({ count: 1, amount: 1234 });
    expect(report.net).toBe(998 + 1234 + 3);
    expect(report.tenders.reduce((sum: number, tender: { net: number }) => sum + tender.net, 0)).toBe(
      report.net,
    );
  });
});
