export { createErp, type ErpDeps } from './erp.context.js';
export { verifyLedger, type LedgerReport } from './inventory/ledger-check.js';
