import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** Generated and checked by scripts/gen-docs.ts (`npm test` fails when it is stale), so it is served as is. */
const ASYNCAPI_FILE = resolve(import.meta.dirname, '../../../docs/asyncapi.json');

/** Serves the AsyncAPI 3 document of the events beside the OpenAPI one (`/docs/json`). */
export async function asyncApiDocs(app: FastifyInstance): Promise<void> {
  let document: string | null = null;
  app.get(
    '/docs/asyncapi.json',
    {
      config: { scope: 'public', rateLimit: false },
      schema: { tags: ['ops'], summary: 'AsyncAPI 3.0 document of every event type and version' },
    },
    async (_request, reply) => {
      document ??= await readFile(ASYNCAPI_FILE, 'utf8');
      return reply.type('application/json').send(document);
    },
  );
}
