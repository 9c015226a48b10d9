import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { catalogIncompatibilities, incompatibilities } from '../scripts/docs/compat.js';

const json = (schema: unknown) => JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
const Reason = (...values: string[]) => Type.Union(values.map((value) => Type.Literal(value)));
const published = json(
  Type.Object({
    sku: Type.String({ maxLength: 64 }),
    quantity: Type.Integer({ minimum: 0 }),
    note: Type.Optional(Type.String()),
    reason: Reason('sold', 'returned'),
    lines: Type.Array(Type.Object({ sku: Type.String(), price: Type.Integer() })),
    customer: Type.Union([Type.String(), Type.Null()]),
  }),
);
const base = {
  sku: Type.String({ maxLength: 64 }),
  quantity: Type.Integer({ minimum: 0 }),
  note: Type.Optional(Type.String()),
  reason: Reason('sold', 'returned'),
  lines: Type.Array(Type.Object({ sku: Type.String(), price: Type.Integer() })),
  customer: Type.Union([Type.String(), Type.Null()]),
};
const variant = (changes: Record<string, unknown>) => {
  const properties: Record<string, unknown> = { ...base, ...changes };
  for (const [name, value] of Object.entries(properties)) if (value === undefined) delete properties[name];
  return json(Type.Object(properties as never));
};

describe('event schema compatibility', () => {
  it.each([
    ['unchanged', {}],
    ['an optional member added', { extra: Type.Optional(Type.Integer()) }],
    ['an optional member removed', { note: undefined }],
    ['an enum widened', { reason: Reason('sold', 'returned', 'damaged') }],
    ['a bound loosened', { sku: Type.String({ maxLength: 128 }) }],
    [
      'an optional member added inside an array',
      {
        lines: Type.Array(
          Type.Object({ sku: Type.String(), price: Type.Integer(), tax: Type.Optional(Type.Integer()) }),
        ),
      },
    ],
  ])('accepts %s', (_name, changes) => {
    expect(incompatibilities(published, variant(changes))).toEqual([]);
  });

  it.each([
    ['a required member removed', { sku: undefined }, '/sku: required member removed'],
    [
      'a required member made optional',
      { quantity: Type.Optional(Type.Integer({ minimum: 0 })) },
      '/quantity: required member became optional',
    ],
    ['a new required member', { store: Type.String() }, '/store: new required member'],
    ['a type changed', { quantity: Type.String() }, '/quantity: type changed from integer to string'],
    [
      'an integer widened to a number',
      { quantity: Type.Number({ minimum: 0 }) },
      '/quantity: type changed from integer to number',
    ],
    ['an enum narrowed', { reason: Reason('sold') }, '/reason: enum narrowed, ["returned"] removed'],
    [
      'an enum narrowed to one literal',
      { reason: Type.Literal('sold') },
      '/reason: enum narrowed, ["returned"] removed',
    ],
    [
      'an enum replaced by an unrelated literal',
      { reason: Type.Literal('lost') },
      '/reason: enum narrowed, ["sold","returned"] removed',
    ],
    ['a bound tightened', { sku: Type.String({ maxLength: 32 }) }, '/sku: maxLength tightened from 64 to 32'],
    [
      'a nested type changed',
      { lines: Type.Array(Type.Object({ sku: Type.String(), price: Type.String() })) },
      '/lines/items/price: type changed from integer to string',
    ],
    ['null no longer allowed', { customer: Type.String() }, '/customer: alternative null removed or changed'],
    [
      'a new alternative',
      { quantity: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]) },
      '/quantity: new alternative null',
    ],
  ])('refuses %s', (_name, changes, problem) => {
    expect(incompatibilities(published, variant(changes))).toContain(problem);
  });

  it('refuses a published version that disappeared from the catalogue', () => {
    expect(catalogIncompatibilities({ 'a.b.c@1': published }, {})).toEqual([
      'a.b.c@1: published version no longer in the catalogue',
    ]);
    expect(
      catalogIncompatibilities({ 'a.b.c@1': published }, { 'a.b.c@1': published, 'a.b.c@2': {} }),
    ).toEqual([]);
  });
});
