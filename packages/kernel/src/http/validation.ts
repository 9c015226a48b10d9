import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats ships CommonJS; its default export is the function itself under NodeNext interop.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const common: Options = { allErrors: true, strict: false, useDefaults: true };

/**
 * Bodies are validated strictly: no type coercion, so `"5"` is not a quantity and a string is not silently
 * wrapped into an array. Path, query and headers arrive as strings, so there scalars are coerced.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strictAjv = addFormats(new Ajv({ ...common, coerceTypes: false, removeAdditional: false }));
  const coercingAjv = addFormats(new Ajv({ ...common, coerceTypes: true }));
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strictAjv : coercingAjv;
    return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}
