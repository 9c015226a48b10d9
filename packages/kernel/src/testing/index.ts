export * from './context-harness.js';
