export * from './envelope.js';
export * from './common.js';
export * from './catalog.js';
export * from './errors.js';
export * from './events/pos.events.js';
export * from './events/erp.events.js';
