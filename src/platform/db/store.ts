// One store over two engines: embedded PGlite (on disk) by default, a PostgreSQL server when DATABASE_URL is set.
// Organisation isolation lives here: withOrg() runs its work in a transaction as the non-owning role hearth_app
// with hearth.org_id set, so PostgreSQL's row-level security hides every other landlord's rows even if a service
// forgets a WHERE clause. system() runs as the owner and is for sign-in lookups, migrations and bulk loads only.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fillPlaceholders, Placeholder, sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase } from 'drizzle-orm/pg-core';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { Config } from '../../config.ts';
import { templateFor } from './pglite-template.ts';
import { isUuid } from '../uuid.ts';
import { scopedClient } from './scoped-query.ts';

/**
 * Both drivers return { rows } from execute(); node-postgres's result type describes both. No schema is given to
 * Drizzle: queries name their tables (each module's own), so the platform never needs to know every module's tables.
 */
export type Db = PgDatabase<NodePgQueryResultHKT>;

export interface CopyTable {
  table: string;
  columns: string[];
  /** Rows of text values in column order; null becomes SQL NULL. */
  rows: Iterable<(string | number | null)[]>;
}

export interface Store {
  kind: 'pglite' | 'postgres';
  /** Work for one organisation, under row-level security, in one transaction. */
  withOrg<T>(organisationId: string, work: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Reading work for one organisation, under row-level security: on PostgreSQL each statement is a transaction of its
   * own that sets the organisation, sent in one round trip (scoped-query.ts); on PGlite one transaction. Cheaper than
   * withOrg for the hot read paths. Audited reads write their audit events here too.
   */
  readOrg<T>(organisationId: string, work: (db: Db) => Promise<T>): Promise<T>;
  /** Work as the owner, bypassing row-level security: authentication, migrations, bulk loads. */
  system<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Bulk load with COPY (text format), as the owner, in one transaction. `trusted`: the rows were made by Hearth
   * itself and checked by its tests (the demo generator), so on PGlite foreign-key checks are skipped — about 40%
   * faster. Never for rows from outside (files, the API).
   */
  copy(tables: CopyTable[], options?: { trusted?: boolean }): Promise<void>;
  /**
   * Apply the committed migrations in ./drizzle, then the isolation policies, then put back any index the migrations
   * define that is missing or invalid (restoreIndexes). Safe to run concurrently.
   */
  migrate(): Promise<MigrateResult>;
  /** PGlite only: the whole database as a gzipped tarball (for the new-database template). */
  dumpDataDir?(): Promise<Blob>;
  /** Raw SQL as the owner, for migrations and health checks. */
  exec(statement: string): Promise<void>;
  /**
   * One raw statement as the owner, with bound parameters, outside any transaction; for the job queue (pg-boss) on
   * PGlite. Without parameters the text may hold several statements (pg-boss's own BEGIN … COMMIT blocks).
   */
  raw(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  close(): Promise<void>;
}

const MIGRATIONS = new URL('../../../drizzle', import.meta.url).pathname;

export interface MigrateResult {
  /** Indexes that were missing (or invalid) and were built again, by name. */
  restoredIndexes: string[];
}
const CACHE_DIR = new URL('../../../.cache', import.meta.url).pathname;

/** Tables that are append-only for the application role. */
const APPEND_ONLY = new Set(['audit_events']);

async function tablesWithOrganisation(query: (q: string) => Promise<{ table_name: string }[]>): Promise<string[]> {
  const rows = await query(`SELECT table_name FROM information_schema.columns
    WHERE table_schema = 'public' AND column_name = 'organisation_id' ORDER BY table_name`);
  return rows.map((r) => r.table_name);
}

/**
 * Row-level security for every table that has an organisation_id, found from the catalogue rather than listed
 * by hand, so a new table cannot be forgotten. Run after every migration. It changes only what is missing, so
 * running it again takes no table locks: a second instance starting beside a busy one cannot deadlock with its
 * requests (dropping and re-creating policies would take an exclusive lock on every table).
 */
export function isolationSql(tables: string[]): string {
  const entries: [string, string, boolean][] = [['organisations', 'id', false], ...tables.map((t): [string, string, boolean] => [t, 'organisation_id', APPEND_ONLY.has(t)])];
  const list = entries.map(([t, col, appendOnly]) => `(${literal(t)}, ${literal(col)}, ${appendOnly})`).join(',\n    ');
  return `DO $isolation$
DECLARE r record; privileges text;
BEGIN
  IF NOT has_schema_privilege('hearth_app', 'public', 'USAGE') THEN GRANT USAGE ON SCHEMA public TO hearth_app; END IF;
  FOR r IN SELECT * FROM (VALUES
    ${list}) AS t(name, col, append_only)
  LOOP
    IF NOT (SELECT relrowsecurity FROM pg_class WHERE oid = format('public.%I', r.name)::regclass) THEN
      EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', r.name);
    END IF;
    privileges := CASE WHEN r.name = 'organisations' THEN 'SELECT, UPDATE'
                       WHEN r.append_only THEN 'SELECT, INSERT' ELSE 'SELECT, INSERT, UPDATE, DELETE' END;
    IF NOT has_table_privilege('hearth_app', format('public.%I', r.name), privileges) THEN
      EXECUTE format('GRANT %s ON public.%I TO hearth_app', privileges, r.name);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = 'public' AND tablename = r.name AND policyname = 'organisation_isolation') THEN
      EXECUTE format('CREATE POLICY organisation_isolation ON public.%I TO hearth_app
        USING (%I = current_setting(''hearth.org_id'')::uuid) WITH CHECK (%I = current_setting(''hearth.org_id'')::uuid)', r.name, r.col, r.col);
    END IF;
  END LOOP;
END
$isolation$;`;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const NAME = String.raw`${IDENT}(?:\s*\.\s*${IDENT})?`;
/** Statements of the migrations that make, drop or rename an index, in the order they come. */
const INDEX_DDL = new RegExp(String.raw`\bCREATE\s+(UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(${NAME})\s+(ON\s[^;]+)` +
  String.raw`|\bDROP\s+INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?(${NAME}(?:\s*,\s*${NAME})*)` +
  String.raw`|\bALTER\s+INDEX\s+(?:IF\s+EXISTS\s+)?(${NAME})\s+RENAME\s+TO\s+(${IDENT})`, 'gi');

/** An index's name as the catalogue keeps it: schema dropped, quotes taken off, unquoted names in lower case. */
function indexName(written: string): string {
  const last = written.trim().match(new RegExp(`${IDENT}$`))![0];
  return last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last.toLowerCase();
}

let expectedIndexes: Map<string, string> | undefined;

/**
 * Every index the committed migrations leave, by name, with the statement that builds it (IF NOT EXISTS): each
 * CREATE INDEX in the journal's order, less those a later migration drops, under the name a later one renames it to.
 * Read from the migrations themselves (custom SQL such as the trigram indexes included), not kept by hand. The
 * indexes of primary keys and unique constraints are not here: they go only with their constraint.
 */
export function migrationIndexes(folder = MIGRATIONS): Map<string, string> {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const found = new Map<string, string>();
  for (const { tag } of journal.entries) {
    const text = fs.readFileSync(path.join(folder, `${tag}.sql`), 'utf8').replace(/--[^\n]*/g, '');
    for (const m of text.matchAll(INDEX_DDL)) {
      if (m[2]) {
        found.set(indexName(m[2]), `CREATE ${m[1] ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${ident(indexName(m[2]))} ${m[3]!.trim()}`);
      } else if (m[4]) {
        for (const name of m[4].split(',')) found.delete(indexName(name));
      } else if (m[5]) {
        const create = found.get(indexName(m[5]));
        found.delete(indexName(m[5]));
        if (create) found.set(indexName(m[6]!), create.replace(ident(indexName(m[5])), ident(indexName(m[6]!))));
      }
    }
  }
  return found;
}

/**
 * Build again every index the migrations define that the database lacks, or has only as INVALID (what a killed
 * CREATE INDEX CONCURRENTLY leaves); returns their names. A bulk load that drops indexes and is stopped before it
 * rebuilds them, or an index dropped by hand, is mended by the next migrate. Run by migrate(), as the owner.
 */
export async function restoreIndexes(query: (statement: string) => Promise<Record<string, unknown>[]>): Promise<string[]> {
  expectedIndexes ??= migrationIndexes();
  // Hearth's schemas: public, and those modules keep their own tables in (the hub's). Index names are unique across them.
  const present = new Map((await query(`SELECT c.relname AS name, n.nspname AS schema, i.indisvalid AS valid FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pgboss%'`))
    .map((r) => [r.name as string, { valid: r.valid as boolean, schema: r.schema as string }]));
  const restored: string[] = [];
  for (const [name, create] of expectedIndexes) {
    const index = present.get(name);
    if (index?.valid) continue;
    if (index) await query(`DROP INDEX IF EXISTS ${ident(index.schema)}.${ident(name)}`);
    await query(create);
    restored.push(name);
  }
  return restored.sort();
}

/** Set when this process opens a Citus coordinator (asOrganisation). */
let onCitus = false;

/** Whether the database is a Citus coordinator (the citus extension is installed in it). */
export async function isCitus(query: (q: string) => Promise<Record<string, unknown>[]>): Promise<boolean> {
  return (await query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)).length > 0;
}

/**
 * The statements after which the rest of the transaction (or savepoint) runs as hearth_app in one organisation, so
 * row-level security applies. SET LOCAL rather than set_config(): a Citus coordinator sends SET LOCAL commands on to
 * its workers (citus.propagate_set_commands = 'local'), not function calls. The id is checked to be a UUID, so it can
 * be written into the statement (SET takes no parameters).
 */
export function organisationScope(organisationId: string): string[] {
  return ['SET LOCAL ROLE hearth_app', organisationSetting(organisationId)];
}

/** The statement that sets the organisation for the rest of the transaction (for a connection already hearth_app). */
export function organisationSetting(organisationId: string): string {
  if (!isUuid(organisationId)) throw new Error('organisation id must be a UUID');
  return `SET LOCAL hearth.org_id = '${organisationId}'`;
}

/** Run organisationScope's statements in a transaction, together (a simple query on a server; exec() on PGlite). */
export async function enterOrganisation(tx: Db, organisationId: string): Promise<void> {
  const statements = organisationScope(organisationId).join('; ');
  const client = (tx as unknown as { session: { client: { exec?: (q: string) => Promise<unknown> } } }).session.client;
  if (onServer(tx) || !client.exec) await tx.execute(sql.raw(statements));
  else await client.exec(statements);
}

/** Whether a drizzle session talks to a PostgreSQL server (node-postgres: several statements may go in one query). */
function onServer(tx: Db): boolean {
  return 'connection' in (tx as unknown as { session: { client: object } }).session.client;
}

/** COPY text format: backslash, tab, newline and carriage return escaped; \N is NULL. */
export function copyText(rows: Iterable<(string | number | null)[]>): string {
  const out: string[] = [];
  for (const row of rows) {
    out.push(row.map((v) => (v === null ? '\\N' : String(v).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')))).join('\t'));
  }
  return out.length ? out.join('\n') + '\n' : '';
}

function copyStatement(t: CopyTable, from: string): string {
  const cols = t.columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
  return `COPY "${t.table.replace(/"/g, '""')}" (${cols}) FROM ${from}`;
}

export async function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'appDatabaseUrl'>>, options: { memory?: boolean } = {}): Promise<Store> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, config.appDatabaseUrl) : openPglite(options.memory ? 'memory://' : config.dataDir);
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it. A pid file says
 * who has it; a stale one (its process gone) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = `${dataDir}/hearth.pid`;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch {
      const pid = Number(fs.readFileSync(file, 'utf8'));
      let alive: boolean;
      try { process.kill(pid, 0); alive = true; } catch { alive = false; }
      if (alive) {
        throw new Error(`The embedded database in ${dataDir} is in use by another Hearth process (pid ${pid}). ` +
          'Stop it first, or use a PostgreSQL server (DATABASE_URL) to run several processes.');
      }
      fs.rmSync(file, { force: true });
    }
  }
}

async function openPglite(dataDir: string): Promise<Store> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { drizzle } = await import('drizzle-orm/pglite');
  const unlock = dataDir.startsWith('memory://') ? () => undefined : lockDataDir(dataDir);
  let client;
  try {
    const loadDataDir = templateFor(dataDir, CACHE_DIR);
    try {
      client = await PGlite.create({ dataDir, extensions: { pg_trgm }, loadDataDir });
    } catch (err) {
      if (!loadDataDir) throw err;
      // A damaged template: clear what it left (keeping our lock) and start again with initdb.
      for (const entry of fs.readdirSync(dataDir)) if (entry !== 'hearth.pid') fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
      client = await PGlite.create({ dataDir, extensions: { pg_trgm } });
    }
  } catch (err) {
    unlock();
    throw err;
  }
  const db = drizzle(client) as unknown as Db;
  return {
    kind: 'pglite',
    withOrg: (organisationId, work) => db.transaction(async (tx) => {
      await enterOrganisation(tx as unknown as Db, organisationId);
      return work(tx as unknown as Db);
    }),
    // PGlite is one connection shared by every request: a transaction is what keeps one request's organisation
    // setting from leaking into another's, so reads take one too.
    readOrg: (organisationId, work) => db.transaction(async (tx) => {
      await enterOrganisation(tx as unknown as Db, organisationId);
      return work(tx as unknown as Db);
    }),
    system: (work) => db.transaction(async (tx) => work(tx as unknown as Db)),
    async copy(tables, options = {}) {
      await client.transaction(async (tx) => {
        // Trusted rows skip foreign-key triggers for this transaction only (PGlite is one exclusive connection).
        if (options.trusted) await tx.query('SET LOCAL session_replication_role = replica');
        for (const t of tables) {
          const blob = new Blob([copyText(t.rows)]);
          await tx.query(copyStatement(t, "'/dev/blob'"), [], { blob });
        }
      });
    },
    async migrate() {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(db as never, { migrationsFolder: MIGRATIONS });
      await client.exec(isolationSql(await tablesWithOrganisation((q) => client.query<{ table_name: string }>(q).then((r) => r.rows))));
      return { restoredIndexes: await restoreIndexes((q) => client.query<Record<string, unknown>>(q).then((r) => r.rows)) };
    },
    async exec(statement) { await client.exec(statement); },
    async raw(text, params) {
      try {
        if (params?.length) return await client.query<Record<string, unknown>>(text, params);
        // Several statements: their rows together, so a RETURNING before a trailing COMMIT is not lost.
        return { rows: (await client.exec(text)).flatMap((r) => r.rows as Record<string, unknown>[]) };
      } catch (err) {
        // One shared connection: a block that failed inside its own BEGIN must not leave the next caller in an
        // aborted transaction (a pool would have handed the next caller a fresh connection).
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
    async dumpDataDir() { return (await client.dumpDataDir('gzip')) as Blob; },
    async close() { await client.close(); unlock(); },
  };
}

async function openPostgres(url: string, appUrl = url): Promise<Store> {
  const pg = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { from: copyFrom } = await import('pg-copy-streams');
  const { pipeline } = await import('node:stream/promises');
  const { Readable } = await import('node:stream');
  // Dates stay as 'YYYY-MM-DD' strings, as in the API, rather than becoming local-time Date objects.
  pg.types.setTypeParser(1082, (v: string) => v);
  // Two pools. The owner pool (migrations, sign-in lookups, bulk loads) bypasses row-level security. Every connection
  // of the app pool is the role hearth_app from its start (role=hearth_app in its startup options, checked once per
  // connection: one that is not is refused, never used), and does each request's work in transactions that begin by
  // setting the organisation with SET LOCAL: the setting ends with the transaction, so nothing carries over to the
  // connection's next request, and outside a transaction there is no organisation — current_setting() then fails, so
  // a forgotten setting can only fail closed. Transaction-local settings are also what a Citus coordinator sends on to
  // its workers (citus.propagate_set_commands = 'local', on every connection to a coordinator); session-level ones are
  // not (docs/scaling.md). On Citus, plans stay PostgreSQL's choice: Citus steers parameterised statements to custom
  // plans, and a forced generic plan cannot be distributed for some statements (INSERT … SELECT from a set-returning
  // function of a parameter). On a single server, the keyed lookups' best plan never depends on the values: plan once.
  const distributed = await isCitus(async (q) => {
    const probe = new pg.Client({ connectionString: url });
    await probe.connect();
    try { return (await probe.query(q)).rows; } finally { await probe.end(); }
  });
  onCitus ||= distributed;
  const options = distributed ? '-c citus.propagate_set_commands=local' : '-c plan_cache_mode=force_generic_plan';
  const pool = new pg.Pool({ connectionString: url, max: 3, ...(distributed ? { options } : {}) });
  // About two connections per core keeps PostgreSQL busy without its backends fighting over a small machine.
  const appPool = new pg.Pool({ connectionString: appUrl, options: `-c role=hearth_app ${options}`, max: Number(process.env.HEARTH_DB_POOL || 2 * os.availableParallelism()) });
  // An idle connection can be dropped by the server (restart, admin); the pool replaces it. Do not crash.
  for (const p of [pool, appPool]) p.on('error', (err) => console.error(`hearth: database connection lost: ${err.message}`));
  const db = drizzle(pool) as unknown as Db;
  type AppClient = import('pg').PoolClient & { hearthDb?: Db; hearthRead?: Db; hearthReadOrg?: string };
  async function scoped<T>(organisationId: string, work: (client: AppClient) => Promise<T>): Promise<T> {
    if (!isUuid(organisationId)) throw new Error('organisation id must be a UUID');
    const client = (await appPool.connect()) as AppClient;
    if (!client.hearthDb) {
      // Once per connection: it must be hearth_app. A pooler that drops the startup options, or a login as another
      // role, would run requests as that role (the owner: past row-level security): refuse instead.
      const role = await client.query<{ role: string }>('SELECT current_user AS role').then((r) => r.rows[0]?.role, (err: Error) => err.message);
      if (role !== 'hearth_app') {
        client.release(true);
        throw new Error(`the application's database connection is ${role}, not hearth_app: see HEARTH_APP_DATABASE_URL in docs/scaling.md`);
      }
    }
    try {
      client.hearthDb ??= drizzle(client) as unknown as Db;
      return await work(client);
    } finally {
      client.release(); // node-postgres drops a connection that has failed at the socket level
    }
  }
  return {
    kind: 'postgres',
    withOrg: (organisationId, work) => scoped(organisationId, (client) => client.hearthDb!.transaction(async (tx) => {
      await tx.execute(sql.raw(organisationSetting(organisationId)));
      return work(tx as unknown as Db);
    })),
    // Reads: each statement in a transaction of its own that begins by setting the organisation (SET LOCAL) and
    // commits, all sent in one round trip (scoped-query.ts), so a read costs what it did when the setting lived on
    // the connection. As before, each statement of a read sees what was committed when it began (READ COMMITTED).
    readOrg: (organisationId, work) => scoped(organisationId, async (client) => {
      if (client.hearthReadOrg !== organisationId) {
        // Given as { client }: drizzle would take an object with a `connection` for settings and open a pool of its own.
        client.hearthRead = drizzle({ client: scopedClient(client, [organisationSetting(organisationId)]) as never }) as unknown as Db;
        client.hearthReadOrg = organisationId;
      }
      try {
        return await work(client.hearthRead!);
      } catch (err) {
        // A statement that failed leaves its transaction aborted (the COMMIT after it was skipped): end it.
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }),
    system: (work) => db.transaction(async (tx) => work(tx as unknown as Db)),
    async copy(tables) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const t of tables) {
          const stream = client.query(copyFrom(copyStatement(t, 'STDIN')));
          await pipeline(Readable.from([copyText(t.rows)]), stream);
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
    },
    async migrate() {
      const { migrate } = await import('drizzle-orm/node-postgres/migrator');
      const client = await pool.connect();
      try {
        // Test files and several app instances may start together: one migrates, the others wait.
        await client.query('SELECT pg_advisory_lock(4711)');
        await migrate(drizzle(client), { migrationsFolder: MIGRATIONS });
        await client.query(isolationSql(await tablesWithOrganisation((q) => client.query<{ table_name: string }>(q).then((r) => r.rows))));
        return { restoredIndexes: await restoreIndexes((q) => client.query<Record<string, unknown>>(q).then((r) => r.rows)) };
      } finally {
        await client.query('SELECT pg_advisory_unlock(4711)').catch(() => undefined);
        client.release();
      }
    },
    async exec(statement) { await pool.query(statement); },
    async raw(text, params) { return pool.query(text, params); },
    async close() { await Promise.all([pool.end(), appPool.end()]); },
  };
}

const dialect = new PgDialect();

/**
 * A statement compiled once, with named placeholders (sql.placeholder('x')), run as a named prepared statement where
 * the driver supports it (node-postgres): PostgreSQL parses and plans it once per connection, and Node builds its
 * text once per process, instead of on every request.
 */
export interface Prepared {
  name: string;
  text: string;
  params: unknown[];
}

export function prepare(name: string, query: SQL): Prepared {
  const { sql: text, params } = dialect.sqlToQuery(query);
  // Drizzle numbers every occurrence of a placeholder as its own parameter ($1 … $24 for the person read, which
  // names 7 values). Give each placeholder name one parameter: a smaller Bind message to build, send and parse on
  // every execution. Statements given here hold no literal `$n` text of their own (no dollar quoting).
  const numberOf = new Map<string, number>();
  const kept: unknown[] = [];
  const renumber = params.map((p) => {
    const name = p instanceof Placeholder ? p.name : undefined;
    if (name !== undefined && numberOf.has(name)) return numberOf.get(name)!;
    kept.push(p);
    if (name !== undefined) numberOf.set(name, kept.length);
    return kept.length;
  });
  return { name, text: text.replace(/\$(\d+)/g, (_, n: string) => `$${renumber[Number(n) - 1]}`), params: kept };
}

export async function executePrepared<T>(tx: Db, statement: Prepared, values: Record<string, unknown>): Promise<T[]> {
  const params = fillPlaceholders(statement.params, values);
  // Both drizzle sessions keep their driver's client: node-postgres (a pool client: named statements) or PGlite.
  const client = (tx as unknown as { session: { client: object } }).session.client as {
    query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }>;
    query(text: string, params: unknown[]): Promise<{ rows: T[] }>;
  };
  if ('connection' in client) return (await client.query({ name: statement.name, text: statement.text, values: params })).rows;
  return (await client.query(statement.text, params)).rows;
}

/**
 * Bulk-load into an EMPTY database with its GIN (search) indexes built once at the end rather than row by row,
 * which is several times faster. The indexes to defer are read from the catalogue, and are rebuilt even if the
 * load fails. Never use on a database that is serving requests: search is slow until the indexes are back.
 */
export async function withSearchIndexesDeferred<T>(store: Store, load: () => Promise<T>): Promise<T> {
  const indexes = await store.system(async (tx) => (await tx.execute(sql`
    select indexname, indexdef from pg_indexes where schemaname = 'public' and indexdef like '% USING gin %'`)).rows as { indexname: string; indexdef: string }[]);
  // One statement at a time: inside inOneTransaction, exec runs in a transaction, where PGlite takes one per call.
  for (const i of indexes) await store.exec(`DROP INDEX IF EXISTS ${ident(i.indexname)}`);
  // IF NOT EXISTS: a migrate elsewhere (another instance) may have put one back meanwhile (restoreIndexes).
  const rebuild = async () => { for (const i of indexes) await store.exec(i.indexdef.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS ')); };
  let result: T;
  try {
    result = await load();
  } catch (err) {
    // Rebuilt after a failed load too; in a transaction that the failure has aborted this fails, and the rollback
    // puts the indexes back instead: the load's error is the one to report.
    await rebuild().catch(() => undefined);
    throw err;
  }
  await rebuild();
  return result;
}

/**
 * Run work as hearth_app in one organisation (row-level security applies), in a savepoint of a transaction the
 * database owner holds (the relay's, the demo's one transaction).
 */
export async function asOrganisation<T>(tx: Db, organisationId: string, work: (tx: Db) => Promise<T>): Promise<T> {
  return tx.transaction(async (sp) => {
    if (onCitus) {
      // Citus refuses a transaction that reads, as one role, shards it has written as another ("placements modified in
      // this transaction by a different user"): in these owner transactions (the relay's, the demo's) the work stays
      // the owner's, with the organisation set; every query names its organisation (test/api/explicit-organisation.test.ts).
      await sp.execute(sql.raw(organisationSetting(organisationId)));
      return work(sp as unknown as Db);
    }
    await enterOrganisation(sp as unknown as Db, organisationId);
    const result = await work(sp as unknown as Db);
    await sp.execute(sql`SET LOCAL ROLE NONE`); // back to the owner (after an error, the savepoint's rollback does it)
    return result;
  });
}

/**
 * Work written against a store (withOrg, readOrg, system, copy, exec), done in ONE transaction as the owner: all of it
 * commits, or none of it does — on an error, or when the process is killed part-way (kill -9, power cut). For the
 * first start's demo load: stopped at any moment, it leaves the database as empty as it was, so the next start loads
 * the demo again from clean (the search indexes it drops come back with the rollback). withOrg and readOrg still run
 * as hearth_app with the organisation set (row-level security applies), each in a savepoint. Not for requests: the
 * transaction holds its locks (after withSearchIndexesDeferred, on the whole of homes and people) until it ends.
 */
export async function inOneTransaction<T>(store: Store, work: (store: Store) => Promise<T>): Promise<T> {
  return store.system(async (tx) => {
    // Citus: one connection per node for the whole transaction, so that it may write the reference tables (users)
    // after writing many shards, which it refuses after a parallel multi-shard statement.
    if (onCitus) await tx.execute(sql`SET LOCAL citus.multi_shard_modify_mode = 'sequential'`);
    const asOrg = <R>(organisationId: string, w: (tx: Db) => Promise<R>) => asOrganisation(tx, organisationId, w);
    const client = (tx as unknown as { session: { client: { query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> } } }).session.client;
    const one: Store = {
      kind: store.kind,
      withOrg: asOrg,
      readOrg: asOrg,
      system: (w) => tx.transaction((sp) => w(sp as unknown as Db)),
      async copy(tables, options = {}) {
        await tx.transaction(async (sp) => {
          // As Store.copy: trusted rows skip foreign-key triggers on PGlite, here for these COPYs only.
          const skipChecks = options.trusted && store.kind === 'pglite';
          if (skipChecks) await sp.execute(sql`SET LOCAL session_replication_role = replica`);
          for (const t of tables) await copyInto(sp as unknown as Db, t.table, t.columns, t.rows, { asOwner: true });
          if (skipChecks) await sp.execute(sql`SET LOCAL session_replication_role = origin`);
        });
      },
      async exec(statement) { await tx.execute(sql.raw(statement)); },
      raw: (text, params) => client.query(text, params ?? []),
      migrate: () => Promise.reject(new Error('migrate() runs on the store itself, not inside inOneTransaction')),
      close: async () => undefined,
    };
    return work(one);
  });
}

/**
 * COPY rows into a table inside the caller's transaction, so a bulk load commits or rolls back with the rest of its
 * work. Works on both drivers. PostgreSQL refuses COPY FROM into a table under row-level security, and PGlite reads
 * COPY data as a server file, which only the owner may do; so `asOwner` (and always on PGlite) runs the COPY alone
 * as the owner, then returns the transaction to its role. The caller must have set every row's organisation itself
 * (ingestion writes the import's organisation, never one from the file).
 */
export async function copyInto(tx: Db, table: string, columns: string[], rows: Iterable<(string | number | null)[]>, options: { asOwner?: boolean } = {}): Promise<void> {
  const text = copyText(rows);
  if (!text) return;
  const client = (tx as unknown as { session: { client: object } }).session.client;
  const statement = (from: string) => copyStatement({ table, columns, rows: [] }, from);
  const onServer = 'connection' in client;
  const owner = options.asOwner || !onServer;
  let role: string | undefined;
  if (owner) {
    role = ((await tx.execute(sql`select current_setting('role') as role`)).rows[0] as { role: string }).role;
    await tx.execute(sql`SET LOCAL ROLE NONE`); // this transaction only: the connection keeps its own role after
  }
  let copied = false;
  try {
    if (onServer) {
      const { from: copyFrom } = await import('pg-copy-streams');
      const { pipeline } = await import('node:stream/promises');
      const { Readable } = await import('node:stream');
      await pipeline(Readable.from([text]), (client as import('pg').PoolClient).query(copyFrom(statement('STDIN'))));
    } else {
      await (client as { query(q: string, p: unknown[], o: { blob: Blob }): Promise<unknown> }).query(statement("'/dev/blob'"), [], { blob: new Blob([text]) });
    }
    copied = true;
  } finally {
    // After a failed COPY the transaction is aborted and rolls back (the SET LOCAL with it): a statement here would
    // only fail too, and its error would hide the COPY's own.
    if (copied && role && role !== 'none') await tx.execute(sql.raw(`SET LOCAL ROLE ${ident(role)}`));
  }
}

/**
 * SQL for a FROM clause: one row `want(v)` per value, the list bound as ONE array parameter. Join it with
 * `CROSS JOIN LATERAL (… WHERE col = want.v OFFSET 0)` so each value is one index lookup whatever the plan: an IN
 * list of thousands of parameters becomes a filter under a generic plan (seconds per batch on a big table).
 */
export function wanted(values: readonly string[], type: 'text' | 'uuid' = 'text'): SQL {
  return sql`unnest(${sql.param([...values])}::${sql.raw(type)}[]) AS want(v)`;
}

/** SQL: `(a, b, c)` for `x IN …` from a non-empty list of values, each bound as a parameter (short lists only). */
export function inList(values: readonly unknown[]): SQL {
  if (!values.length) throw new Error('inList: empty list');
  return sql`(${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}

/**
 * SQL: the rows of a multi-row `INSERT … VALUES`, `(v, v, …), (…)`, each value bound as a parameter with its column's
 * type. An INSERT of rows made here is written as VALUES rather than as INSERT … SELECT from unnest() or
 * json_to_recordset(): on a Citus coordinator that is an INSERT … SELECT, which it carries out with COPY into the
 * shards, and PostgreSQL refuses COPY into a table under row-level security (docs/scaling.md). Keep a statement under
 * PostgreSQL's 65,535 parameters: rows × columns (callers insert in chunks).
 */
export function valueRows(rows: readonly (readonly unknown[])[], types: readonly string[]): SQL {
  if (!rows.length) throw new Error('valueRows: no rows');
  if (rows.length * types.length > 65_535) throw new Error(`valueRows: ${rows.length} rows of ${types.length} values is more than one statement takes`);
  const casts = types.map((t) => sql.raw(`::${t}`));
  return sql.join(rows.map((r) => sql`(${sql.join(r.map((v, i) => sql`${v}${casts[i]!}`), sql`, `)})`), sql`, `);
}
