import type { HttpPort } from './http.port.js';
import { givenBackBy, openClaims, strandedReleaser, type OpenClaims } from './open-claims.js';
import type { TerminalStorage } from './storage.port.js';

/** The storage key of the holds this terminal asked for that no stored sale names and none gave back yet. */
export const OPEN_HOLDS_KEY = 'openHolds';

/**
 * The terminal's durable record of its gift card and store credit holds (see `openClaims`): what is left after
 * a crash was stranded with the card debited.
 */
export const openHolds = (storage: TerminalStorage) => openClaims(storage, OPEN_HOLDS_KEY);

export type OpenHolds = OpenClaims;

/**
 * Gives holds back to their cards (the sale did not complete): answers the ids the server settled, given back
 * now or before, claimed by a sale (409), or never recorded (404: a hold that lands later still expires on the
 * server). Best effort: an id the server did not answer for stays in the record, to be given back on recovery.
 */
export async function cancelHolds(http: HttpPort, redemptionIds: readonly string[]): Promise<string[]> {
  const settled: string[] = [];
  for (const id of redemptionIds) {
    const response = await http
      .request('POST', `/pos/v1/stored-value/redemptions/${id}/cancel`)
      .catch(() => null);
    if (givenBackBy(response)) settled.push(id);
  }
  return settled;
}

/**
 * Gives back the holds a crash left in the record (see `strandedReleaser`). The server lets them expire too,
 * but a customer at the till should not wait for that.
 */
export const strandedHoldsReleaser = (deps: {
  http: HttpPort;
  record: OpenHolds;
  till: <T>(fn: () => Promise<T>) => Promise<T>;
}) => strandedReleaser({ ...deps, giveBack: (ids) => cancelHolds(deps.http, ids) });
