import type { ErrorEntry } from './entry.js';

/** Errors of reservations, kits, transfers, adjustments and physical counts. */
export const INVENTORY_ERRORS = {
  insufficient_stock: {
    kind: 'conflict',
    title: 'Insufficient stock',
    description:
      'Not enough available stock for every line; nothing was reserved (all or nothing). `lines` names each ' +
      'short line with `requested` and `available` (and its kit `components`).',
  },
  reservation_not_found: {
    kind: 'not_found',
    title: 'Unknown reservation',
    description: 'No reservation has this id.',
  },
  reservation_not_held: {
    kind: 'conflict',
    title: 'Reservation not held',
    description: 'Only a held reservation can be committed or released; this one is committed or released.',
  },
  reservation_expired: {
    kind: 'conflict',
    title: 'Reservation expired',
    description: 'The hold passed its `expiresAt` before the commit; its stock is (or is being) released.',
  },
  nested_kit: {
    kind: 'unprocessable',
    title: 'Kits cannot be nested',
    description:
      'A kit component must be a standard product, and a product used as a kit component cannot become a kit.',
  },
  kit_has_no_stock: {
    kind: 'unprocessable',
    title: 'Kits have no stock of their own',
    description: 'Adjust, count, transfer or order the components of a kit, not the kit.',
  },
  product_has_stock: {
    kind: 'conflict',
    title: 'Product has stock',
    description: 'A product with stock, holds or units in transit cannot become a kit.',
  },
  stock_exception_not_found: {
    kind: 'not_found',
    title: 'Unknown stock exception',
    description: 'No stock exception has this id (`GET /erp/v1/stock-exceptions?status=all` lists them).',
  },
  transfer_not_found: {
    kind: 'not_found',
    title: 'Unknown transfer',
    description: 'No transfer has this id.',
  },
  transfer_state: {
    kind: 'conflict',
    title: 'Transfer is in the wrong state',
    description: 'Ship a draft transfer; receive a shipped, not yet fully received one.',
  },
  transfer_same_location: {
    kind: 'invalid',
    title: 'Transfer to its own source',
    description: 'A transfer needs two different locations.',
  },
  transfer_expected_before_created: {
    kind: 'unprocessable',
    title: 'Transfer expected before it is created',
    description: "A new transfer's `expectedAt` may not be before the server clock's now.",
  },
  transfer_expected_before_shipped: {
    kind: 'unprocessable',
    title: 'Transfer expected before it ships',
    description:
      "An `expectedAt` given in the ship body may not be before the transfer's `shippedAt` (now, when a draft " +
      'ships). A draft whose own `expectedAt` has passed ships without one, and shows as overdue.',
  },
  transfer_already_received: {
    kind: 'conflict',
    title: 'Transfer already received',
    description:
      "A received transfer's `expectedAt` can no longer change; shipping it again with the same one, or " +
      'none, answers it as it is.',
  },
  count_in_future: {
    kind: 'unprocessable',
    title: 'Count dated in the future',
    description: '`countedAt` may be at most a minute ahead of the server clock.',
  },
  adjustment_in_future: {
    kind: 'unprocessable',
    title: 'Adjustment dated in the future',
    description:
      '`occurredAt` may be at most a minute ahead of the server clock (as for counts); past dates are allowed.',
  },
  return_in_future: {
    kind: 'unprocessable',
    title: 'Return dated in the future',
    description:
      '`occurredAt` of a return may be at most a minute ahead of the server clock (as for adjustments and ' +
      'counts); past dates are allowed.',
  },
  count_superseded: {
    kind: 'conflict',
    title: 'A later count exists',
    description:
      'A count of one of these SKUs at this location was taken after `countedAt`; the older count changes nothing, ' +
      'so it is refused. `skus` lists them.',
  },
} as const satisfies Record<string, ErrorEntry>;
