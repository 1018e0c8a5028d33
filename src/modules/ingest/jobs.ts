// Imports run as background jobs on pg-boss (one queue, `ingest`), in PostgreSQL itself: on a PostgreSQL server
// through pg-boss's own connection pool, on embedded PGlite through the store's one connection (pg-boss's `pglite`
// backend). The upload page and POST /api/v1/imports create the import and enqueue it; the worker runs the same
// pipeline as `hearth ingest`, with the stored file, and deletes the file when the import has finished.
//
// Crash-safety is the pipeline's: each batch commits with the import's checkpoint, so a job retried after a crash
// resumes where the last batch ended, and a second runner of the same import stops (ImportConflict). One job per
// import at a time (queue policy `exclusive`, keyed by the import id). A worker that dies stops sending heartbeats
// and its job is retried; at start, imports left queued or running whose job is gone are enqueued again.
//
// What other modules do with the records an import writes comes from their events, through the relay's subscribers
// (damp and mould signals, linking new people and homes); the pipeline waits for them (drainInstalled) before it marks
// the import completed, so what follows sees their work. What happens after an import completes (the follow-ups
// modules declare: record linkage's full run when one is due) is afterImport below, which `hearth ingest` calls too.
// It is part of the import's recorded progress: a completed import owes it until imports.after_import_at is set, and
// a process that stopped in between (the job's worker, or `hearth ingest`) leaves it owed; at start the server runs
// every owed step (recover), and `hearth ingest` of the same file runs its own.
import fs from 'node:fs';
import path from 'node:path';
import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { PgBoss, type JobWithMetadata } from 'pg-boss';
import type { Config } from '../../config.ts';
import type { Store } from '../../platform/db/store.ts';
import { imports } from './schema.ts';
import { runImport, ImportConflict } from './pipeline.ts';
import { PlanError } from './convert.ts';
import { removeStored, sweepUploads } from './uploads.ts';
import { importFollowUps } from '../../platform/records/load.ts';

export const INGEST_QUEUE = 'ingest';

export interface IngestJobData {
  organisationId: string;
  importId: string;
}

export interface ImportJobs {
  /**
   * Start the queue and its worker; safe to call again. `recover` (at the app's start): enqueue again every import
   * left queued or running with its file on this machine, and sweep away uploads never confirmed.
   */
  start(options?: { recover?: boolean }): Promise<void>;
  /** Queue an import to run (no-op when it already has a job waiting or running). Starts the queue if needed. */
  enqueue(organisationId: string, importId: string): Promise<void>;
  stop(): Promise<void>;
}

interface Log {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

const QUEUE_OPTIONS = {
  policy: 'exclusive' as const,
  retryLimit: 3,
  retryDelay: 5,
  retryBackoff: true,
  // A live worker refreshes its heartbeat every 15 s; a job whose worker died is retried after 60 s without one.
  heartbeatSeconds: 60,
  // The longest an import may take before it is retried: generous, as the heartbeat is what notices a dead worker.
  expireInSeconds: 6 * 60 * 60,
};

/** Failures that a retry cannot fix: the file or its mapping. The import row already says what went wrong. */
function isPermanent(err: unknown): boolean {
  return err instanceof PlanError || (err instanceof Error && 'file' in err) || /counts do not add up/.test(String((err as Error)?.message));
}

export function importJobs(store: Store, config: Pick<Config, 'databaseUrl' | 'uploadDir' | 'jobsSchema'>, log: Log): ImportJobs {
  let boss: PgBoss | undefined;
  let workerId: string | undefined;
  let starting: Promise<PgBoss> | undefined;
  let stopped = false;

  async function handle(job: JobWithMetadata<IngestJobData>): Promise<object> {
    const { organisationId, importId } = job.data;
    const [imp] = await store.withOrg(organisationId, (tx) => tx.select().from(imports)
      .where(and(eq(imports.organisationId, organisationId), eq(imports.id, importId))));
    if (!imp) return { skipped: 'no such import' };
    if (imp.status === 'completed') {
      removeStored(config.uploadDir, imp.storedPath);
      // A worker that stopped between completing the import and its after-import step: run the step now, if still owed.
      if (!imp.afterImportAt) await afterImport(store, organisationId, { id: importId, kind: imp.kind }, log);
      return { skipped: 'already completed' };
    }
    if (!imp.storedPath || !fs.existsSync(imp.storedPath)) {
      await store.withOrg(organisationId, (tx) => tx.update(imports).set({
        status: 'failed', finishedAt: new Date(), error: 'The uploaded file is no longer stored on this server, so the import cannot continue; load the file again',
      }).where(and(eq(imports.organisationId, organisationId), eq(imports.id, importId))));
      return { failed: 'file missing' };
    }
    try {
      const counts = await runImport(store, organisationId, importId, { path: imp.storedPath });
      removeStored(config.uploadDir, imp.storedPath);
      await afterImport(store, organisationId, { id: importId, kind: imp.kind }, log);
      return counts;
    } catch (err) {
      if (err instanceof ImportConflict) return { skipped: 'another worker is running this import' };
      log.warn({ err, importId, attempt: job.retryCount + 1 }, 'import failed');
      // The import row says failed, with the reason. A file or mapping problem will not change on a retry.
      if (isPermanent(err) || job.retryCount >= job.retryLimit) {
        removeStored(config.uploadDir, imp.storedPath);
        return { failed: (err as Error).message };
      }
      throw err;
    }
  }

  async function boot(): Promise<PgBoss> {
    const b = store.kind === 'pglite'
      ? new PgBoss({ db: { executeSql: (text, values) => store.raw(text, values) }, backend: 'pglite', schema: config.jobsSchema, schedule: false })
      : new PgBoss({ connectionString: config.databaseUrl!, schema: config.jobsSchema, schedule: false, max: 3, application_name: 'hearth-jobs' });
    b.on('error', (err) => log.error({ err }, 'job queue error'));
    await b.start();
    if (!(await b.getQueue(INGEST_QUEUE))) await b.createQueue(INGEST_QUEUE, QUEUE_OPTIONS);
    workerId = await b.work<IngestJobData, object, { batchSize: 1; includeMetadata: true; pollingIntervalSeconds: number }>(INGEST_QUEUE,
      { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 2 }, async ([job]) => handle(job!));
    boss = b;
    return b;
  }

  const ensure = () => {
    if (stopped) throw new Error('the job queue has stopped');
    starting ??= boot().catch((err: unknown) => { starting = undefined; throw err; });
    return starting;
  };

  async function send(b: PgBoss, organisationId: string, importId: string): Promise<boolean> {
    const id = await b.send(INGEST_QUEUE, { organisationId, importId } satisfies IngestJobData, { singletonKey: importId });
    if (id && workerId) b.notifyWorker(workerId);
    return id !== null;
  }

  async function recover(b: PgBoss) {
    const open = await store.system((tx) => tx.select({ organisationId: imports.organisationId, id: imports.id, storedPath: imports.storedPath })
      .from(imports).where(and(inArray(imports.status, ['queued', 'running']), isNotNull(imports.storedPath))));
    const ours = path.resolve(config.uploadDir) + path.sep;
    // Only uploads this server keeps (with several servers on one PostgreSQL, each recovers its own).
    const unfinished = open.filter((imp) => path.resolve(imp.storedPath!).startsWith(ours) && fs.existsSync(imp.storedPath!));
    // Completed imports whose after-import step a stopped process still owes: their job runs just that step. Uploads
    // this server kept, as above; and on PGlite those of `hearth ingest` too (one process owns an embedded database, so
    // no command can still be running one; on a server, the command run again finishes its own).
    const owed = (await store.system((tx) => tx.select({ organisationId: imports.organisationId, id: imports.id, storedPath: imports.storedPath })
      .from(imports).where(and(eq(imports.status, 'completed'), isNull(imports.afterImportAt)))))
      .filter((imp) => (imp.storedPath ? path.resolve(imp.storedPath).startsWith(ours) : store.kind === 'pglite'));
    let queued = 0;
    for (const imp of [...unfinished, ...owed]) {
      if (store.kind === 'pglite') {
        // One process owns an embedded database: a job still active now was left by a process that stopped.
        // It is cancelled (kept, to show what happened) and a new job sent, which runs now rather than after a retry delay.
        const active = (await b.findJobs<IngestJobData>(INGEST_QUEUE, { key: imp.id })).filter((j) => j.state === 'active');
        if (active.length) await b.cancel(INGEST_QUEUE, active.map((j) => j.id));
      }
      if (await send(b, imp.organisationId, imp.id)) queued++;
    }
    const swept = sweepUploads(config.uploadDir);
    if (queued || swept) log.info({ queued, swept }, 'imports recovered at start');
  }

  return {
    async start(options = {}) {
      const b = await ensure();
      if (options.recover) await recover(b);
    },
    async enqueue(organisationId, importId) {
      await send(await ensure(), organisationId, importId);
    },
    async stop() {
      stopped = true;
      await starting?.catch(() => undefined);
      // Let a batch in progress commit; anything after it resumes from its checkpoint at the next start.
      await boss?.stop({ graceful: true, timeout: 5000 });
    },
  };
}

/**
 * The one place that decides what happens after an import completes, for every way in: the import job (upload page,
 * API) and `hearth ingest`. Each module's follow-up for the kind runs (record linkage, for people and homes: the
 * linkage module's manifest), and what each did is returned under its name. A follow-up never fails the import, which
 * has completed already: one that fails (or throws) leaves the step owed.
 */
export async function afterImport(store: Store, organisationId: string, imp: { id: string; kind: string }, log?: Pick<Log, 'info' | 'warn'>): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  let owed = false;
  for (const f of importFollowUps(imp.kind)) {
    try {
      const result = await f.afterImport?.(store, organisationId, imp, log);
      if (result === undefined) continue;
      results[f.name] = result;
      if (f.failed?.(result)) owed = true;
    } catch (err) {
      owed = true;
      log?.warn({ err, importId: imp.id }, `${f.label} after the import failed`);
    }
  }
  // Recorded once done, so a process stopped before here leaves the step owed. A failed follow-up stays owed too: the
  // next start (or run of the same file) tries again.
  if (!owed) {
    await store.withOrg(organisationId, (tx) => tx.update(imports).set({ afterImportAt: sql`now()` })
      .where(and(eq(imports.organisationId, organisationId), eq(imports.id, imp.id), isNull(imports.afterImportAt))));
  }
  return results;
}

/** Wait until an import has finished (completed or failed); for tests and scripts. */
export async function waitForImport(store: Store, organisationId: string, importId: string, options: { timeoutMs?: number } = {}) {
  const until = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const [imp] = await store.withOrg(organisationId, (tx) => tx.select().from(imports)
      .where(and(eq(imports.organisationId, organisationId), eq(imports.id, importId))));
    if (!imp) throw new Error(`import ${importId} not found`);
    if (imp.status === 'completed' || imp.status === 'failed') return imp;
    if (Date.now() > until) throw new Error(`import ${importId} still ${imp.status} after ${options.timeoutMs ?? 60_000} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
