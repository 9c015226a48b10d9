import { Type } from 'typebox';
import { LocationId, Sku, Timestamp } from '@tillstream/contracts';

/** A client-made document id (adjustment, reservation, transfer, count, return): the idempotency key. */
export const DocumentId = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
});

export const AdjustmentBody = Type.Object(
  {
    id: DocumentId,
    sku: Sku,
    locationId: LocationId,
    delta: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, not: { const: 0 } }),
    reason: Type.String({ minLength: 1, maxLength: 100 }),
    occurredAt: Timestamp,
    unitCost: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1_000_000_000,
        description:
          'What each unit received cost, in minor units of the product’s currency: only with reason ' +
          '`received` and a positive delta (else 422 `unit_cost_not_applicable`). Without it the units are ' +
          'valued at the SKU’s moving average cost',
      }),
    ),
  },
  { additionalProperties: false },
);

export const LocationBalanceView = Type.Object({
  locationId: Type.String(),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
  inTransit: Type.Integer(),
  damaged: Type.Integer(),
  version: Type.Integer(),
});

export const AdjustmentView = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  locationId: Type.String(),
  delta: Type.Integer(),
  reason: Type.String(),
  occurredAt: Type.String(),
  unitCost: Type.Optional(Type.Integer()),
  movementKind: Type.String(),
  balance: LocationBalanceView,
});

const OnOrder = Type.Optional(
  Type.Integer({
    description: 'Units open purchase orders still owe (standard products; order a kit’s components)',
  }),
);

export const InventoryView = Type.Object({
  sku: Type.String(),
  kind: Type.String({ description: 'A kit shows kit units made from its components' }),
  components: Type.Optional(Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() }))),
  locations: Type.Array(Type.Object({ ...LocationBalanceView.properties, onOrder: OnOrder })),
  totals: Type.Object({
    onHand: Type.Integer(),
    reserved: Type.Integer(),
    available: Type.Integer({ description: 'Sum of positive per-location availability (kit: see docs)' }),
    inTransit: Type.Integer(),
    damaged: Type.Integer(),
    onOrder: OnOrder,
  }),
});

export const StockExceptionView = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  locationId: Type.String(),
  onHand: Type.Integer(),
  cause: Type.Object({ kind: Type.String(), reference: Type.String() }),
  raisedAt: Type.String(),
  resolvedAt: Type.Union([Type.String(), Type.Null()], { description: 'When it was marked reviewed' }),
});
