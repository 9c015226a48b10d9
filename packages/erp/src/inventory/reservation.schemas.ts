import { Type } from 'typebox';
import { LocationId, Sku } from '@tillstream/contracts';
import { DocumentId } from './inventory.schemas.js';

export const ChannelName = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'A sales channel, e.g. `web`',
});

export const ReservationBody = Type.Object(
  {
    id: DocumentId,
    channel: ChannelName,
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
          locationId: Type.Optional(LocationId),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    expiresInSeconds: Type.Integer({ minimum: 1, maximum: 604_800, description: 'At most 7 days' }),
  },
  { additionalProperties: false },
);

export const ReservationParams = Type.Object({ id: DocumentId });

const Placed = Type.Object({ sku: Type.String(), locationId: Type.String(), quantity: Type.Integer() });

export const ReservationView = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  status: Type.Union([
    Type.Literal('held'),
    Type.Literal('committed'),
    Type.Literal('released'),
    Type.Literal('expired'),
  ]),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      quantity: Type.Integer(),
      locationId: Type.Optional(Type.String()),
      allocations: Type.Array(Placed, { description: 'Where the units (a kit: its components) are held' }),
      backordered: Type.Array(Placed, { description: 'Units still queued for stock to arrive' }),
    }),
  ),
  expiresAt: Type.String({
    description:
      'When the hold expires unless committed or released; 9999-12-31T23:59:59.999Z once it is kept for a ' +
      'placed online order, which has no time limit',
  }),
  createdAt: Type.String(),
  version: Type.Integer(),
});

export const ChannelParams = Type.Object({ channel: ChannelName });

export const PutChannelBody = Type.Object(
  {
    locations: Type.Array(LocationId, {
      minItems: 1,
      maxItems: 100,
      description: 'Where the channel may reserve, in allocation order',
    }),
    safetyStock: Type.Integer({
      minimum: 0,
      maximum: 1_000_000,
      description: 'Units kept back per location',
    }),
  },
  { additionalProperties: false },
);

export const ChannelView = Type.Object({
  channel: Type.String(),
  locations: Type.Array(Type.String()),
  safetyStock: Type.Integer(),
  version: Type.Integer(),
  configured: Type.Boolean({ description: 'False: the default (every warehouse, no safety stock)' }),
});
