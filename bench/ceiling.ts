import { resolve } from 'node:path';
import { postLoad, type LoadResult } from './load.js';
import { RUN_TS, spawnNode, stopChild } from './processes.js';
import { freePort } from '@tillstream/kernel/testing';
import { randomLines, saleBody, type CatalogItem } from './support.js';

/** SKUs and prices shaped like the demo chain's, so the ceiling's bodies are the size of the real sales. */
const LOOKALIKE_CATALOG: CatalogItem[] = [
  'TEE',
  'HOOD',
  'JEAN',
  'SOCK',
  'CAP',
  'BAG',
  'SCRF',
  'BELT',
  'BTL',
  'MUG',
].flatMap((code, index) =>
  [1, 2, 3, 4, 5].map((variant) => ({ sku: `${code}-00${variant}`, price: 1299 + index * 600 })),
);

/** Bare Fastify in its own process under the same load shape as the ingest run. */
export async function measureCeiling(options: {
  connections: number;
  durationS: number;
  warmupS: number;
}): Promise<LoadResult> {
  const port = await freePort();
  const child = spawnNode(
    'ceiling',
    [RUN_TS, resolve(import.meta.dirname, 'ceiling-server.ts'), String(port)],
    {},
  );
  try {
    await child.waitForLine(/ceiling ready/, 30_000);
    const load = {
      url: `http://127.0.0.1:${port}`,
      path: '/pos/v1/sales',
      connections: options.connections,
      okStatus: 201,
      makeBody: () => saleBody(randomLines(LOOKALIKE_CATALOG)).json,
    };
    if (options.warmupS > 0) await postLoad({ ...load, durationS: options.warmupS });
    return await postLoad({ ...load, durationS: options.durationS });
  } finally {
    await stopChild(child);
  }
}
