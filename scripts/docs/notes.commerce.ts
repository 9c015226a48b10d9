import type { EventNotes } from './notes.js';

/** Notes of commerce's events. */
export const COMMERCE_NOTES: Record<string, EventNotes> = {
  'commerce.order.placed@1': {
    subject: 'order/{orderId}',
    partitionKey: 'order/{orderId}',
    sequence: '1',
    sequenceMeaning: 'Always 1: an order is placed once; later status changes are other events.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f9d0-2b3c-7d4e-8f50-61a2b3c4d5e6',
      time: '2026-03-07T12:04:11.320Z',
      data: {
        orderId: '0195f9d0-2b30-7a11-9c2d-3e4f5a6b7c8d',
        cartId: '0195f9cf-9a10-7b22-8c3d-4e5f6a7b8c9d',
        reservationId: 'checkout:0195f9d0-2a00-7c33-9d4e-5f6a7b8c9d0e',
        channel: 'web',
        email: 'ada@example.com',
        currency: 'EUR',
        lines: [{ lineNo: 1, sku: 'TEE-BLK-M', quantity: 2, unitPrice: 1999, lineTotal: 3998 }],
        total: 3998,
        payment: { method: 'test', reference: 'test-checkout:0195f9d0-2a00-7c33-9d4e-5f6a7b8c9d0e' },
        placedAt: '2026-03-07T12:04:11.318Z',
      },
    },
  },
  'commerce.order.refunded@1': {
    subject: 'order/{orderId}/refund/{refundId}',
    partitionKey: 'order/{orderId}/refund/{refundId}',
    sequence: '1',
    sequenceMeaning: 'Always 1: a refund is paid once.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195fb20-0d00-7d4e-8f50-61a2b3c4d5f1',
      time: '2026-03-10T10:00:03.120Z',
      data: {
        orderId: '0195f9d0-2b30-7a11-9c2d-3e4f5a6b7c8d',
        refundId: 'return-0195fb20-0c00-7a11-9c2d-3e4f5a6b7c8e',
        currency: 'EUR',
        amount: 1999,
        refunded: 1999,
        reason: 'return',
        returnId: '0195fb20-0c00-7a11-9c2d-3e4f5a6b7c8e',
        payment: { method: 'test', reference: 'test-checkout:0195f9d0-2a00-7c33-9d4e-5f6a7b8c9d0e' },
        refundedAt: '2026-03-10T10:00:03.118Z',
      },
    },
  },
  'commerce.return.received@1': {
    subject: 'order/{orderId}/return/{returnId}',
    partitionKey: 'order/{orderId}/return/{returnId}',
    sequence: '1',
    sequenceMeaning: 'Always 1: a return is received once.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195fb20-0c10-7d4e-8f50-61a2b3c4d5f2',
      time: '2026-03-10T10:00:02.900Z',
      data: {
        returnId: '0195fb20-0c00-7a11-9c2d-3e4f5a6b7c8e',
        orderId: '0195f9d0-2b30-7a11-9c2d-3e4f5a6b7c8d',
        locationId: null,
        lines: [{ sku: 'TEE-BLK-M', quantity: 1, disposition: 'restock' }],
        refund: { currency: 'EUR', amount: 1999 },
        receivedAt: '2026-03-10T10:00:02.897Z',
      },
    },
  },
};
