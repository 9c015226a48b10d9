import { expect } from 'vitest';
import { uniqueName } from '@tillstream/kernel/testing';
import { eventually, startPlatform, type TestPlatform } from './platform.js';
import type { EngineName } from './engines.js';

/** A product as the storefront shows it. */
export interface View {
  sku: string;
  name: string;
  kind: string;
  price: { amount: number; currency: string };
  compareAtPrice: { amount: number; currency: string } | null;
  available: number;
  inStock: boolean;
  gtins: string[];
  version: string;
  components?: Array<{ sku: string; quantity: number }>;
}

export const ok = <T extends { status: number; body: unknown }>(response: T, what: string): T => {
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
};

/** Scale-out runs two commerce instances: each keeps its own cache and must converge on its own. */
export const startCatalogPlatform = (engine: EngineName) =>
  startPlatform(engine, engine === 'scale-out' ? { instances: { commerce: 2 } } : {});

/** What the catalog tests do to a platform: `platform` is read at each call, as it is started in a hook. */
export function catalogProbe(platform: () => TestPlatform) {
  const commerceUrls = () => [
    ...new Set(
      platform()
        .processes.get('commerce')!
        .map((server) => server.baseUrl),
    ),
  ];

  /** GET on one commerce instance directly (the platform's request round-robins between them). */
  const getFrom = async (baseUrl: string, path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, { headers });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };

  const putProduct = async (body: Record<string, unknown>, sku = uniqueName('SKU')) => {
    ok(
      await platform().request('PUT', `/erp/v1/products/${sku}`, {
        name: sku,
        price: { amount: 500, currency: 'EUR' },
        ...body,
      }),
      'put product',
    );
    return sku;
  };

  /** ERP's per-channel figure, the source of truth. */
  const erpAvailable = async (sku: string) =>
    ok(await platform().request('GET', `/erp/v1/availability?channel=web&skus=${sku}`), 'availability').body
      .products[0].available as number;

  /** Waits until every commerce instance shows `expected` for the SKU and ERP's own view says the same. */
  const converge = async (sku: string, expected: number): Promise<View> => {
    expect(await erpAvailable(sku)).toBe(expected);
    let view: View | null = null;
    for (const baseUrl of commerceUrls()) {
      view = await eventually(
        async () => {
          const response = await getFrom(baseUrl, `/commerce/v1/products/${sku}`);
          return response.status === 200 && response.body.available === expected
            ? (response.body as View)
            : null;
        },
        20_000,
        `${sku} shows ${expected} on ${baseUrl}`,
      );
    }
    return view!;
  };

  return { commerceUrls, getFrom, putProduct, erpAvailable, converge };
}
