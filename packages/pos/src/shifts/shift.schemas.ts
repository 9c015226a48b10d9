import { Type } from 'typebox';
import { Currency, LocationId, Timestamp, ZReport } from '@tillstream/contracts';
import { Amount, ClientId, TerminalId } from '../pos.schemas.js';

const Seq = Type.Integer({
  minimum: 1,
  maximum: 1e9,
  description: 'Per terminal, from 1; part of receipt numbers',
});

export const ShiftOpenBody = Type.Object(
  {
    id: ClientId,
    terminalId: TerminalId,
    storeId: LocationId,
    seq: Seq,
    currency: Currency,
    openedAt: Timestamp,
    openingFloat: Type.Integer({ ...Amount, description: 'Cash in the drawer at the start, minor units' }),
  },
  { additionalProperties: false },
);

const closeFields = {
  id: Type.String({ format: 'uuid', description: 'Client-made id of the close itself' }),
  closedAt: Timestamp,
  countedCash: Type.Integer({ ...Amount, description: 'Cash counted in the drawer at the end, minor units' }),
};

export const ShiftCloseBody = Type.Object(closeFields, { additionalProperties: false });

/** In a sync batch the close names its whole shift, so it is recorded even when the opening has not arrived. */
export const ShiftCloseTransaction = Type.Object(
  {
    ...closeFields,
    shiftId: Type.String({ format: 'uuid' }),
    terminalId: TerminalId,
    storeId: LocationId,
    seq: Seq,
    currency: Currency,
  },
  { additionalProperties: false },
);

export const ShiftView = Type.Object({
  id: Type.String(),
  terminalId: Type.String(),
  storeId: Type.String(),
  seq: Type.Integer(),
  currency: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  openedAt: Type.Union([Type.String(), Type.Null()]),
  openingFloat: Type.Union([Type.Integer(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  countedCash: Type.Union([Type.Integer(), Type.Null()]),
  revision: Type.Integer({
    description: 'Z-report revisions published: 1 at the close, +1 per late arrival',
  }),
  report: ZReport,
});
