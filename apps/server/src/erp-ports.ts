import type { ErpPort } from '@tillstream/commerce';
import type { ErpLookup, ErpPromotions } from '@tillstream/pos';
import type { ApiKeyStore, HttpApp, IdGenerator, Logger } from '@tillstream/kernel';
import { createCommerceErp } from './commerce-erp.js';
import { httpErpCall, inProcessErpCall, type ErpCall } from './erp-caller.js';
import { createErpLookup } from './pos-erp-lookup.js';
import { createPosPromotions } from './pos-promotions.js';

/** The ports through which POS and commerce call ERP synchronously. */
export interface ErpPorts {
  /** What POS's projection lacks: a location or SKU first seen, and the snapshot its terminals price with. */
  posLookup: ErpLookup;
  /** A sale's limited promotions, redeemed as it is recorded. */
  posPromotions: ErpPromotions;
  /** Pricing, reservations and redemptions for the storefront's checkout. */
  commerce: ErpPort;
  /** Revokes the service keys issued for this process; a key not revoked only outlives its process. */
  revokeKeys(): Promise<void>;
}

/**
 * Wires POS's and commerce's ports onto one ERP caller: in-process when ERP runs in this process (embedded),
 * over HTTP to `erpUrl` otherwise, both with the same timeout. Each calling context gets a key of its own,
 * issued at each start because several instances run at once, and revoked when the process stops.
 */
export async function connectErpPorts(deps: {
  app: HttpApp;
  apiKeys: ApiKeyStore;
  ids: IdGenerator;
  logger: Logger;
  /** The contexts this process runs. */
  contexts: readonly string[];
  erpUrl: string | undefined;
  timeoutMs: number;
}): Promise<ErpPorts> {
  const { app, apiKeys, contexts, timeoutMs } = deps;
  // erp:hold, never erp:write: POS redeems a sale's limited coupons; commerce holds stock and redeems an order's.
  const issueKey = async (context: 'pos' | 'commerce') =>
    contexts.includes(context)
      ? apiKeys.create({ name: `service:${context}/${deps.ids.next()}`, scopes: ['erp:read', 'erp:hold'] })
      : null;
  const posKey = await issueKey('pos');
  const commerceKey = await issueKey('commerce');

  const callAs = (key: { secret: string } | null): ErpCall => {
    const secret = () => key?.secret ?? '';
    return contexts.includes('erp')
      ? inProcessErpCall(app, secret, timeoutMs)
      : httpErpCall(deps.erpUrl ?? 'http://127.0.0.1:8080', secret, timeoutMs);
  };
  const posCall = callAs(posKey);

  return {
    posLookup: createErpLookup(posCall),
    posPromotions: createPosPromotions(posCall),
    commerce: createCommerceErp(callAs(commerceKey)),
    async revokeKeys() {
      for (const key of [posKey, commerceKey]) {
        if (key)
          await apiKeys
            .revoke(key.id)
            .catch((error: unknown) =>
              deps.logger.warn({ err: error, keyId: key.id }, 'service key not revoked'),
            );
      }
    },
  };
}
