export { createCommerce, type CommerceDeps } from './commerce.context.js';
