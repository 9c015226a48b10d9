import { conflict, keepOrigin, unprocessable, type Clock, type Db, type Tx } from '@tillstream/kernel';
import type { Directory } from '../directory/directory.js';
import { assertKnownSkus, knownStore } from '../directory/known-store.js';
import { claimReceiptNumber } from '../receipts.js';
import { cashRoundingRuleOf } from '../sales/cash-rounding.decide.js';
import type { Recorded } from '../sales/sale.commands.js';
import { authorizePoster, type Poster } from '../sales/sale.decide.js';
import { registerTerminal } from '../sales/sale.store.js';
import type { ShiftStore } from '../shifts/shift.store.js';
import { withCreditNumbers } from '../stored-value/stored-value.decide.js';
import type { BatchScope } from '../sync/batch.scope.js';
import {
  decideReturn,
  returnFingerprint,
  type NoReceiptPolicy,
  type ReturnCommand,
  type SaleReturn,
} from './return.decide.js';
import type { ReturnStore, StoredReturn } from './return.store.js';

/**
 * Recording a return, from POST /returns or a sync batch: checked against its receipt inside the transaction
 * (its own, or the batch's, with the batch's read-ahead lookups).
 */
export function createReturnCommands(deps: {
  db: Db;
  clock: Clock;
  returns: ReturnStore;
  directory: Directory;
  shifts: ShiftStore;
  policy: NoReceiptPolicy;
  /** Puts refunds to store credit or a gift card on its balance, in the return's own transaction. */
  creditRefunds: (tx: Tx, saleReturn: SaleReturn) => Promise<void>;
}) {
  const { db, returns, directory, shifts, policy } = deps;
  return {
    async record(command: ReturnCommand, poster: Poster, batch?: BatchScope): Promise<Recorded<SaleReturn>> {
      authorizePoster(poster, command);
      const inRequest = keepOrigin();
      const requestHash = returnFingerprint(command);
      const replay = (stored: StoredReturn): Recorded<SaleReturn> => {
        if (stored.requestHash !== requestHash)
          throw conflict('id_conflict', `Return ${command.id} exists with another body`);
        return { created: false, document: stored.saleReturn, late: false };
      };
      const existing = batch
        ? (batch.storedReturns.get(command.id) ?? null)
        : await returns.find(db, command.id);
      if (existing) return replay(existing);
      const known = batch?.directory ?? directory;
      const store = await knownStore(known, command.storeId);
      await assertKnownSkus(known, command.lines);
      const write = async (tx: Tx): Promise<Recorded<SaleReturn>> => {
        const original = command.originalSaleId
          ? await returns.original(tx, command.originalSaleId, true)
          : null;
        if (command.originalSaleId && !original)
          throw unprocessable(
            'original_sale_not_found',
            `No sale ${command.originalSaleId} to return against`,
          );
        const saleReturn = decideReturn(
          withCreditNumbers(command),
          original,
          policy,
          cashRoundingRuleOf(store),
        );
        if (!(await returns.insert(tx, saleReturn, requestHash)))
          return replay((await returns.find(tx, command.id))!);
        await registerTerminal(tx, saleReturn.terminalId, saleReturn.storeId, deps.clock.now().toISOString());
        await claimReceiptNumber(tx, saleReturn.terminalId, saleReturn.receiptNo, saleReturn.id);
        await deps.creditRefunds(tx, saleReturn);
        const late = saleReturn.shiftId
          ? await shifts.recordDocument(tx, saleReturn.shiftId, saleReturn)
          : false;
        return { created: true, document: saleReturn, late };
      };
      return batch ? write(batch.tx) : inRequest(() => db.transaction(write));
    },
  };
}

export type ReturnCommands = ReturnType<typeof createReturnCommands>;
