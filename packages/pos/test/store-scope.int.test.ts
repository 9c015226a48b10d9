import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import type { Scope } from '@tillstream/kernel';
import { announceLocation, announceProduct, pgUrl, startPos } from './pos-rig.js';

/** What a key of each kind may read: a till's own key, another store's till, a store manager, the admin. */
describe.each(harnessDialects(pgUrl))('POS reads scoped to the caller’s store on %s', (dialect) => {
  let pos: ContextHarness;
  const keys: Record<string, string> = {};
  const as = (who: string) => async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await pos.app.inject({
      method,
      url: `/pos/v1${url}`,
      ...(payload ? { payload } : {}),
      headers: { authorization: `Bearer ${who === 'admin' ? pos.adminKey : keys[who]}` },
    });
    return { status: response.statusCode, type: response.headers['content-type'], body: response.json() };
  };
  const key = async (name: string, scopes: Scope[], terminalId: string | null, storeId: string | null) => {
    keys[name] = (await pos.apiKeys.create({ name, scopes, terminalId, storeId })).secret;
  };
  const sale = (terminalId: string, storeId: string, receiptNo: string, sku = 'A') => ({
    id: uuidv7(),
    storeId,
    terminalId,
    occurredAt: '2026-11-01T10:00:00Z',
    currency: 'EUR',
    lines: [{ sku, quantity: 1, unitPrice: 500 }],
    payments: [{ method: 'card', amount: 500, reference: 'auth-1' }],
    receiptNo,
  });
  const ids = (body: { transactions: Array<{ transactionId: string }> }) =>
    body.transactions.map((entry) => entry.transactionId).sort();
  const north = sale('N1', 'NORTH', 'N1-1-1');
  const south = sale('S1', 'SOUTH', 'S1-1-1');
  const northPoison = sale('N1', 'NORTH', 'N1-1-2', 'UNKNOWN');
  const southPoison = sale('S1', 'SOUTH', 'S1-1-2', 'UNKNOWN');

  beforeAll(async () => {
    pos = await startPos(dialect);
    await announceLocation(pos, 'NORTH');
    await announceLocation(pos, 'SOUTH');
    await announceProduct(pos, 'A');
    await key('till N1', ['pos:read', 'pos:write'], 'N1', 'NORTH');
    await key('till N2', ['pos:read', 'pos:write'], 'N2', 'NORTH');
    await key('manager north', ['pos:read', 'pos:manage'], null, 'NORTH');
    await key('reporting', ['pos:read'], null, null);
    const admin = as('admin');
    expect((await admin('POST', '/sales', north)).status).toBe(201);
    expect((await admin('POST', '/sales', south)).status).toBe(201);
    for (const poison of [northPoison, southPoison]) {
      const synced = await admin('POST', '/sync', {
        terminalId: poison.terminalId,
        transactions: [{ type: 'sale', ...poison }],
      });
      expect(synced.body.results).toMatchObject([{ status: 'rejected', quarantined: true }]);
    }
  });
  afterAll(async () => pos?.close());

  it('finds a receipt of another till of the same store by number or id, for a return there', async () => {
    const tillN2 = as('till N2');
    const byNumber = await tillN2('GET', '/sales?receiptNo=N1-1-1');
    expect(byNumber.status).toBe(200);
    expect(byNumber.body.sales).toMatchObject([{ id: north.id, terminalId: 'N1', receiptNo: 'N1-1-1' }]);
    expect((await tillN2('GET', `/sales/${north.id}`)).body).toMatchObject({ id: north.id });
    expect((await tillN2('GET', `/sales/${north.id}/returnable`)).body).toMatchObject({ saleId: north.id });
    // Without a receipt number a till still lists only its own sales.
    expect((await tillN2('GET', '/sales?terminalId=N1')).body.sales).toEqual([]);
  });

  it("answers another store's receipt as unknown (404), never as forbidden", async () => {
    const tillN1 = as('till N1');
    for (const url of [`/sales/${south.id}`, `/sales/${south.id}/returnable`]) {
      const answer = await tillN1('GET', url);
      expect(answer.status).toBe(404);
      expect(answer.type).toContain('application/problem+json');
      expect(answer.body.code).toBe('sale_not_found');
    }
    expect((await tillN1('GET', '/sales?receiptNo=S1-1-1')).body.sales).toEqual([]);
    expect((await as('manager north')('GET', `/sales/${south.id}`)).status).toBe(404);
    expect((await as('admin')('GET', '/sales?receiptNo=S1-1-1')).body.sales).toMatchObject([
      { id: south.id },
    ]);
  });

  it('refuses a malformed receipt number or store id with 400 problem+json', async () => {
    for (const url of [
      '/sales?receiptNo=no%20such%20thing',
      '/sales?receiptNo=',
      '/quarantine?storeId=%2Fx',
    ]) {
      const answer = await as('till N1')('GET', url);
      expect(answer.status).toBe(400);
      expect(answer.type).toContain('application/problem+json');
      expect(answer.body.code).toBe('validation_failed');
    }
    expect((await as('reporting')('GET', '/sales')).body.code).toBe('validation_failed');
  });

  it('tells a terminal the policy for returns without a receipt', async () => {
    const answer = await as('till N1')('GET', '/return-policy');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ allowed: true, maxTotal: 5000, refundMethods: ['store_credit'] });
  });

  it("lists a store's quarantine for its manager; a till sees only its own", async () => {
    const manager = as('manager north');
    expect(ids((await manager('GET', '/quarantine?storeId=NORTH')).body)).toEqual([northPoison.id]);
    expect(ids((await manager('GET', '/quarantine')).body)).toEqual([northPoison.id]);
    expect(ids((await as('admin')('GET', '/quarantine?storeId=SOUTH')).body)).toEqual([southPoison.id]);
    expect(ids((await as('till N1')('GET', '/quarantine?terminalId=S1')).body)).toEqual([northPoison.id]);
    expect(ids((await as('till N2')('GET', '/quarantine')).body)).toEqual([]);
    for (const [who, url] of [
      ['manager north', '/quarantine?storeId=SOUTH'],
      ['till N1', '/quarantine?storeId=NORTH'],
      ['reporting', '/quarantine?storeId=NORTH'],
    ] as const) {
      const answer = await as(who)('GET', url);
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('store_scope_forbidden');
    }
  });

  it("refuses a till's key a shift at another store, through POST /shifts and through sync alike", async () => {
    const tillN1 = as('till N1');
    const open = {
      id: uuidv7(),
      terminalId: 'N1',
      storeId: 'SOUTH',
      seq: 7,
      currency: 'EUR',
      openedAt: '2026-11-01T08:00:00Z',
      openingFloat: 0,
    };
    const close = {
      id: uuidv7(),
      shiftId: uuidv7(),
      terminalId: 'N1',
      storeId: 'SOUTH',
      seq: 8,
      currency: 'EUR',
      closedAt: '2026-11-01T18:00:00Z',
      countedCash: 0,
    };
    expect(await tillN1('POST', '/shifts', open)).toMatchObject({
      status: 403,
      body: { code: 'terminal_mismatch' },
    });
    const synced = await tillN1('POST', '/sync', {
      terminalId: 'N1',
      transactions: [
        { type: 'shift_open', ...open },
        { type: 'shift_close', ...close },
      ],
    });
    expect(synced.body.results).toMatchObject([
      { status: 'rejected', code: 'terminal_mismatch', quarantined: true },
      { status: 'rejected', code: 'terminal_mismatch', quarantined: true },
    ]);
    for (const id of [open.id, close.shiftId])
      expect((await as('admin')('GET', `/shifts/${id}`)).body.code).toBe('shift_not_found');
  });

  it("answers another store's terminals and shifts as unknown to a key bound to a store", async () => {
    const admin = as('admin');
    const shift = {
      id: uuidv7(),
      terminalId: 'S1',
      storeId: 'SOUTH',
      seq: 1,
      currency: 'EUR',
      openedAt: '2026-11-01T08:00:00Z',
      openingFloat: 15_000,
    };
    expect((await admin('POST', '/shifts', shift)).status).toBe(201);
    const manager = as('manager north');
    // The Z-report holds the store's cash figures: never another store's, and not even that it exists.
    expect((await manager('GET', `/shifts/${shift.id}`)).body.code).toBe('shift_not_found');
    expect((await as('till N1')('GET', `/shifts/${shift.id}`)).body.code).toBe('shift_not_found');
    expect((await manager('GET', '/shifts?terminalId=S1')).body.shifts).toEqual([]);
    expect((await manager('GET', '/terminals/S1')).body.code).toBe('terminal_not_found');
    for (const url of ['/terminals', '/terminals?storeId=SOUTH'])
      expect(
        (await manager('GET', url)).body.terminals.map((t: { storeId: string }) => t.storeId),
      ).not.toContain('SOUTH');
    // A key bound to no store sees them all.
    const reporting = as('reporting');
    expect((await reporting('GET', `/shifts/${shift.id}`)).body.openingFloat).toBe(15_000);
    expect((await reporting('GET', '/shifts?terminalId=S1')).body.shifts).toHaveLength(1);
    expect((await reporting('GET', '/terminals/S1')).body.storeId).toBe('SOUTH');
  });
});
