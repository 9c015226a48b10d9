import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import type { TerminalKeys } from '../src/index.js';
import { announceLocation, announceProduct, pgUrl, posApi, startPos } from './pos-rig.js';

/** Keys are the platform's; here a stand-in records what POS asked for. */
const issued: string[] = [];
const revoked: string[] = [];
const fakeKeys: TerminalKeys = {
  issue: async ({ terminalId }) => {
    const keyId = `key-${terminalId}-${issued.length}`;
    issued.push(keyId);
    return { keyId, secret: `secret-${keyId}` };
  },
  revoke: async (keyId) => {
    revoked.push(keyId);
  },
};

describe.each(harnessDialects(pgUrl))('POS terminals, shifts, returns and sync on %s', (dialect) => {
  let pos: ContextHarness;
  const call = posApi(() => pos);
  const sync = (terminalId: string, transactions: object[]) =>
    call('POST', '/sync', { terminalId, transactions });
  const product = (sku: string, version = 1) => announceProduct(pos, sku, 500, version);

  let terminal = 0;
  /** A fresh terminal with an open shift numbered 1, as its queue would send it. */
  const openShift = async (float = 10_000) => {
    terminal += 1;
    const terminalId = `T${terminal}-${dialect}`;
    const shift = {
      type: 'shift_open',
      id: uuidv7(),
      terminalId,
      storeId: 'S1',
      seq: 1,
      currency: 'EUR',
      openedAt: '2026-11-01T08:00:00Z',
      openingFloat: float,
    };
    expect((await sync(terminalId, [shift])).body.results).toMatchObject([{ status: 'accepted' }]);
    let receipt = 0;
    const sale = (lines: Array<{ sku: string; quantity: number }>, payments?: object[]) => {
      receipt += 1;
      const total = lines.reduce((sum, line) => sum + line.quantity * 500, 0);
      return {
        type: 'sale',
        id: uuidv7(),
        storeId: 'S1',
        terminalId,
        occurredAt: '2026-11-01T10:00:00Z',
        currency: 'EUR',
        lines: lines.map((line) => ({ ...line, unitPrice: 500 })),
        payments: payments ?? [{ method: 'cash', amount: total, tendered: total + 100 }],
        shiftId: shift.id,
        receiptNo: `${terminalId}-1-${receipt}`,
      };
    };
    const refund = (originalSaleId: string, lines: object[], refunds: object[]) => {
      receipt += 1;
      return {
        type: 'return',
        id: uuidv7(),
        storeId: 'S1',
        terminalId,
        occurredAt: '2026-11-01T11:00:00Z',
        currency: 'EUR',
        originalSaleId,
        lines,
        refunds,
        shiftId: shift.id,
        receiptNo: `${terminalId}-1-${receipt}`,
      };
    };
    const close = (countedCash: number) => ({
      type: 'shift_close',
      id: uuidv7(),
      shiftId: shift.id,
      terminalId,
      storeId: 'S1',
      seq: 1,
      currency: 'EUR',
      closedAt: '2026-11-01T18:00:00Z',
      countedCash,
    });
    return { terminalId, shift, sale, refund, close };
  };

  beforeAll(async () => {
    pos = await startPos(dialect, { terminalKeys: fakeKeys });
    await announceLocation(pos, 'S1');
    await product('A');
    await product('B');
  });
  afterAll(async () => pos?.close());

  it('answers each transaction of a batch on its own: accepted, duplicate, and a poison one quarantined', async () => {
    const till = await openShift();
    const good = till.sale([{ sku: 'A', quantity: 1 }]);
    const poison = till.sale([{ sku: 'NOPE', quantity: 1 }]);
    const malformed = { ...till.sale([{ sku: 'A', quantity: 1 }]), lines: 'many' };
    const after = till.sale([{ sku: 'B', quantity: 2 }]);
    const first = await sync(till.terminalId, [good, poison, malformed, after]);
    expect(first.status).toBe(200);
    expect(first.body.results).toMatchObject([
      { id: good.id, status: 'accepted' },
      { id: poison.id, status: 'rejected', code: 'unknown_sku', quarantined: true, retryable: false },
      { id: malformed.id, status: 'rejected', code: 'validation_failed', quarantined: true },
      { id: after.id, status: 'accepted' },
    ]);
    const again = await sync(till.terminalId, [after, good]);
    expect(again.body.results.map((result: { status: string }) => result.status)).toEqual([
      'duplicate',
      'duplicate',
    ]);
    const changed = await sync(till.terminalId, [{ ...good, occurredAt: '2026-11-01T10:00:01Z' }]);
    expect(changed.body.results[0]).toMatchObject({
      status: 'rejected',
      code: 'id_conflict',
      quarantined: true,
    });

    const listed = await call('GET', `/quarantine?terminalId=${till.terminalId}`);
    expect(
      listed.body.transactions.map((entry: { transactionId: string }) => entry.transactionId).sort(),
    ).toEqual([good.id, poison.id, malformed.id].sort());
    // Once ERP tells POS about the SKU, the quarantined sale goes through and leaves the quarantine.
    await product('NOPE');
    const retried = await call('POST', `/quarantine/${till.terminalId}/${poison.id}/retry`, {});
    expect(retried.body).toMatchObject({ id: poison.id, status: 'accepted' });
    const remaining = await call('GET', `/quarantine?terminalId=${till.terminalId}`);
    expect(
      remaining.body.transactions.map((entry: { transactionId: string }) => entry.transactionId),
    ).not.toContain(poison.id);
    const events = (await pos.published()).filter((event) => event.type === 'pos.sale.completed');
    expect(events.filter((event) => (event.data as { saleId: string }).saleId === good.id)).toHaveLength(1);
  });

  it('never lets a receipt be returned beyond what it sold, even from several terminals at once', async () => {
    const till = await openShift();
    const sold = till.sale([{ sku: 'A', quantity: 3 }], [{ method: 'card', amount: 1500 }]);
    expect((await sync(till.terminalId, [sold])).body.results[0].status).toBe('accepted');
    const line = { sku: 'A', quantity: 1, disposition: 'restock', originalLineNo: 1 };
    const attempts = Array.from({ length: 5 }, () =>
      till.refund(sold.id, [line], [{ method: 'card', amount: 500 }]),
    );
    const results = await Promise.all(
      attempts.map((attempt) =>
        call('POST', '/returns', { ...attempt, type: undefined, receiptNo: undefined, shiftId: undefined }),
      ),
    );
    expect(results.filter((result) => result.status === 201)).toHaveLength(3);
    for (const result of results.filter((candidate) => candidate.status !== 201))
      expect(result.body.code).toBe('return_exceeds_sold');
    const returnable = await call('GET', `/sales/${sold.id}/returnable`);
    expect(returnable.body.lines).toEqual([
      { lineNo: 1, sku: 'A', sold: 3, returned: 3, returnable: 0, lineTotal: 1500, refundable: 0 },
    ]);
    // The returns counted, named, so a terminal adds only its own that the server has not counted.
    const accepted = results.filter((result) => result.status === 201).map((result) => result.body.id);
    expect([...returnable.body.returnIds].sort()).toEqual([...accepted].sort());
    const published = (await pos.published()).filter((event) => event.type === 'pos.return.completed');
    expect(
      published.filter((event) => (event.data as { originalSaleId: string }).originalSaleId === sold.id),
    ).toHaveLength(3);
  });

  it('shows in a Z-report the cash refunds its till paid out on returns the server then refused', async () => {
    const tillA = await openShift();
    const tillB = await openShift();
    const sold = tillA.sale([{ sku: 'A', quantity: 2 }]);
    const line = { sku: 'A', quantity: 2, disposition: 'restock', originalLineNo: 1 };
    // Both tills take the receipt back while offline; A's reaches the server first.
    const atA = tillA.refund(sold.id, [line], [{ method: 'cash', amount: 1000 }]);
    const atB = tillB.refund(sold.id, [line], [{ method: 'cash', amount: 1000 }]);
    expect((await sync(tillA.terminalId, [sold, atA])).body.results).toMatchObject([
      { status: 'accepted' },
      { status: 'accepted' },
    ]);
    expect((await sync(tillB.terminalId, [atB, tillB.close(9_000)])).body.results).toMatchObject([
      { status: 'rejected', code: 'return_exceeds_sold', quarantined: true },
      { status: 'accepted' },
    ]);
    const report = (await call('GET', `/shifts/${tillB.shift.id}`)).body.report;
    expect(report.returns).toEqual({ count: 0, total: 0 });
    expect(report.cash).toMatchObject({ expected: 10_000, counted: 9_000, overShort: -1000 });
    expect(report.quarantinedRefunds).toEqual({ count: 1, amount: 1000, cash: 1000 });
    const closed = (await pos.published()).find(
      (event) => event.type === 'pos.shift.closed' && event.subject === `shift/${tillB.shift.id}`,
    );
    expect((closed?.data as { report: object }).report).toMatchObject({
      quarantinedRefunds: { count: 1, cash: 1000 },
    });
    expect((await call('GET', `/shifts/${tillA.shift.id}`)).body.report.quarantinedRefunds).toBeUndefined();
  });

  it('closes a shift into a Z-report that adds up, and revises it when a late sale arrives', async () => {
    const till = await openShift(10_000);
    const cashSale = till.sale([{ sku: 'A', quantity: 2 }]);
    const splitSale = till.sale(
      [{ sku: 'B', quantity: 3 }],
      [
        { method: 'card', amount: 1000 },
        { method: 'gift_card', amount: 500, reference: 'GC-42' },
      ],
    );
    const refund = till.refund(
      cashSale.id,
      [{ sku: 'A', quantity: 1, disposition: 'damaged', originalLineNo: 1 }],
      [{ method: 'cash', amount: 500 }],
    );
    const late = till.sale([{ sku: 'A', quantity: 1 }]);
    const noReceipt = {
      ...till.refund(
        cashSale.id,
        [{ sku: 'B', quantity: 1, disposition: 'restock', unitPrice: 500 }],
        [{ method: 'store_credit', amount: 500 }],
      ),
      originalSaleId: undefined,
    };
    const close = till.close(10_450);
    const results = await sync(till.terminalId, [cashSale, splitSale, refund, noReceipt, close]);
    expect(results.body.results.map((result: { status: string }) => result.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
    ]);

    const shift = await call('GET', `/shifts/${till.shift.id}`);
    expect(shift.body).toMatchObject({ status: 'closed', revision: 1, countedCash: 10_450 });
    const report = shift.body.report;
    expect(report.sales).toEqual({ count: 2, gross: 2500, discounts: 0, net: 2500 });
    expect(report.returns).toEqual({ count: 2, total: 1000 });
    expect(report.net).toBe(1500);
    expect(report.tenders.reduce((sum: number, tender: { net: number }) => sum + tender.net, 0)).toBe(1500);
    expect(report.cash).toEqual({
      openingFloat: 10_000,
      sales: 1000,
      refunds: 500,
      expected: 10_500,
      counted: 10_450,
      overShort: -50,
    });

    pos.clock.advance(60_000);
    const lateResult = await sync(till.terminalId, [late]);
    expect(lateResult.body.results[0]).toMatchObject({ status: 'accepted', late: true });
    const revised = await call('GET', `/shifts/${till.shift.id}`);
    expect(revised.body).toMatchObject({ revision: 2, report: { lateTransactions: 1, sales: { count: 3 } } });
    expect(revised.body.report.cash.overShort).toBe(-550);
    const closedEvents = (await pos.published()).filter(
      (event) => event.type === 'pos.shift.closed' && event.subject === `shift/${till.shift.id}`,
    );
    expect(closedEvents.map((event) => event.sequence)).toEqual([1, 2]);
    expect(await sync(till.terminalId, [close])).toMatchObject({
      body: { results: [{ status: 'duplicate' }] },
    });
    const recount = await sync(till.terminalId, [{ ...close, id: uuidv7(), countedCash: 1 }]);
    expect(recount.body.results[0]).toMatchObject({ status: 'rejected', code: 'shift_already_closed' });
  });

  it('takes a close that arrives before its opening, and keeps receipt numbers unique per terminal', async () => {
    const till = await openShift();
    const other = await openShift();
    const otherClose = other.close(0);
    expect((await sync(other.terminalId, [otherClose])).body.results[0].status).toBe('accepted');
    const sale = till.sale([{ sku: 'A', quantity: 1 }]);
    const clash = { ...till.sale([{ sku: 'A', quantity: 1 }]), receiptNo: sale.receiptNo };
    const results = await sync(till.terminalId, [sale, clash]);
    expect(results.body.results[1]).toMatchObject({ status: 'rejected', code: 'receipt_number_taken' });
    const foreignShift = { ...till.sale([{ sku: 'A', quantity: 1 }]), shiftId: other.shift.id };
    expect((await sync(till.terminalId, [foreignShift])).body.results[0]).toMatchObject({
      code: 'shift_terminal_mismatch',
    });
    const wrongTerminal = { ...till.sale([{ sku: 'A', quantity: 1 }]), terminalId: other.terminalId };
    expect((await sync(till.terminalId, [wrongTerminal])).body.results[0]).toMatchObject({
      code: 'terminal_mismatch',
    });
  });

  it('keeps a shift to its currency: refuses a document in another one, and its Z-report leaves one out', async () => {
    const till = await openShift();
    const eur = till.sale([{ sku: 'A', quantity: 1 }]);
    const usd = { ...till.sale([{ sku: 'A', quantity: 100 }]), currency: 'USD' };
    const usdReturn = {
      ...till.refund(eur.id, [], [{ method: 'store_credit', amount: 500 }]),
      originalSaleId: undefined,
      lines: [{ sku: 'A', quantity: 1, disposition: 'restock', unitPrice: 500 }],
      currency: 'USD',
    };
    const results = (await sync(till.terminalId, [eur, usd, usdReturn])).body.results;
    expect(results).toMatchObject([
      { status: 'accepted' },
      { status: 'rejected', code: 'shift_currency_mismatch', quarantined: true },
      { status: 'rejected', code: 'shift_currency_mismatch', quarantined: true },
    ]);
    const { type: _type, ...posted } = usd;
    expect(
      await call('POST', '/sales', { ...posted, id: uuidv7(), receiptNo: `${till.terminalId}-1-9` }),
    ).toMatchObject({
      status: 422,
      body: { code: 'shift_currency_mismatch', currency: 'EUR' },
    });

    // A sale that arrives before its shift cannot be checked; the Z-report leaves it out.
    const early = await openShift();
    const laterShift = { ...early.shift, id: uuidv7(), seq: 2 };
    const ahead = { ...early.sale([{ sku: 'A', quantity: 100 }]), currency: 'USD', shiftId: laterShift.id };
    expect((await sync(early.terminalId, [ahead, laterShift])).body.results).toMatchObject([
      { status: 'accepted' },
      { status: 'accepted' },
    ]);
    const report = (await call('GET', `/shifts/${laterShift.id}`)).body.report;
    expect(report.sales).toMatchObject({ count: 0, net: 0 });
    expect(report.cash).toMatchObject({ sales: 0, expected: 10_000 });
  });

  it('registers a terminal with its own key, refuses a second registration and rotates the key', async () => {
    const registered = await call('POST', '/terminals', {
      terminalId: 'REG-1',
      storeId: 'S1',
      name: 'Front',
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      terminalId: 'REG-1',
      storeId: 'S1',
      hasKey: true,
      lastShiftSeq: 0,
    });
    expect(registered.body.apiKey.secret).toMatch(/^secret-/);
    expect((await call('POST', '/terminals', { terminalId: 'REG-1', storeId: 'S1' })).body.code).toBe(
      'terminal_already_registered',
    );
    const rotated = await call('POST', '/terminals/REG-1/keys', {});
    expect(rotated.status).toBe(201);
    expect(revoked).toContain(registered.body.apiKey.id);
    expect((await call('POST', '/terminals', { terminalId: 'REG-2', storeId: 'NOWHERE' })).body.code).toBe(
      'unknown_location',
    );
    expect((await call('GET', '/terminals/REG-1')).body).toMatchObject({ name: 'Front', hasKey: true });
  });
});
