/** What the SDK needs of HTTP: one request, answered or failed. Adapters: `fetchHttp`; tests pass their own. */
export interface HttpPort {
  request(
    method: 'GET' | 'POST',
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<HttpResponse>;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  header(name: string): string | null;
  /** Parsed JSON; null for an empty body. */
  body: unknown;
}

/** The request never got an answer: offline, refused, reset, or no answer within the timeout. */
export class NetworkError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

export interface FetchHttpOptions {
  /** e.g. `http://127.0.0.1:8080`, or `location.origin` in the browser. */
  baseUrl: string;
  /** The terminal's own API key (POST /pos/v1/terminals issues it). */
  apiKey: string;
  /** A request without an answer after this long is given up (and retried later by the sync loop). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** HTTP over `fetch`, in Node and the browser. */
export function fetchHttp(options: FetchHttpOptions): HttpPort {
  const send = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async request(method, path, { body, headers = {} } = {}) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const response = await send(new URL(path, options.baseUrl), {
          method,
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: controller.signal,
        });
        const text = await response.text();
        return {
          status: response.status,
          header: (name) => response.headers.get(name),
          body: text ? (JSON.parse(text) as unknown) : null,
        };
      } catch (error) {
        throw new NetworkError(
          controller.signal.aborted ? `no answer within ${timeoutMs} ms` : String(error),
          error,
        );
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
