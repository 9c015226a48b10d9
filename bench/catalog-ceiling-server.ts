// The ceiling for storefront reads: what Fastify 5 alone does on this machine for a GET answering a product's
// or a page's JSON. It sends the bytes of a real answer and nothing else (no auth, validation, metrics or
// cache look-up), so the catalog's read rate can be read as a share of it.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { serveCeiling } from './ceiling-listen.js';

const port = Number(process.argv[2] ?? '0');
const product = readFileSync(process.argv[3] ?? '', 'utf8');
const page = readFileSync(process.argv[4] ?? '', 'utf8');
const app = Fastify({ logger: false });

app.get('/commerce/v1/products/:sku', async (_request, reply) =>
  reply.type('application/json; charset=utf-8').send(product),
);
app.get('/commerce/v1/products', async (_request, reply) =>
  reply.type('application/json; charset=utf-8').send(page),
);

await serveCeiling(app, port);
