import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tillstream/kernel';
import { ConfigSchema, envName, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('fills defaults and converts environment strings to the declared types', () => {
    const config = loadConfig({ TILLSTREAM_PORT: '9000', TILLSTREAM_CONSUMER_MAX_ATTEMPTS: '3' }, {});
    expect(config).toMatchObject({
      port: 9000,
      consumerMaxAttempts: 3,
      host: '127.0.0.1',
      idempotencyTtlHours: 24,
    });
  });

  it('lets flags override the environment', () => {
    expect(loadConfig({ TILLSTREAM_PORT: '9000' }, { port: '9100' }).port).toBe(9100);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig(
        { TILLSTREAM_PORT: 'eighty', TILLSTREAM_LOG_LEVEL: 'loud', TILLSTREAM_IDEMPOTENCY_TTL_HOURS: '1' },
        {},
      );
      expect.unreachable('an invalid configuration must throw');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('port');
      expect(problems).toContain('logLevel');
      expect(problems).toContain('idempotencyTtlHours');
    }
  });

  const problemsOf = (env: NodeJS.ProcessEnv, flags: Record<string, unknown> = {}, mayPass = false) => {
    try {
      loadConfig(env, flags);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return mayPass ? [] : expect.unreachable('the configuration must be refused');
  };

  it.each([
    { name: '--port 18204.9', env: {}, flags: { port: '18204.9' }, setting: 'port' },
    { name: 'TILLSTREAM_PORT=true', env: { TILLSTREAM_PORT: 'true' }, flags: {}, setting: 'port' },
    {
      name: 'TILLSTREAM_BODY_LIMIT_BYTES=2048.9',
      env: { TILLSTREAM_BODY_LIMIT_BYTES: '2048.9' },
      flags: {},
      setting: 'bodyLimitBytes',
    },
  ])('fails fast on $name instead of coercing it', ({ env, flags, setting }) => {
    expect(problemsOf(env, flags)).toEqual([expect.stringMatching(new RegExp(`^${setting}: `))]);
  });

  it('reads the JetStream ack wait in milliseconds, 30 s unless set', () => {
    expect(loadConfig({}, {}).natsAckWaitMs).toBe(30_000);
    expect(loadConfig({ TILLSTREAM_NATS_ACK_WAIT_MS: '3000' }, {}).natsAckWaitMs).toBe(3_000);
  });

  it.each(['999', '3600001', '2500.5', 'soon'])('refuses TILLSTREAM_NATS_ACK_WAIT_MS=%s', (value) => {
    expect(problemsOf({ TILLSTREAM_NATS_ACK_WAIT_MS: value })).toEqual([
      expect.stringMatching(/^natsAckWaitMs: /),
    ]);
  });

  it.each(['', '*', 'https://shop.example.com', 'https://shop.example.com, http://127.0.0.1:5173'])(
    'takes TILLSTREAM_CORS_ORIGINS=%j',
    (value) => {
      expect(loadConfig({ TILLSTREAM_CORS_ORIGINS: value }, {}).corsOrigins).toBe(value);
    },
  );

  // A path (even `/`) or a bare host name would never equal a browser's Origin: refused rather than ignored.
  it.each([
    'https://shop.example.com/',
    'shop.example.com',
    'https://a.example,',
    'ftp://a.example',
    '*,https://a.example',
  ])('refuses TILLSTREAM_CORS_ORIGINS=%j', (value) => {
    expect(problemsOf({ TILLSTREAM_CORS_ORIGINS: value })).toEqual([expect.stringMatching(/^corsOrigins: /)]);
  });

  it('limits public reads and writes per client address unless told otherwise', () => {
    expect(loadConfig({}, {})).toMatchObject({ publicReadsPerMinute: 1200, publicWritesPerMinute: 300 });
    const off = loadConfig({ TILLSTREAM_PUBLIC_WRITES_PER_MINUTE: '0' }, {});
    expect(off.publicWritesPerMinute).toBe(0);
    expect(problemsOf({ TILLSTREAM_PUBLIC_READS_PER_MINUTE: '-1' })).toEqual([
      expect.stringMatching(/^publicReadsPerMinute: /),
    ]);
  });

  it.each(['', '10.0.0.1', '10.0.0.0/8, 192.168.1.1', 'loopback,uniquelocal', 'fd00::/8', '::1'])(
    'takes TILLSTREAM_TRUST_PROXY=%j',
    (value) => {
      expect(loadConfig({ TILLSTREAM_TRUST_PROXY: value }, {}).trustProxy).toBe(value);
    },
  );

  // Refused at start: the HTTP server would otherwise throw while starting, or trust what was not meant.
  it.each([
    '999.0.0.1',
    '10.0.0.0/33',
    'fd00::/129',
    'proxy.example.com',
    '10.0.0.0/8/1',
    '10.0.0.0/x',
    'true',
  ])('refuses TILLSTREAM_TRUST_PROXY=%j', (value) => {
    expect(problemsOf({ TILLSTREAM_TRUST_PROXY: value })).toEqual([expect.stringMatching(/^trustProxy: /)]);
  });

  it.each([
    '127.0.0.1',
    'receiver.internal, 10.1.0.0/16',
    '[::1],fd00::/8',
    'Hooks-1.Example.COM',
    'localhost',
  ])('takes TILLSTREAM_WEBHOOK_ALLOWED_HOSTS=%j', (value) => {
    expect(loadConfig({ TILLSTREAM_WEBHOOK_ALLOWED_HOSTS: value }, {}).webhookAllowedHosts).toBe(value);
  });

  // Refused at start: the hub would otherwise fail as it builds its URL policy, or the entry never match.
  it.each([
    '10.0.0.0/99',
    '10.0.0.0/x',
    'fd00::/129',
    '10.0.0.300',
    'hooks.example.com/24',
    'https://hooks.example.com',
    'hooks.example.com:8443',
    '*.example.com',
    '-hooks.example.com',
  ])('refuses TILLSTREAM_WEBHOOK_ALLOWED_HOSTS=%j', (value) => {
    expect(problemsOf({ TILLSTREAM_WEBHOOK_ALLOWED_HOSTS: value })).toEqual([
      expect.stringMatching(/^webhookAllowedHosts: /),
    ]);
  });

  // A sweep interval past Node's timer limit ran every millisecond; a lifetime past the last valid date failed
  // every request that computed its expiry.
  it('gives every number setting a ceiling', () => {
    const unbounded = Object.entries(ConfigSchema.properties)
      .filter(([, schema]) => ['integer', 'number'].includes((schema as { type?: string }).type ?? ''))
      .filter(([, schema]) => (schema as { maximum?: number }).maximum === undefined)
      .map(([key]) => key);
    expect(unbounded).toEqual([]);
  });

  it.each([
    ['TILLSTREAM_HOLD_SWEEP_INTERVAL_MS', '99999999999999', /^holdSweepIntervalMs: must be <= 3600000/],
    ['TILLSTREAM_IDEMPOTENCY_TTL_HOURS', '99999999999999', /^idempotencyTtlHours: must be <= 8760/],
    ['TILLSTREAM_WEBHOOK_RETRY_SCHEDULE_SECONDS', '5,99999999999999', /^webhookRetryScheduleSeconds: /],
  ])('refuses %s=%s', (name, value, problem) => {
    expect(problemsOf({ [name]: value })).toEqual([expect.stringMatching(problem)]);
  });

  it('reports a wrong TILLSTREAM_TRUST_PROXY beside a variable that names no setting', () => {
    expect(problemsOf({ TILLSTREAM_TRUST_PROXY: 'nope', TILLSTREAM_HOSTT: 'x' })).toHaveLength(2);
  });

  it('refuses a TILLSTREAM_ variable that names no setting, with every other problem', () => {
    const problems = problemsOf({ TILLSTREAM_HOSTT: '0.0.0.0', TILLSTREAM_PORT: 'eighty' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('TILLSTREAM_HOSTT');
    expect(problemsOf({ TILLSTREAM_HOSTT: '0.0.0.0' })).toEqual([
      expect.stringContaining('TILLSTREAM_HOSTT'),
    ]);
  });

  it('leaves the test, benchmark and launcher variables alone', () => {
    const env = {
      TILLSTREAM_TEST_PG_URL: 'postgres://x',
      TILLSTREAM_TEST_NATS_URL: 'nats://x',
      TILLSTREAM_TEST_PID_DIR: '/tmp/x',
      TILLSTREAM_TEST_LOG_LEVEL: 'debug',
      TILLSTREAM_BENCH_PG_URL: 'postgres://x',
      TILLSTREAM_BENCH_NATS_URL: 'nats://x',
      TILLSTREAM_FROM_SOURCE: '1',
      TILLSTREAM_CHROMIUM: '/usr/bin/chromium',
      OTHER_TILLSTREAM_THING: 'x',
    };
    expect(loadConfig(env, {}).port).toBe(8080);
  });

  it('never echoes the admin key in a problem', () => {
    const [problem] = problemsOf({ TILLSTREAM_ADMIN_KEY: 'too-short-but-secret' });
    expect(problem).toMatch(/^adminKey: /);
    expect(problem).not.toContain('too-short-but-secret');
  });

  it('knows every TILLSTREAM_ variable the tests, benchmarks, CI and scripts set or read', () => {
    const root = resolve(import.meta.dirname, '../../..');
    const names = new Set<string>();
    const scan = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'node_modules') scan(path);
        } else {
          for (const [name] of readFileSync(path, 'utf8').matchAll(/\bTILLSTREAM_[A-Z0-9_]*[A-Z0-9]\b/g))
            names.add(name);
        }
      }
    };
    for (const dir of ['test', 'bench', '.ci', 'scripts']) scan(join(root, dir));
    expect(names).toContain('TILLSTREAM_ADMIN_KEY');
    const notSettings = [...names].filter((name) =>
      problemsOf({ [name]: 'x' }, {}, true).some((problem) =>
        problem.startsWith(`${name}: is not a setting`),
      ),
    );
    expect(notSettings).toEqual([]);
  });

  it('names environment variables after the settings', () => {
    expect(envName('consumerMaxAttempts')).toBe('TILLSTREAM_CONSUMER_MAX_ATTEMPTS');
  });
});
