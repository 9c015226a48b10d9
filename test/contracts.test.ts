import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Parser } from '@asyncapi/parser';
import { validate as validateOpenApi } from '@readme/openapi-parser';
import { dataSchemaUrn, EVENT_CATALOG } from '@tillstream/contracts';
import { createLogger } from '@tillstream/kernel';
import { exampleEnvelope, GENERATE_COMMAND, ROOT } from '../scripts/gen-docs.js';
import { catalogIncompatibilities } from '../scripts/docs/compat.js';
import { currentSchemas, PUBLISHED_PATH } from '../scripts/docs/schemas.js';
import { schemaFile } from '../scripts/docs/naming.js';
import { loadConfig } from '../apps/server/src/config.js';
import { buildPlatform, CONTEXTS, type Platform } from '../apps/server/src/platform.js';
import { embeddedEngine } from '../apps/server/src/embedded-engine.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, any>;

describe('published event contracts', () => {
  it('every published type and version stays backward compatible', () => {
    const problems = catalogIncompatibilities(readJson(PUBLISHED_PATH), currentSchemas());
    expect(
      problems,
      `published event schemas changed incompatibly: keep the published version and add a new one (type@2) ` +
        `beside it; see docs/events.md, "Versioning". Then run ${GENERATE_COMMAND}. (A version never released ` +
        `yet may instead be deleted from ${PUBLISHED_PATH} by hand before regenerating.)`,
    ).toEqual([]);
  });

  it('has a JSON Schema file per type and version, identified by its dataschema, that its example meets', () => {
    const ajv = addFormats(new Ajv({ strict: false }));
    const envelope = ajv.compile(readJson('docs/schemas/cloudevent.json'));
    for (const contract of EVENT_CATALOG) {
      const schema = readJson(schemaFile(contract));
      expect(schema.$id).toBe(dataSchemaUrn(contract));
      const example = exampleEnvelope(contract);
      expect(envelope(example), `${contract.type} envelope`).toBe(true);
      expect(ajv.validate(schema, example.data), `${contract.type}: ${ajv.errorsText()}`).toBe(true);
    }
  });

  it('describes them in a valid AsyncAPI 3.0 document', async () => {
    const document = readJson('docs/asyncapi.json');
    expect(document.asyncapi).toBe('3.0.0');
    const diagnostics = await new Parser().validate(JSON.stringify(document));
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0);
    expect(errors.map((error) => `${error.path.join('/')}: ${error.message}`)).toEqual([]);
    for (const contract of EVENT_CATALOG) expect(document.channels[contract.type]).toBeDefined();
  });
});

describe('the OpenAPI document', () => {
  let platform: Platform;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tillstream-openapi-'));
    const config = loadConfig({}, { dataDir, logLevel: 'silent' });
    const logger = createLogger({ name: 'openapi-test', level: 'silent' });
    platform = await buildPlatform({
      config,
      engine: embeddedEngine(config, logger),
      logger,
      contexts: CONTEXTS,
    });
    await platform.app.ready();
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("compiles every route's request and response schemas (done lazily when the platform runs)", () => {
    expect(() => platform.app.compileRouteSchemas()).not.toThrow();
  });

  it('passes an OpenAPI validator (@readme/openapi-parser)', async () => {
    const document = structuredClone(platform.app.swagger()) as any;
    expect(document.openapi).toBe('3.1.0');
    const result = await validateOpenApi(document);
    expect(result.valid, JSON.stringify(result)).toBe(true);
  });

  it("documents every operation's errors as a problem document, which the answers of failing requests meet", async () => {
    const document = platform.app.swagger() as any;
    const undocumented: string[] = [];
    for (const [path, item] of Object.entries<any>(document.paths))
      for (const [method, operation] of Object.entries<any>(item))
        for (const range of ['4XX', '5XX'])
          if (operation.responses?.[range]?.$ref !== '#/components/responses/Problem')
            undocumented.push(`${method.toUpperCase()} ${path} ${range}`);
    expect(undocumented).toEqual([]);

    const meetsProblem = addFormats(new Ajv({ strict: false })).compile(document.components.schemas.Problem);
    const { secret } = await platform.apiKeys.create({ name: 'openapi-test', scopes: ['admin'] });
    const keyed = { authorization: `Bearer ${secret}` };
    const failing = [
      { method: 'POST', url: '/pos/v1/sales', payload: { lines: [{ quantity: 'one' }] }, headers: keyed },
      { method: 'PATCH', url: '/erp/v1/products/TEE-001' },
      { method: 'GET', url: '/nowhere' },
      { method: 'GET', url: '/erp/v1/products/TEE-001', headers: { authorization: 'Bearer tsk_wrong' } },
    ] as const;
    const codes: string[] = [];
    for (const request of failing) {
      const answer = await platform.app.inject({ headers: {}, ...request });
      const body = answer.json();
      expect(
        meetsProblem(body),
        `${request.method} ${request.url}: ${JSON.stringify(meetsProblem.errors)}`,
      ).toBe(true);
      codes.push(`${answer.statusCode} ${body.code}`);
    }
    expect(codes).toEqual([
      '400 validation_failed',
      '405 method_not_allowed',
      '404 route_not_found',
      '401 unauthorized',
    ]);
  });

  it('marks the public operations as needing no key, and documents the 429 of those a rate limit counts', () => {
    const document = platform.app.swagger() as any;
    const operation = (method: string, path: string) => document.paths[path][method];
    const limited = { $ref: '#/components/responses/RateLimited' };
    for (const [method, path] of [
      ['get', '/commerce/v1/products/{sku}'],
      ['post', '/commerce/v1/carts'],
      ['post', '/commerce/v1/carts/{id}/checkout'],
      ['get', '/commerce/v1/orders/{id}'],
    ]) {
      expect(operation(method!, path!).security, `${method} ${path}`).toEqual([]);
      expect(operation(method!, path!).responses['429'], `${method} ${path}`).toEqual(limited);
    }
    expect(operation('get', '/healthz').security).toEqual([]);
    expect(operation('get', '/healthz').responses['429']).toBeUndefined();
    for (const path of ['/erp/v1/locations', '/commerce/v1/orders']) {
      expect(operation('get', path).security, path).toBeUndefined();
      expect(operation('get', path).responses['429'], path).toBeUndefined();
    }
    expect(document.components.responses.RateLimited.headers).toHaveProperty('Retry-After');
  });

  it('gives every request and response body an example', () => {
    const document = platform.app.swagger() as any;
    const missing: string[] = [];
    for (const [path, item] of Object.entries<any>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        const bodies = [
          ['request', operation.requestBody?.content],
          ...Object.entries<any>(operation.responses ?? {}).map(([status, response]) => [
            status,
            response.content,
          ]),
        ];
        for (const [what, content] of bodies) {
          for (const [type, media] of Object.entries<any>(content ?? {})) {
            const example = media.example ?? media.examples ?? media.schema?.examples;
            if (example === undefined) missing.push(`${method.toUpperCase()} ${path} ${what} ${type}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
