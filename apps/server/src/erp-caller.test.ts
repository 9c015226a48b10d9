import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommerceErp } from './commerce-erp.js';
import { httpErpCall, type ErpAnswer, type ErpCall, type ErpHeaders } from './erp-caller.js';
import { createErpLookup } from './pos-erp-lookup.js';

const SNAPSHOT = { version: 7, createdAt: '2026-11-01T00:00:00.000Z', products: [] };

/** An ErpCall that records what a port sent and answers as given. */
function recording(answer: ErpAnswer) {
  const sent: Array<{ method: string; path: string; headers?: ErpHeaders }> = [];
  const call: ErpCall = async (method, path, _body, headers) => {
    sent.push({ method, path, ...(headers ? { headers } : {}) });
    return answer;
  };
  return { call, sent };
}

const ports = [
  ['commerce', (call: ErpCall) => createCommerceErp(call).pricingSnapshot],
  ["POS's look-up", (call: ErpCall) => createErpLookup(call).pricingSnapshot],
] as const;

describe.each(ports)("%s's pricing snapshot read", (_port, reader) => {
  it.each([
    {
      given: 'a version held, ERP answers 304',
      knownVersion: 7,
      answer: { status: 304, body: null },
      sentHeaders: { 'if-none-match': '"7"' },
      read: 'unchanged',
    },
    {
      given: 'a version held, ERP moved on',
      knownVersion: 6,
      answer: { status: 200, body: SNAPSHOT },
      sentHeaders: { 'if-none-match': '"6"' },
      read: SNAPSHOT,
    },
    {
      given: 'nothing held',
      knownVersion: undefined,
      answer: { status: 200, body: SNAPSHOT },
      sentHeaders: undefined,
      read: SNAPSHOT,
    },
    {
      given: 'ERP has no snapshot',
      knownVersion: undefined,
      answer: { status: 404, body: { code: 'not_found' } },
      sentHeaders: undefined,
      read: null,
    },
  ])('given $given: asks conditionally only with a version and reads $read', async (row) => {
    const erp = recording(row.answer);
    expect(await reader(erp.call)(row.knownVersion)).toEqual(row.read);
    expect(erp.sent).toEqual([
      {
        method: 'GET',
        path: '/erp/v1/pricing/snapshot',
        ...(row.sentHeaders ? { headers: row.sentHeaders } : {}),
      },
    ]);
  });

  it('an ERP that does not answer is 503 service_unavailable', async () => {
    const silent: ErpCall = async () => {
      throw new Error('timed out');
    };
    await expect(reader(silent)(7)).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
  });
});

describe('the HTTP caller', () => {
  let server: Server;
  let seen: IncomingHttpHeaders = {};
  let baseUrl = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      seen = request.headers;
      response.statusCode = request.headers['if-none-match'] === '"7"' ? 304 : 200;
      response.end(response.statusCode === 304 ? undefined : JSON.stringify(SNAPSHOT));
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

  it("sends the port's headers beside its own key, and answers a 304 without a body", async () => {
    const call = httpErpCall(baseUrl, () => 'service-key', 2_000);
    const answer = await call('GET', '/erp/v1/pricing/snapshot', undefined, {
      'if-none-match': '"7"',
      authorization: 'Bearer not-this-one',
    });
    expect(answer).toEqual({ status: 304, body: null });
    expect([seen['if-none-match'], seen.authorization]).toEqual(['"7"', 'Bearer service-key']);
    expect(await call('GET', '/erp/v1/pricing/snapshot')).toEqual({ status: 200, body: SNAPSHOT });
  });
});
