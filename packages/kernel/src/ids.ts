import { v7 as uuidv7, validate, version } from 'uuid';

/** Id port: time-ordered UUIDv7 so ids sort roughly by creation and index well. */
export interface IdGenerator {
  next(): string;
}

export const uuidV7Ids: IdGenerator = { next: () => uuidv7() };

export function isUuid(value: string): boolean {
  return validate(value);
}

export function isUuidV7(value: string): boolean {
  return validate(value) && version(value) === 7;
}
