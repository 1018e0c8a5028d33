// Imports as records: start one (from the CLI, the upload page or the API), read its progress and result, list and
// download the rows that did not load, and keep mapping profiles per source system. The loading itself is
// pipeline.ts; the background job that runs it is jobs.ts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { and, asc, desc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { can } from '../../platform/auth/roles.ts';
import { audit } from '../../platform/audit/service.ts';
import { forbidden, notFound, Problem } from '../../platform/http/problem.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { imports, importRowIssues, mappingProfiles } from './schema.ts';
import { isRecordKind, validateProfile, KINDS, type MappingProfile, type RecordKind, type ProfileCheck } from './mapping.ts';
import { csvField } from '../../platform/http/csv.ts';

export type Import = typeof imports.$inferSelect;
export type RowIssue = typeof importRowIssues.$inferSelect;

function requireManage(ctx: Ctx) {
  if (!can(ctx.actor.role, 'imports:manage')) throw forbidden();
}

/** The file's SHA-256, streamed (the same file twice is recognised whatever its name). */
export async function fileSha256(path: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const SOURCE_SYSTEM = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * A source system's name as records are matched on it: lower case, spaces as dashes ("Northgate Housing" →
 * "northgate-housing"), so the same system typed two ways is still one source.
 */
export function sourceSystemKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').trim().toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
}

export interface StartImport {
  sourceSystem: string;
  kind: RecordKind;
  fileName: string;
  /** The file on disk: a path the CLI was given, or where an upload was stored. */
  path: string;
  /** Kept with the import when Hearth stored the file (uploads), so a worker can find it and remove it after. */
  stored: boolean;
  profile: MappingProfile;
  headers: string[];
  sheet?: string;
  /**
   * `hearth ingest`: a completed import of the same file is returned (`completed`) rather than a new one made, so
   * running the command again finishes what that import still owes (its after-import step) and never loads the
   * file twice. (A changed mapping reads the file differently: that is a new import.)
   */
  reuseCompleted?: boolean;
}

/**
 * Create an import, or return the unfinished one for the same file, source, kind and mapping (a crashed or
 * interrupted run resumes instead of starting over). The mapping must fit the file's headers.
 */
export async function startImport(ctx: Ctx, input: StartImport): Promise<{ import: Import; resumed: boolean; completed?: boolean }> {
  requireManage(ctx);
  input = { ...input, sourceSystem: sourceSystemKey(input.sourceSystem) };
  if (!SOURCE_SYSTEM.test(input.sourceSystem)) {
    throw new Problem(422, 'Invalid source system', 'sourceSystem: name the system in letters and digits (up to 63), e.g. "Northgate Housing" (kept as "northgate-housing")',
      [{ field: '/sourceSystem', message: 'lower-case letters, digits, . _ -' }]);
  }
  const check = validateProfile(input.profile, input.headers);
  if (!check.ok) throw mappingProblem(check);
  const profile: MappingProfile = { ...input.profile, sourceSystem: input.sourceSystem, kind: input.kind };
  const stat = fs.statSync(input.path);
  const sha = await fileSha256(input.path);
  const org = ctx.actor.organisationId;
  const [open] = await ctx.tx.select().from(imports).where(and(eq(imports.organisationId, org), eq(imports.sourceSystem, input.sourceSystem),
    eq(imports.kind, input.kind), eq(imports.fileSha256, sha), inArray(imports.status, ['queued', 'running'])))
    .orderBy(desc(imports.createdAt)).limit(1);
  const sameReading = (imp: Import) => canonical(imp.profile) === canonical(profile) && (imp.sheet ?? null) === (input.sheet ?? null);
  if (open && sameReading(open)) {
    if (input.stored && open.storedPath !== input.path) fs.rmSync(input.path, { force: true });
    return { import: open, resumed: true };
  }
  if (input.reuseCompleted) {
    const done = await ctx.tx.select().from(imports).where(and(eq(imports.organisationId, org), eq(imports.sourceSystem, input.sourceSystem),
      eq(imports.kind, input.kind), eq(imports.fileSha256, sha), eq(imports.status, 'completed'))).orderBy(desc(imports.createdAt));
    const loaded = done.find(sameReading);
    if (loaded) return { import: loaded, resumed: false, completed: true };
  }
  const [created] = await ctx.tx.insert(imports).values({
    organisationId: org, id: uuidv7(), sourceSystem: input.sourceSystem, kind: input.kind, fileName: input.fileName, fileSha256: sha,
    fileBytes: stat.size, storedPath: input.stored ? input.path : null, sheet: input.sheet ?? null, headers: input.headers, profile, createdBy: ctx.actor.name,
  }).returning();
  await audit(ctx.tx, ctx.actor, { action: 'import-started', entityKind: 'import', entityId: created!.id,
    detail: { sourceSystem: input.sourceSystem, kind: input.kind, fileName: input.fileName, sha256: sha } });
  return { import: created!, resumed: false };
}

/** JSON with object keys sorted (jsonb does not keep key order), for comparing mappings. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}

export function mappingProblem(check: ProfileCheck): Problem {
  return new Problem(422, 'The mapping does not fit the file', check.errors.map((e) => e.message).join('; '),
    check.errors.map((e) => ({ field: e.header ? `/mapping/columns/${e.header}` : e.field ? `/mapping/${e.field}` : '/mapping', message: e.message })));
}

export async function getImport(ctx: Ctx, id: string): Promise<Import> {
  requireManage(ctx);
  const [row] = await ctx.tx.select().from(imports).where(and(eq(imports.organisationId, ctx.actor.organisationId), eq(imports.id, id)));
  if (!row) throw notFound('import');
  return row;
}

export async function listImports(ctx: Ctx, limit = 50): Promise<Import[]> {
  requireManage(ctx);
  return ctx.tx.select().from(imports).where(eq(imports.organisationId, ctx.actor.organisationId)).orderBy(desc(imports.createdAt)).limit(limit);
}

/**
 * Rows of an import that did not load as they were, in file order; rows of sensitive kinds are audited as read.
 * 'warning' gives every loaded row with a value left out, those kept as 'review' too (a row has one issue).
 */
export async function listIssues(ctx: Ctx, importId: string, options: { outcome?: RowIssue['outcome']; afterRow?: number; limit?: number } = {}): Promise<RowIssue[]> {
  const imp = await getImport(ctx, importId);
  const where = [eq(importRowIssues.organisationId, ctx.actor.organisationId), eq(importRowIssues.importId, importId)];
  if (options.outcome === 'warning') {
    where.push(or(eq(importRowIssues.outcome, 'warning'),
      and(eq(importRowIssues.outcome, 'review'), sql`${importRowIssues.problems} @> ${JSON.stringify([{ outcome: 'warning' }])}::jsonb`))!);
  } else if (options.outcome) where.push(eq(importRowIssues.outcome, options.outcome));
  if (options.afterRow) where.push(gt(importRowIssues.rowNumber, options.afterRow));
  const rows = await ctx.tx.select().from(importRowIssues).where(and(...where)).orderBy(asc(importRowIssues.rowNumber)).limit(options.limit ?? 100);
  if (KINDS[imp.kind]?.sensitive && rows.length) {
    await audit(ctx.tx, ctx.actor, { action: 'read-sensitive', entityKind: 'import', entityId: importId, detail: { rows: rows.map((r) => r.rowNumber) } });
  }
  return rows;
}

/** Counts of issues by rule, for the result page ("42 rows: Not a valid UK postcode"); a warning counts as one, whatever its row's outcome. */
export async function issueSummary(ctx: Ctx, importId: string): Promise<{ outcome: string; rule: string; rows: number; example: string }[]> {
  await getImport(ctx, importId);
  const rows = await ctx.tx.execute(sql`select coalesce(p->>'outcome', i.outcome) as outcome, p->>'rule' as rule, count(*)::int as rows, min(p->>'message') as example
    from import_row_issues i cross join lateral jsonb_array_elements(i.problems) p
    where i.organisation_id = ${ctx.actor.organisationId} and i.import_id = ${importId}
    group by 1, 2 order by 3 desc, 2`);
  return rows.rows as { outcome: string; rule: string; rows: number; example: string }[];
}

/** Runs work in a transaction of its own for the actor's organisation (app.ts `run`, bound to a request). */
export type InTransaction = <T>(work: (ctx: Ctx) => Promise<T>) => Promise<T>;

/**
 * The rows that did not load, as CSV, to fix and load again: the file's own columns as read (so the fixed file maps
 * the same way), then the row number and every problem. Cells that would start a spreadsheet formula are neutralised.
 * Streams in pages, so a big result never sits in memory.
 */
export async function* issuesCsv(ctx: Ctx | InTransaction, importId: string, outcome: 'rejected' | 'duplicate' | 'review' | 'warning' = 'rejected'): AsyncGenerator<string> {
  // Given a way to open transactions, each page is read in its own: a slow download then holds no connection.
  const within: InTransaction = typeof ctx === 'function' ? ctx : (work) => work(ctx);
  const imp = await within((c) => getImport(c, importId));
  const headers = [...(imp.headers.length ? imp.headers : Object.keys(imp.profile.columns ?? {}))];
  let after = 0;
  let first = true;
  for (;;) {
    const page = await within((c) => listIssues(c, importId, { outcome, afterRow: after, limit: 1000 }));
    if (first) {
      const extra = page.flatMap((r) => Object.keys(r.values)).filter((h) => !headers.includes(h));
      headers.push(...new Set(extra));
      yield '\uFEFF' + [...headers, 'Hearth row', 'Hearth problems'].map(csvField).join(',') + '\r\n';
      first = false;
    }
    if (!page.length) return;
    yield page.map((r) => [...headers.map((h) => r.values[h] ?? ''), r.rowNumber, r.problems.map((p) => p.message).join(' | ')].map(csvField).join(',') + '\r\n').join('');
    after = page[page.length - 1]!.rowNumber;
  }
}

// Mapping profiles -----------------------------------------------------------------------------------------------

export async function savedProfile(ctx: Ctx, sourceSystem: string, kind: RecordKind): Promise<MappingProfile | null> {
  const [row] = await ctx.tx.select().from(mappingProfiles).where(and(eq(mappingProfiles.organisationId, ctx.actor.organisationId),
    eq(mappingProfiles.sourceSystem, sourceSystem), eq(mappingProfiles.kind, kind)));
  return row ? (row.profile as MappingProfile) : null;
}

export async function saveProfile(ctx: Ctx, profile: MappingProfile): Promise<void> {
  requireManage(ctx);
  if (!isRecordKind(profile.kind)) throw new Problem(422, 'Unknown kind', `kind must be one of ${Object.keys(KINDS).join(', ')}`);
  await ctx.tx.insert(mappingProfiles).values({ organisationId: ctx.actor.organisationId, sourceSystem: profile.sourceSystem, kind: profile.kind, profile, updatedBy: ctx.actor.name })
    .onConflictDoUpdate({ target: [mappingProfiles.organisationId, mappingProfiles.sourceSystem, mappingProfiles.kind], set: { profile, updatedBy: ctx.actor.name, updatedAt: sql`excluded.updated_at` } });
  await audit(ctx.tx, ctx.actor, { action: 'mapping-saved', entityKind: 'import', detail: { sourceSystem: profile.sourceSystem, kind: profile.kind } });
}

export async function listProfiles(ctx: Ctx) {
  return ctx.tx.select().from(mappingProfiles).where(eq(mappingProfiles.organisationId, ctx.actor.organisationId)).orderBy(asc(mappingProfiles.sourceSystem));
}
