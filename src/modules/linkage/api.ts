// Record linkage over the API: the pairs waiting for a decision (and those decided), and a data lead's decision.
import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { API_ROUTE, type Run } from '../../platform/records/api.ts';
import { ProblemSchema, strict } from '../../platform/http/schemas.ts';
import { decide, listReviews, type LinkReview } from './service.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const security = [{ bearer: [] }];

const Comparison = Type.Object({
  field: Type.String(), level: Type.String(), label: Type.String(),
  weight: Type.Number({ description: 'Contribution to the match weight (log2 of m/u); 0 when either side is missing' }),
});
const ReviewSchema = Type.Object({
  a: Type.String({ format: 'uuid' }), b: Type.String({ format: 'uuid' }),
  weight: Type.Number({ description: 'Prior log2 odds plus every field’s weight' }),
  probability: Type.Number({ description: 'Match probability' }),
  comparisons: Type.Array(Comparison),
  status: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('rejected')]),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  self: Type.String({ description: 'The review page for this pair' }),
}, { $id: 'LinkReview' });

const Status = Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('rejected')]);
const PairParams = Type.Object({ a: Type.String({ format: 'uuid' }), b: Type.String({ format: 'uuid' }) });

export function presentReview(r: LinkReview) {
  return {
    a: r.aId, b: r.bId, weight: r.weight, probability: r.probability, comparisons: r.comparisons, status: r.status as 'pending',
    decidedBy: r.decidedBy, decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null, self: `/linkage/reviews/${r.aId}/${r.bId}`,
  };
}

export function linkageApi(app: TypedFastify, run: Run) {
  app.get('/link-reviews', {
    ...API_ROUTE,
    schema: {
      tags: ['Record linkage'], summary: 'Pairs of person records that may be one person: pending ones most doubtful first, or those decided', security,
      operationId: 'listLinkReviews',
      description: 'Each pair with its match weight, probability and the comparison of each field (docs/linkage.md). status chooses pending (the default), accepted or rejected.',
      querystring: Type.Object({ status: Type.Optional(Status), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }, strict),
      response: { 200: Type.Object({ items: Type.Array(ReviewSchema) }), ...errors },
    },
  }, async (req) => {
    const q = req.query;
    const items = await run(req, (ctx) => listReviews(ctx, q.status ?? 'pending', q.limit ?? 100));
    return { items: items.map(presentReview) };
  });

  app.post('/link-reviews/:a/:b/decision', {
    ...API_ROUTE,
    schema: {
      tags: ['Record linkage'], summary: 'Decide whether two person records are one person (needs links:decide). Accepted: their clusters merge; rejected: they are split and never linked again', security,
      params: PairParams, operationId: 'decideLinkReview',
      description: 'Records a reviewer\'s decision on a pair (the two person ids in either order) and returns the clusters they are in now. A pair that is not under review is a 422.',
      body: Type.Object({ decision: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]) }, strict),
      response: {
        200: Type.Object({ a: Type.String(), b: Type.String(), decision: Type.String(), clusters: Type.Array(Type.Array(Type.String()), { description: 'The clusters the two records are in now' }) }),
        422: ProblemSchema, ...errors,
      },
    },
  }, async (req) => {
    const { a, b } = req.params;
    return run(req, (ctx) => decide(ctx, a, b, req.body.decision));
  });
}
