import { Type } from 'typebox';
import { Currency, LocationId, Sku } from '@tillstream/contracts';
import { PurchaseOrderView } from './purchase-order.schemas.js';

/** Policy figures are units; a billion keeps every sum of a position far inside a safe integer. */
const Units = (minimum: number, description: string) =>
  Type.Integer({ minimum, maximum: 1_000_000_000, description });

export const ReorderPolicyParams = Type.Object({ sku: Sku, locationId: LocationId });

export const PutReorderPolicyBody = Type.Object(
  {
    reorderPoint: Units(0, 'Reorder once the inventory position is at or below this'),
    orderUpTo: Units(
      1,
      'Fill the position up to this; at least `reorderPoint` (else 422 `order_up_to_below_reorder_point`)',
    ),
    packSize: Type.Optional(Units(1, 'Suggest whole packs of this many units (default 1)')),
  },
  { additionalProperties: false },
);

const PolicyFields = {
  reorderPoint: Type.Integer(),
  orderUpTo: Type.Integer(),
  packSize: Type.Integer(),
  version: Type.Integer({ description: 'One more per PUT that changes the policy' }),
};

export const ReorderPolicyView = Type.Object({
  sku: Type.String(),
  locationId: Type.String(),
  ...PolicyFields,
});

export const ReorderPolicyList = Type.Object({
  sku: Type.String(),
  policies: Type.Array(ReorderPolicyView),
});

export const ReplenishmentQuery = Type.Object(
  {
    locationId: Type.Optional(LocationId),
    after: Type.String({
      default: '',
      maxLength: 129,
      description: "The previous page's `next` (`<locationId>/<sku>`)",
    }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const ReplenishmentItem = Type.Object({
  sku: Type.String(),
  locationId: Type.String(),
  policy: Type.Object(PolicyFields),
  onHand: Type.Integer({ description: 'May be negative after store sales' }),
  inTransit: Type.Integer({ description: 'Shipped here by transfers, not received yet' }),
  onOrder: Type.Integer({ description: 'What open purchase orders for this location still owe' }),
  reserved: Type.Integer(),
  backordered: Type.Integer({ description: 'Units open backorders here wait for' }),
  drafted: Type.Integer({
    description:
      'Units on open draft purchase orders for this location: not on order yet, so not in `position`; ' +
      '`POST /replenishment/purchase-orders` orders only beyond them',
  }),
  position: Type.Integer({ description: 'onHand + inTransit + onOrder − reserved − backordered' }),
  suggested: Type.Integer({
    description: 'orderUpTo − position, rounded up to a multiple of packSize',
  }),
  unitCost: Type.Union([Type.Object({ amount: Type.Integer(), currency: Currency }), Type.Null()], {
    description:
      'Cost per unit on the latest purchase order placed for the SKU (any location; not drafts or ' +
      'cancelled orders), in minor units of its currency; null when there is none',
  }),
  lastPurchaseOrderId: Type.Union([Type.String(), Type.Null()], {
    description: 'The order `unitCost` comes from',
  }),
});

export const ReplenishmentPage = Type.Object({
  items: Type.Array(ReplenishmentItem),
  next: Type.Union([Type.String(), Type.Null()]),
});

/** The GET's filter without its paging: a raise takes every suggestion it selects. */
export const RaiseDraftsBody = Type.Union([
  Type.Object(
    {
      locationId: Type.Optional({
        ...LocationId,
        description: 'Raise drafts for this location only (all locations when left out)',
      }),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

export const RaiseDraftsResult = Type.Object({
  created: Type.Array(PurchaseOrderView, {
    description: 'The drafts raised, one per (location, supplier, currency), in that order',
  }),
  unassigned: Type.Array(
    Type.Object({
      sku: Type.String(),
      locationId: Type.String(),
      suggested: Type.Integer({ description: 'Units due beyond open drafts, not ordered' }),
      reason: Type.Union(
        [
          Type.Literal('no_previous_order'),
          Type.Literal('currency_mismatch'),
          Type.Literal('quantity_too_large'),
          Type.Literal('value_too_large'),
        ],
        {
          description:
            '`no_previous_order`: no submitted, not cancelled order with a cost names the SKU, so no supplier ' +
            "is known; `currency_mismatch`: its last order is in another currency than the product's price; " +
            '`quantity_too_large`: more than 1,000,000 units, more than one line takes; `value_too_large`: ' +
            'quantity × cost alone is more than one order may be worth (10^12 minor units)',
        },
      ),
    }),
    { description: 'Suggestions left for the buyer to order by hand, in location and SKU order' },
  ),
});
