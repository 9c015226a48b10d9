export { openTerminal, type Terminal } from './terminal.js';
export type {
  OfflineCardLimits,
  OpenShift,
  Receipt,
  TerminalOptions,
  TerminalStatus,
} from './terminal.types.js';
export { authoriseOfflineCards, DEFAULT_OFFLINE_CARD_LIMITS } from './tenders.js';
export {
  fetchHttp,
  NetworkError,
  type FetchHttpOptions,
  type HttpPort,
  type HttpResponse,
} from './http.port.js';
export type { QueueStatus, QueuedTransaction, Settlement, TerminalStorage } from './storage.port.js';
export { memoryStorage } from './memory.storage.js';
export { TerminalError, type TerminalErrorCode } from './errors.js';
export { MAX_AMOUNT } from './limits.js';
export {
  priceCart,
  settleTenders,
  cashDueOf,
  receiptNumber,
  refundFor,
  type CartLine,
  type PricedCart,
  type PricedLine,
  type TenderInput,
} from './cart.js';
export {
  receiptLeft,
  soldLineValue,
  uncollectedShareOf,
  type ReceiptLeft,
  type ReturnInput,
  type SoldLine,
} from './returns.js';
export { isOffered } from './catalog.cache.js';
export { drainQueue, uploadBatch, SyncUnavailableError, type SyncOutcome } from './sync.engine.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export type * from './wire.js';
