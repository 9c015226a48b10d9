import { CloudEventSchema, dataSchemaUrn, EVENT_CATALOG } from '@tillstream/contracts';
import { key, schemaFile } from './naming.js';
import { incompatibilities } from './compat.js';

/** The snapshot of every published type and version's data schema, which later versions are checked against. */
export const PUBLISHED_PATH = 'packages/contracts/schemas-published.json';
const DRAFT = 'http://json-schema.org/draft-07/schema#';

const plain = (schema: unknown) => JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;

/**
 * One standalone JSON Schema per event type and version (of `data`), whose `$id` is the `dataschema` URN the
 * events carry, and one of the CloudEvents envelope.
 */
export function schemaFiles(): Array<{ path: string; value: unknown }> {
  const { $id: _id, ...envelope } = plain(CloudEventSchema);
  return [
    {
      path: 'docs/schemas/cloudevent.json',
      value: {
        $schema: DRAFT,
        $id: 'urn:tillstream:envelope:cloudevents:1.0',
        title: 'Tillstream CloudEvents 1.0 envelope',
        ...envelope,
      },
    },
    ...EVENT_CATALOG.map((contract) => ({
      path: schemaFile(contract),
      value: {
        $schema: DRAFT,
        $id: dataSchemaUrn(contract),
        title: `${contract.type} v${contract.version} data`,
        description: contract.description,
        ...plain(contract.dataSchema),
      },
    })),
  ];
}

/**
 * The published snapshot as it should now read. A version already published takes its current schema when
 * that is backward compatible, and otherwise keeps the published one (the compatibility test then fails
 * and names the problems); a new version is added; a published version is never dropped.
 */
export function publishedSnapshot(existing: Record<string, unknown>): Record<string, unknown> {
  const next: Record<string, unknown> = { ...existing };
  for (const contract of EVENT_CATALOG) {
    const current = plain(contract.dataSchema);
    const before = existing[key(contract)] as Record<string, unknown> | undefined;
    next[key(contract)] = before && incompatibilities(before, current).length > 0 ? before : current;
  }
  return Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
}

export function currentSchemas(): Record<string, unknown> {
  return Object.fromEntries(EVENT_CATALOG.map((contract) => [key(contract), plain(contract.dataSchema)]));
}
