import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { AttemptResult } from './delivery.decide.js';
import type { UrlPolicy } from './url-policy.js';

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type SendResult =
  { result: AttemptResult; durationMs: number; responseBody: string | null } | { cancelled: true };

/** How much of an answer is read (the rest is cut off) and how much of it the attempt log keeps. */
const MAX_READ_BYTES = 64 * 1024;
const LOGGED_BODY_CHARS = 1024;
/** How a reused keep-alive connection fails when the receiver had closed it: write to a closed socket, reset. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

export interface Sender {
  send(request: SendRequest, signal: AbortSignal): Promise<SendResult>;
  close(): void;
}

/**
 * Posts webhook attempts over node:http(s) with keep-alive. It never follows a redirect (a 3xx is just a
 * failed attempt), gives each attempt `timeoutMs` for the whole exchange, reads at most 64 KiB of an answer,
 * and connects only to addresses the URL policy permits, checked on the address actually resolved. A kept-alive
 * connection found closed by the receiver before any answer is replaced by a fresh one, once, within the time.
 */
export function createSender(options: { policy: UrlPolicy; timeoutMs: number; maxSockets: number }): Sender {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
  };

  function send(request: SendRequest, signal: AbortSignal): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(request.url);
    if (options.policy.literalRefused(url)) {
      const message = `${url.hostname} is a refused address`;
      return Promise.resolve({
        result: { kind: 'error', error: 'refused_address', message },
        durationMs: 0,
        responseBody: null,
      });
    }
    return new Promise((resolve) => {
      let timedOut = false;
      const client = url.protocol === 'https:' ? https : http;
      let current: http.ClientRequest | null = null;
      const timer = setTimeout(() => {
        timedOut = true;
        current?.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      const post = (agent: http.Agent | false) => {
        let answered = false;
        const req = client.request(url, {
          method: 'POST',
          agent,
          headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
          lookup: options.policy.lookup,
          signal,
        });
        current = req;
        req.on('response', (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          let size = 0;
          const finish = () => {
            clearTimeout(timer);
            const retryAfter = res.headers['retry-after'];
            const responseBody = Buffer.concat(chunks).toString('utf8').slice(0, LOGGED_BODY_CHARS);
            resolve({
              result: { kind: 'response', status: res.statusCode ?? 0, retryAfter: retryAfter ?? null },
              durationMs: elapsed(),
              responseBody: responseBody || null,
            });
          };
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_READ_BYTES) chunks.push(chunk);
            else {
              res.destroy();
              finish();
            }
          });
          res.on('end', finish);
          res.on('error', finish);
        });
        req.on('error', (error: NodeJS.ErrnoException) => {
          if (signal.aborted) {
            clearTimeout(timer);
            return resolve({ cancelled: true });
          }
          // A kept-alive connection the receiver closed while it sat idle fails before any answer: that says
          // nothing of the receiver, so the attempt goes again once, on a connection of its own, in its time.
          if (!timedOut && !answered && req.reusedSocket && STALE_SOCKET_CODES.has(error.code ?? ''))
            return post(false);
          clearTimeout(timer);
          const kind = timedOut
            ? 'timeout'
            : error.code === 'EADDRREFUSED'
              ? 'refused_address'
              : 'connection';
          const message = error.code ? `${error.code}: ${error.message}` : error.message;
          resolve({
            result: { kind: 'error', error: kind, message },
            durationMs: elapsed(),
            responseBody: null,
          });
        });
        req.end(request.body);
      };
      post(agents[url.protocol as 'http:' | 'https:']);
    });
  }

  return {
    send,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
