import { PromotionUsageChangedV1 } from '@tillstream/contracts';
import { asNumber, type Db, type Outbox, type Tx } from '@tillstream/kernel';

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

interface UsageRow {
  used: number | string;
  usage_limit: number | string | null;
  version: number | string;
}

/** A sale or an order that consumed uses of limited promotions, and what it answered. */
export interface Redemption {
  id: string;
  /**
   * `order`: redeemed through POST /redemptions, by an order or an online till before its sale (releasable);
   * `sale`: the uses of a store sale that has arrived (ERP counted them, or the sale adopted its till's).
   */
  source: 'order' | 'sale';
  status: 'redeemed' | 'released';
  customerId: string | null;
  promotionIds: string[];
  requestHash: string;
  result: unknown;
}

/**
 * Usage of limited promotions. Each use is one conditional `UPDATE … SET used = used + 1 WHERE used < limit`
 * in the consuming transaction: the database row decides who gets the last use, on SQLite (one writer) and on
 * PostgreSQL (the row lock, then the condition checked again on the committed row), across any number of
 * processes. A per-customer limit is a second counter row, taken first, given back if the global one is full.
 */
export function createRedemptionStore(deps: { outbox: Outbox }) {
  async function publish(
    tx: Tx,
    promotionId: string,
    row: UsageRow,
    change: 'redeemed' | 'released',
    redemptionId: string,
    customerId: string | null,
  ) {
    await deps.outbox.append(tx, [
      {
        contract: PromotionUsageChangedV1,
        subject: `promotion-usage/${promotionId}`,
        sequence: asNumber(row.version),
        data: {
          promotionId,
          version: asNumber(row.version),
          change,
          redemptionId,
          customerId,
          used: asNumber(row.used),
          limit: row.usage_limit === null ? null : asNumber(row.usage_limit),
        },
      },
    ]);
  }

  async function takeCustomerUse(tx: Tx, promotionId: string, customerId: string | null): Promise<boolean> {
    const [limits] = await tx.query<{ per_customer_limit: number | string | null }>(
      'SELECT per_customer_limit FROM promotion_usage WHERE promotion_id = $1',
      [promotionId],
    );
    if (!limits || limits.per_customer_limit === null) return true;
    if (customerId === null) return false;
    await tx.execute(
      `INSERT INTO promotion_customer_usage (promotion_id, customer_id, used) VALUES ($1, $2, 0)
       ON CONFLICT DO NOTHING`,
      [promotionId, customerId],
    );
    const taken = await tx.execute(
      `UPDATE promotion_customer_usage SET used = used + 1
       WHERE promotion_id = $1 AND customer_id = $2 AND used < $3`,
      [promotionId, customerId, asNumber(limits.per_customer_limit)],
    );
    return taken === 1;
  }

  return {
    async find(reader: Reader, id: string): Promise<Redemption | null> {
      const [row] = await reader.query<{
        source: Redemption['source'];
        status: Redemption['status'];
        customer_id: string | null;
        promotion_ids: string;
        request_hash: string;
        result: string;
      }>('SELECT * FROM promotion_redemptions WHERE id = $1', [id]);
      return row
        ? {
            id,
            source: row.source,
            status: row.status,
            customerId: row.customer_id,
            promotionIds: JSON.parse(row.promotion_ids) as string[],
            requestHash: row.request_hash,
            result: JSON.parse(row.result) as unknown,
          }
        : null;
    },

    /**
     * Takes one use of each promotion (in id order, so two transactions never lock rows in opposite orders)
     * and returns the ones that had none left. Rolling back is the caller's choice: an order refuses the whole
     * redemption, a store sale that already happened keeps what it could take.
     */
    async consume(tx: Tx, promotionIds: readonly string[], customerId: string | null, redemptionId: string) {
      const exhausted: string[] = [];
      for (const promotionId of [...new Set(promotionIds)].sort()) {
        if (!(await takeCustomerUse(tx, promotionId, customerId))) {
          exhausted.push(promotionId);
          continue;
        }
        const [row] = await tx.query<UsageRow>(
          `UPDATE promotion_usage SET used = used + 1, version = version + 1
           WHERE promotion_id = $1 AND (usage_limit IS NULL OR used < usage_limit)
           RETURNING used, usage_limit, version`,
          [promotionId],
        );
        if (!row) {
          exhausted.push(promotionId);
          if (customerId !== null)
            await tx.execute(
              'UPDATE promotion_customer_usage SET used = used - 1 WHERE promotion_id = $1 AND customer_id = $2 AND used > 0',
              [promotionId, customerId],
            );
          continue;
        }
        await publish(tx, promotionId, row, 'redeemed', redemptionId, customerId);
      }
      return { exhausted };
    },

    /**
     * Gives the uses of a cancelled order (or a sale its till abandoned) back, unless the redemption changed
     * since the caller read it: false then, and nothing is given back. The status is claimed first, by a
     * conditional update (on PostgreSQL it waits for a concurrent `adopt` and checks the committed row again), so
     * a release and the arrival of the sale it was taken for never both win.
     */
    async release(tx: Tx, redemption: Redemption, at: string): Promise<boolean> {
      const claimed = await tx.execute(
        `UPDATE promotion_redemptions SET status = 'released', released_at = $2
         WHERE id = $1 AND source = 'order' AND status = 'redeemed'`,
        [redemption.id, at],
      );
      if (claimed === 0) return false;
      for (const promotionId of [...redemption.promotionIds].sort()) {
        const [row] = await tx.query<UsageRow>(
          `UPDATE promotion_usage SET used = used - 1, version = version + 1
           WHERE promotion_id = $1 AND used > 0 RETURNING used, usage_limit, version`,
          [promotionId],
        );
        if (redemption.customerId !== null)
          await tx.execute(
            'UPDATE promotion_customer_usage SET used = used - 1 WHERE promotion_id = $1 AND customer_id = $2 AND used > 0',
            [promotionId, redemption.customerId],
          );
        if (row) await publish(tx, promotionId, row, 'released', redemption.id, redemption.customerId);
      }
      return true;
    },

    /**
     * The arriving sale takes over the uses its till redeemed online under its id: from now on they are the
     * sale's and no release gives them back. False when the redemption is no longer a live online one (released
     * meanwhile): the caller decides again.
     */
    async adopt(tx: Tx, id: string): Promise<boolean> {
      const adopted = await tx.execute(
        `UPDATE promotion_redemptions SET source = 'sale'
         WHERE id = $1 AND source = 'order' AND status = 'redeemed'`,
        [id],
      );
      return adopted === 1;
    },

    /**
     * Makes a redemption released before its sale arrived the sale's again, with the uses the caller has just
     * taken for it. False when it is no longer a released online one.
     */
    async reclaim(tx: Tx, id: string, taken: { promotionIds: string[]; customerId: string | null }) {
      const reclaimed = await tx.execute(
        `UPDATE promotion_redemptions SET source = 'sale', status = 'redeemed', released_at = NULL,
           promotion_ids = $2, customer_id = $3
         WHERE id = $1 AND source = 'order' AND status = 'released'`,
        [id, JSON.stringify(taken.promotionIds), taken.customerId],
      );
      return reclaimed === 1;
    },

    /**
     * Records the redemption; false when one with its id was written meanwhile (on PostgreSQL, by a concurrent
     * transaction that committed while this one waited on the key). The caller then rolls back the uses it took.
     */
    async insert(tx: Tx, redemption: Omit<Redemption, 'status'>, at: string): Promise<boolean> {
      const written = await tx.execute(
        `INSERT INTO promotion_redemptions (id, source, request_hash, status, customer_id, promotion_ids, result, created_at)
         VALUES ($1, $2, $3, 'redeemed', $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [
          redemption.id,
          redemption.source,
          redemption.requestHash,
          redemption.customerId,
          JSON.stringify(redemption.promotionIds),
          JSON.stringify(redemption.result),
          at,
        ],
      );
      return written === 1;
    },

    /** Uses so far, for the promotion's usage view. */
    async usage(reader: Reader, promotionId: string) {
      const [row] = await reader.query<UsageRow & { per_customer_limit: number | string | null }>(
        'SELECT used, usage_limit, per_customer_limit, version FROM promotion_usage WHERE promotion_id = $1',
        [promotionId],
      );
      return row
        ? {
            promotionId,
            used: asNumber(row.used),
            limit: row.usage_limit === null ? null : asNumber(row.usage_limit),
            perCustomerLimit: row.per_customer_limit === null ? null : asNumber(row.per_customer_limit),
          }
        : null;
    },
  };
}

export type RedemptionStore = ReturnType<typeof createRedemptionStore>;
