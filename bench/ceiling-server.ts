// The ceiling: what Fastify 5 alone does on this machine for a sale-sized JSON POST. Parses the body and
// answers 201 with a body of the same shape and size as a stored sale, and nothing else (no validation, auth,
// database or events), so the platform's ingest rate can be read as a share of it.
import Fastify from 'fastify';
import { serveCeiling } from './ceiling-listen.js';

const port = Number(process.argv[2] ?? '0');
const app = Fastify({ logger: false });

app.post('/pos/v1/sales', async (request, reply) => {
  const sale = request.body as { lines: Array<{ quantity: number; unitPrice: number }> };
  const total = sale.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return reply.code(201).send({ ...sale, status: 'completed', total });
});

await serveCeiling(app, port);
