import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSender, type Sender } from './delivery.sender.js';
import { createUrlPolicy } from './url-policy.js';

/**
 * A receiver that answers one request per connection and keeps it open without saying how long, as many
 * servers do, then resets the connection when a second request comes on it: what a client meets when it
 * reuses a connection the receiver closed while it sat idle. `requests` counts the requests answered.
 */
async function oneRequestPerConnection() {
  const sockets = new Set<Socket>();
  const state = { requests: 0, resets: 0 };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let served = false;
    socket.on('data', (chunk) => {
      if (!chunk.includes('\r\n\r\n') && !served) return;
      if (served) {
        state.resets += 1;
        socket.resetAndDestroy();
        return;
      }
      served = true;
      state.requests += 1;
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    state,
    close: () =>
      new Promise<void>((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  };
}

describe('the webhook sender', () => {
  let sender: Sender | undefined;
  let receiver: Awaited<ReturnType<typeof oneRequestPerConnection>> | undefined;
  afterEach(async () => {
    sender?.close();
    await receiver?.close();
  });

  it('sends again on a fresh connection when the kept-alive one turns out closed, before any answer', async () => {
    receiver = await oneRequestPerConnection();
    sender = createSender({
      policy: createUrlPolicy({ allowedHosts: ['127.0.0.1'] }),
      timeoutMs: 5_000,
      maxSockets: 1,
    });
    const post = () =>
      sender!.send(
        { url: receiver!.url, headers: { 'content-type': 'application/json' }, body: '{}' },
        new AbortController().signal,
      );
    for (let attempt = 1; attempt <= 3; attempt += 1)
      expect(await post()).toMatchObject({ result: { kind: 'response', status: 200 } });
    // The second met the first's connection closed, and went through on a fresh one; the third on a new one.
    expect(receiver.state).toEqual({ requests: 3, resets: 1 });
  });
});
