import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { Currency, LocationId, MinorUnits, Sku, Timestamp } from '../common.js';

const SaleLine = Type.Object({
  lineNo: Type.Integer({ minimum: 1 }),
  sku: Sku,
  quantity: Type.Integer({ minimum: 1 }),
  unitPrice: MinorUnits,
  lineTotal: MinorUnits,
});

export const SaleCompletedV1 = defineEvent(
  'pos.sale.completed',
  1,
  'A sale was rung up and paid at a store terminal. ERP turns it into stock movements and revenue.',
  Type.Object({
    saleId: Type.String(),
    storeId: LocationId,
    terminalId: Type.String(),
    occurredAt: Timestamp,
    currency: Currency,
    lines: Type.Array(SaleLine),
    payments: Type.Array(Type.Object({ method: Type.String(), amount: MinorUnits })),
    total: MinorUnits,
  }),
);
export type SaleCompletedV1Data = Static<typeof SaleCompletedV1.dataSchema>;
