// Loading repair history from files: one row per job, keyed by the job reference. The home is matched exactly through
// the homes module; a job whose home matches nothing still loads, keeping what it named (for review and later
// linking), never attached to a guess. Descriptions and locations are kept word for word; priority and status as the
// contractor wrote them (their codes vary).
import type { Db } from '../../platform/db/store.ts';
import { getTableName } from 'drizzle-orm';
import { bulkColumns, bulkUpsert } from '../../platform/records/bulk.ts';
import { keptColumns, type Fields, type KindLoader, type LoadResult, type RowProblem } from '../../platform/records/load.ts';
import { matchHomes, homeNamed, homeNotMatched, keepingHomeLink } from '../homes/index.ts';
import { repairs } from './schema.ts';
import { systemActor } from '../../platform/auth/actor.ts';

/**
 * Columns (names and types from the repairs table, schema.ts), each filled from the field of its name: those always
 * written, and those written only when the file maps their field.
 */
const ALWAYS = { always: true } as const;
const REPAIR_COLUMNS = bulkColumns(repairs, ['jobReference', 'homeId', 'homeNamed', 'reportedDate', 'priority', 'status', 'description',
  'completedDate', 'targetDate', 'sorCode', 'trade', 'location'], { jobReference: ALWAYS, homeId: ALWAYS, homeNamed: ALWAYS });

const s = (v: unknown) => (typeof v === 'string' && v ? v : null);

export const repairsLoader: KindLoader = {
  key: (f) => s(f.jobReference),
  required: ['jobReference'],
  async load(tx: Db, ctx, rows) {
    const results: LoadResult[] = rows.map(() => ({ outcome: 'unchanged' }));
    // The loader reads other modules' records as Hearth's import (services take a context: actor and transaction).
    const as = { actor: systemActor(ctx.organisationId, 'import'), tx };
    const matches = await matchHomes(as, rows.map((r) => homeNamed(r.fields)));
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
      spec: { kind: 'repair', table: getTableName(repairs), columns: columns.map(({ column, type, field }) => ({ column, type, field })) } });
    out.outcomes.forEach((o, k) => { results[loading[k]!]!.outcome = o; });
    return results;
  },
};
