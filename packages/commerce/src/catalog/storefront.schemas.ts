import { Type } from 'typebox';
import { Money, Sku } from '@tillstream/contracts';
import { SORTS } from './catalog-query.decide.js';

export const ProductView = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('standard'), Type.Literal('kit')]),
  /** The web price now: price lists and sale prices for the web channel applied. */
  price: Money,
  compareAtPrice: Type.Union([Money, Type.Null()], {
    description: "The product's own price when the web price differs from it (a sale), else null",
  }),
  available: Type.Integer({
    minimum: 0,
    description:
      "Units the web channel can sell: on-hand − reserved − the channel's safety stock at each of its " +
      'locations, never below zero, summed. A kit: the minimum over components of floor(units / per kit).',
  }),
  inStock: Type.Boolean(),
  backorderable: Type.Boolean(),
  gtins: Type.Array(Type.String(), {
    description:
      'The GTINs printed on it (EAN-8, UPC-A, EAN-13 or GTIN-14), as ERP holds them (its `barcodes`), not ' +
      'padded to one form; empty when it has none. What marketplace feeds ask for as `gtin`.',
  }),
  components: Type.Optional(
    Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() }), {
      description: 'Kits only: what one kit is made of',
    }),
  ),
  version: Type.String({ description: 'Changes whenever anything in the view changes; also the ETag' }),
});

export const ProductParams = Type.Object({ sku: Sku });

export const ListQuerystring = Type.Object(
  {
    q: Type.Optional(
      Type.String({ maxLength: 100, description: 'Text in the SKU or name, any case; blank: no filter' }),
    ),
    gtin: Type.Optional(
      // Not the GTIN pattern: a code of the wrong shape is refused with the same code as a wrong check digit.
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'A scanned or typed GTIN (EAN-8, UPC-A, EAN-13 or GTIN-14): the product carrying it, in any of its ' +
          'forms (UPC-A 036000291452 finds EAN-13 0036000291452); 400 `invalid_barcode` if it is not a GTIN',
      }),
    ),
    inStock: Type.Optional(Type.Boolean()),
    kind: Type.Optional(Type.Union([Type.Literal('standard'), Type.Literal('kit')])),
    minPrice: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1e12, description: 'Web price at least this, in minor units' }),
    ),
    maxPrice: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1e12, description: 'Web price at most this, in minor units' }),
    ),
    sort: Type.Union(
      SORTS.map((sort) => Type.Literal(sort)),
      { default: 'sku', description: 'Field to sort by; a leading `-` sorts descending. Ties go by SKU.' },
    ),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 400,
        pattern: '^[A-Za-z0-9_-]+$',
        description: "The previous page's `next`, with the same sort",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ProductPage = Type.Object({
  products: Type.Array(ProductView),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Cursor of the next page; null at the end' }),
});
