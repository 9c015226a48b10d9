import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** Name of the process or context, added to every line. */
  name: string;
}

/** Structured JSON logs on stdout; one logger per process, children per context. */
export function createLogger(options: LoggerOptions): Logger {
  return pino({ name: options.name, level: options.level, base: { pid: process.pid } });
}
