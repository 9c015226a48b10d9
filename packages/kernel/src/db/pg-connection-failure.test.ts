import { describe, expect, it } from 'vitest';
import { isConnectionFailure } from './pg-connection-failure.js';
import { conflict } from '../errors.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isConnectionFailure', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', withCode('ECONNRESET', 'read ECONNRESET')],
    ['a host that does not resolve', withCode('ENOTFOUND', 'getaddrinfo ENOTFOUND db.internal')],
    ['a connection the server dropped (SQLSTATE 08006)', withCode('08006')],
    [
      'a server shutting down (57P01)',
      withCode('57P01', 'terminating connection due to administrator command'),
    ],
    ['a server still starting (57P03)', withCode('57P03', 'the database system is starting up')],
    ['a server with no connection slot left (53300)', withCode('53300', 'sorry, too many clients already')],
    ['a connection that ended mid-query', new Error('Connection terminated unexpectedly')],
    ['a connection that was never made in time', new Error('timeout exceeded when trying to connect')],
    [
      'every address of a host refusing',
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]),
    ],
  ])('is true for %s', (_label, error) => {
    expect(isConnectionFailure(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a serialization failure, which the adapter retries itself', withCode('40001')],
    ['a lock not available (another instance holds it)', withCode('55P03')],
    ['a syntax error', withCode('42601')],
    ['a domain error whose code only looks like a state', conflict('08006', 'not a SQLSTATE')],
    ['an error without a code', new Error('something else')],
    ['a value that is not an error', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('is false for %s', (_label, error) => {
    expect(isConnectionFailure(error)).toBe(false);
  });
});
