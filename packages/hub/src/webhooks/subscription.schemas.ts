import { Type } from 'typebox';
import { Timestamp, WebhookDisabledReason } from '@tillstream/contracts';
import { EventTypePattern } from '../events/event-patterns.js';

const WEBHOOK_ID = '0195f3b0-1c2d-7e3f-8a4b-5c6d7e8f9a0b';
const CREATED_AT = '2026-03-02T09:30:00.000Z';

export const WebhookParams = Type.Object({ webhookId: Type.String({ minLength: 1, maxLength: 64 }) });

const Url = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'Absolute http(s) URL; private, loopback and reserved addresses are refused',
  examples: ['https://3pl.example.com/hooks/tillstream'],
});
const Events = Type.Array(EventTypePattern, {
  minItems: 1,
  maxItems: 50,
  description: 'Event type patterns: exact types, `prefix.*` or `*`; each must match a published type',
});
const Description = Type.String({ maxLength: 500 });

export const CreateWebhookBody = Type.Object(
  { url: Url, events: Events, description: Type.Optional(Description) },
  {
    additionalProperties: false,
    examples: [
      {
        url: 'https://3pl.example.com/hooks/tillstream',
        events: ['erp.stock.changed', 'pos.*'],
        description: 'Warehouse partner',
      },
    ],
  },
);

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    description: Type.Optional(Type.Union([Description, Type.Null()])),
    status: Type.Optional(
      Type.Union([Type.Literal('active'), Type.Literal('disabled')], {
        description: '`disabled` stops deliveries; `active` resumes the waiting ones at once',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ status: 'active' }] },
);

export const RotateSecretBody = Type.Object(
  {
    graceSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 604_800,
        description:
          'How long deliveries are still signed with the old secret too (default 24 h; 0: not at all)',
      }),
    ),
  },
  { additionalProperties: false, examples: [{ graceSeconds: 3600 }] },
);

const webhookExample = {
  id: WEBHOOK_ID,
  url: 'https://3pl.example.com/hooks/tillstream',
  events: ['erp.stock.changed', 'pos.*'],
  description: 'Warehouse partner',
  status: 'active',
  disabledReason: null,
  disabledAt: null,
  failingSince: null,
  previousSecretExpiresAt: null,
  version: 1,
  createdAt: CREATED_AT,
  updatedAt: CREATED_AT,
};

const webhookProperties = {
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  description: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  disabledReason: Type.Union([WebhookDisabledReason, Type.Null()]),
  disabledAt: Type.Union([Timestamp, Type.Null()]),
  failingSince: Type.Union([Timestamp, Type.Null()], {
    description: 'First failed attempt since the last success',
  }),
  previousSecretExpiresAt: Type.Union([Timestamp, Type.Null()], {
    description: 'Until then deliveries carry a signature with the previous secret too',
  }),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const WebhookView = Type.Object(webhookProperties, { examples: [webhookExample] });

export const CreatedWebhook = Type.Object(
  { ...webhookProperties, secret: Type.String({ description: 'Standard Webhooks secret; shown only here' }) },
  { examples: [{ ...webhookExample, secret: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD5PgyJ1Q6Lu0=' }] },
);

export const RotatedSecret = Type.Object(
  {
    id: Type.String(),
    secret: Type.String({ description: 'The new secret; shown only here' }),
    previousSecretExpiresAt: Type.Union([Timestamp, Type.Null()]),
  },
  {
    examples: [
      {
        id: WEBHOOK_ID,
        secret: 'whsec_k3Zl0h8QmXq3l4sJ1W2Xb9aA6bO7cP8dQ9eR0fS1gT4=',
        previousSecretExpiresAt: '2026-03-03T09:30:00.000Z',
      },
    ],
  },
);
