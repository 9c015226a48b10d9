import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { LocationId, Sku, Timestamp } from '../common.js';

/** Units of one stock SKU held (or queued) at one location. */
const Allocation = Type.Object({ sku: Sku, locationId: LocationId, quantity: Type.Integer({ minimum: 1 }) });

const ReservationLine = Type.Object({
  sku: Sku,
  quantity: Type.Integer({ minimum: 1 }),
  locationId: Type.Optional(LocationId),
  /** Where the line's stock (a kit's components) is held. */
  allocations: Type.Array(Allocation),
  /** What is still waiting in a backorder queue (backorderable SKUs only). */
  backordered: Type.Array(Allocation),
});

const ReservationData = Type.Object({
  reservationId: Type.String(),
  channel: Type.String(),
  /** The reservation's version, also the envelope sequence of subject `reservation/{id}`. */
  version: Type.Integer({ minimum: 1 }),
  status: Type.Union([
    Type.Literal('held'),
    Type.Literal('committed'),
    Type.Literal('released'),
    Type.Literal('expired'),
  ]),
  expiresAt: Timestamp,
  lines: Type.Array(ReservationLine),
});
export type ReservationEventData = Static<typeof ReservationData>;

export const ReservationHeldV1 = defineEvent(
  'erp.reservation.held',
  1,
  'Stock was reserved for a channel, all lines or none, until `expiresAt`. Held units count in `reserved`. ' +
    'A hold kept for a placed online order has no time limit (`expiresAt` 9999-12-31T23:59:59.999Z): it ends ' +
    'when the order’s last fulfilment ships (committed) or the order is cancelled (released).',
  ReservationData,
);

export const ReservationCommittedV1 = defineEvent(
  'erp.reservation.committed',
  1,
  'A held reservation became a sale: its held units left on-hand and reserved stock. Published once, when ' +
    'the whole reservation is committed: parcels of an order that shipped before its last one took their ' +
    'own units out already, shown only as stock movements and `erp.stock.changed`.',
  ReservationData,
);

export const ReservationReleasedV1 = defineEvent(
  'erp.reservation.released',
  1,
  'A held reservation was released by its channel; its units are available again and its backorders cancelled.',
  ReservationData,
);

export const ReservationExpiredV1 = defineEvent(
  'erp.reservation.expired',
  1,
  'A held reservation passed `expiresAt` and the hold sweeper released it; its units are available again.',
  ReservationData,
);

export const BackorderAllocatedV1 = defineEvent(
  'erp.backorder.allocated',
  1,
  'Stock that arrived was allocated to a queued backorder, oldest first. A committed reservation takes the ' +
    'units straight out of stock; a held one holds them.',
  Type.Object({
    backorderId: Type.Integer({ minimum: 1 }),
    reservationId: Type.String(),
    /** The reservation's version after this allocation (the envelope sequence). */
    version: Type.Integer({ minimum: 1 }),
    sku: Sku,
    locationId: LocationId,
    quantity: Type.Integer({ minimum: 1 }),
    filled: Type.Integer({ minimum: 1 }),
    remaining: Type.Integer({ minimum: 0 }),
  }),
);
export type BackorderAllocatedV1Data = Static<typeof BackorderAllocatedV1.dataSchema>;

const TransferLine = Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) });

export const TransferShippedV1 = defineEvent(
  'erp.transfer.shipped',
  1,
  "A transfer left its source: the units moved from the source's on-hand to the destination's in-transit.",
  Type.Object({
    transferId: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    sourceId: LocationId,
    destinationId: LocationId,
    lines: Type.Array(TransferLine),
    expectedAt: Type.Optional({
      ...Timestamp,
      description:
        'When the transfer should arrive, as given when it was created or shipped; absent when nobody said. ' +
        'A later change of it publishes `erp.transfer.rescheduled`',
    }),
    occurredAt: Timestamp,
  }),
);
export type TransferShippedV1Data = Static<typeof TransferShippedV1.dataSchema>;

export const TransferRescheduledV1 = defineEvent(
  'erp.transfer.rescheduled',
  1,
  'A transfer on its way got another expected arrival (a truck that is late, or early): no stock moved. ' +
    'The destination learns when to expect the goods now; `overdue` is read against this date.',
  Type.Object({
    transferId: Type.String(),
    version: Type.Integer({ minimum: 2 }),
    sourceId: LocationId,
    destinationId: LocationId,
    expectedAt: { ...Timestamp, description: 'When the transfer should arrive now' },
    previousExpectedAt: Type.Union([Timestamp, Type.Null()], {
      description: 'The date it replaces; null when the transfer had none',
    }),
    occurredAt: { ...Timestamp, description: 'When ERP recorded the change' },
  }),
);
export type TransferRescheduledV1Data = Static<typeof TransferRescheduledV1.dataSchema>;

export const TransferReceivedV1 = defineEvent(
  'erp.transfer.received',
  1,
  'Part or all of a transfer arrived at its destination. `discrepancies` lists lines received short ' +
    '(negative difference, written off from in-transit when the transfer closes) or over (positive).',
  Type.Object({
    transferId: Type.String(),
    receiptId: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    destinationId: LocationId,
    status: Type.Union([Type.Literal('partially_received'), Type.Literal('received')]),
    lines: Type.Array(TransferLine),
    discrepancies: Type.Array(
      Type.Object({
        sku: Sku,
        shipped: Type.Integer({ minimum: 0 }),
        received: Type.Integer({ minimum: 0 }),
        difference: Type.Integer(),
      }),
    ),
    occurredAt: Timestamp,
  }),
);
export type TransferReceivedV1Data = Static<typeof TransferReceivedV1.dataSchema>;
