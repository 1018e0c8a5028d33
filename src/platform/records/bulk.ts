// Bulk upsert by (source system, source id): how files become records. A batch of rows is COPYed into a temporary
// staging table and merged with set-based SQL, in the caller's transaction: new source ids create records, known
// ones update only the fields that differ (each change kept in record_changes with old and new value), and equal
// rows change nothing at all. Modules call this for their own tables (src/modules/<m>/import.ts); the SQL is built
// from the column list they give, with every value bound or COPYed, never spliced into the text.
import { getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { copyInto, type Db } from '../db/store.ts';
import { columnOf, type Property } from '../db/table-fields.ts';
import { recordsBySourceId, type EntityKind } from '../provenance/service.ts';
import { recordsWritten } from './events.ts';

export type BulkType = 'text' | 'integer' | 'numeric' | 'date' | 'uuid' | 'timestamptz' | 'jsonb';

export interface BulkColumn {
  column: string;
  type: BulkType;
  /** The field's name in record_changes and source values (the API's name for it). */
  field: string;
  /**
   * Written only when the record is created; never compared, updated, recorded in record_changes or kept in source
   * values. For a NOT NULL column the file does not map, whose value the loader fills in with a default: a later
   * extract must not put the default back over a value set since (through the API or another file).
   */
  insertOnly?: boolean;
}

/** A drizzle column's SQL type as a staging column's type (bulk loads stage only these). */
function bulkType(sqlType: string): BulkType | undefined {
  if (sqlType === 'timestamp with time zone') return 'timestamptz';
  if (sqlType.startsWith('numeric')) return 'numeric';
  return (['text', 'integer', 'date', 'uuid', 'jsonb'] as const).find((t) => t === sqlType);
}

/**
 * A loader's bulk columns, from its table's definition (schema.ts, the one description of a stored field): each
 * property's column name and type come from drizzle, and its field (record_changes, source values, events) is the
 * property's name. So an import names only properties, with what is its own about each (`extra`: the file field it
 * is filled from, whether it is always written). An unknown property or a type bulk loads cannot stage is an error
 * when the module loads.
 */
export function bulkColumns<T extends PgTable, X extends object = object>(table: T, properties: readonly Property<T>[],
  extra: { readonly [K in Property<T>]?: X } = {}): (BulkColumn & Partial<X>)[] {
  return properties.map((field) => ({ ...(extra[field] as Partial<X> | undefined), ...bulkColumn(table, field) }) as BulkColumn & Partial<X>);
}

/** One bulk column, from its table's definition (as bulkColumns). */
export function bulkColumn<T extends PgTable>(table: T, field: Property<T>): BulkColumn {
  const column = columnOf(table, field);
  const type = bulkType(column.getSQLType());
  if (!type) throw new Error(`bulk: ${getTableName(table)}.${column.name} is ${column.getSQLType()}, which bulk loads do not stage`);
  return { column: column.name, type, field };
}

export interface BulkSpec {
  kind: EntityKind;
  table: string;
  /**
   * Columns loaded from the file: compared with the record, updated when different, each change recorded (except
   * those marked insertOnly: written on creation only).
   */
  columns: BulkColumn[];
  /** Columns worked out from the others (search text): written with them, never compared or recorded. */
  derived?: BulkColumn[];
  /**
   * Keep the values this source gave beside its reference (source_references.source_values), for tracing each value
   * of a record linked from several sources (people). Off for sensitive kinds (alerts: their words stay in the
   * audited table only) and for kinds whose record is already one source's own (homes, repairs, notes).
   */
  sourceValues?: boolean;
  /**
   * The events of updated records carry old and new values of the fields that changed (facts about places: homes,
   * tenancies); otherwise only the fields' names.
   */
  eventValues?: boolean;
}

export interface BulkRow {
  /** The file row, for the outcome. */
  row: number;
  sourceId: string;
  /** Values in the order of spec.columns then spec.derived; null is NULL. */
  values: (string | number | null)[];
  /**
   * Indexes into spec.columns whose value this row could not give (an optional value left out with a warning, say a
   * phone number not in use): a record the source gave before keeps what it has there, so a bad value in a later
   * extract never blanks a good one. A new record has them empty.
   */
  keep?: readonly number[];
}

export type BulkOutcome = 'created' | 'updated' | 'unchanged';
export interface BulkResult {
  /** Per input row, in input order. */
  outcomes: BulkOutcome[];
  recordIds: string[];
  changes: number;
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bulk: not a plain identifier: ${name}`);
  return `"${name}"`;
};

/**
 * Upsert a batch into spec.table for one organisation and source system. The rows' source ids must be distinct
 * (within-file duplicates are the caller's to report). Runs in the caller's transaction.
 */
export async function bulkUpsert(tx: Db, args: { organisationId: string; sourceSystem: string; importId: string; spec: BulkSpec; rows: BulkRow[] }): Promise<BulkResult> {
  const { organisationId, sourceSystem, importId, spec, rows } = args;
  if (!rows.length) return { outcomes: [], recordIds: [], changes: 0 };
  const all = [...spec.columns, ...(spec.derived ?? [])];
  ident(spec.table);
  // Search indexes (GIN) take new entries into their pending list and merge them in bulk: far cheaper per row.
  await tx.execute(sql.raw(`SET LOCAL gin_pending_list_limit = '32MB'`));

  // Which rows are records this source already gave us.
  const known = await recordsBySourceId(tx, organisationId, spec.kind, sourceSystem, rows.map((r) => r.sourceId));
  const outcomes = new Map<number, { id: string; outcome: BulkOutcome }>();

  // New records go straight in with COPY, with their references; nothing to compare.
  const fresh = rows.filter((r) => !known.has(r.sourceId)).map((r) => ({ r, id: uuidv7() }));
  if (fresh.length) {
    await copyInto(tx, spec.table, ['organisation_id', 'id', ...all.map((c) => c.column)], fresh.map(({ r, id }) => [organisationId, id, ...r.values]), { asOwner: true });
    await copyInto(tx, 'source_references', ['organisation_id', 'entity_kind', 'source_system', 'source_id', 'record_id', 'source_values', 'last_import_id'],
      fresh.map(({ r, id }) => [organisationId, spec.kind, sourceSystem, r.sourceId, id, spec.sourceValues ? sourceValuesJson(spec, r) : null, importId]), { asOwner: true });
    for (const { r, id } of fresh) outcomes.set(r.row, { id, outcome: 'created' });
  }
  const existing = rows.filter((r) => known.has(r.sourceId));
  const changed = new Map<string, { fields: string[]; changes?: Record<string, [string | null, string | null]> }>();
  const changes = existing.length ? await mergeExisting(tx, args, all, existing, known, outcomes, changed) : 0;
  const list = rows.map((r) => outcomes.get(r.row)!);
  // One event per record created or changed, naming the import.
  await recordsWritten(tx, spec.kind, organisationId, list.filter((o) => o.outcome !== 'unchanged')
    .map((o) => ({ id: o.id, created: o.outcome === 'created', data: { importId, ...changed.get(o.id) } })), { actor: `import:${importId}`, correlationId: importId });
  return { outcomes: list.map((o) => o.outcome), recordIds: list.map((o) => o.id), changes };
}

/** The values a source gave, as stored beside its reference: JSON of the non-empty loaded fields (not the defaults). */
function sourceValuesJson(spec: BulkSpec, r: BulkRow): string {
  const out: Record<string, string | number> = {};
  spec.columns.forEach((c, i) => {
    const v = r.values[i];
    if (!c.insertOnly && v !== null && v !== undefined) out[c.field] = c.type === 'jsonb' && typeof v === 'string' ? JSON.parse(v) : v;
  });
  return JSON.stringify(out);
}

/**
 * Records this source gave before: staged with COPY, compared with set-based SQL, and only what differs is updated,
 * each change recorded with its old and new value.
 */
async function mergeExisting(tx: Db, args: { organisationId: string; sourceSystem: string; importId: string; spec: BulkSpec }, all: BulkColumn[],
  rows: BulkRow[], known: Map<string, string>, outcomes: Map<number, { id: string; outcome: BulkOutcome }>,
  changed: Map<string, { fields: string[]; changes?: Record<string, [string | null, string | null]> }>): Promise<number> {
  const { organisationId, sourceSystem, importId, spec } = args;
  // Insert-only columns are left out of everything below: not staged, compared, recorded, updated or kept as values.
  const kept = all.map((c, i) => ({ c, i })).filter(({ c }) => !c.insertOnly);
  const staged = kept.map(({ c }) => c);
  const compared = spec.columns.filter((c) => !c.insertOnly);
  const stage = ident(`stage_${spec.table}`);
  const table = ident(spec.table);
  const colDefs = staged.map((c) => `${ident(c.column)} ${c.type}`).join(', ');
  await tx.execute(sql.raw(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (row_number integer not null, source_id text not null,
    existing_id uuid not null, changed boolean not null default false, keep text${colDefs ? ', ' + colDefs : ''}) ON COMMIT DROP`));
  // keep: the columns (by name, comma-separated) whose stored value this row leaves as it is.
  const keepOf = (r: BulkRow) => {
    const names = (r.keep ?? []).map((i) => spec.columns[i]).filter((c): c is BulkColumn => !!c && !c.insertOnly).map((c) => c.column);
    return names.length ? names.join(',') : null;
  };
  await copyInto(tx, stage.slice(1, -1), ['row_number', 'source_id', 'existing_id', 'keep', ...staged.map((c) => c.column)],
    rows.map((r) => [r.row, r.sourceId, known.get(r.sourceId)!, keepOf(r), ...kept.map(({ i }) => r.values[i] ?? null)]));
  let changes = 0;
  if (compared.length && rows.some((r) => keepOf(r) !== null)) {
    // What the row could not give is what the record has: then it neither differs nor changes.
    const carry = compared.map((c) => `${ident(c.column)} = CASE WHEN ${literal(c.column)} = ANY(string_to_array(s.keep, ',')) THEN t.${ident(c.column)} ELSE s.${ident(c.column)} END`).join(', ');
    await tx.execute(sql.raw(`UPDATE ${stage} s SET ${carry} FROM ${table} t
      WHERE s.keep IS NOT NULL AND t.organisation_id = '${uuidLiteral(organisationId)}' AND t.id = s.existing_id`));
  }
  if (compared.length) {
    const differs = compared.map((c) => `t.${ident(c.column)} IS DISTINCT FROM s.${ident(c.column)}`).join(' OR ');
    await tx.execute(sql.raw(`UPDATE ${stage} s SET changed = true FROM ${table} t
      WHERE s.existing_id IS NOT NULL AND t.organisation_id = '${uuidLiteral(organisationId)}' AND t.id = s.existing_id AND (${differs})`));
    // Old and new value of every field that differs, then the update itself.
    const pairs = compared.map((c) => `(${literal(c.field)}, t.${ident(c.column)}::text, s.${ident(c.column)}::text)`).join(', ');
    const inserted = await tx.execute(sql`INSERT INTO record_changes (organisation_id, id, entity_kind, record_id, field, old_value, new_value, import_id)
      SELECT ${organisationId}::uuid, gen_random_uuid(), ${spec.kind}, t.id, c.field, c.old_value, c.new_value, ${importId}::uuid
      FROM ${sql.raw(stage)} s JOIN ${sql.raw(table)} t ON t.organisation_id = ${organisationId}::uuid AND t.id = s.existing_id
      CROSS JOIN LATERAL (VALUES ${sql.raw(pairs)}) AS c(field, old_value, new_value)
      WHERE s.changed AND c.old_value IS DISTINCT FROM c.new_value
      RETURNING record_id, field${spec.eventValues ? sql`, old_value, new_value` : sql``}`);
    const returned = inserted.rows as { record_id: string; field: string; old_value?: string | null; new_value?: string | null }[];
    changes = returned.length;
    for (const c of returned) {
      const entry = changed.get(c.record_id) ?? (spec.eventValues ? { fields: [], changes: {} } : { fields: [] });
      entry.fields.push(c.field);
      if (entry.changes) entry.changes[c.field] = [c.old_value ?? null, c.new_value ?? null];
      changed.set(c.record_id, entry);
    }
    const sets = staged.map((c) => `${ident(c.column)} = s.${ident(c.column)}`).join(', ');
    await tx.execute(sql.raw(`UPDATE ${table} t SET ${sets}, version = t.version + 1, updated_at = now() FROM ${stage} s
      WHERE s.changed AND t.organisation_id = '${uuidLiteral(organisationId)}' AND t.id = s.existing_id`));
  }
  // Provenance: the values this source now gives, for references whose record changed.
  const valuesJson = spec.sourceValues && compared.length
    ? `jsonb_strip_nulls(jsonb_build_object(${compared.map((c) => `${literal(c.field)}, s.${ident(c.column)}`).join(', ')}))`
    : 'NULL::jsonb';
  await tx.execute(sql`UPDATE source_references sr SET source_values = ${sql.raw(valuesJson)}, last_import_id = ${importId}::uuid, last_seen_at = now()
    FROM ${sql.raw(stage)} s WHERE s.changed AND sr.organisation_id = ${organisationId} AND sr.entity_kind = ${spec.kind}
    AND sr.source_system = ${sourceSystem} AND sr.source_id = s.source_id`);
  const result = await tx.execute(sql.raw(`SELECT row_number, existing_id AS id, changed FROM ${stage}`));
  await tx.execute(sql.raw(`TRUNCATE ${stage}`));
  for (const r of result.rows as { row_number: number; id: string; changed: boolean }[]) outcomes.set(r.row_number, { id: r.id, outcome: r.changed ? 'updated' : 'unchanged' });
  return changes;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
function uuidLiteral(id: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new Error('bulk: organisation id must be a UUID');
  return id;
}
