import type { FastifySchemaCompiler } from 'fastify';
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler';

/** An Ajv validate function as Fastify calls it: errors on the function, and the parent when `schemaEnv` is set. */
interface ValidateFunction {
  (data: unknown, context?: unknown): unknown;
  errors?: unknown;
  schemaEnv?: unknown;
}

export interface LazySchemaCompilers {
  /** Wraps a validator compiler so that each schema is compiled on its route's first request. */
  validator(compile: FastifySchemaCompiler<unknown>): FastifySchemaCompiler<unknown>;
  /** Wraps Fastify's serializer factory the same way, per response status. */
  serializers(factory: SerializerFactory): SerializerFactory;
  /** Compiles every schema not compiled yet; throws the first that cannot be. */
  compileAll(): void;
}

/**
 * Route schemas compiled when a route first needs them rather than when it is registered. Fastify compiles a
 * validator per request part and a serializer per response status of every route as it registers it: a third
 * of the platform's start-up for its two hundred routes, most of which any one deployment calls rarely. The
 * price is a schema that cannot compile failing its route's first request instead of the start, so the
 * platform's tests call `compileAll` on every route.
 */
export function lazySchemaCompilers(): LazySchemaCompilers {
  const pending = new Set<() => unknown>();

  /** A thunk compiling once, remembered as pending until it has. */
  function once<T>(compile: () => T): () => T {
    let compiled: { value: T } | undefined;
    const force = () => {
      if (!compiled) {
        compiled = { value: compile() };
        pending.delete(force);
      }
      return compiled.value;
    };
    pending.add(force);
    return force;
  }

  return {
    validator(compile) {
      return (route) => {
        const compiled = once(() => compile(route) as ValidateFunction);
        const validate: ValidateFunction = (data, context) => {
          const inner = compiled();
          const valid = inner(data, context);
          validate.errors = inner.errors;
          return valid;
        };
        validate.errors = null;
        // Set on Ajv's own functions: Fastify then passes the parent, so Ajv may coerce or default a root value.
        validate.schemaEnv = true;
        return validate as ReturnType<FastifySchemaCompiler<unknown>>;
      };
    },
    serializers(factory) {
      return (externalSchemas, options) => {
        const compile = factory(externalSchemas, options);
        return (route) => {
          const compiled = once(() => compile(route));
          return (document) => compiled()(document);
        };
      };
    },
    compileAll() {
      for (const force of [...pending]) force();
    },
  };
}
