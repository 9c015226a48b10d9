import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats ships CommonJS; its default export is the function itself under NodeNext interop.
const addStandardFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type FormatCheck = (value: string) => boolean;

/**
 * The standard formats, with `date-time` narrowed to instants JavaScript can hold: RFC 3339 allows a leap
 * second (`23:59:60`), which `Date` cannot represent, so every handler's `new Date(…).toISOString()` threw a
 * RangeError (a 500). Refused here, it is a 400 at the door, for every request and sync transaction alike.
 * What is written down (`storable`, the default: bodies, sync transactions, events) must also have a UTC year
 * of four digits: `0000-01-01T00:00:00+01:00` is 1 BC in UTC, and stored it would come back as
 * `-000001-12-31T23:00:00.000Z`, which no RFC 3339 reader, this API's own included, takes. A query's bound
 * is only compared with, and the lists take one past year 9999 as it means.
 */
export function addFormats(ajv: Ajv, { storable = true }: { storable?: boolean } = {}): Ajv {
  addStandardFormats(ajv);
  const standard = ajv.formats['date-time'] as FormatCheck | { validate: FormatCheck; compare?: unknown };
  const check = typeof standard === 'function' ? standard : standard.validate;
  const holds = storable ? handsBackAsRfc3339 : (value: string) => !Number.isNaN(Date.parse(value));
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (value: string) => check(value) && holds(value),
  });
  return ajv;
}

function handsBackAsRfc3339(value: string): boolean {
  const at = new Date(value);
  return !Number.isNaN(at.getTime()) && /^\d{4}-/.test(at.toISOString());
}

const common: Options = { allErrors: true, strict: false, useDefaults: true };

/**
 * Bodies are validated strictly: no type coercion, so `"5"` is not a quantity and a string is not silently
 * wrapped into an array. Path, query and headers arrive as strings, so there scalars are coerced.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strictAjv = addFormats(new Ajv({ ...common, coerceTypes: false, removeAdditional: false }));
  const coercingAjv = addFormats(new Ajv({ ...common, coerceTypes: true }), { storable: false });
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strictAjv : coercingAjv;
    return refusingUnstorableText(ajv.compile(schema as object)) as ReturnType<
      FastifySchemaCompiler<unknown>
    >;
  };
}

/**
 * Two kinds of text are refused in every string of a request (and in every property name), before the schema
 * is asked. U+0000: no retail field needs it, PostgreSQL's text cannot hold it (the scale-out engine failed the
 * statement, a 500), and SQLite would store it where C-string readers cut the value short. A lone surrogate
 * (`"\ud800"` is valid JSON but no Unicode text): it has no UTF-8 form, so both databases would store U+FFFD
 * in its place, an id no longer the one sent, and `encodeURIComponent` throws on it (a 500 where a context
 * named it in a call to ERP). Both engines refuse both alike.
 */
function refusingUnstorableText(validate: ValidateFunction): ValidateFunction {
  const checked = ((data: unknown, context) => {
    if (holdsUnstorableText(data)) {
      checked.errors = [unstorableTextError(data)];
      return false;
    }
    const valid = validate(data, context);
    checked.errors = validate.errors;
    return valid;
  }) as ValidateFunction;
  checked.errors = null;
  return checked;
}

const NUL = '\u0000';

/** Text neither database can keep as sent: it holds U+0000 or a lone surrogate. */
export const isUnstorableText = (text: string) => text.includes(NUL) || !text.isWellFormed();

/**
 * Every request pays this walk, so it makes no strings or arrays; `unstorableTextAt` names the place only on a
 * hit. Both recurse: the body parser refuses a body nested deeper than MAX_BODY_DEPTH before either runs
 * (json-body.ts).
 */
function holdsUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return isUnstorableText(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) if (holdsUnstorableText(value[index])) return true;
    return false;
  }
  for (const key in value) {
    if (isUnstorableText(key) || holdsUnstorableText((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** The JSON Pointer of the first string or property name that cannot be stored, and that text, or null. */
function unstorableTextAt(value: unknown, pointer: string): { at: string; text: string } | null {
  if (typeof value === 'string') return isUnstorableText(value) ? { at: pointer || '/', text: value } : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const at = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (isUnstorableText(key)) return { at, text: key };
    const inside = unstorableTextAt(item, at);
    if (inside !== null) return inside;
  }
  return null;
}

function unstorableTextError(data: unknown): ErrorObject {
  const found = unstorableTextAt(data, '') ?? { at: '/', text: NUL };
  return {
    instancePath: found.at,
    schemaPath: '#',
    keyword: found.text.includes(NUL) ? 'nul' : 'wellFormed',
    params: {},
    message: found.text.includes(NUL)
      ? 'must not contain the NUL character (U+0000)'
      : 'must be Unicode text: a lone surrogate (U+D800 to U+DFFF without its pair) has no UTF-8 form',
  };
}
