import { describe, expect, it } from 'vitest';
import type { DomainError } from '@tillstream/kernel';
import { authorizePoster } from '../sales/sale.decide.js';
import {
  applyErpReport,
  decideHandOver,
  decidePrepare,
  decidePutBack,
  requireVisible,
  statusOf,
  type Collection,
} from './collection.decide.js';

const collection = (over: Partial<Collection> = {}): Collection => ({
  fulfilmentId: 'order-1:store-a',
  orderId: 'order-1',
  storeId: 'store-a',
  collector: { name: 'Anna', phone: null },
  lines: [{ sku: 'TEE', quantity: 2 }],
  erp: { status: 'allocated', version: 1, at: '2026-12-05T09:00:00.000Z' },
  firstSeenAt: '2026-12-05T09:00:00.000Z',
  readyAt: null,
  cancelledAt: null,
  collectedAt: null,
  prepared: null,
  handedOver: null,
  putBack: null,
  ...over,
});
const act = { terminalId: 'till-1', at: '2026-12-05T10:00:00.000Z' };
const erp = (status: Collection['erp']['status'], version: number) => ({
  status,
  version,
  at: '2026-12-05T09:30:00.000Z',
});
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).code;
  }
  return null;
};

describe('statusOf', () => {
  it('follows ERP, with a till’s put-aside counting as ready until ERP confirms it', () => {
    expect(statusOf(collection())).toBe('preparing');
    expect(statusOf(collection({ prepared: act }))).toBe('ready');
    expect(statusOf(collection({ erp: erp('ready_for_pickup', 2) }))).toBe('ready');
    expect(statusOf(collection({ erp: erp('delivered', 4) }))).toBe('collected');
    expect(statusOf(collection({ erp: erp('cancelled', 2), prepared: act }))).toBe('cancelled');
  });

  it('keeps a cancelled collection on the desk until its goods, once put aside, are back on the shelf', () => {
    const cancelled = erp('cancelled', 3);
    expect(statusOf(collection({ erp: cancelled }))).toBe('restocked');
    expect(statusOf(collection({ erp: cancelled, readyAt: '2026-12-05T09:10:00.000Z' }))).toBe('cancelled');
    expect(statusOf(collection({ erp: cancelled, prepared: act, putBack: act }))).toBe('restocked');
  });

  it('keeps a hand-over collected whatever ERP says after it', () => {
    expect(statusOf(collection({ handedOver: act, erp: erp('cancelled', 3) }))).toBe('collected');
  });
});

describe('applyErpReport', () => {
  it('applies newer versions only, and stamps when it became ready, collected or cancelled', () => {
    const ready = applyErpReport(collection(), {
      status: 'ready_for_pickup',
      version: 2,
      occurredAt: '2026-12-05T09:10:00.000Z',
    })!;
    expect(ready).toMatchObject({
      erp: { status: 'ready_for_pickup', version: 2 },
      readyAt: '2026-12-05T09:10:00.000Z',
    });
    expect(
      applyErpReport(ready, { status: 'allocated', version: 1, occurredAt: '2026-12-05T09:00:00.000Z' }),
    ).toBeNull();
    expect(applyErpReport(ready, { status: 'ready_for_pickup', version: 2, occurredAt: 'x' })).toBeNull();
    // Made ready, heard of after the cancellation: still a fact worth keeping (goods were put aside).
    const cancelledFirst = applyErpReport(collection(), {
      status: 'cancelled',
      version: 3,
      occurredAt: 'c',
    })!;
    expect(
      applyErpReport(cancelledFirst, { status: 'ready_for_pickup', version: 2, occurredAt: 'r' }),
    ).toMatchObject({ erp: { status: 'cancelled', version: 3 }, readyAt: 'r' });
    const delivered = applyErpReport(ready, {
      status: 'delivered',
      version: 4,
      occurredAt: '2026-12-05T11:00:00.000Z',
    })!;
    expect(delivered).toMatchObject({
      collectedAt: '2026-12-05T11:00:00.000Z',
      readyAt: '2026-12-05T09:10:00.000Z',
    });
    const cancelled = applyErpReport(ready, {
      status: 'cancelled',
      version: 3,
      occurredAt: '2026-12-05T12:00:00.000Z',
    })!;
    expect(cancelled.cancelledAt).toBe('2026-12-05T12:00:00.000Z');
  });

  it('keeps the hand-over’s time when ERP confirms it later', () => {
    const handed = collection({ handedOver: act, collectedAt: act.at });
    const confirmed = applyErpReport(handed, {
      status: 'delivered',
      version: 3,
      occurredAt: '2026-12-05T10:00:01.000Z',
    })!;
    expect(confirmed.collectedAt).toBe(act.at);
  });
});

describe('till acts', () => {
  it('puts a preparing collection aside once', () => {
    expect(decidePrepare(collection(), act)).toEqual(act);
    expect(decidePrepare(collection({ prepared: act }), act)).toBeNull();
    expect(decidePrepare(collection({ erp: erp('ready_for_pickup', 2) }), act)).toBeNull();
    expect(codeOf(() => decidePrepare(collection({ handedOver: act }), act))).toBe('collection_collected');
  });

  it('hands over a collection ready or not, once', () => {
    expect(decideHandOver(collection(), act)).toEqual(act);
    expect(decideHandOver(collection({ prepared: act }), act)).toEqual(act);
    expect(decideHandOver(collection({ handedOver: act }), act)).toBeNull();
    expect(decideHandOver(collection({ erp: erp('delivered', 4) }), act)).toBeNull();
  });

  it('refuses both for a cancelled order', () => {
    const cancelled = collection({ erp: erp('cancelled', 2) });
    expect(codeOf(() => decidePrepare(cancelled, act))).toBe('collection_cancelled');
    expect(codeOf(() => decideHandOver(cancelled, act))).toBe('collection_cancelled');
  });

  it('puts a cancelled collection’s goods back once, and nothing of an order that stands', () => {
    const cancelled = collection({ erp: erp('cancelled', 3), prepared: act });
    expect(decidePutBack(cancelled, act)).toEqual(act);
    expect(decidePutBack({ ...cancelled, putBack: act }, act)).toBeNull();
    expect(decidePutBack(collection({ erp: erp('cancelled', 2) }), act)).toBeNull();
    expect(codeOf(() => decidePutBack(collection({ prepared: act }), act))).toBe('collection_not_cancelled');
    expect(codeOf(() => decideHandOver({ ...cancelled, putBack: act }, act))).toBe('collection_cancelled');
    const statusIn = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as DomainError).extensions.collectionStatus;
      }
      return null;
    };
    expect(statusIn(() => decideHandOver(cancelled, act))).toBe('cancelled');
    expect(statusIn(() => decidePrepare({ ...cancelled, putBack: act }, act))).toBe('restocked');
  });

  it('hides another store’s collections and refuses another terminal’s name', () => {
    expect(codeOf(() => requireVisible({ terminalId: 't', storeId: 'store-b' }, collection(), 'x'))).toBe(
      'collection_not_found',
    );
    expect(codeOf(() => requireVisible({ terminalId: null, storeId: null }, null, 'x'))).toBe(
      'collection_not_found',
    );
    expect(requireVisible({ terminalId: null, storeId: null }, collection(), 'x').storeId).toBe('store-a');
    expect(
      codeOf(() =>
        authorizePoster(
          { terminalId: 'till-1', storeId: 'store-a' },
          { terminalId: 'till-2', storeId: 'store-a' },
        ),
      ),
    ).toBe('terminal_mismatch');
    expect(
      codeOf(() =>
        authorizePoster({ terminalId: null, storeId: null }, { terminalId: 'till-2', storeId: 'store-a' }),
      ),
    ).toBeNull();
  });
});
