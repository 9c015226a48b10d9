import type { QueueStatus, QueuedTransaction, TerminalStorage } from './storage.port.js';

/*
 * The few parts of IndexedDB this adapter uses, typed structurally so the SDK compiles without the DOM
 * library; a browser's `indexedDB` fits them.
 */
interface IdbEvents {
  addEventListener(type: string, listener: () => void): void;
}
interface IdbRequest<T = unknown> extends IdbEvents {
  readonly result: T;
  readonly error: unknown;
}
interface IdbCursor {
  readonly value: unknown;
  continue(): void;
}
interface IdbSource {
  get(key: string): IdbRequest;
  count(key?: string): IdbRequest<number>;
  openCursor(query?: string | null, direction?: 'next' | 'prev'): IdbRequest<IdbCursor | null>;
}
interface IdbStore extends IdbSource {
  add(value: unknown): IdbRequest;
  put(value: unknown): IdbRequest;
  index(name: string): IdbSource;
  createIndex(name: string, keyPath: string, options?: { unique?: boolean }): unknown;
}
interface IdbTransaction extends IdbEvents {
  objectStore(name: string): IdbStore;
  readonly error: unknown;
}
interface IdbDatabase {
  createObjectStore(name: string, options?: { keyPath?: string; autoIncrement?: boolean }): IdbStore;
  transaction(
    stores: string[],
    mode: 'readonly' | 'readwrite',
    options?: { durability?: 'default' | 'strict' | 'relaxed' },
  ): IdbTransaction;
  close(): void;
}
/** `window.indexedDB`. */
export interface IdbFactory {
  open(
    name: string,
    version?: number,
  ): IdbRequest<IdbDatabase> & { readonly transaction: IdbTransaction | null };
}

interface Record_ extends QueuedTransaction {
  seq?: number;
}

const done = <T>(request: IdbRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.addEventListener('success', () => resolve(request.result));
    request.addEventListener('error', () => reject(request.error));
  });

const committed = (tx: IdbTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.addEventListener('complete', () => resolve());
    tx.addEventListener('error', () => reject(tx.error));
    tx.addEventListener('abort', () => reject(tx.error ?? new Error('IndexedDB transaction aborted')));
  });

async function collect(source: IdbSource, query: string | null, limit: number, direction: 'next' | 'prev') {
  const found: Record_[] = [];
  await new Promise<void>((resolve, reject) => {
    const request = source.openCursor(query, direction);
    request.addEventListener('error', () => reject(request.error));
    request.addEventListener('success', () => {
      const cursor = request.result;
      if (!cursor || found.length >= limit) return resolve();
      found.push(cursor.value as Record_);
      cursor.continue();
    });
  });
  return found;
}

const strip = ({ seq: _seq, ...entry }: Record_): QueuedTransaction => entry;

/**
 * The terminal's store in IndexedDB (browsers). Every write is one readwrite transaction opened with
 * `durability: 'strict'`, and resolves only on its `complete` event: the sale is on disk before the till
 * says it is done. Queue order is the store's auto-incremented key.
 */
export async function indexedDbStorage(factory: IdbFactory, name: string): Promise<TerminalStorage> {
  const opening = factory.open(name, 1);
  opening.addEventListener('upgradeneeded', () => {
    const queue = opening.result.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
    queue.createIndex('id', 'id', { unique: true });
    queue.createIndex('status', 'status');
    opening.result.createObjectStore('state', { keyPath: 'key' });
  });
  const db = await done(opening);
  const write = async (stores: string[], work: (tx: IdbTransaction) => Promise<void>) => {
    const tx = db.transaction(stores, 'readwrite', { durability: 'strict' });
    const finished = committed(tx);
    await work(tx);
    await finished;
  };
  const read = (store: string) => db.transaction([store], 'readonly').objectStore(store);

  return {
    async commit(change) {
      await write(['queue', 'state'], async (tx) => {
        const queue = tx.objectStore('queue');
        const state = tx.objectStore('state');
        for (const entry of change.append ?? []) queue.add(entry);
        for (const [key, value] of Object.entries(change.state ?? {})) state.put({ key, value });
      });
    },
    async pending(limit) {
      return (await collect(read('queue').index('status'), 'pending', limit, 'next')).map(strip);
    },
    async settle(settlements) {
      await write(['queue'], async (tx) => {
        const queue = tx.objectStore('queue');
        for (const settlement of settlements) {
          const existing = (await done(queue.index('id').get(settlement.id))) as Record_ | undefined;
          if (!existing) continue;
          const { syncedAt: _syncedAt, error: _error, ...rest } = existing;
          queue.put({ ...rest, ...settlement });
        }
      });
    },
    async counts() {
      const index = read('queue').index('status');
      const [pending, synced, quarantined] = await Promise.all(
        (['pending', 'synced', 'quarantined'] as const).map((status) => done(index.count(status))),
      );
      return { pending: pending!, synced: synced!, quarantined: quarantined! } satisfies Record<
        QueueStatus,
        number
      >;
    },
    async recent(limit, status) {
      const store = read('queue');
      const source = status === undefined ? store : store.index('status');
      return (await collect(source, status ?? null, limit, 'prev')).map(strip);
    },
    async find(id) {
      const found = (await done(read('queue').index('id').get(id))) as Record_ | undefined;
      return found ? strip(found) : null;
    },
    async get<T>(key: string) {
      const found = (await done(read('state').get(key))) as { value: T } | undefined;
      return found?.value;
    },
    async close() {
      db.close();
    },
  };
}
