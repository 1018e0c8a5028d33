// Hearth on Citus (distributed PostgreSQL), sharded by landlord: docs/scaling.md, decision 0027.
// Every table that holds one landlord's rows is distributed by organisation_id, all in one co-location group, so a
// landlord's rows of every table live on one node and a query that names the organisation runs on that node alone.
// Tables every landlord shares are reference tables (a copy on every node): organisations itself, and the tables whose
// keys are global (a user's email, a session's or token's hash). Modules that keep a schema of their own (the hub's,
// by publisher) bring their own plan in their manifest (`distribution`). The plan for the public schema is read from the
// catalogue, so a table a later migration adds is planned (and distributed by the next `hearth migrate --distributed`,
// or the next start on a distributed database) without a list to keep.
import { sql } from 'drizzle-orm';
import type { Db, Store } from './store.ts';

/** One schema's plan: its distribution column, its reference tables and its distributed tables (parents first). */
export interface DistributionPlan {
  schema: string;
  column: string;
  reference: readonly string[];
  /** Parents before children: Citus distributes a table only after the tables its foreign keys point at. The first is the co-location anchor. */
  distributed: readonly string[];
}

/**
 * Public tables every landlord shares: reference tables. organisations (tiny, read by every request, and the target of
 * users' foreign key, which a reference table may not point at a distributed one with); users (an email is unique across
 * Hearth), sessions and api_tokens (found by their hash before the organisation is known); event_subscribers (the
 * outbox's subscriber positions, one row per subscriber).
 */
export const GLOBAL_TABLES: readonly string[] = ['organisations', 'users', 'sessions', 'api_tokens', 'event_subscribers'];
export const ORGANISATION_COLUMN = 'organisation_id';

/** The plans the modules bring in their manifests (`distribution`), for their own schemas. */
export function modulePlans(modules: readonly { distribution?: DistributionPlan }[]): DistributionPlan[] {
  return modules.flatMap((m) => (m.distribution ? [m.distribution] : []));
}

export interface RuleBreak { schema: string; table: string; rule: string }

interface Key { table: string; name: string; type: 'p' | 'u' | 'f'; columns: string[]; refTable: string | null; refColumns: string[] }

async function tablesOf(db: Db, schema: string): Promise<string[]> {
  return ((await db.execute(sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ${schema} AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`)).rows as { name: string }[]).map((r) => r.name);
}

/** Primary, unique and foreign keys of a schema's tables, and unique indexes (Citus treats them as unique keys). */
async function keysOf(db: Db, schema: string): Promise<Key[]> {
  return (await db.execute(sql`
    SELECT t.relname AS "table", con.conname AS name, con.contype AS type,
      ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
      r.relname AS "refTable",
      ARRAY(SELECT a.attname::text FROM unnest(coalesce(con.confkey, '{}')) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i) AS "refColumns"
    FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    LEFT JOIN pg_class r ON r.oid = con.confrelid
    WHERE n.nspname = ${schema} AND con.contype IN ('p', 'u', 'f')
    UNION ALL
    SELECT t.relname, i.relname, 'u',
      ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) k JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k), NULL, '{}'
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = ${schema} AND x.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
  `)).rows as unknown as Key[];
}

/** Tables in an order where every table comes after those its foreign keys point at (cycles: left in name order). */
function parentsFirst(tables: readonly string[], keys: readonly Key[]): string[] {
  const set = new Set(tables);
  const parents = new Map(tables.map((t) => [t, new Set(keys.filter((k) => k.type === 'f' && k.table === t && k.refTable && k.refTable !== t && set.has(k.refTable)).map((k) => k.refTable!))]));
  const out: string[] = [];
  const done = new Set<string>();
  const visit = (t: string, path: Set<string>) => {
    if (done.has(t) || path.has(t)) return;
    path.add(t);
    for (const p of [...parents.get(t)!].sort()) visit(p, path);
    path.delete(t);
    done.add(t);
    out.push(t);
  };
  for (const t of [...tables].sort()) visit(t, new Set());
  return out;
}

/**
 * The public schema's plan, from the live catalogue: GLOBAL_TABLES as reference tables (parents first), every other table
 * with an organisation_id distributed by it, parents first.
 */
export async function publicPlan(db: Db): Promise<DistributionPlan> {
  const tables = await tablesOf(db, 'public');
  const keys = await keysOf(db, 'public');
  const withOrganisation = new Set(((await db.execute(sql`SELECT table_name FROM information_schema.columns
    WHERE table_schema = 'public' AND column_name = ${ORGANISATION_COLUMN}`)).rows as { table_name: string }[]).map((r) => r.table_name));
  const drizzleOwn = (t: string) => t.startsWith('__drizzle');
  return {
    schema: 'public',
    column: ORGANISATION_COLUMN,
    reference: parentsFirst(GLOBAL_TABLES.filter((t) => tables.includes(t)), keys),
    distributed: parentsFirst(tables.filter((t) => withOrganisation.has(t) && !GLOBAL_TABLES.includes(t) && !drizzleOwn(t)), keys),
  };
}

/**
 * What in the live schema breaks Citus's rules for a plan: a table the plan does not name; a distributed table without
 * a primary key, or without the distribution column in its primary key or in any unique key; a foreign key between
 * distributed tables that does not join on the distribution column, or that points at a table distributed after it; a
 * reference table's foreign key pointing at a distributed table.
 */
export async function ruleBreaks(db: Db, plan: DistributionPlan): Promise<RuleBreak[]> {
  const { schema, column } = plan;
  const tables = (await tablesOf(db, schema)).filter((t) => !t.startsWith('__drizzle'));
  const keys = await keysOf(db, schema);
  const breaks: RuleBreak[] = [];
  const add = (table: string, rule: string) => breaks.push({ schema, table, rule });
  const distributed = new Set(plan.distributed);
  const reference = new Set(plan.reference);
  for (const t of tables) if (!distributed.has(t) && !reference.has(t)) add(t, `is neither distributed by ${column} nor a reference table`);
  for (const t of [...distributed, ...reference]) if (!tables.includes(t)) add(t, 'is planned but not in the schema');
  for (const k of keys) {
    if (!distributed.has(k.table)) {
      if (k.type === 'f' && k.refTable && distributed.has(k.refTable)) add(k.table, `reference table's foreign key ${k.name} points at distributed ${k.refTable}`);
      continue;
    }
    if ((k.type === 'p' || k.type === 'u') && !k.columns.includes(column)) {
      add(k.table, `${k.type === 'p' ? 'primary' : 'unique'} key ${k.name} (${k.columns.join(', ')}) lacks ${column}`);
    }
    if (k.type === 'f' && k.refTable && distributed.has(k.refTable)) {
      const at = k.columns.indexOf(column);
      if (at < 0 || k.refColumns[at] !== column) add(k.table, `foreign key ${k.name} to ${k.refTable} does not join ${column} to ${column}`);
      if (plan.distributed.indexOf(k.refTable) > plan.distributed.indexOf(k.table)) add(k.table, `is distributed before ${k.refTable}, which its foreign key ${k.name} points at`);
    }
  }
  for (const t of plan.distributed) if (tables.includes(t) && !keys.some((k) => k.table === t && k.type === 'p')) add(t, 'has no primary key');
  return breaks;
}

const qualified = (schema: string, table: string) => `${schema}.${table}`;

/**
 * The statements that carry out plans on a Citus coordinator, in order (what `hearth migrate --distributed` runs). Each
 * schema's distributed tables are co-located with one anchor: the first of them Citus already has (`known`), or else the
 * first in the plan, so a table added later joins the same group whatever its name.
 */
export function distributionStatements(plans: readonly DistributionPlan[], known: ReadonlySet<string> = new Set()): string[] {
  return plans.flatMap((p) => {
    const anchor = p.distributed.find((t) => known.has(qualified(p.schema, t))) ?? p.distributed[0];
    return [
      ...p.reference.map((t) => `SELECT create_reference_table('${qualified(p.schema, t)}');`),
      ...p.distributed.map((t) => (t === anchor
        ? `SELECT create_distributed_table('${qualified(p.schema, t)}', '${p.column}');`
        : `SELECT create_distributed_table('${qualified(p.schema, t)}', '${p.column}', colocate_with => '${qualified(p.schema, anchor!)}');`)),
    ];
  });
}

/** Tables Citus already knows (distributed or reference), as schema.table. */
async function citusTables(db: Db): Promise<Set<string>> {
  const rows = (await db.execute(sql`SELECT n.nspname || '.' || c.relname AS name FROM pg_dist_partition p
    JOIN pg_class c ON c.oid = p.logicalrelid JOIN pg_namespace n ON n.oid = c.relnamespace`)).rows as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/** Whether this database has been distributed (organisations is a Citus table). */
export async function isDistributed(db: Db): Promise<boolean> {
  const citus = ((await db.execute(sql`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)).rows.length > 0);
  return citus && (await citusTables(db)).has('public.organisations');
}

/**
 * On a Citus coordinator: check the plans (the public schema's, from the catalogue, and the modules') against the rules,
 * let the application role log in (Citus opens its connections to the workers as the role a statement runs as), then
 * distribute every planned table that is not yet a Citus table, in the plan's order — so running it again after a
 * migration distributes only the tables it added. Each statement runs on its own (create_distributed_table moves a
 * populated table's rows to the workers), as the owner.
 */
export async function distribute(store: Pick<Store, 'system' | 'exec'>, modulePlans: readonly DistributionPlan[]): Promise<{ reference: string[]; distributed: string[] }> {
  const { plans, known } = await store.system(async (db) => {
    if (!(await db.execute(sql`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)).rows.length) {
      throw new Error('this database is not a Citus coordinator (CREATE EXTENSION citus and add the workers first: docs/scaling.md)');
    }
    const plans = [await publicPlan(db), ...modulePlans];
    const breaks = (await Promise.all(plans.map((p) => ruleBreaks(db, p)))).flat();
    if (breaks.length) throw new Error(`the schema breaks Citus's rules:\n${breaks.map((b) => `  ${b.schema}.${b.table}: ${b.rule}`).join('\n')}`);
    return { plans, known: await citusTables(db) };
  });
  // And its connections pass their SET LOCAL commands on to the workers however they connect (through a pooler that
  // drops the startup options too).
  await store.exec(`ALTER ROLE hearth_app LOGIN; ALTER ROLE hearth_app SET citus.propagate_set_commands = 'local'`);
  const done = { reference: [] as string[], distributed: [] as string[] };
  for (const statement of distributionStatements(plans, known)) {
    const table = statement.match(/\('([^']+)'/)![1]!;
    if (known.has(table)) continue;
    // Off: making organisations a reference table would otherwise turn every local table that points at it into a
    // "Citus local" table, which cannot then be distributed while its neighbours are still local. Sequential: a table
    // with a foreign key to a reference table is distributed over one connection per node.
    await store.exec(`SET citus.enable_local_reference_table_foreign_keys = off; SET citus.multi_shard_modify_mode = 'sequential'; ${statement}`);
    (statement.includes('create_reference_table') ? done.reference : done.distributed).push(table);
  }
  return done;
}

/** Planned tables that Citus does not have yet, on a database that has been distributed (none elsewhere). */
export async function undistributedTables(store: Pick<Store, 'system'>, modulePlans: readonly DistributionPlan[]): Promise<string[]> {
  return store.system(async (db) => {
    if (!(await isDistributed(db))) return [];
    const known = await citusTables(db);
    const plans = [await publicPlan(db), ...modulePlans];
    return plans.flatMap((p) => [...p.reference, ...p.distributed].map((t) => qualified(p.schema, t))).filter((t) => !known.has(t));
  });
}
