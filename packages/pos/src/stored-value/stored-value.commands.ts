import { conflict, keepOrigin, notFound, type Clock, type Db, type Tx } from '@tillstream/kernel';
import type { Directory } from '../directory/directory.js';
import { knownStore } from '../directory/known-store.js';
import { claimReceiptNumber } from '../receipts.js';
import { cashRoundingRuleOf } from '../sales/cash-rounding.decide.js';
import type { Recorded } from '../sales/sale.commands.js';
import {
  authorizePoster,
  STORED_VALUE_METHODS,
  type Poster,
  type Sale,
  type Tender,
} from '../sales/sale.decide.js';
import { registerTerminal } from '../sales/sale.store.js';
import type { SaleReturn } from '../returns/return.decide.js';
import type { ShiftStore } from '../shifts/shift.store.js';
import {
  checkRedeemable,
  checkRefundable,
  decideIssue,
  expiryAfterIssue,
  expiryAfterRefund,
  hasLapsed,
  holdExpiresAt,
  isExpiredHold,
  issueFingerprint,
  planOfflineDebit,
  redemptionFingerprint,
  settleWithRedemption,
  type Issue,
  type IssueCommand,
  type Redemption,
  type RedemptionCommand,
  type StoredValueKind,
} from './stored-value.decide.js';
import type { StoredValueStore } from './stored-value.store.js';

/**
 * Gift cards and store credit: sold (issued) and redeemed online through their own endpoints, and settled
 * inside the transaction of the sale or return that spends or refunds them, so a balance changes exactly once
 * per document however often it is sent.
 */
export function createStoredValueCommands(deps: {
  db: Db;
  clock: Clock;
  store: StoredValueStore;
  directory: Directory;
  shifts: ShiftStore;
  /** How long an online hold waits for its sale before the sweeper gives it back, in seconds. */
  holdSeconds: number;
  /** How long store credit opened or topped up by a return stays valid, in days; 0: for ever. */
  storeCreditValidityDays: number;
}) {
  const { db, store, directory, shifts } = deps;

  /**
   * What the sweeper found due, each settled in a transaction of its own (one failing does not undo the others);
   * `expired` counts those `settle` changed.
   */
  async function eachInItsOwnTransaction(
    due: readonly string[],
    settle: (tx: Tx, key: string) => Promise<boolean>,
  ): Promise<{ found: number; expired: number }> {
    let expired = 0;
    for (const key of due) if (await db.transaction((tx) => settle(tx, key))) expired += 1;
    return { found: due.length, expired };
  }

  /** Credits a held redemption back to its card; the caller moved it out of `held` in the same transaction. */
  async function giveBack(tx: Tx, redemption: Redemption, reason: 'cancelled' | 'expired'): Promise<void> {
    const account = (await store.account(tx, redemption.number))!;
    await store.credit(tx, account, redemption.amount, reason, {
      storeId: redemption.storeId,
      terminalId: redemption.terminalId,
      occurredAt: deps.clock.now().toISOString(),
      reference: `redemption/${redemption.id}`,
    });
  }

  /** Takes a sale's offline payment off the card: in full, or what is left and an exception for the rest. */
  async function debitOffline(tx: Tx, sale: Sale, tender: Tender, index: number): Promise<void> {
    const number = tender.reference!;
    const cause = { storeId: sale.storeId, terminalId: sale.terminalId, occurredAt: sale.occurredAt };
    const redeem = async (amount: number) => {
      const after = await store.debit(tx, number, amount);
      if (!after) return false;
      await store.redeemed(tx, after, amount, {
        ...cause,
        reference: `sale/${sale.id}`,
        online: false,
        saleId: sale.id,
      });
      return true;
    };
    const plan = planOfflineDebit(await store.account(tx, number, true), tender.amount, sale.currency);
    if (plan.covered > 0 && !(await redeem(plan.covered)))
      throw new Error(`The balance of ${number} changed under its row lock`);
    if (plan.reason === null) return;
    await store.raiseException(tx, {
      id: `${sale.id}/${index + 1}`,
      number,
      saleId: sale.id,
      ...cause,
      currency: sale.currency,
      reason: plan.reason,
      requested: tender.amount,
      covered: plan.covered,
      shortfall: plan.shortfall,
      raisedAt: deps.clock.now().toISOString(),
    });
  }

  return {
    /** Sells (or tops up) a gift card; idempotent by the issue's client-made id. */
    async issue(command: IssueCommand, poster: Poster): Promise<Recorded<Issue>> {
      authorizePoster(poster, command);
      const inRequest = keepOrigin();
      const requestHash = issueFingerprint(command);
      const replay = (found: { issue: Issue; requestHash: string }): Recorded<Issue> => {
        if (found.requestHash !== requestHash)
          throw conflict('id_conflict', `Issue ${command.id} exists with another body`);
        return { created: false, document: found.issue, late: false };
      };
      const existing = await store.findIssue(db, command.id);
      if (existing) return replay(existing);
      const rounding = cashRoundingRuleOf(await knownStore(directory, command.storeId));
      return inRequest(() =>
        db.transaction(async (tx): Promise<Recorded<Issue>> => {
          const existing = await store.account(tx, command.number, true);
          const issue = decideIssue(existing, command, rounding);
          if (!(await store.insertIssue(tx, issue, requestHash)))
            return replay((await store.findIssue(tx, command.id))!);
          await registerTerminal(tx, issue.terminalId, issue.storeId, deps.clock.now().toISOString());
          await claimReceiptNumber(tx, issue.terminalId, issue.receiptNo, issue.id);
          await store.credit(tx, issue, issue.amount, 'issued', {
            ...issue,
            reference: `issue/${issue.id}`,
            expiresAt: expiryAfterIssue(existing, command),
          });
          const late = issue.shiftId ? await shifts.recordDocument(tx, issue.shiftId, issue) : false;
          return { created: true, document: issue, late };
        }),
      );
    },

    /**
     * Holds value of a card for a sale about to complete, online: debited now, or 409 `insufficient_balance`.
     * Idempotent by its client-made id, so a terminal that timed out may ask again.
     */
    async redeem(
      command: RedemptionCommand,
      poster: Poster,
    ): Promise<{ created: boolean; redemption: Redemption }> {
      authorizePoster(poster, command);
      const inRequest = keepOrigin();
      const requestHash = redemptionFingerprint(command);
      const replay = (found: { redemption: Redemption; requestHash: string }) => {
        if (found.requestHash !== requestHash)
          throw conflict('id_conflict', `Redemption ${command.id} exists with another body`);
        return { created: false, redemption: found.redemption };
      };
      const existing = await store.findRedemption(db, command.id);
      if (existing) return replay(existing);
      return inRequest(() =>
        db.transaction(async (tx) => {
          const redemption: Redemption = {
            ...command,
            status: 'held',
            saleId: null,
            expiresAt: holdExpiresAt(deps.clock.now(), deps.holdSeconds),
          };
          if (!(await store.insertRedemption(tx, redemption, requestHash)))
            return replay((await store.findRedemption(tx, command.id))!);
          // Throwing rolls the redemption row back with the transaction. The row lock (PostgreSQL) or the single
          // writer (SQLite) makes concurrent redemptions take turns; the conditional debit is the guard either way.
          const account = checkRedeemable(
            await store.account(tx, command.number, true),
            command,
            deps.clock.now(),
          );
          const after = await store.debit(tx, command.number, command.amount);
          if (!after)
            throw conflict('insufficient_balance', `${command.number} holds less than ${command.amount}`, {
              balance: account.balance,
            });
          await store.redeemed(tx, after, command.amount, {
            storeId: command.storeId,
            terminalId: command.terminalId,
            occurredAt: deps.clock.now().toISOString(),
            reference: `redemption/${command.id}`,
            online: true,
          });
          return { created: true, redemption };
        }),
      );
    },

    /**
     * Gives a held redemption back to its card (the sale was abandoned); a redemption a sale used stays, and one
     * that expired is back on its card already.
     */
    async cancel(id: string, poster: Poster): Promise<Redemption> {
      return db.transaction(async (tx) => {
        const found = await store.findRedemption(tx, id, true);
        if (!found) throw notFound('stored_value_redemption_not_found', `No redemption ${id}`);
        const { redemption } = found;
        authorizePoster(poster, redemption);
        if (redemption.status === 'cancelled' || redemption.status === 'expired') return redemption;
        if (redemption.status === 'claimed' || !(await store.moveRedemption(tx, id, { status: 'cancelled' })))
          throw conflict(
            'stored_value_redemption_claimed',
            `Redemption ${id} paid for sale ${redemption.saleId}`,
          );
        await giveBack(tx, redemption, 'cancelled');
        return { ...redemption, status: 'cancelled' };
      });
    },

    /**
     * Gives back holds past their expiry at `now` that no sale claimed (the sweeper), up to `limit`. A sale that
     * names one later is still taken: it debits the card as if rung offline.
     */
    async expireDue(limit: number, now = deps.clock.now()): Promise<{ found: number; expired: number }> {
      const due = await store.dueHolds(db, now.toISOString(), limit);
      return eachInItsOwnTransaction(due, async (tx, id) => {
        // Locked and checked again: a sale or a cancel may have moved it since it was listed.
        const found = await store.findRedemption(tx, id, true);
        if (!found || !isExpiredHold(found.redemption, now)) return false;
        if (!(await store.moveRedemption(tx, id, { status: 'expired' }))) return false;
        await giveBack(tx, found.redemption, 'expired');
        return true;
      });
    },

    /**
     * Lapses the value left on cards past their expiry at `now` (the sweeper), up to `limit`: the balance goes
     * to zero and the books take it as breakage. A sale rung offline before the expiry that arrives after finds
     * the card empty and raises a shortfall, as for any spent card.
     */
    async lapseDue(limit: number, now = deps.clock.now()): Promise<{ found: number; expired: number }> {
      const due = await store.dueLapses(db, now.toISOString(), limit);
      return eachInItsOwnTransaction(due, async (tx, number) => {
        // Locked and checked again: a redemption or another POS instance may have moved it since.
        const account = await store.account(tx, number, true);
        if (!account || !hasLapsed(account, now)) return false;
        const after = await store.debit(tx, number, account.balance);
        if (!after) throw new Error(`The balance of ${number} changed under its row lock`);
        await store.lapsed(tx, after, account.balance, now.toISOString());
        return true;
      });
    },

    /**
     * In the transaction that records a sale: each gift card or store credit payment claims its online hold,
     * or is debited now (offline). A sale is never refused for a balance: it happened, so what the card did not
     * cover is raised as an exception instead.
     */
    async settleSale(tx: Tx, sale: Sale): Promise<void> {
      // Cards in number order: two sales spending the same two cards lock them in the same order (no deadlock).
      const spent = [...sale.payments.entries()]
        .filter(([, tender]) => STORED_VALUE_METHODS.has(tender.method) && tender.amount > 0)
        .sort(([, left], [, right]) => (left.reference! < right.reference! ? -1 : 1));
      for (const [index, tender] of spent) {
        let found = tender.redemptionId ? await store.findRedemption(tx, tender.redemptionId, true) : null;
        if (tender.redemptionId && !found) {
          // The hold was asked for but is not here (its answer was lost, or it never arrived). The sale takes its
          // id as claimed before debiting, so a hold request that lands later is answered as a replay and never
          // debits the card a second time; if that request committed meanwhile, the sale claims it instead.
          const redemption: Redemption = {
            id: tender.redemptionId,
            number: tender.reference!,
            amount: tender.amount,
            currency: sale.currency,
            storeId: sale.storeId,
            terminalId: sale.terminalId,
            status: 'claimed',
            saleId: sale.id,
            expiresAt: deps.clock.now().toISOString(),
          };
          if (await store.insertRedemption(tx, redemption, redemptionFingerprint(redemption))) {
            await debitOffline(tx, sale, tender, index);
            continue;
          }
          found = await store.findRedemption(tx, tender.redemptionId, true);
        }
        const how = settleWithRedemption(found?.redemption ?? null, tender, sale.id);
        if (how === 'claimed') continue;
        if (
          how === 'claim' &&
          (await store.moveRedemption(tx, tender.redemptionId!, { status: 'claimed', saleId: sale.id }))
        )
          continue;
        await debitOffline(tx, sale, tender, index);
      }
    },

    /** In the transaction that records a return: refunds to store credit or an issued gift card go onto it. */
    async creditRefunds(tx: Tx, saleReturn: SaleReturn): Promise<void> {
      for (const tender of saleReturn.refunds) {
        if (!STORED_VALUE_METHODS.has(tender.method) || tender.amount === 0) continue;
        const target = {
          number: tender.reference!,
          kind: tender.method as StoredValueKind,
          currency: saleReturn.currency,
        };
        const existing = await store.account(tx, target.number, true);
        checkRefundable(existing, target, saleReturn.occurredAt);
        await store.credit(tx, target, tender.amount, 'refunded', {
          storeId: saleReturn.storeId,
          terminalId: saleReturn.terminalId,
          occurredAt: saleReturn.occurredAt,
          reference: `return/${saleReturn.id}`,
          expiresAt: expiryAfterRefund(
            existing,
            target.kind,
            saleReturn.occurredAt,
            deps.storeCreditValidityDays,
          ),
        });
      }
    },
  };
}

export type StoredValueCommands = ReturnType<typeof createStoredValueCommands>;
