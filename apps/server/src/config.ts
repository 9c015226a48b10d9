import { Type, type Static } from 'typebox';
import { ConfigError, parseConfig } from '@tillstream/kernel';
import { listSettingProblems } from './config-lists.js';

/**
 * Every number has a ceiling, well inside what the code can use: Node fires a timer longer than 2^31-1 ms
 * (24.8 days) at once, so a sweep interval above it would run every millisecond, and a lifetime that takes a
 * date past the year 275,760 makes it invalid, failing every request that computes it.
 */
const HOUR_MS = 3_600_000;
/** Retentions and lifetimes in hours: ten years. */
const TEN_YEARS_IN_HOURS = 87_600;
const YEAR_IN_SECONDS = 31_536_000;

export const ConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'TILLSTREAM_PORT / --port' }),
  host: Type.String({
    default: '127.0.0.1',
    description: 'TILLSTREAM_HOST / --host; 0.0.0.0 to listen on every interface',
  }),
  dataDir: Type.String({
    minLength: 1,
    default: '.tillstream-data',
    description: 'TILLSTREAM_DATA_DIR / --data-dir (embedded engine)',
  }),
  backupDir: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'TILLSTREAM_BACKUP_DIR: where `POST /ops/v1/backups` writes (embedded engine); `backups` in the data dir ' +
        'when unset. Put it on another disk, or ship the copies off the machine',
    }),
  ),
  backupIntervalMinutes: Type.Integer({
    minimum: 0,
    maximum: 525_600,
    default: 0,
    description:
      'TILLSTREAM_BACKUP_INTERVAL_MINUTES: the embedded engine backs itself up this often, counted from the ' +
      'newest backup in the backup directory, so restarts do not put it off (1440: daily); 0: only when asked ' +
      '(`POST /ops/v1/backups`)',
  }),
  backupKeep: Type.Integer({
    minimum: 0,
    maximum: 10_000,
    default: 7,
    description:
      'TILLSTREAM_BACKUP_KEEP: complete backups left in the backup directory after each new one, newest first; 0: all',
  }),
  logLevel: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info', description: 'TILLSTREAM_LOG_LEVEL / --log-level' },
  ),
  adminKey: Type.Optional(
    Type.String({
      minLength: 24,
      secret: true,
      description: 'TILLSTREAM_ADMIN_KEY: bootstrap admin API key',
    }),
  ),
  corsOrigins: Type.String({
    default: '',
    // Origins only: a scheme, a host and maybe a port, no path (not even `/`), which would never match.
    pattern: '^(\\*|https?://[^/,\\s]+(,\\s*https?://[^/,\\s]+)*)?$',
    description:
      'TILLSTREAM_CORS_ORIGINS: comma-separated origins whose web pages may call the API from a browser ' +
      '(e.g. https://shop.example.com for a headless storefront), or * for any; empty: none',
  }),
  publicReadsPerMinute: Type.Integer({
    minimum: 0,
    maximum: 1_000_000_000,
    default: 1200,
    description:
      'TILLSTREAM_PUBLIC_READS_PER_MINUTE: GET requests one client address may make a minute to the public ' +
      'routes (storefront catalog, carts, orders), in bursts up to that many; more get 429 rate_limited. ' +
      'Requests with a valid API key are not counted. 0: no limit',
  }),
  publicWritesPerMinute: Type.Integer({
    minimum: 0,
    maximum: 1_000_000_000,
    default: 300,
    description:
      'TILLSTREAM_PUBLIC_WRITES_PER_MINUTE: the same for the public routes that write (creating and changing ' +
      'carts, coupons, checkout): what keeps one address from filling the database with carts or guessing ' +
      'coupon codes. 0: no limit',
  }),
  trustProxy: Type.String({
    default: '',
    description:
      'TILLSTREAM_TRUST_PROXY: comma-separated addresses or CIDR ranges of the load balancers or reverse ' +
      'proxies in front of the server (or loopback, linklocal, uniquelocal), whose X-Forwarded-For names the ' +
      'client; the rate limits count by that address. Empty: the address of the connection',
  }),
  bodyLimitBytes: Type.Integer({ minimum: 1024, maximum: 104_857_600, default: 1_048_576 }),
  requestTimeoutMs: Type.Integer({
    minimum: 1000,
    maximum: 600_000,
    default: 60_000,
    description:
      'TILLSTREAM_REQUEST_TIMEOUT_MS: how long a client may take to send a whole request, headers and body; ' +
      'slower gets 408 and the connection closed (60 s lets a till on a slow store line send a full sync batch)',
  }),
  maxUrlLength: Type.Integer({ minimum: 256, maximum: 65_536, default: 4096 }),
  idempotencyTtlHours: Type.Integer({ minimum: 24, maximum: 8_760, default: 24 }),
  apiKeyCacheTtlMs: Type.Integer({ minimum: 0, maximum: HOUR_MS, default: 10_000 }),
  storefrontCacheMaxAgeSeconds: Type.Integer({ minimum: 0, maximum: 86_400, default: 5 }),
  consumerMaxAttempts: Type.Integer({ minimum: 1, maximum: 1_000, default: 5 }),
  consumerRetryBaseMs: Type.Integer({ minimum: 1, maximum: 60_000, default: 200 }),
  consumerRetryMaxMs: Type.Integer({ minimum: 1, maximum: HOUR_MS, default: 30_000 }),
  consumerBatchSize: Type.Integer({ minimum: 1, maximum: 5000, default: 200 }),
  consumerLingerMs: Type.Integer({ minimum: 0, maximum: 1000, default: 5 }),
  pollIntervalMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 500 }),
  shutdownGraceMs: Type.Integer({ minimum: 0, maximum: 600_000, default: 10_000 }),
  erpLookupTimeoutMs: Type.Integer({ minimum: 50, maximum: 60_000, default: 2_000 }),
  pgUrl: Type.Optional(Type.String({ description: 'TILLSTREAM_PG_URL (scale-out)' })),
  natsUrl: Type.Optional(Type.String({ description: 'TILLSTREAM_NATS_URL (scale-out)' })),
  erpUrl: Type.Optional(
    Type.String({ description: 'TILLSTREAM_ERP_URL: where pos reaches erp (scale-out)' }),
  ),
  natsStreamPrefix: Type.String({
    pattern: '^[A-Z][A-Z0-9_]*$',
    default: 'TILLSTREAM',
    description:
      'Prefix of JetStream stream names (and, lower-cased, subjects): lets several platforms share one NATS',
  }),
  outboxRetentionHours: Type.Integer({
    minimum: 0,
    maximum: TEN_YEARS_IN_HOURS,
    default: 168,
    description:
      'TILLSTREAM_OUTBOX_RETENTION_HOURS: scale-out keeps an outbox row this long once relayed (0: for ever)',
  }),
  eventRetentionHours: Type.Integer({
    minimum: 0,
    maximum: TEN_YEARS_IN_HOURS,
    default: 0,
    description:
      'TILLSTREAM_EVENT_RETENTION_HOURS: the event log keeps an event this long (scale-out: the streams; ' +
      'embedded: the outboxes, once every consumer read it), and inboxes their rows (0: for ever)',
  }),
  natsAckWaitMs: Type.Integer({
    minimum: 1_000,
    maximum: 3_600_000,
    default: 30_000,
    description:
      'TILLSTREAM_NATS_ACK_WAIT_MS: how long JetStream waits for an instance to acknowledge a batch before it ' +
      "redelivers the batch to another instance (a crashed instance's batch waits this long)",
  }),
  pgPoolSize: Type.Integer({ minimum: 1, maximum: 1_000, default: 10 }),
  holdSweepIntervalMs: Type.Integer({
    minimum: 10,
    maximum: HOUR_MS,
    default: 1000,
    description: 'TILLSTREAM_HOLD_SWEEP_INTERVAL_MS: how often ERP releases expired reservation holds',
  }),
  checkoutHoldSeconds: Type.Integer({
    minimum: 1,
    maximum: 604_800,
    default: 900,
    description:
      'TILLSTREAM_CHECKOUT_HOLD_SECONDS: how long ERP holds the stock of a checkout that never finishes',
  }),
  storedValueHoldSeconds: Type.Integer({
    minimum: 1,
    maximum: 86_400,
    default: 900,
    description:
      'TILLSTREAM_STORED_VALUE_HOLD_SECONDS: how long a gift card or store credit hold waits for its sale before ' +
      'POS gives it back to the card (a till that crashed mid-sale)',
  }),
  storeCreditValidityDays: Type.Integer({
    minimum: 0,
    maximum: 36_500,
    default: 0,
    description:
      'TILLSTREAM_STORE_CREDIT_VALIDITY_DAYS: how many days store credit refunded by a return stays valid, ' +
      'counted again from each later refund onto it (0: it never expires). Expired credit lapses to breakage',
  }),
  supplierPaymentTermsDays: Type.Integer({
    minimum: 0,
    maximum: 3_650,
    default: 30,
    description:
      'TILLSTREAM_SUPPLIER_PAYMENT_TERMS_DAYS: when a supplier invoice without a due date of its own is to be ' +
      'paid, in days after its date (net 30 by default); the payables aging counts overdue days from it',
  }),
  storedValueSweepIntervalMs: Type.Integer({
    minimum: 10,
    maximum: HOUR_MS,
    default: 30_000,
    description:
      'TILLSTREAM_STORED_VALUE_SWEEP_INTERVAL_MS: how often POS gives back expired gift card holds and lapses the value of expired cards',
  }),
  cartExpirySeconds: Type.Integer({
    minimum: 1,
    maximum: YEAR_IN_SECONDS,
    default: 604_800,
    description:
      'TILLSTREAM_CART_EXPIRY_SECONDS: a cart untouched this long is abandoned and expires (7 days)',
  }),
  cartSweepIntervalMs: Type.Integer({
    minimum: 10,
    maximum: HOUR_MS,
    default: 60_000,
    description:
      'TILLSTREAM_CART_SWEEP_INTERVAL_MS: how often commerce expires abandoned carts and cancels collections ' +
      'past their hold',
  }),
  collectionHoldDays: Type.Integer({
    minimum: 0,
    maximum: 365,
    default: 0,
    description:
      'TILLSTREAM_COLLECTION_HOLD_DAYS: a click-and-collect order ready at its store this many days without ' +
      'being collected is cancelled (its units back in the store, the payment back to the shopper); 0 never',
  }),
  checkRequestOrigins: Type.Boolean({
    default: false,
    description:
      'TILLSTREAM_CHECK_REQUEST_ORIGINS: development and tests: follow every request, and fail one whose work ' +
      'writes an event or calls ERP after an await without its origin (its trace and correlation ids); it ' +
      'costs throughput, so it is off in production',
  }),
  allowTestPayments: Type.Boolean({
    default: true,
    description:
      'TILLSTREAM_ALLOW_TEST_PAYMENTS: whether checkout takes payment method `test`, which approves without taking ' +
      'money (development and demos); false on a live shop',
  }),
  webhookAllowedHosts: Type.String({
    default: '',
    description:
      'TILLSTREAM_WEBHOOK_ALLOWED_HOSTS: comma-separated host names, IP addresses or CIDR ranges that webhooks ' +
      'may target although private or loopback (e.g. 127.0.0.1 for a receiver on this machine)',
  }),
  webhookRetryScheduleSeconds: Type.String({
    pattern: '^[0-9]+(\\.[0-9]+)?(,[0-9]+(\\.[0-9]+)?)*$',
    default: '5,300,1800,7200,18000,36000,50400,72000,86400',
    description:
      'TILLSTREAM_WEBHOOK_RETRY_SCHEDULE_SECONDS: delays before the 2nd, 3rd, … attempt of a webhook (±20% ' +
      'jitter), each at most a week; after the last one a delivery has failed. Default: about three days',
  }),
  webhookAttemptTimeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 15_000 }),
  webhookDisableAfterHours: Type.Number({
    exclusiveMinimum: 0,
    maximum: 8_760,
    default: 120,
    description:
      'TILLSTREAM_WEBHOOK_DISABLE_AFTER_HOURS: an endpoint failing every attempt this long is disabled',
  }),
  webhookConcurrency: Type.Integer({ minimum: 1, maximum: 1000, default: 128 }),
  webhookLogRetentionHours: Type.Integer({
    minimum: 0,
    maximum: TEN_YEARS_IN_HOURS,
    default: 720,
    description: 'TILLSTREAM_WEBHOOK_LOG_RETENTION_HOURS: finished deliveries stay this long (0: for ever)',
  }),
  pricingSnapshotRetentionHours: Type.Integer({
    minimum: 0,
    maximum: TEN_YEARS_IN_HOURS,
    default: 720,
    description:
      'TILLSTREAM_PRICING_SNAPSHOT_RETENTION_HOURS: a minted pricing snapshot stays this long once a newer one ' +
      'replaced it (0: for ever)',
  }),
  pricingRefreshMs: Type.Integer({
    minimum: 50,
    maximum: 60_000,
    default: 1000,
    description:
      "TILLSTREAM_PRICING_REFRESH_MS: how long commerce and POS reuse a read of ERP's pricing snapshot before " +
      'asking ERP what changed since; a price change reaches carts and tills within about this long',
  }),
  hubEventRetentionHours: Type.Integer({
    minimum: 0,
    maximum: TEN_YEARS_IN_HOURS,
    default: 0,
    description:
      'TILLSTREAM_HUB_EVENT_RETENTION_HOURS: the hub log keeps an event this long after indexing it (0: for ' +
      'ever); older cursors get 410 cursor_expired. On scale-out at least TILLSTREAM_EVENT_RETENTION_HOURS',
  }),
});

export type Config = Static<typeof ConfigSchema>;

const ENV_PREFIX = 'TILLSTREAM_';

/** camelCase key → TILLSTREAM_SNAKE_CASE variable. */
export const envName = (key: string) =>
  ENV_PREFIX + key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();

/**
 * TILLSTREAM_ variables that are not the server's: the test and benchmark harnesses' own (which pass their
 * environment on to the servers they start), and the launcher's (bin/tillstream.mjs).
 */
const NOT_SERVER_SETTINGS = [
  /^TILLSTREAM_TEST_/,
  /^TILLSTREAM_BENCH_/,
  /^TILLSTREAM_FROM_SOURCE$/,
  /^TILLSTREAM_CHROMIUM$/,
];

/**
 * Reads the environment once (only the composition root does), lets flags override, validates everything. A
 * TILLSTREAM_ variable that names no setting (a typo such as TILLSTREAM_HOSTT) is a problem too, reported with
 * the rest, not silently ignored.
 */
export function loadConfig(env: NodeJS.ProcessEnv, flags: Partial<Record<keyof Config, unknown>>): Config {
  const raw: Record<string, unknown> = {};
  const known = new Set<string>();
  for (const key of Object.keys(ConfigSchema.properties)) {
    known.add(envName(key));
    const value = env[envName(key)];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const unknown = Object.keys(env).filter(
    (name) =>
      name.startsWith(ENV_PREFIX) &&
      !known.has(name) &&
      !NOT_SERVER_SETTINGS.some((pattern) => pattern.test(name)),
  );
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) raw[key] = value;
  let config: Config;
  try {
    config = parseConfig(ConfigSchema, raw);
  } catch (error) {
    if (!(error instanceof ConfigError) || unknown.length === 0) throw error;
    throw new ConfigError([...unknownProblems(unknown), ...error.problems]);
  }
  const problems = [...unknownProblems(unknown), ...listSettingProblems(config)];
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const unknownProblems = (names: readonly string[]) =>
  names.map((name) => `${name}: is not a setting (see README, "Configuration")`);
