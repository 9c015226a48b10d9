import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { problem, sendProblem } from './problem.js';
import { takeToken, tokensAt, type Bucket } from './token-bucket.js';

/**
 * What one client address may ask of the API's public routes (storefront reads, carts, checkout) a minute;
 * 0 turns a limit off. Public routes are open to anyone, so without a limit one address could fill the
 * database with carts or guess coupon codes as fast as the server answers.
 */
export interface PublicRateLimits {
  /** GET and HEAD: the catalogue, a cart, an order. */
  readsPerMinute: number;
  /** Every other method: creating and changing carts, coupons, checkout. */
  writesPerMinute: number;
}

/** How often buckets that have filled up again are forgotten: a full bucket is the same as none. */
const SWEEP_INTERVAL_MS = 60_000;

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/**
 * The address a client is counted by: an IPv4 address as it is (also when it comes IPv4-mapped), an IPv6
 * address by its /64, the block one subscriber line is given, so that one household cannot count as 2^64
 * clients.
 */
export function clientAddress(ip: string): string {
  if (!ip.includes(':')) return ip;
  const mapped = IPV4_MAPPED.exec(ip);
  if (mapped) return mapped[1]!;
  const address = ip.split('%')[0]!;
  const [head = '', tail] = address.split('::');
  // A dotted IPv4 tail stands for two groups; `::` for as many zero groups as the address leaves out.
  const groupsOf = (part: string) =>
    part === '' ? [] : part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const before = groupsOf(head);
  const after = tail === undefined ? [] : groupsOf(tail);
  const left = tail === undefined ? 0 : 8 - before.length - after.length;
  const groups = [...before, ...Array<string>(left).fill('0'), ...after];
  const prefix = groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}

/**
 * One limit's buckets, by client address, and how it is told to clients: the RateLimit-Policy and RateLimit
 * fields of draft-ietf-httpapi-ratelimit-headers-11 (quota `q` a window of `w` seconds; `r` units remaining,
 * `t` seconds until the quota is whole again).
 */
class ClientBuckets {
  private readonly buckets = new Map<string, Bucket>();
  readonly policyField: string;

  constructor(
    readonly name: string,
    readonly perMinute: number,
  ) {
    this.policyField = `"${name}";q=${perMinute};w=60`;
  }

  take(client: string, nowMs: number) {
    const take = takeToken(this.buckets.get(client), nowMs, this.perMinute);
    this.buckets.set(client, take.bucket);
    return take;
  }

  sweep(nowMs: number): void {
    for (const [client, bucket] of this.buckets)
      if (tokensAt(bucket, nowMs, this.perMinute) >= this.perMinute) this.buckets.delete(client);
  }
}

/** Counts a request and calls `done`, or answers it 429 and does not. */
export type PublicRateLimit = (request: FastifyRequest, reply: FastifyReply, done: () => void) => void;

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Which limit counts a route's requests: none for a route that is not public or opted out (`rateLimit: false`:
 * health probes and metrics, which a load balancer and Prometheus call from one address), else the reads' or
 * the writes' (whether that limit is on is the limiter's business).
 */
export function publicLimitOf(
  route: Pick<RouteOptions, 'method' | 'config'>,
): 'reads' | 'writes' | undefined {
  if (route.config?.scope !== 'public' || route.config.rateLimit === false) return undefined;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return methods.some((method) => WRITE_METHODS.includes(method)) ? 'writes' : 'reads';
}

/** The limit that counts a route's requests under `limits`: publicLimitOf's, when that limit is on. */
export function countingLimitOf(
  route: Pick<RouteOptions, 'method' | 'config'>,
  limits: PublicRateLimits,
): 'reads' | 'writes' | undefined {
  const limit = publicLimitOf(route);
  const perMinute = limit === 'writes' ? limits.writesPerMinute : limits.readsPerMinute;
  return limit && perMinute > 0 ? limit : undefined;
}

/**
 * The public routes' limiter: `limitFor(route)` counts the route's requests, or is undefined when no limit
 * counts them (countingLimitOf).
 *
 * `identify` runs first: a request with a valid API key is not counted, as a headless storefront's server
 * calls the public API for all its shoppers from one address; its key says who it is, and can be revoked.
 * Counting is in this process's memory: on scale-out each instance counts what reaches it.
 */
export function publicRateLimiter(
  app: FastifyInstance,
  limits: PublicRateLimits,
  identify: (request: FastifyRequest) => Promise<void>,
): { limitFor(route: RouteOptions): PublicRateLimit | undefined } {
  const reads =
    limits.readsPerMinute > 0 ? new ClientBuckets('public-reads', limits.readsPerMinute) : undefined;
  const writes =
    limits.writesPerMinute > 0 ? new ClientBuckets('public-writes', limits.writesPerMinute) : undefined;
  if (reads || writes) {
    const timer = setInterval(() => {
      reads?.sweep(Date.now());
      writes?.sweep(Date.now());
    }, SWEEP_INTERVAL_MS).unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  /** Takes a token for the request, or answers 429 (and does not go on) when none is left. */
  function count(buckets: ClientBuckets, request: FastifyRequest, reply: FastifyReply, done: () => void) {
    const take = buckets.take(clientAddress(request.ip), Date.now());
    reply.header('ratelimit-policy', buckets.policyField);
    reply.header('ratelimit', `"${buckets.name}";r=${take.remaining};t=${Math.ceil(take.fullInMs / 1000)}`);
    if (take.allowed) return done();
    const retryAfterSeconds = Math.max(1, Math.ceil(take.retryAfterMs / 1000));
    reply.header('retry-after', retryAfterSeconds);
    sendProblem(
      reply,
      problem(
        request,
        429,
        'rate_limited',
        `More than ${buckets.perMinute} such requests a minute from this address; retry in ` +
          `${retryAfterSeconds} s, or send an API key`,
        { retryAfterSeconds },
      ),
    );
  }

  // Synchronous unless a key is sent: an async hook would cost a promise and a tick on every storefront read.
  const limitBy =
    (buckets: ClientBuckets): PublicRateLimit =>
    (request, reply, done) => {
      if (request.headers.authorization === undefined) return count(buckets, request, reply, done);
      identify(request).then(
        () => (request.principal ? done() : count(buckets, request, reply, done)),
        (error: Error) => reply.send(error),
      );
    };
  const readLimit = reads && limitBy(reads);
  const writeLimit = writes && limitBy(writes);

  return {
    limitFor(route) {
      const limit = countingLimitOf(route, limits);
      return limit === 'writes' ? writeLimit : limit === 'reads' ? readLimit : undefined;
    },
  };
}
