import { describe, expect, it } from 'vitest';
import { pgUnavailableReason } from './pg-unavailable-reason.js';
import { conflict } from '../errors.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('pgUnavailableReason', () => {
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
    [
      'a connection that could not be made in time',
      new Error('Connection terminated due to connection timeout'),
    ],
    [
      'every address of a host refusing',
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]),
    ],
  ])('is unreachable for %s', (_label, error) => {
    expect(pgUnavailableReason(error)).toBe('unreachable');
  });

  it('is busy when every pooled client stayed checked out for the whole wait', () => {
    expect(pgUnavailableReason(new Error('timeout exceeded when trying to connect'))).toBe('busy');
  });

  it('is full for a server that could not write (SQLSTATE 53100)', () => {
    expect(pgUnavailableReason(withCode('53100', 'could not extend file: No space left on device'))).toBe(
      'full',
    );
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a serialization failure, which the adapter retries itself', withCode('40001')],
    ['a lock not available (another instance holds it)', withCode('55P03')],
    ['a syntax error', withCode('42601')],
    ['a domain error whose code only looks like a state', conflict('08006', 'not a SQLSTATE')],
    ['a domain error whose code only looks like disk_full', conflict('53100', 'not a SQLSTATE')],
    ['an error without a code', new Error('something else')],
    ['a value that is not an error', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('is null for %s', (_label, error) => {
    expect(pgUnavailableReason(error)).toBeNull();
  });
});
