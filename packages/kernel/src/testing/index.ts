export * from './context-harness.js';
export * from './empty-database.js';
