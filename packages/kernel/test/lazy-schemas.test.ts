import { describe, expect, it } from 'vitest';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { createValidatorCompiler } from '../src/http/validation.js';
import { lazySchemaCompilers } from '../src/http/lazy-schemas.js';

const route = (schema: object, httpPart: string) => ({ schema, method: 'POST', url: '/x', httpPart });

describe('route schemas compiled on first use', () => {
  it('compiles a validator once, on its first call, and hands Fastify its errors', () => {
    const schemas = lazySchemaCompilers();
    let compiled = 0;
    const strict = createValidatorCompiler();
    const validator = schemas.validator((definition) => {
      compiled += 1;
      return strict(definition);
    });
    const validate = validator(
      route(
        { type: 'object', properties: { quantity: { type: 'integer' } }, required: ['quantity'] },
        'body',
      ),
    ) as unknown as ((data: unknown) => boolean) & { errors: unknown };
    expect(compiled).toBe(0);
    expect(validate({ quantity: '5' })).toBe(false);
    expect(validate.errors).toEqual([
      expect.objectContaining({ instancePath: '/quantity', keyword: 'type' }),
    ]);
    expect(validate({ quantity: 5 })).toBe(true);
    expect(validate.errors).toBeNull();
    expect(compiled).toBe(1);
  });

  it('coerces and defaults as the eager compiler did when Fastify passes the parent', () => {
    const schemas = lazySchemaCompilers();
    const validate = schemas.validator(createValidatorCompiler())(
      route({ type: 'object', properties: { limit: { type: 'integer', default: 50 } } }, 'querystring'),
    ) as unknown as (data: unknown, context: object) => boolean;
    const request = { query: { limit: '20' } as Record<string, unknown> };
    expect(validate(request.query, { parentData: request, parentDataProperty: 'query' })).toBe(true);
    expect(request.query.limit).toBe(20);
    const empty = { query: {} as Record<string, unknown> };
    expect(validate(empty.query, { parentData: empty, parentDataProperty: 'query' })).toBe(true);
    expect(empty.query.limit).toBe(50);
    // A root value is replaced through its parent only: Fastify passes it because the wrapper says schemaEnv.
    const root = schemas.validator(createValidatorCompiler())(
      route({ type: 'integer' }, 'params'),
    ) as unknown as ((data: unknown, context: object) => boolean) & { schemaEnv?: unknown };
    expect(root.schemaEnv).toBeTruthy();
    const holder = { params: '7' as unknown };
    expect(root(holder.params, { parentData: holder, parentDataProperty: 'params' })).toBe(true);
    expect(holder.params).toBe(7);
  });

  it('serializes with the schema, compiled on first use', () => {
    const schemas = lazySchemaCompilers();
    const serialize = schemas.serializers(SerializerSelector())()({
      schema: { type: 'object', properties: { sku: { type: 'string' } } },
      method: 'GET',
      url: '/x',
      httpStatus: '200',
    });
    expect(serialize({ sku: 'TEE-001', secret: 'not in the schema' })).toBe('{"sku":"TEE-001"}');
  });

  it('compileAll compiles what is pending and throws for a schema that cannot compile', () => {
    const schemas = lazySchemaCompilers();
    const validator = schemas.validator(createValidatorCompiler());
    validator(route({ type: 'string' }, 'body'));
    expect(() => schemas.compileAll()).not.toThrow();
    validator(route({ type: 'object', properties: { a: { $ref: '#/nowhere' } } }, 'body'));
    expect(() => schemas.compileAll()).toThrow(/nowhere/);
  });
});
