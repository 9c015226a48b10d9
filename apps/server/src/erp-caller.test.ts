import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PricingSnapshot } from '@tillstream/contracts';
import { diffSnapshots } from '@tillstream/pricing';
import { createCommerceErp } from './commerce-erp.js';
import { httpErpCall, type ErpAnswer, type ErpCall, type ErpHeaders } from './erp-caller.js';
import { createErpLookup } from './pos-erp-lookup.js';

const snapshotOf = (version: number, amount = 100): PricingSnapshot => ({
  version,
  createdAt: '2026-11-01T00:00:00.000Z',
  products: [{ sku: 'A', price: { amount, currency: 'EUR' }, taxCategory: 'standard', categories: [] }],
  priceLists: [],
  promotions: [],
  taxRates: [],
});
const SNAPSHOT = snapshotOf(7);
/** What ERP sends a holder of version 6 when A's price changed in version 7. */
const deltaFrom = (baseVersion: number) =>
  diffSnapshots({ ...snapshotOf(6, 90), version: baseVersion }, SNAPSHOT);

/** An ErpCall that records what a port sent and gives the scripted answers in turn. */
function recording(...answers: ErpAnswer[]) {
  const sent: Array<{ method: string; path: string; headers?: ErpHeaders }> = [];
  const call: ErpCall = async (method, path, _body, headers) => {
    sent.push({ method, path, ...(headers ? { headers } : {}) });
    return answers.shift()!;
  };
  return { call, sent };
}

const ports = [
  ['commerce', (call: ErpCall) => createCommerceErp(call).pricingSnapshot],
  ["POS's look-up", (call: ErpCall) => createErpLookup(call).pricingSnapshot],
] as const;

const DELTA_SINCE_6 = { method: 'GET', path: '/erp/v1/pricing/snapshot/delta?since=6' };
const WHOLE = { method: 'GET', path: '/erp/v1/pricing/snapshot' };

describe.each(ports)("%s's pricing snapshot read", (_port, reader) => {
  it.each([
    {
      given: 'a version held and current: ERP answers the delta read 204',
      held: snapshotOf(6),
      answers: [{ status: 204, body: null }],
      sent: [DELTA_SINCE_6],
      read: 'unchanged',
    },
    {
      given: 'a version held, ERP moved on: the delta is applied to it',
      held: snapshotOf(6, 90),
      answers: [{ status: 200, body: deltaFrom(6) }],
      sent: [DELTA_SINCE_6],
      read: SNAPSHOT,
    },
    {
      given: 'a version ERP no longer keeps (410): the whole snapshot, conditionally',
      held: snapshotOf(6),
      answers: [
        { status: 410, body: { code: 'snapshot_version_gone' } },
        { status: 200, body: SNAPSHOT },
      ],
      sent: [DELTA_SINCE_6, { ...WHOLE, headers: { 'if-none-match': '"6"' } }],
      read: SNAPSHOT,
    },
    {
      given: 'a delta made against another version: the whole snapshot',
      held: snapshotOf(6),
      answers: [
        { status: 200, body: deltaFrom(5) },
        { status: 200, body: SNAPSHOT },
      ],
      sent: [DELTA_SINCE_6, { ...WHOLE, headers: { 'if-none-match': '"6"' } }],
      read: SNAPSHOT,
    },
    {
      given: 'nothing held',
      held: null,
      answers: [{ status: 200, body: SNAPSHOT }],
      sent: [WHOLE],
      read: SNAPSHOT,
    },
    {
      given: 'ERP has no snapshot',
      held: null,
      answers: [{ status: 404, body: { code: 'not_found' } }],
      sent: [WHOLE],
      read: null,
    },
  ])('given $given', async (row) => {
    const erp = recording(...row.answers);
    expect(await reader(erp.call)(row.held)).toEqual(row.read);
    expect(erp.sent).toEqual(row.sent);
  });

  it.each([
    ['does not answer', null],
    ['answers the delta read 500', { status: 500, body: { code: 'internal' } }],
  ])('an ERP that %s is 503 service_unavailable', async (_label, answer) => {
    const failing: ErpCall = async () => {
      if (!answer) throw new Error('timed out');
      return answer;
    };
    await expect(reader(failing)(snapshotOf(6))).rejects.toMatchObject({
      status: 503,
      code: 'service_unavailable',
    });
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
