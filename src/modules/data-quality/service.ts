// The data quality report: what is missing, what cannot be right and where records disagree, for one landlord.
// Each module owns the checks of its records (src/modules/<m>/quality.ts, SQL for its own tables, given in its
// manifest's `quality`); this service composes those of the installed modules (platform/quality/checks.ts). Per kind of record it runs two statements however many checks there are: one pass over the table
// for every count and total, then the checks across records (duplicates, overlaps, disagreements) together with the
// first examples of the other checks that found something.
import { audit } from '../../platform/audit/service.ts';
import { and, eq, sql } from 'drizzle-orm';
import { govukDate, ukDate } from '../../platform/uk-time.ts';
import type { WorklistItem } from '../../platform/modules.ts';
import { qualitySnapshots } from './schema.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import {
  countsSql, flaggedSql, setCheckIds, definitionOf, qualityTables, type CheckDefinition, type CountRow, type FlaggedRow, type QualityDimension,
  type QualityKind, type RecordPage,
} from '../../platform/quality/checks.ts';

export const EXAMPLES = 10;

export const DIMENSION_TITLES: Record<QualityDimension, string> = {
  completeness: 'Missing information', validity: 'Values that cannot be right', contradiction: 'Records that disagree',
};
const DIMENSIONS: QualityDimension[] = ['completeness', 'validity', 'contradiction'];

export interface Example { id: string; label: string; detail: string | null; /** Null when the record has no page of its own (a repair with no home). */ href: string | null }
export interface CheckResult extends CheckDefinition {
  count: number;
  total: number;
  /** count / total × 100, or null when there is nothing to count. */
  percent: number | null;
  examples: Example[];
}
export interface QualityReport {
  kinds: { kind: QualityKind; title: string; dimensions: { dimension: QualityDimension; title: string; checks: CheckResult[] }[] }[];
  checks: CheckResult[];
  /** Time taken by each kind's statements, and in all, in milliseconds. */
  millis: Record<QualityKind, number> & { all: number };
}
export interface CsvRow { check: string; kind: QualityKind; id: string; label: string; detail: string | null }

/** Every table's checks, for the actor's organisation, in the order of the modules (src/modules/index.ts). */
const tables = qualityTables;

/** Every check there is (the definitions only: no SQL is run). */
export function checkDefinitions(): CheckDefinition[] {
  const none = '00000000-0000-0000-0000-000000000000';
  return tables(none).flatMap((t) => t.checks.map(definitionOf));
}

/**
 * Checks the actor may read records, and sets two things for the rest of the transaction. No JIT compilation: the
 * planner's row estimates for the checks across records are far too high, which made PostgreSQL spend longer
 * compiling the statements than running them (1.4 s of 2 s on 50,000 homes). More memory for sorts (32 MB, not the
 * default 4 MB): the checks across records sort every person once, which otherwise spills to disk.
 */
async function begin(ctx: Ctx) {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  await ctx.tx.execute(sql`set local jit = off`);
  await ctx.tx.execute(sql`set local work_mem = '32MB'`);
}

const hrefOf = (page: RecordPage, id: string | null) => (page && id ? `/${page}/${id}` : null);

export async function qualityReport(ctx: Ctx): Promise<QualityReport> {
  await begin(ctx);
  const t0 = performance.now();
  const millis = { all: 0 } as QualityReport['millis'];
  const results: CheckResult[] = [];
  const all = tables(ctx.actor.organisationId);
  for (const t of all) {
    const start = performance.now();
    const counts = new Map((await ctx.tx.execute(countsSql(t))).rows.map((r) => [(r as unknown as CountRow).check_id, r as unknown as CountRow]));
    // Examples of the checks that found something, and the checks across records (which count as they find).
    const found = t.checks.filter((c) => (counts.get(c.id)?.count ?? 0) > 0).map((c) => c.id);
    const query = flaggedSql(t, [...found, ...setCheckIds(t)], EXAMPLES);
    const flagged = query ? (await ctx.tx.execute(query)).rows as unknown as FlaggedRow[] : [];
    for (const c of t.checks) {
      const examples = flagged.filter((f) => f.check_id === c.id);
      const total = counts.get(c.id)?.total ?? 0;
      const count = counts.get(c.id)?.count ?? examples[0]?.flagged ?? 0;
      results.push({
        ...definitionOf(c), count, total, percent: total > 0 ? (count / total) * 100 : null,
        examples: examples.map((f) => ({ id: f.id, label: f.label, detail: f.detail, href: hrefOf(t.page, f.link_id) })),
      });
    }
    millis[t.kind] = Math.round(performance.now() - start);
  }
  millis.all = Math.round(performance.now() - t0);
  await recordSnapshots(ctx, results);
  const kinds = all.map((t) => ({
    kind: t.kind, title: t.title,
    dimensions: DIMENSIONS.map((dimension) => ({ dimension, title: DIMENSION_TITLES[dimension], checks: results.filter((c) => c.kind === t.kind && c.dimension === dimension) }))
      .filter((d) => d.checks.length),
  }));
  return { kinds, checks: results, millis };
}

/** Every flagged record of one check, or of every check: the rows of the CSV download. */
export async function qualityRows(ctx: Ctx, checkId?: string): Promise<CsvRow[]> {
  await begin(ctx);
  const all = tables(ctx.actor.organisationId);
  if (checkId !== undefined && !all.some((t) => t.checks.some((c) => c.id === checkId))) {
    throw new Problem(404, 'Page not found', `There is no data quality check called “${checkId.slice(0, 100)}”`);
  }
  const out: CsvRow[] = [];
  for (const t of all) {
    const ids = t.checks.map((c) => c.id).filter((id) => checkId === undefined || id === checkId);
    const query = flaggedSql(t, ids);
    if (!query) continue;
    // In the order of the checks, then of the records.
    const byCheck = new Map<string, CsvRow[]>(ids.map((id) => [id, []]));
    for (const r of (await ctx.tx.execute(query)).rows as unknown as FlaggedRow[]) {
      byCheck.get(r.check_id)?.push({ check: r.check_id, kind: t.kind, id: r.id, label: r.label, detail: r.detail });
    }
    for (const rows of byCheck.values()) out.push(...rows);
  }
  // A download of people's names and dates of birth in bulk: who took it, and what, is kept in the audit log.
  await audit(ctx.tx, ctx.actor, { action: 'export', entityKind: 'data-quality', detail: { check: checkId ?? null, rows: out.length } });
  return out;
}

// ---- Snapshots: what each check counted on a day, to see which got worse

/** Keep each check's count as today's (UK date): the last run of a day is the day's. Idempotent. */
async function recordSnapshots(ctx: Ctx, results: readonly CheckResult[], today = ukDate(new Date())) {
  if (!results.length) return;
  await ctx.tx.insert(qualitySnapshots)
    .values(results.map((c) => ({ organisationId: ctx.actor.organisationId, checkId: c.id, takenOn: today, count: c.count, total: c.total })))
    .onConflictDoUpdate({
      target: [qualitySnapshots.organisationId, qualitySnapshots.checkId, qualitySnapshots.takenOn],
      set: { count: sql`excluded.count`, total: sql`excluded.total` },
    });
}

/**
 * Make sure the checks have been counted today (the report runs, and keeps its counts, when they have not): the
 * first view of the day of a home page that shows the checks that got worse does it. Returns whether it ran.
 */
export async function snapshotToday(ctx: Ctx, today = ukDate(new Date())): Promise<boolean> {
  const [done] = await ctx.tx.select({ checkId: qualitySnapshots.checkId }).from(qualitySnapshots)
    .where(and(eq(qualitySnapshots.organisationId, ctx.actor.organisationId), eq(qualitySnapshots.takenOn, today))).limit(1);
  if (done) return false;
  await qualityReport(ctx);
  return true;
}

export interface WorseCheck { id: string; title: string; count: number; before: number; beforeOn: string }

/**
 * The checks whose count today is higher than on the last earlier day they were counted, most worse first (counted
 * today first if they have not been). Only checks still installed.
 */
export async function worseChecks(ctx: Ctx, today = ukDate(new Date())): Promise<WorseCheck[]> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  await snapshotToday(ctx, today);
  const org = ctx.actor.organisationId;
  const rows = (await ctx.tx.execute(sql`
    select t.check_id, t.count, p.count as before, p.taken_on::text as before_on
    from quality_snapshots t
    join lateral (
      select e.count, e.taken_on from quality_snapshots e
      where e.organisation_id = ${org} and e.check_id = t.check_id and e.taken_on < t.taken_on
      order by e.taken_on desc limit 1
    ) p on true
    where t.organisation_id = ${org} and t.taken_on = ${today}::date and t.count > p.count
    order by t.count - p.count desc, t.check_id`)).rows as { check_id: string; count: number; before: number; before_on: string }[];
  const titles = new Map(checkDefinitions().map((c) => [c.id, c.title]));
  return rows.filter((r) => titles.has(r.check_id))
    .map((r) => ({ id: r.check_id, title: titles.get(r.check_id)!, count: Number(r.count), before: Number(r.before), beforeOn: String(r.before_on).slice(0, 10) }));
}


/** The worklist of checks that got worse: "12 more than on 1 December 2026", linked to the check on the report. */
export async function worseCheckItems(ctx: Ctx, options: { limit: number }): Promise<{ total: number; items: WorklistItem[] }> {
  const worse = await worseChecks(ctx);
  return {
    total: worse.length,
    items: worse.slice(0, options.limit).map((c) => ({
      href: `/data-quality#${c.id}`, text: c.title,
      hint: `${(c.count - c.before).toLocaleString('en-GB')} more than on ${govukDate(c.beforeOn)} (${c.count.toLocaleString('en-GB')} now)`,
      tag: { text: 'Worse', colour: 'red' as const },
    })),
  };
}
