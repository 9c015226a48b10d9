/**
 * Domain errors. Domain code *throws* a DomainError with a stable snake_case `code` and a `kind`;
 * one table (KIND_STATUS) maps kinds to HTTP statuses, so handlers never pick status codes themselves.
 */
import type { ErrorKind } from '@tillstream/contracts';

export type { ErrorKind };

export const KIND_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unprocessable: 422,
  unavailable: 503,
};

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    detail: string,
    /** Extra machine-readable members added to the problem document (e.g. the failing lines). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  get status(): number {
    return KIND_STATUS[this.kind];
  }
}

export const invalid = (code: string, detail: string, ext?: Record<string, unknown>) =>
  new DomainError('invalid', code, detail, ext);
export const notFound = (code: string, detail: string, ext?: Record<string, unknown>) =>
  new DomainError('not_found', code, detail, ext);
export const conflict = (code: string, detail: string, ext?: Record<string, unknown>) =>
  new DomainError('conflict', code, detail, ext);
export const forbidden = (code: string, detail: string, ext?: Record<string, unknown>) =>
  new DomainError('forbidden', code, detail, ext);
export const unavailable = (code: string, detail: string, ext?: Record<string, unknown>) =>
  new DomainError('unavailable', code, detail, ext);

/** Existed once and is no longer kept (a log cursor behind what retention pruned). */
export const gone = (code: string, detail: string, ext?: Record<string, unknown>) =>
  new DomainError('gone', code, detail, ext);

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
/** Well-formed but refers to things that do not exist or do not fit together (unknown SKU, payments ≠ total). */
export const unprocessable = (code: string, detail: string, ext?: Record<string, unknown>) =>
  new DomainError('unprocessable', code, detail, ext);
