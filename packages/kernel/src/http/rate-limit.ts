import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { isIPv4 } from 'node:net';
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
  const mapped = IPV4_MAPPED.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip) || !ip.includes(':')) return ip;
  const address = ip.split('%')[0]!;
  const [head = '', tail] = address.split('::');
  const groupsOf = (part: string) =>
    part === '' ? [] : part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const groups =
    tail === undefined
      ? groupsOf(head)
      : [
          ...groupsOf(head),
          ...Array<string>(8 - groupsOf(head).length - groupsOf(tail).length).fill('0'),
          ...groupsOf(tail),
        ];
  const prefix = groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}

/** One limit's buckets, by client address. */
class ClientBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(readonly perMinute: number) {}

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

type RouteHook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The public routes' limiter: `hookFor(route)` is the onRequest hook that counts the route's requests, or
 * undefined when its kind of request is not limited or the route opted out (`rateLimit: false`: health
 * probes and metrics, which a load balancer and Prometheus call from one address).
 *
 * `identify` runs first: a request with a valid API key is not counted, as a headless storefront's server
 * calls the public API for all its shoppers from one address; its key says who it is, and can be revoked.
 * Counting is in this process's memory: on scale-out each instance counts what reaches it.
 */
export function publicRateLimiter(
  app: FastifyInstance,
  limits: PublicRateLimits,
  identify: (request: FastifyRequest) => Promise<void>,
  now: () => number = Date.now,
): { hookFor(route: RouteOptions): RouteHook | undefined } {
  const reads = limits.readsPerMinute > 0 ? new ClientBuckets(limits.readsPerMinute) : undefined;
  const writes = limits.writesPerMinute > 0 ? new ClientBuckets(limits.writesPerMinute) : undefined;
  if (reads || writes) {
    const timer = setInterval(() => {
      reads?.sweep(now());
      writes?.sweep(now());
    }, SWEEP_INTERVAL_MS).unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  const limitBy = (buckets: ClientBuckets): RouteHook =>
    async function limitPublicRequests(request, reply) {
      await identify(request);
      if (request.principal) return;
      const take = buckets.take(clientAddress(request.ip), now());
      reply.header('ratelimit-limit', buckets.perMinute);
      reply.header('ratelimit-remaining', take.remaining);
      reply.header('ratelimit-reset', Math.ceil(take.fullInMs / 1000));
      if (take.allowed) return;
      const retryAfterSeconds = Math.max(1, Math.ceil(take.retryAfterMs / 1000));
      reply.header('retry-after', retryAfterSeconds);
      return sendProblem(
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
    };
  const readHook = reads && limitBy(reads);
  const writeHook = writes && limitBy(writes);

  return {
    hookFor(route) {
      if (route.config?.rateLimit === false) return undefined;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      return methods.some((method) => WRITE_METHODS.includes(method)) ? writeHook : readHook;
    },
  };
}
