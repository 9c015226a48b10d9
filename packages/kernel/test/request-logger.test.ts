import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { lazyRequestLogger } from '../src/http/request-logger.js';

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('lazyRequestLogger', () => {
  it('makes no pino child until something is logged', () => {
    const { logger } = capturingLogger();
    const child = vi.spyOn(logger, 'child');
    const requestLog = lazyRequestLogger(logger, { reqId: 'trace-1' }, {});
    expect(requestLog.level).toBe('info');
    expect(child).not.toHaveBeenCalled();
  });

  it('logs with the request binding, through one child however often it logs', () => {
    const { logger, lines } = capturingLogger();
    const child = vi.spyOn(logger, 'child');
    const requestLog = lazyRequestLogger(logger, { reqId: 'trace-2' }, {});
    requestLog.error({ err: new Error('boom') }, 'request failed');
    requestLog.warn('second');
    requestLog.debug('below the level: dropped');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((line) => [line.reqId, line.msg])).toEqual([
      ['trace-2', 'request failed'],
      ['trace-2', 'second'],
    ]);
    expect((lines[0]!.err as { message: string }).message).toBe('boom');
  });

  it('honours a route log level and derives further children from the bound one', () => {
    const { logger, lines } = capturingLogger();
    const requestLog = lazyRequestLogger(logger, { reqId: 'trace-3' }, { level: 'warn' });
    expect(requestLog.level).toBe('warn');
    requestLog.info('dropped at warn');
    requestLog.child({ part: 'stream' }).warn('kept');
    expect(lines).toEqual([expect.objectContaining({ reqId: 'trace-3', part: 'stream', msg: 'kept' })]);
  });
});
