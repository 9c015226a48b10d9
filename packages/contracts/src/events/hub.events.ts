import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { Timestamp } from '../common.js';

/** Why a webhook endpoint stopped receiving deliveries. */
export const WebhookDisabledReason = Type.Union(
  [Type.Literal('gone'), Type.Literal('failing'), Type.Literal('manual')],
  {
    description:
      '`gone`: the endpoint answered 410; `failing`: every attempt failed for `webhookDisableAfterHours`; ' +
      '`manual`: an operator disabled it',
  },
);

export const WebhookDisabledV1 = defineEvent(
  'hub.webhook.disabled',
  1,
  'A webhook subscription stopped receiving deliveries: its endpoint answered 410 Gone, failed every attempt ' +
    'for days, or was disabled by hand. Its pending deliveries wait; enabling it again resumes them.',
  Type.Object({
    webhookId: Type.String(),
    version: Type.Integer({
      minimum: 1,
      description: 'The subscription version, also the envelope sequence',
    }),
    url: Type.String(),
    reason: WebhookDisabledReason,
    failingSince: Type.Union([Timestamp, Type.Null()], {
      description: 'First failed attempt since the last success, if failing',
    }),
    lastStatus: Type.Union([Type.Integer(), Type.Null()], {
      description: 'HTTP status of the last attempt; null when it got no answer or there was none',
    }),
    disabledAt: Timestamp,
  }),
);
export type WebhookDisabledV1Data = Static<typeof WebhookDisabledV1.dataSchema>;
