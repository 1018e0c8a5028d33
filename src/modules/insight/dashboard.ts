// The insight dashboard: the regulator's questions at a glance — higher-risk blocks, damp and mould, Awaab's Law
// clocks — as counts, and trends drawn as server-side SVG charts with a table of the same figures beside each.
// Composes the insight registers and the hazards module's service; reads no table of its own.
import { Type, type Static } from 'typebox';
import type { Ctx } from '../../platform/records/context.ts';
import { API_ROUTE, type Run } from '../../platform/records/api.ts';
import { ProblemSchema } from '../../platform/http/schemas.ts';
import type { PageRun } from '../../web/page.ts';
import { barChart, columnChart, monthBars } from '../../web/charts.ts';
import { higherRiskRegisterView } from './api.ts';
import { dampMouldCounts } from './damp-register.ts';
import { CLOCK_IDS, CLOCK_LABELS, hazardSummary } from '../hazards/index.ts';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { repairsInsightApi, repairsInsightPages, repairsSection } from './repairs-dashboard.ts';
import { asbInsightApi, asbInsightPages, asbSection } from './asb-dashboard.ts';

const Count = (description: string) => Type.Integer({ minimum: 0, description });
const LAST_12 = { description: 'The last 12 months, oldest first, this month last; months with none included' };
const Month = Type.String({ description: 'YYYY-MM (UK)' });

export const InsightSummarySchema = Type.Object({
  asOf: Type.String({ format: 'date-time' }),
  higherRiskBuildings: Type.Object({ blocks: Count('Blocks held'), higherRisk: Count('Higher-risk blocks'), dataNeeded: Count('Blocks that need measuring before they can be ruled out') }),
  dampAndMould: Type.Object({
    homes: Count('Homes with a sign of damp or mould'),
    signals: Count('Signs found (one per repair, note or hazard report)'),
    byMonth: Type.Array(Type.Object({ month: Month, signals: Count('Signs observed in the month') }), LAST_12),
    byEstate: Type.Array(Type.Object({ estateName: Type.String(), homes: Count('Homes with a sign') }), { description: 'Most homes first' }),
  }),
  hazards: Type.Object({
    open: Count('Open hazard reports'),
    overdue: Count('Open reports with a deadline passed'),
    dueSoon: Count('Open reports with a deadline today or the next working day'),
    breachesThisYear: Count('Deadlines missed (done late or still overdue) falling this calendar year'),
    byMonth: Type.Array(Type.Object({ month: Month, reported: Count('Hazard reports made in the month') }), LAST_12),
    breachesByClock: Type.Array(Type.Object({ clock: Type.String(), label: Type.String(), breaches: Count('Missed, done late or still overdue') })),
  }),
});
export type InsightSummary = Static<typeof InsightSummarySchema>;

/** Everything the dashboard shows, as of `now`. */
export async function insightSummary(ctx: Ctx, now = new Date()): Promise<InsightSummary> {
  const register = await higherRiskRegisterView(ctx);
  const damp = await dampMouldCounts(ctx);
  const hazards = await hazardSummary(ctx, now);
  return {
    asOf: now.toISOString(),
    higherRiskBuildings: { blocks: register.counts.blocks, higherRisk: register.counts.higherRisk, dataNeeded: register.counts.dataNeeded },
    dampAndMould: {
      homes: damp.homes, signals: damp.signals, byMonth: damp.byMonth.map((m) => ({ month: m.month, signals: m.signals })),
      byEstate: damp.byEstate.map((e) => ({ estateName: e.estateName, homes: e.homes })),
    },
    hazards: {
      open: hazards.open, overdue: hazards.overdue, dueSoon: hazards.dueSoon, breachesThisYear: hazards.breachesThisYear, byMonth: hazards.byMonth,
      breachesByClock: CLOCK_IDS.map((id) => ({ clock: id, label: CLOCK_LABELS[id], breaches: hazards.breaches.byClock[id] ?? 0 })),
    },
  };
}

const monthName = (month: string) => new Date(`${month}-01T00:00:00Z`).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const peak = (rows: { label: string; value: number }[]) => rows.reduce((a, b) => (b.value > a.value ? b : a), rows[0] ?? { label: '', value: 0 });

/** The charts, each with a description saying what it shows in words. */
export function dashboardCharts(s: InsightSummary) {
  const dampMonths = s.dampAndMould.byMonth.map((m) => ({ label: monthName(m.month), value: m.signals }));
  const hazardMonths = s.hazards.byMonth.map((m) => ({ label: monthName(m.month), value: m.reported }));
  const estates = s.dampAndMould.byEstate.slice(0, 10);
  const describeMonths = (rows: { label: string; value: number }[], what: string) => {
    const total = rows.reduce((a, r) => a + r.value, 0);
    if (!total) return `No ${what} in the last 12 months.`;
    const top = peak(rows);
    return `${total.toLocaleString('en-GB')} ${what} in the last 12 months; the most, ${top.value.toLocaleString('en-GB')}, in ${top.label}; ${rows.at(-1)!.value.toLocaleString('en-GB')} so far in ${rows.at(-1)!.label}.`;
  };
  return {
    dampByMonth: columnChart({ id: 'chart-damp-month', title: 'Signs of damp and mould by month', description: describeMonths(dampMonths, 'signs of damp or mould'),
      bars: monthBars(s.dampAndMould.byMonth.map((m) => ({ month: m.month, value: m.signals }))) }),
    dampByEstate: barChart({ id: 'chart-damp-estate', title: 'Homes with damp and mould by estate',
      description: estates.length ? `${estates[0]!.estateName} has the most homes with signs of damp or mould: ${estates[0]!.homes.toLocaleString('en-GB')}.` : 'No homes with signs of damp or mould.',
      bars: estates.map((e) => ({ label: e.estateName, value: e.homes })) }),
    hazardsByMonth: columnChart({ id: 'chart-hazards-month', title: 'Hazard reports by month', description: describeMonths(hazardMonths, 'hazard reports'),
      bars: monthBars(s.hazards.byMonth.map((m) => ({ month: m.month, value: m.reported }))) }),
    breachesByClock: barChart({ id: 'chart-breaches', title: 'Awaab’s Law deadlines missed, by deadline',
      description: s.hazards.breachesByClock.some((b) => b.breaches) ? s.hazards.breachesByClock.filter((b) => b.breaches).map((b) => `${b.label}: ${b.breaches}`).join('; ') + '.' : 'No deadline has been missed.',
      bars: s.hazards.breachesByClock.map((b) => ({ label: b.label, value: b.breaches })) }),
    monthName,
  };
}

export function dashboardApi(app: TypedFastify, run: Run) {
  app.get('/insight/summary', {
    ...API_ROUTE,
    schema: {
      tags: ['Insight'], security: [{ bearer: [] }], operationId: 'getInsightSummary',
      description: 'The figures behind the insight dashboard page, for use elsewhere: each count is made by the same function as the register it summarises.',
      summary: 'The insight dashboard’s figures: higher-risk blocks, homes with damp and mould (by month and estate), hazard reports and Awaab’s Law deadlines missed',
      response: { 200: InsightSummarySchema, 401: ProblemSchema, 403: ProblemSchema },
    },
  }, async (req) => run(req, (ctx) => insightSummary(ctx)));
  repairsInsightApi(app, run);
  asbInsightApi(app, run);
}

export function dashboardPages(app: TypedFastify, page: PageRun) {
  app.get('/insight', async (req, reply) => {
    const data = await page(req, async (ctx) => ({ summary: await insightSummary(ctx), repairs: await repairsSection(ctx), asb: await asbSection(ctx) }));
    return reply.view('insight/dashboard.njk', { ...data, charts: dashboardCharts(data.summary), title: 'Insight', section: 'insight' });
  });
  repairsInsightPages(app, page);
  asbInsightPages(app, page);
}
