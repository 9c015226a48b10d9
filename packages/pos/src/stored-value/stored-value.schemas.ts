import { Type } from 'typebox';
import { Currency, LocationId, StoredValueKind, StoredValueNumber, Timestamp } from '@tillstream/contracts';
import {
  CashRounding,
  CashRoundingRuleView,
  ClientId,
  ReceiptNo,
  Tender,
  TenderView,
  TerminalId,
} from '../pos.schemas.js';

const Positive = Type.Integer({ minimum: 1, maximum: 1e10, description: 'Minor units' });

export const NumberParams = Type.Object({ number: StoredValueNumber });

export const IssueBody = Type.Object(
  {
    id: ClientId,
    number: StoredValueNumber,
    kind: StoredValueKind,
    amount: Positive,
    currency: Currency,
    storeId: LocationId,
    terminalId: TerminalId,
    occurredAt: Timestamp,
    payments: Type.Array(Tender, {
      minItems: 1,
      maxItems: 20,
      description: 'How the customer paid for it (cash, card, …; not a gift card or store credit)',
    }),
    cashRounding: Type.Optional({
      ...CashRounding,
      description:
        'Cash rounding, as on a sale: the cash paid less the cash due (what the other tenders leave of `amount`), ' +
        "exactly what the store's increment gives for it (422 `cash_rounding_mismatch`), with a cash tender (422 " +
        '`cash_rounding_without_cash`). The payments then add up to `amount` + this, and the card is still loaded ' +
        'with `amount`: rounding changes the coins handed over, not the value sold. Absent or 0: not rounded',
    }),
    shiftId: Type.Optional(Type.String({ format: 'uuid' })),
    receiptNo: Type.Optional(ReceiptNo),
    expiresAt: Type.Optional({
      ...Timestamp,
      description:
        'When the value left on the card lapses (printed on it); after `occurredAt`. Absent: it does not ' +
        'expire. A top-up may move a card’s expiry later, never earlier, and gives none to a card without one',
    }),
  },
  { additionalProperties: false },
);

export const IssueView = Type.Object({
  id: Type.String(),
  status: Type.Literal('completed'),
  number: Type.String(),
  kind: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  storeId: Type.String(),
  terminalId: Type.String(),
  occurredAt: Type.String(),
  payments: Type.Array(TenderView),
  cashRounding: Type.Optional(
    Type.Integer({ description: 'The cash rounding: payments add up to amount + cashRounding' }),
  ),
  cashRoundingRule: Type.Optional(CashRoundingRuleView),
  shiftId: Type.Optional(Type.String()),
  receiptNo: Type.Optional(Type.String()),
  expiresAt: Type.Optional(Type.String()),
});

export const AccountView = Type.Object({
  number: Type.String(),
  kind: Type.String(),
  currency: Type.String(),
  balance: Type.Integer({ description: 'Minor units; never below zero' }),
  version: Type.Integer(),
  issuedAt: Type.String(),
  updatedAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()], {
    description:
      'When its value lapses; null: never. Past it, the card can no longer be spent, topped up or refunded to',
  }),
  storeId: Type.Union([Type.String(), Type.Null()], {
    description: 'The store that last sold or refunded value onto it (null for older cards untouched since)',
  }),
});

/** Where a page of expiring cards ended: `<expiresAt>~<number>`. */
const EXPIRING_CURSOR = '^[0-9][0-9T:.Z-]*~[A-Za-z0-9][A-Za-z0-9._-]*$';

export const ExpiringQuery = Type.Object(
  {
    before: { ...Timestamp, description: 'Cards that expire before this instant (and have value left)' },
    after: Type.Optional(
      Type.String({ pattern: EXPIRING_CURSOR, maxLength: 120, description: 'The previous page’s `next`' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const ExpiringView = Type.Object({
  cards: Type.Array(AccountView),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `after`; null on the last page' }),
  outstanding: Type.Array(
    Type.Object({
      currency: Type.String(),
      cards: Type.Integer(),
      balance: Type.Integer({ description: 'What they hold: the breakage to expect if none is spent' }),
    }),
    { description: 'All the cards the query selects (not only this page), per currency' },
  ),
});

export const MovementsView = Type.Object({
  number: Type.String(),
  movements: Type.Array(
    Type.Object({
      version: Type.Integer(),
      kind: Type.String({
        description:
          '`issued`, `refunded`, `redeemed`, `cancelled` (a hold given back by the till), `expired` (a hold no ' +
          'sale claimed in time, given back by the server) or `balance_expired` (the value left when the card ' +
          'reached its expiry, lapsed)',
      }),
      amount: Type.Integer({ description: 'Signed: what it did to the balance' }),
      balanceAfter: Type.Integer(),
      reference: Type.String(),
      occurredAt: Type.String(),
      recordedAt: Type.String(),
    }),
  ),
});

export const RedemptionBody = Type.Object(
  {
    id: ClientId,
    amount: Positive,
    currency: Currency,
    storeId: LocationId,
    terminalId: TerminalId,
  },
  { additionalProperties: false },
);

export const RedemptionView = Type.Object({
  id: Type.String(),
  number: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  storeId: Type.String(),
  terminalId: Type.String(),
  status: Type.Union([
    Type.Literal('held'),
    Type.Literal('claimed'),
    Type.Literal('cancelled'),
    Type.Literal('expired'),
  ]),
  saleId: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String({
    description: 'When a hold no sale claimed goes back to its card by itself (`expired`)',
  }),
});

export const ExceptionsView = Type.Object({
  exceptions: Type.Array(
    Type.Object({
      id: Type.String(),
      number: Type.String(),
      saleId: Type.String(),
      storeId: Type.String(),
      terminalId: Type.String(),
      occurredAt: Type.String(),
      currency: Type.String(),
      reason: Type.String(),
      requested: Type.Integer(),
      covered: Type.Integer(),
      shortfall: Type.Integer(),
      raisedAt: Type.String(),
    }),
  ),
});
