export { createPos, type PosDeps } from './pos.context.js';
export type { ErpLookup, KnownLocation, KnownProduct } from './directory/directory.js';
