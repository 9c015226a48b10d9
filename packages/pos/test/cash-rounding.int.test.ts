import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { announceLocation, announceProduct, announceStore, pgUrl, posApi, startPos } from './pos-rig.js';

describe.each(harnessDialects(pgUrl))('POS cash rounding on %s', (dialect) => {
  let pos: ContextHarness;
  const call = posApi(() => pos);
  const terminalId = `CR-${dialect}`;
  const sale = (price: number, payments: object[], extra: object = {}) => ({
    id: uuidv7(),
    storeId: 'NL1',
    terminalId,
    occurredAt: '2026-11-01T10:00:00Z',
    currency: 'EUR',
    lines: [{ sku: 'A', quantity: 1, unitPrice: price }],
    payments,
    ...extra,
  });

  beforeAll(async () => {
    pos = await startPos(dialect);
    await announceStore(pos, 'NL1', 1, 5);
    await announceLocation(pos, 'PLAIN');
    await announceProduct(pos, 'A', 998);
  });
  afterAll(async () => pos?.close());

  it('takes a cash sale of 9.98 paid 10.00 with +2, replays it, and publishes the rounding', async () => {
    const body = sale(998, [{ method: 'cash', amount: 1000, tendered: 2000 }], { cashRounding: 2 });
    const first = await call('POST', '/sales', body);
    expect([first.status, first.body]).toEqual([
      201,
      expect.objectContaining({
        total: 998,
        cashRounding: 2,
        cashRoundingRule: { increment: 5, current: true },
      }),
    ]);
    const again = await call('POST', '/sales', body);
    expect([again.status, again.body]).toEqual([200, first.body]);
    const changed = await call('POST', '/sales', {
      ...body,
      cashRounding: undefined,
      payments: [{ method: 'cash', amount: 998 }],
    });
    expect([changed.status, changed.body.code]).toEqual([409, 'id_conflict']);
    const events = (await pos.published()).filter((event) => event.subject === `sale/${body.id}`);
    expect(events.map((event) => event.data)).toEqual([
      expect.objectContaining({
        total: 998,
        cashRounding: 2,
        cashRoundingRule: { increment: 5, current: true },
      }),
    ]);
  });

  it.each([
    ['a wrong rounding', [{ method: 'cash', amount: 995 }], { cashRounding: -3 }, 'cash_rounding_mismatch'],
    [
      'a rounding on a card-only sale',
      [{ method: 'card', amount: 1000 }],
      { cashRounding: 2 },
      'cash_rounding_without_cash',
    ],
    ['payments off the rounding', [{ method: 'cash', amount: 998 }], { cashRounding: 2 }, 'payment_mismatch'],
    [
      'any rounding where the store does not round',
      [{ method: 'cash', amount: 1000 }],
      { cashRounding: 2, storeId: 'PLAIN', terminalId: `${terminalId}-P` },
      'cash_rounding_mismatch',
    ],
  ])('refuses %s with 422 %s', async (_why, payments, extra, code) => {
    const refused = await call('POST', '/sales', sale(998, payments, extra));
    expect([refused.status, refused.body.code]).toEqual([422, code]);
  });

  it.each([[2.5], [-50_001], ['2'], [null]])(
    'refuses a malformed rounding (%s) with 400',
    async (cashRounding) => {
      const refused = await call(
        'POST',
        '/sales',
        sale(998, [{ method: 'cash', amount: 1000 }], { cashRounding }),
      );
      expect([refused.status, refused.body.code]).toEqual([400, 'validation_failed']);
    },
  );

  it('rounds only the cash a card leaves, and takes exact cash unrounded', async () => {
    const mixed = await call(
      'POST',
      '/sales',
      sale(
        998,
        [
          { method: 'card', amount: 500 },
          { method: 'cash', amount: 500 },
        ],
        { cashRounding: 2 },
      ),
    );
    expect([mixed.status, mixed.body.cashRounding]).toEqual([201, 2]);
    const exact = await call('POST', '/sales', sale(998, [{ method: 'cash', amount: 998 }]));
    expect(exact.status).toBe(201);
    expect(exact.body).not.toHaveProperty('cashRounding');
  });

  it('rounds a cash refund the same way, and refuses one that does not', async () => {
    const sold = await call('POST', '/sales', sale(998, [{ method: 'card', amount: 998 }]));
    const giveBack = (refunds: object[], cashRounding?: number) => ({
      id: uuidv7(),
      storeId: 'NL1',
      terminalId,
      occurredAt: '2026-11-01T11:00:00Z',
      currency: 'EUR',
      originalSaleId: sold.body.id,
      lines: [{ sku: 'A', quantity: 1, disposition: 'restock', originalLineNo: 1 }],
      refunds,
      ...(cashRounding === undefined ? {} : { cashRounding }),
    });
    const wrong = await call('POST', '/returns', giveBack([{ method: 'cash', amount: 995 }], -3));
    expect([wrong.status, wrong.body.code]).toEqual([422, 'cash_rounding_mismatch']);
    const card = await call('POST', '/returns', giveBack([{ method: 'card', amount: 1000 }], 2));
    expect([card.status, card.body.code]).toEqual([422, 'cash_rounding_without_cash']);
    const body = giveBack([{ method: 'cash', amount: 1000 }], 2);
    const returned = await call('POST', '/returns', body);
    expect([returned.status, returned.body]).toEqual([
      201,
      expect.objectContaining({
        total: 998,
        cashRounding: 2,
        cashRoundingRule: { increment: 5, current: true },
      }),
    ]);
    expect((await call('POST', '/returns', body)).status).toBe(200);
    const events = (await pos.published()).filter((event) => event.subject === `return/${body.id}`);
    expect(events.map((event) => (event.data as { cashRounding?: number }).cashRounding)).toEqual([2]);
  });

  it('takes a synced sale rounded as the store rounds, and quarantines one that is not', async () => {
    const synced = { type: 'sale', ...sale(997, [{ method: 'cash', amount: 995 }], { cashRounding: -2 }) };
    const wrong = { type: 'sale', ...sale(997, [{ method: 'cash', amount: 1000 }], { cashRounding: 3 }) };
    const answer = await call('POST', '/sync', { terminalId, transactions: [synced, wrong] });
    expect(answer.body.results).toEqual([
      expect.objectContaining({ id: synced.id, status: 'accepted' }),
      expect.objectContaining({
        id: wrong.id,
        status: 'rejected',
        code: 'cash_rounding_mismatch',
        quarantined: true,
      }),
    ]);
    expect((await call('GET', `/sales/${synced.id}`)).body.cashRounding).toBe(-2);
  });

  it('after ERP changes the rule, takes a sale an offline till rounded by the old one, flagged; tills read the new one', async () => {
    await announceStore(pos, 'NL2', 1, 5);
    await announceStore(pos, 'NL2', 2, 10);
    // An older version arriving late changes nothing of the rule in force.
    await announceStore(pos, 'NL2', 1, 5);
    expect((await call('GET', '/stores/NL2')).body).toEqual({
      storeId: 'NL2',
      name: 'Store NL2',
      cashRoundingIncrement: 10,
      version: 2,
    });
    const old = await call(
      'POST',
      '/sales',
      sale(997, [{ method: 'cash', amount: 995 }], {
        storeId: 'NL2',
        terminalId: `${terminalId}-2`,
        cashRounding: -2,
      }),
    );
    expect([old.status, old.body.cashRoundingRule]).toEqual([201, { increment: 5, current: false }]);
    const current = await call(
      'POST',
      '/sales',
      sale(997, [{ method: 'cash', amount: 1000 }], {
        storeId: 'NL2',
        terminalId: `${terminalId}-2`,
        cashRounding: 3,
      }),
    );
    expect([current.status, current.body.cashRoundingRule]).toEqual([201, { increment: 10, current: true }]);
    await announceStore(pos, 'NL2', 3);
    pos.clock.advance(1_000); // the directory reads a store again once a second
    expect((await call('GET', '/stores/NL2')).body.cashRoundingIncrement).toBeNull();
    expect((await call('GET', '/stores/PLAIN')).body.cashRoundingIncrement).toBeNull();
    expect([(await call('GET', '/stores/NOWHERE')).status]).toEqual([404]);
  });

  it('closes a shift of rounded cash sales and a rounded refund with no over or short, and shows the rounding', async () => {
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
    const inShift = (price: number, cash: number, cashRounding: number) =>
      call('POST', '/sales', {
        ...sale(price, [{ method: 'cash', amount: cash }], { cashRounding }),
        terminalId: till,
        shiftId,
      });
    const first = await inShift(998, 1000, 2);
    expect((await inShift(997, 995, -2)).status).toBe(201);
    expect((await inShift(1_499, 1_500, 1)).status).toBe(201);
    const refund = await call('POST', '/returns', {
      id: uuidv7(),
      storeId: 'NL1',
      terminalId: till,
      occurredAt: '2026-11-01T12:00:00Z',
      currency: 'EUR',
      originalSaleId: first.body.id,
      lines: [{ sku: 'A', quantity: 1, disposition: 'restock', originalLineNo: 1 }],
      refunds: [{ method: 'cash', amount: 1000 }],
      cashRounding: 2,
      shiftId,
    });
    expect(refund.status).toBe(201);
    const drawer = 10_000 + 1_000 + 995 + 1_500 - 1_000;
    const closed = await call('POST', `/shifts/${shiftId}/close`, {
      id: uuidv7(),
      closedAt: '2026-11-01T18:00:00Z',
      countedCash: drawer,
    });
    expect(closed.status).toBe(201);
    const { report } = (await call('GET', `/shifts/${shiftId}`)).body;
    expect(report.cash).toMatchObject({ sales: 3_495, refunds: 1_000, expected: drawer, overShort: 0 });
    expect(report.cashRounding).toEqual({ sales: 1, returns: 2, net: -1 });
    expect(report.tenders.reduce((sum: number, tender: { net: number }) => sum + tender.net, 0)).toBe(
      report.net,
    );
  });
});
