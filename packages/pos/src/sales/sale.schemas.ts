import { Type } from 'typebox';
import { Currency, LocationId, Sku, Timestamp } from '@tillstream/contracts';

const TerminalId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });
const Amount = Type.Integer({ minimum: 0, maximum: 1e10 });

export const SaleBody = Type.Object(
  {
    id: Type.String({
      format: 'uuid',
      description: 'Client-made UUID (v7 recommended); the sale is stored under it',
    }),
    storeId: LocationId,
    terminalId: TerminalId,
    occurredAt: Timestamp,
    currency: Currency,
    lines: Type.Array(
      Type.Object(
        { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 100_000 }), unitPrice: Amount },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
    payments: Type.Array(
      Type.Object(
        {
          method: Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9_]*$' }),
          amount: Amount,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);

export const SaleView = Type.Object({
  id: Type.String(),
  status: Type.Literal('completed'),
  storeId: Type.String(),
  terminalId: Type.String(),
  occurredAt: Type.String(),
  currency: Type.String(),
  lines: Type.Array(
    Type.Object({
      lineNo: Type.Integer(),
      sku: Type.String(),
      quantity: Type.Integer(),
      unitPrice: Type.Integer(),
      lineTotal: Type.Integer(),
    }),
  ),
  payments: Type.Array(Type.Object({ method: Type.String(), amount: Type.Integer() })),
  total: Type.Integer(),
});
