import { createAnalytics } from '@tillstream/analytics';
import { createCommerce } from '@tillstream/commerce';
import { createErp } from '@tillstream/erp';
import { createHub } from '@tillstream/hub';
import { createPos, type TerminalKeys } from '@tillstream/pos';
import type { ApiKeyStore, ContextDeps, ContextModule } from '@tillstream/kernel';
import type { Config } from './config.js';
import type { ErpPorts } from './erp-ports.js';
import { webhookSettings } from './webhook-settings.js';

export const CONTEXTS = ['erp', 'pos', 'commerce', 'hub', 'analytics'] as const;
export type ContextName = (typeof CONTEXTS)[number];

/** A terminal's key: POS scopes only, bound to that terminal and store. */
const terminalKeys = (apiKeys: ApiKeyStore): TerminalKeys => ({
  issue: async ({ terminalId, storeId, name }) => {
    const key = await apiKeys.create({
      name: `terminal:${storeId}/${name}`,
      scopes: ['pos:read', 'pos:write'],
      terminalId,
      storeId,
    });
    return { keyId: key.id, secret: key.secret };
  },
  revoke: async (keyId) => {
    await apiKeys.revoke(keyId);
  },
});

/** One context's module: what every context gets, plus the settings and ports only that one needs. */
export function createContextModule(
  name: ContextName,
  deps: ContextDeps,
  wiring: { config: Config; apiKeys: ApiKeyStore; erpPorts: ErpPorts },
): ContextModule {
  const { config, erpPorts } = wiring;
  switch (name) {
    case 'erp':
      return createErp({
        ...deps,
        holdSweepIntervalMs: config.holdSweepIntervalMs,
        pricingSnapshotRetentionHours: config.pricingSnapshotRetentionHours,
        supplierPaymentTermsDays: config.supplierPaymentTermsDays,
      });
    case 'pos':
      return createPos({
        ...deps,
        erp: erpPorts.posLookup,
        terminalKeys: terminalKeys(wiring.apiKeys),
        promotions: erpPorts.posPromotions,
        storedValueHoldSeconds: config.storedValueHoldSeconds,
        storeCreditValidityDays: config.storeCreditValidityDays,
        storedValueSweepIntervalMs: config.storedValueSweepIntervalMs,
        pricingRefreshMs: config.pricingRefreshMs,
      });
    case 'commerce':
      return createCommerce({
        ...deps,
        cacheMaxAgeSeconds: config.storefrontCacheMaxAgeSeconds,
        erp: erpPorts.commerce,
        // Checkout's lease must outlast its calls to ERP: they time out as ERP look-ups do.
        erpTimeoutMs: config.erpLookupTimeoutMs,
        testPayments: config.allowTestPayments,
        checkoutHoldSeconds: config.checkoutHoldSeconds,
        cartExpirySeconds: config.cartExpirySeconds,
        cartSweepIntervalMs: config.cartSweepIntervalMs,
        collectionHoldDays: config.collectionHoldDays,
        pricingRefreshMs: config.pricingRefreshMs,
      });
    case 'hub':
      return createHub({
        ...deps,
        // Analytics publishes nothing: its log would only be one more stream to follow.
        sources: CONTEXTS.filter((context) => context !== 'hub' && context !== 'analytics'),
        webhooks: webhookSettings(config),
      });
    case 'analytics':
      return createAnalytics(deps);
  }
}
