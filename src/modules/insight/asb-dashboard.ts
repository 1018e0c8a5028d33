// The dashboard's anti-social behaviour section: the Tenant Satisfaction Measure NM01 (ASB cases, and hate-incident
// cases, per 1,000 homes in the reporting year), cases opened month by month as a chart with a table of the same
// figures, open cases by category and risk, overdue actions and ASB Case Reviews; the monthly figures as a CSV, and all
// of them as JSON. The figures are the asb module's (asbMeasures), aggregates with no case or person in them; this file
// only shows them.
import { Type, type Static } from 'typebox';
import type { Run } from '../../platform/records/api.ts';
import { API_ROUTE } from '../../platform/records/api.ts';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { ProblemSchema } from '../../platform/http/schemas.ts';
import { csvDocument, csvFilename, sendCsv } from '../../platform/http/csv.ts';
import { QueryValue, type PageRun } from '../../web/page.ts';
import { monthGroupsChart, monthName } from '../../web/charts.ts';
import { asbMeasures, type AsbMeasures } from '../asb/index.ts';

const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Rate = (description: string) => Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: `${description}, to 2 decimal places (halves up); null when there are no homes` });

const RiskCountsSchema = {
  standard: Count('Open cases whose complainant was last assessed at standard risk'),
  medium: Count('… at medium risk'),
  high: Count('… at high risk'),
  notAssessed: Count('… not yet assessed'),
  total: Count('All of them'),
};

export const AsbMeasuresSchema = Type.Object({
  asOf: Type.String({ format: 'date-time' }),
  year: Type.Integer({ description: 'The reporting year: 1 April of this year to 31 March of the next' }),
  nm01: Type.Object({
    from: Type.String({ format: 'date', description: 'The first day of the reporting year' }),
    to: Type.String({ format: 'date', description: 'The last day of the reporting year' }),
    homes: Count('The landlord’s homes: the denominator'),
    cases: Count('ASB cases opened in the year (a report while a case is open is part of it, not a new case)'),
    hateCases: Count('Of them, hate-incident cases'),
    casesPer1000: Rate('NM01 (1): ASB cases per 1,000 homes'),
    hateCasesPer1000: Rate('NM01 (2): hate-incident cases per 1,000 homes'),
  }, { description: 'TSM NM01 for the reporting year' }),
  byMonth: Type.Array(Type.Object({
    month: Type.String({ description: 'YYYY-MM (UK)' }),
    cases: Count('ASB cases opened in the month'),
    hateCases: Count('Of them, hate-incident cases'),
  }), { description: 'The 12 months ending this month (or, for a reporting year that has ended, its own 12 months), oldest first, months with none included' }),
  open: Type.Object({
    all: Type.Object(RiskCountsSchema, { description: 'Open cases now, by the complainant’s latest risk level' }),
    byCategory: Type.Array(Type.Object({
      code: Type.Union([Type.String(), Type.Null()], { description: 'The landlord’s category code (null: a case with no category recorded)' }),
      label: Type.String(),
      ...RiskCountsSchema,
    }), { description: 'Open cases of each category of the landlord’s settings (in their order, then any other a case still carries), by risk level; a case of several categories is in each of their rows' }),
  }),
  overdueActions: Type.Object({
    actions: Count('Actions of open cases not done and due before now'),
    cases: Count('Open cases with an overdue action'),
    byKind: Type.Array(Type.Object({
      kind: Type.String({ description: 'The action’s code in the landlord’s settings' }),
      label: Type.String(),
      actions: Count('Overdue actions of this kind'),
      cases: Count('Open cases with one'),
    }), { description: 'Most overdue first; kinds with none left out' }),
  }),
  caseReviews: Type.Object({
    triggered: Count('ASB Case Reviews triggered in the reporting year'),
    outcomeRecorded: Count('Of them, those with an outcome recorded'),
  }),
});
export type AsbMeasuresView = Static<typeof AsbMeasuresSchema>;

const AsbQuery = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 9999, description: 'The reporting year starting 1 April of it (2025: 1 April 2025 to 31 March 2026); default: the one containing today (UK), the latest allowed' })),
}, { additionalProperties: false });

export function asbInsightApi(app: TypedFastify, run: Run) {
  app.get('/insight/asb', {
    ...API_ROUTE,
    schema: {
      tags: ['Insight'], security: [{ bearer: [] }], querystring: AsbQuery, operationId: 'getAsbMeasures',
      description: 'Anti-social behaviour figures, with no case or person in them: the Tenant Satisfaction Measure NM01 for a reporting year (1 April to 31 March) — ASB cases opened, and hate-incident cases among them, per 1,000 homes, '
        + 'each case counted once however many reports it has — with its counts; cases opened in each of the 12 months ending this month; open cases by category and the complainant’s risk level; '
        + 'overdue actions of open cases by kind; ASB Case Reviews triggered in the year and those with an outcome recorded.',
      summary: 'ASB cases per 1,000 homes (TSM NM01), cases by month, open cases by category and risk, overdue actions and case reviews',
      response: { 200: AsbMeasuresSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
    },
  }, async (req) => run(req, (ctx) => asbMeasures(ctx, { year: req.query.year })));
}

// ---- the page's section: a chart of cases by month, tables of the same figures and the rest, a CSV ----

const fmt = (n: number) => n.toLocaleString('en-GB');
const fmtRate = (r: number | null) => (r === null ? 'None' : r.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

// GOV.UK blue and red, as the repairs chart: told apart with the common colour vision deficiencies, each at least 3:1
// against white; the legend names them and the table beside the chart gives every figure.
const SERIES = [{ key: 'cases', label: 'All ASB cases', colour: '#1d70b8' }, { key: 'hateCases', label: 'Hate-incident cases', colour: '#d4351c' }] as const;

/** Two columns a month, side by side: ASB cases opened, and the hate-incident cases among them (none: no column). */
export function nm01Chart(m: AsbMeasures): string {
  const total = m.byMonth.reduce((n, r) => n + r.cases, 0);
  const hate = m.byMonth.reduce((n, r) => n + r.hateCases, 0);
  const first = m.byMonth[0];
  const last = m.byMonth.at(-1);
  const most = m.byMonth.reduce((a, b) => (b.cases > a.cases ? b : a), first ?? { month: '', cases: 0, hateCases: 0 });
  const description = !first || !last ? 'No months to show.'
    : total === 0 ? `No ASB cases were opened from ${monthName(first.month)} to ${monthName(last.month)}.`
      : `${fmt(total)} ASB cases were opened from ${monthName(first.month)} to ${monthName(last.month)}, ${fmt(hate)} of them hate-incident cases; the most, ${fmt(most.cases)}, in ${monthName(most.month)}. The table beside the chart gives every month.`;
  return monthGroupsChart({
    id: 'chart-asb-month', title: 'ASB cases opened by month, with hate-incident cases', description, series: SERIES,
    months: m.byMonth.map((row) => ({ month: row.month, values: SERIES.map((s) => row[s.key] || null) })),
  });
}

/** The monthly figures, one row a month: BOM, header, CRLF, every cell neutralised. */
export function asbMonthlyCsv(m: AsbMeasures): string {
  return csvDocument([['month', 'ASB cases opened', 'hate-incident cases opened'], ...m.byMonth.map((r) => [r.month, r.cases, r.hateCases])]);
}

/** The open-cases table's columns, as the page heads them. */
const RISK_HEADINGS = [
  { key: 'high', label: 'High risk' }, { key: 'medium', label: 'Medium risk' }, { key: 'standard', label: 'Standard risk' }, { key: 'notAssessed', label: 'Not assessed' },
] as const;

/** What the dashboard view needs for its ASB section. */
export async function asbSection(ctx: Parameters<typeof asbMeasures>[0], now = new Date()) {
  const measures = await asbMeasures(ctx, { now });
  return { measures, chart: nm01Chart(measures), rate: fmtRate, riskColumns: RISK_HEADINGS };
}

/** The year on the CSV's query string: checked by asbMeasures as the API's is (not a year: a 400 naming it); none, the default. */
const yearOf = (q: unknown) => (typeof q === 'string' && q.trim() !== '' ? Number(q) : undefined);
const CsvQuery = Type.Object({ year: QueryValue });

export function asbInsightPages(app: TypedFastify, page: PageRun) {
  app.get('/insight/asb.csv', { schema: { querystring: CsvQuery } }, async (req, reply) => {
    const data = await page(req, async (ctx) => ({ measures: await asbMeasures(ctx, { year: yearOf(req.query.year) }) }));
    const m = data.measures;
    return sendCsv(reply, csvFilename('asb-cases-by-month', data.organisationName, `${m.byMonth[0]!.month}-to-${m.byMonth.at(-1)!.month}`), asbMonthlyCsv(m));
  });
}
