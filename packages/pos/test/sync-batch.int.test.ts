import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { announceLocation, announceProduct, pgUrl, posApi, startPos } from './pos-rig.js';

interface Result {
  id: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  code?: string;
  retryable?: boolean;
  quarantined?: boolean;
}

describe.each(harnessDialects(pgUrl))('POS sync batches in one transaction on %s', (dialect) => {
  let pos: ContextHarness;
  const call = posApi(() => pos);
  const sync = async (terminalId: string, transactions: object[]): Promise<Result[]> => {
    const answer = await call('POST', '/sync', { terminalId, transactions });
    expect(answer.status).toBe(200);
    return answer.body.results as Result[];
  };

  let terminals = 0;
  const till = () => {
    terminals += 1;
    const terminalId = `B${terminals}-${dialect}`;
    const sale = (receiptNo?: string, sku = 'A') => ({
      type: 'sale',
      id: uuidv7(),
      storeId: 'S1',
      terminalId,
      occurredAt: '2026-11-01T10:00:00Z',
      currency: 'EUR',
      lines: [{ sku, quantity: 1, unitPrice: 500 }],
      payments: [{ method: 'card', amount: 500 }],
      ...(receiptNo ? { receiptNo } : {}),
    });
    return { terminalId, sale };
  };

  beforeAll(async () => {
    pos = await startPos(dialect);
    await announceLocation(pos, 'S1');
    await announceProduct(pos, 'A', 500);
  });
  afterAll(async () => pos?.close());

  it('keeps a receipt number to one sale when batches of one terminal race for it', async () => {
    for (let round = 0; round < 10; round++) {
      const { terminalId, sale } = till();
      const receiptNo = `${terminalId}-1-1`;
      const [first, second] = [sale(receiptNo), sale(receiptNo)];
      const third = sale(receiptNo);
      const answers = await Promise.all([
        sync(terminalId, [first]),
        sync(terminalId, [second, third]),
        // The first batch delivered twice at once, as a till retrying after a timeout would.
        sync(terminalId, [first]),
      ]);
      const byId = new Map<string, Result[]>();
      for (const result of answers.flat()) byId.set(result.id, [...(byId.get(result.id) ?? []), result]);
      const accepted = answers.flat().filter((result) => result.status === 'accepted');
      expect(accepted).toHaveLength(1);
      for (const result of answers.flat().filter((candidate) => candidate.status === 'rejected'))
        expect(result.code).toBe('receipt_number_taken');
      // The twice-delivered batch answers the same either way: accepted once and duplicate, or refused twice.
      const firstStatuses = byId
        .get(first.id)!
        .map((result) => result.status)
        .sort();
      expect([
        ['accepted', 'duplicate'],
        ['rejected', 'rejected'],
      ]).toContainEqual(firstStatuses);

      const stored = await call('GET', `/sales?terminalId=${terminalId}`);
      expect(stored.body.sales.map((stored: { id: string }) => stored.id)).toEqual([accepted[0]!.id]);
      const events = (await pos.published()).filter(
        (event) =>
          event.type === 'pos.sale.completed' &&
          (event.data as { terminalId: string }).terminalId === terminalId,
      );
      expect(events.map((event) => (event.data as { saleId: string }).saleId)).toEqual([accepted[0]!.id]);
    }
  });

  it('answers a full batch in order, also where PostgreSQL commits it in chunks', async () => {
    const { terminalId, sale } = till();
    const sales = Array.from({ length: 120 }, (_, index) => sale(`${terminalId}-1-${index + 1}`));
    // A replay and a reused receipt number behind the first chunk's end, a poison one inside it.
    const batch = [...sales, sales[3]!, { ...sale(`${terminalId}-1-7`) }];
    batch[10] = sale(`${terminalId}-1-11`, 'NOPE');
    const results = await sync(terminalId, batch);
    expect(results.map((result) => result.id)).toEqual(batch.map((transaction) => transaction.id));
    expect(results.filter((result) => result.status === 'accepted')).toHaveLength(119);
    expect(results[10]).toMatchObject({ status: 'rejected', code: 'unknown_sku' });
    expect(results[120]).toMatchObject({ status: 'duplicate' });
    expect(results[121]).toMatchObject({ status: 'rejected', code: 'receipt_number_taken' });
    const stored = await call('GET', `/sales?terminalId=${terminalId}&limit=1000`);
    expect(stored.body.sales).toHaveLength(119);
  });

  it('rolls back only the refused transaction of a batch, keeps the batch order, and sees its own writes', async () => {
    const { terminalId, sale } = till();
    const first = sale(`${terminalId}-1-1`);
    // Refused at its receipt number, after its sale row was written: that row must go with it.
    const clash = sale(`${terminalId}-1-1`);
    const unknownSku = sale(`${terminalId}-1-2`, 'NOPE');
    const again = { ...first };
    const changed = { ...first, occurredAt: '2026-11-01T10:00:01Z' };
    const afterwards = sale(`${terminalId}-1-2`);
    const refund = {
      type: 'return',
      id: uuidv7(),
      storeId: 'S1',
      terminalId,
      occurredAt: '2026-11-01T11:00:00Z',
      currency: 'EUR',
      originalSaleId: afterwards.id,
      lines: [{ sku: 'A', quantity: 1, disposition: 'restock', originalLineNo: 1 }],
      refunds: [{ method: 'card', amount: 500 }],
      receiptNo: `${terminalId}-1-3`,
    };
    const results = await sync(terminalId, [first, clash, unknownSku, again, changed, afterwards, refund]);
    expect(results).toMatchObject([
      { id: first.id, status: 'accepted' },
      { id: clash.id, status: 'rejected', code: 'receipt_number_taken' },
      { id: unknownSku.id, status: 'rejected', code: 'unknown_sku' },
      { id: first.id, status: 'duplicate' },
      { id: first.id, status: 'rejected', code: 'id_conflict' },
      // The receipt number the refused sale asked for is free again: its claim was rolled back with it.
      { id: afterwards.id, status: 'accepted' },
      { id: refund.id, status: 'accepted' },
    ]);
    expect((await call('GET', `/sales/${clash.id}`)).status).toBe(404);
    expect((await call('GET', `/sales/${unknownSku.id}`)).status).toBe(404);
    expect((await call('GET', `/sales/${afterwards.id}/returnable`)).body.lines[0]).toMatchObject({
      returned: 1,
      returnable: 0,
    });
    const quarantined = await call('GET', `/quarantine?terminalId=${terminalId}`);
    expect(
      quarantined.body.transactions.map((entry: { transactionId: string }) => entry.transactionId).sort(),
    ).toEqual([clash.id, unknownSku.id, first.id].sort());
    const published = (await pos.published()).filter(
      (event) => (event.data as { terminalId?: string }).terminalId === terminalId,
    );
    expect(published.map((event) => event.type).sort()).toEqual([
      'pos.return.completed',
      'pos.sale.completed',
      'pos.sale.completed',
    ]);
  });

  it('answers a return that comes before its sale `retryable`, and accepts it once the sale has landed', async () => {
    const { terminalId, sale } = till();
    const sold = sale(`${terminalId}-1-1`);
    const refund = {
      type: 'return',
      id: uuidv7(),
      storeId: 'S1',
      terminalId,
      occurredAt: '2026-11-01T11:00:00Z',
      currency: 'EUR',
      originalSaleId: sold.id,
      lines: [{ sku: 'A', quantity: 1, disposition: 'restock', originalLineNo: 1 }],
      refunds: [{ method: 'card', amount: 500 }],
      receiptNo: `${terminalId}-1-2`,
    };
    const [early] = await sync(terminalId, [refund]);
    expect(early).toMatchObject({ status: 'rejected', code: 'original_sale_not_found', retryable: true });
    expect(early!.quarantined).toBeUndefined();
    expect((await sync(terminalId, [sold]))[0]).toMatchObject({ status: 'accepted' });
    expect((await sync(terminalId, [refund]))[0]).toMatchObject({ status: 'accepted' });
    expect((await call('GET', `/quarantine?terminalId=${terminalId}`)).body.transactions).toEqual([]);
  });

  it('keeps a changed body in the quarantine when the original is sent again', async () => {
    const { terminalId, sale } = till();
    const original = sale(`${terminalId}-1-1`);
    const changed = { ...original, occurredAt: '2026-11-01T10:00:01Z' };
    expect((await sync(terminalId, [original]))[0]).toMatchObject({ status: 'accepted' });
    expect((await sync(terminalId, [changed]))[0]).toMatchObject({ status: 'rejected', code: 'id_conflict' });
    expect((await sync(terminalId, [original]))[0]).toMatchObject({ status: 'duplicate' });
    const quarantined = await call('GET', `/quarantine?terminalId=${terminalId}`);
    expect(quarantined.body.transactions).toMatchObject([
      { transactionId: original.id, code: 'id_conflict', transaction: { occurredAt: changed.occurredAt } },
    ]);
  });
});
