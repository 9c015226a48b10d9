import { Type } from 'typebox';
import { LocationId, Sku, Timestamp } from '@tillstream/contracts';
import { DocumentId } from './inventory.schemas.js';

const Lines = Type.Array(
  Type.Object(
    { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 500 },
);

const TransferStatus = Type.Union(
  [
    Type.Literal('draft'),
    Type.Literal('in_transit'),
    Type.Literal('partially_received'),
    Type.Literal('received'),
  ],
  { description: 'draft → in_transit → partially_received → received' },
);

const ExpectedAt = {
  ...Timestamp,
  description:
    'When the transfer should arrive; not before it is created (422 `transfer_expected_before_created`) or ' +
    'shipped (422 `transfer_expected_before_shipped`). Left out, it has none: ERP assumes no lead time',
};

export const TransferBody = Type.Object(
  {
    id: DocumentId,
    sourceId: LocationId,
    destinationId: LocationId,
    lines: Lines,
    expectedAt: Type.Optional(ExpectedAt),
  },
  { additionalProperties: false },
);

// The body may be left out: shipping needs nothing more than the transfer.
export const ShipBody = Type.Union([
  Type.Object({ expectedAt: Type.Optional(ExpectedAt) }, { additionalProperties: false }),
  Type.Null(),
]);

export const ReceiptBody = Type.Object(
  {
    id: DocumentId,
    lines: Lines,
    occurredAt: Type.Optional(Timestamp),
    close: Type.Optional(
      Type.Boolean({
        description: 'Close the transfer: what has not arrived is recorded as lost in transit',
      }),
    ),
  },
  { additionalProperties: false },
);

export const TransferView = Type.Object({
  id: Type.String(),
  sourceId: Type.String(),
  destinationId: Type.String(),
  status: TransferStatus,
  lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer(), received: Type.Integer() })),
  discrepancies: Type.Array(
    Type.Object({
      sku: Type.String(),
      shipped: Type.Integer(),
      received: Type.Integer(),
      difference: Type.Integer(),
    }),
  ),
  version: Type.Integer(),
  createdAt: Type.String(),
  shippedAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  expectedAt: Type.Union([Type.String(), Type.Null()], {
    description: 'When it should arrive; null when nobody said',
  }),
  overdue: Type.Boolean({
    description:
      'Shipped, not closed (in_transit, partially_received) and expected before now by the server clock; ' +
      'false for a transfer without `expectedAt`, a draft or a received one',
  }),
});

export const TransferParams = Type.Object({ id: DocumentId });

// Closed to other parameters: a misspelt filter (`destinationId=`) would otherwise list every transfer.
export const TransferQuery = Type.Object(
  {
    after: Type.String({ default: '', maxLength: 100, description: "The previous page's `next`" }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    fromLocationId: Type.Optional({ ...LocationId, description: 'Only transfers leaving this location' }),
    toLocationId: Type.Optional({ ...LocationId, description: 'Only transfers bound for this location' }),
    status: Type.Optional(TransferStatus),
    sku: Type.Optional({ ...Sku, description: 'Only transfers with a line of this SKU' }),
    shippedBefore: Type.Optional({
      ...Timestamp,
      description:
        'Only transfers still in transit (in_transit, partially_received) that were shipped before this ' +
        'instant: with now minus 48 hours, what has been on its way longer than two days',
    }),
    expectedBefore: Type.Optional({
      ...Timestamp,
      description:
        'Only transfers still in transit (in_transit, partially_received) expected before this instant: with ' +
        'the end of Friday, what should have arrived by then. Transfers without `expectedAt` are not listed',
    }),
    overdue: Type.Optional(
      Type.Boolean({
        description:
          'true: only transfers shown `overdue` (in transit, expected before now by the server clock); false: ' +
          'only those that are not',
      }),
    ),
  },
  { additionalProperties: false },
);

export const TransferPage = Type.Object({
  transfers: Type.Array(TransferView),
  next: Type.Union([Type.String(), Type.Null()]),
});
