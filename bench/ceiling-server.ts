// The ceiling: what Fastify 5 alone does on this machine for a sale-sized JSON POST. Parses the body and
// answers 201 with a body of the same shape and size as a stored sale, and nothing else (no validation, auth,
// database or events), so the platform's ingest rate can be read as a share of it.
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? '0');
const app = Fastify({ logger: false });

app.post('/pos/v1/sales', async (request, reply) => {
  const sale = request.body as { lines: Array<{ quantity: number; unitPrice: number }> };
  const total = sale.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return reply.code(201).send({ ...sale, status: 'completed', total });
});

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
