import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { announceLocation, announceProduct, pgUrl, posApi, startPos, storedValueCalls } from './pos-rig.js';

/**
 * A sale paid offline with a gift card that held less than it spent stands, and the shortfall is written off.
 * Its returns refund what was collected, never the part the card did not pay, online or synced.
 */
describe.each(harnessDialects(pgUrl))('POS returns of a sale a card never fully paid on %s', (dialect) => {
  let pos: ContextHarness;
  const call = posApi(() => pos);
  const terminalId = `UC-${dialect}`;
  const shiftId = uuidv7();
  let receipt = 0;
  const receiptNo = () => `${terminalId}-1-${(receipt += 1)}`;
  // 3 × 500 = 1500, paid 1000 by a card holding 400 and 500 in cash: 600 never collected.
  const sale = {
    type: 'sale',
    id: uuidv7(),
    storeId: 'S1',
    terminalId,
    occurredAt: '2026-11-01T10:00:00Z',
    currency: 'EUR',
    lines: [{ sku: 'A', quantity: 3, unitPrice: 500 }],
    payments: [
      { method: 'gift_card', amount: 1000, reference: 'GC-SHORT' },
      { method: 'cash', amount: 500 },
    ],
    shiftId,
    receiptNo: receiptNo(),
  };
  const giveBack = (quantity: number, cash: number) => ({
    id: uuidv7(),
    storeId: 'S1',
    terminalId,
    occurredAt: '2026-11-01T12:00:00Z',
    currency: 'EUR',
    originalSaleId: sale.id,
    lines: [{ sku: 'A', quantity, disposition: 'restock', originalLineNo: 1 }],
    refunds: [{ method: 'cash', amount: cash }],
    shiftId,
    receiptNo: receiptNo(),
  });
  const returnable = async () => (await call('GET', `/sales/${sale.id}/returnable`)).body;

  beforeAll(async () => {
    pos = await startPos(dialect);
    await announceLocation(pos, 'S1');
    await announceProduct(pos, 'A', 500);
    const shiftOpen = {
      type: 'shift_open',
      id: shiftId,
      terminalId,
      storeId: 'S1',
      seq: 1,
      currency: 'EUR',
      openedAt: '2026-11-01T08:00:00Z',
      openingFloat: 10_000,
    };
    await storedValueCalls(call, terminalId).issue('GC-SHORT', 400);
    const synced = await call('POST', '/sync', { terminalId, transactions: [shiftOpen, sale] });
    expect(synced.body.results).toMatchObject([{ status: 'accepted' }, { status: 'accepted' }]);
  });
  afterAll(async () => pos?.close());

  it('says beforehand what was never collected and what each line refunds without it', async () => {
    expect(await returnable()).toMatchObject({
      uncollected: 600,
      lines: [{ lineNo: 1, returnable: 3, lineTotal: 1500, refundable: 900 }],
    });
  });

  it('refuses a refund of the full price, and takes one of what was collected, leaving out the share', async () => {
    const full = await call('POST', '/returns', giveBack(1, 500));
    expect(full).toMatchObject({
      status: 422,
      body: {
        code: 'refund_exceeds_collected',
        total: 500,
        uncollected: 200,
        refundable: 300,
        refunded: 500,
      },
    });
    const collected = giveBack(1, 300);
    expect(await call('POST', '/returns', collected)).toMatchObject({
      status: 201,
      body: { total: 500, uncollected: 200, refunds: [{ method: 'cash', amount: 300 }] },
    });
    const [event] = (await pos.published()).filter((event) => event.subject === `return/${collected.id}`);
    expect(event?.data).toMatchObject({ total: 500, uncollected: 200 });
    expect(await returnable()).toMatchObject({ lines: [{ returned: 1, returnable: 2, refundable: 600 }] });
  });

  it('quarantines a synced return that paid out the full price, and takes the rest at what was collected', async () => {
    const overpaid = { type: 'return', ...giveBack(2, 1000) };
    const answer = await call('POST', '/sync', { terminalId, transactions: [overpaid] });
    expect(answer.body.results).toEqual([
      expect.objectContaining({ status: 'rejected', code: 'refund_exceeds_collected', quarantined: true }),
    ]);
    const rest = { type: 'return', ...giveBack(2, 600) };
    const taken = await call('POST', '/sync', { terminalId, transactions: [rest] });
    expect(taken.body.results).toMatchObject([{ status: 'accepted' }]);
    // Every unit back: the refunds add up to what the card and the cash paid, the shortfall left out whole.
    expect(await returnable()).toMatchObject({ lines: [{ returnable: 0, refundable: 0 }] });
    const stored = (await call('GET', `/returns/${rest.id}`)).body;
    expect(stored).toMatchObject({ total: 1000, uncollected: 400 });
  });

  it('keeps the Z-report adding up: what returns left uncollected is no tender paid out', async () => {
    const { report } = (await call('GET', `/shifts/${shiftId}`)).body;
    expect(report.returns).toEqual({ count: 2, total: 1500, uncollected: 600 });
    expect(report.tenders.reduce((sum: number, tender: { net: number }) => sum + tender.net, 0)).toBe(
      report.net,
    );
    expect(report.cash.refunds).toBe(900);
  });
});
