import { Type } from 'typebox';
import { LocationId, LocationKind, Money, Sku } from '@tillstream/contracts';

export const LocationParams = Type.Object({ locationId: LocationId });
export const SkuParams = Type.Object({ sku: Sku });

export const PutLocationBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), kind: LocationKind },
  { additionalProperties: false },
);

export const LocationView = Type.Object({
  locationId: Type.String(),
  name: Type.String(),
  kind: LocationKind,
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
  version: Type.Integer(),
});
