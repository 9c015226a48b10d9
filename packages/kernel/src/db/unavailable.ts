import { DomainError } from '../errors.js';

/** Long enough for a restarting or failing-over PostgreSQL to come back; short enough not to idle a till. */
const RETRY_AFTER_SECONDS = 2;

/**
 * The longest a consumer waits before asking an unavailable database again: its event backoff (up to 30 s)
 * would leave it idle that long after the database came back.
 */
export const DATABASE_WAIT_CEILING_MS = 5_000;

/**
 * Why: PostgreSQL could not be reached (refused, reset, timed out, shutting down), the disk is full, or every
 * pooled connection of this process stayed in use while the request waited for one (`busy`: the database may
 * be well, but slow statements or locks hold them all, which an operator looks for elsewhere than a network).
 */
export type UnavailableReason = 'unreachable' | 'full' | 'busy';

const WHY: Record<UnavailableReason, string> = {
  unreachable: 'cannot be reached',
  full: 'cannot take writes: its disk is full',
  busy: 'is busy: no connection came free in time',
};

/**
 * The context's database cannot do its work for now. Not the request's fault nor the event's, so an HTTP
 * answer is 503 with `Retry-After`, and a consumer keeps the event and waits instead of spending its
 * attempts on it (which would park a sound event in the dead-letter store).
 */
export class DatabaseUnavailable extends DomainError {
  constructor(
    readonly context: string,
    cause: unknown,
    readonly reason: UnavailableReason = 'unreachable',
  ) {
    super(
      'unavailable',
      'database_unavailable',
      `The ${context} database ${WHY[reason]}; retry after ${RETRY_AFTER_SECONDS} s`,
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
    );
    this.cause = cause;
  }
}

export const isDatabaseUnavailable = (error: unknown): error is DatabaseUnavailable =>
  error instanceof DatabaseUnavailable;
