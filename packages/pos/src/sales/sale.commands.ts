import { conflict, keepOrigin, type Tx } from '@tillstream/kernel';
import type { Directory } from '../directory/directory.js';
import { assertKnownSkus, knownStore } from '../directory/known-store.js';
import { claimReceiptNumber } from '../receipts.js';
import type { ShiftStore } from '../shifts/shift.store.js';
import type { BatchScope } from '../sync/batch.scope.js';
import { cashRoundingRuleOf } from './cash-rounding.decide.js';
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

/**
 * Recording a store sale, from POST /sales or from a terminal's sync batch: the same checks either way. Alone
 * it reads what it needs and commits in a transaction of its own; in a batch it takes the batch's read-ahead
 * lookups and writes in the batch's transaction (the caller wraps it in a savepoint).
 */
export function createSaleCommands(deps: {
  sales: SaleStore;
  directory: Directory;
  shifts: ShiftStore;
  /** Debits the gift cards and store credit a sale spent, in the sale's own transaction. */
  settleStoredValue: (tx: Tx, sale: Sale) => Promise<void>;
}) {
  const { sales, directory, shifts } = deps;
  return {
    async record(command: SaleCommand, poster: Poster, batch?: BatchScope): Promise<Recorded<Sale>> {
      authorizePoster(poster, command);
      const inRequest = keepOrigin();
      const requestHash = saleFingerprint(command);
      const replay = (stored: StoredSale): Recorded<Sale> => {
        if (stored.requestHash !== requestHash)
          throw conflict('id_conflict', `Sale ${command.id} exists with another body`);
        return { created: false, document: stored.sale, late: false };
      };
      const existing = batch
        ? (batch.storedSales.get(command.id) ?? null)
        : await sales.find(sales.reader, command.id);
      if (existing) return replay(existing);
      const known = batch?.directory ?? directory;
      const store = await knownStore(known, command.storeId);
      await assertKnownSkus(known, command.lines);
      const sale = decideSale(command, cashRoundingRuleOf(store));
      const within = async (tx: Tx) => {
        await claimReceiptNumber(tx, sale.terminalId, sale.receiptNo, sale.id);
        await deps.settleStoredValue(tx, sale);
        return sale.shiftId ? shifts.recordDocument(tx, sale.shiftId, sale) : false;
      };
      const { created, stored, late } = batch
        ? await sales.write(batch.tx, sale, requestHash, within)
        : await inRequest(() => sales.insert(sale, requestHash, within));
      return created ? { created, document: stored.sale, late } : replay(stored);
    },
  };
}

export type SaleCommands = ReturnType<typeof createSaleCommands>;
