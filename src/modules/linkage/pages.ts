// Record linkage pages for data leads: the overview, the pairs to review (most doubtful first) and one pair side by
// side, with each field's contribution to the match weight as a waterfall and Accept / Reject buttons.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { Type, type Static } from 'typebox';
import type { PageRun } from '../../web/page.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';
import { formatAddress } from '../homes/index.ts';
import { decide, getReview, linkageOverview, listReviews, type PersonValues } from './service.ts';
import type { FieldComparison } from './types.ts';
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
export function waterfall(weight: number, comparisons: FieldComparison[]): { rows: WaterfallRow[]; zero: number } {
  const prior = weight - comparisons.reduce((s, c) => s + c.weight, 0);
  const points = [0, prior];
  let run = prior;
  for (const c of comparisons) { run += c.weight; points.push(run); }
  const lo = Math.min(...points), hi = Math.max(...points);
  const span = hi - lo || 1;
  const at = (x: number) => Math.max(0, Math.min(100, Math.round(((x - lo) / span) * 100)));
  const bar = (x: number, y: number) => { const f = at(Math.min(x, y)); return { from: f, width: Math.max(0, Math.min(100 - f, at(Math.max(x, y)) - f)) }; };
  const rows: WaterfallRow[] = [{ label: 'Prior (before any field)', detail: 'How likely any two records are to be one person, as log2 odds', value: signed(prior), kind: 'prior', ...bar(0, prior) }];
  run = prior;
  for (const c of comparisons) {
    rows.push({ label: c.comparison === 'given' ? 'Given name' : c.comparison === 'family' ? 'Family name' : FIELD_NAMES[c.field] ?? c.field, detail: c.label, value: signed(c.weight), kind: c.weight >= 0 ? 'positive' : 'negative', ...bar(run, run + c.weight) });
    run += c.weight;
  }
  rows.push({ label: 'Match weight', detail: 'The prior plus every field', value: signed(weight), kind: 'total', ...bar(0, weight) });
  return { rows, zero: at(0) };
}

function valuesRows(v: PersonValues | undefined) {
  const contacts = (sys: 'phone' | 'email') => (v?.contactPoints ?? []).filter((c) => c.system === sys).map((c) => c.value).join(', ') || '';
  return [
    ['Name', [v?.title, v?.givenName, v?.middleNames, v?.familyName].filter(Boolean).join(' ')],
    ['Preferred name', v?.preferredName ?? ''],
    ['Date of birth', v?.dateOfBirth ?? ''],
    ['Address', v?.address ? formatAddress(v.address) : ''],
    ['Phone', contacts('phone')],
    ['Email', contacts('email')],
  ] as [string, string][];
}

export function linkagePages(app: TypedFastify, page: PageRun) {
  app.get('/linkage', async (req, reply) => {
    const data = await page(req, async (ctx) => { requireDecide(ctx); return { overview: await linkageOverview(ctx) }; });
    return reply.view('linkage/linkage.njk', { ...data, title: 'Record linkage', section: 'linkage' });
  });

  app.get('/linkage/reviews', async (req, reply) => {
    const data = await page(req, async (ctx) => {
      requireDecide(ctx);
      const reviews = await listReviews(ctx, 'pending', 200);
      return { reviews };
    });
    return reply.view('linkage/link-reviews.njk', { ...data, percent, title: 'Pairs to review', section: 'linkage', backLink: '/linkage' });
  });

  async function showReview(req: FastifyRequest, reply: FastifyReply, { a, b }: Static<typeof PairParams>, errors: ErrorItem[] = []) {
    const data = await page(req, async (ctx) => { requireDecide(ctx); return getReview(ctx, a, b); });
    const chart = waterfall(data.review.weight, data.review.comparisons);
    const left = valuesRows(data.a?.values);
    const right = valuesRows(data.b?.values);
    const compare = left.map(([label, x], i) => ({ label, a: x, b: right[i]![1] }));
    return reply.code(errors.length ? 400 : 200).view('linkage/link-review.njk', {
      ...data, chart, compare, percent, signed, fieldNames: FIELD_NAMES, title: 'Are these one person?', section: 'linkage', backLink: '/linkage/reviews', errors,
    });
  }

  app.get('/linkage/reviews/:a/:b', { schema: { params: PairParams } }, async (req, reply) => showReview(req, reply, req.params));

  app.post('/linkage/reviews/:a/:b', { schema: { params: PairParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    const { a, b } = req.params;
    const form = DecisionForm.parse(req.body);
    if (!form.ok) return showReview(req, reply, req.params, form.errors);
    const { decision } = form.values;
    await page(req, async (ctx) => decide(ctx, a, b, decision));
    return reply.redirect(`/linkage/reviews?decided=${decision}`, 303);
  });
}
