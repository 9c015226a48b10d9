import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { announceLocation, announceProduct, pgUrl, posApi, startPos } from './pos-rig.js';

describe.each(harnessDialects(pgUrl))('POS gift cards, store credit and added tax on %s', (dialect) => {
  let pos: ContextHarness;
  const call = posApi(() => pos);
  let cards = 0;
  const newNumber = () => `GC-${(cards += 1)}`;
  const terminalId = `SV-${dialect}`;
  const shiftId = uuidv7();
  let receipt = 0;
  const receiptNo = () => `${terminalId}-1-${(receipt += 1)}`;
  const issue = (number: string, amount: number, extra: object = {}) => ({
    id: uuidv7(),
    number,
    kind: 'gift_card',
    amount,
    currency: 'EUR',
    storeId: 'S1',
    terminalId,
    occurredAt: '2026-11-01T09:00:00Z',
    payments: [{ method: 'cash', amount, tendered: amount }],
    shiftId,
    receiptNo: receiptNo(),
    ...extra,
  });
  const sale = (payments: object[], extra: object = {}) => ({
    type: 'sale',
    id: uuidv7(),
    storeId: 'S1',
    terminalId,
    occurredAt: '2026-11-01T10:00:00Z',
    currency: 'EUR',
    lines: [{ sku: 'A', quantity: 1, unitPrice: payments.reduce((sum, p: any) => sum + p.amount, 0) }],
    payments,
    shiftId,
    receiptNo: receiptNo(),
    ...extra,
  });
  const redeem = (number: string, amount: number, id = uuidv7()) =>
    call('POST', `/stored-value/${number}/redemptions`, {
      id,
      amount,
      currency: 'EUR',
      storeId: 'S1',
      terminalId,
    });
  const balance = async (number: string) => (await call('GET', `/stored-value/${number}`)).body.balance;
  /** The ledger check: a balance is the sum of its movements. */
  const ledgerSum = async (number: string) =>
    (await call('GET', `/stored-value/${number}/movements?limit=1000`)).body.movements.reduce(
      (sum: number, movement: { amount: number }) => sum + movement.amount,
      0,
    );

  beforeAll(async () => {
    pos = await startPos(dialect);
    await announceLocation(pos, 'S1');
    await announceProduct(pos, 'A', 500);
    const opened = await call('POST', '/sync', {
      terminalId,
      transactions: [
        {
          type: 'shift_open',
          id: shiftId,
          terminalId,
          storeId: 'S1',
          seq: 1,
          currency: 'EUR',
          openedAt: '2026-11-01T08:00:00Z',
          openingFloat: 10_000,
        },
      ],
    });
    expect(opened.body.results).toMatchObject([{ status: 'accepted' }]);
  });
  afterAll(async () => pos?.close());

  it('sells a gift card once under its id, tops it up, and publishes each load', async () => {
    const number = newNumber();
    const body = issue(number, 5000);
    expect(await call('POST', '/stored-value/issues', body)).toMatchObject({
      status: 201,
      body: { number, amount: 5000, status: 'completed' },
    });
    expect((await call('POST', '/stored-value/issues', body)).status).toBe(200);
    expect((await call('POST', '/stored-value/issues', { ...body, amount: 10 })).body.code).toBe(
      'id_conflict',
    );
    expect((await call('POST', '/stored-value/issues', issue(number, 1500))).status).toBe(201);
    expect(await call('GET', `/stored-value/${number}`)).toMatchObject({
      status: 200,
      body: { number, kind: 'gift_card', currency: 'EUR', balance: 6500, version: 2 },
    });
    const issued = (await pos.published()).filter(
      (event) => event.type === 'pos.stored_value.issued' && event.subject === `stored-value/${number}`,
    );
    expect(issued.map((event) => [event.sequence, (event.data as any).balance])).toEqual([
      [1, 5000],
      [2, 6500],
    ]);
    expect(
      (
        await call('POST', '/stored-value/issues', {
          ...issue(number, 500),
          payments: [{ method: 'store_credit', amount: 500, reference: 'SC-1' }],
        })
      ).body.code,
    ).toBe('stored_value_tender_not_allowed');
    expect((await call('GET', '/stored-value/GC-NEVER-SOLD')).body.code).toBe('stored_value_not_found');
  });

  it('holds value online, refuses more than is left, and a sale claims its hold without a second debit', async () => {
    const number = newNumber();
    await call('POST', '/stored-value/issues', issue(number, 5000));
    const held = await redeem(number, 3000);
    expect(held).toMatchObject({ status: 201, body: { status: 'held', amount: 3000, saleId: null } });
    expect(await redeem(number, 2500)).toMatchObject({
      status: 409,
      body: { code: 'insufficient_balance', balance: 2000 },
    });
    expect((await redeem('GC-UNKNOWN', 100)).body.code).toBe('stored_value_not_found');
    const paid = sale([
      { method: 'gift_card', amount: 3000, reference: number, redemptionId: held.body.id },
      { method: 'cash', amount: 200 },
    ]);
    expect((await call('POST', '/sync', { terminalId, transactions: [paid] })).body.results).toMatchObject([
      { status: 'accepted' },
    ]);
    expect(await balance(number)).toBe(2000);
    expect(await ledgerSum(number)).toBe(2000);
    expect((await call('POST', `/stored-value/redemptions/${held.body.id}/cancel`)).body.code).toBe(
      'stored_value_redemption_claimed',
    );
    // Another sale naming the same hold does not say what happened: refused, not debited twice.
    const reused = sale([
      { method: 'gift_card', amount: 3000, reference: number, redemptionId: held.body.id },
    ]);
    expect((await call('POST', '/sync', { terminalId, transactions: [reused] })).body.results).toMatchObject([
      { status: 'rejected', code: 'stored_value_redemption_mismatch', quarantined: true },
    ]);
    expect(await balance(number)).toBe(2000);
  });

  it('gives an abandoned hold back, once', async () => {
    const number = newNumber();
    await call('POST', '/stored-value/issues', issue(number, 1000));
    const held = await redeem(number, 700);
    expect(await balance(number)).toBe(300);
    const cancelled = await call('POST', `/stored-value/redemptions/${held.body.id}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect((await call('POST', `/stored-value/redemptions/${held.body.id}/cancel`)).status).toBe(200);
    expect(await balance(number)).toBe(1000);
    expect(await ledgerSum(number)).toBe(1000);
    expect((await call('POST', `/stored-value/redemptions/${uuidv7()}/cancel`)).body.code).toBe(
      'stored_value_redemption_not_found',
    );
  });

  it('debits a card once when a sale names a hold whose answer the till never got', async () => {
    const number = newNumber();
    await call('POST', '/stored-value/issues', issue(number, 5000));
    // Recorded, answer lost: the sale claims it.
    const lost = uuidv7();
    expect((await redeem(number, 1000, lost)).status).toBe(201);
    const claiming = sale([{ method: 'gift_card', amount: 1000, reference: number, redemptionId: lost }]);
    // Never arrived (yet): the sale debits the card and takes the hold's id, so the request landing later
    // debits nothing.
    const late = uuidv7();
    const debiting = sale([{ method: 'gift_card', amount: 1500, reference: number, redemptionId: late }]);
    const synced = await call('POST', '/sync', { terminalId, transactions: [claiming, debiting] });
    expect(synced.body.results).toMatchObject([{ status: 'accepted' }, { status: 'accepted' }]);
    expect(await balance(number)).toBe(2500);
    expect(await redeem(number, 1500, late)).toMatchObject({
      status: 200,
      body: { status: 'claimed', saleId: debiting.id },
    });
    expect(await balance(number)).toBe(2500);
    expect(await ledgerSum(number)).toBe(2500);
    for (const id of [lost, late])
      expect((await call('POST', `/stored-value/redemptions/${id}/cancel`)).body.code).toBe(
        'stored_value_redemption_claimed',
      );
  });

  it('lets exactly as many concurrent redemptions through as the balance covers', async () => {
    const number = newNumber();
    await call('POST', '/stored-value/issues', issue(number, 100));
    const answers = await Promise.all(Array.from({ length: 20 }, () => redeem(number, 10)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(10);
    expect(
      answers.filter((answer) => answer.status === 409 && answer.body.code === 'insufficient_balance'),
    ).toHaveLength(10);
    expect(await balance(number)).toBe(0);
    expect(await ledgerSum(number)).toBe(0);
  });

  it('never refuses a sale rung offline for a balance: the card goes to zero and the rest is an exception', async () => {
    const number = newNumber();
    await call('POST', '/stored-value/issues', issue(number, 400));
    const offline = sale([
      { method: 'gift_card', amount: 1000, reference: number },
      { method: 'cash', amount: 500 },
    ]);
    expect((await call('POST', '/sync', { terminalId, transactions: [offline] })).body.results).toMatchObject(
      [{ status: 'accepted' }],
    );
    expect((await call('POST', '/sync', { terminalId, transactions: [offline] })).body.results).toMatchObject(
      [{ status: 'duplicate' }],
    );
    expect(await balance(number)).toBe(0);
    expect(await ledgerSum(number)).toBe(0);
    const { exceptions } = (await call('GET', `/stored-value/exceptions?number=${number}`)).body;
    expect(exceptions).toMatchObject([
      { saleId: offline.id, reason: 'insufficient_balance', requested: 1000, covered: 400, shortfall: 600 },
    ]);
    const raised = (await pos.published()).filter(
      (event) => event.type === 'pos.stored_value.exception_raised' && (event.data as any).number === number,
    );
    expect(raised).toHaveLength(1);
    const unknown = sale([{ method: 'gift_card', amount: 300, reference: `${number}-X` }]);
    await call('POST', '/sync', { terminalId, transactions: [unknown] });
    expect((await call('GET', `/stored-value/exceptions?number=${number}-X`)).body.exceptions).toMatchObject([
      { reason: 'unknown_number', covered: 0, shortfall: 300 },
    ]);
  });

  it('refunds a return without a receipt to new store credit that can be spent', async () => {
    const returnId = uuidv7();
    const returned = await call('POST', '/returns', {
      id: returnId,
      storeId: 'S1',
      terminalId,
      occurredAt: '2026-11-01T12:00:00Z',
      currency: 'EUR',
      lines: [{ sku: 'A', quantity: 1, disposition: 'restock', unitPrice: 800 }],
      refunds: [{ method: 'store_credit', amount: 800 }],
      shiftId,
      receiptNo: receiptNo(),
    });
    expect(returned).toMatchObject({
      status: 201,
      body: { refunds: [{ method: 'store_credit', amount: 800, reference: `SC-${returnId}` }] },
    });
    expect(await call('GET', `/stored-value/SC-${returnId}`)).toMatchObject({
      body: { kind: 'store_credit', balance: 800 },
    });
    const spent = await redeem(`SC-${returnId}`, 800);
    expect(spent.status).toBe(201);
    expect(await balance(`SC-${returnId}`)).toBe(0);
  });

  it('tops up a gift card that was sold on a return, and refuses one nobody sold', async () => {
    const number = newNumber();
    await call('POST', '/stored-value/issues', issue(number, 1000));
    // Outside the shared shift, whose Z-report a later test sums.
    const outsideShift = { shiftId: undefined, receiptNo: undefined };
    const sold = sale([{ method: 'cash', amount: 800 }], outsideShift);
    sold.lines[0]!.quantity = 2;
    sold.payments = [{ method: 'cash', amount: 1600 }];
    expect((await call('POST', '/sync', { terminalId, transactions: [sold] })).body.results).toMatchObject([
      { status: 'accepted' },
    ]);
    const refundTo = (reference: string) => ({
      type: 'return',
      id: uuidv7(),
      storeId: 'S1',
      terminalId,
      occurredAt: '2026-11-01T12:00:00Z',
      currency: 'EUR',
      originalSaleId: sold.id,
      lines: [{ sku: 'A', quantity: 1, disposition: 'restock', originalLineNo: 1 }],
      refunds: [{ method: 'gift_card', amount: 800, reference }],
    });
    const synced = await call('POST', '/sync', {
      terminalId,
      transactions: [refundTo(number), refundTo(`${number}-NEVER-SOLD`)],
    });
    expect(synced.body.results).toMatchObject([
      { status: 'accepted' },
      { status: 'rejected', code: 'gift_card_not_issued', quarantined: true },
    ]);
    expect(await balance(number)).toBe(1800);
    expect((await call('GET', `/stored-value/${number}-NEVER-SOLD`)).body.code).toBe(
      'stored_value_not_found',
    );
    const { type: _type, ...posted } = refundTo(`${number}-NEVER-SOLD`);
    expect(await call('POST', '/returns', posted)).toMatchObject({
      status: 422,
      body: { code: 'gift_card_not_issued' },
    });
  });

  it('checks added tax at the till: total = net + tax, each line at its rate', async () => {
    const taxed = (amount: number) =>
      call('POST', '/sales', {
        id: uuidv7(),
        storeId: 'S1',
        terminalId,
        occurredAt: '2026-11-01T13:00:00Z',
        currency: 'EUR',
        lines: [{ sku: 'A', quantity: 2, unitPrice: 499, tax: { ratePpm: 210_000, amount } }],
        payments: [{ method: 'card', amount: 998 + 210 }],
      });
    expect(await taxed(210)).toMatchObject({ status: 201, body: { tax: 210, total: 1208 } });
    expect(await taxed(209)).toMatchObject({
      status: 422,
      body: { code: 'tax_mismatch', lines: [{ lineNo: 1, expected: 210, actual: 209 }] },
    });
  });

  it('checks tax included in the price at the till: stated per line, adding nothing to the total', async () => {
    const inclusive = (line: Record<string, unknown>) =>
      call('POST', '/sales', {
        id: uuidv7(),
        storeId: 'S1',
        terminalId,
        occurredAt: '2026-11-01T13:05:00Z',
        currency: 'EUR',
        lines: [{ sku: 'A', quantity: 2, unitPrice: 605, ...line }],
        payments: [{ method: 'card', amount: 1210 }],
      });
    // 12.10 at 21 % holds 2.10.
    const stated = await inclusive({ includedTax: { ratePpm: 210_000, amount: 210 } });
    expect(stated).toMatchObject({ status: 201, body: { total: 1210 } });
    expect(stated.body).not.toHaveProperty('tax');
    expect((await call('GET', `/sales/${stated.body.id}`)).body.lines[0].includedTax).toEqual({
      ratePpm: 210_000,
      amount: 210,
    });
    expect(await inclusive({ includedTax: { ratePpm: 210_000, amount: 254 } })).toMatchObject({
      status: 422,
      body: { code: 'tax_mismatch', lines: [{ lineNo: 1, expected: 210, actual: 254 }] },
    });
    const both = { tax: { ratePpm: 0, amount: 0 }, includedTax: { ratePpm: 210_000, amount: 210 } };
    expect(await inclusive(both)).toMatchObject({ status: 422, body: { code: 'tax_mismatch' } });
  });

  it('counts gift cards sold, redeemed and store credit refunded in the Z-report, which still adds up', async () => {
    const { body } = await call('GET', `/shifts/${shiftId}`);
    const { report } = body;
    expect(report.storedValue.sold.count).toBeGreaterThanOrEqual(6);
    expect(report.storedValue.redeemed.amount).toBeGreaterThan(0);
    expect(report.storedValue.refunded).toEqual({ count: 1, amount: 800 });
    expect(report.tenders.reduce((sum: number, tender: { net: number }) => sum + tender.net, 0)).toBe(
      report.net,
    );
    expect(report.net).toBe(
      report.sales.net + (report.sales.tax ?? 0) + report.storedValue.sold.amount - report.returns.total,
    );
  });
});
