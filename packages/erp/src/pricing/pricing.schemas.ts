import { Type, type TSchema } from 'typebox';
import { PriceMismatchDetectedV1, PricingId, Quote, QuoteRequest, Sku } from '@tillstream/contracts';

export const IdParams = Type.Object({ id: PricingId });

/**
 * Snapshot versions count up from 1 in an INTEGER column. A larger number names no snapshot on either engine;
 * refused here, it cannot reach PostgreSQL, which fails the statement for a value its column cannot hold.
 */
const snapshotVersion = (description?: string) =>
  Type.Integer({ minimum: 1, maximum: 2_147_483_647, ...(description ? { description } : {}) });
export const SnapshotParams = Type.Object({ version: snapshotVersion() });
export const SkuParams = Type.Object({ sku: Sku });

const Change = Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('deleted')]);

/** Every version of a definition, oldest first; `definition` is null for a deletion. */
export const historyView = <T extends TSchema>(definition: T) =>
  Type.Object({
    id: Type.String(),
    versions: Type.Array(
      Type.Object({
        version: Type.Integer(),
        change: Change,
        definition: Type.Union([definition, Type.Null()]),
        changedAt: Type.String(),
      }),
    ),
  });

export const DeletedView = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  deleted: Type.Literal(true),
});

export const ProductPricingView = Type.Object({
  sku: Type.String(),
  taxCategory: Type.String(),
  categories: Type.Array(Type.String()),
  weightGrams: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'What one unit weighs for delivery, in grams; null: no weight (it weighs nothing for delivery)',
  }),
  version: Type.Integer(),
});

export const UsageView = Type.Object({
  promotionId: Type.String(),
  used: Type.Integer(),
  limit: Type.Union([Type.Integer(), Type.Null()]),
  perCustomerLimit: Type.Union([Type.Integer(), Type.Null()]),
});

const { at: _at, ...quoteFields } = QuoteRequest.properties;

export const QuoteBody = Type.Object(
  {
    ...QuoteRequest.properties,
    snapshotVersion: Type.Optional(snapshotVersion('Price with this minted snapshot instead of live data')),
  },
  { additionalProperties: false },
);

/** An order (or an online till) consuming the promotions of its cart, priced now: no `at` to backdate. */
export const RedemptionBody = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'The id of the order or sale that consumes the uses' }),
    ...quoteFields,
  },
  { additionalProperties: false },
);

export const RedemptionView = Type.Object({
  id: Type.String(),
  source: Type.Union([Type.Literal('order'), Type.Literal('sale')]),
  status: Type.Union([Type.Literal('redeemed'), Type.Literal('released')]),
  customerId: Type.Union([Type.String(), Type.Null()]),
  promotionIds: Type.Array(Type.String(), { description: 'The limited promotions whose uses it took' }),
  redeemedAt: Type.String(),
  quote: Type.Optional(Quote),
});

export const MismatchView = Type.Object({
  ...PriceMismatchDetectedV1.dataSchema.properties,
  raisedAt: Type.String(),
  resolvedAt: Type.Union([Type.String(), Type.Null()], { description: 'When it was marked reviewed' }),
});
