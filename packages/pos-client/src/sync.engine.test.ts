import { describe, expect, it } from 'vitest';
import { NetworkError, type HttpPort } from './http.port.js';
import { memoryStorage } from './memory.storage.js';
import { queued } from './queue.fixtures.js';
import { drainQueue, SyncUnavailableError, uploadBatch } from './sync.engine.js';
import type { SyncResult, Transaction } from './wire.js';

/** A server stand-in: answers each batch with `answer`, and records what it received. */
function fakeServer(
  answer: (transactions: Transaction[]) => { status: number; results?: SyncResult[] } | 'fail',
) {
  const received: string[][] = [];
  const http: HttpPort = {
    async request(_method, _path, options) {
      const { transactions } = options!.body as { transactions: Transaction[] };
      received.push(transactions.map((transaction) => transaction.id));
      const reply = answer(transactions);
      if (reply === 'fail') throw new NetworkError('connection reset');
      return {
        status: reply.status,
        header: () => null,
        body: reply.results ? { results: reply.results } : { code: 'validation_failed' },
      };
    },
  };
  return { http, received };
}

const deps = (http: HttpPort, storage = memoryStorage()) => ({
  storage,
  http,
  terminalId: 'T1',
  now: () => new Date('2026-11-01T09:00:00Z'),
});

const result = (id: string, status: SyncResult['status'], extra: Partial<SyncResult> = {}): SyncResult => ({
  id,
  type: 'sale',
  status,
  ...extra,
});

describe('uploadBatch', () => {
  it('marks synced only what the server acknowledged, quarantines final refusals, keeps the rest', async () => {
    const storage = memoryStorage();
    await storage.commit({ append: ['a', 'b', 'c', 'd', 'e'].map(queued) });
    const server = fakeServer(() => ({
      status: 200,
      results: [
        result('a', 'accepted'),
        result('b', 'duplicate'),
        result('c', 'rejected', { code: 'unknown_sku', quarantined: true, retryable: false }),
        result('d', 'rejected', { code: 'service_unavailable', retryable: true }),
      ],
    }));
    const outcome = await uploadBatch(deps(server.http, storage), await storage.pending(10));
    expect(outcome).toEqual({ sent: 5, accepted: 1, duplicate: 1, quarantined: 1, retryable: 2 });
    expect(await storage.counts()).toEqual({ pending: 2, synced: 2, quarantined: 1 });
    expect(await storage.find('c')).toMatchObject({ status: 'quarantined', error: { code: 'unknown_sku' } });
    expect(await storage.find('e')).toMatchObject({
      status: 'pending',
      attempts: 1,
      error: { code: 'no_result' },
    });
  });

  it('settles nothing when the request gets no answer, and reports the server down', async () => {
    const storage = memoryStorage();
    await storage.commit({ append: [queued('a')] });
    await expect(
      uploadBatch(deps(fakeServer(() => 'fail').http, storage), await storage.pending(10)),
    ).rejects.toBeInstanceOf(NetworkError);
    await expect(
      uploadBatch(deps(fakeServer(() => ({ status: 503 })).http, storage), await storage.pending(10)),
    ).rejects.toBeInstanceOf(SyncUnavailableError);
    expect(await storage.find('a')).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('sends one by one when the batch is refused whole, so one bad transaction cannot block the queue', async () => {
    const storage = memoryStorage();
    await storage.commit({ append: ['a', 'bad', 'c'].map(queued) });
    const server = fakeServer((transactions) =>
      transactions.some((transaction) => transaction.id === 'bad')
        ? { status: 400 }
        : { status: 200, results: transactions.map((transaction) => result(transaction.id, 'accepted')) },
    );
    await uploadBatch(deps(server.http, storage), await storage.pending(10));
    expect(server.received).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
    expect(await storage.counts()).toEqual({ pending: 0, synced: 2, quarantined: 1 });
  });

  it.each([408, 404])(
    'keeps the queue as it was on a %i (a proxy answering during a deploy), and syncs it later',
    async (status) => {
      const storage = memoryStorage();
      await storage.commit({ append: ['a', 'b'].map(queued) });
      let up = false;
      const server = fakeServer((transactions) =>
        up
          ? { status: 200, results: transactions.map((transaction) => result(transaction.id, 'accepted')) }
          : { status },
      );
      await expect(uploadBatch(deps(server.http, storage), await storage.pending(10))).rejects.toBeInstanceOf(
        SyncUnavailableError,
      );
      expect(server.received).toEqual([['a', 'b']]);
      expect(await storage.counts()).toEqual({ pending: 2, synced: 0, quarantined: 0 });
      up = true;
      expect(await drainQueue(deps(server.http, storage), 10)).toMatchObject({ accepted: 2 });
      expect(await storage.counts()).toEqual({ pending: 0, synced: 2, quarantined: 0 });
    },
  );

  it('quarantines one transaction sent alone only on a problem document that judges it', async () => {
    const storage = memoryStorage();
    await storage.commit({ append: [queued('a')] });
    const noProblem: HttpPort = {
      request: async () => ({ status: 422, header: () => null, body: null }),
    };
    await expect(uploadBatch(deps(noProblem, storage), await storage.pending(10))).rejects.toBeInstanceOf(
      SyncUnavailableError,
    );
    expect(await storage.find('a')).toMatchObject({ status: 'pending' });
    await uploadBatch(deps(fakeServer(() => ({ status: 422 })).http, storage), await storage.pending(10));
    expect(await storage.find('a')).toMatchObject({
      status: 'quarantined',
      error: { code: 'validation_failed' },
    });
  });
});

describe('drainQueue', () => {
  it('uploads batch after batch while there is progress, then stops', async () => {
    const storage = memoryStorage();
    await storage.commit({ append: Array.from({ length: 7 }, (_, index) => queued(`t${index}`)) });
    const server = fakeServer((transactions) => ({
      status: 200,
      results: transactions.map((transaction) =>
        transaction.id === 't6'
          ? result(transaction.id, 'rejected', { retryable: true, code: 'service_unavailable' })
          : result(transaction.id, 'accepted'),
      ),
    }));
    const outcome = await drainQueue(deps(server.http, storage), 3);
    expect(server.received).toEqual([['t0', 't1', 't2'], ['t3', 't4', 't5'], ['t6']]);
    expect(outcome).toMatchObject({ sent: 7, accepted: 6, retryable: 1 });
  });
});
