import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';

/** What the bench receiver saw: enough to check once-only, per-key order and signatures. */
export interface ReceiverStats {
  requests: number;
  /** webhook-ids seen more than once. */
  duplicates: number;
  /** Deliveries of a key whose `sequence` was not above the previous one of that key. */
  outOfOrder: number;
  verified: number;
  verifyFailures: number;
  firstAt: number;
  lastAt: number;
  /** Event `time` to arrival, ms, for the live phase. */
  latenciesMs: number[];
}

export interface BenchReceiver {
  url: string;
  stats: ReceiverStats;
  secret: string;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A fast webhook endpoint on 127.0.0.1: answers 204 at once, keeps the counts the figures need, and
 * verifies one request in `verifyEvery` with the standardwebhooks package (all of them would measure the
 * receiver's pure-JS SHA-256, not Tillstream).
 */
export async function startBenchReceiver(verifyEvery = 50): Promise<BenchReceiver> {
  const fresh = (): ReceiverStats => ({
    requests: 0,
    duplicates: 0,
    outOfOrder: 0,
    verified: 0,
    verifyFailures: 0,
    firstAt: 0,
    lastAt: 0,
    latenciesMs: [],
  });
  const seen = new Set<string>();
  const lastSequence = new Map<string, number>();
  const receiver: BenchReceiver = {
    url: '',
    stats: fresh(),
    secret: '',
    reset() {
      receiver.stats = fresh();
      seen.clear();
      lastSequence.clear();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const now = performance.now();
      const stats = receiver.stats;
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id']);
      stats.requests += 1;
      stats.firstAt ||= now;
      stats.lastAt = now;
      if (seen.has(id)) stats.duplicates += 1;
      seen.add(id);
      const event = JSON.parse(body) as { partitionkey: string; sequence: number; time: string };
      if ((lastSequence.get(event.partitionkey) ?? 0) >= event.sequence) stats.outOfOrder += 1;
      lastSequence.set(event.partitionkey, event.sequence);
      stats.latenciesMs.push(Date.now() - Date.parse(event.time));
      if (stats.requests % verifyEvery === 0 && receiver.secret) {
        try {
          new Webhook(receiver.secret).verify(body, {
            'webhook-id': id,
            'webhook-timestamp': String(req.headers['webhook-timestamp']),
            'webhook-signature': String(req.headers['webhook-signature']),
          });
          stats.verified += 1;
        } catch {
          stats.verifyFailures += 1;
        }
      }
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/bench`;
  return receiver;
}
