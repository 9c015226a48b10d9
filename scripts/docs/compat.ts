/**
 * Backward compatibility of a published event data schema, checked structurally on the JSON Schemas. A
 * version is published once consumers may hold events of it, so both directions matter: events written
 * under the published schema must still be valid under the current one (replay, redelivery), and events
 * written now must be valid for consumers built against the published one. Adding an optional member is
 * fine; removing or renaming a required one, making it optional, adding a required one, changing a type,
 * narrowing an enum or tightening a bound is not: that needs a new version.
 */
type Schema = Record<string, unknown>;

const at = (path: string) => path || '/';
const asSchema = (value: unknown): Schema => (value && typeof value === 'object' ? (value as Schema) : {});
const branchesOf = (schema: Schema): Schema[] | null =>
  Array.isArray(schema.anyOf)
    ? schema.anyOf.map(asSchema)
    : Array.isArray(schema.oneOf)
      ? schema.oneOf.map(asSchema)
      : null;

/** The values of an enum-like schema (`enum`, a union of constants or one `const`), or null. */
function enumValues(schema: Schema): unknown[] | null {
  if (Array.isArray(schema.enum)) return schema.enum;
  // A one-member TypeBox union is a bare Literal: an enum of one value, so narrowing to it is seen.
  if ('const' in schema) return [schema.const];
  const branches = branchesOf(schema);
  if (branches?.every((branch) => 'const' in branch)) return branches.map((branch) => branch.const);
  return null;
}

const jsonType = (value: unknown) =>
  value === null
    ? 'null'
    : Number.isInteger(value)
      ? 'integer'
      : typeof value === 'number'
        ? 'number'
        : typeof value;

function typesOf(schema: Schema): string {
  if (Array.isArray(schema.type)) return [...schema.type].sort().join('|');
  return typeof schema.type === 'string' ? schema.type : 'any';
}

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

function bounds(published: Schema, current: Schema, path: string): string[] {
  const problems: string[] = [];
  for (const bound of LOWER_BOUNDS) {
    const before = published[bound] as number | undefined;
    const now = current[bound] as number | undefined;
    if (now !== undefined && (before === undefined || now > before))
      problems.push(`${at(path)}: ${bound} tightened from ${before ?? 'none'} to ${now}`);
  }
  for (const bound of UPPER_BOUNDS) {
    const before = published[bound] as number | undefined;
    const now = current[bound] as number | undefined;
    if (now !== undefined && (before === undefined || now < before))
      problems.push(`${at(path)}: ${bound} tightened from ${before ?? 'none'} to ${now}`);
  }
  for (const keyword of ['pattern', 'format'] as const) {
    if (current[keyword] !== undefined && current[keyword] !== published[keyword])
      problems.push(
        `${at(path)}: ${keyword} changed from ${String(published[keyword] ?? 'none')} to ${String(current[keyword])}`,
      );
  }
  return problems;
}

function objects(published: Schema, current: Schema, path: string): string[] {
  const problems: string[] = [];
  const before = asSchema(published.properties);
  const now = asSchema(current.properties);
  const requiredBefore = new Set((published.required as string[] | undefined) ?? []);
  const requiredNow = new Set((current.required as string[] | undefined) ?? []);
  for (const [name, schema] of Object.entries(before)) {
    const member = `${path}/${name}`;
    if (!(name in now)) {
      if (requiredBefore.has(name)) problems.push(`${member}: required member removed`);
      else if (current.additionalProperties === false)
        problems.push(`${member}: removed, and others are refused`);
      continue;
    }
    if (requiredBefore.has(name) && !requiredNow.has(name))
      problems.push(`${member}: required member became optional`);
    problems.push(...incompatibilities(asSchema(schema), asSchema(now[name]), member));
  }
  for (const name of requiredNow) {
    if (!requiredBefore.has(name)) problems.push(`${path}/${name}: new required member`);
  }
  if (current.additionalProperties === false && published.additionalProperties !== false)
    problems.push(`${at(path)}: now refuses members it does not list`);
  return problems;
}

function unions(published: Schema, current: Schema, path: string): string[] {
  const before = branchesOf(published) ?? [published];
  const now = branchesOf(current) ?? [current];
  const problems: string[] = [];
  for (const branch of before) {
    if (!now.some((candidate) => incompatibilities(branch, candidate, path).length === 0))
      problems.push(`${at(path)}: alternative ${typesOf(branch)} removed or changed`);
  }
  for (const branch of now) {
    if (!before.some((candidate) => incompatibilities(candidate, branch, path).length === 0))
      problems.push(`${at(path)}: new alternative ${typesOf(branch)}`);
  }
  return problems;
}

/** Every way `current` breaks consumers or events of `published`; empty when it is backward compatible. */
export function incompatibilities(published: Schema, current: Schema, path = ''): string[] {
  const valuesBefore = enumValues(published);
  const valuesNow = enumValues(current);
  if (valuesBefore && valuesNow) {
    const removed = valuesBefore.filter((value) => !valuesNow.includes(value));
    return removed.length > 0 ? [`${at(path)}: enum narrowed, ${JSON.stringify(removed)} removed`] : [];
  }
  if (valuesBefore && typeof current.type === 'string' && !branchesOf(current)) {
    // An enum widened to its plain type keeps every value valid; another type does not.
    const fits = valuesBefore.every((value) =>
      [current.type, current.type === 'number' && 'integer'].includes(jsonType(value)),
    );
    return fits ? [] : [`${at(path)}: type changed from an enum to ${typesOf(current)}`];
  }
  if (valuesNow && !valuesBefore) return [`${at(path)}: narrowed to an enum`];
  if (branchesOf(published) || branchesOf(current)) return unions(published, current, path);
  if ('const' in published || 'const' in current) {
    return published.const === current.const ? [] : [`${at(path)}: constant changed`];
  }
  if (typesOf(published) !== typesOf(current))
    return [`${at(path)}: type changed from ${typesOf(published)} to ${typesOf(current)}`];
  const problems = bounds(published, current, path);
  if (published.type === 'object') problems.push(...objects(published, current, path));
  if (published.type === 'array')
    problems.push(...incompatibilities(asSchema(published.items), asSchema(current.items), `${path}/items`));
  return problems;
}

/** Compares every published type and version with the catalogue; a published version may not disappear. */
export function catalogIncompatibilities(
  published: Record<string, unknown>,
  current: Record<string, unknown>,
): string[] {
  return Object.entries(published).flatMap(([key, schema]) =>
    key in current
      ? incompatibilities(asSchema(schema), asSchema(current[key])).map((problem) => `${key} ${problem}`)
      : [`${key}: published version no longer in the catalogue`],
  );
}
