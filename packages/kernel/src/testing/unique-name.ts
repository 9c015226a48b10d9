let counter = 0;

/** A name no other test of the run uses (SKUs, stores), readable in a failure: `TEE-3-k2x9qa`. */
export const uniqueName = (prefix: string): string =>
  `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
