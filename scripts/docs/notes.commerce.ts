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
};
