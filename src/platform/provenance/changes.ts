// A record's history from imports: each field an import changed (record_changes), read for views of records. Changes
// to sensitive records (person alerts) carry their words, so they are shown only to roles with the permission that
// reads that kind (its module's declaration), and each read is audited.
import { and, asc, eq, getTableColumns, lte, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/store.ts';
import { can } from '../auth/roles.ts';
import { audit } from '../audit/service.ts';
import { forbidden } from '../http/problem.ts';
import type { Ctx } from '../records/context.ts';
import { sensitiveKinds, type EntityKind } from './service.ts';
import { recordChanges } from './schema.ts';

/** Record that an import changed one field of a record (for loaders that change what bulkUpsert does not: members). */
export async function recordChange(tx: Db, c: { organisationId: string; entityKind: EntityKind; recordId: string; field: string; oldValue: string | null; newValue: string | null; importId: string }): Promise<void> {
  await tx.insert(recordChanges).values({ id: uuidv7(), ...c });
}

/**
 * Changes to any of these records from any import, each record's newest `limitEach` (newest first within a record,
 * records in id order), in one statement whatever the number of records: for views of several records at once
 * (the Person page's timeline of every linked source record). Sensitive changes are checked and audited as above.
 */
export async function changesToRecords(ctx: Ctx, recordIds: readonly string[], limitEach = 100): Promise<RecordChange[]> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  if (!recordIds.length) return [];
  const ranked = ctx.tx.select({
    ...getTableColumns(recordChanges),
    n: sql<number>`row_number() over (partition by ${recordChanges.recordId} order by ${recordChanges.changedAt} desc, ${recordChanges.id} desc)`.as('n'),
  }).from(recordChanges)
    .where(and(eq(recordChanges.organisationId, ctx.actor.organisationId), sql`${recordChanges.recordId} = any(${sql.param([...recordIds])}::uuid[])`))
    .as('ranked');
  const rows = await ctx.tx.select().from(ranked).where(lte(ranked.n, limitEach)).orderBy(asc(ranked.recordId), asc(ranked.n));
  return sensitiveChecked(ctx, rows.map(({ n: _n, ...change }) => change));
}
export type RecordChange = typeof recordChanges.$inferSelect;

/**
 * Changes to sensitive records (person alerts) carry their words: only for roles with the permission that reads the
 * kind (its declaration), and every such read is audited.
 */
async function sensitiveChecked<T extends { entityKind: string; recordId: string }>(ctx: Ctx, rows: T[]): Promise<T[]> {
  const sensitive = sensitiveKinds();
  let shown = rows;
  for (const [kind, permission] of sensitive) {
    const these = shown.filter((r) => r.entityKind === kind);
    if (!these.length) continue;
    if (!can(ctx.actor.role, permission)) { shown = shown.filter((r) => r.entityKind !== kind); continue; }
    await audit(ctx.tx, ctx.actor, [...new Set(these.map((r) => r.recordId))].map((id) => ({ action: 'read-sensitive', entityKind: kind, entityId: id })));
  }
  return shown;
}
