import { Type } from 'typebox';
import { Gtin, LocationId, LocationKind, Money, ProductStatus, Sku } from '@tillstream/contracts';

export const LocationParams = Type.Object({ locationId: LocationId });
export const SkuParams = Type.Object({ sku: Sku });

const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9/_+:.-]+$',
  description:
    'The IANA time zone the location keeps (`Europe/Amsterdam`): a report of one store counts in its hours ' +
    'and days. Omitted on a PUT, the location has none.',
});

const CashRoundingIncrement = Type.Integer({
  minimum: 2,
  maximum: 100_000,
  description:
    "A store's cash rounding, in minor units of its currency: what is paid or refunded in cash is rounded to " +
    'the nearest multiple (exactly half up), cards still pay to the cent. 5 for the Netherlands, Belgium, ' +
    'Finland, Ireland, Switzerland, Canada and Australia; 100 for Sweden (1 krona); 50 for Denmark. Omitted ' +
    'on a PUT, the store does not round. Stores only (a warehouse takes no cash: 400 `validation_failed`)',
});

export const PutLocationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: LocationKind,
    timeZone: Type.Optional(TimeZone),
    cashRoundingIncrement: Type.Optional(CashRoundingIncrement),
  },
  { additionalProperties: false },
);

export const LocationView = Type.Object({
  locationId: Type.String(),
  name: Type.String(),
  kind: LocationKind,
  timeZone: Type.Optional(Type.String()),
  cashRoundingIncrement: Type.Optional(Type.Integer()),
  version: Type.Integer(),
});

export const PutProductBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    price: Money,
    kind: Type.Optional(Type.Union([Type.Literal('standard'), Type.Literal('kit')])),
    components: Type.Optional(
      Type.Array(
        Type.Object(
          { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 1000 }) },
          { additionalProperties: false },
        ),
        { maxItems: 50 },
      ),
    ),
    backorderable: Type.Optional(Type.Boolean()),
    status: Type.Optional({
      ...ProductStatus,
      description:
        '`draft`: not yet for sale online; `active`: for sale; `archived`: no longer sold online. Omitted: ' +
        'the product keeps its status (a new one is `active`). Stores may still sell off what they hold',
    }),
    barcodes: Type.Optional(
      Type.Array(Gtin, {
        maxItems: 20,
        description:
          'The GTINs printed on it (EAN-8, UPC-A, EAN-13, GTIN-14), check digits right (400 `invalid_barcode`) ' +
          'and no other product’s (409 `barcode_in_use`; UPC-A 036000291452 and EAN-13 0036000291452 are one). ' +
          'Omitted: the product keeps its barcodes; `[]` clears them',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ProductView = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  price: Money,
  kind: Type.String(),
  components: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
  backorderable: Type.Boolean(),
  status: ProductStatus,
  barcodes: Type.Array(Type.String()),
  version: Type.Integer(),
});

export const RepublishBody = Type.Object(
  {
    after: Type.Optional({
      ...Sku,
      description: 'The `next` of the call before: republish the products after this SKU',
    }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
  },
  { additionalProperties: false },
);

export const RepublishView = Type.Object({
  republished: Type.Integer({ description: 'Products published again by this call, each one version more' }),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `after` to go on; null: the last product was republished',
  }),
});
