import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextHarness, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { createCommerce } from '../src/index.js';
import { decideOrderListFilter } from '../src/orders/order-list.decide.js';
import { orderPageQuery } from '../src/orders/order-list.store.js';
import type { OrderStatus } from '../src/orders/order.decide.js';
import { orderStore, type Order } from '../src/orders/order.store.js';
import { fakeErp } from './fake-erp.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

const T0 = Date.parse('2026-11-02T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/**
 * 30 orders: ids of one length and alphabet, so any collation sorts them as JavaScript does. Every fifth
 * shares its placed-at instant with the next four (ties broken by id); some instants are out of id order.
 */
const EMAILS = [
  'Ann@Example.com',
  'ann@example.com',
  'bob@example.com',
  'ÉVA@example.com',
  'éva@example.com',
];
const STATUSES: OrderStatus[] = ['placed', 'allocated', 'shipped', 'delivered', 'cancelled', 'refunded'];
const seeded: Order[] = Array.from({ length: 30 }, (_, index) => ({
  id: `ord${String((index * 7) % 30).padStart(2, '0')}`,
  cartId: `cart${String(index).padStart(2, '0')}`,
  reservationId: `res${index}`,
  channel: 'web',
  email: EMAILS[index % EMAILS.length]!,
  currency: 'EUR',
  lines: Array.from({ length: 1 + (index % 3) }, (_line, lineNo) => ({
    lineNo: lineNo + 1,
    sku: `SKU${lineNo}`,
    quantity: 2,
    unitPrice: 500,
    lineTotal: 1000,
  })) as Order['lines'],
  shipping: null,
  total: 1000 * (1 + (index % 3)),
  payment: { method: 'test', reference: `pay${index}` },
  status: STATUSES[index % STATUSES.length]!,
  version: 1,
  placedAt: at(Math.floor(index / 5) * 60),
  updatedAt: at(Math.floor(index / 5) * 60 + 1),
  refunded: 0,
  backordered: [],
  shipped: [],
  cancellation: null,
}));

/** Newest first, id descending among equal instants: what the list must answer. */
const newestFirst = (orders: readonly Order[]) =>
  [...orders]
    .sort((a, b) => (a.placedAt === b.placedAt ? (a.id < b.id ? 1 : -1) : a.placedAt < b.placedAt ? 1 : -1))
    .map((order) => order.id);

describe.each(harnessDialects(pgUrl))('the online order list on %s', (dialect) => {
  let commerce: ContextHarness;
  const erp = fakeErp({ A: 100 });

  /** Every page of a query, following `next`, and how many requests it took. */
  const allPages = async (query: string, from: string | null = null) => {
    const ids: string[] = [];
    let after: string | null = from;
    let pages = 0;
    do {
      const url: string = `/orders?${query}${after === null ? '' : `&after=${encodeURIComponent(after)}`}`;
      const page = await commerce.api('GET', url);
      expect(page.status).toBe(200);
      ids.push(...page.body.orders.map((order: { id: string }) => order.id));
      after = page.body.next;
      pages += 1;
    } while (after !== null);
    return { ids, pages };
  };

  beforeAll(async () => {
    commerce = await createContextHarness(
      (deps) => createCommerce({ ...deps, cacheMaxAgeSeconds: 5, erp: erp.port, checkoutHoldSeconds: 900 }),
      { dialect, pgUrl, name: 'commerce' },
    );
    erp.state.now = () => commerce.clock.now();
    await commerce.db.transaction(async (tx) => {
      for (const order of seeded) await orderStore.insert(tx, order);
    });
  });
  afterAll(async () => commerce?.close());

  it('lists every order newest first, ties on placedAt by id, each as a light summary', async () => {
    const page = await commerce.api('GET', '/orders');
    expect(page.status).toBe(200);
    expect(page.body.orders.map((order: { id: string }) => order.id)).toEqual(newestFirst(seeded));
    expect(page.body.next).toBeNull();
    const sample = seeded[7]!;
    expect(page.body.orders.find((order: { id: string }) => order.id === sample.id)).toEqual({
      id: sample.id,
      status: sample.status,
      email: sample.email,
      channel: 'web',
      currency: 'EUR',
      total: sample.total,
      refunded: 0,
      shipping: null,
      lineCount: sample.lines.length,
      unitCount: 2 * sample.lines.length,
      placedAt: sample.placedAt,
      updatedAt: sample.updatedAt,
    });
  });

  it.each([1, 2, 3, 5, 7, 29, 30, 200])(
    'pages through all of them, %i at a time, without gaps or duplicates',
    async (limit) => {
      const { ids, pages } = await allPages(`limit=${limit}`);
      expect(ids).toEqual(newestFirst(seeded));
      expect(pages).toBe(Math.max(1, Math.ceil(seeded.length / limit)));
    },
  );

  it.each([
    ['one status', 'status=shipped', (order: Order) => order.status === 'shipped'],
    [
      'several statuses',
      'status=placed,cancelled,placed',
      (order: Order) => order.status === 'placed' || order.status === 'cancelled',
    ],
    [
      'an email in another case of A–Z',
      'email=ANN%40example.COM',
      (order: Order) => /^ann@/i.test(order.email),
    ],
    [
      'an email folded beyond A–Z only as given',
      'email=%C3%89VA%40example.com',
      (o: Order) => o.email.startsWith('É'),
    ],
    ['from, inclusive', `from=${at(120)}`, (order: Order) => order.placedAt >= at(120)],
    ['to, exclusive', `to=${at(120)}`, (order: Order) => order.placedAt < at(120)],
    ['an empty period', `from=${at(60)}&to=${at(60)}`, () => false],
    ['an upper bound past year 9999', 'to=9999-12-31T23:30:00-01:00', () => true],
    ['a lower bound past year 9999', 'from=9999-12-31T23:30:00-01:00', () => false],
    [
      'a period in another offset, with status and email',
      'from=2026-11-02T12:00:00%2B01:00&to=2026-11-02T14:00:00Z&status=placed,allocated,shipped&email=ann%40example.com',
      (order: Order) =>
        order.placedAt >= at(60) &&
        order.placedAt < at(240) &&
        ['placed', 'allocated', 'shipped'].includes(order.status) &&
        order.email.toLowerCase() === 'ann@example.com',
    ],
  ])('filters by %s, on every page', async (_case, query, keeps) => {
    const expected = newestFirst(seeded.filter(keeps));
    expect((await allPages(query)).ids).toEqual(expected);
    expect((await allPages(`${query}&limit=2`)).ids).toEqual(expected);
  });

  it('shows an order placed after the first page was read on the first page, not shifting the others', async () => {
    const first = await commerce.api('GET', '/orders?limit=10');
    const newer = {
      ...seeded[0]!,
      id: 'ordzz',
      cartId: 'cartzz',
      placedAt: at(10_000),
      updatedAt: at(10_000),
    };
    await commerce.db.transaction((tx) => orderStore.insert(tx, newer));
    const rest = await allPages('limit=10', first.body.next);
    expect([...first.body.orders.map((order: { id: string }) => order.id), ...rest.ids]).toEqual(
      newestFirst(seeded),
    );
    expect((await commerce.api('GET', '/orders?limit=1')).body.orders[0].id).toBe('ordzz');
    await commerce.db.transaction((tx) => tx.execute("DELETE FROM orders WHERE id = 'ordzz'"));
  });

  it('lists an order placed at checkout', async () => {
    commerce.clock.set(new Date(T0 + 20_000 * 60_000));
    const cart = await commerce.api('POST', '/carts', {});
    await commerce.api('POST', `/carts/${cart.body.id}/lines`, { sku: 'A', quantity: 3 });
    const order = await commerce.api('POST', `/carts/${cart.body.id}/checkout`, {
      email: 'New.Shopper@Example.com',
      payment: { method: 'test' },
    });
    expect(order.status).toBe(201);
    const listed = await commerce.api('GET', '/orders?email=new.shopper%40example.com');
    expect(listed.body).toEqual({
      orders: [expect.objectContaining({ id: order.body.id, status: 'placed', lineCount: 1, unitCount: 3 })],
      next: null,
    });
  });

  it.each([
    ['a cursor naming no order', 'after=ord99', 400, 'invalid_cursor'],
    ['a cursor no id could be', 'after=%20bad%20', 400, 'invalid_cursor'],
    ['a cursor of another list', 'after=eyJhIjoxfQ', 400, 'invalid_cursor'],
    ['an empty cursor', 'after=', 400, 'validation_failed'],
    ['from after to', `from=${at(61)}&to=${at(60)}`, 422, 'order_period_reversed'],
    ['a date without a time', 'from=2026-11-02', 400, 'validation_failed'],
    ['an instant without an offset', 'to=2026-11-02T10:00:00', 400, 'validation_failed'],
    ['an impossible date', 'from=2026-02-30T10:00:00Z', 400, 'validation_failed'],
    ['a leap second', 'from=2026-12-31T23:59:60Z', 400, 'validation_failed'],
    ['limit 0', 'limit=0', 400, 'validation_failed'],
    ['limit 201', 'limit=201', 400, 'validation_failed'],
    ['a fractional limit', 'limit=2.5', 400, 'validation_failed'],
    ['a limit that is text', 'limit=ten', 400, 'validation_failed'],
    ['an unknown status', 'status=lost', 400, 'validation_failed'],
    ['a status in capitals', 'status=PLACED', 400, 'validation_failed'],
    ['a trailing comma', 'status=placed,', 400, 'validation_failed'],
    ['a repeated status', 'status=placed&status=shipped', 400, 'validation_failed'],
    ['an email that is too short', 'email=a', 400, 'validation_failed'],
    ['an unknown parameter', 'state=placed', 400, 'validation_failed'],
  ])('refuses %s (%s): %i %s as problem+json', async (_case, query, status, code) => {
    const response = await commerce.app.inject({
      method: 'GET',
      url: `/commerce/v1/orders?${query}`,
      headers: { authorization: `Bearer ${commerce.adminKey}` },
    });
    expect([response.statusCode, response.json().code]).toEqual([status, code]);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('is for keys with commerce:read: the list shows every shopper’s email', async () => {
    const get = async (secret?: string) =>
      (
        await commerce.app.inject({
          method: 'GET',
          url: '/commerce/v1/orders?limit=1',
          ...(secret ? { headers: { authorization: `Bearer ${secret}` } } : {}),
        })
      ).json();
    const reader = await commerce.apiKeys.create({ name: 'customer service', scopes: ['commerce:read'] });
    const till = await commerce.apiKeys.create({ name: 'till', scopes: ['pos:read', 'pos:write'] });
    expect((await get(reader.secret)).orders).toHaveLength(1);
    expect((await get(till.secret)).code).toBe('insufficient_scope');
    expect((await get()).code).toBe('unauthorized');
  });

  it.each([
    ['no filter', {}, 'orders_placed'],
    ['one status', { status: 'shipped' }, 'orders_status_placed'],
    ['an email', { email: 'Ann@example.com' }, 'orders_email_placed'],
    ['a period', { from: at(60), to: at(120) }, 'orders_placed'],
  ])('reads a page with %s by keyset on an index, without sorting', async (_case, filter, index) => {
    const query = orderPageQuery(
      commerce.db.dialect,
      { ...decideOrderListFilter({ ...filter, limit: 50 }), after: 'ord10' },
      { placedAt: at(120) },
    );
    const plan = await explain(commerce, query);
    expect(plan).toContain(index);
    expect(plan).not.toMatch(/TEMP B-TREE|Sort|Seq Scan|\bSCAN orders\b(?! USING)/);
  });
});

/** The engine's plan for a statement, as one line; PostgreSQL is told not to prefer a scan of a tiny table. */
async function explain(commerce: ContextHarness, query: ReturnType<typeof orderPageQuery>): Promise<string> {
  if (commerce.db.dialect === 'sqlite') {
    const rows = await commerce.db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${query.sql}`, query.params);
    return rows.map((row) => row.detail).join(' | ');
  }
  return commerce.db.transaction(async (tx) => {
    await tx.execute('SET LOCAL enable_seqscan = off');
    await tx.execute('SET LOCAL enable_bitmapscan = off');
    const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.sql}`, query.params);
    return rows.map((row) => row['QUERY PLAN']).join(' | ');
  });
}
