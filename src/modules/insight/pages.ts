// The higher-risk buildings register as a page, and as a CSV of the registration data per structure; the damp and
// mould register as a page (filter by estate, a page at a time) and as a CSV of every sign.
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { QueryValue, type PageRun } from '../../web/page.ts';
import { csvDocument, csvFilename, sendCsv } from '../../platform/http/csv.ts';
import { higherRiskRegisterView, presentRegister, type HigherRiskRegister } from './api.ts';
import { auditRegisterExport, dampMouldRegister, unlinkedSigns, type DampRegister, type UnlinkedSign } from './damp-register.ts';

type Entry = HigherRiskRegister['higherRisk'][number];

const CSV_HEADER = ['block id', 'block reference', 'name', 'status', 'storeys', 'height (m)', 'height method', 'residential units', 'year built', 'address', 'postcode', 'homes', 'residents', 'reasons'];

/** A block's address on one line: number and street, town. */
export const addressLine = (e: Pick<Entry, 'buildingNumber' | 'street' | 'town'>) =>
  [[e.buildingNumber, e.street].filter(Boolean).join(' '), e.town].filter(Boolean).join(', ');

/** Registration data per structure, higher-risk first then those needing data: BOM, header, CRLF, every cell neutralised. */
export function higherRiskCsv(r: HigherRiskRegister): string {
  const rows = [...r.higherRisk, ...r.dataNeeded].map((e) => [e.id, e.reference, e.name, e.assessment.status, e.storeys, e.heightMetres, e.heightMethod, e.residentialUnits,
    e.yearBuilt, addressLine(e), e.postcode, e.homes, e.residents, e.assessment.reasons.join('; ')]);
  return csvDocument([CSV_HEADER, ...rows]);
}


const SOURCE_LABELS = { repair: 'Repair', note: 'Note', 'hazard-report': 'Hazard report' } as const;

/** Every sign on the register, one row each with its home: BOM, header, CRLF, every cell neutralised. Priority only when the register has it. */
export function dampRegisterCsv(r: DampRegister): string {
  const withPriority = r.order === 'priority';
  const header = ['home id', 'property reference', 'address', 'postcode', 'estate', ...(withPriority ? ['greater risk from damp', 'why'] : []), 'first observed', 'latest observed',
    'signs in the home', 'source', 'source id', 'source reference', 'observed on', 'found by', 'seen', 'evidence', 'link'];
  const rows = r.items.flatMap((e) => e.signals.map((s) => [e.homeId, e.homeReference, e.address, e.postcode, e.estateName,
    ...(withPriority ? [e.priority?.atGreaterRisk ? 'yes' : 'no', e.priority?.reasons.join('; ') ?? ''] : []), e.firstObserved, e.latestObserved, e.count,
    SOURCE_LABELS[s.sourceKind], s.sourceId, s.reference, s.observedOn, s.basis.join('; '), s.kinds.join('; '), s.evidence.map((x) => x.text).join('\n'), s.link]));
  return csvDocument([header, ...rows]);
}

/** Signs not yet linked to a home, one row each: the repair's job number and what it named its home by, with the evidence. */
export function unlinkedSignsCsv(items: UnlinkedSign[]): string {
  const header = ['source', 'source id', 'source reference', 'home named', 'observed on', 'found by', 'seen', 'evidence'];
  return csvDocument([header, ...items.map((s) => [SOURCE_LABELS[s.sourceKind], s.sourceId, s.reference, s.named, s.observedOn, s.basis.join('; '),
    s.kinds.join('; '), s.evidence.map((x) => x.text).join('\n')])]);
}

/** The register's filter and page: anything else (a malformed estate or page) is ignored, not an error page. */
const DampQuery = Type.Object({ estate: QueryValue, page: QueryValue });
const dampQuery = (q: Static<typeof DampQuery>) => {
  const estate = typeof q.estate === 'string' && /^(?:none|[0-9a-f-]{36})$/i.test(q.estate) ? q.estate : undefined;
  const page = Number(q.page);
  return { estate, page: Number.isInteger(page) && page >= 1 && page <= 1e6 ? page : 1 };
};

/** GOV.UK pagination: previous, next, and the pages around this one (with ellipses), each keeping the estate filter. */
function pagination(r: DampRegister) {
  const href = (n: number) => `/insight/damp-and-mould?${new URLSearchParams({ ...(r.estate ? { estate: r.estate } : {}), page: String(n) })}`;
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let n = 1; n <= r.pages; n++) {
    if (n === 1 || n === r.pages || Math.abs(n - r.page) <= 1) items.push({ number: n, href: href(n), current: n === r.page });
    else if (!('ellipsis' in (items[items.length - 1] ?? {}))) items.push({ ellipsis: true });
  }
  return r.pages > 1 ? { items, previous: r.page > 1 ? { href: href(r.page - 1) } : undefined, next: r.page < r.pages ? { href: href(r.page + 1) } : undefined } : null;
}

export function insightPages(app: TypedFastify, page: PageRun) {
  app.get('/insight/damp-and-mould', { schema: { querystring: DampQuery } }, async (req, reply) => {
    const data = await page(req, async (ctx) => ({ register: presentRegister(await dampMouldRegister(ctx, dampQuery(req.query))) }));
    return reply.view('insight/damp-and-mould.njk', { ...data, pagination: pagination(data.register), title: 'Damp and mould', section: 'damp-and-mould' });
  });

  app.get('/insight/damp-and-mould.csv', { schema: { querystring: DampQuery } }, async (req, reply) => {
    const data = await page(req, async (ctx) => {
      const register = await dampMouldRegister(ctx, { estate: dampQuery(req.query).estate, all: true });
      await auditRegisterExport(ctx, register, 'csv');
      return { register };
    });
    return sendCsv(reply, csvFilename('damp-and-mould', data.organisationName), dampRegisterCsv(data.register));
  });

  app.get('/insight/damp-and-mould-unlinked.csv', async (req, reply) => {
    const data = await page(req, async (ctx) => {
      const unlinked = await unlinkedSigns(ctx);
      await auditRegisterExport(ctx, { items: unlinked.items, estate: null }, 'csv (signs not yet linked to a home)');
      return { unlinked };
    });
    return sendCsv(reply, csvFilename('damp-and-mould-not-linked', data.organisationName), unlinkedSignsCsv(data.unlinked.items));
  });

  app.get('/insight/higher-risk-buildings', async (req, reply) => {
    const data = await page(req, async (ctx) => ({ register: await higherRiskRegisterView(ctx) }));
    return reply.view('insight/higher-risk-buildings.njk', { ...data, title: 'Higher-risk buildings', section: 'higher-risk' });
  });

  app.get('/insight/higher-risk-buildings.csv', async (req, reply) => {
    const data = await page(req, async (ctx) => ({ register: await higherRiskRegisterView(ctx) }));
    return sendCsv(reply, csvFilename('higher-risk-buildings', data.organisationName), higherRiskCsv(data.register));
  });
}
