import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { signed } from '../src/finance/finance.fixtures.js';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

/** Supplier bills of expenses (rent, energy, carriage …): booked per location, aged, paid and reconciled. */
describe.each(harnessDialects(pgUrl))('ERP supplier bills of expenses on %s', (dialect) => {
  const rig = purchaseOrderRig(dialect);
  const { ok, call, product, deliverOwnEvents: postToJournal, supplierPayment: payment } = rig;
  const expense = (account: string, amount: number, description: string, locationId?: string) => ({
    account,
    amount,
    description,
    ...(locationId === undefined ? {} : { locationId }),
  });
  const bill = (supplierId: string, expenses: object[], total: number, extra: object = {}) => ({
    id: uniqueName('bill'),
    supplierId,
    supplierName: 'Vastgoed Noord',
    supplierInvoiceNumber: uniqueName('VN'),
    currency: 'EUR',
    expenses,
    total,
    ...extra,
  });
  const entriesOf = async (billId: string) => {
    await rig.erp().allFinished();
    const entries = (await ok('GET', '/finance/journal?kind=supplier_bill&limit=500')).entries as any[];
    return entries
      .filter((entry) => entry.sourceId === billId || entry.sourceId.startsWith(`${billId}@`))
      .map((entry) => [entry.sourceId, entry.locationId, signed(entry.lines)]);
  };
  /** The balance of each account of a location's trial balance over one day, and whether it balanced. */
  const trialBalanceOf = async (locationId: string, day: string) => {
    const [eur] = (
      await ok(
        'GET',
        `/finance/trial-balance?locationId=${locationId}&from=${day}T00:00:00Z&to=${day}T23:59:59Z`,
      )
    ).currencies as any[];
    return {
      balanced: eur.balanced,
      ...Object.fromEntries(eur.accounts.map((account: any) => [account.code, account.balance])),
    };
  };
  /** The supplier's row of the aging (none when nothing of it is open), the books checked to agree. */
  const agingOf = async (supplierId: string) => {
    const eur = ((await ok('GET', '/finance/payables?currency=EUR')).currencies as any[])[0];
    // Nothing open of anyone: no currency to show.
    if (eur === undefined) return undefined;
    expect(eur.reconciled, 'open bills equal 2000 in the journal').toBe(true);
    return eur.suppliers.find((row: any) => row.supplierId === supplierId);
  };

  it("bills a store's rent to 6100 at the store, ages it, reconciles 2000 and pays it", async () => {
    const supplierId = uniqueName('landlord');
    const body = bill(
      supplierId,
      [
        expense('6100', 250_000, 'Rent October, unit 4', 'S1'),
        expense('6100', 18_000, 'Service charges October', 'S1'),
      ],
      268_000,
      { invoicedAt: '2026-10-01T00:00:00Z' },
    );
    const taken = await call('POST', '/finance/supplier-bills', body);
    const recorded = {
      billId: body.id,
      supplierId,
      supplierName: 'Vastgoed Noord',
      supplierInvoiceNumber: body.supplierInvoiceNumber,
      currency: 'EUR',
      total: 268_000,
      matched: 0,
      invoicedAt: '2026-10-01T00:00:00.000Z',
      dueAt: '2026-10-31T00:00:00.000Z',
      locationId: 'S1',
      receipts: [],
      expenses: [
        { account: '6100', amount: 250_000, description: 'Rent October, unit 4', locationId: 'S1' },
        { account: '6100', amount: 18_000, description: 'Service charges October', locationId: 'S1' },
      ],
    };
    expect(taken).toEqual({ status: 201, body: { ...recorded, paid: 0, open: 268_000 } });
    expect(await ok('GET', `/finance/supplier-bills/${body.id}`)).toEqual(taken.body);
    expect(await entriesOf(body.id)).toEqual([[body.id, 'S1', { '6100': 268_000, '2000': -268_000 }]]);
    const events = (await rig.erp().published()).filter(
      (event) => event.subject === `supplier-bill/${body.id}`,
    );
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['erp.supplier_bill.recorded', recorded],
    ]);
    expect(await trialBalanceOf('S1', '2026-10-01')).toEqual({
      balanced: true,
      '2000': 268_000,
      '6100': 268_000,
    });

    // The same request replays; another under the same id is refused, whatever it changes.
    expect(await call('POST', '/finance/supplier-bills', body)).toEqual({ status: 200, body: taken.body });
    const renamed = {
      ...body,
      expenses: [{ ...body.expenses[0], description: 'Rent Oct' }, body.expenses[1]],
    };
    for (const other of [renamed, { ...body, expenses: [body.expenses[0]], total: 250_000 }])
      expect(await call('POST', '/finance/supplier-bills', other)).toMatchObject({
        status: 409,
        body: { code: 'id_conflict' },
      });

    // Due 31 October, a day overdue by the clock; paid by naming it.
    expect(await agingOf(supplierId)).toMatchObject({
      open: 268_000,
      invoices: 1,
      buckets: { notDue: 0, overdue1To30: 268_000 },
    });
    const paid = payment(supplierId, 268_000, { bills: [{ billId: body.id, amount: 268_000 }] });
    expect(await ok('POST', '/finance/supplier-payments', paid)).toMatchObject({
      bills: [{ billId: body.id, amount: 268_000, open: 0 }],
    });
    expect(await ok('GET', `/finance/supplier-bills/${body.id}`)).toMatchObject({ paid: 268_000, open: 0 });
    expect(await agingOf(supplierId)).toBeUndefined();
  });

  it('splits a bill across stores and the head office into one balanced entry per location', async () => {
    await ok('PUT', '/locations/S2', { name: 'Store 2', kind: 'store' });
    const supplierId = uniqueName('energy');
    const body = bill(
      supplierId,
      [
        expense('6200', 40_000, 'Electricity S1', 'S1'),
        expense('6200', 35_000, 'Electricity S2', 'S2'),
        expense('6700', 5_000, 'Meter data service'),
        expense('6400', 2_500, 'Emergency call-out', 'S2'),
      ],
      82_500,
      { invoicedAt: '2026-10-02T00:00:00Z' },
    );
    expect(await ok('POST', '/finance/supplier-bills', body)).toMatchObject({
      locationId: null,
      open: 82_500,
    });
    expect(await entriesOf(body.id)).toEqual([
      [body.id, null, { '6700': 5_000, '2000': -5_000 }],
      [`${body.id}@S1`, 'S1', { '6200': 40_000, '2000': -40_000 }],
      [`${body.id}@S2`, 'S2', { '6200': 35_000, '6400': 2_500, '2000': -37_500 }],
    ]);
    expect(await trialBalanceOf('S2', '2026-10-02')).toEqual({
      balanced: true,
      '2000': 37_500,
      '6200': 35_000,
      '6400': 2_500,
    });
    expect(await agingOf(supplierId)).toMatchObject({ open: 82_500, invoices: 1 });
    // Paid oldest first without naming it, as any bill.
    await ok('POST', '/finance/supplier-payments', payment(supplierId, 82_500));
    expect(await agingOf(supplierId)).toBeUndefined();
  });

  it("bills goods and their carriage together: carriage at face value, the goods' difference to 5200", async () => {
    const sku = await product();
    const id = uniqueName('dsd');
    await ok('POST', '/inventory/adjustments', {
      id,
      sku,
      locationId: 'S1',
      delta: 10,
      reason: 'received',
      occurredAt: '2026-10-03T06:00:00Z',
      unitCost: 120,
    });
    await postToJournal();
    const movementId = `adjustment/${id}`;
    const body = bill(uniqueName('bakery'), [expense('6300', 150, 'Carriage', 'S1')], 1_400, {
      receipts: [movementId],
      invoicedAt: '2026-10-03T00:00:00Z',
    });
    expect(await ok('POST', '/finance/supplier-bills', body)).toMatchObject({
      matched: 1_200,
      locationId: 'S1',
      receipts: [{ movementId, value: 1_200 }],
      expenses: [{ account: '6300', amount: 150, locationId: 'S1' }],
    });
    expect(await entriesOf(body.id)).toEqual([
      [body.id, 'S1', { '2310': 1_200, '6300': 150, '5200': 50, '2000': -1_400 }],
    ]);
    const unbilled = (await ok('GET', '/finance/unbilled-receipts?currency=EUR&limit=500')).receipts as any[];
    expect(unbilled.map((row) => row.movementId)).not.toContain(movementId);
  });

  it('takes 200 lines, and one of four identical bills sent at once, replaying it to the rest', async () => {
    const lines = Array.from({ length: 200 }, (_, index) => expense('6800', 1, `Sundry ${index + 1}`));
    const body = bill(uniqueName('sundries'), lines, 200, { invoicedAt: '2026-10-04T00:00:00Z' });
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => call('POST', '/finance/supplier-bills', body)),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 201]);
    for (const answer of answers) expect(answer.body.expenses).toHaveLength(200);
    expect(await entriesOf(body.id)).toEqual([[body.id, null, { '6800': 200, '2000': -200 }]]);
  });

  it('refuses bad expenses with a stable code, writing nothing, and takes the id afterwards', async () => {
    const supplierId = uniqueName('cleaner');
    const rent = (extra: object) => ({ ...expense('6400', 1_000, 'Cleaning October', 'S1'), ...extra });
    const one = (line: object, extra: object = {}) => bill(supplierId, [line], 1_000, extra);
    const refusals: Array<[object, number, object]> = [
      [bill(supplierId, [], 1_000), 400, { code: 'supplier_bill_empty' }],
      [{ ...bill(supplierId, [], 1_000), expenses: undefined }, 400, { code: 'supplier_bill_empty' }],
      [one(rent({}), { receipts: [] }), 201, {}],
      [
        one(rent({ account: '5200' })),
        422,
        {
          code: 'bill_expense_account_invalid',
          lines: [{ line: 1, account: '5200' }],
          accepted: ['6100', '6200', '6300', '6400', '6500', '6600', '6700', '6800'],
        },
      ],
      [one(rent({ account: '6950' })), 422, { code: 'bill_expense_account_invalid' }],
      [one(rent({ account: '2000' })), 422, { code: 'bill_expense_account_invalid' }],
      [one(rent({ account: 6400 })), 400, { code: 'validation_failed' }],
      [one(rent({ locationId: 'S9' })), 422, { code: 'unknown_location', locations: ['S9'] }],
      [one(rent({ locationId: '../S1' })), 400, { code: 'validation_failed' }],
      [one(rent({ amount: 0 })), 400, { code: 'validation_failed' }],
      [one(rent({ amount: -1_000 })), 400, { code: 'validation_failed' }],
      [one(rent({ amount: 10.5 })), 400, { code: 'validation_failed' }],
      [one(rent({ amount: '1000' })), 400, { code: 'validation_failed' }],
      [one(rent({ description: '' })), 400, { code: 'validation_failed' }],
      [one(rent({ description: '   ' })), 400, { code: 'validation_failed' }],
      [one(rent({ description: 'x'.repeat(201) })), 400, { code: 'validation_failed' }],
      [one({ account: '6400', amount: 1_000 }), 400, { code: 'validation_failed' }],
      [one(rent({ vat: 210 })), 400, { code: 'validation_failed' }],
      [{ ...one(rent({})), expenses: rent({}) }, 400, { code: 'validation_failed' }],
      [
        bill(
          supplierId,
          Array.from({ length: 201 }, () => expense('6400', 5, 'Cleaning')),
          1_005,
        ),
        400,
        { code: 'validation_failed' },
      ],
      [one(rent({ amount: 999 })), 422, { code: 'bill_expense_total_mismatch', total: 1_000, expenses: 999 }],
      [
        bill(supplierId, [rent({}), rent({})], 1_000),
        422,
        { code: 'bill_expense_total_mismatch', total: 1_000, expenses: 2_000 },
      ],
      [
        one(rent({ amount: 1_001 }), { receipts: ['adjustment/none'] }),
        422,
        { code: 'bill_expense_total_mismatch', total: 1_000, expenses: 1_001 },
      ],
    ];
    await rig.erp().allFinished();
    const before = await ok('GET', '/finance/journal?kind=supplier_bill&limit=500');
    let taken = 0;
    for (const [body, status, problem] of refusals) {
      const answer = await call('POST', '/finance/supplier-bills', body);
      expect(answer, JSON.stringify(body)).toMatchObject({ status, body: problem });
      if (status === 201) {
        taken += 1;
        continue;
      }
      expect(answer.body).toMatchObject({ status, type: `urn:tillstream:problem:${answer.body.code}` });
      const { id } = body as { id: string };
      expect((await call('GET', `/finance/supplier-bills/${id}`)).body.code).toBe('supplier_bill_not_found');
    }
    await rig.erp().allFinished();
    const after = await ok('GET', '/finance/journal?kind=supplier_bill&limit=500');
    expect(after.entries).toHaveLength(before.entries.length + taken);
    expect(await agingOf(supplierId)).toMatchObject({ open: 1_000, invoices: 1 });

    // A refused bill claimed nothing: its id and invoice number are free for the corrected one.
    const wrong = one(rent({ account: '5200' }));
    expect((await call('POST', '/finance/supplier-bills', wrong)).status).toBe(422);
    const right = { ...wrong, expenses: [rent({})] };
    expect((await call('POST', '/finance/supplier-bills', right)).status).toBe(201);
  });
});
