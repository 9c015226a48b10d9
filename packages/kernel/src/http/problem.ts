import { ERROR_CATALOG } from '@tillstream/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../errors.js';

/** RFC 9457 problem document with Tillstream's stable `code` and the request's trace id. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  traceId: string;
  instance?: string;
  [extension: string]: unknown;
}

export function titleFor(code: string): string {
  const entry = (ERROR_CATALOG as Record<string, { title: string }>)[code];
  return entry?.title ?? code.replaceAll('_', ' ');
}

/** A problem document with its catalogue title; `problem` adds the request's path as `instance`. */
export function problemDocument(
  status: number,
  code: string,
  detail: string,
  traceId: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return {
    ...extensions,
    type: `urn:tillstream:problem:${code}`,
    title: titleFor(code),
    status,
    detail,
    code,
    traceId,
  };
}

export function problem(
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return {
    ...problemDocument(status, code, detail, String(request.id), extensions),
    instance: request.url.length <= 512 ? request.url : `${request.url.slice(0, 512)}…`,
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

/**
 * A request refused by the HTTP kit itself before any route runs (its body's encoding or shape), with the status
 * and catalogue code to answer: DomainError's kinds fix the status, and a 415 or a 417 is no domain's business.
 */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'HttpRefusal';
  }
}

/** Fastify's own client errors mapped to stable codes; anything else unknown becomes a logged 500. */
const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_request' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json' },
};

export function toProblem(error: FastifyError, request: FastifyRequest): Problem {
  if (isDomainError(error))
    return problem(request, error.status, error.code, error.message, error.extensions);
  if (error instanceof HttpRefusal) return problem(request, error.status, error.code, error.message);
  if (error.validation) {
    const errors = error.validation.map((issue) => ({
      in: error.validationContext ?? 'body',
      path: issue.instancePath || '/',
      message: issue.message ?? 'invalid',
      ...(issue.params && 'additionalProperty' in issue.params
        ? { property: String(issue.params.additionalProperty) }
        : {}),
    }));
    return problem(request, 400, 'validation_failed', `${errors.length} problem(s) in the request`, {
      errors,
    });
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return problem(request, known.status, known.code, error.message);
  if (error instanceof SyntaxError)
    return problem(request, 400, 'malformed_json', 'The body is not valid JSON');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return problem(request, error.statusCode, 'bad_request', error.message);
  }
  return problem(request, 500, 'internal_error', 'An unexpected error occurred; it has been logged');
}
