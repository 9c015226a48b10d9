import { describe, expect, it } from 'vitest';
import { authoriseOfflineCards } from './tenders.js';
import { card, fakeServer, till } from './till.fixtures.js';

describe('authoriseOfflineCards', () => {
  const limits = { perSale: 5000, total: 8000 };
  it.each([
    ['online: untouched, whatever the amount', true, 0, [{ method: 'card', amount: 90_000 }], 'ok'],
    ['offline within both limits', false, 3000, [{ method: 'card', amount: 5000 }], 'ok'],
    ['offline cash: no limit applies', false, 8000, [{ method: 'cash', amount: 90_000 }], 'ok'],
    ['offline above the per-sale limit', false, 0, [{ method: 'card', amount: 5001 }], 'offline_card_limit'],
    [
      'offline split cards that add up above it',
      false,
      0,
      [
        { method: 'card', amount: 3000 },
        { method: 'card', amount: 2001 },
      ],
      'offline_card_limit',
    ],
    [
      'offline past the terminal total',
      false,
      3001,
      [{ method: 'card', amount: 5000 }],
      'offline_card_limit',
    ],
  ] as const)('%s', (_name, online, outstanding, payments, outcome) => {
    const run = () => authoriseOfflineCards(payments, { online, outstanding, limits });
    if (outcome === 'ok') expect(run).not.toThrow();
    else expect(run).toThrowError(expect.objectContaining({ code: outcome }));
  });

  it('takes offline card payments for 24 hours from the oldest one not yet synced, then refuses more', () => {
    const card = [{ method: 'card', amount: 100 }];
    const after = (at: string) => () =>
      authoriseOfflineCards(card, {
        online: false,
        outstanding: 100,
        oldestOutstandingAt: '2026-11-01T10:00:00.000Z',
        at,
        limits,
      });
    expect(after('2026-11-02T09:59:59.999Z')).not.toThrow();
    expect(after('2026-11-02T10:00:00.000Z')).toThrowError(
      expect.objectContaining({ code: 'offline_card_limit', message: expect.stringContaining('24 h') }),
    );
    const shorter = () =>
      authoriseOfflineCards(card, {
        online: false,
        outstanding: 100,
        oldestOutstandingAt: '2026-11-01T10:00:00.000Z',
        at: '2026-11-01T14:00:00.000Z',
        limits: { ...limits, windowHours: 4 },
      });
    expect(shorter).toThrowError(expect.objectContaining({ code: 'offline_card_limit' }));
    // Cash is never limited.
    expect(() =>
      authoriseOfflineCards([{ method: 'cash', amount: 100 }], {
        online: false,
        outstanding: 100,
        oldestOutstandingAt: '2026-11-01T10:00:00.000Z',
        at: '2026-11-05T10:00:00.000Z',
        limits,
      }),
    ).not.toThrow();
  });

  it('marks offline card payments and leaves the others alone', () => {
    expect(
      authoriseOfflineCards(
        [
          { method: 'card', amount: 100 },
          { method: 'cash', amount: 50 },
        ],
        { online: false, outstanding: 0, limits },
      ),
    ).toEqual([
      { method: 'card', amount: 100, offline: true },
      { method: 'cash', amount: 50 },
    ]);
  });
});

describe('offline card limits on a terminal', () => {
  it('refuses a card payment above the per-sale limit offline, and stores nothing for it', async () => {
    const { http } = fakeServer({});
    const terminal = await till(http);
    await expect(terminal.sell(card(3))).rejects.toMatchObject({ code: 'offline_card_limit' });
    expect(await terminal.status()).toMatchObject({ pending: 1 });
    const { sale } = await terminal.sell(card(2));
    expect(sale).toMatchObject({
      receiptNo: 'T1-1-1',
      payments: [{ method: 'card', amount: 5000, offline: true }],
    });
  });

  it('stops taking cards offline a day after the oldest one not yet synced, until it syncs', async () => {
    const { http, state } = fakeServer({});
    let now = new Date('2026-11-01T10:00:00Z');
    const terminal = await till(http, { now: () => now });
    await terminal.sell(card(1));
    now = new Date('2026-11-02T09:00:00Z');
    await terminal.sell(card(1));
    now = new Date('2026-11-02T10:00:00Z');
    await expect(terminal.sell(card(1))).rejects.toMatchObject({ code: 'offline_card_limit' });
    state.online = true;
    await terminal.sync();
    // Offline again, and the till knows it (its sync fails): a new window starts with the next card.
    state.online = false;
    await terminal.sync();
    const { sale } = await terminal.sell(card(1));
    expect(sale.payments).toEqual([{ method: 'card', amount: 2500, offline: true }]);
  });

  it('stops at the terminal floor limit until the offline card sales reach the server', async () => {
    const { http, state } = fakeServer({});
    const terminal = await till(http);
    await terminal.sell(card(2));
    await terminal.sell(card(2));
    await expect(terminal.sell(card(1))).rejects.toMatchObject({ code: 'offline_card_limit' });
    // Cash is never limited.
    await terminal.sell({
      lines: [{ sku: 'A', quantity: 1 }],
      tenders: [{ method: 'cash', tendered: 5000 }],
    });
    state.online = true;
    await terminal.sync();
    expect(state.synced.filter((transaction) => transaction.type === 'sale')).toHaveLength(3);
    // Online the acquirer authorises: no limit, no offline mark.
    const { sale } = await terminal.sell(card(3));
    expect(sale.payments).toEqual([{ method: 'card', amount: 7500 }]);
    state.online = false;
    await terminal.sell(card(2));
  });
});
