import type { Registry } from 'prom-client';

type HttpLabels = { method: string; route: string; status_code: string };

interface Series {
  labels: HttpLabels;
  /** Observations per bucket, not cumulative; the last slot is +Inf. */
  counts: number[];
  sum: number;
}

/** A sample as prom-client's metrics report them: `metricName` for a histogram's _bucket/_sum/_count. */
type Values = Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>;

/**
 * The HTTP latency histogram and request counter, kept per series as plain bucket counts and rendered only
 * when scraped. prom-client's own `observe` validates and hashes the labels on every call, about a tenth of
 * what a cached storefront read costs in all; here a request costs one map look-up and a short bucket scan.
 * Exposed exactly as a prom-client Histogram and Counter would be (a test compares the two).
 */
export class RouteLatency {
  private readonly series = new Map<string, Series>();

  constructor(private readonly bounds: readonly number[]) {}

  observe(method: string, statusCode: number, route: string, seconds: number): void {
    const key = `${method} ${statusCode} ${route}`;
    let series = this.series.get(key);
    if (!series) {
      series = {
        labels: { method, route, status_code: String(statusCode) },
        counts: new Array<number>(this.bounds.length + 1).fill(0),
        sum: 0,
      };
      this.series.set(key, series);
    }
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]!) bucket += 1;
    series.counts[bucket]! += 1;
    series.sum += seconds;
  }

  /** Adds `http_request_duration_seconds` (histogram) and `http_requests_total` (counter) to the registry. */
  register(registry: Registry): void {
    const all = () => [...this.series.values()];
    registry.registerMetric(
      scraped('http_request_duration_seconds', 'HTTP request latency by route', 'histogram', () =>
        all().flatMap((series) => this.histogram(series)),
      ),
    );
    registry.registerMetric(
      scraped('http_requests_total', 'HTTP requests by route and status', 'counter', () =>
        all().map((series) => ({ labels: series.labels, value: countOf(series) })),
      ),
    );
  }

  private histogram(series: Series): Values {
    let cumulative = 0;
    const buckets = series.counts.map((count, index) => {
      cumulative += count;
      return {
        metricName: 'http_request_duration_seconds_bucket',
        labels: { le: this.bounds[index] ?? '+Inf', ...series.labels },
        value: cumulative,
      };
    });
    const name = 'http_request_duration_seconds';
    return [
      ...buckets,
      { metricName: `${name}_sum`, labels: series.labels, value: series.sum },
      { metricName: `${name}_count`, labels: series.labels, value: cumulative },
    ];
  }
}

function countOf(series: Series): number {
  return series.counts.reduce((sum, count) => sum + count, 0);
}

/** A metric the registry asks for its values at scrape time: the shape prom-client's own metrics have. */
function scraped(
  name: string,
  help: string,
  type: 'histogram' | 'counter',
  values: () => Values,
): Parameters<Registry['registerMetric']>[0] {
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
    reset: () => {},
  };
  return metric as unknown as Parameters<Registry['registerMetric']>[0];
}
