import { conflict, unprocessable } from '@tillstream/kernel';
import type { Directory } from '../directory/directory.js';
import { claimReceiptNumber } from '../receipts.js';
import type { ShiftStore } from '../shifts/shift.store.js';
import {
  authorizePoster,
  decideSale,
  saleFingerprint,
  type Poster,
  type Sale,
  type SaleCommand,
} from './sale.decide.js';
import type { SaleStore, StoredSale } from './sale.store.js';

export interface Recorded<T> {
  created: boolean;
  document: T;
  /** It belongs to a shift that had closed before it arrived. */
  late: boolean;
}

/** Recording a store sale, from POST /sales or from a terminal's sync batch: the same checks either way. */
export function createSaleCommands(deps: { sales: SaleStore; directory: Directory; shifts: ShiftStore }) {
  const { sales, directory, shifts } = deps;
  return {
    async record(command: SaleCommand, poster: Poster): Promise<Recorded<Sale>> {
      authorizePoster(poster, command);
      const requestHash = saleFingerprint(command);
      const replay = (stored: StoredSale): Recorded<Sale> => {
        if (stored.requestHash !== requestHash)
          throw conflict('id_conflict', `Sale ${command.id} exists with another body`);
        return { created: false, document: stored.sale, late: false };
      };
      const existing = await sales.find(sales.reader, command.id);
      if (existing) return replay(existing);
      const store = await directory.location(command.storeId);
      if (!store) throw unprocessable('unknown_location', `No location ${command.storeId}`);
      if (store.kind !== 'store')
        throw unprocessable('location_kind_mismatch', `${command.storeId} is a ${store.kind}, not a store`);
      const unknown = await directory.unknownSkus(command.lines.map((line) => line.sku));
      if (unknown.length > 0)
        throw unprocessable('unknown_sku', `Unknown SKU(s): ${unknown.join(', ')}`, { skus: unknown });
      const sale = decideSale(command);
      const { created, stored, late } = await sales.insert(sale, requestHash, async (tx) => {
        await claimReceiptNumber(tx, sale.terminalId, sale.receiptNo, sale.id);
        return sale.shiftId ? shifts.recordDocument(tx, sale.shiftId, sale) : false;
      });
      return created ? { created, document: stored.sale, late } : replay(stored);
    },
  };
}

export type SaleCommands = ReturnType<typeof createSaleCommands>;
