// Repair jobs, as the repairs system recorded them; every word of a description is kept (the damp and mould
// questions search them). Other modules call this service, never the table.
import { eq, gt, ilike, sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { escapeLike } from '../../platform/db/like.ts';
import { invalid } from '../../platform/http/problem.ts';
import { defineRecords, type ListQuery } from '../../platform/records/service.ts';
import { repairs } from './schema.ts';

export type Repair = typeof repairs.$inferSelect;

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** A job is for a home, or keeps what the source named a home by when it matched none; its dates are in order. */
function checkRepair(r: Partial<Repair>) {
  if (!r.homeId && !str(r.homeNamed)) {
    throw invalid('/homeId', 'is required: the home the job is for (or homeNamed: what the source called a home that matched no record)');
  }
  if (r.reportedDate && r.completedDate && r.completedDate < r.reportedDate) throw invalid('/completedDate', 'must be on or after the reported date');
  if (r.reportedDate && r.targetDate && r.targetDate < r.reportedDate) throw invalid('/targetDate', 'must be on or after the reported date');
}

export const repairRecords = defineRecords<Repair>({
  kind: 'repair', label: 'repair', table: repairs, read: 'records:read', write: 'records:write',
  filters: (q: ListQuery) => [
    str(q.homeId) ? eq(repairs.homeId, str(q.homeId)!) : undefined,
    str(q.jobReference) ? ilike(repairs.jobReference, escapeLike(str(q.jobReference)!)) : undefined,
    str(q.status) ? ilike(repairs.status, escapeLike(str(q.status)!)) : undefined,
  ],
  // Checked on the values as they will be stored (on update: the record with the change applied), before writing.
  prepare: (v) => {
    checkRepair(v);
    return {};
  },
});

/** Newest first: by reported date (undated last), then job reference. */
export function newestRepairFirst(a: Repair, b: Repair): number {
  if (a.reportedDate !== b.reportedDate) {
    if (!a.reportedDate) return 1;
    if (!b.reportedDate) return -1;
    return b.reportedDate.localeCompare(a.reportedDate);
  }
  return b.jobReference.localeCompare(a.jobReference, 'en-GB', { numeric: true }) || b.id.localeCompare(a.id);
}

/** The repair history of a home, newest first. */
export async function repairsOfHome(ctx: Ctx, homeId: string): Promise<Repair[]> {
  return (await repairRecords.find(ctx, eq(repairs.homeId, homeId))).sort(newestRepairFirst);
}

/**
 * The repair histories of several homes, newest first, in one statement whatever the number of homes (the ids go as
 * one array parameter): for views composed from several records at once.
 */
export async function repairsOfHomes(ctx: Ctx, homeIds: readonly string[]): Promise<Repair[]> {
  if (!homeIds.length) return [];
  // As many as repairsOfHome would read for each home (its limit), however many homes.
  return (await repairRecords.find(ctx, sql`${repairs.homeId} = any(${sql.param([...homeIds])}::uuid[])`, 10_000 * homeIds.length)).sort(newestRepairFirst);
}

/**
 * Every repair of the organisation in id order, `limit` after the id `after` (null: from the first): for a module that
 * rebuilds a view of its own from all repairs (insight's damp and mould signals).
 */
export async function repairsInIdOrder(ctx: Ctx, after: string | null, limit: number): Promise<Repair[]> {
  return repairRecords.find(ctx, after ? gt(repairs.id, after) : sql`true`, limit);
}
