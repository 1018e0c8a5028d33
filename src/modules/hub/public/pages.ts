// The hub's public website, "Social housing data" (issue 16 part 5; docs/hub-public-site.md): search a landlord or a
// local authority, a landlord's measures beside the national and regional medians with its trend, a local
// authority's landlords, the national pages (TSM league tables, damp and mould by landlord size, higher-risk
// buildings by area) and the open data. No sign-in and no cookie: the pages are the same for everyone, so they are
// cached (public, 5 minutes). Rendered with the public layout only (never the staff layout, which would look for a
// session), no script at all, and a CSP stricter than the app's, set on every response here. Every chart has a table
// of the same figures; every count passed disclosure control (disclosure.ts) before it reaches a template.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TypedFastify } from '../../../platform/http/typed.ts';
import type { PageDeps } from '../../../platform/modules.ts';
import { fieldOf } from '../../../web/forms/fields.ts';
import { nunjucksEnvironment } from '../../../web/nunjucks.ts';
import { barChart, columnChart } from '../../../web/charts.ts';
import { REGISTRATION_PATTERN } from '../standard/schema.ts';
import { PUBLIC_MEASURES, PUBLIC_MEASURE, TENURE_VIEWS, TENURE_VIEW_NAMES, rateWords, roundThings, type PublishedFigure, type TenureView } from './disclosure.ts';
import {
  changelog, landlordFigures, periodKey, periodWords, publicDataFor, searchLocalAuthorities, searchPublishers, type Period, type PublicData,
} from './queries.ts';
import { SIZE_BANDS, dampBySize, higherRiskByArea, leagueTable } from './national.ts';
import { LICENCE, OPEN_DATA_COLUMNS, openDataCsv, openDataParquet, openDataRows } from './downloads.ts';

/** No script, no plugin, no frame; styles, images and fonts from the site only; forms only to the site. */
export const HUB_CSP = [
  "default-src 'none'", "script-src 'none'", "style-src 'self'", "img-src 'self'", "font-src 'self'", "connect-src 'none'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
].join('; ');
export const HUB_CACHE = 'public, max-age=300';

const LA_CODE = /^(E0[6-9]|W06|S12|N09)[0-9]{6}$/;
const registration = new RegExp(REGISTRATION_PATTERN);
const text = (v: unknown, max = 100): string => (typeof v === 'string' ? v.trim().slice(0, max) : '');
const fmt = (n: number) => n.toLocaleString('en-GB');

export interface HubPublicOptions { data?: PublicData }

export function hubPublicPages(app: TypedFastify, deps: Pick<PageDeps, 'store'>, options: HubPublicOptions = {}): void {
  const data = options.data ?? publicDataFor(deps.store);
  const env = nunjucksEnvironment();

  const headers = (reply: FastifyReply, status: number) => reply.code(status)
    .header('content-security-policy', HUB_CSP)
    .header('cache-control', status === 200 ? HUB_CACHE : 'public, max-age=60')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff');
  const view = (reply: FastifyReply, template: string, context: Record<string, unknown>, status = 200) =>
    headers(reply, status).type('text/html; charset=utf-8').send(env.render(`hub/public/${template}`, context));
  const notFound = (reply: FastifyReply, title: string, paragraphs: string[]) => view(reply, 'not-found.njk', { title, paragraphs, section: 'search' }, 404);

  const periodFrom = async (req: FastifyRequest): Promise<{ periods: Period[]; period: Period | undefined }> => {
    const periods = await data.periods();
    const asked = text(fieldOf(req.query, 'period'));
    return { periods, period: periods.find((p) => p.key === asked) ?? periods[0] };
  };
  const tenureFrom = (req: FastifyRequest, fallback: TenureView = 'LCRA'): TenureView => {
    const t = text(fieldOf(req.query, 'tenure'));
    return (TENURE_VIEWS as readonly string[]).includes(t) ? t as TenureView : fallback;
  };

  // ---- search ------------------------------------------------------------------------------------------------------
  app.get('/hub', async (req, reply) => {
    const q = text(fieldOf(req.query, 'q'));
    if (!q) return view(reply, 'search.njk', { title: 'Social housing data', section: 'search', q });
    const [landlords, localAuthorities] = await deps.store.system((db) => Promise.all([searchPublishers(db, q), searchLocalAuthorities(db, q)]));
    return view(reply, 'search.njk', { title: `Search results for “${q}”`, section: 'search', q, landlords, localAuthorities });
  });

  // ---- a landlord --------------------------------------------------------------------------------------------------
  app.get('/hub/landlords/:registration', async (req, reply) => {
    const reg = text(fieldOf(req.params, 'registration'), 20).toUpperCase();
    const publishers = await data.publishers();
    const landlord = registration.test(reg) ? publishers.get(reg) : undefined;
    if (!landlord) {
      return notFound(reply, 'Landlord not found', [
        registration.test(reg) ? `No landlord with registration number ${reg} publishes to this hub.` : `“${reg}” is not a registration number: they look like L1234, LH1234, 4567 or 00CN.`,
        'Search by the landlord\'s name instead.',
      ]);
    }
    const figures = await deps.store.system((db) => landlordFigures(db, landlord.publisher));
    const own = [...new Map(figures.map((f) => [periodKey(f.periodFrom, f.periodTo), { from: f.periodFrom, to: f.periodTo, key: periodKey(f.periodFrom, f.periodTo) }])).values()]
      .sort((a, b) => b.to.localeCompare(a.to) || b.from.localeCompare(a.from));
    const latest = own[0];
    const context: Record<string, unknown> = { title: landlord.name, section: 'search', landlord, homes: roundThings(landlord.homes).words, backLink: '/hub' };
    if (!latest) return view(reply, 'landlord.njk', context);
    const hasLcra = figures.some((f) => f.tenure === 'LCRA');
    const tenure = tenureFrom(req, hasLcra ? 'LCRA' : 'all');
    const { medians } = await data.period(latest);
    const at = (p: Period, measure: string, t: TenureView = tenure) => figures.find((f) => f.measure === measure && f.tenure === t && f.periodFrom === p.from && f.periodTo === p.to);
    const measures = PUBLIC_MEASURES.filter((m) => at(latest, m.key));
    const regionLabel = landlord.regionName ? `${landlord.regionName} median` : 'Regional median';
    const comparison = {
      caption: `${landlord.name} beside the national and regional medians`,
      head: ['Measure', landlord.name, 'National median', regionLabel],
      rows: measures.map((m) => [`${m.code} ${m.title}`, rateWords(m, at(latest, m.key)!.rate), rateWords(m, medians.get(`${m.key}|${tenure}`)?.median ?? null),
        rateWords(m, landlord.regionCode ? medians.get(`${m.key}|${tenure}|${landlord.regionCode}`)?.median ?? null : null)]),
    };
    const perception = measures.filter((m) => m.kind === 'perception' && at(latest, m.key)!.rate !== null);
    const satisfactionChart = perception.length ? barChart({
      id: 'satisfaction', title: `Tenant satisfaction, ${landlord.name}, ${periodWords(latest.from, latest.to)}`,
      description: `Percentage of respondents satisfied, for ${perception.length} measures; the table below gives the same figures.`,
      bars: perception.map((m) => ({ label: `${m.code} ${m.title}`, value: round1(at(latest, m.key)!.rate!) })),
    }) : null;
    const satisfaction = {
      caption: 'Tenant satisfaction (percentage satisfied)', head: ['Measure', 'Satisfied'],
      rows: perception.map((m) => [`${m.code} ${m.title}`, rateWords(m, at(latest, m.key)!.rate)]),
    };
    const periods = own.slice(0, 5).reverse();
    const trend = {
      caption: `${landlord.name} over time (${TENURE_VIEW_NAMES[tenure].toLowerCase()})`,
      head: ['Measure', ...periods.map((p) => periodWords(p.from, p.to))],
      rows: PUBLIC_MEASURES.filter((m) => periods.some((p) => at(p, m.key))).map((m) => [`${m.code} ${m.title}`, ...periods.map((p) => { const f = at(p, m.key); return f ? rateWords(m, f.rate) : 'not published'; })]),
    };
    const trendMeasure = PUBLIC_MEASURE.get('tp01')!;
    const trendBars = periods.map((p) => ({ p, f: at(p, 'tp01') })).filter((x) => x.f && x.f.rate !== null);
    const trendChart = trendBars.length > 1 ? columnChart({
      id: 'trend', title: `${trendMeasure.code} ${trendMeasure.title} over time`,
      description: `Percentage satisfied in each period; the trend table below gives every measure.`,
      bars: trendBars.map((x) => ({ label: x.p.to.slice(0, 4), value: round1(x.f!.rate!) })),
    }) : null;
    const countRows: string[][] = [];
    for (const m of measures) {
      const row = (part: 'numerator' | 'denominator', words: string) => {
        const cell = (t: TenureView) => at(latest, m.key, t)?.[part].words ?? 'not published';
        countRows.push([`${m.code}: ${words}`, cell('LCRA'), cell('LCHO'), cell('all')]);
      };
      if (m.numeratorPeople) row('numerator', m.numeratorWords);
      if (m.denominatorPeople) row('denominator', m.denominatorWords);
    }
    const counts = { caption: 'Counts of people behind the measures', head: ['Count', 'Low cost rental', 'Low cost home ownership', 'Total'], rows: countRows };
    return view(reply, 'landlord.njk', {
      ...context, periodName: periodWords(latest.from, latest.to), tenureName: TENURE_VIEW_NAMES[tenure],
      tenures: TENURE_VIEWS.map((t) => ({ value: t, text: TENURE_VIEW_NAMES[t], checked: t === tenure })),
      comparison, satisfaction, satisfactionChart, trend, trendChart, counts,
    });
  });

  // ---- a local authority -------------------------------------------------------------------------------------------
  app.get('/hub/local-authorities/:code', async (req, reply) => {
    const code = text(fieldOf(req.params, 'code'), 20).toUpperCase();
    const las = await data.localAuthorities();
    const la = LA_CODE.test(code) ? las.get(code) : undefined;
    if (!la) {
      return notFound(reply, 'Local authority not found', [
        LA_CODE.test(code) ? `${code} is not a local authority district this hub knows (it lists England's and Wales's districts as of December 2023).`
          : `“${code}” is not a local authority code: they look like E08000035.`,
        'Search by the local authority\'s name instead.',
      ]);
    }
    const [areas, publishers] = await Promise.all([data.areas(), data.publishers()]);
    const here = areas.filter((a) => a.localAuthority === la.code && a.homes + a.blocks > 0).sort((a, b) => b.homes - a.homes);
    const name = (p: string) => publishers.get(p)?.name ?? p;
    const sum = (k: 'homes' | 'blocks' | 'higherRiskBlocks') => here.reduce((s, a) => s + a[k], 0);
    const top = here.slice(0, 10).map((a) => ({ label: name(a.publisher), value: roundThings(a.homes).shown ?? 0 }));
    return view(reply, 'local-authority.njk', {
      title: la.name, section: 'search', la, backLink: '/hub',
      totals: { homes: roundThings(sum('homes')).words, landlords: fmt(here.length), higherRisk: roundThings(sum('higherRiskBlocks')).words },
      chart: top.length ? barChart({ id: 'landlords', title: `Homes published by landlord in ${la.name}`, description: `The ${top.length} landlords with the most homes here, rounded to 5; the table below lists them all.`, bars: top }) : null,
      landlords: {
        caption: `Landlords with homes in ${la.name}`, head: ['Landlord', 'Homes', 'Buildings (blocks)', 'Higher-risk buildings'],
        rows: here.map((a) => [{ text: name(a.publisher), href: `/hub/landlords/${a.publisher}` }, roundThings(a.homes).words, roundThings(a.blocks).words, roundThings(a.higherRiskBlocks).words]),
      },
    });
  });

  // ---- national pages ----------------------------------------------------------------------------------------------
  app.get('/hub/national/higher-risk-buildings', async (_req, reply) => {
    const { regions, localAuthorities, total } = await higherRiskByArea(data);
    const withAny = localAuthorities.filter((l) => l.exactHigherRisk > 0);
    return view(reply, 'national.njk', {
      title: 'Higher-risk buildings by area', section: 'higher-risk',
      paragraphs: ['Buildings at least 18 metres or 7 storeys high with at least 2 homes (Building Safety Act 2022), as landlords publish them with their homes. Counts are rounded to the nearest 5.'],
      parts: [
        {
          heading: 'By region',
          chart: regions.length ? barChart({ id: 'regions', title: 'Higher-risk buildings by region', description: 'Higher-risk buildings published in each region, rounded to 5; the table below gives the same figures and all buildings.', bars: regions.map((r) => ({ label: r.name, value: r.higherRisk.shown ?? 0 })) }) : null,
          table: { caption: 'Higher-risk buildings by region', head: ['Region', 'Higher-risk buildings', 'All buildings (blocks)'], rows: [...regions.map((r) => [r.name, r.higherRisk.words, r.blocks.words]), ['Total', total.higherRisk.words, total.blocks.words]] },
        },
        {
          heading: 'By local authority',
          paragraphs: withAny.length ? [] : ['No landlord has published a higher-risk building yet.'],
          table: withAny.length ? { caption: 'Local authorities with higher-risk buildings', head: ['Local authority', 'Region', 'Higher-risk buildings', 'All buildings (blocks)'], rows: withAny.map((l) => [{ text: l.name, href: `/hub/local-authorities/${l.code}` }, l.regionName ?? '', l.higherRisk.words, l.blocks.words]) } : null,
        },
      ],
    });
  });

  app.get('/hub/national/damp-and-mould', async (req, reply) => {
    const { periods, period } = await periodFrom(req);
    if (!period) return view(reply, 'national.njk', { title: 'Damp and mould by landlord size', section: 'damp', paragraphs: ['No landlord has published measures yet.'], parts: [] });
    const d = await dampBySize(data, period);
    const pct = (n: number | null) => (n === null ? 'not shown' : `${round1(n).toLocaleString('en-GB', { minimumFractionDigits: 1 })}%`);
    const per1000 = (n: number | null) => (n === null ? 'not shown' : round1(n).toLocaleString('en-GB', { minimumFractionDigits: 1 }));
    return view(reply, 'national.njk', {
      title: 'Damp and mould by landlord size', section: 'damp', formAction: '/hub/national/damp-and-mould',
      paragraphs: [`Damp and mould cases open at the end of ${periodWords(period.from, period.to)}, and Awaab's Law deadlines met, by the number of homes each landlord publishes. All social homes (low cost rental and low cost home ownership).`],
      selectors: periods.length > 1 ? [periodSelect(periods, period)] : null,
      parts: [{
        heading: periodWords(period.from, period.to),
        chart: barChart({ id: 'damp', title: 'Damp and mould cases open per 1,000 homes, by landlord size', description: 'Open cases per 1,000 homes in each size band; bands whose count is hidden are drawn as 0. The table below gives the same figures.', bars: d.bands.map((b) => ({ label: b.name, value: b.openRate === null ? 0 : round1(b.openRate) })) }),
        table: {
          caption: 'Damp and mould by landlord size', head: ['Landlord size', 'Landlords', 'Homes', 'Open cases', 'Open per 1,000 homes', "Deadlines due", 'Deadlines met', 'Met'],
          rows: [...d.bands.map((b) => [b.name, fmt(b.landlords), b.homes.words, b.open.words, per1000(b.openRate), b.due.words, b.met.words, pct(b.metRate)]),
            ['All landlords', fmt(d.total.landlords), d.total.homes.words, d.total.open.words, per1000(d.total.openRate), d.total.due.words, d.total.met.words, pct(d.total.metRate)]],
        },
        paragraphs: [`Landlord size: ${SIZE_BANDS.map((b) => b.name.toLowerCase()).join('; ')}.`],
      }],
    });
  });

  app.get('/hub/national/tsm', async (req, reply) => {
    const { periods, period } = await periodFrom(req);
    const asked = text(fieldOf(req.query, 'measure'));
    const measure = PUBLIC_MEASURE.get(asked) ?? PUBLIC_MEASURE.get('tp01')!;
    const tenure = tenureFrom(req);
    if (!period) return view(reply, 'national.njk', { title: 'Tenant Satisfaction Measures', section: 'tsm', paragraphs: ['No landlord has published measures yet.'], parts: [] });
    const rows = await leagueTable(data, period, measure.key, tenure);
    const { medians } = await data.period(period);
    const national = medians.get(`${measure.key}|${tenure}`);
    return view(reply, 'national.njk', {
      title: 'Tenant Satisfaction Measures', section: 'tsm', formAction: '/hub/national/tsm',
      paragraphs: ['Landlords ranked on one measure. Choose the measure, the homes it covers and the period.'],
      selectors: [
        { id: 'measure', name: 'measure', label: { text: 'Measure' }, items: PUBLIC_MEASURES.map((m) => ({ value: m.key, text: `${m.code} ${m.title}`, selected: m.key === measure.key })) },
        { id: 'tenure', name: 'tenure', label: { text: 'Homes' }, items: TENURE_VIEWS.map((t) => ({ value: t, text: TENURE_VIEW_NAMES[t], selected: t === tenure })) },
        ...(periods.length > 1 ? [periodSelect(periods, period)] : []),
      ],
      parts: [{
        heading: `${measure.code} ${measure.title}`,
        paragraphs: [
          `${TENURE_VIEW_NAMES[tenure]}, ${periodWords(period.from, period.to)}. National median: ${rateWords(measure, national?.median ?? null)} (${fmt(national?.landlords ?? 0)} landlords).`,
          measure.better === 'neither' ? 'Ranked highest first: a higher figure is neither better nor worse in itself.' : `Ranked ${measure.better === 'higher' ? 'highest' : 'lowest'} first. Landlords whose figure is hidden (too few people) are listed last, unranked.`,
        ],
        table: {
          caption: `League table: ${measure.code} ${measure.title}`,
          head: ['Landlord', 'Rank', measure.unit === '%' ? 'Result' : 'Per 1,000 homes', short(measure.numeratorWords), short(measure.denominatorWords)],
          rows: rows.map((r) => [{ text: r.name, href: `/hub/landlords/${r.publisher}` }, r.rank === null ? 'not ranked' : fmt(r.rank), rateWords(measure, r.figure.rate), r.figure.numerator.words, r.figure.denominator.words]),
        },
      }],
    });
  });

  // ---- open data ---------------------------------------------------------------------------------------------------
  app.get('/hub/data', async (_req, reply) => {
    const entries = await deps.store.system((db) => changelog(db));
    return view(reply, 'data.njk', {
      title: 'Open data', section: 'data', licence: LICENCE,
      columns: OPEN_DATA_COLUMNS.map((name) => ({ name, text: COLUMN_WORDS[name] })),
      changelog: {
        caption: 'Latest changes to the data', head: ['Date', 'Landlord', 'Records added or changed'],
        rows: entries.map((e) => [e.receivedAt.toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'Europe/London' }), { text: e.name, href: `/hub/landlords/${e.publisher}` }, fmt(e.accepted)]),
      },
    });
  });
  const download = (reply: FastifyReply, type: string, filename: string, body: string | Uint8Array) => headers(reply, 200)
    .type(type).header('content-disposition', `attachment; filename="${filename}"`).send(typeof body === 'string' ? body : Buffer.from(body));
  app.get('/hub/data/measures.csv', async (_req, reply) =>
    download(reply, 'text/csv; charset=utf-8', `social-housing-measures-${today()}.csv`, openDataCsv(await openDataRows(data))));
  app.get('/hub/data/measures.parquet', async (_req, reply) =>
    download(reply, 'application/vnd.apache.parquet', `social-housing-measures-${today()}.parquet`, openDataParquet(await openDataRows(data))));
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const today = () => new Date().toISOString().slice(0, 10);
const short = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
const periodSelect = (periods: readonly Period[], period: Period) => ({
  id: 'period', name: 'period', label: { text: 'Period' }, items: periods.map((p) => ({ value: p.key, text: periodWords(p.from, p.to), selected: p.key === period.key })),
});

const COLUMN_WORDS: Readonly<Record<(typeof OPEN_DATA_COLUMNS)[number], string>> = {
  registration: 'Regulator of Social Housing registration number of the landlord',
  landlord: "The landlord's name",
  period_from: 'First day of the period (YYYY-MM-DD)',
  period_to: 'Last day of the period',
  tenure_group: 'LCRA (low cost rental), LCHO (low cost home ownership) or all (both)',
  measure: 'The measure\'s key in the Hearth Housing Data Standard (tp01, rp02_1, dm_open …)',
  code: 'The measure\'s code (TP01, RP02 (1); DM for damp and mould)',
  title: 'What the measure is',
  numerator: 'The count the rate is made from, rounded or empty when hidden',
  numerator_note: '"fewer than 10", "suppressed" or "fewer than 3" when the numerator is hidden',
  denominator: 'The count the rate is out of, rounded or empty when hidden',
  denominator_note: 'Why the denominator is hidden, when it is',
  rate: 'The rate to 1 decimal place, from the exact counts; empty when hidden',
  unit: '"%" or "per 1,000 homes"',
};

export type { PublishedFigure };
