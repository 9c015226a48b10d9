import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { CashRoundingRule, Currency, LocationId, MinorUnits, Timestamp } from '../common.js';

/** Gift cards are sold; store credit is given back on a return. Both are spent like cash. */
export const StoredValueKind = Type.Union([Type.Literal('gift_card'), Type.Literal('store_credit')]);

/** The card or credit number as printed on it; also the `reference` of the tender that spends it. */
export const StoredValueNumber = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
});

/** The card after a change. */
const card = {
  number: StoredValueNumber,
  kind: StoredValueKind,
  currency: Currency,
  /** The balance after this change, minor units; never below zero. */
  balance: MinorUnits,
  /** The account version after this change (+1 per movement): also the envelope sequence. */
  version: Type.Integer({ minimum: 1 }),
};

/** The card after a change made at a till. */
const account = {
  ...card,
  storeId: LocationId,
  terminalId: Type.String(),
  occurredAt: Timestamp,
};

export const StoredValueIssuedV1 = defineEvent(
  'pos.stored_value.issued',
  1,
  'Value was put on a gift card or store credit: a gift card sold or topped up (`cause.kind` `sold`), or a ' +
    'return refunded to it (`refunded`). The envelope sequence is the account version.',
  Type.Object({
    ...account,
    amount: MinorUnits,
    cause: Type.Object({
      kind: Type.Union([Type.Literal('sold'), Type.Literal('refunded')]),
      reference: Type.String({ description: '`issue/<id>` or `return/<id>`' }),
    }),
    /** How a sold card was paid for, so ERP books each tender (added in v1, optional; only when `sold`). */
    payments: Type.Optional(Type.Array(Type.Object({ method: Type.String(), amount: MinorUnits }))),
    /**
     * Cash rounding of a sold card's payments (added in v1, optional: absent when the cash was not rounded):
     * what rounding the cash due to the store's increment added (+) or took off (−); the payments add up to
     * `amount` + this, while the card takes `amount`. Not value owed to the holder: ERP books it apart.
     */
    cashRounding: Type.Optional(MinorUnits),
    /** The rule `cashRounding` was checked against (added in v1, optional: present with it). */
    cashRoundingRule: Type.Optional(CashRoundingRule),
    /** When the card's value lapses, after this change; absent: it does not (added in v1, optional). */
    expiresAt: Type.Optional(Timestamp),
  }),
);
export type StoredValueIssuedV1Data = Static<typeof StoredValueIssuedV1.dataSchema>;

export const StoredValueRedeemedV1 = defineEvent(
  'pos.stored_value.redeemed',
  1,
  'A gift card or store credit paid for a sale: online, held by the terminal before the sale completed ' +
    '(`reference` `redemption/<id>`), or offline, debited when the sale arrived (`sale/<id>`). `amount` is what ' +
    'came off the balance; an offline sale that spent more than was left raises `pos.stored_value.exception_raised`.',
  Type.Object({
    ...account,
    amount: MinorUnits,
    online: Type.Boolean(),
    reference: Type.String(),
    saleId: Type.Optional(Type.String()),
  }),
);
export type StoredValueRedeemedV1Data = Static<typeof StoredValueRedeemedV1.dataSchema>;

export const StoredValueRedemptionCancelledV1 = defineEvent(
  'pos.stored_value.redemption_cancelled',
  1,
  'A redemption held online was given back before any sale used it: its amount is back on the balance. The till ' +
    'cancelled it (the sale was abandoned) or it expired unclaimed (the till crashed mid-sale).',
  Type.Object({
    ...account,
    amount: MinorUnits,
    redemptionId: Type.String(),
    /** Absent on events from before holds expired: those were all cancelled by a till. */
    reason: Type.Optional(
      Type.Union([Type.Literal('cancelled'), Type.Literal('expired')], {
        description: '`cancelled` by the till, or `expired`: no sale claimed it before its expiry',
      }),
    ),
  }),
);
export type StoredValueRedemptionCancelledV1Data = Static<typeof StoredValueRedemptionCancelledV1.dataSchema>;

export const StoredValueExceptionRaisedV1 = defineEvent(
  'pos.stored_value.exception_raised',
  1,
  'A sale rung offline spent more of a gift card or store credit than it held (or a card POS does not know, or ' +
    'in another currency). The sale stands; the balance went to zero, not below, and `shortfall` is for review.',
  Type.Object({
    exceptionId: Type.String(),
    number: StoredValueNumber,
    saleId: Type.String(),
    storeId: LocationId,
    terminalId: Type.String(),
    occurredAt: Timestamp,
    currency: Currency,
    reason: Type.Union([
      Type.Literal('insufficient_balance'),
      Type.Literal('unknown_number'),
      Type.Literal('currency_mismatch'),
    ]),
    requested: MinorUnits,
    covered: MinorUnits,
    shortfall: MinorUnits,
  }),
);
export type StoredValueExceptionRaisedV1Data = Static<typeof StoredValueExceptionRaisedV1.dataSchema>;

export const StoredValueExpiredV1 = defineEvent(
  'pos.stored_value.expired',
  1,
  'A gift card (or store credit) reached its expiry with value left on it: the value lapsed and the balance is ' +
    'now zero. `amount` is what lapsed; `storeId` is the store that last sold value onto it, where the books ' +
    'take the breakage. A hold given back to the card later lapses again. The envelope sequence is the account ' +
    'version.',
  Type.Object({
    ...card,
    storeId: LocationId,
    amount: MinorUnits,
    expiresAt: Timestamp,
    expiredAt: Timestamp,
  }),
);
export type StoredValueExpiredV1Data = Static<typeof StoredValueExpiredV1.dataSchema>;
