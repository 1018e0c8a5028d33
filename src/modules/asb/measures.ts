// ASB measures for the insight dashboard: the Tenant Satisfaction Measure NM01 (ASB cases, and hate-incident cases, per
// 1,000 homes in a reporting year, 1 April to 31 March), cases opened month by month, open cases by category and risk,
// overdue actions and ASB Case Reviews. Aggregates only: no party, no case, no words of any incident, so they are read
// with the insight dashboard's permission (records:read), not asb:read, and need no read audit.
//
// NM01 counts cases opened in the year, each once: a report while a case is open is an incident of that case, not a
// new case (rules/measures.ts). The counting is done by the database in a few grouped queries (it must stay quick at
// tens of thousands of cases); the rate is perThousand's exact rounding. Dates and months are UK dates.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { forbidden, invalid } from '../../platform/http/problem.ts';
import { endOfUkDay, lastTwelveMonths, ukDate } from '../../platform/uk-time.ts';
import { homeRecords } from '../homes/index.ts';
import { asbActions, asbCaseReviews, asbCases } from './schema.ts';
import { perThousand } from './rules/measures.ts';
import { RISK_LEVELS, type AsbSettings } from './rules/settings.ts';
import { DEFAULT_ASB_SETTINGS } from './rules/default-settings.ts';
import { currentAsbSettings } from './settings-service.ts';

/** The risk columns of the open-cases table: the three levels, and cases whose complainant has not been assessed. */
export const RISK_COLUMNS = [...RISK_LEVELS, 'notAssessed'] as const;
export type RiskColumn = (typeof RISK_COLUMNS)[number];
export type RiskCounts = Record<RiskColumn, number> & { total: number };

export interface AsbMeasures {
  asOf: string;
  /** The reporting year: the one starting 1 April of `year`. */
  year: number;
  nm01: {
    from: string;
    to: string;
    homes: number;
    /** ASB cases opened in the year (hate-incident cases among them). */
    cases: number;
    hateCases: number;
    /** Per 1,000 homes, to 2 decimal places; null when the landlord has no homes. */
    casesPer1000: number | null;
    hateCasesPer1000: number | null;
  };
  /** Cases opened each month (UK), oldest first, months with none included: the 12 months ending this month, or the
   *  reporting year's own months when it has ended. */
  byMonth: { month: string; cases: number; hateCases: number }[];
  /** Open cases now, by the complainant's risk level, and by category × risk level. A case of several categories is in
   *  the row of each, so the rows may add up to more than `all`. */
  open: {
    all: RiskCounts;
    byCategory: ({ code: string | null; label: string } & RiskCounts)[];
  };
  /** Actions of open cases not done and due before now, by kind of action; and how many cases have one. */
  overdueActions: { actions: number; cases: number; byKind: { kind: string; label: string; actions: number; cases: number }[] };
  /** ASB Case Reviews triggered in the reporting year, and those of them with an outcome recorded. */
  caseReviews: { triggered: number; outcomeRecorded: number };
}

/** The reporting year containing a UK date: from 1 April it is that calendar year's, before it the year before's. */
export const reportingYearOf = (day: string) => Number(day.slice(0, 4)) - (day.slice(5, 7) < '04' ? 1 : 0);

const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
/** The instant a UK date begins (midnight, whatever the clocks were doing). */
const ukMidnight = (day: string) => new Date(endOfUkDay(dayBefore(day)).getTime() + 1);
const nextMonth = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString().slice(0, 7);

type Row = Record<string, unknown>;
const rowsOf = async (ctx: Ctx, query: ReturnType<typeof sql>) => (await ctx.tx.execute(query)).rows as Row[];
const zero = (): RiskCounts => ({ standard: 0, medium: 0, high: 0, notAssessed: 0, total: 0 });

/**
 * The category and action names, from the landlord's current settings. They name no case and no person, so they are
 * read for a dashboard reader who may not read ASB cases (the settings' own readers are asb:read and asb:manage).
 */
async function names(ctx: Ctx): Promise<AsbSettings> {
  return (await currentAsbSettings({ actor: systemActor(ctx.actor.organisationId, 'ASB measures'), tx: ctx.tx })).settings;
}

/** NM01 for a reporting year (default: the one containing today, UK time) and the other ASB figures as of `now`. */
export async function asbMeasures(ctx: Ctx, options: { year?: number; now?: Date } = {}): Promise<AsbMeasures> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const now = options.now ?? new Date();
  const today = ukDate(now);
  const current = reportingYearOf(today);
  const year = options.year ?? current;
  if (!Number.isInteger(year) || year < 2000) throw invalid('/year', 'must be a year, 2000 or later: the reporting year starting 1 April of it');
  if (year > current) throw invalid('/year', `must not be after ${current}: the reporting year ${current} to ${current + 1} is the latest begun`);

  const from = `${year}-04-01`;
  const to = `${year + 1}-03-31`;
  const months = lastTwelveMonths(to < today ? to : today);
  const yearStart = ukMidnight(from).toISOString();
  const yearEnd = ukMidnight(`${year + 1}-04-01`).toISOString();
  const monthsStart = ukMidnight(`${months[0]}-01`).toISOString();
  const monthsEnd = ukMidnight(`${nextMonth(months.at(-1)!)}-01`).toISOString();
  const org = ctx.actor.organisationId;
  const c = asbCases;

  // Cases opened, by UK month, over the reporting year and the chart's months (often the same months).
  const opened = await rowsOf(ctx, sql`select to_char(${c.openedAt} at time zone 'Europe/London', 'YYYY-MM') as month,
      count(*)::int as cases, (count(*) filter (where ${c.hate}))::int as hate
    from ${c} where ${c.organisationId} = ${org}
      and ((${c.openedAt} >= ${yearStart}::timestamptz and ${c.openedAt} < ${yearEnd}::timestamptz)
        or (${c.openedAt} >= ${monthsStart}::timestamptz and ${c.openedAt} < ${monthsEnd}::timestamptz))
    group by 1`);
  const perMonth = new Map(opened.map((r) => [String(r.month), { cases: Number(r.cases), hate: Number(r.hate) }]));
  const inYear = opened.filter((r) => String(r.month) >= from.slice(0, 7) && String(r.month) <= to.slice(0, 7));
  const cases = inYear.reduce((n, r) => n + Number(r.cases), 0);
  const hateCases = inYear.reduce((n, r) => n + Number(r.hate), 0);
  const homes = await homeRecords.count(ctx);

  // Open cases by category × risk, and (the second grouping set) by risk alone, each case once.
  const risk = sql`coalesce(${c.riskLevel}, 'notAssessed')`;
  const openRows = await rowsOf(ctx, sql`select category.code, ${risk} as risk, count(distinct ${c.id})::int as cases, grouping(category.code)::int as every_category
    from ${c} left join lateral jsonb_array_elements_text(${c.categories}) as category(code) on true
    where ${c.organisationId} = ${org} and ${c.status} = 'open'
    group by grouping sets ((category.code, ${risk}), (${risk}))`);

  // Overdue actions of open cases by kind, and (the empty grouping set) how many actions and cases in all. The case's
  // status is looked up by its key for each overdue action rather than joined: without statistics (PGlite never
  // gathers them; PostgreSQL not until autovacuum runs after a load) a join was planned as a nested loop over every
  // open case for every action, minutes at 50,000 cases; this stays linear in the overdue actions whatever the plan.
  const a = asbActions;
  const overdueRows = await rowsOf(ctx, sql`select ${a.kind} as kind, min(${a.label}) as label, count(*)::int as actions,
      count(distinct ${a.caseId})::int as cases, grouping(${a.kind})::int as every_kind
    from ${a}
    where ${a.organisationId} = ${org} and ${a.doneAt} is null and ${a.dueAt} < ${now.toISOString()}::timestamptz
      and (select ${c.status} from ${c} where ${c.organisationId} = ${org} and ${c.id} = ${a.caseId}) = 'open'
    group by grouping sets ((${a.kind}), ())`);

  const r = asbCaseReviews;
  const [reviews] = await rowsOf(ctx, sql`select count(*)::int as triggered,
      (count(*) filter (where nullif(btrim(${r.outcome}), '') is not null))::int as outcome_recorded
    from ${r} where ${r.organisationId} = ${org} and ${r.triggeredAt} >= ${yearStart}::timestamptz and ${r.triggeredAt} < ${yearEnd}::timestamptz`);

  const settings = await names(ctx);
  const categoryLabel = new Map([...DEFAULT_ASB_SETTINGS.categories, ...settings.categories].map((x) => [x.code, x.label]));
  const all = zero();
  const byCode = new Map<string | null, RiskCounts>(settings.categories.map((x) => [x.code, zero()]));
  for (const row of openRows) {
    const column = String(row.risk) as RiskColumn;
    if (!RISK_COLUMNS.includes(column)) continue; // the table's check allows no other level
    let target = all;
    if (!Number(row.every_category)) {
      const code = row.code === null ? null : String(row.code);
      target = byCode.get(code) ?? zero();
      byCode.set(code, target);
    }
    target[column] += Number(row.cases);
    target.total += Number(row.cases);
  }
  const actionLabel = new Map(settings.actions.map((x) => [x.code, x.label]));
  const totals = overdueRows.find((x) => Number(x.every_kind));

  return {
    asOf: now.toISOString(),
    year,
    nm01: {
      from, to, homes, cases, hateCases,
      casesPer1000: homes ? perThousand(cases, homes) : null,
      hateCasesPer1000: homes ? perThousand(hateCases, homes) : null,
    },
    byMonth: months.map((month) => ({ month, cases: perMonth.get(month)?.cases ?? 0, hateCases: perMonth.get(month)?.hate ?? 0 })),
    open: {
      all,
      // The settings' categories in their order; then any others open cases still carry (from older settings).
      byCategory: [...byCode].map(([code, counts]) => ({ code, label: code === null ? 'No category recorded' : categoryLabel.get(code) ?? code, ...counts })),
    },
    overdueActions: {
      actions: Number(totals?.actions ?? 0),
      cases: Number(totals?.cases ?? 0),
      byKind: overdueRows.filter((x) => !Number(x.every_kind))
        .map((x) => ({ kind: String(x.kind), label: actionLabel.get(String(x.kind)) ?? String(x.label), actions: Number(x.actions), cases: Number(x.cases) }))
        .sort((p, q) => q.actions - p.actions || p.label.localeCompare(q.label)),
    },
    caseReviews: { triggered: Number(reviews?.triggered ?? 0), outcomeRecorded: Number(reviews?.outcome_recorded ?? 0) },
  };
}
