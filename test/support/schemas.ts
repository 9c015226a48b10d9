import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Checks events, envelopes and snapshots against the JSON Schemas the contracts publish. */
export const schemaAjv = addFormats(new Ajv({ strict: false }));
