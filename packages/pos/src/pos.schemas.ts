import { Type } from 'typebox';

/** Shapes shared by POS routes: terminal ids, amounts and tenders. */
export const TerminalId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
});
export const Amount = Type.Integer({ minimum: 0, maximum: 1e10 });
export const ClientId = Type.String({
  format: 'uuid',
  description: 'Client-made UUID (v7 recommended); the document is stored under it',
});
export const ReceiptNo = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: '`<terminalId>-<shift seq>-<n>`, numbered on the terminal',
});

/** A tender: `cash`, `card`, `gift_card`, `store_credit` or any other method the store takes. */
export const Tender = Type.Object(
  {
    method: Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9_]*$' }),
    amount: Amount,
    tendered: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e10, description: 'Cash handed over' })),
    reference: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'Card authorisation, or the gift card / store credit number (required for those)',
      }),
    ),
    redemptionId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'A gift card or store credit redemption held online (POST /stored-value/{number}/redemptions)',
      }),
    ),
    offline: Type.Optional(
      Type.Boolean({ description: 'A card payment the terminal authorised offline, under its floor limit' }),
    ),
  },
  { additionalProperties: false },
);

export const TenderView = Type.Object({
  method: Type.String(),
  amount: Type.Integer(),
  tendered: Type.Optional(Type.Integer()),
  reference: Type.Optional(Type.String()),
  redemptionId: Type.Optional(Type.String()),
  offline: Type.Optional(Type.Boolean()),
});

/** Tax added on top of a line's total in a store whose prices exclude tax. */
export const LineTax = Type.Object(
  {
    ratePpm: Type.Integer({
      minimum: 0,
      maximum: 1_000_000,
      description: 'Parts per million: 21 % is 210000',
    }),
    amount: Type.Integer({
      minimum: 0,
      maximum: 1e10,
      description: 'lineTotal × ratePpm / 10^6, rounded half up',
    }),
  },
  { additionalProperties: false },
);

/** Tax inside a line's total in a store whose prices include tax: what the receipt states. */
export const IncludedLineTax = Type.Object(
  {
    ratePpm: LineTax.properties.ratePpm,
    amount: Type.Integer({
      minimum: 0,
      maximum: 1e10,
      description: 'lineTotal × ratePpm / (10^6 + ratePpm), rounded half up',
    }),
  },
  { additionalProperties: false },
);

/**
 * What rounding the cash to the store's increment added or took off, signed minor units. The bound is half the
 * largest increment a store may set (ERP: 100000), so anything past it is malformed rather than a mismatch.
 */
export const CashRounding = Type.Integer({
  minimum: -50_000,
  maximum: 50_000,
  description:
    'Cash rounding: the cash paid (or refunded) less the cash due, which is what the other tenders leave. It must ' +
    "be exactly what the store's increment (ERP location `cashRoundingIncrement`) gives for the cash due, half " +
    'up (422 `cash_rounding_mismatch`), and needs a cash tender (422 `cash_rounding_without_cash`). The tenders ' +
    'then add up to the total + this. Absent or 0: not rounded',
});

/** The rule a document's rounding was checked against: `current` false for one the store had before. */
export const CashRoundingRuleView = Type.Object(
  {
    increment: Type.Integer({ description: 'The increment the rounding is exact for, minor units' }),
    current: Type.Boolean({
      description:
        "Whether it was the store's rule when the document arrived; false: one the store had before, which a " +
        'till that had not learned the change still used (accepted, and counted apart on the Z-report)',
    }),
  },
  { additionalProperties: false },
);
