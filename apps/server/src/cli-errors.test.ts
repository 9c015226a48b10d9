import { describe, expect, it } from 'vitest';
import { operatorMessage } from './cli-errors.js';

const systemError = (message: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(message), fields);

describe('operatorMessage', () => {
  it.each([
    {
      error: systemError('listen EACCES: permission denied 0.0.0.0:80', {
        code: 'EACCES',
        syscall: 'listen',
        address: '0.0.0.0',
        port: 80,
      }),
      says: 'tillstream: cannot listen on 0.0.0.0:80: not permitted (ports below 1024 need privileges); choose another --port',
    },
    {
      error: systemError('listen EADDRNOTAVAIL', {
        code: 'EADDRNOTAVAIL',
        syscall: 'listen',
        address: '10.9.9.9',
        port: 8080,
      }),
      says: 'tillstream: cannot listen on 10.9.9.9:8080: no such address on this machine; choose another --host',
    },
    {
      error: systemError("EROFS: read-only file system, mkdir '/ro/data'", {
        code: 'EROFS',
        syscall: 'mkdir',
        path: '/ro/data',
      }),
      says: "tillstream: EROFS: read-only file system, mkdir '/ro/data' (is --data-dir, or TILLSTREAM_DATA_DIR, a directory this user can write?)",
    },
  ])('says what the machine refused: $error.message', ({ error, says }) => {
    expect(operatorMessage(error)).toBe(says);
  });

  it('leaves a fault of ours to its stack trace', () => {
    expect(operatorMessage(new TypeError('x is undefined'))).toBeNull();
    expect(operatorMessage(systemError('no syscall', { code: 'ERR_SOMETHING' }))).toBeNull();
    expect(operatorMessage('a string')).toBeNull();
  });
});
