import type { ZReport } from '@tillstream/contracts';
import type { HttpPort, SyncResult, Tender } from '@tillstream/pos-client/browser';

/** The server answered with a problem (problem+json): its stable code and what it said. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A sale as the server recorded it (GET /pos/v1/sales/{id}). */
export interface ServerSale {
  id: string;
  terminalId: string;
  occurredAt: string;
  currency: string;
  lines: Array<{ lineNo: number; sku: string; quantity: number; unitPrice: number; discount?: number }>;
  payments: Tender[];
  total: number;
  shiftId?: string;
  receiptNo?: string;
}

/** A shift and its Z-report (GET /pos/v1/shifts/{id}); an open shift's report is the running (X) figure. */
export interface ShiftReport {
  id: string;
  terminalId: string;
  storeId: string;
  seq: number;
  currency: string;
  status: 'open' | 'closed';
  openedAt: string | null;
  openingFloat: number | null;
  closedAt: string | null;
  countedCash: number | null;
  revision: number;
  report: ZReport;
}

/** A transaction the server refused for good, kept with its reason (GET /pos/v1/quarantine). */
export interface QuarantinedTransaction {
  terminalId: string;
  transactionId: string;
  type: string;
  code: string;
  detail: string;
  attempts: number;
  firstSeenAt: string;
  lastSeenAt: string;
  transaction: { receiptNo?: string; occurredAt?: string; [key: string]: unknown };
}

/** What the store takes back without a receipt (GET /pos/v1/return-policy); `maxTotal` in minor units. */
export interface NoReceiptPolicy {
  allowed: boolean;
  maxTotal: number;
  refundMethods: string[];
}

/**
 * Where a click-and-collect order stands at the store's desk (the server works it out): `cancelled` means its
 * goods were put aside and must go back on the shelf; `restocked`, cancelled with nothing left to do.
 */
export type CollectionStatus = 'preparing' | 'ready' | 'collected' | 'cancelled' | 'restocked';

/** What one till did to a collection, and when. */
export interface TillAct {
  terminalId: string;
  at: string;
}

/** A click-and-collect order waiting at this till's store (GET /pos/v1/collections/{fulfilmentId}). */
export interface CollectionView {
  fulfilmentId: string;
  orderId: string;
  storeId: string;
  status: CollectionStatus;
  collector: { name: string; phone: string | null };
  /** `name` is null for a SKU POS has not heard of. */
  lines: Array<{ sku: string; name: string | null; quantity: number }>;
  readyAt: string | null;
  collectedAt: string | null;
  cancelledAt: string | null;
  prepared: TillAct | null;
  handedOver: TillAct | null;
  /** The till that put a cancelled order's goods back on the shelf. */
  putBack: TillAct | null;
  erpVersion: number;
}

/** Pages of a store's collection list read at most: 1,000 collections, far more than a desk holds. */
const COLLECTION_PAGES = 5;

/**
 * The reads and the few actions (a quarantine retry, the collection desk's) the screens ask of the POS API with
 * the terminal's own key. A request that gets no answer throws the SDK's NetworkError; an answer that is not 2xx throws ApiError with its code.
 */
export function serverApi(http: HttpPort, terminalId: string) {
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const response = await http.request(method, path, body === undefined ? {} : { body });
    if (response.status >= 200 && response.status < 300) return response.body as T;
    const problem = (response.body ?? {}) as { code?: string; detail?: string; title?: string };
    throw new ApiError(
      response.status,
      problem.code ?? `http_${response.status}`,
      problem.detail ?? problem.title ?? `The server answered ${response.status}`,
    );
  };
  const terminal = encodeURIComponent(terminalId);
  return {
    sale: (id: string) => call<ServerSale>('GET', `/pos/v1/sales/${encodeURIComponent(id)}`),
    /** The sale of a receipt number of any till of this store (the server never answers another store's). */
    saleByReceipt: async (receiptNo: string) =>
      (
        await call<{ sales: ServerSale[] }>(
          'GET',
          `/pos/v1/sales?receiptNo=${encodeURIComponent(receiptNo)}&limit=1`,
        )
      ).sales[0] ?? null,
    returnPolicy: () => call<NoReceiptPolicy>('GET', '/pos/v1/return-policy'),
    shift: (id: string) => call<ShiftReport>('GET', `/pos/v1/shifts/${encodeURIComponent(id)}`),
    shifts: async (limit = 10) =>
      (await call<{ shifts: ShiftReport[] }>('GET', `/pos/v1/shifts?terminalId=${terminal}&limit=${limit}`))
        .shifts,
    quarantine: async () =>
      (
        await call<{ transactions: QuarantinedTransaction[] }>(
          'GET',
          `/pos/v1/quarantine?terminalId=${terminal}&limit=200`,
        )
      ).transactions,
    /** Every till's quarantine in a store: needs a manager's key (`pos:manage`), not the till's own. */
    storeQuarantine: async (storeId: string) =>
      (
        await call<{ transactions: QuarantinedTransaction[] }>(
          'GET',
          `/pos/v1/quarantine?storeId=${encodeURIComponent(storeId)}&limit=200`,
        )
      ).transactions,
    retryQuarantined: (transactionId: string) =>
      call<SyncResult>(
        'POST',
        `/pos/v1/quarantine/${terminal}/${encodeURIComponent(transactionId)}/retry`,
        {},
      ),
    /**
     * The store's collections in `status` (`open`: to prepare and ready; `cancelled`: goods to put back), oldest
     * first, page after page while the server says there is more (up to the cap).
     */
    collections: async (storeId: string, status: 'open' | CollectionStatus) => {
      const found: CollectionView[] = [];
      let after: string | null = null;
      for (let page = 0; page < COLLECTION_PAGES; page += 1) {
        const cursor: string = after === null ? '' : `&after=${encodeURIComponent(after)}`;
        const answer: { collections: CollectionView[]; next: string | null } = await call(
          'GET',
          `/pos/v1/stores/${encodeURIComponent(storeId)}/collections?status=${status}&limit=200${cursor}`,
        );
        found.push(...answer.collections);
        after = answer.next;
        if (after === null) break;
      }
      return found;
    },
    /** One collection as it stands now, to learn what became of it after an act was refused. */
    collection: (fulfilmentId: string) =>
      call<CollectionView>('GET', `/pos/v1/collections/${encodeURIComponent(fulfilmentId)}`),
    /** Put aside for its shopper: ready. A repeat answers the collection as it is (no key needed). */
    prepareCollection: (fulfilmentId: string) =>
      call<CollectionView>('POST', `/pos/v1/collections/${encodeURIComponent(fulfilmentId)}/prepare`, {
        terminalId,
      }),
    /** Handed over to its shopper: collected. A repeat answers the collection as it is. */
    handOverCollection: (fulfilmentId: string) =>
      call<CollectionView>('POST', `/pos/v1/collections/${encodeURIComponent(fulfilmentId)}/hand-over`, {
        terminalId,
      }),
    /** A cancelled order's goods are back on the shelf: restocked. A repeat answers the collection as it is. */
    putBackCollection: (fulfilmentId: string) =>
      call<CollectionView>('POST', `/pos/v1/collections/${encodeURIComponent(fulfilmentId)}/put-back`, {
        terminalId,
      }),
  };
}

export type ServerApi = ReturnType<typeof serverApi>;
