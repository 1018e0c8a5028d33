// Provenance: the (source system, source id) pairs a record came from, HACT "Reference" style.
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { wanted, type Db } from '../db/store.ts';
import { sourceReferences } from './schema.ts';
import { Problem } from '../http/problem.ts';
import type { Permission } from '../auth/roles.ts';

/**
 * A kind of record ('home', 'person', …): a module declares the kinds it owns (its manifest's `entityKinds`, installed
 * at start). Source references, record changes and events are kept by kind; writing one of a kind nobody declared
 * is refused (assertEntityKind).
 */
export type EntityKind = string;

/**
 * A kind of record a module declares: its name, or with what people call its records ("Hazard reports": for lists
 * such as a webhook's choice of events) and, for a sensitive kind (person alerts), the permission that reads it. A
 * sensitive record's changes are shown only with that permission, each such read is audited, and its events never
 * leave Hearth (no webhook or message bus gets them: decision 0017).
 */
export type EntityKindDeclaration = EntityKind | { kind: EntityKind; label?: string; readableWith?: Permission };

const KINDS = new Map<EntityKind, { by: string; label?: string; readableWith?: Permission }>();

/** Declare kinds of record (a module's, when it is installed). The same declaration again is a no-op; a clash is an error. */
export function declareEntityKinds(by: string, kinds: readonly EntityKindDeclaration[]): void {
  for (const d of kinds) {
    const k = typeof d === 'string' ? { kind: d } : d;
    const known = KINDS.get(k.kind);
    if (known && known.by !== by) throw new Error(`kind of record ${k.kind} is declared by both ${known.by} and ${by}`);
    KINDS.set(k.kind, { by, ...('label' in k && k.label ? { label: k.label } : {}), ...('readableWith' in k && k.readableWith ? { readableWith: k.readableWith } : {}) });
  }
}

/** Every declared kind of record and the module that owns it. */
export const entityKinds = (): { kind: EntityKind; by: string }[] => [...KINDS].map(([kind, { by }]) => ({ kind, by }));

/** The kinds whose records may leave Hearth in events (not sensitive), with their labels ("Homes"), in declaration order. */
export const publicEntityKinds = (): { kind: EntityKind; label: string }[] =>
  [...KINDS].filter(([, k]) => !k.readableWith).map(([kind, k]) => ({ kind, label: k.label ?? kind }));

/** Is this kind of record sensitive (readable only with a permission)? */
export const isSensitiveKind = (kind: EntityKind): boolean => KINDS.get(kind)?.readableWith !== undefined;

/** The sensitive kinds, and the permission that reads each. */
export const sensitiveKinds = (): Map<EntityKind, Permission> =>
  new Map([...KINDS].flatMap(([kind, k]) => (k.readableWith ? [[kind, k.readableWith] as const] : [])));

export function assertEntityKind(kind: EntityKind): void {
  if (!KINDS.has(kind)) throw new Error(`kind of record ${kind} is declared by no installed module (src/modules/index.ts)`);
}

export interface SourceReference {
  /** The source system that allocated the identifier (HACT AllocatedBy), e.g. "northgate-housing". */
  system: string;
  /** The identifier in that system (HACT ID). */
  id: string;
  description?: string | null;
}

export async function attachReferences(tx: Db, organisationId: string, kind: EntityKind, recordId: string, refs: SourceReference[]): Promise<void> {
  if (!refs.length) return;
  assertEntityKind(kind);
  await tx.insert(sourceReferences).values(refs.map((r) => ({
    organisationId, entityKind: kind, sourceSystem: r.system, sourceId: r.id, recordId, description: r.description ?? null,
  }))).onConflictDoUpdate({
    target: [sourceReferences.organisationId, sourceReferences.entityKind, sourceReferences.sourceSystem, sourceReferences.sourceId],
    set: { lastSeenAt: sql`excluded.last_seen_at` },
    setWhere: eq(sourceReferences.recordId, recordId),
  });
  // A source id already belonging to a different record is a conflict for the caller: merging two records is
  // record linkage's decision, never a side effect of a write.
  const owners = await tx.select({ system: sourceReferences.sourceSystem, id: sourceReferences.sourceId, recordId: sourceReferences.recordId })
    .from(sourceReferences).where(and(eq(sourceReferences.organisationId, organisationId), eq(sourceReferences.entityKind, kind),
      inArray(sourceReferences.sourceId, refs.map((r) => r.id))));
  refs.forEach((r, i) => {
    const owner = owners.find((o) => o.system === r.system && o.id === r.id);
    if (owner && owner.recordId !== recordId) {
      throw new Problem(409, 'Conflict', `sourceReferences/${i}: ${r.system} ${r.id} already identifies another ${kind} (${owner.recordId})`,
        [{ field: `/sourceReferences/${i}`, message: 'already identifies another record' }]);
    }
  });
}

/**
 * The records of a kind that one source system gave these ids: source id → record id; ids it never gave are absent.
 * One statement whatever the number of ids (an array parameter, looked up id by id on the unique index).
 */
export async function recordsBySourceId(tx: Db, organisationId: string, kind: EntityKind, sourceSystem: string, sourceIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!sourceIds.length) return out;
  const rows = await tx.execute(sql`select want.v as source_id, x.record_id from ${wanted([...new Set(sourceIds)])} cross join lateral (select record_id
    from source_references where organisation_id = ${organisationId} and entity_kind = ${kind} and source_system = ${sourceSystem} and source_id = want.v offset 0) x`);
  for (const r of rows.rows as { source_id: string; record_id: string }[]) out.set(r.source_id, r.record_id);
  return out;
}

export async function referencesFor(tx: Db, organisationId: string, recordIds: readonly string[]): Promise<Map<string, SourceReference[]>> {
  const out = new Map<string, SourceReference[]>();
  if (!recordIds.length) return out;
  const rows = await tx.select().from(sourceReferences)
    .where(and(eq(sourceReferences.organisationId, organisationId), sql`${sourceReferences.recordId} = any(${sql.param([...recordIds])}::uuid[])`))
    .orderBy(sourceReferences.sourceSystem, sourceReferences.sourceId);
  for (const r of rows) {
    const list = out.get(r.recordId) ?? [];
    list.push({ system: r.sourceSystem, id: r.sourceId, description: r.description });
    out.set(r.recordId, list);
  }
  return out;
}

/** SQL: the source references of a record as a JSON array, for views composed into one statement. */
export function referencesJsonSql(organisationId: SQL, recordId: SQL): SQL {
  return sql`(select coalesce(json_agg(json_build_object('system', sr.source_system, 'id', sr.source_id, 'description', sr.description)
    order by sr.source_system, sr.source_id), '[]'::json) from source_references sr
    where sr.organisation_id = ${organisationId} and sr.record_id = ${recordId})`;
}
