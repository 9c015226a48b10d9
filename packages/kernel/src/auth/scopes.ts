/**
 * Scopes per calling system. `admin` implies every scope. A POS terminal key gets `pos:write` and `pos:read`
 * bound to its terminal, so it can ring up sales but cannot change prices or stock (`erp:write`). `pos:manage` is
 * a store manager's: store-wide POS reads (e.g. every till's quarantine), of its own store when the key names one.
 * `analytics:read` reads the head-office reports (sales and products of every store and channel).
 * `erp:hold` is a selling channel's (POS's and commerce's service keys): hold, commit and release stock, redeem
 * and release promotion uses, but never change a product, a price or a stock level. `erp:write` implies it, so
 * a key made before it existed keeps every route it had. `commerce:storefront` is a storefront server's: it
 * grants no route, but names the caller, so that its calls to the public routes (for all its shoppers, from one
 * address) are not rate-limited.
 */
export const SCOPES = [
  'admin',
  'erp:read',
  'erp:write',
  'erp:hold',
  'pos:read',
  'pos:write',
  'pos:manage',
  'commerce:read',
  'commerce:write',
  'commerce:storefront',
  'hub:read',
  'hub:write',
  'analytics:read',
] as const;

export type Scope = (typeof SCOPES)[number];

export interface Principal {
  keyId: string;
  name: string;
  scopes: readonly Scope[];
  /** Set on a terminal's own key: it may act only as this terminal of this store. */
  terminalId: string | null;
  storeId: string | null;
}

/** Scopes that grant another besides themselves (`admin` grants all). */
const IMPLIED: Partial<Record<Scope, readonly Scope[]>> = { 'erp:write': ['erp:hold'] };

export function hasScope(principal: Principal, required: Scope): boolean {
  return principal.scopes.some(
    (scope) => scope === 'admin' || scope === required || IMPLIED[scope]?.includes(required) === true,
  );
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
