import { describe, expect, it } from 'vitest';
import { card, fakeServer, till } from './till.fixtures.js';

describe('gift cards at the till', () => {
  it('holds the value online before the sale is stored, and the sale names the hold', async () => {
    const { http, state } = fakeServer({ 'GC-1': 3000 });
    state.online = true;
    const terminal = await till(http);
    const { sale } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 2 }],
      tenders: [{ method: 'gift_card', amount: 3000, reference: 'GC-1' }, { method: 'card' }],
    });
    expect(sale.payments).toEqual([
      { method: 'gift_card', amount: 3000, reference: 'GC-1', redemptionId: expect.any(String) },
      { method: 'card', amount: 2000 },
    ]);
  });

  it('refuses a card as the server does, with its balance or its own reason, and gives back what it held', async () => {
    const { http, state } = fakeServer({ 'GC-1': 2000, 'GC-2': 400, 'GC-OLD': 5000 });
    state.online = true;
    state.expired.add('GC-OLD');
    const terminal = await till(http);
    // GC-1 is held first each time, and given back when the second card is refused.
    const payingAlsoWith = (reference: string, amount: number) =>
      terminal.sell({
        lines: [{ sku: 'A', quantity: 1 }],
        tenders: [
          { method: 'gift_card', amount: 1000, reference: 'GC-1' },
          { method: 'gift_card', amount, reference },
          { method: 'cash', tendered: 1000 },
        ],
      });
    await expect(payingAlsoWith('GC-2', 500)).rejects.toMatchObject({
      code: 'insufficient_balance',
      balance: 400,
    });
    expect(state.cancelled).toHaveLength(1);
    expect(await terminal.status()).toMatchObject({ pending: 1 });
    await expect(payingAlsoWith('GC-OLD', 1500)).rejects.toMatchObject({
      code: 'stored_value_refused',
      reason: 'stored_value_expired',
      message: 'The gift card GC-OLD expired at 2026-01-01T00:00:00.000Z',
    });
    expect(state.cancelled).toHaveLength(2);
    await expect(
      terminal.sellGiftCard({
        number: 'GC-OLD',
        amount: 2000,
        tenders: [{ method: 'cash', tendered: 2000 }],
      }),
    ).rejects.toMatchObject({ code: 'stored_value_refused', reason: 'stored_value_expired' });
    expect(state.issues).toEqual([]);
    await expect(
      terminal.sell({
        lines: [{ sku: 'A', quantity: 1 }],
        tenders: [{ method: 'gift_card', reference: 'GC-404' }],
      }),
    ).rejects.toMatchObject({ code: 'stored_value_not_found' });
  });

  it('sells a gift card online only, numbered on the shift; a lost request is sent again as it was', async () => {
    const { http, state } = fakeServer({});
    const terminal = await till(http);
    const refused = await terminal
      .sellGiftCard({ number: 'GC-9', amount: 2000, tenders: [{ method: 'cash', tendered: 2000 }] })
      .catch((error: unknown) => error as { code: string; issue: any });
    expect(refused).toMatchObject({
      code: 'stored_value_offline',
      issue: { number: 'GC-9', receiptNo: 'T1-1-1' },
    });
    await expect(terminal.balance('GC-9')).rejects.toMatchObject({ code: 'stored_value_offline' });
    state.online = true;
    const sold = await terminal.sellGiftCard({
      number: 'GC-9',
      amount: 2000,
      tenders: [],
      retry: refused.issue,
    });
    expect(sold.issue).toEqual(refused.issue);
    expect(state.issues).toEqual([refused.issue]);
    expect(await terminal.balance('GC-9')).toMatchObject({ balance: 2000 });
    await expect(terminal.balance('GC-404')).rejects.toMatchObject({ code: 'stored_value_not_found' });
    const { sale } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 1 }],
      tenders: [{ method: 'cash' }],
    });
    expect(sale.receiptNo).toBe('T1-1-2');
  });

  it('never gives the number of a gift card the server recorded to the next sale, answer lost or not', async () => {
    const { http, state } = fakeServer({});
    state.online = true;
    const terminal = await till(http);
    state.losesIssueAnswers = true;
    await expect(
      terminal.sellGiftCard({ number: 'GC-7', amount: 2000, tenders: [{ method: 'card' }] }),
    ).rejects.toMatchObject({ code: 'stored_value_offline', issue: { receiptNo: 'T1-1-1' } });
    expect(state.issues).toHaveLength(1);
    state.losesIssueAnswers = false;
    const { sale } = await terminal.sell(card(1));
    expect(sale.receiptNo).toBe('T1-1-2');
    expect(await terminal.sync()).toMatchObject({ accepted: 2, quarantined: 0 });
  });

  it('sends the expiry printed on a card it sells, and none for a card that does not expire', async () => {
    const { http, state } = fakeServer({});
    state.online = true;
    const terminal = await till(http);
    const expiresAt = '2027-12-31T23:00:00.000Z';
    await terminal.sellGiftCard({ number: 'GC-5', amount: 1000, tenders: [{ method: 'card' }], expiresAt });
    await terminal.sellGiftCard({ number: 'GC-6', amount: 1000, tenders: [{ method: 'card' }] });
    expect(state.issues.map((issue: { expiresAt?: string }) => issue.expiresAt)).toEqual([
      expiresAt,
      undefined,
    ]);
  });

  it.each([
    ['reached the server but its answer was lost', 'lost', ['redemption/']],
    ['was answered 503 without being recorded', 'failed', ['sale/']],
  ] as const)('debits a gift card once when its hold %s', async (_case, holdAnswer, debits) => {
    const balances = { 'GC-1': 5000 };
    const { http, state } = fakeServer(balances);
    state.online = true;
    const terminal = await till(http);
    state.holdAnswer = holdAnswer;
    const { sale } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 1 }],
      tenders: [{ method: 'gift_card', reference: 'GC-1' }],
    });
    expect(sale.payments).toEqual([
      { method: 'gift_card', amount: 2500, reference: 'GC-1', redemptionId: expect.any(String) },
    ]);
    state.holdAnswer = 'kept';
    expect(await terminal.sync()).toMatchObject({ accepted: 2, quarantined: 0 });
    expect(state.debits).toEqual([expect.stringMatching(new RegExp(`^${debits[0]}`))]);
    expect(balances['GC-1']).toBe(2500);
    expect([...state.held.values()].filter((status) => status === 'held')).toEqual([]);
  });

  it('gives back a hold left without an answer when the sale is refused', async () => {
    const { http, state } = fakeServer({ 'GC-1': 5000 });
    state.online = true;
    const terminal = await till(http);
    state.holdAnswer = 'lost';
    await expect(
      terminal.sell({
        lines: [{ sku: 'A', quantity: 1 }],
        tenders: [
          { method: 'gift_card', amount: 2000, reference: 'GC-1' },
          { method: 'gift_card', amount: 500, reference: 'GC-404' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'stored_value_not_found' });
    expect([...state.held.values()]).toEqual(['cancelled']);
  });

  it('takes a gift card offline without an answered hold: the server debits it when the sale arrives', async () => {
    const { http } = fakeServer({});
    const terminal = await till(http);
    const { sale } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 1 }],
      tenders: [{ method: 'gift_card', reference: 'GC-1' }],
    });
    // The hold was sent for all the terminal knows, so the payment names it; the server finds none and debits.
    expect(sale.payments).toEqual([
      { method: 'gift_card', amount: 2500, reference: 'GC-1', redemptionId: expect.any(String) },
    ]);
  });
});
