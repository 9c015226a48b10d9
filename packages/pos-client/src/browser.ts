/** Browser terminals: everything in the SDK plus durable storage in IndexedDB. */
export * from './index.js';
export { indexedDbStorage, type IdbFactory } from './indexeddb.storage.js';
