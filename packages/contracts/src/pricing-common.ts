import { Type, type TSchema } from 'typebox';
import { LocationId, Timestamp } from './common.js';

/**
 * The ids and building blocks every pricing schema shares. pricing.ts re-exports only the ids and `Filter`: the
 * amounts, priorities and audience are parts of other schemas, not published on their own.
 */

/** Ids of price lists, promotions, tax rates, categories, customer groups and tax categories. */
export const PricingId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
});
export const Channel = Type.String({
  minLength: 1,
  maxLength: 32,
  pattern: '^[a-z][a-z0-9_-]*$',
  description: 'Sales channel, e.g. `pos` or `web`',
});
export const CouponCode = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$',
  description: 'Compared case-insensitively',
});
/** Minor units, never negative. */
export const Amount = Type.Integer({ minimum: 0, maximum: 1e12 });
export const Priority = Type.Integer({
  minimum: -1_000_000,
  maximum: 1_000_000,
  description: 'Higher goes first; ties go to the smaller id',
});
export const Filter = <T extends TSchema>(item: T, description: string) =>
  Type.Optional(Type.Array(item, { minItems: 1, maxItems: 100, uniqueItems: true, description }));

/** Who and when: an absent filter matches everything; `startsAt` is inclusive and `endsAt` exclusive. */
export const audience = {
  enabled: Type.Optional(Type.Boolean({ default: true })),
  channels: Filter(Channel, 'Channels it applies in'),
  storeIds: Filter(LocationId, 'Stores it applies in'),
  customerGroups: Filter(PricingId, 'It applies when the customer belongs to any of these groups'),
  startsAt: Type.Optional(Timestamp),
  endsAt: Type.Optional(Timestamp),
};
