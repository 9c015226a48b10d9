import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '@tillstream/contracts';
import { ENGINES } from '../support/engines.js';
import { contextOf, eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { badRequests } from '../support/bad-requests.js';
import { edgeRequests } from '../support/edge-requests.js';
import { SAMPLE_ID, type SweepRequest, type OpenApiDocument } from '../support/openapi-samples.js';
import { expectLedgerTrue } from '../support/inventory.js';
import { platformDocument } from '../support/openapi-document.js';

/** A request that breaks a rule the sweep holds every route to, and what came back. */
interface Breach {
  label: string;
  status: number;
  contentType: string;
  body: string;
}

const KNOWN_CODES = new Set(Object.keys(ERROR_CATALOG));
/** An answer slower than this is as bad as none: a request must not hang on odd input. */
const ANSWER_WITHIN_MS = 5_000;
/** Longer than a consumer's pull (5 s) and its first retry: a round that failed is retried and succeeds by then. */
const READY_AGAIN_WITHIN_MS = 15_000;

/** Every process of the platform, once: the embedded one serves all four contexts. */
const serversOf = (platform: TestPlatform) => [...new Set([...platform.processes.values()].flat())];

/**
 * Sends one request straight to the process that serves its context. A success that is an event stream is
 * closed at once (only its status matters here); every other body is read whole.
 */
async function send(platform: TestPlatform, request: SweepRequest): Promise<Breach | null> {
  const server = platform.processes.get(contextOf(request.path))![0]!;
  let response: Response;
  let contentType = '';
  let body = '';
  try {
    response = await fetch(server.baseUrl + request.path, {
      method: request.method,
      headers: {
        authorization: `Bearer ${platform.adminKey}`,
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...request.headers,
      },
      body: request.body,
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    contentType = response.headers.get('content-type') ?? '';
    if (contentType.startsWith('text/event-stream')) await response.body?.cancel();
    else body = await response.text();
  } catch (error) {
    return { label: request.label, status: 0, contentType: '', body: String(error) };
  }
  const breach = { label: request.label, status: response.status, contentType, body: body.slice(0, 300) };
  if (response.status >= 500) return breach;
  if (response.status < 400) return null;
  if (!contentType.includes('application/problem+json')) return breach;
  const problem = parsed(body);
  return problem?.status === response.status && KNOWN_CODES.has(problem.code ?? '') ? null : breach;
}

function parsed(body: string): { code?: string; status?: number } | null {
  try {
    return JSON.parse(body) as { code?: string; status?: number };
  } catch {
    return null;
  }
}

/** Routes swept side by side: the platform takes concurrent requests, and the sweep took 40 s one at a time. */
const ROUTES_AT_ONCE = 4;

/**
 * Sends each route's requests one after another (some depend on what an earlier one of that route created) and
 * several routes at once, as clients would, and keeps the breaches.
 */
async function sweep(platform: TestPlatform, requests: Iterable<SweepRequest>) {
  const byRoute = new Map<string, SweepRequest[]>();
  for (const request of requests) {
    const ofRoute = byRoute.get(request.route) ?? [];
    ofRoute.push(request);
    byRoute.set(request.route, ofRoute);
  }
  const queue = [...byRoute.values()];
  const breaches: Breach[] = [];
  let sent = 0;
  const worker = async () => {
    for (let route = queue.shift(); route; route = queue.shift())
      for (const request of route) {
        sent += 1;
        const breach = await send(platform, request);
        if (breach) breaches.push(breach);
      }
  };
  await Promise.all(Array.from({ length: ROUTES_AT_ONCE }, worker));
  return { sent, breaches };
}

/**
 * A store, a stocked product and a registered till, all named as the sampler names things, so that a body with
 * one odd field gets past "unknown SKU" and "unknown store" to the handler that must cope with the field.
 */
async function seedSampleWorld(platform: TestPlatform): Promise<void> {
  const steps: Array<[string, string, unknown]> = [
    ['PUT', `/erp/v1/locations/${SAMPLE_ID}`, { name: 'Sweep store', kind: 'store' }],
    [
      'PUT',
      `/erp/v1/products/${SAMPLE_ID}`,
      { name: 'Sweep product', price: { amount: 1, currency: 'EUR' } },
    ],
    [
      'POST',
      '/erp/v1/inventory/adjustments',
      {
        id: 'sweep-stock',
        sku: SAMPLE_ID,
        locationId: SAMPLE_ID,
        delta: 1_000,
        reason: 'received',
        occurredAt: '2026-11-01T08:00:00Z',
      },
    ],
    ['POST', '/pos/v1/terminals', { terminalId: SAMPLE_ID, storeId: SAMPLE_ID, name: 'Sweep till' }],
  ];
  for (const [method, path, body] of steps) {
    const response = await platform.request(method, path, body);
    expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  }
}

describe.each(ENGINES)('every documented route copes with odd and extreme input (%s)', (engine) => {
  let platform: TestPlatform;
  let document: OpenApiDocument;
  beforeAll(async () => {
    platform = await startPlatform(engine);
    document = await platformDocument(platform);
    await seedSampleWorld(platform);
  });
  afterAll(async () => platform?.stop());

  it('answers every malformed request with a 2xx or a 4xx problem document from the catalogue, never a 5xx', async () => {
    const { sent, breaches } = await sweep(platform, badRequests(document));
    // The sweep must really have covered the API: every context's routes, thousands of requests.
    expect(sent).toBeGreaterThan(4_000);
    expect(breaches, JSON.stringify(breaches.slice(0, 20), null, 1)).toEqual([]);
    for (const path of ['/pos/v1/sales', '/erp/v1/products', '/commerce/v1/products', '/hub/v1/events'])
      expect(Object.keys(document.paths)).toContain(path);
  }, 240_000);

  it('takes or refuses every value at the edge of its schema cleanly: what a schema lets in, each engine stores', async () => {
    const { sent, breaches } = await sweep(platform, edgeRequests(document));
    expect(sent).toBeGreaterThan(200);
    expect(breaches, JSON.stringify(breaches.slice(0, 20), null, 1)).toEqual([]);
  }, 240_000);

  it('stays healthy, logged no error and kept every stock balance equal to its ledger', async () => {
    const servers = serversOf(platform);
    // A round that failed just now (a pull or relay round that timed out on a loaded machine, and is being
    // retried) makes /readyz answer 503 until the next round succeeds, which is what readiness is for; what the
    // sweep must not leave behind is a problem that stays.
    for (const server of servers) {
      let problem = '';
      await eventually(
        async () => {
          const response = await fetch(`${server.baseUrl}/readyz`);
          problem = await response.text();
          return response.status === 200;
        },
        READY_AGAIN_WITHIN_MS,
        () => {
          const warnings = server
            .output()
            .split('\n')
            .filter((line) => /"level":40[,}]/.test(line));
          return `${server.baseUrl} ready (${problem}; last warnings: ${warnings.slice(-10).join('\n')})`;
        },
      );
    }
    const errors = servers
      .flatMap((server) => server.output().split('\n'))
      .filter((line) => /"level":(50|60)[,}]/.test(line));
    expect(errors.slice(0, 5)).toEqual([]);
    await expectLedgerTrue(platform);
  });
});
