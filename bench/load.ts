import autocannon, { type Result } from 'autocannon';

export interface LoadResult {
  durationS: number;
  /** Answers with the status that counts as success, per second of the run. */
  okPerSec: number;
  okCount: number;
  byStatus: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Milliseconds, over every answer autocannon saw. */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
}

export interface PostLoad {
  url: string;
  path: string;
  connections: number;
  durationS: number;
  headers?: Record<string, string>;
  okStatus: number;
  /** Called for every request, so each one carries a fresh body (unique sale ids). */
  makeBody: () => string;
  onResponse?: (status: number, body: string) => void;
}

/** Closed-loop load: `connections` keep-alive connections, each sending the next request on the last answer. */
export async function postLoad(load: PostLoad): Promise<LoadResult> {
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.durationS,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: load.path,
        headers: { 'content-type': 'application/json', ...load.headers },
        setupRequest: (request) => ({ ...request, body: load.makeBody() }),
        ...(load.onResponse ? { onResponse: load.onResponse } : {}),
      },
    ],
  });
  return summarize(result, load.okStatus);
}

/** What a closed-loop run measured, counting answers with `okStatus` as successes. */
export function summarize(result: Result, okStatus: number): LoadResult {
  const byStatus = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([status, stats]) => [status, Number(stats.count)]),
  );
  const okCount = byStatus[String(okStatus)] ?? 0;
  return {
    durationS: result.duration,
    okPerSec: okCount / result.duration,
    okCount,
    byStatus,
    errors: result.errors,
    timeouts: result.timeouts,
    latency: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
  };
}
