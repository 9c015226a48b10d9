import type { OpenApiDocument } from './openapi-samples.js';
import type { TestPlatform } from './platform.js';

/** The OpenAPI document of the whole platform: on scale-out each service documents its own routes. */
export async function platformDocument(platform: TestPlatform): Promise<OpenApiDocument> {
  const servers = [...new Set([...platform.processes.values()].flat())];
  const documents = await Promise.all(
    servers.map(async (server) => {
      const response = await fetch(`${server.baseUrl}/docs/json`);
      if (response.status !== 200) throw new Error(`${server.baseUrl}/docs/json answered ${response.status}`);
      return (await response.json()) as OpenApiDocument;
    }),
  );
  return {
    ...documents[0]!,
    paths: Object.assign({}, ...documents.map((document) => document.paths)),
    components: {
      schemas: Object.assign({}, ...documents.map((document) => document.components?.schemas)),
    },
  };
}
