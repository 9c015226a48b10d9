import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  webhookId: string;
  timestamp: string;
  signatures: string[];
  contentType: string;
  headers: IncomingHttpHeaders;
  body: string;
  event: any;
  /** The secret (of those the receiver held then) that verified it; null when none did. */
  verifiedWith: string | null;
}

export type Answer = number | { status: number; headers?: Record<string, string>; delayMs?: number };

export interface Receiver {
  readonly url: string;
  /** Every request, duplicates included, in arrival order. */
  readonly requests: Received[];
  /** What an idempotent receiver processed: the first verified request of each webhook-id, in order. */
  readonly processed: Received[];
  /** The secrets it verifies with; replace them as a real receiver would after a rotation. */
  secrets: string[];
  /** How to answer a request (default 204). */
  answer: (request: Received) => Answer;
  /** Stops listening: attempts meet a refused connection. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A webhook endpoint on 127.0.0.1 as an integrator would write one: it verifies the Standard Webhooks
 * signature with the `standardwebhooks` package on the raw body, and processes each webhook-id once.
 */
export async function startReceiver(options: { secrets?: string[]; port?: number } = {}): Promise<Receiver> {
  const seen = new Set<string>();
  let server: Server | null = null;
  let port = options.port ?? 0;
  const receiver: Receiver = {
    url: '',
    requests: [],
    processed: [],
    secrets: options.secrets ?? [],
    answer: () => 204,
    down: async () => {
      const closing = server;
      server = null;
      if (!closing) return;
      closing.closeAllConnections();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    up: async () => {
      if (server) return;
      const started = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const headers = {
            'webhook-id': String(req.headers['webhook-id'] ?? ''),
            'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
            'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
          };
          const verifiedWith =
            receiver.secrets.find((secret) => {
              try {
                new Webhook(secret).verify(body, headers);
                return true;
              } catch {
                return false;
              }
            }) ?? null;
          let event: any = null;
          try {
            event = JSON.parse(body);
          } catch {
            // kept as null: the test sees it
          }
          const received: Received = {
            webhookId: headers['webhook-id'],
            timestamp: headers['webhook-timestamp'],
            signatures: headers['webhook-signature'].split(' '),
            contentType: String(req.headers['content-type'] ?? ''),
            headers: req.headers,
            body,
            event,
            verifiedWith,
          };
          receiver.requests.push(received);
          const answer = receiver.answer(received);
          const {
            status,
            headers: extra,
            delayMs,
          } = typeof answer === 'number' ? { status: answer } : answer;
          if (status >= 200 && status < 300 && verifiedWith && !seen.has(received.webhookId)) {
            seen.add(received.webhookId);
            receiver.processed.push(received);
          }
          const respond = () => res.writeHead(status, extra).end(status >= 300 ? 'nope' : '');
          if (delayMs) setTimeout(respond, delayMs);
          else respond();
        });
      });
      await new Promise<void>((resolve, reject) => {
        started.once('error', reject);
        started.listen(port, '127.0.0.1', () => resolve());
      });
      port = (started.address() as AddressInfo).port;
      server = started;
    },
    close: async () => receiver.down(),
  };
  await receiver.up();
  Object.assign(receiver, { url: `http://127.0.0.1:${port}/hooks/tillstream` });
  return receiver;
}
