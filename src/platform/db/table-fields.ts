// A table's drizzle definition (a module's schema.ts) is the one description of its stored fields: each property's
// column name and SQL type (issue 12, "one description per field"). What other code needs to know about a field — a
// bulk load's column list, a JSON object composed in SQL, a SELECT's column list — is derived from it here, by the
// property's name (the API's name for the field), never written out again by hand.
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { isoTimestamp } from './json.ts';

/** The name of one of a table's properties (a stored field): `givenName` of people. */
export type Property<T extends PgTable> = Extract<keyof T['_']['columns'], string>;

/** The table's column for a property; an error for a name the table does not have (caught by tsc, and at start). */
export function columnOf<T extends PgTable>(table: T, property: Property<T>): PgColumn {
  const column = (getTableColumns(table) as Record<string, PgColumn>)[property];
  if (!column) throw new Error(`${getTableName(table)} has no field ${String(property)}`);
  return column;
}

// Property names become JSON keys and column aliases as literal text (no parameters: a composed statement stays
// parameter-free where its caller needs that, and json_build_object needs its keys' types known). They are JS
// identifiers; anything else is refused rather than escaped.
const keyLiteral = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a plain field name: ${name}`);
  return sql.raw(`'${name}'`);
};

/** SQL: `alias.column` for a property (identifiers quoted by drizzle). */
export const aliased = <T extends PgTable>(table: T, alias: string, property: Property<T>): SQL =>
  sql`${sql.identifier(alias)}.${sql.identifier(columnOf(table, property).name)}`;

/** A property's value as the API gives it in JSON: timestamps as ISO 8601 UTC strings (as Date.toISOString()), else as stored. */
function jsonValue<T extends PgTable>(table: T, alias: string, property: Property<T>): SQL {
  const column = columnOf(table, property);
  const ref = aliased(table, alias, property);
  return column.getSQLType() === 'timestamp with time zone' ? isoTimestamp(ref) : ref;
}

/**
 * SQL: `json_build_object('givenName', "p"."given_name", …)` of the given properties of a row of `table` (as `alias`),
 * keyed by property name, then the `extra` keys (computed values: a nested object, a value from a joined table).
 */
export function jsonObjectOf<T extends PgTable>(table: T, alias: string, properties: readonly Property<T>[], extra: Readonly<Record<string, SQL>> = {}): SQL {
  const pairs = [
    ...properties.map((p) => sql`${keyLiteral(p)}, ${jsonValue(table, alias, p)}`),
    ...Object.entries(extra).map(([k, v]) => sql`${keyLiteral(k)}, ${v}`),
  ];
  return sql`json_build_object(${sql.join(pairs, sql`, `)})`;
}

/** SQL: a SELECT list of the given properties of `table` (as `alias`), each named by its property: `"p"."given_name" as "givenName"`. */
export function selectListOf<T extends PgTable>(table: T, alias: string, properties: readonly Property<T>[]): SQL {
  return sql.join(properties.map((p) => sql`${aliased(table, alias, p)} as ${sql.identifier(p)}`), sql`, `);
}
