import type { FastifyRequest } from 'fastify';
import type { Poster } from './sales/sale.decide.js';

/** Who is posting, from the request's API key: a terminal's own key is bound to it and its store. */
export const posterOf = (request: FastifyRequest): Poster => ({
  terminalId: request.principal?.terminalId ?? null,
  storeId: request.principal?.storeId ?? null,
});
