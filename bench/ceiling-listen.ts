import type { FastifyInstance } from 'fastify';

/**
 * Starts a ceiling server: listens on 127.0.0.1, prints `ceiling ready <address>` (what the bench waits
 * for) and closes on SIGTERM or SIGINT.
 */
export async function serveCeiling(app: FastifyInstance, port: number): Promise<void> {
  const address = await app.listen({ port, host: '127.0.0.1' });
  console.log(`ceiling ready ${address}`);
  const close = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}
