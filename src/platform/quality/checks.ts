// Data quality checks. Each module declares the checks of its own records in src/modules/<m>/quality.ts, with the
// SQL for its own tables; the data-quality module composes them into the report. This file is the shared shape and
// the plumbing that runs one table's checks in two statements whatever their number: one pass over the table for
// every count and total, and one for the flagged records (the first few of each check, or all of them for a CSV).
import { sql, type SQL } from 'drizzle-orm';

/** The kind of record a table's checks are about ('homes', 'blocks', …): one section of the report. */
export type QualityKind = string;
export type QualityDimension = 'completeness' | 'validity' | 'contradiction';
/** The staff page a flagged record links to: /homes/{id}, /blocks/{id}, /people/{id}; null: none (a repair with no home). */
export type RecordPage = 'homes' | 'blocks' | 'people' | null;

export interface CheckDefinition {
  /** Stable, for links and CSV: "homes.uprn-missing". */
  id: string;
  kind: QualityKind;
  dimension: QualityDimension;
  /** Plain English, what is counted: "Homes without a UPRN". */
  title: string;
  /** One sentence: why it matters to a landlord. */
  why: string;
  /** What the total counts, in words: "homes", "homes with a UPRN". */
  of: string;
  /** Among the first things to fix: a building safety, legal or identity risk. */
  fixFirst?: boolean;
}

/** A check of one record at a time: a condition on the table's row `r`. */
export interface RowCheck extends CheckDefinition {
  /** True when the record fails. */
  fails: SQL;
  /** The records the total counts (default: all of them). */
  among?: SQL;
  /** Plain words for the record's defect, e.g. the value at fault. */
  detail?: SQL;
}

/** A check across records (duplicates, overlaps, disagreements): the flagged records come from a query. */
export interface SetCheck extends CheckDefinition {
  /** A SELECT of (id, detail, sort): one row per flagged record of the table; sort (text, may be null) groups related records. */
  flagged: SQL;
  /** The records the total counts, as a condition on `r` (default: all of them)… */
  among?: SQL;
  /** …or as a scalar subquery. */
  total?: SQL;
}

export type Check = RowCheck | SetCheck;

export interface TableChecks {
  kind: QualityKind;
  /** The report's heading for the kind: "Homes". */
  title: string;
  /** The module's table, read as `r` and filtered to the organisation. */
  table: SQL;
  organisationId: string;
  page: RecordPage;
  /** Over `r`: how a flagged record is named. */
  label: SQL;
  /** Over `r`: the id of the record the link goes to (default r.id). */
  linkId?: SQL;
  /** Over `r`: the order flagged records are listed in (the id breaks ties). */
  order: SQL;
  checks: Check[];
}

export interface CountRow { check_id: string; count: number | null; total: number }
export interface FlaggedRow { check_id: string; id: string; label: string; detail: string | null; link_id: string; flagged: number }

const isSet = (c: Check): c is SetCheck => 'flagged' in c;

/** A check's definition without its SQL. */
export function definitionOf(c: Check): CheckDefinition {
  const { id, kind, dimension, title, why, of, fixFirst } = c;
  return { id, kind, dimension, title, why, of, ...(fixFirst ? { fixFirst } : {}) };
}
const column = (prefix: string, i: number) => sql.raw(`${prefix}${i}`);

/**
 * One statement: rows (check_id, count, total) for every check of the table, in one pass over it. The count of a
 * set check is null here: its query runs once, in flaggedSql, which counts what it finds.
 */
export function countsSql(t: TableChecks): SQL {
  const aggregates = t.checks.flatMap((c, i) => [
    isSet(c) ? sql`null::int as ${column('c', i)}` : sql`(count(*) filter (where ${c.fails}))::int as ${column('c', i)}`,
    c.among ? sql`(count(*) filter (where ${c.among}))::int as ${column('t', i)}`
      : isSet(c) && c.total ? sql`(${c.total})::int as ${column('t', i)}` : sql`count(*)::int as ${column('t', i)}`,
  ]);
  const rows = t.checks.map((c, i) => sql`(${c.id}::text, a.${column('c', i)}, a.${column('t', i)})`);
  return sql`select x.check_id, x.count, x.total
    from (select ${sql.join(aggregates, sql`, `)} from ${t.table} r where r.organisation_id = ${t.organisationId}) a
    cross join lateral (values ${sql.join(rows, sql`, `)}) as x(check_id, count, total)`;
}

/** The ids of the table's checks that run as a query of their own (their count comes from flaggedSql). */
export const setCheckIds = (t: TableChecks) => t.checks.filter(isSet).map((c) => c.id);

/**
 * One statement: rows (check_id, id, label, detail, link_id, flagged) of the records flagged by the given checks, in
 * order, at most `limit` for each check when given; `flagged` is how many records a set check found in all (null
 * for a row check, whose count comes from countsSql). Undefined when none of the checks is the table's.
 *
 * All of them (a CSV): the row checks in one pass over the table. The first few (the page): each row check that is
 * asked for as its own ORDER BY … LIMIT, which PostgreSQL answers with a top-N sort (or an index) rather than a
 * sort of every flagged record: a common defect on a big table (tens of thousands of people without a phone number)
 * costs a scan. Each set check's query runs once; its records are looked up by primary key, one by one, so a
 * planner that misjudges how many there are (a table never analysed) cannot make it hash the whole table.
 */
export function flaggedSql(t: TableChecks, ids: readonly string[], limit?: number): SQL | undefined {
  const chosen = t.checks.filter((c) => ids.includes(c.id));
  if (!chosen.length) return undefined;
  const rowChecks = chosen.filter((c): c is RowCheck => !isSet(c));
  const setChecks = chosen.filter(isSet);
  const org = t.organisationId;
  const shown = sql`(${t.label})::text as label, (${t.linkId ?? sql`r.id`})::text as link_id`;
  const parts: SQL[] = [];

  if (rowChecks.length && limit !== undefined) {
    for (const c of rowChecks) {
      parts.push(sql`(select ${c.id}::text as check_id, r.id, (${c.detail ?? sql`null`})::text as detail, ${shown},
        row_number() over (order by ${t.order}, r.id) as rn, null::bigint as flagged
        from ${t.table} r where r.organisation_id = ${org} and (${c.fails})
        order by ${t.order}, r.id limit ${limit})`);
    }
  } else if (rowChecks.length) {
    const values = rowChecks.map((c) => sql`(${c.id}::text, ${c.fails}, (${c.detail ?? sql`null`})::text)`);
    parts.push(sql`select x.check_id, r.id, x.detail, ${shown},
        row_number() over (partition by x.check_id order by ${t.order}, r.id) as rn, null::bigint as flagged
      from ${t.table} r cross join lateral (values ${sql.join(values, sql`, `)}) as x(check_id, fails, detail)
      where r.organisation_id = ${org} and (${sql.join(rowChecks.map((c) => sql`(${c.fails})`), sql` or `)}) and x.fails`);
  }
  if (setChecks.length) {
    const found = setChecks.map((c) => sql`select ${c.id}::text as check_id, f.id, f.detail::text as detail, f.sort::text as sort from (${c.flagged}) f`);
    parts.push(sql`select check_id, id, detail, label, link_id, rn, flagged from (
        select f.check_id, r.id, f.detail, ${shown},
          row_number() over (partition by f.check_id order by f.sort nulls last, ${t.order}, r.id) as rn,
          count(*) over (partition by f.check_id) as flagged
        from (${sql.join(found, sql` union all `)}) f
        cross join lateral (select * from ${t.table} r where r.organisation_id = ${org} and r.id = f.id offset 0) r) ranked
      ${limit === undefined ? sql`` : sql`where ranked.rn <= ${limit}`}`);
  }
  return sql`select k.check_id, k.id, k.label, k.detail, k.link_id, k.flagged::int as flagged
    from (${sql.join(parts, sql` union all `)}) k
    order by k.check_id, k.rn`;
}

// What each module gives the report -----------------------------------------------------------------------------------

/** SQL fragments one module lends another's checks, by name ("tenancies.memberships"). */
export type LentFragments = Readonly<Record<string, SQL>>;

/** A module's data quality checks (its manifest's `quality`), installed at start and composed by the data-quality module. */
export interface QualityContribution {
  /** The checks of the module's tables, in the order the report shows them; `lent`: what other modules lend. */
  tables(organisationId: string, lent: LentFragments): TableChecks[];
  /** Fragments over this module's tables that other modules' checks use (so they never read its tables themselves). */
  lends?(organisationId: string): Record<string, SQL>;
}

const CONTRIBUTIONS = new Map<string, QualityContribution>();

/** Declare a module's checks (when it is installed); again: a no-op. */
export function declareQuality(by: string, contribution: QualityContribution): void {
  CONTRIBUTIONS.set(by, contribution);
}

/** Every installed module's checks for one organisation, in the order the modules were installed. */
export function qualityTables(organisationId: string): TableChecks[] {
  const all = [...CONTRIBUTIONS.values()];
  const lent: Record<string, SQL> = {};
  for (const c of all) Object.assign(lent, c.lends?.(organisationId));
  return all.flatMap((c) => c.tables(organisationId, lent));
}

/** A fragment another module lends, or a clear error naming it when that module is not installed. */
export function lentFragment(lent: LentFragments, name: string): SQL {
  const fragment = lent[name];
  if (!fragment) throw new Error(`data quality: the fragment ${name} is lent by no installed module`);
  return fragment;
}
