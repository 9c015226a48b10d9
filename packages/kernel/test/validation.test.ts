import { describe, expect, it } from 'vitest';
import { createValidatorCompiler } from '../src/http/validation.js';

type Validate = ((data: unknown) => boolean) & { errors: unknown };

const compile = (schema: object, httpPart = 'body') =>
  createValidatorCompiler()({ schema, method: 'POST', url: '/x', httpPart }) as unknown as Validate;

const SALE = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    lines: { type: 'array', items: { type: 'object', additionalProperties: { type: 'string' } } },
  },
};

describe('request validation', () => {
  it('takes as a date-time only an instant JavaScript can hold: no leap second', () => {
    for (const httpPart of ['body', 'querystring']) {
      const validate = compile(
        { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } },
        httpPart,
      );
      expect(validate({ at: '2026-12-31T23:59:59Z' })).toBe(true);
      expect(validate({ at: '2026-12-01T10:00:00+01:00' })).toBe(true);
      expect(validate({ at: '2026-12-31T23:59:60Z' })).toBe(false);
      expect(validate({ at: '2026-02-30T10:00:00Z' })).toBe(false);
    }
  });

  it('takes in a body only a date-time it can hand back as RFC 3339: a four-digit year in UTC', () => {
    const schema = { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } };
    const validate = compile(schema);
    expect(validate({ at: '0001-01-01T00:00:00Z' })).toBe(true);
    expect(validate({ at: '9999-12-31T23:59:59Z' })).toBe(true);
    // 1 BC and AD 10000 once in UTC: toISOString writes them as -000001-… and +010000-….
    expect(validate({ at: '0000-01-01T00:00:00+01:00' })).toBe(false);
    expect(validate({ at: '9999-12-31T23:00:00-02:00' })).toBe(false);
    // A query's bound is only compared with: the lists take one past year 9999 as it means.
    expect(compile(schema, 'querystring')({ at: '9999-12-31T23:00:00-02:00' })).toBe(true);
  });

  it('refuses U+0000 in any string, however deep, and names where it is', () => {
    const validate = compile(SALE);
    expect(validate({ name: 'Mug\u0000' })).toBe(false);
    expect(validate.errors).toEqual([
      expect.objectContaining({
        instancePath: '/name',
        keyword: 'nul',
        message: expect.stringContaining('NUL'),
      }),
    ]);
    expect(validate({ name: 'Mug', lines: [{ note: 'ok' }, { note: 'a\u0000b' }] })).toBe(false);
    expect(validate.errors).toEqual([expect.objectContaining({ instancePath: '/lines/1/note' })]);
  });

  it('refuses U+0000 in a property name, escaping the name as a JSON Pointer does', () => {
    const validate = compile(SALE);
    expect(validate({ lines: [{ 'a/b~\u0000': 'x' }] })).toBe(false);
    expect(validate.errors).toEqual([expect.objectContaining({ instancePath: '/lines/0/a~1b~0\u0000' })]);
  });

  it('refuses U+0000 in path and query values, which arrive as strings', () => {
    const validate = compile({ type: 'object', properties: { id: { type: 'string' } } }, 'params');
    expect(validate({ id: '\u0000' })).toBe(false);
    expect(validate.errors).toEqual([expect.objectContaining({ instancePath: '/id', keyword: 'nul' })]);
  });

  it('refuses a lone surrogate, which has no UTF-8 form, in a string or a property name', () => {
    const validate = compile(SALE);
    for (const lone of ['\ud800', 'Mug\udfff', '\ude00\ud83d']) {
      expect(validate({ name: lone })).toBe(false);
      expect(validate.errors).toEqual([
        expect.objectContaining({
          instancePath: '/name',
          keyword: 'wellFormed',
          message: expect.stringContaining('lone surrogate'),
        }),
      ]);
    }
    expect(validate({ lines: [{ ['note\ud800']: 'x' }] })).toBe(false);
    expect(validate.errors).toEqual([expect.objectContaining({ instancePath: '/lines/0/note\ud800' })]);
    // A pair is one character: an emoji is text like any other.
    expect(validate({ name: 'Mug \ud83d\ude00' })).toBe(true);
  });

  it('leaves everything else to the schema, with its errors when it refuses', () => {
    const validate = compile(SALE);
    expect(validate({ name: 'Mug', lines: [{ note: 'ok' }] })).toBe(true);
    expect(validate.errors).toBeNull();
    expect(validate({ name: 5 })).toBe(false);
    expect(validate.errors).toEqual([expect.objectContaining({ instancePath: '/name', keyword: 'type' })]);
  });
});
