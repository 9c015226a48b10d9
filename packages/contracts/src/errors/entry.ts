/** One code of the error catalogue: its kind (which sets the HTTP status), a title and a description. */
export interface ErrorEntry {
  kind:
    | 'invalid'
    | 'unauthorized'
    | 'forbidden'
    | 'not_found'
    | 'conflict'
    | 'unprocessable'
    | 'too_large'
    | 'unavailable'
    | 'internal';
  title: string;
  description: string;
  /** The HTTP status when it is not the kind's usual one (414 and 415 are `invalid` requests, but specific). */
  status?: number;
}
