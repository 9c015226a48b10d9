import { LocationId, Sku, Timestamp } from '@tillstream/contracts';
import { Type } from 'typebox';
import { TerminalId } from '../pos.schemas.js';

/** An ERP fulfilment id: `{orderId}:{locationId}`, and a number after a backorder's. */
const FulfilmentId = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
  description: "The ERP fulfilment's id",
});

export const CollectionParams = Type.Object({ id: FulfilmentId }, { additionalProperties: false });

export const CollectionActBody = Type.Object(
  { terminalId: { ...TerminalId, description: 'The till doing it (a terminal’s key may name only itself)' } },
  { additionalProperties: false },
);

const TillAct = Type.Union([Type.Object({ terminalId: Type.String(), at: Timestamp }), Type.Null()]);

export const CollectionView = Type.Object({
  fulfilmentId: Type.String(),
  orderId: Type.String(),
  storeId: LocationId,
  status: Type.Union(
    [
      Type.Literal('preparing'),
      Type.Literal('ready'),
      Type.Literal('collected'),
      Type.Literal('cancelled'),
      Type.Literal('restocked'),
    ],
    {
      description:
        '`preparing`: to pick and put aside; `ready`: waiting for the shopper; `collected`: handed over; ' +
        '`cancelled`: the order was cancelled after its goods were put aside, put them back on the shelf; ' +
        '`restocked`: cancelled and nothing left to do (put back, or never put aside)',
    },
  ),
  collector: Type.Object({
    name: Type.String({ description: 'Who collects, as the shopper gave it at checkout' }),
    phone: Type.Union([Type.String(), Type.Null()]),
  }),
  lines: Type.Array(
    Type.Object({
      sku: Sku,
      name: Type.Union([Type.String(), Type.Null()], { description: 'Null for a SKU POS has not heard of' }),
      quantity: Type.Integer({ minimum: 1 }),
    }),
  ),
  readyAt: Type.Union([Timestamp, Type.Null()], { description: 'When ERP made it ready for the shopper' }),
  collectedAt: Type.Union([Timestamp, Type.Null()]),
  cancelledAt: Type.Union([Timestamp, Type.Null()]),
  prepared: { ...TillAct, description: 'The till that put it aside, and when; null if none did' },
  handedOver: { ...TillAct, description: 'The till that handed it over, and when; null if none did' },
  putBack: {
    ...TillAct,
    description: 'The till that put a cancelled one’s goods back on the shelf, and when',
  },
  erpVersion: Type.Integer({ description: "The fulfilment's version in ERP's newest event POS has applied" }),
});

export const CollectionListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union(
        [
          Type.Literal('open'),
          Type.Literal('preparing'),
          Type.Literal('ready'),
          Type.Literal('collected'),
          Type.Literal('cancelled'),
          Type.Literal('restocked'),
        ],
        {
          default: 'open',
          description:
            '`open` (the default): preparing and ready, what the store still has to do; `cancelled`: goods to ' +
            'put back on the shelf',
        },
      ),
    ),
    after: Type.Optional({ ...FulfilmentId, description: 'The previous page’s `next`' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
