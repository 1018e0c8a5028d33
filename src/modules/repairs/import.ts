// Loading repair history from files: one row per job, keyed by the job reference. The home is matched exactly through
// the homes module; a job whose home matches nothing still loads, keeping what it named (for review and later
// linking), never attached to a guess. Descriptions and locations are kept word for word; priority and status as the
// contractor wrote them (their codes vary).
import type { Db } from '../../platform/db/store.ts';
import { bulkUpsert, type BulkColumn } from '../../platform/records/bulk.ts';
import { keptColumns, type Fields, type KindLoader, type LoadResult, type RowProblem } from '../../platform/records/load.ts';
import { matchHomes, homeNamed, homeNotMatched, keepingHomeLink } from '../homes/index.ts';

/** Columns always written and those written only when the file maps their field. */
const REPAIR_COLUMNS: (BulkColumn & { always?: true })[] = [
  { column: 'job_reference', type: 'text', field: 'jobReference', always: true },
  { column: 'home_id', type: 'uuid', field: 'homeId', always: true },
  { column: 'home_named', type: 'text', field: 'homeNamed', always: true },
  { column: 'reported_date', type: 'date', field: 'reportedDate' },
  { column: 'priority', type: 'text', field: 'priority' },
  { column: 'status', type: 'text', field: 'status' },
  { column: 'description', type: 'text', field: 'description' },
  { column: 'completed_date', type: 'date', field: 'completedDate' },
  { column: 'target_date', type: 'date', field: 'targetDate' },
  { column: 'sor_code', type: 'text', field: 'sorCode' },
  { column: 'trade', type: 'text', field: 'trade' },
  { column: 'location', type: 'text', field: 'location' },
];

const s = (v: unknown) => (typeof v === 'string' && v ? v : null);

export const repairsLoader: KindLoader = {
  key: (f) => s(f.jobReference),
  required: ['jobReference'],
  async load(tx: Db, ctx, rows) {
    const results: LoadResult[] = rows.map(() => ({ outcome: 'unchanged' }));
    const matches = await matchHomes(tx, ctx.organisationId, rows.map((r) => homeNamed(r.fields)));
    const columns = REPAIR_COLUMNS.filter((c) => c.always || ctx.mapped.has(c.field));
    const loading: number[] = [];
    const bulkRows = rows.flatMap((r, i) => {
      const f = r.fields;
      const m = matches[i]!;
      if (!m.homeId && !m.named) {
        const column = ctx.columnOf('homeReference') ?? ctx.columnOf('uprn');
        results[i] = { outcome: 'rejected', problems: [{ column, value: null, rule: 'required-missing',
          message: `${[ctx.columnOf('homeReference'), ctx.columnOf('uprn')].filter(Boolean).join(' and ')}: the row names no home (property reference or UPRN), and a repair needs the home it was for` }] };
        return [];
      }
      const review: RowProblem[] = [];
      if (!m.homeId) review.push(homeNotMatched(ctx, m.named, m.reason));
      const reported = s(f.reportedDate);
      for (const [field, what] of [['targetDate', 'is due'], ['completedDate', 'was completed']] as const) {
        const d = s(f[field]);
        if (reported && d && d < reported) {
          const column = ctx.columnOf(field);
          review.push({ column, value: d, rule: 'value-out-of-range',
            message: `${column ?? field}: the job ${what} (${d}) before it was reported (${reported}); it is loaded as written, correct the date in the source` });
        }
      }
      if (review.length) results[i]!.review = review;
      loading.push(i);
      const values: Fields = { ...f, homeId: m.homeId, homeNamed: m.homeId ? null : m.named };
      return [{ row: r.row, sourceId: s(f.jobReference)!, values: columns.map((c) => values[c.field] ?? null), keep: keptColumns(columns, keepingHomeLink(r.leftOut, !!m.homeId, ['homeId', 'homeNamed'])) }];
    });
    const out = await bulkUpsert(tx, { organisationId: ctx.organisationId, sourceSystem: ctx.sourceSystem, importId: ctx.importId, rows: bulkRows,
      spec: { kind: 'repair', table: 'repairs', columns: columns.map(({ column, type, field }) => ({ column, type, field })) } });
    out.outcomes.forEach((o, k) => { results[loading[k]!]!.outcome = o; });
    return results;
  },
};
