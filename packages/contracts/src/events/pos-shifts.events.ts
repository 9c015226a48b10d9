import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { Currency, LocationId, MinorUnits, Timestamp } from '../common.js';

const Count = Type.Integer({ minimum: 0 });

/** The Z-report of a shift: every figure is a sum of the shift's sales, returns and tenders. */
export const ZReport = Type.Object({
  sales: Type.Object({
    count: Count,
    gross: MinorUnits,
    discounts: MinorUnits,
    /** gross − discounts: the lines' totals, before any added tax. */
    net: MinorUnits,
    /** Tax added on top of `net` (tax-exclusive stores). */
    tax: Type.Optional(MinorUnits),
  }),
  returns: Type.Object({
    count: Count,
    /** What the goods taken back and their tax are worth. */
    total: MinorUnits,
    /**
     * Added in v1, optional (absent when 0): the part of `total` not refunded, because the sales they came from
     * were paid with a gift card or store credit that never covered it (its shortfall, written off).
     */
    uncollected: Type.Optional(MinorUnits),
  }),
  /**
   * Added in v1, optional: the goods and their tax per tax rate, sales less returns, from the rates the sale
   * lines state (added on top, or inside the price). `unstated` is what lines stating no rate took in (older
   * tills, untaxed goods, returns without a receipt). Σ (net + tax) + unstated = sales net + tax − returns.
   */
  taxes: Type.Optional(
    Type.Object({
      rates: Type.Array(
        Type.Object({
          ratePpm: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
          included: Type.Boolean({ description: 'The tax is inside the price, rather than added on top' }),
          net: Type.Integer({ description: 'The goods without their tax, sales less returns' }),
          tax: Type.Integer({ description: 'Their tax, sales less returns' }),
        }),
      ),
      unstated: Type.Integer(),
    }),
  ),
  /**
   * What the tenders took, net: sales net + tax + gift cards sold − returns + cash rounding (`cashRounding.net`).
   * Equals the sum of `tenders[].net`. (Without added tax, gift cards sold or rounding, sales net − returns.)
   */
  net: MinorUnits,
  /**
   * Added in v1, optional: cash rounding of the shift's sales and gift cards sold (`sales`: the cash taken above
   * what was due, less what was taken below) and returns (`returns`: the cash paid out above the refunds due, less below), and
   * `net` = sales − returns, what rounding left in the drawer. The cash figures below are the cash as it changed
   * hands, rounding included. `formerRule`: documents rounded by a rule the store had before (a till that had
   * not learned the change). Present only when a document of the shift was rounded.
   */
  cashRounding: Type.Optional(
    Type.Object({
      sales: MinorUnits,
      returns: MinorUnits,
      net: MinorUnits,
      formerRule: Type.Optional(Type.Object({ count: Count })),
    }),
  ),
  tenders: Type.Array(
    Type.Object({ method: Type.String(), sales: MinorUnits, refunds: MinorUnits, net: MinorUnits }),
  ),
  cash: Type.Object({
    openingFloat: Type.Union([MinorUnits, Type.Null()], { description: 'Null until the opening arrives' }),
    sales: MinorUnits,
    refunds: MinorUnits,
    expected: Type.Union([MinorUnits, Type.Null()]),
    counted: Type.Union([MinorUnits, Type.Null()]),
    overShort: Type.Union([MinorUnits, Type.Null()], {
      description: 'counted − expected: positive is over, negative is short',
    }),
  }),
  receipts: Type.Object({
    first: Type.Union([Type.String(), Type.Null()]),
    last: Type.Union([Type.String(), Type.Null()]),
  }),
  /** Sales and returns that reached the server after the shift had closed. */
  lateTransactions: Count,
  /**
   * Gift cards and store credit: `sold` is value put on cards for payment (its tenders are in `tenders`),
   * `refunded` store credit or gift card value given back on returns, `redeemed` value spent on sales.
   */
  storedValue: Type.Optional(
    Type.Object({
      sold: Type.Object({ count: Count, amount: MinorUnits }),
      refunded: Type.Object({ count: Count, amount: MinorUnits }),
      redeemed: Type.Object({ count: Count, amount: MinorUnits }),
    }),
  ),
  /** Card payments the terminal authorised offline (under its floor limit), to be settled with the acquirer. */
  offlineCard: Type.Optional(
    Type.Object({
      count: Count,
      amount: MinorUnits,
      /**
       * Added in v1, optional: those of them that reached the server more than 24 h after they were taken,
       * which acquirers decline; the store chases the customer. Present only when there are some.
       */
      late: Type.Optional(Type.Object({ count: Count, amount: MinorUnits })),
    }),
  ),
  /**
   * Added in v1, optional: returns of the shift the server refused for good (quarantined, e.g. another till
   * refunded the same receipt while offline) whose refund the till paid out all the same. Not in `returns` or
   * `cash`; `cash` here is the part that left the drawer, which explains that much of a shortage. Present only
   * when there are some; a manager resolves them from the quarantine.
   */
  quarantinedRefunds: Type.Optional(Type.Object({ count: Count, amount: MinorUnits, cash: MinorUnits })),
});
export type ZReport = Static<typeof ZReport>;

export const ShiftClosedV1 = defineEvent(
  'pos.shift.closed',
  1,
  'A terminal shift was closed with its counted cash, and its Z-report. A sale or return of the shift that ' +
    'arrives later (an offline terminal) revises the report: `revision` (also the envelope sequence) grows.',
  Type.Object({
    shiftId: Type.String(),
    terminalId: Type.String(),
    storeId: LocationId,
    seq: Type.Integer({ minimum: 1 }),
    revision: Type.Integer({ minimum: 1 }),
    openedAt: Type.Union([Timestamp, Type.Null()]),
    closedAt: Timestamp,
    currency: Currency,
    report: ZReport,
  }),
);
export type ShiftClosedV1Data = Static<typeof ShiftClosedV1.dataSchema>;
