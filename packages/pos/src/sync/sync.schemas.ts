import { Type, type TSchema } from 'typebox';
import { ReturnBody } from '../returns/return.schemas.js';
import { SaleBody } from '../sales/sale.schemas.js';
import { ShiftCloseTransaction, ShiftOpenBody } from '../shifts/shift.schemas.js';
import { TerminalId } from '../pos.schemas.js';

const typed = <T extends TSchema & { properties: Record<string, TSchema> }>(type: string, body: T) =>
  Type.Object({ type: Type.Literal(type), ...body.properties }, { additionalProperties: false });

/** Each transaction type's full schema, checked one transaction at a time so a bad one is quarantined alone. */
export const TRANSACTION_SCHEMAS = {
  sale: typed('sale', SaleBody),
  return: typed('return', ReturnBody),
  shift_open: typed('shift_open', ShiftOpenBody),
  shift_close: typed('shift_close', ShiftCloseTransaction),
} as const;

export type TransactionType = keyof typeof TRANSACTION_SCHEMAS;

export const SyncBody = Type.Object(
  {
    terminalId: TerminalId,
    transactions: Type.Array(
      Type.Object(
        {
          type: Type.String({
            minLength: 1,
            maxLength: 32,
            description: 'sale, return, shift_open or shift_close',
          }),
          id: Type.String({
            minLength: 1,
            maxLength: 64,
            description: 'The client-made id of the transaction',
          }),
        },
        {
          additionalProperties: true,
          description: "The type's own body (see POST /sales, /returns, /shifts); validated one by one",
        },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);

export const SyncResult = Type.Object({
  id: Type.String(),
  type: Type.String(),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  code: Type.Optional(Type.String({ description: 'Why it was rejected: an error code of the catalogue' })),
  detail: Type.Optional(Type.String()),
  retryable: Type.Optional(
    Type.Boolean({ description: 'Rejected for now (a dependency was down): send it again later' }),
  ),
  quarantined: Type.Optional(
    Type.Boolean({
      description: 'Rejected for good: stored with its reason (GET /quarantine); do not resend',
    }),
  ),
  late: Type.Optional(
    Type.Boolean({ description: 'It belongs to a shift that had closed before it arrived' }),
  ),
});

export const SyncView = Type.Object({
  terminalId: Type.String(),
  receivedAt: Type.String(),
  results: Type.Array(SyncResult),
});

export const QuarantinedView = Type.Object({
  terminalId: Type.String(),
  transactionId: Type.String(),
  type: Type.String(),
  code: Type.String(),
  detail: Type.String(),
  attempts: Type.Integer(),
  firstSeenAt: Type.String(),
  lastSeenAt: Type.String(),
  transaction: Type.Unknown({ description: 'The transaction as the terminal sent it' }),
});
