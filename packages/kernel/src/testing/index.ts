export * from './context-harness.js';
export * from './empty-database.js';
export * from './unique-name.js';
export * from './free-port.js';
export * from './scale-out-cleanup.js';
export * from './tcp-proxy.js';
export * from './full-disk.js';
