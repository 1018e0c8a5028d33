// The public feed-quality pages (issue 16 parts 2 and 8), in the public site's layout and CSP, no sign-in:
// /hub/publishers/{registration}/quality is a publisher's status page (last received, errors, lag at the top) and its
// quality dashboard (validity, completeness, timeliness) like the Open Referral UK validator's; /hub/quality lists
// every publisher with its three scores, sortable (?sort=, ?dir=) and a page at a time (?page=). No counts of people
// are shown, so nothing is suppressed; errors show field names and the validator's words, never a record.
import type { FastifyReply } from 'fastify';
import type { TypedFastify } from '../../../platform/http/typed.ts';
import type { PageDeps } from '../../../platform/modules.ts';
import { fieldOf } from '../../../web/forms/fields.ts';
import { nunjucksEnvironment } from '../../../web/nunjucks.ts';
import { HUB_CSP } from '../public/pages.ts';
import { REGISTRATION_PATTERN } from '../standard/schema.ts';
import { periodWords } from '../public/queries.ts';
import {
  DEFAULT_DIRECTION, QUALITY_DAYS, QUALITY_PAGE_SIZE, QUALITY_SORTS, lagWords, percentWords, publisherQuality, qualityTable,
  type PublisherQuality, type QualitySort, type SortDirection,
} from './quality.ts';

/** Status pages change with every batch: a minute's cache at most. */
export const QUALITY_CACHE = 'public, max-age=60';
const registration = new RegExp(REGISTRATION_PATTERN);
const text = (v: unknown, max = 100): string => (typeof v === 'string' ? v.trim().slice(0, max) : '');
const fmt = (v: number) => v.toLocaleString('en-GB');

const VIA_WORDS: Readonly<Record<string, string>> = { push: 'pushed', feed: 'a feed page', file: 'a published file', upload: 'an upload' };
const STATUS_TAGS: Readonly<Record<string, { text: string; classes: string }>> = {
  ok: { text: 'OK', classes: 'govuk-tag--green' },
  failing: { text: 'Failing', classes: 'govuk-tag--red' },
  paused: { text: 'Paused', classes: 'govuk-tag--grey' },
};
const FILE_KIND_WORDS: Readonly<Record<string, string>> = { homes: 'homes.csv', measures: 'measures.csv', batch: 'JSON batch' };

/** A field as a reader knows it: block.storeys for a record's, the column for a row's. */
export const fieldWords = (field: string) => (field === '' ? '(the whole record or file)' : field.startsWith('/') ? field.slice(1).replaceAll('/', '.') : field);

/** Where an example error was: "row 7 of an upload, 3 March 2026" or "record 12 of a pushed batch". */
function exampleWords(e: PublisherQuality['validity']['groups'][number]['example']): string {
  const where = e.row !== null ? `Row ${fmt(e.row)}` : e.record !== null ? `Record ${fmt(e.record)}` : 'The batch';
  const via = VIA_WORDS[e.via] ?? e.via;
  return `${where} of ${via === 'pushed' ? 'a pushed batch' : via}, ${e.receivedAt.toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })}`;
}

const when = (d: Date | null, none = 'Never') => (d ? d.toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' }) : none);

/** The page's figures as the template shows them (words only: the template does no arithmetic). */
export function qualityView(q: PublisherQuality) {
  const v = q.validity;
  const c = q.completeness;
  const t = q.timeliness;
  const last = v.lastBatch;
  return {
    status: {
      lastReceived: when(t.lastReceived, 'Nothing received yet'),
      lag: t.lagMinutes === null ? 'Nothing received yet' : `${lagWords(t.lagMinutes)} since the last batch`,
      errors: last ? `${fmt(last.rejected)} of ${fmt(last.records)} records rejected in the last batch; ${fmt(v.errorsKept)} errors in the last ${QUALITY_DAYS} days` : 'No batch received yet',
      failing: t.sources.filter((s) => s.status !== 'ok').length,
    },
    validity: {
      share30: percentWords(v.share30, `No records in the last ${QUALITY_DAYS} days`),
      counts30: `${fmt(v.accepted30)} of ${fmt(v.records30)} records accepted`,
      lastShare: last ? percentWords(last.share) : 'No batch received yet',
      lastCounts: last ? `${fmt(last.accepted)} of ${fmt(last.records)} records accepted (${VIA_WORDS[last.via] ?? last.via}, ${when(last.receivedAt)})` : '',
      groups: v.groups.map((g) => ({ field: fieldWords(g.field), message: g.message, count: fmt(g.count), example: exampleWords(g.example) })),
      errorsKept: fmt(v.errorsKept),
    },
    completeness: {
      share30: percentWords(c.share30, `No records accepted in the last ${QUALITY_DAYS} days`),
      counts30: `${fmt(c.given30)} of ${fmt(c.possible30)} optional fields given`,
      homes: fmt(c.homes),
      fields: c.fields.map((f) => ({ name: f.name, given: fmt(f.given), share: percentWords(f.share, 'No homes') })),
      period: c.period ? periodWords(c.period.from, c.period.to) : null,
      tenureGroups: c.tenureGroups,
      measures: c.measures.map((m) => ({ code: m.code, title: m.title, given: c.tenureGroups.map((tg) => (m.given[tg] ? 'Published' : 'Not published')) })),
      measuresSummary: c.measuresPossible ? `${fmt(c.measuresGiven)} of ${fmt(c.measuresPossible)} (${percentWords(c.measuresGiven / c.measuresPossible)})` : '',
    },
    timeliness: {
      batches: fmt(t.batches),
      sources: t.sources.map((s) => ({
        what: s.kind === 'feed' ? 'Change feed' : `File (${FILE_KIND_WORDS[s.fileKind ?? ''] ?? s.fileKind})`,
        where: s.where, tag: STATUS_TAGS[s.status] ?? { text: s.status, classes: 'govuk-tag--grey' }, reason: s.reason,
        lastChecked: when(s.lastCheckedAt), lastChanged: when(s.lastChangedAt),
      })),
    },
  };
}

const TENURE_WORDS: Readonly<Record<string, string>> = { LCRA: 'Low cost rental', LCHO: 'Low cost home ownership' };

export function hubQualityPages(app: TypedFastify, deps: Pick<PageDeps, 'store'>): void {
  const env = nunjucksEnvironment();
  env.addGlobal('TENURE_WORDS', TENURE_WORDS);
  const view = (reply: FastifyReply, template: string, context: Record<string, unknown>, status = 200) => reply.code(status)
    .header('content-security-policy', HUB_CSP)
    .header('cache-control', QUALITY_CACHE)
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .type('text/html; charset=utf-8')
    .send(env.render(`hub/${template}`, context));

  app.get('/hub/publishers/:registration/quality', async (req, reply) => {
    const reg = text(fieldOf(req.params, 'registration'), 20).toUpperCase();
    const q = registration.test(reg) ? await deps.store.system((db) => publisherQuality(db, reg)) : undefined;
    if (!q) {
      return view(reply, 'public/not-found.njk', {
        title: 'Publisher not found', section: 'quality', backLink: '/hub/quality',
        paragraphs: [registration.test(reg) ? `No landlord with registration number ${reg} publishes to this hub.` : `“${reg}” is not a registration number: they look like L1234, LH1234, 4567 or 00CN.`,
          'The feed quality page lists every publisher.'],
      }, 404);
    }
    return view(reply, 'quality/publisher.njk', {
      title: `Feed quality: ${q.publisher.name}`, section: 'quality', backLink: '/hub/quality', publisher: q.publisher, days: QUALITY_DAYS, ...qualityView(q),
    });
  });

  app.get('/hub/quality', async (req, reply) => {
    const askedSort = text(fieldOf(req.query, 'sort'), 20);
    const sort: QualitySort = (QUALITY_SORTS as readonly string[]).includes(askedSort) ? askedSort as QualitySort : 'name';
    const askedDir = text(fieldOf(req.query, 'dir'), 4);
    const direction: SortDirection = askedDir === 'asc' || askedDir === 'desc' ? askedDir : DEFAULT_DIRECTION[sort];
    const askedPage = Number(text(fieldOf(req.query, 'page'), 6));
    const page = Number.isInteger(askedPage) && askedPage > 0 ? askedPage : 1;
    const { rows, total } = await deps.store.system((db) => qualityTable(db, { sort, direction, page }));
    const pages = Math.max(1, Math.ceil(total / QUALITY_PAGE_SIZE));
    const href = (s: QualitySort, d: SortDirection, p = 1) => `/hub/quality?sort=${s}&dir=${d}${p > 1 ? `&page=${p}` : ''}`;
    const columns = ([['name', 'Landlord'], ['validity', 'Validity'], ['completeness', 'Completeness'], ['timeliness', 'Last received']] as const).map(([key, label]) => {
      const current = key === sort;
      const next: SortDirection = current ? (direction === 'asc' ? 'desc' : 'asc') : DEFAULT_DIRECTION[key];
      return { key, label, href: href(key, next), ariaSort: current ? (direction === 'asc' ? 'ascending' : 'descending') : 'none', numeric: key !== 'name' };
    });
    return view(reply, 'quality/index.njk', {
      title: 'Feed quality', section: 'quality', days: QUALITY_DAYS, columns, total: fmt(total),
      rows: rows.map((r) => ({
        publisher: r.publisher, name: r.name, validity: percentWords(r.validity, 'No records'), completeness: percentWords(r.completeness, 'No records'),
        lastReceived: r.lastReceived ? `${lagWords(r.lagMinutes)} ago` : 'Nothing received yet',
        sources: r.sources ? `${fmt(r.sources)}${r.failing ? `, ${fmt(r.failing)} failing` : ''}${r.paused ? `, ${fmt(r.paused)} paused` : ''}` : 'None (push only)',
      })),
      pagination: pages > 1 ? {
        ...(page > 1 ? { previous: { href: href(sort, direction, page - 1) } } : {}),
        ...(page < pages ? { next: { href: href(sort, direction, page + 1) } } : {}),
        items: Array.from({ length: pages }, (_, i) => i + 1).filter((p) => p === 1 || p === pages || Math.abs(p - page) <= 2)
          .flatMap((p, i, all) => [...(i > 0 && p - all[i - 1]! > 1 ? [{ ellipsis: true }] : []), { number: p, href: href(sort, direction, p), current: p === page }]),
      } : null,
      pageWords: pages > 1 ? `Page ${fmt(Math.min(page, pages))} of ${fmt(pages)}` : '',
    });
  });
}
