import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { Currency, MinorUnits, Sku, Timestamp } from '../common.js';

const OrderLine = Type.Object({
  lineNo: Type.Integer({ minimum: 1 }),
  sku: Sku,
  quantity: Type.Integer({ minimum: 1 }),
  unitPrice: MinorUnits,
  /** quantity × unitPrice − promotions, as the pricing engine quoted it. */
  lineTotal: MinorUnits,
});

export const OrderPlacedV1 = defineEvent(
  'commerce.order.placed',
  1,
  'An online order was paid and placed. Its stock is already held in ERP by `reservationId`; ERP commits the ' +
    'hold and fulfils the order.',
  Type.Object({
    orderId: Type.String(),
    cartId: Type.String(),
    reservationId: Type.String({ description: 'The ERP reservation holding the units' }),
    channel: Type.String(),
    email: Type.String(),
    currency: Currency,
    lines: Type.Array(OrderLine),
    total: MinorUnits,
    payment: Type.Object({ method: Type.String(), reference: Type.String() }),
    placedAt: Timestamp,
  }),
);
export type OrderPlacedV1Data = Static<typeof OrderPlacedV1.dataSchema>;
