import { describe, expect, it } from 'vitest';
import { AT } from './finance.fixtures.js';
import type { JournalEntry, JournalLine } from './journal.decide.js';
import {
  decodeUnbilledCursor,
  encodeUnbilledCursor,
  unbilledPage,
  unbilledReceiptOf,
  type ReceivedMovement,
  type UnbilledReceipt,
} from './unbilled-receipts.decide.js';

const movement: ReceivedMovement = {
  id: 'adjustment/dsd-1',
  kind: 'received',
  sku: 'BREAD',
  locationId: 'S1',
  quantity: 10,
  occurredAt: AT,
  unitCost: 120,
};

const entry = (lines: JournalLine[], extra: Partial<JournalEntry> = {}): JournalEntry => ({
  kind: 'goods_received',
  sourceId: movement.id,
  locationId: 'S1',
  channel: 'inventory',
  occurredAt: AT,
  currency: 'EUR',
  lines,
  taxBases: [],
  ...extra,
});

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('unbilledReceiptOf', () => {
  it('lists a receipt booked to 2310 at what it credited there', () => {
    const booked = entry([
      { account: '1300', debit: 1_200, credit: 0 },
      { account: '2310', debit: 0, credit: 1_200 },
    ]);
    expect(unbilledReceiptOf(movement, 'EUR', booked)).toEqual({
      movementId: movement.id,
      kind: 'received',
      sku: 'BREAD',
      locationId: 'S1',
      quantity: 10,
      occurredAt: AT,
      currency: 'EUR',
      value: 1_200,
    });
  });

  it('takes credit less debit on 2310, as the journal reads it, when a variance rides along', () => {
    const withVariance = entry([
      { account: '1300', debit: 500, credit: 0 },
      { account: '2310', debit: 0, credit: 700 },
      { account: '5000', debit: 200, credit: 0 },
    ]);
    expect(unbilledReceiptOf(movement, 'EUR', withVariance)?.value).toBe(700);
  });

  it.each([
    ['a SKU that never had a cost, received at the average (no entry)', { unitCost: null }, null],
    ['a receipt at a cost of nothing (no entry)', { unitCost: 0 }, null],
    [
      'a receipt that only corrects cost of sales (nothing on 2310)',
      { unitCost: 0 },
      entry([
        { account: '1300', debit: 0, credit: 300 },
        { account: '5000', debit: 300, credit: 0 },
      ]),
    ],
    [
      "an item an order's receipt brought that the order did not list",
      { kind: 'po_received', unitCost: null },
      null,
    ],
  ])(
    'lists %s at 0 in the SKU currency: valued, and worth nothing on 2310',
    (_case, valued: Partial<ReceivedMovement>, posted: JournalEntry | null) => {
      expect(unbilledReceiptOf({ ...movement, ...valued }, 'USD', posted)).toMatchObject({
        movementId: movement.id,
        currency: 'USD',
        value: 0,
      });
    },
  );

  it.each([
    [
      'an order receipt at its agreed cost (2300)',
      { kind: 'po_received', unitCost: 400 },
      entry([
        { account: '1300', debit: 400, credit: 0 },
        { account: '2300', debit: 0, credit: 400 },
      ]),
    ],
    ['an order receipt at its agreed cost that moved no value', { kind: 'po_received', unitCost: 0 }, null],
    ['a sale', { kind: 'sold', quantity: -1, unitCost: null }, null],
    ['a count', { kind: 'counted', unitCost: null }, null],
    [
      'another kind of entry',
      {},
      entry([{ account: '2310', debit: 0, credit: 100 }], { kind: 'stock_adjustment' }),
    ],
    [
      'the entry of another movement',
      {},
      entry([{ account: '2310', debit: 0, credit: 100 }], { sourceId: 'x' }),
    ],
  ])('lists nothing for %s', (_case, valued: Partial<ReceivedMovement>, posted: JournalEntry | null) => {
    expect(unbilledReceiptOf({ ...movement, ...valued }, 'EUR', posted)).toBeNull();
  });
});

describe('the unbilled receipts cursor', () => {
  it('names the place it was made of', () => {
    const place = { occurredAt: AT, movementId: 'purchase-order/po-1/receipt/r-1/SKU é@S1' };
    expect(decodeUnbilledCursor(encodeUnbilledCursor(place))).toEqual(place);
    expect(encodeUnbilledCursor(place)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['an entry number the list handed out before', '42'],
    ['a long entry number', '123456789012345'],
    ['not base64url', 'not a cursor!'],
    ['JSON of another shape', Buffer.from('{"a":1}').toString('base64url')],
    ['one part', Buffer.from(JSON.stringify([AT])).toString('base64url')],
    ['an empty part', Buffer.from(JSON.stringify([AT, ''])).toString('base64url')],
    ['a number for a part', Buffer.from(JSON.stringify([AT, 7])).toString('base64url')],
    [
      'a time that is no instant',
      Buffer.from(JSON.stringify(['2026-02-30T00:00:00.000Z', 'm'])).toString('base64url'),
    ],
    ['a word for the time', Buffer.from(JSON.stringify(['hello', 'm'])).toString('base64url')],
    ['padding the list never writes', `${encodeUnbilledCursor({ occurredAt: AT, movementId: 'm' })}=`],
  ])('refuses %s: 400 invalid_cursor', (_case, after) => {
    expect(codeOf(() => decodeUnbilledCursor(after))).toBe('invalid_cursor');
  });
});

describe('unbilledPage', () => {
  const receipt = (movementId: string): UnbilledReceipt => ({
    movementId,
    kind: 'received',
    sku: 'BREAD',
    locationId: 'S1',
    quantity: 1,
    occurredAt: AT,
    currency: 'EUR',
    value: 100,
  });

  it('answers a next page only when a row beyond the limit was read', () => {
    const rows = ['a', 'b', 'c'].map(receipt);
    const full = unbilledPage(rows, 2);
    expect(full.receipts.map((row) => row.movementId)).toEqual(['a', 'b']);
    expect(decodeUnbilledCursor(full.next!)).toEqual({ occurredAt: AT, movementId: 'b' });
    expect(unbilledPage(rows, 3)).toEqual({ receipts: rows, next: null });
    expect(unbilledPage([], 3)).toEqual({ receipts: [], next: null });
  });
});
