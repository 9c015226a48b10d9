import { createServer } from 'node:net';

/**
 * Ports already handed out by this process. The OS may answer two `listen(0)` calls in a row with the same
 * port, and two servers of one platform told the same port do not fail cleanly: the one that binds first
 * answers the other's readiness probe before the other exits on EADDRINUSE, so requests meant for one context
 * reach another context's process (once in the tests: ERP's routes answered `route_not_found`).
 */
const handedOut = new Set<number>();

/** A port free now and never handed out before in this process, for a server a test or bench starts. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await unusedPort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

function unusedPort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
