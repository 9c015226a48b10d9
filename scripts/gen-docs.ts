/**
 * Generates the published-language docs from the code that defines them, so they cannot drift:
 * docs/events.md (EVENT_CATALOG), docs/errors.md (ERROR_CATALOG and KIND_STATUS) and docs/asyncapi.json.
 *
 *   node apps/server/bin/run-ts.mjs scripts/gen-docs.ts           writes the files
 *   node apps/server/bin/run-ts.mjs scripts/gen-docs.ts --check   exits 1 if any file on disk is stale
 *
 * test/docs.test.ts imports these functions and runs the check, so `npm test` fails on stale docs.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { format as prettierFormat, resolveConfig as prettierConfig } from 'prettier';
import {
  CloudEventSchema,
  dataSchemaUrn,
  ERROR_CATALOG,
  EVENT_CATALOG,
  type CloudEvent,
  type ErrorEntry,
  type EventContract,
} from '@tillstream/contracts';
import { KIND_STATUS, type ConsumerSpec } from '@tillstream/kernel';
import { createCommerce } from '@tillstream/commerce';
import { createErp } from '@tillstream/erp';
import { createHub } from '@tillstream/hub';
import { createPos } from '@tillstream/pos';
// Not exported by the kernel's index; imported by path so the documented subjects are the relay's own.
import { natsNames } from '../packages/kernel/src/events/nats-names.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const GENERATE_COMMAND = 'node apps/server/bin/run-ts.mjs scripts/gen-docs.ts';

// ajv-formats ships CommonJS; its default export is the function itself under NodeNext interop.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** What the schemas cannot say about an event: its aggregate, ordering and a realistic example. */
interface EventNotes {
  /** `{field}` placeholders are filled from the example's data. */
  subject: string;
  partitionKey: string;
  /** A number, or `{field}` of data that carries the per-subject version. */
  sequence: string;
  sequenceMeaning: string;
  partitionMeaning: string;
  example: { id: string; time: string; correlationid?: string; data: Record<string, unknown> };
}

const SALE_ID = '0195f3a2-7c1e-7b3a-9d2e-4f6a8b0c1d2e';
const SALE_EVENT_ID = '0195f3a2-7d40-7c11-8a5e-2b9f0c4d6e71';

const NOTES: Record<string, EventNotes> = {
  'pos.sale.completed@1': {
    subject: 'sale/{saleId}',
    partitionKey: '{storeId}',
    sequence: '1',
    sequenceMeaning: 'Always 1: a sale is recorded once under its client-made id and never changes.',
    partitionMeaning: 'The store: all sales of one store share a key.',
    example: {
      id: SALE_EVENT_ID,
      time: '2026-03-02T10:15:02.114Z',
      data: {
        saleId: SALE_ID,
        storeId: 'store-amsterdam',
        terminalId: 'till-1',
        occurredAt: '2026-03-02T10:15:00.000Z',
        currency: 'EUR',
        lines: [
          { lineNo: 1, sku: 'TEE-001', quantity: 2, unitPrice: 1999, lineTotal: 3998 },
          { lineNo: 2, sku: 'SOCK-003', quantity: 1, unitPrice: 1299, lineTotal: 1299 },
        ],
        payments: [{ method: 'card', amount: 5297 }],
        total: 5297,
      },
    },
  },
  'erp.stock.changed@1': {
    subject: 'stock/{sku}@{locationId}',
    partitionKey: '{sku}',
    sequence: '{version}',
    sequenceMeaning:
      'The balance version of this (SKU, location), equal to `data.version`: one more per movement. ' +
      'Apply an event only if its sequence is above the one you hold.',
    partitionMeaning: 'The SKU: movements of one SKU at every location share a key.',
    example: {
      id: '0195f3a2-7e02-7a94-b1c3-5d7e9f1a2b3c',
      time: '2026-03-02T10:15:02.409Z',
      correlationid: SALE_EVENT_ID,
      data: {
        sku: 'TEE-001',
        locationId: 'store-amsterdam',
        version: 7,
        onHand: 10,
        reserved: 0,
        available: 10,
        movement: {
          id: `sale/${SALE_ID}/TEE-001`,
          kind: 'sold',
          quantity: -2,
          occurredAt: '2026-03-02T10:15:00.000Z',
        },
      },
    },
  },
  'erp.product.upserted@1': {
    subject: 'product/{sku}',
    partitionKey: 'product/{sku}',
    sequence: '{version}',
    sequenceMeaning:
      'The product version, equal to `data.version`: one more per change. A PUT that changes nothing ' +
      'publishes nothing.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3a1-0b12-7d55-9e60-7a8b9c0d1e2f',
      time: '2026-03-02T09:00:00.021Z',
      data: {
        sku: 'TEE-001',
        version: 2,
        name: 'T-shirt, White',
        price: { amount: 1999, currency: 'EUR' },
        kind: 'standard',
        backorderable: false,
      },
    },
  },
  'erp.location.upserted@1': {
    subject: 'location/{locationId}',
    partitionKey: 'location/{locationId}',
    sequence: '{version}',
    sequenceMeaning:
      'The location version, equal to `data.version`: one more per change (a location never changes kind).',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3a0-f001-7c2d-8e3f-4a5b6c7d8e9f',
      time: '2026-03-02T08:59:58.730Z',
      data: { locationId: 'store-amsterdam', version: 1, name: 'Amsterdam Kalverstraat', kind: 'store' },
    },
  },
  'erp.stock.exception_raised@1': {
    subject: 'stock-exception/{exceptionId}',
    partitionKey: '{sku}',
    sequence: '1',
    sequenceMeaning: 'Always 1: each exception is its own subject.',
    partitionMeaning: 'The SKU, like the `erp.stock.changed` event it accompanies.',
    example: {
      id: '0195f3a2-7e02-7a94-b1c3-6e8fa0b1c2d4',
      time: '2026-03-02T10:15:02.409Z',
      correlationid: SALE_EVENT_ID,
      data: {
        exceptionId: '0195f3a2-7e02-7a94-b1c3-6e8fa0b1c2d3',
        sku: 'SOCK-003',
        locationId: 'store-amsterdam',
        onHand: -1,
        cause: { kind: 'sold', reference: `sale/${SALE_ID}` },
      },
    },
  },
};

/** Meaning of each envelope attribute; the schema alone says only its type. */
const ENVELOPE_NOTES: Record<string, string> = {
  specversion: 'Always `1.0`.',
  id: 'UUIDv7 made by the producing outbox; unique per event. Consumers deduplicate on it (their inbox), and on NATS it is the `Nats-Msg-Id`.',
  source: '`/tillstream/<context>`: the producing context.',
  type: '`<context>.<aggregate>.<happening>`, e.g. `pos.sale.completed`. The major version is in `dataschema`, not in the type.',
  time: 'When the producer recorded the change (UTC, RFC 3339). When something happened in the business is in `data` (e.g. `occurredAt`).',
  subject: 'The aggregate the event is about; see each type below.',
  datacontenttype: 'Always `application/json`.',
  dataschema: '`urn:tillstream:event:<type>:v<major>`: which version of the data schema `data` follows.',
  sequence:
    'Extension, an integer (not the string of the CloudEvents sequence extension): the per-subject version, starting at 1 and growing by one per change of that subject.',
  partitionkey: 'Partitioning extension: the ordering key; the subject unless a type says otherwise.',
  traceparent:
    'Distributed-tracing extension: the W3C Trace Context of the work that caused the event, when the producer passes one.',
  correlationid:
    'Extension: ties a chain of events together. ERP events caused by a consumed event carry that event’s `id`.',
  causationid:
    'Extension: the `id` of the event that directly caused this one, when the producer passes one.',
  data: 'The payload, valid against the JSON Schema of its type and version.',
};

const key = (contract: Pick<EventContract, 'type' | 'version'>) => `${contract.type}@${contract.version}`;
const producerOf = (contract: Pick<EventContract, 'type'>) => contract.type.split('.')[0]!;
const messageName = (contract: Pick<EventContract, 'type' | 'version'>) =>
  contract.type
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('') + `V${contract.version}`;
const anchor = (contract: Pick<EventContract, 'type' | 'version'>) =>
  `${contract.type}-v${contract.version}`.replace(/[^a-z0-9_-]/g, '');

function notesFor(contract: EventContract): EventNotes {
  const notes = NOTES[key(contract)];
  if (!notes)
    throw new Error(`scripts/gen-docs.ts: add NOTES['${key(contract)}'] (subject, sequence, example)`);
  return notes;
}

function fill(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_match, field: string) => {
    if (!(field in data)) throw new Error(`example data has no ${field} for template ${template}`);
    return String(data[field]);
  });
}

/** The example envelope exactly as the outbox writes it (same attribute order), validated below. */
export function exampleEnvelope(contract: EventContract): CloudEvent {
  const notes = notesFor(contract);
  const { data } = notes.example;
  return {
    specversion: '1.0',
    id: notes.example.id,
    source: `/tillstream/${producerOf(contract)}`,
    type: contract.type,
    time: notes.example.time,
    subject: fill(notes.subject, data),
    datacontenttype: 'application/json',
    dataschema: dataSchemaUrn(contract),
    sequence: Number(fill(notes.sequence, data)),
    partitionkey: fill(notes.partitionKey, data),
    ...(notes.example.correlationid ? { correlationid: notes.example.correlationid } : {}),
    data,
  };
}

/** Fails the generation when an example does not match its own schemas, so the docs never show one. */
function assertExamplesValid(): void {
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  const envelope = ajv.compile(CloudEventSchema);
  for (const contract of EVENT_CATALOG) {
    const example = exampleEnvelope(contract);
    const data = ajv.compile(contract.dataSchema);
    if (!envelope(example) || !data(example.data)) {
      const errors = ajv.errorsText(envelope.errors ?? data.errors);
      throw new Error(`example of ${key(contract)} is invalid: ${errors}`);
    }
  }
}

/** Context factories only capture their deps; these throw if one ever does I/O while being built. */
function inert(name: string): never {
  return new Proxy(
    {},
    {
      get: (_target, property) =>
        property === 'then'
          ? undefined
          : () => {
              throw new Error(`gen-docs builds contexts only to read their consumers; ${name} was used`);
            },
    },
  ) as never;
}

/** The consumers wired in the code, read from the contexts themselves. */
export function declaredConsumers(): ConsumerSpec[] {
  const deps = {
    db: inert('db'),
    outbox: inert('outbox'),
    clock: inert('clock'),
    ids: inert('ids'),
    logger: inert('logger'),
  };
  const producers = [...new Set(EVENT_CATALOG.map(producerOf))];
  return [
    createErp(deps),
    createPos({ ...deps, erp: inert('erp') }),
    createCommerce({ ...deps, cacheMaxAgeSeconds: 0 }),
    createHub({ ...deps, sources: producers }),
  ].flatMap((module) => module.consumers);
}

function consumersOf(contract: EventContract, consumers: readonly ConsumerSpec[]): string[] {
  return consumers
    .filter((spec) => spec.sources.includes(producerOf(contract)))
    .filter((spec) => spec.types === '*' || spec.types.includes(contract.type))
    .map((spec) => (spec.types === '*' ? `\`${spec.name}\` (every event)` : `\`${spec.name}\``));
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const json = (value: unknown) => JSON.stringify(value, null, 2);
const GENERATED = (source: string) =>
  `<!-- Generated by scripts/gen-docs.ts from ${source}. Do not edit: run \`${GENERATE_COMMAND}\`. ` +
  '`npm test` fails when this file is stale. -->';

export function renderEventsMd(): string {
  assertExamplesValid();
  const consumers = declaredConsumers();
  const names = natsNames();
  const required = new Set<string>(CloudEventSchema.required ?? []);
  const attributes = Object.entries(CloudEventSchema.properties).map(([name, schema]) => {
    const note = ENVELOPE_NOTES[name];
    if (!note) throw new Error(`scripts/gen-docs.ts: add ENVELOPE_NOTES['${name}']`);
    const type = (schema as { type?: string; const?: unknown }).const ?? (schema as { type?: string }).type;
    return `| \`${name}\` | ${required.has(name) ? 'yes' : 'no'} | ${type === undefined ? 'any' : `\`${String(type)}\``} | ${cell(note)} |`;
  });
  const summary = EVENT_CATALOG.map((contract) => {
    const notes = notesFor(contract);
    const by = consumersOf(contract, consumers).join(', ') || '—';
    return `| [\`${contract.type}\`](#${anchor(contract)}) | ${contract.version} | ${producerOf(contract)} | \`${notes.subject}\` | ${by} |`;
  });
  const sections = EVENT_CATALOG.map((contract) => {
    const notes = notesFor(contract);
    const by = consumersOf(contract, consumers).join(', ') || 'none inside Tillstream';
    return [
      `### ${contract.type} v${contract.version}`,
      '',
      contract.description,
      '',
      `- **Producer:** ${producerOf(contract)} (source \`/tillstream/${producerOf(contract)}\`), through its outbox.`,
      `- **dataschema:** \`${dataSchemaUrn(contract)}\``,
      `- **subject:** \`${notes.subject}\``,
      `- **sequence:** ${notes.sequenceMeaning}`,
      `- **partitionkey:** \`${notes.partitionKey}\`. ${notes.partitionMeaning}`,
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
      json(exampleEnvelope(contract)),
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
    'from the hub (`GET /hub/v1/events?after={cursor}&limit={n}&type={type}`) or, on the scale-out engine, from',
    'NATS JetStream. The machine-readable form is [asyncapi.json](asyncapi.json).',
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
    '## Rules',
    '',
    '- **Versioning.** A type has a major version, named in `dataschema`. Within a version a change is',
    '  additive only (a new optional member); consumers ignore members they do not know. A breaking change is',
    '  a new version, published beside the old one for a while, listed here with its own schema.',
    '- **Order is per subject only.** `sequence` grows with every change of one subject. Nothing is promised',
    '  across subjects, and a consumer running several instances may see even one subject out of order, so',
    '  projections apply an event only if its `sequence` is newer than what they hold (the commerce catalog',
    '  and the POS directory do exactly that). Redelivered and reordered events are then harmless.',
    '- **Consumers are idempotent.** Delivery is at least once. A Tillstream consumer writes an inbox row',
    '  (consumer, event `id`) and its checkpoint in the same transaction as its effects and acknowledges only',
    '  after the commit, so each event takes effect exactly once. Outside consumers should deduplicate on `id`',
    '  the same way.',
    '- **Outbox, always.** A change and its events commit together or not at all; nothing is published',
    '  inline after a commit. On PostgreSQL the relay reads the outbox gap-safely (by transaction id below',
    '  the snapshot xmin), so an event that commits late is never skipped.',
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

/** The documented HTTP status of a code: an explicit `status` on the entry wins, else its kind's. */
export function statusOf(entry: ErrorEntry): number {
  const explicit = (entry as { status?: unknown }).status;
  if (typeof explicit === 'number') return explicit;
  return entry.kind === 'internal' ? 500 : KIND_STATUS[entry.kind];
}

const PROBLEM_EXAMPLE = {
  errors: [
    { in: 'body', path: '/', message: 'must NOT have additional properties', property: 'colour' },
    { in: 'body', path: '/price/amount', message: 'must be integer' },
  ],
  type: 'urn:tillstream:problem:validation_failed',
  title: ERROR_CATALOG.validation_failed.title,
  status: statusOf(ERROR_CATALOG.validation_failed),
  detail: '2 problem(s) in the request',
  code: 'validation_failed',
  traceId: 'f44b6edade27694b22905c3d6872c503',
  instance: '/erp/v1/products/UMB-002',
};

export function renderErrorsMd(): string {
  const entries = Object.entries(ERROR_CATALOG) as Array<[string, ErrorEntry]>;
  const kinds = [...Object.entries(KIND_STATUS), ['internal', 500] as const]
    .map(([kind, status]) => `| \`${kind}\` | ${status} |`)
    .join('\n');
  const rows = entries.map(
    ([code, entry]) =>
      `| \`${code}\` | ${statusOf(entry)} | \`${entry.kind}\` | ${cell(entry.title)} | ${cell(entry.description)} |`,
  );
  return [
    GENERATED(
      'ERROR_CATALOG in packages/contracts/src/errors.ts and KIND_STATUS in packages/kernel/src/errors.ts',
    ),
    '',
    '# Error catalogue',
    '',
    'Every error an API answers is an RFC 9457 problem document (`Content-Type: application/problem+json`)',
    'with a stable, snake_case `code`. Branch on `code`, never on `title` or `detail`: titles are for people',
    'and may be reworded; codes are never renamed or reused. A test fails when the source throws a code',
    'that is not listed here.',
    '',
    '## The problem document',
    '',
    '| member | meaning |',
    '| --- | --- |',
    '| `type` | `urn:tillstream:problem:<code>` |',
    '| `title` | Short, human summary of the code (the title below). |',
    '| `status` | The HTTP status, repeated. |',
    '| `detail` | What went wrong in this request, for people. |',
    '| `code` | The stable code: one of the table below. |',
    '| `traceId` | The request’s trace id, also sent as the `x-trace-id` header; from an incoming W3C `traceparent` when there is one. Quote it when reporting a problem. |',
    '| `instance` | The request path. |',
    '| others | Machine-readable details of some codes: `errors` (validation_failed), `requiredScope` (insufficient_scope), `skus` (unknown_sku), `total` and `paid` (payment_mismatch). |',
    '',
    'Example (`PUT /erp/v1/products/UMB-002` with a float price and an unknown member):',
    '',
    '```json',
    json(PROBLEM_EXAMPLE),
    '```',
    '',
    'A 401 also carries `WWW-Authenticate: Bearer`. An unexpected error is a 500 `internal_error` whose',
    'cause is logged with the trace id and never sent to the client.',
    '',
    '## Kinds and HTTP statuses',
    '',
    'Domain code throws an error of a kind; one table maps kinds to statuses, so handlers never choose one.',
    '',
    '| kind | HTTP status |',
    '| --- | --- |',
    kinds,
    '',
    '## Codes',
    '',
    '| code | status | kind | title | description |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** The envelope schema without its `$id`, so it can sit under components.schemas and be referenced. */
function envelopeComponent(): Record<string, unknown> {
  const { $id: _id, ...schema } = JSON.parse(JSON.stringify(CloudEventSchema)) as Record<string, unknown>;
  return schema;
}

export function renderAsyncApi(): Record<string, unknown> {
  assertExamplesValid();
  const names = natsNames();
  const types = [...new Set(EVENT_CATALOG.map((contract) => contract.type))];
  const schemas: Record<string, unknown> = { CloudEvent: envelopeComponent() };
  const messages: Record<string, unknown> = {};
  for (const contract of EVENT_CATALOG) {
    const name = messageName(contract);
    schemas[`${name}Data`] = contract.dataSchema;
    messages[name] = {
      messageId: `${contract.type}.v${contract.version}`,
      name: `${contract.type} v${contract.version}`,
      title: `${contract.type} v${contract.version}`,
      summary: contract.description,
      contentType: 'application/cloudevents+json',
      tags: [{ name: producerOf(contract) }],
      correlationId: { location: '$message.payload#/correlationid' },
      payload: {
        allOf: [
          { $ref: '#/components/schemas/CloudEvent' },
          {
            type: 'object',
            properties: {
              source: { const: `/tillstream/${producerOf(contract)}` },
              type: { const: contract.type },
              dataschema: { const: dataSchemaUrn(contract) },
              data: { $ref: `#/components/schemas/${name}Data` },
            },
          },
        ],
      },
      examples: [{ name: 'example', payload: exampleEnvelope(contract) }],
    };
  }
  const channels: Record<string, unknown> = {};
  for (const type of types) {
    const versions = EVENT_CATALOG.filter((contract) => contract.type === type);
    const refs = versions.map((contract) => ({ $ref: `#/components/messages/${messageName(contract)}` }));
    const producer = type.split('.')[0]!;
    channels[type] = {
      description:
        `${versions[0]!.description} On NATS (default prefix): subject ${names.subject(producer, type)} ` +
        `in stream ${names.stream(producer)}. Also served by GET /hub/v1/events?type=${type}.`,
      'x-nats-subject': names.subject(producer, type),
      'x-nats-stream': names.stream(producer),
      subscribe: {
        operationId: `receive${messageName({ type, version: 1 }).replace(/V1$/, '')}`,
        summary: `Receive ${type} events`,
        message: refs.length === 1 ? refs[0] : { oneOf: refs },
      },
    };
  }
  return {
    asyncapi: '2.6.0',
    id: 'urn:tillstream:events',
    info: {
      title: 'Tillstream events',
      version: '1.0.0',
      description:
        'Events published by the Tillstream contexts as CloudEvents 1.0 (structured JSON). One channel per ' +
        'event type; each version is its own message, told apart by `dataschema`. See docs/events.md for ' +
        'the rules (per-subject order, idempotent consumers, versioning).',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/cloudevents+json',
    tags: [...new Set(EVENT_CATALOG.map(producerOf))].map((context) => ({
      name: context,
      description: `Events produced by the ${context} context (source /tillstream/${context})`,
    })),
    servers: {
      nats: {
        url: 'nats://127.0.0.1:4222',
        protocol: 'nats',
        description:
          'NATS JetStream of the scale-out engine (TILLSTREAM_NATS_URL): one stream per producing context; ' +
          'the message id (Nats-Msg-Id) is the event id.',
      },
    },
    channels,
    components: { schemas, messages },
  };
}

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

async function formatJson(path: string, value: unknown): Promise<string> {
  const options = (await prettierConfig(join(ROOT, path))) ?? {};
  return prettierFormat(JSON.stringify(value), { ...options, filepath: join(ROOT, path) });
}

export async function generateDocs(): Promise<GeneratedFile[]> {
  return [
    { path: 'docs/events.md', content: renderEventsMd() },
    { path: 'docs/errors.md', content: renderErrorsMd() },
    { path: 'docs/asyncapi.json', content: await formatJson('docs/asyncapi.json', renderAsyncApi()) },
  ];
}

/** The generated files whose copy under `root` is missing or differs. */
export async function staleDocs(root = ROOT): Promise<string[]> {
  const stale: string[] = [];
  for (const file of await generateDocs()) {
    const current = await readFile(join(root, file.path), 'utf8').catch(() => null);
    if (current !== file.content) stale.push(file.path);
  }
  return stale;
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--check')) {
    const stale = await staleDocs();
    if (stale.length > 0) {
      console.error(`stale docs: ${stale.join(', ')}\nregenerate with: ${GENERATE_COMMAND}`);
      process.exitCode = 1;
      return;
    }
    console.log('docs are current');
    return;
  }
  for (const file of await generateDocs()) {
    await mkdir(dirname(join(ROOT, file.path)), { recursive: true });
    await writeFile(join(ROOT, file.path), file.content);
    console.log(`wrote ${file.path}`);
  }
}

// run-ts.mjs removes the entry from argv, so the launcher's name says "run as a script"; under vitest the
// importer is a test worker and nothing runs.
const entry = process.argv[1] ?? '';
if (basename(entry) === 'run-ts.mjs' || resolve(entry) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
