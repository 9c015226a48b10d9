/** What went wrong, as a client branches on it; the kernel maps each kind to its HTTP status. */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'gone'
  | 'too_large'
  | 'unavailable';

/** One code of the error catalogue: its kind (which sets the HTTP status), a title and a description. */
export interface ErrorEntry {
  /** `internal` is the server's own failure (500), never thrown by domain code. */
  kind: ErrorKind | 'internal';
  title: string;
  description: string;
  /** The HTTP status when it is not the kind's usual one (414 and 415 are `invalid` requests, but specific). */
  status?: number;
}
