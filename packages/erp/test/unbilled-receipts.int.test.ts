import { describe, expect, it } from 'vitest';
import type { StockChangedV1Data } from '@tillstream/contracts';
import { foreignEvent, harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import type { UnbilledReceipt } from '../src/finance/unbilled-receipts.decide.js';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';
import { byMovement, unbilledByJournal } from './unbilled-receipts.oracle.js';

/**
 * The work list of receipts waiting on 2310 (`GET /finance/unbilled-receipts`) is a table the valuation and
 * the bills keep; at every step it must list exactly what the journal less the bills says, as the list
 * computed it before, whichever filter and page size a clerk reads it with.
 */
describe.each(harnessDialects(pgUrl))('ERP unbilled receipts on %s', (dialect) => {
  const rig = purchaseOrderRig(dialect);
  const { ok, call, product, receipt, deliverOwnEvents: postToJournal } = rig;

  /** Stock received outside any order at `locationId`, dated `occurredAt`; its movement id. */
  const delivered = async (
    sku: string,
    locationId: string,
    occurredAt: string,
    quantity: number,
    unitCost?: number,
  ) => {
    const id = uniqueName('dsd');
    await ok('POST', '/inventory/adjustments', {
      id,
      sku,
      locationId,
      delta: quantity,
      reason: 'received',
      occurredAt,
      ...(unitCost === undefined ? {} : { unitCost }),
    });
    return `adjustment/${id}`;
  };
  const bill = (receipts: string[], total: number, currency = 'EUR') => ({
    id: uniqueName('bill'),
    supplierId: 'bakery',
    supplierInvoiceNumber: uniqueName('DV'),
    currency,
    receipts,
    total,
  });
  /** Every page of the list with this query, `limit` at a time. */
  const listed = async (query: string, limit: number) => {
    const all: UnbilledReceipt[] = [];
    let after: string | null = null;
    do {
      const page: { receipts: UnbilledReceipt[]; next: string | null } = await ok(
        'GET',
        `/finance/unbilled-receipts?limit=${limit}${query}${after ? `&after=${after}` : ''}`,
      );
      expect(page.receipts.length).toBeLessThanOrEqual(limit);
      all.push(...page.receipts);
      after = page.next;
    } while (after !== null);
    return all;
  };
  const FILTERS: Array<[string, (row: UnbilledReceipt) => boolean]> = [
    ['', () => true],
    ['&currency=EUR', (row) => row.currency === 'EUR'],
    ['&currency=USD', (row) => row.currency === 'USD'],
    ['&locationId=S1', (row) => row.locationId === 'S1'],
    ['&locationId=W1&currency=EUR', (row) => row.locationId === 'W1' && row.currency === 'EUR'],
  ];
  /**
   * The list, read whole under each filter and in pages of 1, 2 and 500, is what the journal says: the same
   * receipts, each once, oldest first. Answers the journal's list.
   */
  const expectListIsJournal = async () => {
    await rig.erp().allFinished();
    const journal = await unbilledByJournal(rig.erp().db);
    for (const [query, keep] of FILTERS)
      for (const limit of [1, 2, 500]) {
        const rows = await listed(query, limit);
        expect(byMovement(rows), `${query} by ${limit}`).toEqual(journal.filter(keep));
        const times = rows.map((row) => row.occurredAt);
        expect(times, `${query} by ${limit}: oldest first`).toEqual([...times].sort());
      }
    return journal;
  };
  const ids = (rows: readonly UnbilledReceipt[]) => rows.map((row) => row.movementId);

  it('lists what the journal less the bills says through receipts, bills refused and bills at once', async () => {
    const [bread, milk, dollars, costless, ordered] = [
      await product(),
      await product(),
      await product({ price: { amount: 900, currency: 'USD' } }),
      await product(),
      await product(),
    ];
    // Out of date order, two at the same instant (the movement id decides), one in dollars, one of a SKU
    // that never had a cost (it posts no entry: it waits at 0).
    const late = await delivered(bread, 'S1', '2026-10-30T06:00:00Z', 10, 120);
    const early = await delivered(milk, 'W1', '2026-10-28T06:00:00Z', 6, 80);
    const twinA = await delivered(bread, 'S1', '2026-10-29T06:00:00Z', 2, 120);
    const twinB = await delivered(milk, 'S1', '2026-10-29T06:00:00Z', 3, 80);
    const inDollars = await delivered(dollars, 'S1', '2026-10-29T07:00:00Z', 4, 250);
    const noCost = await delivered(costless, 'S1', '2026-10-27T06:00:00Z', 5);
    // An order's receipt: the line it listed waits on 2300, the bread it did not list on 2310.
    const orderId = await rig.ordered([{ sku: ordered, quantity: 2, unitCost: 100 }]);
    await ok(
      'POST',
      `/purchase-orders/${orderId}/receipts`,
      receipt(
        [
          { sku: ordered, quantity: 2 },
          { sku: bread, quantity: 1 },
        ],
        { occurredAt: '2026-10-31T06:00:00Z' },
      ),
    );
    expect(await expectListIsJournal()).not.toContainEqual(expect.objectContaining({ movementId: late }));
    // Not valued yet: what it is worth is not known, not even that it is nothing.
    expect(await call('POST', '/finance/supplier-bills', bill([noCost], 100))).toMatchObject({
      status: 409,
      body: { code: 'bill_receipt_not_booked' },
    });
    await postToJournal();

    const booked = await expectListIsJournal();
    expect(ids(booked)).toEqual(expect.arrayContaining([late, early, twinA, twinB, inDollars, noCost]));
    expect(booked.find((row) => row.movementId === noCost)).toMatchObject({ currency: 'EUR', value: 0 });
    const fromOrder = booked.filter((row) => row.kind === 'po_received' && row.sku === bread);
    expect(fromOrder).toEqual([expect.objectContaining({ quantity: 1, value: 120, currency: 'EUR' })]);
    expect(booked.filter((row) => row.sku === ordered)).toEqual([]);
    expect(booked.find((row) => row.movementId === late)).toEqual({
      movementId: late,
      kind: 'received',
      sku: bread,
      locationId: 'S1',
      quantity: 10,
      occurredAt: '2026-10-30T06:00:00.000Z',
      currency: 'EUR',
      value: 1_200,
    });

    await ok('POST', '/finance/supplier-bills', bill([late, twinA], 1_450));
    await ok('POST', '/finance/supplier-bills', bill([noCost], 100));
    const billed = await expectListIsJournal();
    expect(ids(billed)).not.toContain(noCost);
    expect(ids(billed)).not.toContain(late);
    expect(ids(billed)).not.toContain(twinA);

    // Refused bills take nothing off the list: one naming a billed receipt beside an open one, one in the
    // wrong currency.
    for (const [refused, code] of [
      [bill([twinB, late], 500), 'bill_receipt_already_billed'],
      [bill([twinB, inDollars], 500), 'bill_receipt_currency_mismatch'],
    ] as const)
      expect((await call('POST', '/finance/supplier-bills', refused)).body.code).toBe(code);
    expect(await expectListIsJournal()).toEqual(billed);

    // Four bills of the same delivery at once: one takes it, the list loses it once.
    const rivals = await Promise.all(
      Array.from({ length: 4 }, () => call('POST', '/finance/supplier-bills', bill([twinB, early], 800))),
    );
    expect(rivals.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409]);
    const after = await expectListIsJournal();
    expect(ids(after)).not.toContain(twinB);
    expect(ids(after)).not.toContain(early);
    expect(ids(after)).toContain(inDollars);

    // The deliveries' events again under other ids (a replay of the log): an entry is not posted twice, and
    // a receipt valued at nothing has none, so it is the bills that took them that keep them off the list.
    for (const [index, movementId] of [late, noCost].entries()) {
      const [changed] = (await rig.erp().published()).filter(
        (event) => (event.data as StockChangedV1Data).movement?.id === movementId,
      );
      const data = changed!.data as StockChangedV1Data;
      await rig
        .erp()
        .deliver('erp', foreignEvent('erp', 'erp.stock.changed', changed!.subject, 99 + index, data));
    }
    const replayed = ids(await expectListIsJournal());
    expect(replayed).not.toContain(late);
    expect(replayed).not.toContain(noCost);
  });

  it('pages oldest first by a cursor that outlives what it names; refuses any other cursor', async () => {
    const sku = await product();
    const location = uniqueName('S');
    await ok('PUT', `/locations/${location}`, { name: location, kind: 'store' });
    const receipts = [];
    for (const day of ['20', '21', '22'])
      receipts.push(await delivered(sku, location, `2026-10-${day}T06:00:00Z`, 1, 100));
    await postToJournal();
    const page = (after?: string) =>
      ok(
        'GET',
        `/finance/unbilled-receipts?locationId=${location}&limit=1${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      );
    const first = await page();
    expect(ids(first.receipts)).toEqual([receipts[0]]);

    // The receipt the cursor ends at is billed, and one dated before it arrives: the next page goes on after
    // the place, the new one shows on a fresh first page.
    await ok('POST', '/finance/supplier-bills', bill([receipts[0]!], 100));
    const older = await delivered(sku, location, '2026-10-19T06:00:00Z', 1, 100);
    await postToJournal();
    const second = await page(first.next);
    expect(ids(second.receipts)).toEqual([receipts[1]]);
    const third = await page(second.next);
    expect(third).toEqual({ receipts: [expect.objectContaining({ movementId: receipts[2] })], next: null });
    expect(ids((await page()).receipts)).toEqual([older]);
    await expectListIsJournal();

    const { app, adminKey } = rig.erp();
    for (const after of ['42', '0', 'bm9wZQ', 'x'.repeat(2_000)]) {
      const answer = await app.inject({
        method: 'GET',
        url: `/erp/v1/finance/unbilled-receipts?after=${after}`,
        headers: { authorization: `Bearer ${adminKey}` },
      });
      expect(answer.statusCode, after).toBe(400);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.json()).toMatchObject({ code: 'invalid_cursor', status: 400 });
    }
  });
});
