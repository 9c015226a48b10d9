import { DomainError } from '../errors.js';

/** Long enough for a restarting or failing-over PostgreSQL to come back; short enough not to idle a till. */
const RETRY_AFTER_SECONDS = 2;

/**
 * The context's database could not be reached: refused, reset, timed out or shutting down. Not the request's
 * fault nor the event's, so an HTTP answer is 503 with `Retry-After`, and a consumer hands the event back and
 * waits instead of spending its attempts on it (which would park a sound event in the dead-letter store).
 */
export class DatabaseUnavailable extends DomainError {
  constructor(
    readonly context: string,
    cause: unknown,
  ) {
    super(
      'unavailable',
      'database_unavailable',
      `The ${context} database cannot be reached; retry after ${RETRY_AFTER_SECONDS} s`,
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
    );
    this.cause = cause;
  }
}

export const isDatabaseUnavailable = (error: unknown): error is DatabaseUnavailable =>
  error instanceof DatabaseUnavailable;
