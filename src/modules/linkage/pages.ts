// Record linkage pages for data leads: the overview, the pairs to review (most doubtful first) and one pair side by
// side, with each field's contribution to the match weight as a waterfall and Accept / Reject buttons.
import { govukDate } from '../../platform/uk-time.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { Type, type Static } from 'typebox';
import type { PageRun } from '../../web/page.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import { displayPhone } from '../people/index.ts';
import { evidence, evidenceFor } from './evidence.ts';
import { formatAddress } from '../homes/index.ts';
import { decide, getReview, lastDecisionId, likelihoodInWords, linkageOverview, pendingReviews, undoDecision, type PersonValues } from './service.ts';
import type { FieldComparison, PersonRecord } from './types.ts';
import { defineForm, type ErrorItem } from '../../web/forms/index.ts';

const PairParams = Type.Object({ a: Type.String({ format: 'uuid' }), b: Type.String({ format: 'uuid' }) });
/** Accept or reject: the two buttons of the review page, each sending its decision. */
const DecisionForm = defineForm({
  schema: Type.Object({ decision: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]) }),
  messages: { decision: 'Select Accept if these are one person, or Reject if they are different people' },
});

const FIELD_NAMES: Record<FieldComparison['field'], string> = {
  name: 'Name', dateOfBirth: 'Date of birth', address: 'Address', phone: 'Phone', email: 'Email',
};

function requireDecide(ctx: Ctx) {
  if (!can(ctx.actor.role, 'links:decide')) throw forbidden();
}

const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toFixed(2)}`;
const percent = (p: number) => `${(p * 100).toLocaleString('en-GB', { maximumFractionDigits: p > 0.99 || p < 0.01 ? 2 : 0 })}%`;

export interface WaterfallRow { label: string; detail: string; value: string; kind: 'prior' | 'positive' | 'negative' | 'total'; from: number; width: number }

/**
 * The waterfall of a pair's match weight: the prior, each field's weight as a step up (green) or down (red) from the
 * running total, and the final weight. Positions are whole percentages across the range the running total covers
 * (zero included), as CSS classes.
 */
export function waterfall(weight: number, comparisons: FieldComparison[], a: PersonRecord | null = null, b: PersonRecord | null = null): { rows: WaterfallRow[]; zero: number } {
  const prior = weight - comparisons.reduce((s, c) => s + c.weight, 0);
  const points = [0, prior];
  let run = prior;
  for (const c of comparisons) { run += c.weight; points.push(run); }
  const lo = Math.min(...points), hi = Math.max(...points);
  const span = hi - lo || 1;
  const at = (x: number) => Math.max(0, Math.min(100, Math.round(((x - lo) / span) * 100)));
  const bar = (x: number, y: number) => { const f = at(Math.min(x, y)); return { from: f, width: Math.max(0, Math.min(100 - f, at(Math.max(x, y)) - f)) }; };
  const rows: WaterfallRow[] = [{ label: 'Starting score', detail: 'How likely any two records are to be one person, before comparing them', value: signed(prior), kind: 'prior', ...bar(0, prior) }];
  run = prior;
  for (const c of comparisons) {
    rows.push({ label: c.comparison === 'given' ? 'Given name' : c.comparison === 'family' ? 'Family name' : FIELD_NAMES[c.field] ?? c.field, detail: evidenceFor(c, a, b).text, value: signed(c.weight), kind: c.weight >= 0 ? 'positive' : 'negative', ...bar(run, run + c.weight) });
    run += c.weight;
  }
  rows.push({ label: 'Final score', detail: 'The starting score plus every field', value: signed(weight), kind: 'total', ...bar(0, weight) });
  return { rows, zero: at(0) };
}

function valuesRows(v: PersonValues | undefined, home: string | null) {
  const contacts = (sys: 'phone' | 'email') => (v?.contactPoints ?? []).filter((c) => c.system === sys).map((c) => (sys === 'phone' ? displayPhone(c.value) : c.value)).join(', ') || '';
  return [
    ['Name', [v?.title, v?.givenName, v?.middleNames, v?.familyName].filter(Boolean).join(' ')],
    ['Preferred name', v?.preferredName ?? ''],
    ['Date of birth', v?.dateOfBirth ? govukDate(String(v.dateOfBirth)) : ''],
    ['Address', v?.address && formatAddress(v.address) ? formatAddress(v.address) : home ? `${home} (their home)` : ''],
    ['Phone', contacts('phone')],
    ['Email', contacts('email')],
  ] as [string, string][];
}


const PER_PAGE = 20;
const ListQuery = Type.Object({ page: Type.Optional(Type.String()) });
const PairQuery = Type.Object({ decided: Type.Optional(Type.String()), undone: Type.Optional(Type.String()) });
const UndoForm = defineForm({
  schema: Type.Object({ decision: Type.String({ format: 'uuid' }) }),
  messages: { decision: 'The decision to undo is missing. Open the pair again' },
});

/** GOV.UK pagination for the pairs to review: previous, next, and the pages around this one. */
function pagination(page: number, pages: number) {
  const href = (n: number) => `/linkage/reviews?page=${n}`;
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 1) items.push({ number: n, href: href(n), current: n === page });
    else if (!('ellipsis' in (items[items.length - 1] ?? {}))) items.push({ ellipsis: true });
  }
  return pages > 1 ? { items, previous: page > 1 ? { href: href(page - 1) } : undefined, next: page < pages ? { href: href(page + 1) } : undefined } : null;
}

const pairHref = (a: string, b: string) => `/linkage/reviews/${a}/${b}`;

export function linkagePages(app: TypedFastify, page: PageRun) {
  app.get('/linkage', async (req, reply) => {
    const data = await page(req, async (ctx) => { requireDecide(ctx); return { overview: await linkageOverview(ctx) }; });
    return reply.view('linkage/linkage.njk', { ...data, title: 'Record linkage', section: 'linkage' });
  });

  app.get('/linkage/reviews', { schema: { querystring: ListQuery } }, async (req, reply) => {
    const n = Number(req.query.page ?? 1);
    const data = await page(req, async (ctx) => {
      requireDecide(ctx);
      return { reviews: await pendingReviews(ctx, { page: Number.isInteger(n) && n >= 1 && n <= 1e6 ? n : 1, perPage: PER_PAGE }) };
    });
    return reply.view('linkage/link-reviews.njk', {
      ...data, likelihood: likelihoodInWords, pagination: pagination(data.reviews.page, data.reviews.pages),
      title: data.reviews.pages > 1 ? `Pairs to review (page ${data.reviews.page} of ${data.reviews.pages})` : 'Pairs to review', section: 'linkage', backLink: '/linkage',
    });
  });

  interface Notice { kind: 'decided' | 'undone' | 'refused'; decisionId?: string; message?: string }

  async function showReview(req: FastifyRequest, reply: FastifyReply, { a, b }: Static<typeof PairParams>, errors: ErrorItem[] = [], notice?: Notice, status = 200) {
    const data = await page(req, async (ctx) => {
      requireDecide(ctx);
      const pair = await getReview(ctx, a, b);
      // The banner after a decision offers Undo only while that decision is still the pair's latest.
      const decisionId = notice?.kind === 'decided' && pair.review.status !== 'pending' ? await lastDecisionId(ctx, a, b) : null;
      const next = (await pendingReviews(ctx, { page: 1, perPage: 2 })).items.find((r) => r.aId !== pair.review.aId || r.bId !== pair.review.bId);
      return { ...pair, decisionId: decisionId && decisionId === notice?.decisionId ? decisionId : null, next: next ? { href: pairHref(next.aId, next.bId), text: `${next.aName} and ${next.bName}` } : null };
    });
    const chart = waterfall(data.review.weight, data.review.comparisons, data.compared.a, data.compared.b);
    const left = valuesRows(data.a?.values, data.homes.a);
    const right = valuesRows(data.b?.values, data.homes.b);
    const compare = left.map(([label, x], i) => ({ label, a: x, b: right[i]![1] }));
    const said = evidence(data.review.comparisons, data.compared.a, data.compared.b);
    return reply.code(errors.length ? 400 : status).view('linkage/link-review.njk', {
      ...data, chart, compare, said, likelihood: likelihoodInWords(data.review.probability), percent, signed, notice: notice ?? null,
      title: 'Are these one person?', section: 'linkage', backLink: '/linkage/reviews', errors,
    });
  }

  app.get('/linkage/reviews/:a/:b', { schema: { params: PairParams, querystring: PairQuery } }, async (req, reply) => {
    const q = req.query;
    const notice: Notice | undefined = q.decided ? { kind: 'decided', decisionId: q.decided } : q.undone !== undefined ? { kind: 'undone' } : undefined;
    return showReview(req, reply, req.params, [], notice);
  });

  app.post('/linkage/reviews/:a/:b', { schema: { params: PairParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    const { a, b } = req.params;
    const form = DecisionForm.parse(req.body);
    if (!form.ok) return showReview(req, reply, req.params, form.errors);
    const { decision } = form.values;
    const decided = await page(req, async (ctx) => { const d = await decide(ctx, a, b, decision); return { ...d, id: await lastDecisionId(ctx, a, b) }; });
    return reply.redirect(`${pairHref(decided.a, decided.b)}?decided=${decided.id ?? ''}`, 303);
  });

  app.post('/linkage/reviews/:a/:b/undo', { schema: { params: PairParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    const { a, b } = req.params;
    const form = UndoForm.parse(req.body);
    if (!form.ok) return showReview(req, reply, req.params, form.errors);
    const result = await page(req, async (ctx) => {
      try {
        return await undoDecision(ctx, a, b, form.values.decision);
      } catch (e) {
        if (e instanceof Problem && e.status === 409) return { outcome: 'refused' as const, message: e.message };
        throw e;
      }
    });
    if (result.outcome === 'refused') return showReview(req, reply, req.params, [], { kind: 'refused', message: result.message }, 409);
    const [x, y] = a < b ? [a, b] : [b, a];
    return reply.redirect(`${pairHref(x, y)}?undone`, 303);
  });
}
