import { CloudEventSchema, dataSchemaUrn, EVENT_CATALOG, type EventContract } from '@tillstream/contracts';
// Not exported by the kernel's index; imported by path so the documented subjects are the relay's own.
import { natsNames } from '../../packages/kernel/src/events/nats-names.js';
import { cell, GENERATED, json } from './common.js';
import { consumersOf, declaredConsumers } from './consumers.js';
import { assertExamplesValid, exampleEnvelope, notesFor, type DocsNotes } from './notes.js';
import { producerOf } from './naming.js';

const anchor = (contract: Pick<EventContract, 'type' | 'version'>) =>
  `${contract.type}-v${contract.version}`.replace(/[^a-z0-9_-]/g, '');

/** docs/events.md: the event catalogue with the envelope, the rules and every type's schema and example. */
export function renderEventsMd(notes: DocsNotes): string {
  assertExamplesValid(notes);
  const consumers = declaredConsumers();
  const names = natsNames();
  const required = new Set<string>(CloudEventSchema.required ?? []);
  const attributes = Object.entries(CloudEventSchema.properties).map(([name, schema]) => {
    const note = notes.envelope[name];
    if (!note) throw new Error(`scripts/gen-docs.ts: add ENVELOPE_NOTES['${name}']`);
    const type = (schema as { type?: string; const?: unknown }).const ?? (schema as { type?: string }).type;
    return `| \`${name}\` | ${required.has(name) ? 'yes' : 'no'} | ${type === undefined ? 'any' : `\`${String(type)}\``} | ${cell(note)} |`;
  });
  const summary = EVENT_CATALOG.map((contract) => {
    const about = notesFor(notes, contract);
    const by = consumersOf(contract, consumers).join(', ') || '—';
    return `| [\`${contract.type}\`](#${anchor(contract)}) | ${contract.version} | ${producerOf(contract)} | \`${about.subject}\` | ${by} |`;
  });
  const sections = EVENT_CATALOG.map((contract) => {
    const about = notesFor(notes, contract);
    const by = consumersOf(contract, consumers).join(', ') || 'none inside Tillstream';
    return [
      `### ${contract.type} v${contract.version}`,
      '',
      contract.description,
      '',
      `- **Producer:** ${producerOf(contract)} (source \`/tillstream/${producerOf(contract)}\`), through its outbox.`,
      `- **dataschema:** \`${dataSchemaUrn(contract)}\``,
      `- **subject:** \`${about.subject}\``,
      `- **sequence:** ${about.sequenceMeaning}`,
      `- **partitionkey:** \`${about.partitionKey}\`. ${about.partitionMeaning}`,
      `- **Consumed by:** ${by}.`,
      `- **NATS subject (scale-out, default prefix):** \`${names.subject(producerOf(contract), contract.type)}\` in stream \`${names.stream(producerOf(contract))}\`.`,
      '',
      'JSON Schema of `data`:',
      '',
      '```json',
      json(contract.dataSchema),
      '```',
      '',
      'Example envelope:',
      '',
      '```json',
      json(exampleEnvelope(notes, contract)),
      '```',
      '',
    ].join('\n');
  });
  return [
    GENERATED('EVENT_CATALOG in packages/contracts/src/catalog.ts'),
    '',
    '# Event catalogue',
    '',
    'Every event Tillstream publishes, by type and major version. Events are how the contexts (ERP, POS,',
    'commerce, hub) stay in agreement: a context writes a change and its events in one transaction (its',
    'outbox), and other contexts apply them through idempotent consumers. Outside systems read the same events',
    'from the hub (`GET /hub/v1/events?after={cursor}&limit={n}&type={patterns}`, live as Server-Sent Events at',
    '`GET /hub/v1/events/stream`, or pushed as signed webhooks: see [webhooks.md](webhooks.md)) or, on the',
    'scale-out engine, from NATS JetStream. The machine-readable form is [asyncapi.json](asyncapi.json) (AsyncAPI',
    '3.0, also served at `/docs/asyncapi.json`), with a JSON Schema per type and version in [schemas/](schemas/).',
    '',
    '| type | version | producer | subject | consumed by |',
    '| --- | --- | --- | --- | --- |',
    ...summary,
    '',
    '## The envelope: CloudEvents 1.0 (JSON)',
    '',
    'Every event is a CloudEvent in structured JSON mode (`application/cloudevents+json`); no other',
    'attributes appear.',
    '',
    '| attribute | required | type | meaning |',
    '| --- | --- | --- | --- |',
    ...attributes,
    '',
    '## Tracing ids',
    '',
    'Every event says where it comes from, so that a sale can be followed from the request that recorded it to',
    'every event it caused, in the hub, in logs and in a tracing system that reads W3C Trace Context:',
    '',
    '| written while | `traceparent` | `correlationid` | `causationid` |',
    '| --- | --- | --- | --- |',
    "| handling an API request (`POST /pos/v1/sales`) | a span of the request's own in its trace: the trace of the request's `traceparent` header, or one started for the request when none (or an invalid one) came in | the request's trace id, which the API answers as the `x-trace-id` header (and a problem's `traceId`) | absent |",
    "| a consumer applying an event (ERP booking a sale's stock) | a new span in that event's trace, one per event handled | that event's `correlationid`, unchanged | that event's `id` |",
    '| background work (expiring holds and carts, webhook bookkeeping) | a trace of its own per transaction | that trace id | absent |',
    '',
    "So `pos.sale.completed` carries the trace id of the till's request as `correlationid`, and the",
    '`erp.stock.changed` it causes carries the same `correlationid`, the same trace id in `traceparent`, and',
    "the sale event's `id` as `causationid`. Consumers apply events in batches of one transaction, but every",
    "event of a batch still causes its own effects. The caller's sampled flag is passed on; a trace Tillstream",
    'starts is sampled (`01`), since its events record it. Events written before these ids were added carry',
    "none; a consumer handling one starts a trace and takes the event's own `id` as the correlation.",
    "Commerce's calls to ERP during a checkout send the checkout's `traceparent` along, so the stock ERP holds",
    "for it is in the checkout's trace and under its correlation, like `commerce.order.placed`.",
    '',
    '## Rules',
    '',
    '- **Versioning.** A type has a major version, named in `dataschema`. Within a version a change is',
    '  additive only (a new optional member); consumers ignore members they do not know. A breaking change is',
    '  a new version, published beside the old one for a while, listed here with its own schema.',
    '  `packages/contracts/schemas-published.json` keeps every published version’s schema, and `npm test` fails',
    '  when the current one is not backward compatible with it (a required member removed, made optional or',
    '  added, a type changed, an enum narrowed, a bound tightened).',
    '- **Order is per subject only.** `sequence` grows with every change of one subject. Nothing is promised',
    '  across subjects, and a consumer running several instances may see even one subject out of order, so',
    '  projections apply an event only if its `sequence` is newer than what they hold (the commerce catalog',
    '  and the POS directory do exactly that). Redelivered and reordered events are then harmless. The one',
    "  exception is the hub's event index, whose order webhooks follow: it is an exclusive consumer, applied",
    '  by one instance at a time (see [webhooks.md](webhooks.md), "Ordering").',
    '- **Consumers are idempotent.** Delivery is at least once. A Tillstream consumer writes an inbox row',
    '  (consumer, event `id`) and its checkpoint in the same transaction as its effects and acknowledges only',
    "  after the commit, so each event takes effect exactly once (the hub's event index, whose rows are",
    '  unique by event `id`, is its own inbox; the commerce catalog, whose upserts apply only a newer',
    '  `sequence`, keeps none). Outside consumers should deduplicate on `id` the same way. The inbox keeps',
    '  its rows as long as the event log keeps their events (`eventRetentionHours`, every event unless set),',
    '  since only an event the log still holds can be delivered again.',
    '- **Outbox, always.** A change and its events commit together or not at all; nothing is published',
    '  inline after a commit. On PostgreSQL the relay reads the outbox gap-safely (by transaction id below',
    '  the snapshot xmin), so an event that commits late is never skipped, and publishes each subject in',
    '  `sequence` order, though concurrent changes of one subject can take transaction ids against their',
    '  lock order (a batch never ends between two of them, and a change waits for the one before it).',
    '- **Failures are visible.** A consumer retries a failing event with exponential backoff and jitter',
    '  (`consumerMaxAttempts`, `consumerRetryBaseMs`, `consumerRetryMaxMs`), then parks it in its',
    '  dead-letter store with the reason and moves on; `tillstream dlq list` shows them and',
    '  `tillstream dlq redrive` applies them again. `/metrics` exports lag and dead letters per consumer.',
    '',
    '## Event types',
    '',
    ...sections,
  ].join('\n');
}
