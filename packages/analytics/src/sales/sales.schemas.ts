import { Type } from 'typebox';
import { Currency, LocationId, Sku, Timestamp } from '@tillstream/contracts';

const Channel = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: '`pos` for store sales, else the online channel (`web`)',
});

/** An instant, or a calendar date read as the start of that day in the report's time zone. */
const PeriodEdge = (description: string) =>
  Type.Union([Timestamp, Type.String({ format: 'date' })], {
    description: `${description}: an instant (its offset counts), or a date, the start of that day in \`timeZone\``,
  });

const Period = {
  from: PeriodEdge('Buckets starting at or after this'),
  to: PeriodEdge('Buckets starting before this'),
  timeZone: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9/_+:.-]+$',
      description:
        'An IANA time zone (`America/New_York`): the report counts in its hours and days, across DST changes, ' +
        'and reads a date in `from` or `to` as the start of that day there. `store`: every store counts in the ' +
        'zone its ERP location names, a date being the start of that day in each store’s zone (online sales ' +
        'and stores naming none: UTC). Absent: for a report of one store (`locationId`), the zone ERP’s ' +
        'location of that store names, else UTC',
    }),
  ),
  channel: Type.Optional(Channel),
  locationId: Type.Optional({
    ...LocationId,
    description:
      'A store: its till sales, and the online orders collected there (click and collect, on their own channel)',
  }),
};

export const SalesQuery = Type.Object(
  {
    ...Period,
    granularity: Type.Union([Type.Literal('hour'), Type.Literal('day')], {
      default: 'day',
      description: 'Hours (at most 31 days) or days (at most 400 days) of `timeZone`',
    }),
    currency: Type.Optional(Currency),
    after: Type.Optional(
      Type.String({ minLength: 1, maxLength: 600, description: 'The `next` of the page before' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
  },
  { additionalProperties: false },
);

const Minor = (description: string) => Type.Integer({ description: `${description}, in minor units` });
const Count = (description: string) => Type.Integer({ description });

const TaxAtRate = Type.Object({
  ratePpm: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'Parts per million (21 % is 210000). Null: not known (sums from before rates were kept, documents that ' +
      'did not state them) or no rate applies, as in ERP’s tax summary; never guessed',
  }),
  net: Minor(
    "What the goods sold for without their tax, as ERP's tax summary books it (unlike the row's `net`, without " +
      'the tax inside shelf prices too)',
  ),
  tax: Minor('The tax on them'),
  returnsNet: Minor('What was given back for such goods (returns and online refunds), without their tax'),
  returnsTax: Minor('The tax given back with them'),
});

export const SalesPage = Type.Object({
  granularity: Type.String(),
  timeZone: Type.String({
    description:
      'The time zone whose hours or days the rows are: the one asked for, else the store’s, else UTC; ' +
      '`store` when each row is in its store’s own (the row’s `timeZone`)',
  }),
  rows: Type.Array(
    Type.Object({
      period: Type.String({
        description:
          'The instant the hour or day starts, in the offset the zone had then (`2026-03-08T00:00:00-05:00`, ' +
          '`Z` at zero); a day of a DST change lasts 23 or 25 hours',
      }),
      timeZone: Type.Optional(
        Type.String({ description: 'With `timeZone=store` only: the zone of this row’s hour or day' }),
      ),
      channel: Type.String(),
      locationId: Type.Union([Type.String(), Type.Null()], {
        description:
          'The store (for an online channel, where its orders are collected); null for online delivery',
      }),
      currency: Type.String({ description: 'Figures are never added across currencies' }),
      gross: Minor('Quantity × unit price before promotions'),
      discounts: Minor('What promotions took off'),
      net: Minor(
        'gross − discounts: what the goods sold for, before tax added on top (an online delivery is not goods ' +
          'and not in it: ERP books it as shipping income)',
      ),
      tax: Minor(
        'Tax on the goods sold: in store, what the till added on top and what the shelf prices include as ' +
          "ERP's journal booked it; online, what the order's lines state, included or added, and the tax on " +
          'its delivery',
      ),
      returns: Minor(
        'Refunded for goods returned in store and online refunds, without the tax added on top and, online, ' +
          "without the refund's share of the order's delivery",
      ),
      returnsTax: Minor(
        "Tax given back by store returns and online refunds, added on top and included, as ERP's journal " +
          'booked it; tax − returnsTax is what the sales tax account took in',
      ),
      netAfterReturns: Minor('net − returns'),
      transactions: Count('Sales and online orders (baskets)'),
      units: Count('Units sold'),
      returnedUnits: Count('Units returned, in store and online'),
      refunds: Count('Store returns and online refunds'),
      averageBasket: Type.Union([Type.Integer(), Type.Null()], {
        description: 'net ÷ transactions, rounded half up; null without transactions',
      }),
      taxByRate: Type.Array(TaxAtRate, {
        description:
          "The row's goods (and online deliveries) and tax per tax rate, for a VAT return: their `tax` adds " +
          "up to the row's `tax` and " +
          'their `returnsTax` to its `returnsTax`, exactly. In rate order, unknown last; rates with nothing ' +
          'left out',
      }),
    }),
  ),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `after` for the rows that follow; null on the last page',
  }),
});

export const TopProductsQuery = Type.Object(
  {
    ...Period,
    currency: Currency,
    by: Type.Union([Type.Literal('units'), Type.Literal('net')], { default: 'units' }),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  },
  { additionalProperties: false },
);

const CountedIn = Type.String({
  description:
    'The time zone whose hours counted: the one asked for, else the store’s, else UTC; `store` when each ' +
    'store’s own counted',
});

export const TopProducts = Type.Object({
  timeZone: CountedIn,
  currency: Type.String(),
  by: Type.String(),
  products: Type.Array(
    Type.Object({
      sku: Sku,
      units: Count('Units sold'),
      net: Minor('What they sold for after promotions, before tax added on top'),
      returnedUnits: Count('Units returned, in store and online'),
      returns: Minor('Refunded for them in store'),
    }),
  ),
});

export const PromotionUsageQuery = Type.Object(
  {
    ...Period,
    currency: Type.Optional(Currency),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const PromotionUsage = Type.Object({
  timeZone: CountedIn,
  promotions: Type.Array(
    Type.Object({
      promotionId: Type.String(),
      currency: Type.String(),
      uses: Count('Sales and online orders that applied it; a basket counts once'),
      units: Count('Units on the lines it applied to'),
      discount: Minor('What it took off'),
    }),
  ),
});
