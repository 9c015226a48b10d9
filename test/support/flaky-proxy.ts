import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the proxy does to one request:
 * - `pass`: forwards it and relays the answer;
 * - `drop`: closes the connection without forwarding (the server never sees it);
 * - `lose_answer`: forwards it, lets the server commit, then holds the answer until the client has timed out
 *   and closes the connection (the client cannot know the server did the work);
 * - `duplicate`: forwards it twice (a retried delivery) and relays the first answer.
 */
export type Fault = 'pass' | 'drop' | 'lose_answer' | 'duplicate';

export interface FlakyProxy {
  url: string;
  /** Chooses the fault for request number `n` (from 0); default: always `pass`. */
  plan(choose: (n: number, request: { method: string; path: string }) => Fault): void;
  /** While offline every connection is closed at once, like a cable pulled out. */
  setOffline(offline: boolean): void;
  /** How many requests met each fault. */
  counts: Record<Fault, number>;
  close(): Promise<void>;
}

const FORWARDED = ['authorization', 'content-type', 'if-none-match', 'idempotency-key'];
const RELAYED = ['content-type', 'etag', 'cache-control', 'retry-after'];

/** A fault-injecting HTTP proxy on 127.0.0.1 in front of `target`, for tests of clients on a bad network. */
export async function startFlakyProxy(target: string, options: { holdMs: number }): Promise<FlakyProxy> {
  let choose: (n: number, request: { method: string; path: string }) => Fault = () => 'pass';
  let offline = false;
  let n = 0;
  const counts: Record<Fault, number> = { pass: 0, drop: 0, lose_answer: 0, duplicate: 0 };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const forward = async (request: IncomingMessage, body: Buffer) => {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const response = await fetch(`${target}${request.url}`, {
      method: request.method,
      headers,
      ...(body.length > 0 ? { body } : {}),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: Buffer.from(await response.arrayBuffer()),
    };
  };

  const relay = (reply: ServerResponse, answer: Awaited<ReturnType<typeof forward>>) => {
    for (const name of RELAYED) {
      const value = answer.headers.get(name);
      if (value) reply.setHeader(name, value);
    }
    reply.writeHead(answer.status).end(answer.body);
  };

  const server = createServer(async (request, reply) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (offline) return request.socket.destroy();
    const fault = choose(n++, { method: request.method ?? 'GET', path: request.url ?? '/' });
    counts[fault] += 1;
    try {
      if (fault === 'drop') return request.socket.destroy();
      if (fault === 'duplicate') {
        const [first] = await Promise.all([forward(request, body), forward(request, body)]);
        return relay(reply, first);
      }
      const answer = await forward(request, body);
      if (fault === 'pass') return relay(reply, answer);
      const timer = setTimeout(() => {
        timers.delete(timer);
        request.socket.destroy();
      }, options.holdMs);
      timers.add(timer);
    } catch {
      request.socket.destroy();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    plan: (next) => {
      choose = next;
    },
    setOffline(value) {
      offline = value;
      if (value) for (const socket of sockets) socket.destroy();
    },
    counts,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
