import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { addFormats } from '@tillstream/kernel';
import { TRANSACTION_SCHEMAS, type TransactionType } from './sync.schemas.js';

/** Same strictness as the HTTP kit's body validation: no coercion, unknown properties refused. */
const ajv = addFormats(
  new Ajv({ allErrors: true, strict: false, coerceTypes: false, removeAdditional: false }),
);
/** Compiled on first use, as the HTTP routes' schemas are: compiling all four took 75 ms of every start-up. */
const validators = new Map<string, ValidateFunction>();
const schemas: Readonly<Record<string, object>> = TRANSACTION_SCHEMAS;

function validatorFor(type: string): ValidateFunction | undefined {
  let validate = validators.get(type);
  if (!validate && Object.hasOwn(schemas, type)) {
    validate = ajv.compile(schemas[type]!);
    validators.set(type, validate);
  }
  return validate;
}

export type TransactionCheck =
  { ok: true; type: TransactionType } | { ok: false; code: 'validation_failed'; detail: string };

const describe = (errors: ErrorObject[]) =>
  errors
    .slice(0, 5)
    .map((error) => {
      const extra =
        'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : '';
      return `${error.instancePath || '/'} ${error.message ?? 'invalid'}${extra}`;
    })
    .join('; ');

/** Checks one synced transaction against its type's schema. */
export function checkTransaction(transaction: { type: string }): TransactionCheck {
  const validate = validatorFor(transaction.type);
  if (!validate)
    return {
      ok: false,
      code: 'validation_failed',
      detail: `Unknown transaction type ${transaction.type}: ${Object.keys(schemas).join(', ')}`,
    };
  if (validate(transaction)) return { ok: true, type: transaction.type as TransactionType };
  return { ok: false, code: 'validation_failed', detail: describe(validate.errors ?? []) };
}
