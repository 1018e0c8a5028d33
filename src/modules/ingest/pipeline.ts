// The one pipeline every way in (CLI, upload page, API) runs: read → map → normalise → load in batches.
// Each batch commits in one transaction with the import's counts and checkpoint, so a crash at any moment loses
// nothing and repeats nothing: the next run resumes after the checkpoint. Every row read ends in exactly one of
// created, updated, unchanged, rejected or duplicate, and the counts are checked to add up before the import ends.
import { and, eq, sql } from 'drizzle-orm';
import type { Store, Db } from '../../platform/db/store.ts';
import { drainInstalled } from '../../platform/events/installed.ts';
import { type LoadContext, type LoadResult, type LoadRow, type RowProblem } from '../../platform/records/load.ts';
import { KINDS, validateProfile, type MappingProfile, type RecordKind } from './mapping.ts';
import { convertRow, makePlan, requireFields, partProblems, asRejection, columnOf as planColumnOf, fieldOf, PlanError, type Plan } from './convert.ts';
import { readRows } from './rows.ts';
import { rowKeeper } from './layout.ts';
import type { FileRow } from './read.ts';
import { imports, importRowIssues } from './schema.ts';
import { loaderFor } from './loaders.ts';
import { describeError } from '../../platform/log.ts';
import { visibleNul } from '../../platform/http/validation.ts';
import { crashPoint } from '../../platform/crash-points.ts';

export interface Progress {
  rowsRead: number;
  bytesRead: number;
  totalBytes: number;
  counts: Counts;
}
export interface Counts {
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
  forReview: number;
  /** Loaded rows with an optional value left out (a bad phone number, say); a subset of created + updated + unchanged. */
  warnings: number;
  /** Rows the mapping's filter left out (not records of this kind: a gazetteer's shops): not read as records, so not
   * in rowsRead. Counted over the whole file by each run, and kept with the import (imports.filtered). */
  filtered?: number;
}

export interface RunOptions {
  /** The file on disk (uploads are stored without their name). */
  path: string;
  onProgress?: (p: Progress) => void;
  /** Rows per transaction. */
  batchSize?: number;
}

export class ImportConflict extends Error {}

const SAMPLE_ROWS = 2000;
const KILL_AT_BATCH = Number(process.env.HEARTH_TEST_KILL_AT_BATCH) || 0;

interface Pending {
  rows: LoadRow[];
  raw: Map<number, FileRow>;
  issues: { row: number; outcome: 'rejected' | 'duplicate' | 'review' | 'warning'; values: Record<string, string>; problems: RowProblem[] }[];
  /** Loaded rows' warnings and review items found before loading (bad optional values, dates that read two ways). */
  notes: Map<number, { warnings: RowProblem[]; review: RowProblem[] }>;
  firstRow: number;
  lastRow: number;
  read: number;
  rejected: number;
  duplicates: number;
}

const emptyPending = (): Pending => ({ rows: [], raw: new Map(), issues: [], notes: new Map(), firstRow: 0, lastRow: 0, read: 0, rejected: 0, duplicates: 0 });

/**
 * Run (or resume) an import that exists in `imports`. Returns its final counts. Throws ImportConflict when another
 * runner has moved the same import on (two workers never both load it).
 */
export async function runImport(store: Store, organisationId: string, importId: string, options: RunOptions): Promise<Counts> {
  const [imp] = await store.withOrg(organisationId, (tx) => tx.select().from(imports).where(and(eq(imports.organisationId, organisationId), eq(imports.id, importId))));
  if (!imp) throw new Error(`import ${importId} not found`);
  if (imp.status === 'completed') return countsOf(imp);
  const profile = imp.profile as MappingProfile;
  const kind = imp.kind as RecordKind;
  const loader = loaderFor(kind);
  const batchSize = options.batchSize ?? 5000;
  await store.withOrg(organisationId, (tx) => tx.update(imports).set({ status: 'running', startedAt: sql`coalesce(${imports.startedAt}, ${new Date().toISOString()}::timestamptz)`, error: null })
    .where(and(eq(imports.organisationId, organisationId), eq(imports.id, importId))));

  const counts = countsOf(imp);
  let checkpoint = imp.checkpointRow;
  // Rows committed by an earlier run. A new import's checkpoint is row 1 (a CSV's header), but row 1 of a JSON file is
  // a record: with nothing read yet, nothing is done.
  const doneThrough = imp.rowsRead > 0 ? imp.checkpointRow : 0;
  let headers: string[] = [];
  let bytesRead = 0;
  let totalBytes = imp.fileBytes;
  try {
    const reader = readRows(options.path, {
      fileName: imp.fileName, sheet: imp.sheet ?? undefined, headerRow: profile.headerRow, jsonPath: profile.jsonPath,
      onInfo: (info) => { headers = info.headers; },
      onProgress: (done, total) => { bytesRead = done; totalBytes = total; },
    });
    // A sample to settle date formats, then the same rows are loaded.
    const sample: FileRow[] = [];
    const iterator = reader[Symbol.asyncIterator]();
    let next = await iterator.next();
    while (!next.done && sample.length < SAMPLE_ROWS) { sample.push(next.value); if (sample.length < SAMPLE_ROWS) next = await iterator.next(); }
    const check = validateProfile(profile, headers);
    if (!check.ok) throw new PlanError(check.errors.map((e) => e.message).join('; '));
    const plan = makePlan(profile, headers, sample);
    const columnOf = (field: string) => planColumnOf(plan, field);
    const required = loader.requiredWhen?.(plan.mapped) ?? loader.required;
    // Only a bad value of what identifies the record rejects its row; any other is left out with a warning.
    const identifying = new Set([...required, ...(KINDS[kind]?.identifying ?? [])]);
    const ctx: LoadContext = { organisationId, sourceSystem: imp.sourceSystem, importId, mapped: plan.mapped, columnOf, values: profile.values ?? {} };
    const seen = new Map<string, number>();
    const keep = rowKeeper(profile.filter);
    delete counts.filtered; // only when the filter left rows out, counted afresh over the whole file
    let pending = emptyPending();
    let batches = 0;

    const flush = async () => {
      if (!pending.read) return;
      const batch = pending;
      const bytesAtBatch = bytesRead;
      pending = emptyPending();
      const results = batch.rows.length ? null : [];
      await store.withOrg(organisationId, async (tx) => {
        const loaded: LoadResult[] = results ?? await loader.load(tx, ctx, batch.rows);
        // Crash tests: die by SIGKILL in the middle of the nth batch's transaction (work done, nothing committed).
        if (++batches === KILL_AT_BATCH) process.kill(process.pid, 'SIGKILL');
        const delta = { created: 0, updated: 0, unchanged: 0, rejected: batch.rejected, duplicates: batch.duplicates, forReview: 0, warnings: 0 };
        loaded.forEach((r, i) => {
          const row = batch.rows[i]!.row;
          const values = batch.raw.get(row)!.values;
          const noted = batch.notes.get(row);
          const review = [...(noted?.review ?? []), ...(r.review ?? [])];
          const warnings = [...(noted?.warnings ?? []), ...(r.warnings ?? [])];
          if (r.outcome === 'rejected') {
            delta.rejected++;
            batch.issues.push({ row, outcome: 'rejected', values, problems: [...(r.problems ?? []), ...review, ...warnings.map(asRejection)] });
          } else {
            delta[r.outcome]++;
            if (review.length) delta.forReview++;
            if (warnings.length) delta.warnings++;
            // One issue per row (the table's key): a row both for review and with warnings is kept as 'review', the
            // stronger call on a person's time, with every problem; each warning says it is one (outcome 'warning').
            if (review.length || warnings.length) batch.issues.push({ row, outcome: review.length ? 'review' : 'warning', values, problems: [...review, ...warnings] });
          }
        });
        await writeIssues(tx, organisationId, importId, batch.issues);
        const moved = await tx.update(imports).set({
          rowsRead: sql`${imports.rowsRead} + ${batch.read}`,
          created: sql`${imports.created} + ${delta.created}`, updated: sql`${imports.updated} + ${delta.updated}`,
          unchanged: sql`${imports.unchanged} + ${delta.unchanged}`, rejected: sql`${imports.rejected} + ${delta.rejected}`,
          duplicates: sql`${imports.duplicates} + ${delta.duplicates}`, forReview: sql`${imports.forReview} + ${delta.forReview}`,
          warnings: sql`${imports.warnings} + ${delta.warnings}`,
          // Counted from the file's first row by every run (resumed ones too), so it is set, not added.
          filtered: counts.filtered ?? 0,
          checkpointRow: batch.lastRow, bytesDone: bytesAtBatch,
        }).where(and(eq(imports.organisationId, organisationId), eq(imports.id, importId), eq(imports.checkpointRow, checkpoint))).returning({ id: imports.id });
        if (!moved.length) throw new ImportConflict(`import ${importId} was moved on by another runner; this one stops`);
        counts.rowsRead += batch.read;
        counts.created += delta.created; counts.updated += delta.updated; counts.unchanged += delta.unchanged;
        counts.rejected += delta.rejected; counts.duplicates += delta.duplicates; counts.forReview += delta.forReview; counts.warnings += delta.warnings;
      }).catch((err: unknown) => {
        if (err instanceof ImportConflict) throw err;
        // Say which import and rows, and the database's own reason (not the query and its values, which may be personal).
        throw new Error(`import ${importId}: rows ${batch.firstRow}–${batch.lastRow} could not be loaded (${describeError(err)}); ` +
          `the rows before them are loaded, and running the import again resumes at row ${batch.firstRow}`, { cause: err });
      });
      checkpoint = batch.lastRow;
      // What other modules do with the batch's records (damp and mould signals, record linkage of new people and homes)
      // comes from the events the batch appended, through the relay's subscribers: it never fails or slows the import.
      options.onProgress?.({ rowsRead: counts.rowsRead, bytesRead: bytesAtBatch, totalBytes, counts: { ...counts } });
    };

    const handle = async (fileRow: FileRow) => {
      if (!keep(fileRow.values)) { counts.filtered = (counts.filtered ?? 0) + 1; return; } // skipped by the filter: not a record of this kind
      const converted = convertRow(plan, fileRow);
      const { fields, review } = converted;
      if (!converted.problems.some((p) => p.rule === 'row-empty')) converted.problems.push(...requireFields(plan, fields, required));
      const { rejecting: problems, warnings } = partProblems(plan, converted.problems, identifying);
      const key = problems.length ? null : loader.key(fields);
      const done = fileRow.row <= doneThrough;
      if (key !== null) {
        const first = seen.get(key);
        if (first === undefined) seen.set(key, fileRow.row);
        else if (!done) {
          pending.duplicates++;
          pending.issues.push({ row: fileRow.row, outcome: 'duplicate', values: fileRow.values, problems: [{ column: null, value: key, rule: 'duplicate-in-file',
            message: `Row ${fileRow.row} is the same record (${key}) as row ${first}; only row ${first} is loaded. Remove one of them, or merge them in the source` }] });
          pending.read++; pending.firstRow ||= fileRow.row; pending.lastRow = fileRow.row;
          return;
        }
      }
      if (done) return; // committed by an earlier run: only its identity is needed, to spot later duplicates
      pending.read++;
      pending.firstRow ||= fileRow.row;
      pending.lastRow = fileRow.row;
      if (problems.length) {
        pending.rejected++;
        pending.issues.push({ row: fileRow.row, outcome: 'rejected', values: fileRow.values, problems: [...problems, ...review] });
      } else {
        // A value left out with a warning is one the record keeps as it was, if the source gave it before.
        const leftOut = new Set(warnings.map((w) => fieldOf(plan, w.column)).filter((f): f is string => f !== null));
        pending.rows.push(leftOut.size ? { row: fileRow.row, fields, leftOut } : { row: fileRow.row, fields });
        pending.raw.set(fileRow.row, fileRow);
        if (warnings.length || review.length) pending.notes.set(fileRow.row, { warnings, review });
      }
      if (pending.read >= batchSize) await startFlush();
    };
    // Reading and normalising the next batch overlaps loading this one (Node and the database work at once); batches
    // still commit one after another, in file order.
    let inflight: Promise<void> = Promise.resolve();
    const startFlush = async () => {
      await inflight;
      inflight = flush();
      inflight.catch(() => undefined); // awaited before the next batch and at the end
    };

    try {
      for (const r of sample) await handle(r);
      if (sample.length === SAMPLE_ROWS) {
        for (next = await iterator.next(); !next.done; next = await iterator.next()) await handle(next.value);
      }
    } catch (err) {
      // The file broke off (or a row could not be read): the batch already loading finishes first, so the import's
      // record of what loaded is settled before it is marked failed.
      await inflight.catch(() => undefined);
      throw err;
    }
    await startFlush();
    await inflight;
    const total = counts.created + counts.updated + counts.unchanged + counts.rejected + counts.duplicates;
    if (counts.warnings > counts.created + counts.updated + counts.unchanged) throw new Error(`the counts do not add up (${counts.warnings} rows with warnings, more than the rows loaded); the import is stopped so nothing is hidden`);
    if (total !== counts.rowsRead) throw new Error(`the counts do not add up (${total} outcomes for ${counts.rowsRead} rows read); the import is stopped so nothing is hidden`);
    // The subscribers' work on the import's events (damp and mould signals, linking new people and homes) is done
    // before the import says completed, as when it ran with each batch: whoever sees the import completed (its page, the
    // API, `hearth ingest`, the after-import step) sees its records' signals and links. The relay does it (another
    // process's, or this one's now); a failure there never fails the import: the relay catches up on its next tick.
    await drainInstalled(store, { beforeImportCompletes: true }).catch(() => undefined);
    await store.withOrg(organisationId, (tx) => tx.update(imports).set({ status: 'completed', finishedAt: sql`now()`, bytesDone: totalBytes, filtered: counts.filtered ?? 0 })
      .where(and(eq(imports.organisationId, organisationId), eq(imports.id, importId))));
    crashPoint('after-complete');
    return counts;
  } catch (err) {
    if (!(err instanceof ImportConflict)) {
      const message = err instanceof Error ? err.message : String(err);
      await store.withOrg(organisationId, (tx) => tx.update(imports).set({ status: 'failed', error: message, finishedAt: sql`now()` })
        .where(and(eq(imports.organisationId, organisationId), eq(imports.id, importId)))).catch(() => undefined);
    }
    throw err;
  }
}

async function writeIssues(tx: Db, organisationId: string, importId: string, issues: Pending['issues']) {
  for (let i = 0; i < issues.length; i += 1000) {
    await tx.insert(importRowIssues).values(issues.slice(i, i + 1000).map((x) => ({
      organisationId, importId, rowNumber: x.row, outcome: x.outcome, values: storable(x.values),
      problems: x.problems.map((p) => ({ ...p, value: p.value === null ? null : visibleNul(p.value), message: visibleNul(p.message) })),
    }))).onConflictDoNothing();
  }
}

/** jsonb cannot hold U+0000 either: a row's kept values show each NUL as ␀ (its nul-character problem says so). */
function storable(values: Record<string, string>): Record<string, string> {
  if (!Object.values(values).some((v) => v.includes('\u0000'))) return values;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, visibleNul(v)]));
}

export function countsOf(imp: typeof imports.$inferSelect): Counts {
  return { rowsRead: imp.rowsRead, created: imp.created, updated: imp.updated, unchanged: imp.unchanged, rejected: imp.rejected, duplicates: imp.duplicates, forReview: imp.forReview, warnings: imp.warnings, ...(imp.filtered ? { filtered: imp.filtered } : {}) };
}

export type { Plan };
