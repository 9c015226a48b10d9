export { createErp } from './erp.context.js';
