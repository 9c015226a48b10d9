import type { EventContract } from '@tillstream/contracts';

type Versioned = Pick<EventContract, 'type' | 'version'>;

/** `pos.sale.completed@1`: how the notes and the published snapshot key a type and version. */
export const key = (contract: Versioned) => `${contract.type}@${contract.version}`;
export const producerOf = (contract: Pick<EventContract, 'type'>) => contract.type.split('.')[0]!;
/** `PosSaleCompletedV1`: the AsyncAPI message name. */
export const messageName = (contract: Versioned) =>
  contract.type
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('') + `V${contract.version}`;
/** docs/schemas/<type>.v<N>.json */
export const schemaFile = (contract: Versioned) => `docs/schemas/${contract.type}.v${contract.version}.json`;
