import { Type, type Static, type TSchema } from 'typebox';

/**
 * The CloudEvents 1.0 envelope (JSON format) every Tillstream event travels in, with the extension attributes
 * DESIGN §3 requires. `sequence` is an Integer extension: the per-aggregate version, monotonic per `subject`,
 * so a projection can drop anything not newer than what it holds.
 */
export const CloudEventSchema = Type.Object(
  {
    specversion: Type.Literal('1.0'),
    id: Type.String({ minLength: 1 }),
    source: Type.String({
      minLength: 1,
      description: 'URI-reference of the producing context, e.g. /tillstream/pos',
    }),
    type: Type.String({ pattern: '^[a-z]+(\\.[a-z_]+)+$', description: 'e.g. pos.sale.completed' }),
    time: Type.String({ format: 'date-time' }),
    subject: Type.String({ minLength: 1, description: 'The aggregate the event is about, e.g. sale/0190…' }),
    datacontenttype: Type.Literal('application/json'),
    dataschema: Type.String({
      description: 'urn:tillstream:event:<type>:v<major> — the schema version of data',
    }),
    sequence: Type.Integer({ minimum: 1 }),
    partitionkey: Type.String({ minLength: 1 }),
    traceparent: Type.Optional(Type.String()),
    correlationid: Type.Optional(Type.String()),
    causationid: Type.Optional(Type.String()),
    data: Type.Unknown(),
  },
  { $id: 'CloudEvent', additionalProperties: false },
);

export interface CloudEvent<Data = unknown> extends Omit<Static<typeof CloudEventSchema>, 'data'> {
  data: Data;
}

/** A versioned event type: its name, major version and the JSON Schema of its data. */
export interface EventContract<S extends TSchema = TSchema> {
  type: string;
  version: number;
  dataSchema: S;
  description: string;
}

export function defineEvent<S extends TSchema>(
  type: string,
  version: number,
  description: string,
  dataSchema: S,
) {
  return { type, version, description, dataSchema } satisfies EventContract<S>;
}

export function dataSchemaUrn(contract: Pick<EventContract, 'type' | 'version'>): string {
  return `urn:tillstream:event:${contract.type}:v${contract.version}`;
}
