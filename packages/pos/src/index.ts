export { createPos, type PosDeps } from './pos.context.js';
export type { ErpLookup, KnownLocation, KnownProduct } from './directory/directory.js';
export type { TerminalKeys } from './terminals/terminal.keys.js';
export type { NoReceiptPolicy } from './returns/return.decide.js';
export type {
  ErpPromotions,
  PromotionRedeemRequest,
  PromotionRedeemResult,
  PromotionReleaseResult,
} from './promotions/promotion.port.js';
