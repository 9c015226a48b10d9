import FindMyWay from 'find-my-way';
import type { FastifyInstance } from 'fastify';

/**
 * Which methods answer a path, for the `Allow` header of a 405: a request to a route that exists, with a
 * method it does not take (`PATCH /erp/v1/products/{sku}`), is told which ones it does, instead of hearing
 * that there is no such route. Every route is also entered, as it is registered, into a router of its own
 * (the one Fastify itself routes with, set up alike), which only a request that found no route consults.
 */
export function trackAllowedMethods(
  app: FastifyInstance,
  routerOptions: { ignoreTrailingSlash: boolean; maxParamLength: number },
): (path: string) => string[] {
  const router = FindMyWay(routerOptions);
  const methods = new Set<string>();
  const entered = new Set<string>();
  app.addHook('onRoute', (route) => {
    // A catch-all (CORS's `OPTIONS *`) answers every path: it says nothing of which methods a path takes.
    if (route.url === '*' || route.url === '/*') return;
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      const key = `${method} ${route.url}`;
      if (entered.has(key)) continue;
      entered.add(key);
      methods.add(method);
      router.on(method as FindMyWay.HTTPMethod, route.url, () => undefined);
    }
  });
  return (path) => [...methods].filter((method) => router.find(method as FindMyWay.HTTPMethod, path)).sort();
}
