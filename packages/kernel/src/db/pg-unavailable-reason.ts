import { DomainError } from '../errors.js';
import type { UnavailableReason } from './unavailable.js';

/** SQLSTATE disk_full: the server could not write, whatever the statement. */
const DISK_FULL = '53100';

/**
 * pg-pool's error when a request waited its whole connection timeout for one of the pool's clients, every one
 * of them checked out. A new connection that could not be made in that time fails otherwise ("Connection
 * terminated due to connection timeout").
 */
const POOL_WAIT_TIMEOUT = /^timeout exceeded when trying to connect/;

/**
 * Why a node-postgres error means the database cannot do its work for now, rather than that a statement was
 * wrong: `unreachable` (see `isConnectionFailure`), `busy` (no pooled client came free) or `full`; null for
 * every other error. Pure, so every such shape is tested without a database to break.
 */
export function pgUnavailableReason(error: unknown): UnavailableReason | null {
  if (error instanceof Error && POOL_WAIT_TIMEOUT.test(error.message)) return 'busy';
  if (isConnectionFailure(error)) return 'unreachable';
  const code = (error as { code?: unknown } | null)?.code;
  return code === DISK_FULL && !(error instanceof DomainError) ? 'full' : null;
}

/**
 * Whether the database could not be reached: the socket was refused, reset or timed out, the server is
 * shutting down or starting, or it has no connection slot left.
 */
function isConnectionFailure(error: unknown): boolean {
  // A domain error's code is Tillstream's own, whatever it looks like.
  if (typeof error !== 'object' || error === null || error instanceof DomainError) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || isUnreachableState(code))) return true;
  if (typeof message === 'string' && CLIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
  // Node tries each address of a host name in turn and reports all the failures together.
  return error instanceof AggregateError && Array.isArray(errors) && errors.some(isConnectionFailure);
}

/** Socket errors of a connection that could not be made or was lost. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs of the server refusing or dropping the connection itself, whatever the statement was. */
function isUnreachableState(code: string): boolean {
  if (!/^[0-9A-Z]{5}$/.test(code)) return false;
  return (
    code.startsWith('08') || // connection exception
    code === '57P01' || // admin_shutdown: the server is stopping
    code === '57P02' || // crash_shutdown
    code === '57P03' || // cannot_connect_now: starting up or in recovery
    code === '53300' // too_many_connections
  );
}

/** What node-postgres and its pool throw, with no code, when the connection ended or never came. */
const CLIENT_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
];
