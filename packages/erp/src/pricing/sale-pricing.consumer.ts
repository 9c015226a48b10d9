import {
  PriceMismatchDetectedV1,
  SaleCompletedV1,
  type CloudEvent,
  type PriceMismatchDetectedV1Data,
  type Quote,
  type SaleCompletedV1Data,
} from '@tillstream/contracts';
import {
  rowsPerTransaction,
  type ConsumerSpec,
  type Db,
  type IdGenerator,
  type Outbox,
  type Clock,
  type Tx,
} from '@tillstream/kernel';
import {
  isPricingError,
  quote,
  withProducts,
  type CompiledPricing,
  type CompiledRules,
} from '@tillstream/pricing';
import { saleDifference, saleQuoteInput } from './mismatch.decide.js';
import type { MismatchStore } from './mismatch.store.js';
import type { PricingSource } from './pricing.source.js';
import { saleUsageStep } from './redemption.decide.js';
import type { RedemptionStore } from './redemption.store.js';

type Finding = Pick<
  PriceMismatchDetectedV1Data,
  'reason' | 'referenceSnapshotVersion' | 'expectedTotal' | 'lines' | 'promotionIds'
>;

const tryQuote = (pricing: CompiledPricing, sale: SaleCompletedV1Data): Quote | null => {
  try {
    return quote(pricing, saleQuoteInput(sale));
  } catch (error) {
    if (isPricingError(error)) return null;
    throw error;
  }
};

export interface SalePricingDeps {
  db: Db;
  outbox: Outbox;
  ids: IdGenerator;
  clock: Clock;
  source: PricingSource;
  redemptions: RedemptionStore;
  mismatches: MismatchStore;
}

/**
 * ERP prices every arriving store sale again, with the snapshot the sale names when ERP minted it (else with
 * live pricing at the sale's instant), and raises a mismatch when the till's figures differ (`price_differs`) or
 * the tax it added on top does (`tax_differs`), or when they match an older snapshot than the one a polling till
 * would have had then and that newer one prices them differently (`stale_snapshot`). The limited promotions the sale used are counted; a use past the
 * limit is raised too (`usage_limit_exceeded`). The sale itself stands: it happened.
 */
export function salePricingConsumer(deps: SalePricingDeps): ConsumerSpec {
  const { source, redemptions } = deps;

  /**
   * Live pricing is read once per transaction, the products of the whole batch at once (a product query per
   * sale was 2 % of the CPU under ingest): neither rules nor products change inside it, as this consumer
   * writes findings and redemptions only.
   */
  const productsOf = rowsPerTransaction(
    (tx, skus) => source.products(tx, skus),
    (product) => product.sku,
  );
  const rulesIn = new WeakMap<Tx, CompiledRules>();
  async function live(tx: Tx, skus: readonly string[]): Promise<CompiledPricing> {
    let rules = rulesIn.get(tx);
    if (!rules) {
      rules = (await source.currentRules(tx)).compiled;
      rulesIn.set(tx, rules);
    }
    const products = await productsOf(tx, skus);
    return withProducts(
      rules,
      skus.flatMap((sku) => products.get(sku) ?? []),
      null,
    );
  }

  async function findings(
    tx: Tx,
    sale: SaleCompletedV1Data,
  ): Promise<{ found: Finding[]; priced: Quote | null }> {
    const named = sale.pricing?.snapshotVersion ?? null;
    const basis = named === null ? null : await source.snapshot(tx, named);
    const priced = tryQuote(
      basis ??
        (await live(
          tx,
          sale.lines.map((line) => line.sku),
        )),
      sale,
    );
    const reference = basis ? named : null;
    if (!priced)
      return {
        found: [
          {
            reason: 'unpriceable',
            referenceSnapshotVersion: reference,
            expectedTotal: null,
            lines: [],
            promotionIds: [],
          },
        ],
        priced,
      };
    const difference = saleDifference(sale, priced);
    if (difference)
      return {
        found: [
          {
            ...difference,
            referenceSnapshotVersion: reference,
            expectedTotal: priced.totals.total,
            promotionIds: [],
          },
        ],
        priced,
      };
    const inEffect = named === null || !basis ? null : await source.versionAt(tx, sale.occurredAt);
    if (inEffect !== null && inEffect > named!) {
      const fresh = tryQuote((await source.snapshot(tx, inEffect))!, sale);
      const stale = fresh ? saleDifference(sale, fresh) : null;
      if (fresh && stale)
        return {
          found: [
            {
              reason: 'stale_snapshot',
              referenceSnapshotVersion: inEffect,
              expectedTotal: fresh.totals.total,
              lines: stale.lines,
              promotionIds: [],
            },
          ],
          priced,
        };
    }
    return { found: [], priced };
  }

  /**
   * Counts the limited promotions the sale used (see `saleUsageStep`): a till that redeemed them online under the
   * sale's id had them counted already, and the sale adopts that redemption; one its till gave back is counted
   * again, as is a sale sold offline.
   */
  async function countUsage(tx: Tx, sale: SaleCompletedV1Data, priced: Quote | null): Promise<Finding[]> {
    const limited = (priced?.promotions ?? [])
      .filter((entry) => entry.limited)
      .map((entry) => entry.promotionId);
    if (limited.length === 0) return [];
    const step = saleUsageStep(await redemptions.find(tx, sale.saleId));
    if (step === 'counted') return [];
    // Released or redeemed under the sale's id meanwhile: throwing rolls back the uses taken here and the retry
    // decides again on what committed.
    const changed = () => new Error(`Redemption ${sale.saleId} changed concurrently; retrying the sale`);
    if (step === 'adopt') {
      if (await redemptions.adopt(tx, sale.saleId)) return [];
      throw changed();
    }
    const customerId = sale.pricing?.customerId ?? null;
    const { exhausted } = await redemptions.consume(tx, limited, customerId, sale.saleId);
    const taken = { promotionIds: limited.filter((id) => !exhausted.includes(id)), customerId };
    const now = deps.clock.now().toISOString();
    const written =
      step === 'recount'
        ? await redemptions.reclaim(tx, sale.saleId, taken)
        : await redemptions.insert(
            tx,
            { id: sale.saleId, source: 'sale', ...taken, requestHash: '', result: { redeemedAt: now } },
            now,
          );
    if (!written) throw changed();
    if (exhausted.length === 0) return [];
    return [
      {
        reason: 'usage_limit_exceeded',
        referenceSnapshotVersion: priced!.snapshotVersion,
        expectedTotal: null,
        lines: [],
        promotionIds: exhausted,
      },
    ];
  }

  async function raise(
    tx: Tx,
    event: CloudEvent,
    sale: SaleCompletedV1Data,
    finding: Finding,
  ): Promise<void> {
    const data: PriceMismatchDetectedV1Data = {
      mismatchId: deps.ids.next(),
      saleId: sale.saleId,
      storeId: sale.storeId,
      terminalId: sale.terminalId,
      occurredAt: sale.occurredAt,
      currency: sale.currency,
      saleSnapshotVersion: sale.pricing?.snapshotVersion ?? null,
      actualTotal: sale.total,
      ...finding,
    };
    if (!(await deps.mismatches.record(tx, data, deps.clock.now().toISOString()))) return;
    await deps.outbox.append(tx, [
      {
        contract: PriceMismatchDetectedV1,
        subject: `price-mismatch/${data.mismatchId}`,
        sequence: 1,
        partitionKey: sale.storeId,
        data,
      },
    ]);
  }

  return {
    name: 'erp.sale-pricing',
    db: deps.db,
    sources: ['pos'],
    types: [SaleCompletedV1.type],
    async prepare(events, tx) {
      const priced = events
        .map((event) => event.data as SaleCompletedV1Data)
        .filter((sale) => (sale.pricing?.snapshotVersion ?? null) === null);
      await productsOf(
        tx,
        priced.flatMap((sale) => sale.lines.map((line) => line.sku)),
      );
    },
    async handle(event, tx) {
      const sale = event.data as SaleCompletedV1Data;
      const { found, priced } = await findings(tx, sale);
      found.push(...(await countUsage(tx, sale, priced)));
      for (const finding of found) await raise(tx, event, sale, finding);
    },
  };
}
