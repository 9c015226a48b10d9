import {
  CloudEventSchema,
  dataSchemaUrn,
  EVENT_CATALOG,
  type CloudEvent,
  type EventContract,
} from '@tillstream/contracts';
// Not exported by the kernel's index; imported by path so the documented subjects are the relay's own.
import { natsNames } from '../../packages/kernel/src/events/nats-names.js';
import { messageName, producerOf } from './naming.js';

const ref = ($ref: string) => ({ $ref });

/** The envelope schema without its `$id`, so it can sit under components.schemas and be referenced. */
function envelopeComponent(): Record<string, unknown> {
  const { $id: _id, ...schema } = JSON.parse(JSON.stringify(CloudEventSchema)) as Record<string, unknown>;
  return schema;
}

function message(contract: EventContract, example: CloudEvent) {
  const name = messageName(contract);
  return {
    name: `${contract.type}.v${contract.version}`,
    title: `${contract.type} v${contract.version}`,
    summary: contract.description,
    contentType: 'application/cloudevents+json',
    tags: [{ name: producerOf(contract) }],
    correlationId: { location: '$message.payload#/correlationid' },
    payload: {
      allOf: [
        ref('#/components/schemas/CloudEvent'),
        {
          type: 'object',
          properties: {
            source: { const: `/tillstream/${producerOf(contract)}` },
            type: { const: contract.type },
            dataschema: { const: dataSchemaUrn(contract) },
            data: ref(`#/components/schemas/${name}Data`),
          },
        },
      ],
    },
    examples: [{ name: 'example', payload: example }],
  };
}

const WEBHOOKS =
  'Every event a subscription matches, POSTed to its URL as the CloudEvent (structured mode, ' +
  '`application/cloudevents+json`) and signed by Standard Webhooks v1: `webhook-id` (the event id, the same on ' +
  'every retry and resend), `webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256>`, two during ' +
  'a secret rotation). Only 2xx is success. See docs/webhooks.md.';
const STREAM =
  'The hub log as Server-Sent Events: each message has `id` = log position and `data` = the CloudEvent. ' +
  'Resume with `Last-Event-ID`; filter with `?type=` patterns. The same log pages at GET /hub/v1/events.';

/**
 * The AsyncAPI 3.0 document of Tillstream's events: one NATS channel per event type (each version its own
 * message, told apart by `dataschema`), the webhook and the SSE channels of the hub that carry all of them,
 * and a `send` operation per channel (Tillstream is the sender).
 */
export function renderAsyncApi(example: (contract: EventContract) => CloudEvent): Record<string, unknown> {
  const names = natsNames();
  const schemas: Record<string, unknown> = { CloudEvent: envelopeComponent() };
  const messages: Record<string, unknown> = {};
  for (const contract of EVENT_CATALOG) {
    schemas[`${messageName(contract)}Data`] = contract.dataSchema;
    messages[messageName(contract)] = message(contract, example(contract));
  }
  const allMessages = Object.fromEntries(
    Object.keys(messages).map((name) => [name, ref(`#/components/messages/${name}`)]),
  );
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const type of [...new Set(EVENT_CATALOG.map((contract) => contract.type))]) {
    const versions = EVENT_CATALOG.filter((contract) => contract.type === type);
    const producer = producerOf({ type });
    channels[type] = {
      address: names.subject(producer, type),
      title: type,
      description:
        `${versions[0]!.description} On NATS (default prefix): subject ${names.subject(producer, type)} ` +
        `in stream ${names.stream(producer)}. Also served by GET /hub/v1/events?type=${type}.`,
      servers: [ref('#/servers/nats')],
      messages: Object.fromEntries(
        versions.map((contract) => [
          messageName(contract),
          ref(`#/components/messages/${messageName(contract)}`),
        ]),
      ),
    };
    operations[`publish${messageName({ type, version: 1 }).replace(/V1$/, '')}`] = {
      action: 'send',
      channel: ref(`#/channels/${type}`),
      summary: `${producer} publishes ${type}`,
      messages: versions.map((contract) => ref(`#/channels/${type}/messages/${messageName(contract)}`)),
    };
  }
  channels.webhooks = {
    address: null,
    title: 'Webhooks',
    description: WEBHOOKS,
    servers: [ref('#/servers/webhooks')],
    messages: allMessages,
  };
  channels.eventStream = {
    address: '/hub/v1/events/stream',
    title: 'Live event stream (SSE)',
    description: STREAM,
    servers: [ref('#/servers/hub')],
    messages: allMessages,
  };
  for (const [operation, channel] of [
    ['sendWebhooks', 'webhooks'],
    ['streamEvents', 'eventStream'],
  ] as const) {
    operations[operation] = {
      action: 'send',
      channel: ref(`#/channels/${channel}`),
      messages: Object.keys(messages).map((name) => ref(`#/channels/${channel}/messages/${name}`)),
    };
  }
  return {
    asyncapi: '3.0.0',
    id: 'urn:tillstream:events',
    info: {
      title: 'Tillstream events',
      version: '1.0.0',
      description:
        'Events published by the Tillstream contexts as CloudEvents 1.0 (structured JSON). One channel per ' +
        'event type; each version is its own message, told apart by `dataschema`, with a JSON Schema of its ' +
        'data in docs/schemas/. See docs/events.md for the rules (per-subject order, idempotent consumers, ' +
        'versioning) and docs/webhooks.md for webhooks.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
      tags: [...new Set(EVENT_CATALOG.map(producerOf))].map((context) => ({
        name: context,
        description: `Events produced by the ${context} context (source /tillstream/${context})`,
      })),
    },
    defaultContentType: 'application/cloudevents+json',
    servers: {
      nats: {
        host: '127.0.0.1:4222',
        protocol: 'nats',
        description:
          'NATS JetStream of the scale-out engine (TILLSTREAM_NATS_URL): one stream per producing context; ' +
          'the message id (Nats-Msg-Id) is the event id.',
      },
      hub: {
        host: '127.0.0.1:8080',
        protocol: 'http',
        description: 'The hub API (embedded engine: the one Tillstream port; scale-out: the hub service).',
      },
      webhooks: {
        host: '{endpoint}',
        protocol: 'https',
        description: 'The endpoint of a webhook subscription (POST /hub/v1/webhooks); http is allowed too.',
        variables: {
          endpoint: { description: 'Host of the subscribed URL', default: 'receiver.example.com' },
        },
      },
    },
    channels,
    operations,
    components: { schemas, messages },
  };
}
