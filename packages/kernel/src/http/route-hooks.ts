/**
 * A route's hooks of one kind with `hook` first, as a new array: the HEAD twin Fastify derives from a GET
 * shares the GET's original options, so they must not be mutated. Hooks attached this way run only on the routes
 * that need them, instead of on every request of the scope.
 */
export function withRouteHook<Hook>(existing: Hook | Hook[] | undefined, hook: Hook): Hook[] {
  if (existing === undefined) return [hook];
  return [hook, ...(Array.isArray(existing) ? existing : [existing])];
}
