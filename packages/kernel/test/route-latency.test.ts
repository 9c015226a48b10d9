import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RouteLatency } from '../src/http/route-latency.js';

const BOUNDS = [0.001, 0.005, 0.01, 0.1, 1];
const OBSERVED: Array<[string, number, string, number]> = [
  ['GET', 200, '/commerce/v1/products/:sku', 0.0004],
  ['GET', 200, '/commerce/v1/products/:sku', 0.001],
  ['GET', 200, '/commerce/v1/products/:sku', 0.0071],
  ['POST', 201, '/pos/v1/sales', 0.02],
  ['POST', 201, '/pos/v1/sales', 3.5],
  ['GET', 404, 'unmatched', 0],
];

/** What prom-client's own Histogram and Counter print for the same observations. */
async function expectedExposition(): Promise<string> {
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status_code'] as const;
  const histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames,
    buckets: BOUNDS,
    registers: [registry],
  });
  const counter = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames,
    registers: [registry],
  });
  for (const [method, status, route, seconds] of OBSERVED) {
    const labels = { method, route, status_code: String(status) };
    histogram.observe(labels, seconds);
    counter.inc(labels);
  }
  return registry.metrics();
}

describe('RouteLatency', () => {
  it('exposes exactly what prom-client would for the same requests', async () => {
    const registry = new Registry();
    const latency = new RouteLatency(BOUNDS);
    latency.register(registry);
    for (const [method, status, route, seconds] of OBSERVED) latency.observe(method, status, route, seconds);
    expect(await registry.metrics()).toBe(await expectedExposition());
  });

  it('counts an observation on a bucket bound into that bucket (le is inclusive)', async () => {
    const registry = new Registry();
    const latency = new RouteLatency([0.01]);
    latency.register(registry);
    latency.observe('GET', 200, '/x', 0.01);
    const text = await registry.metrics();
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.01",method="GET",route="/x",status_code="200"} 1',
    );
  });
});
