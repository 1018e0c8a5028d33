// The hub's BI pages for signed-in analysts (hub:insight), under /hub-insight: the filterable view of one measure
// (filters as a GET form, a chart with its table, each landlord's exact figures, the median shown and the national
// median), its CSV (exactly the rows shown), the cross-tab, saved views (save, list, open, delete, subscribe) and the
// TSM returns (tsm-pages.ts). Hub tables are read as the owner (store.system) after the permission check; saved views
// are the user's organisation's rows (run: row-level security). Every POST carries a CSRF token.
import type { NavigationItem } from '../../../platform/modules.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypedFastify } from '../../../platform/http/typed.ts';
import type { PageDeps } from '../../../platform/modules.ts';
import { Problem } from '../../../platform/http/problem.ts';
import { csvFilename, sendCsv } from '../../../platform/http/csv.ts';
import { barChart } from '../../../web/charts.ts';
import { IdParams, QueryValue } from '../../../web/page.ts';
import type { ErrorItem } from '../../../web/forms/index.ts';
import {
  crossTab, filterChoices, filtersQuery, INSIGHT_MEASURES, insightCsv, insightRows, LANDLORD_KINDS, latestArrival, NOT_FOR_PUBLICATION, parseFilters,
  periodWords, requireInsight, SIZE_BANDS, type CrossColumns, type CrossRows, type FilterChoices, type FilterError, type InsightFilters, type InsightResult,
} from './service.ts';
import { checkViewName, deleteView, getView, listViews, saveView } from './saved.ts';
import { subscribe, unsubscribe } from './subscriptions.ts';
import { tsmReturnPages } from './tsm-pages.ts';

type Raw = Record<string, unknown>;
const FilterQuery = Type.Object({
  measure: QueryValue, period: QueryValue, tenure: QueryValue, region: QueryValue, kind: QueryValue, size: QueryValue, q: QueryValue, rows: QueryValue, columns: QueryValue,
});
const CHART_BARS = 30;
const SIZE_WORDS = new Map<string, string>(SIZE_BANDS.map((b) => [b.key, b.label]));

const fmt = (n: number | null, unit: string) => (n === null ? 'No value' : `${n.toLocaleString('en-GB')}${unit === '%' ? '%' : unit === 'per 1,000 homes' ? ' per 1,000 homes' : ''}`);

/** The select boxes' items, each marked selected as the filters are. */
function filterItems(f: InsightFilters, choices: FilterChoices) {
  const sel = <T extends { value: string; text: string }>(items: T[], value: string) => items.map((i) => ({ ...i, selected: i.value === value }));
  return {
    measure: sel(INSIGHT_MEASURES.map((m) => ({ value: m.key, text: `${m.code}: ${m.title}` })), f.measure),
    period: sel([{ value: '', text: 'The latest' }, { value: 'all', text: 'All periods' }, ...choices.periods.map((p) => ({ value: p.key, text: p.label }))], f.period),
    tenure: sel([{ value: '', text: 'Both (LCRA and LCHO)' }, { value: 'LCRA', text: 'LCRA: low cost rental' }, { value: 'LCHO', text: 'LCHO: low cost home ownership' }], f.tenure),
    region: sel([{ value: '', text: 'Every region' }, ...choices.regions.map((r) => ({ value: r.code, text: r.name }))], f.region),
    kind: sel([{ value: '', text: 'Every kind' }, ...Object.entries(LANDLORD_KINDS).map(([value, text]) => ({ value, text }))], f.kind),
    size: sel([{ value: '', text: 'Every size' }, ...SIZE_BANDS.map((b) => ({ value: b.key, text: b.label }))], f.size),
  };
}

const errorItems = (errors: readonly FilterError[]): ErrorItem[] => errors.map((e) => ({ text: e.text, href: `#${e.field}` }));

/** The chart of the values shown (highest first; the first 30), described in words. */
function resultChart(r: InsightResult): string | null {
  const both = !r.filters.tenure;
  const all = r.period === 'all';
  const bars = r.rows.filter((x) => x.value !== null)
    .map((x) => ({ label: `${x.landlord}${both ? ` (${x.tenureGroup})` : ''}${all ? ` ${x.periodTo.slice(0, 4)}` : ''}`, value: x.value! }))
    .sort((a, b) => b.value - a.value);
  if (!bars.length) return null;
  const shown = bars.slice(0, CHART_BARS);
  const description = `${bars.length} values. Highest: ${shown[0]!.label}, ${fmt(shown[0]!.value, r.measure.unit)}. Lowest: ${bars.at(-1)!.label}, ${fmt(bars.at(-1)!.value, r.measure.unit)}. `
    + `Median shown: ${fmt(r.median, r.measure.unit)}; national median: ${fmt(r.nationalMedian, r.measure.unit)}.${bars.length > CHART_BARS ? ` The chart shows the highest ${CHART_BARS}; the table has every one.` : ''}`;
  return barChart({ id: 'chart-values', title: `${r.measure.code}: ${r.measure.title}`, description, bars: shown });
}

export function hubInsightPages(app: TypedFastify, deps: Pick<PageDeps, 'page' | 'run' | 'store'>) {
  const { page, run, store } = deps;

  /** The main page, with the filters of the query (or a saved view's), and any errors of the save form. */
  async function show(req: FastifyRequest, reply: FastifyReply, query: Raw, saveErrors: ErrorItem[] = [], viewName = '') {
    requireInsight(req.actor);
    const { filters, errors } = parseFilters(query);
    const [result, choices] = await store.system((db) => Promise.all([insightRows(db, filters), filterChoices(db)]));
    const data = await page(req, async () => ({}));
    const qs = filtersQuery(filters);
    return reply.code(saveErrors.length ? 400 : 200).view('hub/insight/measures.njk', {
      ...data, title: 'National data', section: 'hub-insight', notForPublication: NOT_FOR_PUBLICATION,
      errors: [...errorItems(errors), ...saveErrors], saveError: saveErrors[0]?.text, viewName,
      filters, items: filterItems(filters, choices), result, periodWords: periodWords(result.period), chart: resultChart(result),
      sizeWords: Object.fromEntries(SIZE_WORDS), kindWords: LANDLORD_KINDS, fmt,
      csvHref: `/hub-insight.csv${qs ? `?${qs}` : ''}`, crossTabHref: `/hub-insight/cross-tab${qs ? `?${qs}` : ''}`,
      hidden: Object.entries(filters).filter(([, v]) => v).map(([name, value]) => ({ name, value })),
    });
  }

  app.get('/hub-insight', { schema: { querystring: FilterQuery } }, async (req, reply) => show(req, reply, req.query));

  app.get('/hub-insight.csv', { schema: { querystring: FilterQuery } }, async (req, reply) => {
    requireInsight(req.actor);
    const { filters } = parseFilters(req.query);
    const result = await store.system((db) => insightRows(db, filters));
    const data = await page(req, async () => ({}));
    return sendCsv(reply, csvFilename('hub-measures-not-for-publication', data.organisationName, filters.measure, result.period), insightCsv(result.rows));
  });

  app.get('/hub-insight/cross-tab', { schema: { querystring: FilterQuery } }, async (req, reply) => {
    requireInsight(req.actor);
    const { filters, errors } = parseFilters(req.query);
    const rowsRaw = String(Array.isArray(req.query.rows) ? req.query.rows[0] : req.query.rows ?? '');
    const columnsRaw = String(Array.isArray(req.query.columns) ? req.query.columns[0] : req.query.columns ?? '');
    const rowsBy: CrossRows = rowsRaw === 'size' ? 'size' : 'region';
    const columnsBy: CrossColumns = columnsRaw === 'period' ? 'period' : 'tenure';
    const more: ErrorItem[] = [];
    if (rowsRaw && rowsRaw !== 'size' && rowsRaw !== 'region') more.push({ text: `Rows: "${rowsRaw}" must be region or size; showing regions`, href: '#rows' });
    if (columnsRaw && columnsRaw !== 'period' && columnsRaw !== 'tenure') more.push({ text: `Columns: "${columnsRaw}" must be tenure or period; showing tenure groups`, href: '#columns' });
    const [tab, choices] = await store.system((db) => Promise.all([crossTab(db, filters, rowsBy, columnsBy), filterChoices(db)]));
    const data = await page(req, async () => ({}));
    const qs = filtersQuery(filters);
    return reply.view('hub/insight/cross-tab.njk', {
      ...data, title: 'National data: cross-tab', section: 'hub-insight', notForPublication: NOT_FOR_PUBLICATION, backLink: `/hub-insight${qs ? `?${qs}` : ''}`,
      errors: [...errorItems(errors), ...more], filters, items: filterItems(filters, choices), tab, fmt,
      rowsItems: [{ value: 'region', text: 'Region', selected: rowsBy === 'region' }, { value: 'size', text: 'Size (homes published)', selected: rowsBy === 'size' }],
      columnsItems: [{ value: 'tenure', text: 'Tenure group', selected: columnsBy === 'tenure' }, { value: 'period', text: 'Period (the latest 8)', selected: columnsBy === 'period' }],
    });
  });

  // ---- saved views ----

  app.get('/hub-insight/views', async (req, reply) => {
    requireInsight(req.actor);
    const data = await page(req, async (ctx) => ({ views: await listViews(ctx) }));
    return reply.view('hub/insight/views.njk', {
      ...data, title: 'Saved views', section: 'hub-insight', backLink: '/hub-insight',
      views: data.views.map((v) => ({ ...v, query: filtersQuery(v.filters), summary: summary(v.filters) })),
    });
  });

  app.post('/hub-insight/views', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireInsight(req.actor);
    const body = (req.body ?? {}) as Raw;
    const { filters } = parseFilters(body);
    let name: string;
    try {
      name = checkViewName(body.name);
    } catch (err) {
      if (err instanceof Problem && err.status === 400) return show(req, reply, body, [{ text: err.errors[0]?.message ?? err.message, href: '#name' }], typeof body.name === 'string' ? body.name : '');
      throw err;
    }
    const view = await run(req, (ctx) => saveView(ctx, name, filters));
    return reply.redirect(`/hub-insight/views?saved=${view.id}`, 303);
  });

  app.get('/hub-insight/views/:id', { schema: { params: IdParams } }, async (req, reply) => {
    requireInsight(req.actor);
    const view = await run(req, (ctx) => getView(ctx, req.params.id));
    const qs = filtersQuery(view.filters);
    return reply.redirect(`/hub-insight${qs ? `?${qs}` : ''}`, 303);
  });

  app.get('/hub-insight/views/:id/download.csv', { schema: { params: IdParams } }, async (req, reply) => {
    requireInsight(req.actor);
    const data = await page(req, async (ctx) => ({ view: await getView(ctx, req.params.id) }));
    const result = await store.system((db) => insightRows(db, data.view.filters));
    return sendCsv(reply, csvFilename('hub-view-not-for-publication', data.organisationName, data.view.name, result.period), insightCsv(result.rows));
  });

  app.post('/hub-insight/views/:id/delete', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireInsight(req.actor);
    await run(req, (ctx) => deleteView(ctx, req.params.id));
    return reply.redirect('/hub-insight/views', 303);
  });

  app.post('/hub-insight/views/:id/subscribe', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireInsight(req.actor);
    const latest = await store.system((db) => latestArrival(db));
    await run(req, (ctx) => subscribe(ctx, req.params.id, { latest, origin: `${req.protocol}://${req.host}` }));
    return reply.redirect('/hub-insight/views', 303);
  });

  app.post('/hub-insight/views/:id/unsubscribe', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireInsight(req.actor);
    await run(req, (ctx) => unsubscribe(ctx, req.params.id));
    return reply.redirect('/hub-insight/views', 303);
  });

  tsmReturnPages(app, deps);
}

/** The service navigation item (the manifest's navigation). */
/**
 * "National data" in the navigation of the analysts whose daily work it is; an administrator (whose navigation is full)
 * finds it under Manage on the home page.
 */
export const HUB_INSIGHT_NAVIGATION: readonly NavigationItem[] = [
  { href: '/hub-insight', text: 'National data', sections: ['hub-insight'], permission: 'hub:insight', position: 35, roles: ['analyst', 'data-lead'] },
  { href: '/hub-insight', text: 'National data', sections: ['hub-insight'], permission: 'hub:insight', position: 87, roles: ['administrator'],
    manage: "the national hub's figures: filters, saved views and their emails, TSM returns" },
];

/** A saved view's filters in words. */
function summary(f: InsightFilters): string {
  const m = INSIGHT_MEASURES.find((x) => x.key === f.measure)!;
  return [
    `${m.code}: ${m.title}`,
    f.period === 'all' ? 'all periods' : f.period ? periodWords(f.period) : 'the latest period',
    f.tenure || 'LCRA and LCHO',
    f.region ? `region ${f.region}` : '',
    f.kind ? LANDLORD_KINDS[f.kind].toLowerCase() : '',
    f.size ? SIZE_WORDS.get(f.size)!.toLowerCase() : '',
    f.q ? `landlord matching “${f.q}”` : '',
  ].filter(Boolean).join('; ');
}
