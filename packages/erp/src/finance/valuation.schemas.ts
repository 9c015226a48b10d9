import { Type } from 'typebox';
import { Currency, LocationId, Sku } from '@tillstream/contracts';

export const ValuationQuery = Type.Object(
  {
    locationId: Type.Optional({
      ...LocationId,
      description: 'One location’s stock: what it holds on hand and in transit to it',
    }),
    currency: Type.Optional(Currency),
    after: Type.Optional({ ...Sku, description: 'The `next` of the page before' }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const ValuationView = Type.Object({
  locationId: Type.Union([Type.String(), Type.Null()], { description: 'As asked; null: the whole chain' }),
  currency: Type.Union([Type.String(), Type.Null()], { description: 'As asked; null: every currency' }),
  items: Type.Array(
    Type.Object({
      sku: Type.String(),
      currency: Type.String(),
      quantity: Type.Integer({
        description:
          'Units the chain owns: on hand and in transit, everywhere (with `locationId`: on hand there and in ' +
          'transit to it). Below zero when stores sold short',
      }),
      value: Type.Integer({
        description:
          'What they cost, minor units; with `locationId`, this location’s share of the SKU’s value (see ' +
          'finance.md)',
      }),
      averageUnitCost: Type.Number({
        description:
          'The moving average cost per unit, minor units (to the millionth): what units go out at. One per ' +
          'SKU, the same at every location',
      }),
    }),
  ),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `after` to read on; null: the last page',
  }),
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      skus: Type.Integer({ description: 'SKUs valued; with `locationId`, those with units there' }),
      quantity: Type.Integer(),
      value: Type.Integer({ description: 'Σ value of every SKU in the currency, not only this page’s' }),
      books: Type.Optional(
        Type.Integer({
          description:
            'The balance of the inventory account (1300) in the journal. Absent with `locationId`: the ' +
            'account is kept for the chain (see /finance/inventory-valuation/locations)',
        }),
      ),
      reconciled: Type.Optional(
        Type.Boolean({ description: 'value = books: always, unless the books were tampered with' }),
      ),
    }),
  ),
});

export const LocationValuationQuery = Type.Object(
  { currency: Type.Optional(Currency) },
  { additionalProperties: false },
);

const Figures = {
  quantity: Type.Integer({ description: 'Units: on hand and in transit to the location' }),
  value: Type.Integer({ description: 'What they cost, minor units' }),
};

export const LocationValuationView = Type.Object({
  currency: Type.Union([Type.String(), Type.Null()], { description: 'As asked; null: every currency' }),
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      locations: Type.Array(
        Type.Object({
          locationId: Type.String(),
          skus: Type.Integer({ description: 'SKUs with units there' }),
          ...Figures,
        }),
        { description: 'Every location that holds units of a SKU in this currency, in id order' },
      ),
      quantity: Type.Integer({ description: 'Σ of the locations’ units' }),
      value: Type.Integer({ description: 'Σ of the locations’ values' }),
      chain: Type.Object(
        {
          skus: Type.Integer(),
          ...Figures,
        },
        { description: 'The chain’s valuation: the totals of /finance/inventory-valuation' },
      ),
      books: Type.Integer({ description: 'The balance of the inventory account (1300) in the journal' }),
      reconciled: Type.Boolean({
        description:
          'The locations add up to the chain in units and value, and the value to the books (read in one ' +
          'statement). False while the valuation has applied one leg of a shipped transfer and not the ' +
          'other, or where it never valued a movement the stock ledger has (see finance.md)',
      }),
    }),
  ),
});
