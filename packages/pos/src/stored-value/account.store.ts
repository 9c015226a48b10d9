import {
  StoredValueExpiredV1,
  StoredValueIssuedV1,
  StoredValueRedeemedV1,
  StoredValueRedemptionCancelledV1,
} from '@tillstream/contracts';
import {
  asNumber,
  rowLock,
  type Clock,
  type Db,
  type NewEvent,
  type Outbox,
  type Tx,
} from '@tillstream/kernel';
import type { Account, StoredValueKind } from './stored-value.decide.js';

type Reader = Pick<Tx, 'query' | 'dialect'> | Pick<Db, 'query' | 'dialect'>;

interface AccountRow {
  number: string;
  kind: StoredValueKind;
  currency: string;
  balance: number | string;
  version: number | string;
  issued_at: string;
  updated_at: string;
  expires_at: string | null;
  store_id: string | null;
}

const toAccount = (row: AccountRow): Account => ({
  number: row.number,
  kind: row.kind,
  currency: row.currency,
  balance: asNumber(row.balance),
  version: asNumber(row.version),
  issuedAt: row.issued_at,
  updatedAt: row.updated_at,
  expiresAt: row.expires_at,
  storeId: row.store_id,
});

/** Where a change of balance happened and why: the document that caused it. */
export interface Cause {
  storeId: string;
  terminalId: string;
  occurredAt: string;
  /** `issue/<id>`, `return/<id>`, `redemption/<id>`, `sale/<id>`: with the account version, unique. */
  reference: string;
  /** What paid for value sold onto a card, published with it for the books. */
  payments?: readonly { method: string; amount: number }[];
  /** The cash rounding of those payments (they add up to the amount + this) and its rule, for the books. */
  cashRounding?: number;
  cashRoundingRule?: { increment: number; current: boolean };
  /** The card's expiry after an issue or a refund (null: none), as `expiryAfterIssue` or `expiryAfterRefund` decided it. */
  expiresAt?: string | null;
}

/**
 * Gift card and store credit accounts with their ledger. Every balance change writes its movement and its event
 * in the caller's transaction; debits are conditional UPDATEs (`balance >= amount`), so concurrent redemptions
 * on either engine take turns on the row and the loser finds the balance already spent.
 */
export function createAccountStore(deps: { outbox: Outbox; clock: Clock }) {
  const account = async (reader: Reader, number: string, lock = false): Promise<Account | null> => {
    const suffix = rowLock(reader, lock);
    const [row] = await reader.query<AccountRow>(
      `SELECT * FROM stored_value_accounts WHERE number = $1${suffix}`,
      [number],
    );
    return row ? toAccount(row) : null;
  };

  /** An event about a card, ordered by the card's version so consumers can tell old news from new. */
  const publishAccountEvent = (tx: Tx, contract: NewEvent['contract'], after: Account, data: object) =>
    deps.outbox.append(tx, [
      {
        contract,
        subject: `stored-value/${after.number}`,
        sequence: after.version,
        partitionKey: after.number,
        data,
      },
    ]);

  const movement = async (tx: Tx, after: Account, kind: string, amount: number, cause: Cause) => {
    await tx.execute(
      `INSERT INTO stored_value_movements (id, number, kind, amount, balance_after, version, reference, occurred_at,
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        `${after.number}/${after.version}`,
        after.number,
        kind,
        amount,
        after.balance,
        after.version,
        cause.reference,
        cause.occurredAt,
        deps.clock.now().toISOString(),
      ],
    );
  };

  const accountData = (after: Account, cause: Cause) => ({
    number: after.number,
    kind: after.kind,
    currency: after.currency,
    balance: after.balance,
    version: after.version,
    storeId: cause.storeId,
    terminalId: cause.terminalId,
    occurredAt: cause.occurredAt,
  });

  /** Takes `amount` off only if the balance covers it; null when it does not (or the account does not exist). */
  const debit = async (tx: Tx, number: string, amount: number): Promise<Account | null> => {
    const [row] = await tx.query<AccountRow>(
      `UPDATE stored_value_accounts SET balance = balance - $1, version = version + 1, updated_at = $2
       WHERE number = $3 AND balance >= $1 RETURNING *`,
      [amount, deps.clock.now().toISOString(), number],
    );
    return row ? toAccount(row) : null;
  };

  return {
    account,
    debit,
    /** Puts value on an account, opening it on first use; the caller checked kind and currency. */
    async credit(
      tx: Tx,
      target: { number: string; kind: StoredValueKind; currency: string },
      amount: number,
      movementKind: 'issued' | 'refunded' | 'cancelled' | 'expired',
      cause: Cause,
    ): Promise<Account> {
      const at = deps.clock.now().toISOString();
      await tx.execute(
        `INSERT INTO stored_value_accounts (number, kind, currency, balance, version, issued_at, updated_at)
         VALUES ($1, $2, $3, 0, 0, $4, $4) ON CONFLICT DO NOTHING`,
        [target.number, target.kind, target.currency, at],
      );
      // Value sold or refunded onto a card comes from a store: the one whose books take it if it lapses. It
      // also sets the expiry its issue or return decided.
      const fromStore = movementKind === 'issued' || movementKind === 'refunded';
      const [row] = await tx.query<AccountRow>(
        `UPDATE stored_value_accounts SET balance = balance + $1, version = version + 1, updated_at = $2
           ${fromStore ? ', store_id = $4, expires_at = $5' : ''}
         WHERE number = $3 RETURNING *`,
        [amount, at, target.number, ...(fromStore ? [cause.storeId, cause.expiresAt ?? null] : [])],
      );
      const after = toAccount(row!);
      await movement(tx, after, movementKind, amount, cause);
      if (movementKind === 'cancelled' || movementKind === 'expired') {
        await publishAccountEvent(tx, StoredValueRedemptionCancelledV1, after, {
          ...accountData(after, cause),
          amount,
          redemptionId: cause.reference.split('/')[1]!,
          reason: movementKind,
        });
      } else {
        await publishAccountEvent(tx, StoredValueIssuedV1, after, {
          ...accountData(after, cause),
          amount,
          cause: { kind: movementKind === 'issued' ? 'sold' : 'refunded', reference: cause.reference },
          ...(cause.payments
            ? { payments: cause.payments.map(({ method, amount: paid }) => ({ method, amount: paid })) }
            : {}),
          ...(cause.cashRounding && cause.cashRoundingRule
            ? {
                cashRounding: cause.cashRounding,
                cashRoundingRule: {
                  increment: cause.cashRoundingRule.increment,
                  current: cause.cashRoundingRule.current,
                },
              }
            : {}),
          ...(after.expiresAt ? { expiresAt: after.expiresAt } : {}),
        });
      }
      return after;
    },
    /** Records a debit already taken by `debit` in the ledger and publishes it. */
    async redeemed(
      tx: Tx,
      after: Account,
      amount: number,
      cause: Cause & { online: boolean; saleId?: string },
    ) {
      await movement(tx, after, 'redeemed', -amount, cause);
      await publishAccountEvent(tx, StoredValueRedeemedV1, after, {
        ...accountData(after, cause),
        amount,
        online: cause.online,
        reference: cause.reference,
        ...(cause.saleId ? { saleId: cause.saleId } : {}),
      });
    },
    /**
     * Cards with value that expire before `before`, soonest first (then by number), after the cursor: the
     * ones to remind their holders of, and the breakage to expect.
     */
    async expiring(
      reader: Reader,
      page: { before: string; after: { expiresAt: string; number: string } | null; limit: number },
    ): Promise<Account[]> {
      const params: Array<string | number> = [page.before];
      const cursor = page.after
        ? `AND (expires_at, number) > ($${params.push(page.after.expiresAt)}, $${params.push(page.after.number)})`
        : '';
      const rows = await reader.query<AccountRow>(
        `SELECT * FROM stored_value_accounts WHERE expires_at < $1 AND balance > 0 ${cursor}
         ORDER BY expires_at, number LIMIT $${params.push(page.limit)}`,
        params,
      );
      return rows.map(toAccount);
    },
    /** Per currency, how many cards with value expire before `before` and what they hold. */
    async expiringTotals(reader: Reader, before: string) {
      const rows = await reader.query<{ currency: string; cards: unknown; balance: unknown }>(
        `SELECT currency, COUNT(*) AS cards, SUM(balance) AS balance FROM stored_value_accounts
         WHERE expires_at < $1 AND balance > 0 GROUP BY currency ORDER BY currency`,
        [before],
      );
      return rows.map((row) => ({
        currency: row.currency,
        cards: asNumber(row.cards),
        balance: asNumber(row.balance),
      }));
    },
    /** Cards whose expiry passed by `now` with value still on them, soonest first. */
    async dueLapses(reader: Reader, now: string, limit: number): Promise<string[]> {
      const rows = await reader.query<{ number: string }>(
        `SELECT number FROM stored_value_accounts WHERE expires_at <= $1 AND balance > 0
         ORDER BY expires_at LIMIT $2`,
        [now, limit],
      );
      return rows.map((row) => row.number);
    },
    /**
     * Records that a lapsed card's whole balance was taken off by `debit` (`after` is the account then) and
     * publishes it, so the books take the value as breakage at the store that put it there.
     */
    async lapsed(tx: Tx, after: Account, amount: number, expiredAt: string) {
      const expiresAt = after.expiresAt!;
      await movement(tx, after, 'balance_expired', -amount, {
        storeId: after.storeId!,
        terminalId: '',
        occurredAt: expiresAt,
        reference: `expiry/${expiresAt}`,
      });
      await publishAccountEvent(tx, StoredValueExpiredV1, after, {
        number: after.number,
        kind: after.kind,
        currency: after.currency,
        balance: after.balance,
        version: after.version,
        // Only an issue sets an expiry, and an issue sets the store: a card that can lapse has both.
        storeId: after.storeId!,
        amount,
        expiresAt,
        expiredAt,
      });
    },
    async movements(reader: Reader, number: string, limit: number) {
      const rows = await reader.query<Record<string, string | number>>(
        `SELECT * FROM stored_value_movements WHERE number = $1 ORDER BY version LIMIT $2`,
        [number, limit],
      );
      return rows.map((row) => ({
        version: asNumber(row.version),
        kind: String(row.kind),
        amount: asNumber(row.amount),
        balanceAfter: asNumber(row.balance_after),
        reference: String(row.reference),
        occurredAt: String(row.occurred_at),
        recordedAt: String(row.recorded_at),
      }));
    },
  };
}
