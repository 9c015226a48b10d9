/** Node terminals: everything in the SDK plus durable storage in a SQLite file. */
export * from './index.js';
export { sqliteStorage } from './sqlite.storage.js';
