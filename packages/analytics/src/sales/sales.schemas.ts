import { Type } from 'typebox';
import { Currency, LocationId, Sku, Timestamp } from '@tillstream/contracts';

const Channel = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: '`pos` for store sales, else the online channel (`web`)',
});

const Period = {
  from: { ...Timestamp, description: 'Buckets starting at or after this instant' },
  to: { ...Timestamp, description: 'Buckets starting before this instant' },
  channel: Type.Optional(Channel),
  locationId: Type.Optional({ ...LocationId, description: 'A store; online sales have none' }),
};

export const SalesQuery = Type.Object(
  {
    ...Period,
    granularity: Type.Union([Type.Literal('hour'), Type.Literal('day')], {
      default: 'day',
      description: 'UTC hours (at most 31 days) or UTC days (at most 400 days)',
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

export const SalesPage = Type.Object({
  granularity: Type.String(),
  rows: Type.Array(
    Type.Object({
      period: Type.String({ description: 'The UTC instant the hour or day starts' }),
      channel: Type.String(),
      locationId: Type.Union([Type.String(), Type.Null()], { description: 'The store; null online' }),
      currency: Type.String({ description: 'Figures are never added across currencies' }),
      gross: Minor('Quantity × unit price before promotions'),
      discounts: Minor('What promotions took off'),
      net: Minor('gross − discounts: what the goods sold for, before tax added on top'),
      tax: Minor('Tax the documents state: added by a till, or included or added online'),
      returns: Minor('Refunded for goods returned in store (without added tax) and online refunds'),
      netAfterReturns: Minor('net − returns'),
      transactions: Count('Sales and online orders (baskets)'),
      units: Count('Units sold'),
      returnedUnits: Count('Units returned in store'),
      refunds: Count('Store returns and online refunds'),
      averageBasket: Type.Union([Type.Integer(), Type.Null()], {
        description: 'net ÷ transactions, rounded half up; null without transactions',
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

export const TopProducts = Type.Object({
  currency: Type.String(),
  by: Type.String(),
  products: Type.Array(
    Type.Object({
      sku: Sku,
      units: Count('Units sold'),
      net: Minor('What they sold for after promotions, before tax added on top'),
      returnedUnits: Count('Units returned in store'),
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
