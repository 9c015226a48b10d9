import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import {
  CloudEventSchema,
  dataSchemaUrn,
  EVENT_CATALOG,
  type CloudEvent,
  type EventContract,
} from '@tillstream/contracts';
import { key, producerOf } from './naming.js';

// ajv-formats ships CommonJS; its default export is the function itself under NodeNext interop.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** What the schemas cannot say about an event: its aggregate, ordering and a realistic example. */
export interface EventNotes {
  /** `{field}` placeholders are filled from the example's data. */
  subject: string;
  partitionKey: string;
  /** A number, or `{field}` of data that carries the per-subject version. */
  sequence: string;
  sequenceMeaning: string;
  partitionMeaning: string;
  /** `causationid`: the event whose handling wrote it, for a type written by a consumer. */
  example: { id: string; time: string; causationid?: string; data: Record<string, unknown> };
}

/** The hand-written part of the docs: notes per event type and version, and per envelope attribute. */
export interface DocsNotes {
  events: Record<string, EventNotes>;
  envelope: Record<string, string>;
}

export function notesFor(notes: DocsNotes, contract: EventContract): EventNotes {
  const found = notes.events[key(contract)];
  if (!found)
    throw new Error(
      `scripts/gen-docs.ts: add NOTES['${key(contract)}'] (subject, sequence, example), there or in the ` +
        `scripts/docs/notes.<context>.ts it spreads in`,
    );
  return found;
}

function fill(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_match, field: string) => {
    if (!(field in data)) throw new Error(`example data has no ${field} for template ${template}`);
    return String(data[field]);
  });
}

/** The trace every example belongs to: a request that came in with this W3C traceparent's trace id. */
const EXAMPLE_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const EXAMPLE_SPAN_ID = 'b7ad6b7169203331';

/** The example envelope exactly as the outbox writes it (same attribute order), validated below. */
export function exampleEnvelope(notes: DocsNotes, contract: EventContract): CloudEvent {
  const found = notesFor(notes, contract);
  const { data } = found.example;
  return {
    specversion: '1.0',
    id: found.example.id,
    source: `/tillstream/${producerOf(contract)}`,
    type: contract.type,
    time: found.example.time,
    subject: fill(found.subject, data),
    datacontenttype: 'application/json',
    dataschema: dataSchemaUrn(contract),
    sequence: Number(fill(found.sequence, data)),
    partitionkey: fill(found.partitionKey, data),
    traceparent: `00-${EXAMPLE_TRACE_ID}-${EXAMPLE_SPAN_ID}-01`,
    correlationid: EXAMPLE_TRACE_ID,
    ...(found.example.causationid ? { causationid: found.example.causationid } : {}),
    data,
  };
}

/** Fails the generation when an example does not match its own schemas, so the docs never show one. */
export function assertExamplesValid(notes: DocsNotes): void {
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  const envelope = ajv.compile(CloudEventSchema);
  for (const contract of EVENT_CATALOG) {
    const example = exampleEnvelope(notes, contract);
    const data = ajv.compile(contract.dataSchema);
    if (!envelope(example) || !data(example.data)) {
      const errors = ajv.errorsText(envelope.errors ?? data.errors);
      throw new Error(`example of ${key(contract)} is invalid: ${errors}`);
    }
  }
}
