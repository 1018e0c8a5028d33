// The dashboard's repairs section: the Tenant Satisfaction Measure RP02 (repairs completed within target timescale,
// emergency and non-emergency) month by month as a chart with a table of the same figures, end-to-end days and
// first-time fix; the monthly figures as a CSV, and all of them as JSON. The figures are the repairs module's
// (repairMeasures); this file only shows them.
import { Type, type Static } from 'typebox';
import type { Run } from '../../platform/records/api.ts';
import { API_ROUTE } from '../../platform/records/api.ts';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { ProblemSchema, dateField } from '../../platform/http/schemas.ts';
import { csvDocument, csvFilename, sendCsv } from '../../platform/http/csv.ts';
import { lastTwelveMonths, ukDate } from '../../platform/uk-time.ts';
import { QueryValue, type PageRun } from '../../web/page.ts';
import { monthGroupsChart, monthName, niceMax } from '../../web/charts.ts';
import { repairMeasures, type RepairMeasures, type TargetMeasure } from '../repairs/index.ts';

const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Percent = Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()], { description: 'withinTarget ÷ withTarget as a percentage, one decimal place; null when no repair had a target' });

const TargetMeasureSchema = (description: string) => Type.Object({
  withinTarget: Count('Completed within target: the numerator'),
  late: Count('Completed after their target'),
  withTarget: Count('Completed with a target recorded: the denominator'),
  noTarget: Count('Completed with no target recorded: left out of the proportion'),
  percent: Percent,
}, { description });

const EMERGENCY = 'RP02 (2): emergency repairs completed in the period, and those completed within the landlord’s target timescale';
const NON_EMERGENCY = 'RP02 (1): non-emergency repairs completed in the period, and those completed within the landlord’s target timescale';

export const RepairMeasuresSchema = Type.Object({
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  asOf: Type.String({ format: 'date-time' }),
  completed: Type.Object({
    total: Count('Repairs completed in the period'),
    workOrders: Count('Of them, work orders raised in Hearth'),
    imported: Count('Of them, imported repair history'),
  }),
  emergency: TargetMeasureSchema(EMERGENCY),
  nonEmergency: TargetMeasureSchema(NON_EMERGENCY),
  endToEnd: Type.Object({
    repairs: Count('Repairs completed in the period with the day they were reported'),
    meanDays: Type.Union([Type.Number(), Type.Null()], { description: 'Mean calendar days from reported to completed (UK dates; the same day is 0), one decimal place' }),
    medianDays: Type.Union([Type.Number(), Type.Null()], { description: 'Median calendar days from reported to completed' }),
    noReportedDate: Count('Completed repairs with no reported date: not in the days figures'),
  }),
  firstTimeFix: Type.Object({
    workOrders: Count('Work orders raised in Hearth completed in the period (imported history does not record it)'),
    firstTimeFix: Count('Of them, fixed at the first visit with no follow-on'),
    percent: Type.Union([Type.Number(), Type.Null()], { description: 'firstTimeFix ÷ workOrders as a percentage, one decimal place' }),
  }),
  byMonth: Type.Array(Type.Object({
    month: Type.String({ description: 'YYYY-MM (UK)' }),
    emergency: TargetMeasureSchema('Emergency repairs completed in the month'),
    nonEmergency: TargetMeasureSchema('Non-emergency repairs completed in the month'),
  }), { description: 'The 12 months ending with the month of `to`, oldest first, months with none included; the last counts up to `to`' }),
});

/** The period: both dates, or the last 12 months (from the first of the month 11 months ago to today). */
const RepairsQuery = Type.Object({
  from: Type.Optional(dateField('The first day of completion counted (UK); default: the first day of the month 11 months ago')),
  to: Type.Optional(dateField('The last day of completion counted (UK); default: today')),
}, { additionalProperties: false });

export function defaultPeriod(now = new Date()): { from: string; to: string } {
  const today = ukDate(now);
  return { from: `${lastTwelveMonths(today)[0]}-01`, to: today };
}

const periodOf = (q: { from?: unknown; to?: unknown }, now = new Date()) => {
  const d = defaultPeriod(now);
  return { from: typeof q.from === 'string' ? q.from : d.from, to: typeof q.to === 'string' ? q.to : d.to };
};

export function repairsInsightApi(app: TypedFastify, run: Run) {
  app.get('/insight/repairs', {
    ...API_ROUTE,
    schema: {
      tags: ['Insight'], security: [{ bearer: [] }], querystring: RepairsQuery, operationId: 'getRepairMeasures',
      description: 'For repairs completed in the period (work orders raised in Hearth, by the day they were completed; imported history, by its completed date): ' +
        'the Tenant Satisfaction Measure RP02 — RP02 (1) non-emergency and RP02 (2) emergency repairs completed within the landlord’s target timescale — with numerator and denominator; ' +
        'repairs with no target recorded are counted apart and left out of the proportion. Also mean and median days from reported to completed, first-time fix, and RP02 for each of the 12 months ending with the month of `to`.',
      summary: 'Repairs completed within target (TSM RP02), end-to-end days and first-time fix for a period, with the monthly figures',
      response: { 200: RepairMeasuresSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
    },
  }, async (req) => run(req, (ctx) => repairMeasures(ctx, periodOf(req.query))));
}

// ---- the page's section: a chart of both proportions by month, a table of the same figures, a CSV ----

const fmtPercent = (p: number | null) => (p === null ? 'None' : `${p.toLocaleString('en-GB')}%`);

// GOV.UK red and blue: told apart with the common colour vision deficiencies, each at least 3:1 against white; the
// legend names them and the table beside the chart gives every figure.
const SERIES = [{ key: 'emergency', label: 'Emergency, RP02 (2)', colour: '#d4351c' }, { key: 'nonEmergency', label: 'Non-emergency, RP02 (1)', colour: '#1d70b8' }] as const;

/**
 * Two columns a month, side by side: the percentage of emergency and of non-emergency repairs completed within target.
 * A month with no repair of a kind (with a target) has no column, not a column of 0%.
 */
export function rp02Chart(m: RepairMeasures): string {
  const last = m.byMonth.at(-1);
  const said = (t: TargetMeasure, kind: string) => (t.percent === null ? `no ${kind} repairs with a target were completed` : `${fmtPercent(t.percent)} of ${kind} repairs were completed within target`);
  return monthGroupsChart({
    id: 'chart-repairs-month', title: 'Repairs completed within target by month (RP02)',
    description: last
      ? `In ${monthName(last.month)}, ${said(last.emergency, 'emergency')} and ${said(last.nonEmergency, 'non-emergency')}. The table beside the chart gives every month.`
      : 'No months to show.',
    series: SERIES, max: niceMax(100), format: (n) => `${n.toLocaleString('en-GB')}%`,
    months: m.byMonth.map((row) => ({ month: row.month, values: SERIES.map((s) => row[s.key].percent) })),
  });
}

/** The monthly figures, one row a month: BOM, header, CRLF, every cell neutralised. */
export function repairsMonthlyCsv(m: RepairMeasures): string {
  const kind = (t: TargetMeasure) => [t.withTarget, t.withinTarget, t.late, t.percent ?? '', t.noTarget];
  const header = ['month',
    'emergency completed with a target', 'emergency within target', 'emergency late', 'emergency within target (%) RP02 (2)', 'emergency with no target recorded',
    'non-emergency completed with a target', 'non-emergency within target', 'non-emergency late', 'non-emergency within target (%) RP02 (1)', 'non-emergency with no target recorded'];
  return csvDocument([header, ...m.byMonth.map((r) => [r.month, ...kind(r.emergency), ...kind(r.nonEmergency)])]);
}

/** What the dashboard view needs for its repairs section. */
export async function repairsSection(ctx: Parameters<typeof repairMeasures>[0], now = new Date()) {
  const measures = await repairMeasures(ctx, { ...defaultPeriod(now), now });
  return { measures, chart: rp02Chart(measures), percent: fmtPercent };
}

const CsvQuery = Type.Object({ from: QueryValue, to: QueryValue });

export function repairsInsightPages(app: TypedFastify, page: PageRun) {
  app.get('/insight/repairs.csv', { schema: { querystring: CsvQuery } }, async (req, reply) => {
    const data = await page(req, async (ctx) => ({ measures: await repairMeasures(ctx, periodOf(req.query)) }));
    return sendCsv(reply, csvFilename('repairs-by-month', data.organisationName, data.measures.to.slice(0, 7)), repairsMonthlyCsv(data.measures));
  });
}

export type RepairMeasuresView = Static<typeof RepairMeasuresSchema>;
