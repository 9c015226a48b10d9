import type { EventNotes } from './notes.js';

const SALE_ID = '0195f3a2-7c1e-7b3a-9d2e-4f6a8b0c1d2e';
const SHIFT_ID = '0195f3af-0000-7b3a-9d2e-4f6a8b0c1d30';

const COLLECTION = {
  fulfilmentId: '0195f3b0-1d2e-7a44-9c10-5e7f8a9b0c1d:store-amsterdam',
  orderId: '0195f3b0-1d2e-7a44-9c10-5e7f8a9b0c1d',
  storeId: 'store-amsterdam',
  terminalId: 'till-2',
};
const COLLECTION_NOTES = {
  subject: 'collection/{fulfilmentId}',
  partitionKey: 'order/{orderId}',
  partitionMeaning: 'The online order, like ERP’s fulfilment events of it.',
};

const CARD = {
  number: 'GC-7731-0042',
  kind: 'gift_card',
  currency: 'EUR',
  storeId: 'store-amsterdam',
  terminalId: 'till-2',
};
const CARD_NOTES = {
  subject: 'stored-value/{number}',
  partitionKey: '{number}',
  sequence: '{version}',
  sequenceMeaning:
    'The account version after the change: one more per movement of the card, so a projection of balances ' +
    'applies each once and keeps the highest.',
  partitionMeaning: 'The card: its changes stay in order.',
};

/** Notes of POS's return, shift and gift card events (the sale's are in scripts/gen-docs.ts). */
export const POS_NOTES: Record<string, EventNotes> = {
  'pos.return.completed@1': {
    subject: 'return/{returnId}',
    partitionKey: '{storeId}',
    sequence: '1',
    sequenceMeaning: 'Always 1: a return is recorded once under its client-made id and never changes.',
    partitionMeaning: 'The store, like its sales.',
    example: {
      id: '0195f3b0-1a20-7c11-8a5e-2b9f0c4d6e72',
      time: '2026-03-04T16:40:01.210Z',
      data: {
        returnId: '0195f3b0-1a00-7b3a-9d2e-4f6a8b0c1d2f',
        storeId: 'store-amsterdam',
        terminalId: 'till-2',
        shiftId: SHIFT_ID,
        receiptNo: 'till-2-14-37',
        occurredAt: '2026-03-04T16:40:00.000Z',
        currency: 'EUR',
        originalSaleId: SALE_ID,
        lines: [
          {
            lineNo: 1,
            sku: 'TEE-001',
            quantity: 1,
            unitPrice: 1999,
            lineTotal: 1999,
            disposition: 'restock',
            originalLineNo: 1,
          },
        ],
        refunds: [{ method: 'card', amount: 1999 }],
        total: 1999,
      },
    },
  },
  'pos.shift.closed@1': {
    subject: 'shift/{shiftId}',
    partitionKey: '{storeId}',
    sequence: '{revision}',
    sequenceMeaning:
      'The Z-report revision, equal to `data.revision`: 1 at the close, one more for each sale or return of ' +
      'the shift that arrives after it. Keep the highest.',
    partitionMeaning: 'The store, like its sales.',
    example: {
      id: '0195f3b9-0000-7c11-8a5e-2b9f0c4d6e73',
      time: '2026-03-04T21:05:00.311Z',
      data: {
        shiftId: SHIFT_ID,
        terminalId: 'till-2',
        storeId: 'store-amsterdam',
        seq: 14,
        revision: 1,
        openedAt: '2026-03-04T09:00:00.000Z',
        closedAt: '2026-03-04T21:00:00.000Z',
        currency: 'EUR',
        report: {
          sales: { count: 2, gross: 5297, discounts: 0, net: 5297 },
          returns: { count: 1, total: 1999 },
          net: 3298,
          tenders: [
            { method: 'card', sales: 3998, refunds: 1999, net: 1999 },
            { method: 'cash', sales: 1299, refunds: 0, net: 1299 },
          ],
          cash: {
            openingFloat: 15000,
            sales: 1299,
            refunds: 0,
            expected: 16299,
            counted: 16250,
            overShort: -49,
          },
          receipts: { first: 'till-2-14-1', last: 'till-2-14-37' },
          lateTransactions: 0,
        },
      },
    },
  },
  'pos.collection.prepared@1': {
    ...COLLECTION_NOTES,
    sequence: '1',
    sequenceMeaning: 'Always 1: a collection is put aside once (`pos.collection.handed_over` is 2).',
    example: {
      id: '0195f3c1-0000-7c11-8a5e-2b9f0c4d6e81',
      time: '2026-03-04T10:12:40.118Z',
      data: { ...COLLECTION, preparedAt: '2026-03-04T10:12:40.101Z' },
    },
  },
  'pos.collection.handed_over@1': {
    ...COLLECTION_NOTES,
    sequence: '2',
    sequenceMeaning: 'Always 2: a collection is handed over once, after being put aside (1) or not.',
    example: {
      id: '0195f3c9-0000-7c11-8a5e-2b9f0c4d6e82',
      time: '2026-03-04T17:31:05.620Z',
      data: {
        ...COLLECTION,
        handedOverAt: '2026-03-04T17:31:05.597Z',
        lines: [{ sku: 'TEE-BLK-M', quantity: 2 }],
      },
    },
  },
  'pos.collection.put_back@1': {
    ...COLLECTION_NOTES,
    sequence: '3',
    sequenceMeaning:
      'Always 3: the goods of a cancelled collection go back on the shelf once, after being put aside (1), never ' +
      'after a hand-over (2).',
    example: {
      id: '0195f3d2-0000-7c11-8a5e-2b9f0c4d6e83',
      time: '2026-03-04T18:02:11.342Z',
      data: {
        ...COLLECTION,
        putBackAt: '2026-03-04T18:02:11.320Z',
        lines: [{ sku: 'TEE-BLK-M', quantity: 2 }],
      },
    },
  },
  'pos.stored_value.issued@1': {
    ...CARD_NOTES,
    example: {
      id: '0195f3a0-0000-7c11-8a5e-2b9f0c4d6e80',
      time: '2026-03-04T10:02:00.120Z',
      data: {
        ...CARD,
        balance: 5000,
        version: 1,
        occurredAt: '2026-03-04T10:02:00.000Z',
        amount: 5000,
        cause: { kind: 'sold', reference: 'issue/0195f3a0-0000-7b3a-9d2e-4f6a8b0c1d40' },
        expiresAt: '2027-03-04T23:00:00.000Z',
      },
    },
  },
  'pos.stored_value.redeemed@1': {
    ...CARD_NOTES,
    example: {
      id: '0195f3a2-7c10-7c11-8a5e-2b9f0c4d6e81',
      time: '2026-03-04T10:14:58.002Z',
      data: {
        ...CARD,
        balance: 2000,
        version: 2,
        occurredAt: '2026-03-04T10:14:58.000Z',
        amount: 3000,
        online: true,
        reference: 'redemption/0195f3a2-7c10-7b3a-9d2e-4f6a8b0c1d41',
      },
    },
  },
  'pos.stored_value.redemption_cancelled@1': {
    ...CARD_NOTES,
    example: {
      id: '0195f3a2-9000-7c11-8a5e-2b9f0c4d6e82',
      time: '2026-03-04T10:16:00.410Z',
      data: {
        ...CARD,
        balance: 5000,
        version: 3,
        occurredAt: '2026-03-04T10:16:00.000Z',
        amount: 3000,
        redemptionId: '0195f3a2-7c10-7b3a-9d2e-4f6a8b0c1d41',
        reason: 'cancelled',
      },
    },
  },
  'pos.stored_value.exception_raised@1': {
    subject: 'stored-value-exception/{exceptionId}',
    partitionKey: '{number}',
    sequence: '1',
    sequenceMeaning: 'Always 1: one exception per offline payment that the card could not cover.',
    partitionMeaning: 'The card, like its balance changes.',
    example: {
      id: '0195f3c0-0000-7c11-8a5e-2b9f0c4d6e83',
      time: '2026-03-04T18:30:02.900Z',
      data: {
        exceptionId: `${SALE_ID}/1`,
        number: 'GC-7731-0042',
        saleId: SALE_ID,
        storeId: 'store-amsterdam',
        terminalId: 'till-2',
        occurredAt: '2026-03-04T15:20:00.000Z',
        currency: 'EUR',
        reason: 'insufficient_balance',
        requested: 3500,
        covered: 2000,
        shortfall: 1500,
      },
    },
  },
  'pos.stored_value.expired@1': {
    ...CARD_NOTES,
    example: {
      id: '0195f3c8-0000-7c11-8a5e-2b9f0c4d6e84',
      time: '2027-03-04T23:00:12.410Z',
      data: {
        number: CARD.number,
        kind: CARD.kind,
        currency: CARD.currency,
        balance: 0,
        version: 5,
        storeId: CARD.storeId,
        amount: 1250,
        expiresAt: '2027-03-04T23:00:00.000Z',
        expiredAt: '2027-03-04T23:00:12.400Z',
      },
    },
  },
};
