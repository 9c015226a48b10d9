// The ceiling for quotes: what Fastify 5 alone does on this machine for a quote-sized JSON POST. It parses the
// cart and answers 200 with the bytes of a real quote, and nothing else (no validation, auth, database or
// pricing), so the platform's quote rate can be read as a share of it.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { serveCeiling } from './ceiling-listen.js';

const port = Number(process.argv[2] ?? '0');
const answer = readFileSync(process.argv[3] ?? '', 'utf8');
const app = Fastify({ logger: false });

app.post('/erp/v1/quotes', async (request, reply) => {
  const cart = request.body as { lines: unknown[] };
  return reply
    .code(200)
    .type('application/json')
    .send(cart.lines.length > 0 ? answer : '{}');
});

await serveCeiling(app, port);
