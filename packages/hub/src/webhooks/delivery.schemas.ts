import { Type } from 'typebox';
import { Timestamp } from '@tillstream/contracts';

const DELIVERY_ID = '0195f3b1-2a3b-7c4d-9e5f-6a7b8c9d0e1f';

export const DeliveryParams = Type.Object({
  webhookId: Type.String({ minLength: 1, maxLength: 64 }),
  deliveryId: Type.String({ minLength: 1, maxLength: 64 }),
});

const DeliveryStatus = Type.Union(
  [Type.Literal('queued'), Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')],
  {
    description:
      '`queued`: waits behind an earlier delivery of the same partition key; `pending`: due at `nextAttemptAt`; ' +
      '`delivered`: a 2xx came back; `failed`: the retry schedule ran out',
  },
);

export const DeliveryListQuery = Type.Object(
  {
    status: Type.Optional(DeliveryStatus),
    before: Type.Optional(
      Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: '`next` of the previous page' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

const AttemptOutcome = Type.Union([
  Type.Literal('delivered'),
  Type.Literal('failed'),
  Type.Literal('redirected'),
  Type.Literal('gone'),
  Type.Literal('throttled'),
  Type.Literal('timed_out'),
  Type.Literal('unreachable'),
  Type.Literal('refused_address'),
]);

const deliveryExample = {
  id: DELIVERY_ID,
  webhookId: '0195f3b0-1c2d-7e3f-8a4b-5c6d7e8f9a0b',
  eventId: '0195f3a2-7e02-7a94-b1c3-5d7e9f1a2b3c',
  eventType: 'erp.stock.changed',
  partitionKey: 'TEE-001',
  origin: 'event',
  status: 'pending',
  attempts: 1,
  nextAttemptAt: '2026-03-02T10:15:07.950Z',
  lastAttemptAt: '2026-03-02T10:15:02.500Z',
  lastStatus: 503,
  lastError: null,
  createdAt: '2026-03-02T10:15:02.480Z',
  completedAt: null,
};

const deliveryProperties = {
  id: Type.String(),
  webhookId: Type.String(),
  eventId: Type.String({ description: 'Also the `webhook-id` header: the receiver deduplicates on it' }),
  eventType: Type.String(),
  partitionKey: Type.String(),
  origin: Type.Union([Type.Literal('event'), Type.Literal('resend'), Type.Literal('replay')]),
  status: DeliveryStatus,
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Timestamp, Type.Null()]),
  lastAttemptAt: Type.Union([Timestamp, Type.Null()]),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  completedAt: Type.Union([Timestamp, Type.Null()]),
};

export const DeliveryView = Type.Object(deliveryProperties, { examples: [deliveryExample] });

export const DeliveryList = Type.Object({
  deliveries: Type.Array(DeliveryView),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `before` for older deliveries' }),
});

export const DeliveryDetail = Type.Object(
  {
    ...deliveryProperties,
    log: Type.Array(
      Type.Object({
        attempt: Type.Integer(),
        attemptedAt: Timestamp,
        durationMs: Type.Integer(),
        outcome: AttemptOutcome,
        statusCode: Type.Union([Type.Integer(), Type.Null()]),
        error: Type.Union([Type.String(), Type.Null()]),
        responseBody: Type.Union([Type.String(), Type.Null()], {
          description: 'The first 1 KiB of the answer',
        }),
      }),
    ),
  },
  {
    examples: [
      {
        ...deliveryExample,
        log: [
          {
            attempt: 1,
            attemptedAt: '2026-03-02T10:15:02.500Z',
            durationMs: 41,
            outcome: 'failed',
            statusCode: 503,
            error: null,
            responseBody: 'maintenance',
          },
        ],
      },
    ],
  },
);

export const ReplayBody = Type.Object(
  {
    since: Type.String({ format: 'date-time', description: 'Events whose `time` is at or after this' }),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'and before this (default: now)' })),
    failedOnly: Type.Optional(
      Type.Boolean({ description: 'Only events whose deliveries to this webhook failed for good' }),
    ),
  },
  { additionalProperties: false, examples: [{ since: '2026-03-02T00:00:00Z', failedOnly: true }] },
);

export const ReplayResult = Type.Object(
  { enqueued: Type.Integer({ description: 'Deliveries enqueued, in log order' }) },
  { examples: [{ enqueued: 42 }] },
);
