import { describe, expect, it } from 'vitest';
import { NetworkError } from '@tillstream/pos-client/browser';
import { ApiError, type CollectionView } from './api.js';
import {
  actDone,
  actFailed,
  cancelledMessage,
  canHandOver,
  canPrepare,
  canPutBack,
  deskSections,
  goodsOf,
  matchesSearch,
  readFailed,
  upsert,
} from './collections.logic.js';

const collection = (id: string, change: Partial<CollectionView> = {}): CollectionView => ({
  fulfilmentId: `${id}:kalverstraat`,
  orderId: id,
  storeId: 'kalverstraat',
  status: 'preparing',
  collector: { name: 'Ánna de Vries', phone: '+31 20 555 0100' },
  lines: [{ sku: 'TEE', name: 'Tee', quantity: 2 }],
  readyAt: null,
  collectedAt: null,
  cancelledAt: null,
  prepared: null,
  handedOver: null,
  putBack: null,
  erpVersion: 1,
  ...change,
});
const putAside = { terminalId: 'till-1', at: '2026-12-09T12:00:00Z' };

describe('matchesSearch', () => {
  it.each([
    { query: '', found: true },
    { query: '  ', found: true },
    { query: 'anna', found: true },
    { query: 'DE VRIES', found: true },
    { query: 'ord-7', found: true },
    { query: 'piet', found: false },
    // The phone is not searched: a name or an order id is what the shopper says at the counter.
    { query: '555', found: false },
  ])('"$query" → $found', ({ query, found }) => {
    expect(matchesSearch(collection('ord-7'), query)).toBe(found);
  });
});

describe('what a till may do', () => {
  it.each([
    { status: 'preparing', acts: ['prepare', 'hand over'] },
    { status: 'ready', acts: ['hand over'] },
    { status: 'collected', acts: [] },
    { status: 'cancelled', acts: ['put back'] },
    { status: 'restocked', acts: [] },
  ] as const)('$status: $acts', ({ status, acts }) => {
    const one = collection('a', { status });
    const allowed = { prepare: canPrepare(one), 'hand over': canHandOver(one), 'put back': canPutBack(one) };
    expect(Object.keys(allowed).filter((act) => allowed[act as keyof typeof allowed])).toEqual(acts);
  });
});

describe('upsert', () => {
  it('replaces a known collection in place and adds an unknown one at the end', () => {
    const list = [collection('a'), collection('b')];
    const ready = collection('a', { status: 'ready' });
    expect(upsert(list, ready).map((each) => each.status)).toEqual(['ready', 'preparing']);
    expect(upsert(list, collection('c')).map((each) => each.orderId)).toEqual(['a', 'b', 'c']);
  });
});

describe('deskSections', () => {
  it("splits the open from the goods to put back, in the server's order, both searched", () => {
    const known = [
      collection('a'),
      collection('b', { status: 'ready', collector: { name: 'Piet', phone: null } }),
      collection('c', { status: 'cancelled', prepared: putAside, cancelledAt: '2026-12-10T09:00:00Z' }),
      collection('d', {
        status: 'cancelled',
        collector: { name: 'Kees', phone: null },
        readyAt: '2026-12-08T09:00:00Z',
        cancelledAt: '2026-12-09T09:00:00Z',
      }),
      collection('e', { status: 'collected' }),
      // Put back here (the act's answer) or never put aside: nothing left to do.
      collection('f', { status: 'restocked', prepared: putAside, putBack: putAside }),
    ];
    const all = deskSections(known, '');
    expect(all.open.map((each) => each.orderId)).toEqual(['a', 'b']);
    expect(all.toPutBack.map((each) => each.orderId)).toEqual(['c', 'd']);
    expect(deskSections(known, 'anna').open.map((each) => each.orderId)).toEqual(['a']);
    expect(deskSections(known, 'KEES').toPutBack.map((each) => each.orderId)).toEqual(['d']);
  });
});

describe('messages', () => {
  it('names the goods, by SKU when POS has no name', () => {
    const lines = [
      { sku: 'TEE', name: 'Tee', quantity: 2 },
      { sku: 'MUG', name: null, quantity: 1 },
    ];
    expect(goodsOf(collection('a', { lines }))).toBe('2 × Tee, 1 × MUG');
  });

  it('says what was done', () => {
    expect(actDone('prepare', collection('ord-7'))).toBe(
      'Put aside: order ord-7 for Ánna de Vries is ready to collect.',
    );
    expect(actDone('hand-over', collection('ord-7'))).toBe('Handed over: order ord-7 to Ánna de Vries.');
    expect(actDone('put-back', collection('ord-7', { status: 'restocked' }))).toBe(
      'Order ord-7 is back on the shelf.',
    );
  });

  it.each([
    {
      // Cancelled or restocked, the refusal does not say: the screen reads the collection again.
      failure: new ApiError(409, 'collection_cancelled', 'cancelled'),
      message: 'Order ord-7 was cancelled.',
      recheck: true,
    },
    {
      failure: new ApiError(409, 'collection_not_cancelled', 'is ready'),
      message: 'Not put back: order ord-7 was not cancelled, so its goods stay with the order.',
    },
    {
      failure: new ApiError(409, 'collection_collected', 'handed over'),
      message: 'Order ord-7 was handed over already.',
      status: 'collected',
    },
    {
      failure: new ApiError(404, 'collection_not_found', 'No collection'),
      message: "Order ord-7 is not at this store's desk any more.",
    },
    {
      failure: new ApiError(403, 'terminal_mismatch', 'This key belongs to terminal x'),
      message: 'Not done: This key belongs to terminal x (terminal_mismatch).',
    },
    {
      failure: new NetworkError('no answer within 8000 ms'),
      message: 'Not done: the server did not answer. Collections need the server; try again once online.',
      offline: true,
    },
  ])('tells "$message"', ({ failure, ...told }) => {
    expect(actFailed(collection('ord-7'), failure)).toEqual(told);
  });

  it.each([
    { status: 'cancelled', message: 'Order ord-7 was cancelled — put the goods back on the shelf.' },
    {
      status: 'restocked',
      message: 'Order ord-7 was cancelled; its goods are on the shelf already, nothing to put back.',
    },
  ] as const)('tells a refused act on a $status order whether to put goods back', ({ status, message }) => {
    expect(cancelledMessage(collection('ord-7', { status }))).toBe(message);
  });

  it('tells a read that got no answer from one the server refused', () => {
    expect(readFailed(new NetworkError('refused'))).toEqual({ state: 'offline' });
    expect(readFailed(new ApiError(500, 'internal', 'boom'))).toEqual({ state: 'failed', message: 'boom' });
  });
});
