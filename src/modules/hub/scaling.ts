// How the hub's schema scales out on Citus (docs/hub-scaling.md; decision 0026): every table that holds a publisher's
// data is distributed by `publisher` and co-located with hub.publishers; code lists are reference tables (a copy on
// every node). The plan is data, so the same list drives the SQL the documentation shows and the test that checks the
// live schema against Citus's rules (scaling.test in test/api/hub-scaling.test.ts), so a new table cannot slip in
// unplanned or break a rule.
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/store.ts';

export const HUB_SCHEMA = 'hub';
/** The distribution column of every distributed hub table. */
export const DISTRIBUTION_COLUMN = 'publisher';

/** Tables copied to every node: small code lists that distributed tables join to. */
export const REFERENCE_TABLES: readonly string[] = ['local_authorities', 'operators'];
/**
 * Distributed tables, parents before children (Citus distributes a table only after the tables its foreign keys point
 * at), each co-located with hub.publishers so a publisher's rows of every table are on one node.
 */
export const DISTRIBUTED_TABLES: readonly string[] = ['publishers', 'credentials', 'sources', 'batches', 'homes', 'blocks', 'area_counts', 'measures', 'measure_values'];

/** The statements that distribute the hub on a Citus coordinator, in order. */
export function distributionPlan(): string[] {
  return [
    ...REFERENCE_TABLES.map((t) => `SELECT create_reference_table('${HUB_SCHEMA}.${t}');`),
    ...DISTRIBUTED_TABLES.map((t, i) => (i === 0
      ? `SELECT create_distributed_table('${HUB_SCHEMA}.${t}', '${DISTRIBUTION_COLUMN}');`
      : `SELECT create_distributed_table('${HUB_SCHEMA}.${t}', '${DISTRIBUTION_COLUMN}', colocate_with => '${HUB_SCHEMA}.${DISTRIBUTED_TABLES[0]}');`)),
  ];
}

export interface RuleBreak { table: string; rule: string }

interface Constraint { table: string; name: string; type: 'p' | 'u' | 'f'; columns: string[]; refTable: string | null; refColumns: string[] }

/** Primary, unique and foreign keys of the hub's tables (unique indexes too: Citus treats them as unique keys). */
async function constraints(db: Db): Promise<{ tables: string[]; keys: Constraint[] }> {
  const tables = ((await db.execute(sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ${HUB_SCHEMA} AND c.relkind IN ('r', 'p') ORDER BY 1`)).rows as { name: string }[]).map((r) => r.name);
  const keys = (await db.execute(sql`
    SELECT t.relname AS "table", con.conname AS name, con.contype AS type,
      ARRAY(SELECT a.attname::text FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k) AS columns,
      r.relname AS "refTable",
      ARRAY(SELECT a.attname::text FROM unnest(coalesce(con.confkey, '{}')) k JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k) AS "refColumns"
    FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    LEFT JOIN pg_class r ON r.oid = con.confrelid
    WHERE n.nspname = ${HUB_SCHEMA} AND con.contype IN ('p', 'u', 'f')
    UNION ALL
    SELECT t.relname, i.relname, 'u',
      ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) k JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k), NULL, '{}'
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = ${HUB_SCHEMA} AND x.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
  `)).rows as unknown as Constraint[];
  return { tables, keys };
}

/**
 * What in the live hub schema breaks Citus's rules for the plan above: a table the plan does not name; a distributed
 * table without the distribution column in its primary key or in any unique key; a foreign key between distributed
 * tables that does not join on the distribution column; a reference table pointing at a distributed one.
 */
export async function scalingRuleBreaks(db: Db): Promise<RuleBreak[]> {
  const { tables, keys } = await constraints(db);
  const breaks: RuleBreak[] = [];
  const distributed = new Set(DISTRIBUTED_TABLES);
  const reference = new Set(REFERENCE_TABLES);
  for (const t of tables) {
    if (!distributed.has(t) && !reference.has(t)) breaks.push({ table: t, rule: 'is in neither DISTRIBUTED_TABLES nor REFERENCE_TABLES (src/modules/hub/scaling.ts)' });
  }
  for (const t of [...distributed, ...reference]) if (!tables.includes(t)) breaks.push({ table: t, rule: 'is planned but not in the schema' });
  for (const k of keys) {
    if (!distributed.has(k.table)) {
      if (k.type === 'f' && k.refTable && distributed.has(k.refTable)) breaks.push({ table: k.table, rule: `reference table's foreign key ${k.name} points at distributed ${k.refTable}` });
      continue;
    }
    if ((k.type === 'p' || k.type === 'u') && !k.columns.includes(DISTRIBUTION_COLUMN)) {
      breaks.push({ table: k.table, rule: `${k.type === 'p' ? 'primary' : 'unique'} key ${k.name} (${k.columns.join(', ')}) lacks ${DISTRIBUTION_COLUMN}` });
    }
    if (k.type === 'f' && k.refTable && distributed.has(k.refTable)) {
      const at = k.columns.indexOf(DISTRIBUTION_COLUMN);
      if (at < 0 || k.refColumns[at] !== DISTRIBUTION_COLUMN) breaks.push({ table: k.table, rule: `foreign key ${k.name} to ${k.refTable} does not join ${DISTRIBUTION_COLUMN} to ${DISTRIBUTION_COLUMN}` });
      if (DISTRIBUTED_TABLES.indexOf(k.refTable) > DISTRIBUTED_TABLES.indexOf(k.table)) breaks.push({ table: k.table, rule: `is distributed before ${k.refTable}, which its foreign key ${k.name} points at` });
    }
  }
  for (const t of DISTRIBUTED_TABLES) {
    if (!keys.some((k) => k.table === t && k.type === 'p')) breaks.push({ table: t, rule: 'has no primary key' });
  }
  return breaks;
}
