export { createCommerce, type CommerceDeps } from './commerce.context.js';
export type {
  ErpPort,
  HoldRequest,
  HoldResult,
  RedeemRequest,
  RedeemResult,
  ShortLine,
  SnapshotRead,
} from './erp.port.js';
export type {
  PaymentProvider,
  PaymentRequest,
  PaymentResult,
  RefundRequest,
  RefundResult,
} from './checkout/payment.port.js';
