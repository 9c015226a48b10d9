import { Type } from 'typebox';
import { LocationId, Timestamp } from '@tillstream/contracts';

const EntryKind = Type.Union(
  [
    Type.Literal('sale'),
    Type.Literal('return'),
    Type.Literal('online_order'),
    Type.Literal('online_shipment'),
    Type.Literal('online_refund'),
    Type.Literal('stored_value_sold'),
    Type.Literal('stored_value_shortfall'),
    Type.Literal('stored_value_expired'),
    Type.Literal('cash_over_short'),
    Type.Literal('cost_of_sales'),
    Type.Literal('goods_received'),
    Type.Literal('stock_adjustment'),
    Type.Literal('supplier_invoice'),
    Type.Literal('supplier_payment'),
    Type.Literal('supplier_bill'),
  ],
  { description: 'The kind of source document' },
);

const AccountType = Type.Union([
  Type.Literal('asset'),
  Type.Literal('liability'),
  Type.Literal('revenue'),
  Type.Literal('contra_revenue'),
  Type.Literal('expense'),
  Type.Literal('suspense'),
]);

export const AccountView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  type: AccountType,
});

const Period = {
  locationId: Type.Optional(LocationId),
  channel: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[a-z0-9][a-z0-9_-]*$',
      description:
        '`pos` for the stores, else an online channel (`web`): online sales are often reported apart',
    }),
  ),
  from: Type.Optional({ ...Timestamp, description: 'Documents that happened at or after this instant' }),
  to: Type.Optional({ ...Timestamp, description: 'Documents that happened before this instant' }),
};

export const JournalQuery = Type.Object(
  {
    after: Type.String({
      pattern: '^[0-9]{1,20}\\.[0-9]{1,16}$',
      default: '0.0',
      description: 'The `next` of the page before; `0.0` (the default) from the start',
    }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    kind: Type.Optional(EntryKind),
    sourceId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    ...Period,
  },
  { additionalProperties: false },
);

export const PeriodQuery = Type.Object(Period, { additionalProperties: false });

const TaxBase = Type.Object({
  ratePpm: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The tax rate in parts per million; null: no rate is known (see finance.md)',
  }),
  net: Type.Integer({ description: 'Revenue without tax: positive for goods sold, negative given back' }),
  tax: Type.Integer({ description: 'The tax on them, signed as `net`' }),
});

const Line = Type.Object({
  account: Type.String(),
  debit: Type.Integer({ description: 'Minor units' }),
  credit: Type.Integer({ description: 'Minor units' }),
});

export const JournalPage = Type.Object({
  entries: Type.Array(
    Type.Object({
      entryNo: Type.Integer({ description: 'Numbered as posted; unique' }),
      kind: EntryKind,
      sourceId: Type.String({
        description:
          'The sale, return, order, refund or gift card issue it books; the stock movement it values',
      }),
      locationId: Type.Union([Type.String(), Type.Null()], { description: 'The store; null online' }),
      channel: Type.String({ description: '`pos`, the online channel, or `inventory` for stock’s value' }),
      occurredAt: Type.String(),
      currency: Type.String(),
      eventId: Type.String({ description: 'The event it was posted from' }),
      postedAt: Type.String(),
      lines: Type.Array(Line),
      taxBases: Type.Array(TaxBase, {
        description: 'The revenue and tax the entry books, per tax rate; empty for entries that book neither',
      }),
    }),
  ),
  next: Type.String({
    description:
      'Pass as `after` to read on. An empty or short page means nothing more is committed yet; ask again later ' +
      'with the same cursor',
  }),
});

/** The period a report covers, as asked (null: not narrowed). */
const PeriodAsked = {
  locationId: Type.Union([Type.String(), Type.Null()]),
  channel: Type.Union([Type.String(), Type.Null()]),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
};

export const TrialBalanceView = Type.Object({
  ...PeriodAsked,
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      accounts: Type.Array(
        Type.Object({
          ...AccountView.properties,
          debit: Type.Integer(),
          credit: Type.Integer(),
          balance: Type.Integer({ description: 'On the side the account grows: debit − credit for assets' }),
        }),
      ),
      debit: Type.Integer(),
      credit: Type.Integer(),
      balanced: Type.Boolean({
        description: 'Debits equal credits: always true unless the books were tampered with',
      }),
    }),
  ),
});

const Figures = Type.Object({
  net: Type.Integer({ description: 'Revenue without tax, minor units' }),
  tax: Type.Integer({ description: 'Tax, minor units' }),
});

export const TaxSummaryView = Type.Object({
  ...PeriodAsked,
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      rates: Type.Array(
        Type.Object({
          ratePpm: TaxBase.properties.ratePpm,
          sales: { ...Figures, description: 'Store sales and online orders' },
          returns: { ...Figures, description: 'Store returns and online refunds: what was given back' },
          net: Type.Integer({ description: 'sales.net − returns.net' }),
          tax: Type.Integer({ description: 'sales.tax − returns.tax' }),
        }),
      ),
      net: Type.Integer({ description: 'Σ rates.net' }),
      tax: Type.Integer({ description: 'Σ rates.tax' }),
      journal: {
        ...Figures,
        description:
          'The same sums from the accounts: revenue (4000 − 4050 − 4100) with what online orders paid into ' +
          'customer deposits (2400), and tax owed (2100)',
      },
      reconciled: Type.Boolean({
        description: 'The rates add up to the accounts: always, unless tampered with',
      }),
    }),
  ),
});

const Margin = {
  netSales: Type.Integer({
    description: 'Revenue without tax: 4000 less discounts (4050) and returns (4100)',
  }),
  costOfSales: Type.Integer({ description: 'What the goods sold cost (5000), less what came back' }),
  grossMargin: Type.Integer({ description: 'netSales − costOfSales, minor units' }),
  marginBasisPoints: Type.Union([Type.Integer(), Type.Null()], {
    description: 'grossMargin as a share of netSales in hundredths of a percent; null when netSales ≤ 0',
  }),
};

export const GrossMarginView = Type.Object({
  ...PeriodAsked,
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      channels: Type.Array(
        Type.Object({
          channel: Type.String({
            description:
              '`pos` for the stores, an online channel, or `inventory`: cost of sales of no known channel',
          }),
          ...Margin,
        }),
      ),
      ...Margin,
    }),
  ),
});
