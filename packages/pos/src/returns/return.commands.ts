import { conflict, unprocessable, type Clock, type Db } from '@tillstream/kernel';
import type { Directory } from '../directory/directory.js';
import { claimReceiptNumber } from '../receipts.js';
import type { Recorded } from '../sales/sale.commands.js';
import { authorizePoster, type Poster } from '../sales/sale.decide.js';
import { registerTerminal } from '../sales/sale.store.js';
import type { ShiftStore } from '../shifts/shift.store.js';
import {
  decideReturn,
  returnFingerprint,
  type NoReceiptPolicy,
  type ReturnCommand,
  type SaleReturn,
} from './return.decide.js';
import type { ReturnStore, StoredReturn } from './return.store.js';

/** Recording a return, from POST /returns or a sync batch: checked against its receipt inside the transaction. */
export function createReturnCommands(deps: {
  db: Db;
  clock: Clock;
  returns: ReturnStore;
  directory: Directory;
  shifts: ShiftStore;
  policy: NoReceiptPolicy;
}) {
  const { db, returns, directory, shifts, policy } = deps;
  return {
    async record(command: ReturnCommand, poster: Poster): Promise<Recorded<SaleReturn>> {
      authorizePoster(poster, command);
      const requestHash = returnFingerprint(command);
      const replay = (stored: StoredReturn): Recorded<SaleReturn> => {
        if (stored.requestHash !== requestHash)
          throw conflict('id_conflict', `Return ${command.id} exists with another body`);
        return { created: false, document: stored.saleReturn, late: false };
      };
      const existing = await returns.find(db, command.id);
      if (existing) return replay(existing);
      const store = await directory.location(command.storeId);
      if (!store) throw unprocessable('unknown_location', `No location ${command.storeId}`);
      if (store.kind !== 'store')
        throw unprocessable('location_kind_mismatch', `${command.storeId} is a ${store.kind}, not a store`);
      const unknown = await directory.unknownSkus(command.lines.map((line) => line.sku));
      if (unknown.length > 0)
        throw unprocessable('unknown_sku', `Unknown SKU(s): ${unknown.join(', ')}`, { skus: unknown });
      return db.transaction(async (tx): Promise<Recorded<SaleReturn>> => {
        const original = command.originalSaleId
          ? await returns.original(tx, command.originalSaleId, true)
          : null;
        if (command.originalSaleId && !original)
          throw unprocessable(
            'original_sale_not_found',
            `No sale ${command.originalSaleId} to return against`,
          );
        const saleReturn = decideReturn(command, original, policy);
        if (!(await returns.insert(tx, saleReturn, requestHash)))
          return replay((await returns.find(tx, command.id))!);
        await registerTerminal(tx, saleReturn.terminalId, saleReturn.storeId, deps.clock.now().toISOString());
        await claimReceiptNumber(tx, saleReturn.terminalId, saleReturn.receiptNo, saleReturn.id);
        const late = saleReturn.shiftId
          ? await shifts.recordDocument(tx, saleReturn.shiftId, saleReturn)
          : false;
        return { created: true, document: saleReturn, late };
      });
    },
  };
}

export type ReturnCommands = ReturnType<typeof createReturnCommands>;
