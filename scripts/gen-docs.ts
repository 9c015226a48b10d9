/**
 * Generates the published-language docs from the code that defines them, so they cannot drift:
 * docs/events.md (EVENT_CATALOG), docs/errors.md (ERROR_CATALOG and KIND_STATUS), docs/asyncapi.json
 * (AsyncAPI 3.0), docs/schemas/<type>.v<N>.json (a JSON Schema per event type and version) and
 * packages/contracts/schemas-published.json (the published schemas later versions must stay compatible with).
 * The renderers live in scripts/docs/; this file holds what only people can write: the notes per event.
 *
 *   node apps/server/bin/run-ts.mjs scripts/gen-docs.ts           writes the files
 *   node apps/server/bin/run-ts.mjs scripts/gen-docs.ts --check   exits 1 if any file on disk is stale
 *
 * test/docs.test.ts imports these functions and runs the check, so `npm test` fails on stale docs.
 */
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventContract } from '@tillstream/contracts';
import { GENERATE_COMMAND, ROOT } from './docs/common.js';
import { generateDocs as generate, staleDocs as stale, writeDocs } from './docs/generate.js';
import { exampleEnvelope as example, type DocsNotes, type EventNotes } from './docs/notes.js';
import { COMMERCE_NOTES } from './docs/notes.commerce.js';
import { FINANCE_NOTES } from './docs/notes.finance.js';
import { FULFILLMENT_NOTES } from './docs/notes.fulfillment.js';
import { HUB_NOTES } from './docs/notes.hub.js';
import { POS_NOTES } from './docs/notes.pos.js';
import { PRICING_NOTES } from './docs/notes.pricing.js';
import { PURCHASING_NOTES } from './docs/notes.purchasing.js';

export { GENERATE_COMMAND, ROOT } from './docs/common.js';
export { statusOf } from './docs/errors-md.js';
export { declaredConsumers } from './docs/consumers.js';

const SALE_ID = '0195f3a2-7c1e-7b3a-9d2e-4f6a8b0c1d2e';
const SALE_EVENT_ID = '0195f3a2-7d40-7c11-8a5e-2b9f0c4d6e71';

/** The four `erp.reservation.*` events share subject, sequence and data shape; only status and story differ. */
function reservationNotes(): Record<string, EventNotes> {
  const stories = {
    held: { version: 1, time: '2026-03-04T18:02:10.316Z' },
    committed: { version: 2, time: '2026-03-04T18:05:41.027Z' },
    released: { version: 2, time: '2026-03-04T18:04:00.881Z' },
    expired: { version: 2, time: '2026-03-04T18:17:10.502Z' },
  } as const;
  return Object.fromEntries(
    Object.entries(stories).map(([status, story], index) => [
      `erp.reservation.${status}@1`,
      {
        subject: 'reservation/{reservationId}',
        partitionKey: 'reservation/{reservationId}',
        sequence: '{version}',
        sequenceMeaning:
          'The reservation version, equal to `data.version`: 1 when held, one more for each backorder ' +
          'allocation and for the commit, release or expiry.',
        partitionMeaning: 'The subject (the default).',
        example: {
          id: `0195f3b8-5c2${index}-7d55-9e60-7a8b9c0d1e3${index}`,
          time: story.time,
          data: {
            reservationId: 'checkout-7f3a9c',
            channel: 'web',
            version: story.version,
            status,
            expiresAt: '2026-03-04T18:17:10.316Z',
            lines: [
              {
                sku: 'TEE-001',
                quantity: 3,
                allocations: [
                  { sku: 'TEE-001', locationId: 'wh-tilburg', quantity: 2 },
                  { sku: 'TEE-001', locationId: 'store-utrecht', quantity: 1 },
                ],
                backordered: [],
              },
            ],
          },
        },
      },
    ]),
  );
}

const NOTES: Record<string, EventNotes> = {
  ...COMMERCE_NOTES,
  ...FINANCE_NOTES,
  ...FULFILLMENT_NOTES,
  ...HUB_NOTES,
  ...POS_NOTES,
  ...PRICING_NOTES,
  ...PURCHASING_NOTES,
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
      causationid: SALE_EVENT_ID,
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
        status: 'active',
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
  'erp.channel.updated@1': {
    subject: 'channel/{channel}',
    partitionKey: 'channel/{channel}',
    sequence: '{version}',
    sequenceMeaning:
      'The channel version, equal to `data.version`: one more per change. A PUT that changes nothing ' +
      'publishes nothing.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3a1-0c40-7b11-8d2e-3f4a5b6c7d8e',
      time: '2026-03-02T09:00:01.118Z',
      data: { channel: 'web', version: 2, locations: ['wh-utrecht', 'store-amsterdam'], safetyStock: 2 },
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
      causationid: SALE_EVENT_ID,
      data: {
        exceptionId: '0195f3a2-7e02-7a94-b1c3-6e8fa0b1c2d3',
        sku: 'SOCK-003',
        locationId: 'store-amsterdam',
        onHand: -1,
        cause: { kind: 'sold', reference: `sale/${SALE_ID}` },
      },
    },
  },
  ...reservationNotes(),
  'erp.backorder.allocated@1': {
    subject: 'reservation/{reservationId}',
    partitionKey: 'reservation/{reservationId}',
    sequence: '{version}',
    sequenceMeaning:
      'The reservation version after this allocation, equal to `data.version`: it shares the subject and the ' +
      'version sequence of the `erp.reservation.*` events.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3c4-2a10-7d55-9e60-7a8b9c0d1e31',
      time: '2026-03-05T07:30:00.412Z',
      data: {
        backorderId: 42,
        reservationId: 'checkout-7f3a9c',
        version: 3,
        sku: 'TEE-001',
        locationId: 'wh-tilburg',
        quantity: 2,
        filled: 2,
        remaining: 0,
      },
    },
  },
  'erp.transfer.shipped@1': {
    subject: 'transfer/{transferId}',
    partitionKey: 'transfer/{transferId}',
    sequence: '{version}',
    sequenceMeaning:
      'The transfer version, equal to `data.version`: 1 when shipped, one more per change of the expected ' +
      'arrival and per receipt.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3c0-0b12-7d55-9e60-7a8b9c0d1e32',
      time: '2026-03-04T15:00:00.120Z',
      data: {
        transferId: 'tr-2026-0311',
        version: 1,
        sourceId: 'wh-tilburg',
        destinationId: 'store-amsterdam',
        lines: [
          { sku: 'TEE-001', quantity: 10 },
          { sku: 'SOCK-003', quantity: 4 },
        ],
        expectedAt: '2026-03-05T09:00:00.000Z',
        occurredAt: '2026-03-04T15:00:00.118Z',
      },
    },
  },
  'erp.transfer.rescheduled@1': {
    subject: 'transfer/{transferId}',
    partitionKey: 'transfer/{transferId}',
    sequence: '{version}',
    sequenceMeaning:
      'The transfer version, equal to `data.version`: it shares the subject and the version sequence of ' +
      '`erp.transfer.shipped` and `erp.transfer.received`.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3c1-7a20-7d55-9e60-7a8b9c0d1e34',
      time: '2026-03-05T08:05:00.210Z',
      data: {
        transferId: 'tr-2026-0311',
        version: 2,
        sourceId: 'wh-tilburg',
        destinationId: 'store-amsterdam',
        expectedAt: '2026-03-05T14:00:00.000Z',
        previousExpectedAt: '2026-03-05T09:00:00.000Z',
        occurredAt: '2026-03-05T08:05:00.208Z',
      },
    },
  },
  'erp.transfer.received@1': {
    subject: 'transfer/{transferId}',
    partitionKey: 'transfer/{transferId}',
    sequence: '{version}',
    sequenceMeaning:
      'The transfer version, equal to `data.version`: one more per receipt and per change of the expected arrival.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3c2-4d00-7d55-9e60-7a8b9c0d1e33',
      time: '2026-03-05T09:12:00.530Z',
      data: {
        transferId: 'tr-2026-0311',
        receiptId: 'rcpt-2026-0311-2',
        version: 3,
        destinationId: 'store-amsterdam',
        status: 'received',
        lines: [{ sku: 'SOCK-003', quantity: 3 }],
        discrepancies: [
          { sku: 'TEE-001', shipped: 10, received: 6, difference: -4 },
          { sku: 'SOCK-003', shipped: 4, received: 3, difference: -1 },
        ],
        occurredAt: '2026-03-05T09:10:00.000Z',
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
    'Distributed-tracing extension: the W3C Trace Context (`00-<trace id>-<span id>-<flags>`) of the work that wrote the event. Written on every event since tracing ids were added (events written before carry none); see [Tracing ids](#tracing-ids).',
  correlationid:
    'Extension: the API request that started the chain of work, by its trace id (the `x-trace-id` it was answered with); every event the chain causes carries it unchanged. Written on every event since tracing ids were added.',
  causationid:
    'Extension: the `id` of the event whose handling wrote this one; absent on an event written by an API request itself or by background work.',
  data: 'The payload, valid against the JSON Schema of its type and version.',
};

const DOCS_NOTES: DocsNotes = { events: NOTES, envelope: ENVELOPE_NOTES };

export const generateDocs = (root = ROOT) => generate(DOCS_NOTES, root);
export const staleDocs = (root = ROOT) => stale(DOCS_NOTES, root);
export const exampleEnvelope = (contract: EventContract) => example(DOCS_NOTES, contract);

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--check')) {
    const files = await staleDocs();
    if (files.length > 0) {
      console.error(`stale docs: ${files.join(', ')}\nregenerate with: ${GENERATE_COMMAND}`);
      process.exitCode = 1;
      return;
    }
    console.log('docs are current');
    return;
  }
  for (const path of await writeDocs(DOCS_NOTES)) console.log(`wrote ${path}`);
}

// run-ts.mjs removes the entry from argv, so the launcher's name says "run as a script"; under vitest the
// importer is a test worker and nothing runs.
const entry = process.argv[1] ?? '';
if (basename(entry) === 'run-ts.mjs' || resolve(entry) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
