/** A failure of a system call (listen, mkdir, open), as Node reports it. */
interface SystemError extends Error {
  code: string;
  syscall: string;
  path?: string;
  address?: string;
  port?: number;
}

const isSystemError = (error: unknown): error is SystemError =>
  error instanceof Error &&
  typeof (error as Partial<SystemError>).code === 'string' &&
  typeof (error as Partial<SystemError>).syscall === 'string';

/**
 * One line for an operator about what the machine refused (a port in use, a data dir that cannot be made),
 * with what to change; null for anything else, which is a fault of ours and keeps its stack trace.
 */
export function operatorMessage(error: unknown): string | null {
  if (!isSystemError(error)) return null;
  if (error.syscall === 'listen') {
    const where = error.port === undefined ? error.address : `${error.address}:${error.port}`;
    if (error.code === 'EADDRINUSE')
      return `tillstream: cannot listen on ${where}: another process listens there; stop it, or choose another --port`;
    if (error.code === 'EACCES')
      return `tillstream: cannot listen on ${where}: not permitted (ports below 1024 need privileges); choose another --port`;
    if (error.code === 'EADDRNOTAVAIL')
      return `tillstream: cannot listen on ${where}: no such address on this machine; choose another --host`;
    return `tillstream: cannot listen on ${where}: ${error.message}`;
  }
  if (error.path !== undefined)
    return `tillstream: ${error.message} (is --data-dir, or TILLSTREAM_DATA_DIR, a directory this user can write?)`;
  return `tillstream: ${error.message}`;
}
