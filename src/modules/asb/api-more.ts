// JSON routes for an ASB case's alerts, tools, closing and case reviews (issue 15): raise a person alert in safe words
// through the people module, add tools and move them through their statuses, close a case (its reason and the
// complainant's survey; open actions done, its alerts ended), record an ASB Case Review's date, outcome and
// recommendations. ASB officers only (asb:write); problem+json naming the field.
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { ModuleDeps } from '../../platform/modules.ts';
import { API_ROUTE } from '../../platform/records/api.ts';
import { codeList, literalUnion, ProblemSchema, strict } from '../../platform/http/schemas.ts';
import { ALERT_WORDS, raiseCaseAlert } from './alerts.ts';
import { addTool, changeToolStatus, TOOL_KINDS, TOOL_STATUSES, type AsbTool } from './tools.ts';
import { closeCase, CLOSING_REASONS, type Closed } from './close.ts';
import {
  CASE_REVIEW_OUTCOME_HINTS, CASE_REVIEW_OUTCOMES, caseReviewFindingWords, recordCaseReview, RECOMMENDATIONS_MAX, type CaseReviewOutcome,
} from './case-reviews.ts';
import type { AsbCaseReview } from './service.ts';

const TAG = 'ASB';
const security = [{ bearer: [] }];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ToolParams = Type.Object({ id: Type.String({ format: 'uuid' }), toolId: Type.String({ format: 'uuid' }) });
const ReviewParams = Type.Object({ id: Type.String({ format: 'uuid' }), reviewId: Type.String({ format: 'uuid' }) });
const date = (description: string) => Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()], { description }));
const nullableString = (description: string, format?: 'date' | 'date-time' | 'uuid') =>
  Type.Union([Type.String(format ? { format } : {}), Type.Null()], { description });

const AlertBody = Type.Object({
  personId: Type.String({ format: 'uuid', description: 'A person who is a party of this case' }),
  // One kind of words so far (ALERT_WORDS): a literal, as a union of one is not a valid OpenAPI composition.
  words: Type.Literal('do-not-visit-alone', { description: `What other services are told, and nothing else of the case: do-not-visit-alone (${ALERT_WORDS['do-not-visit-alone'].label})` }),
  reviewOn: Type.String({ format: 'date', description: 'When the alert should be reviewed (YYYY-MM-DD): after today' }),
}, strict);

const AlertRaised = Type.Object({
  alertId: Type.String({ format: 'uuid', description: 'The person alert (GET /alerts/{id}, with alerts:read)' }),
  personId: Type.String({ format: 'uuid' }),
  hactCode: Type.String({ description: 'HACT v3.5 PersonAlertTypeCode' }),
  category: Type.String({ description: 'UK Housing Data Standards category' }),
  description: Type.String({ description: 'The safe words: all another service sees' }),
  startDate: Type.String({ format: 'date' }),
  reviewDate: nullableString('When it should be reviewed', 'date'),
}, { $id: 'AsbAlertRaised' });

const ToolBody = Type.Object({
  kind: codeList(TOOL_KINDS, 'The tool'),
  status: Type.Optional(codeList(TOOL_STATUSES, 'Its status (default: proposed)')),
  startedOn: date('When it started (YYYY-MM-DD)'),
  endsOn: date('When it ends or ended (YYYY-MM-DD): on or after the start'),
  nextDateOn: date('A hearing or review date (YYYY-MM-DD)'),
  againstPartyId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The party of this case it is against' })),
  notes: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()], { description: 'Anything else about it' })),
}, strict);

const ToolStatusBody = Type.Object({
  status: codeList(TOOL_STATUSES, 'The new status'),
  on: date('When it changed (YYYY-MM-DD; default today): the start when it goes in place, the end when it ends'),
  nextDateOn: date('A hearing or review date (YYYY-MM-DD)'),
  notes: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()], { description: 'Why, added to its notes' })),
}, strict);

const ToolSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  caseId: Type.String({ format: 'uuid' }),
  kind: Type.String({ description: Object.keys(TOOL_KINDS).join(', ') }),
  label: Type.String({ description: 'The kind in plain English' }),
  status: Type.String({ description: Object.keys(TOOL_STATUSES).join(', ') }),
  statusLabel: Type.String(),
  startedOn: nullableString('When it started', 'date'),
  endsOn: nullableString('When it ends or ended', 'date'),
  nextDateOn: nullableString('A hearing or review date', 'date'),
  againstPartyId: nullableString('The party it is against', 'uuid'),
  notes: nullableString('Notes'),
  version: Type.Integer(),
}, { $id: 'AsbTool' });

const CloseBody = Type.Object({
  reason: codeList(CLOSING_REASONS, 'Why the case closed'),
  satisfaction: Type.Optional(Type.Union([Type.Object({
    satisfiedWithHandling: Type.Boolean({ description: 'Was the complainant satisfied with how the case was handled?' }),
    rating: Type.Integer({ minimum: 1, maximum: 5, description: '1 (very dissatisfied) to 5 (very satisfied)' }),
    comment: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()], { description: 'In their words' })),
  }, strict), Type.Null()], { description: "The complainant's satisfaction survey, when they answered it" })),
}, strict);

const ClosedSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  reference: Type.String(),
  status: Type.String(),
  closedAt: Type.String({ format: 'date-time' }),
  closingReason: Type.String(),
  closingReasonLabel: Type.String(),
  satisfaction: Type.Union([Type.Object({
    satisfiedWithHandling: Type.Boolean(), rating: Type.Integer(), comment: Type.Union([Type.String(), Type.Null()]),
  }), Type.Null()]),
  actionsClosed: Type.Integer({ description: 'Open actions now done "Closed with the case"' }),
  alertsEnded: Type.Array(Type.String({ format: 'uuid' }), { description: 'The person alerts the case raised that closing ended' }),
}, { $id: 'AsbCaseClosed' });

const outcomeWords = Object.entries(CASE_REVIEW_OUTCOME_HINTS).map(([k, v]) => `${k} (${v.charAt(0).toLowerCase()}${v.slice(1)})`).join('; ');

const CaseReviewBody = Type.Object({
  reviewOn: Type.String({ format: 'date', description: 'When the review is or was held (YYYY-MM-DD): on or after the day the case was opened' }),
  outcome: Type.Optional(Type.Union([literalUnion(Object.keys(CASE_REVIEW_OUTCOMES) as CaseReviewOutcome[]), Type.Null()], {
    description: `What the review concluded, only once the review date is today or past (left out or null: none yet): ${outcomeWords}`,
  })),
  recommendations: Type.Optional(Type.Union([Type.String({ maxLength: RECOMMENDATIONS_MAX }), Type.Null()], {
    description: 'What the review recommended (trimmed; needed when the outcome is recommendations-made)',
  })),
}, strict);

const CaseReviewSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  caseId: Type.String({ format: 'uuid' }),
  triggeredAt: Type.String({ format: 'date-time', description: 'When the case met the threshold' }),
  finding: Type.Array(Type.String(), { description: 'Each rule met, in words, with how many reports qualified' }),
  reviewOn: nullableString('When the review is or was held', 'date'),
  outcome: nullableString(`What it concluded: ${Object.keys(CASE_REVIEW_OUTCOMES).join(', ')}`),
  outcomeLabel: nullableString('The outcome in plain English'),
  recommendations: nullableString('What the review recommended'),
  version: Type.Integer(),
}, { $id: 'AsbCaseReview' });

const presentCaseReview = (r: AsbCaseReview): Static<typeof CaseReviewSchema> => ({
  id: r.id, caseId: r.caseId, triggeredAt: r.triggeredAt.toISOString(), finding: caseReviewFindingWords(r.finding), reviewOn: r.reviewOn,
  outcome: r.outcome, outcomeLabel: r.outcome ? CASE_REVIEW_OUTCOMES[r.outcome as keyof typeof CASE_REVIEW_OUTCOMES] ?? r.outcome : null,
  recommendations: r.recommendations, version: r.version,
});

const presentTool = (t: AsbTool): Static<typeof ToolSchema> => ({
  id: t.id, caseId: t.caseId, kind: t.kind, label: TOOL_KINDS[t.kind as keyof typeof TOOL_KINDS] ?? t.kind, status: t.status,
  statusLabel: TOOL_STATUSES[t.status as keyof typeof TOOL_STATUSES] ?? t.status, startedOn: t.startedOn, endsOn: t.endsOn,
  nextDateOn: t.nextDateOn, againstPartyId: t.againstPartyId, notes: t.notes, version: t.version,
});

function presentClosed(r: Closed): Static<typeof ClosedSchema> {
  const c = r.case;
  const s = c.satisfaction as { satisfiedWithHandling: boolean; rating: number; comment: string | null } | null;
  return {
    id: c.id, reference: c.reference, status: c.status, closedAt: (c.closedAt ?? new Date()).toISOString(), closingReason: c.closingReason ?? '',
    closingReasonLabel: CLOSING_REASONS[c.closingReason as keyof typeof CLOSING_REASONS] ?? c.closingReason ?? '',
    satisfaction: s ? { satisfiedWithHandling: s.satisfiedWithHandling, rating: s.rating, comment: s.comment } : null,
    actionsClosed: r.actionsClosed, alertsEnded: r.alertsEnded,
  };
}

export function asbMoreApi(api: TypedFastify, deps: ModuleDeps): void {
  const { run } = deps;

  api.post('/asb-cases/:id/alerts', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, params: IdParams, body: AlertBody, operationId: 'raiseAsbAlert',
      summary: 'Raise a person alert from an open case, in safe words: 201 with the alert',
      description: 'A person alert for a party of the case, through the people module: "do-not-visit-alone" is HACT 10 (repairs tell operatives "Visit in pairs"). ' +
        'The alert says only those words, never the case. ' +
        'The case keeps it and ends it when it closes. A person who is not a party is a 400 naming /personId; a review date not in the future names /reviewOn; a closed case is a 409. ASB officers only.',
      response: { 201: AlertRaised, ...errors },
    },
  }, async (req, reply) => {
    const body = await run(req, async (ctx) => {
      const a = await raiseCaseAlert(ctx, req.params.id, req.body);
      return { alertId: a.id, personId: a.personId, hactCode: a.hactCode, category: a.category, description: a.description ?? '', startDate: a.startDate, reviewDate: a.reviewDate };
    });
    reply.code(201);
    return body;
  });

  api.post('/asb-cases/:id/tools', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, params: IdParams, body: ToolBody, operationId: 'addAsbTool',
      summary: 'Add a tool or outcome to an open case: 201 with it',
      description: 'A warning, acceptable behaviour contract, mediation, community protection notice, civil injunction, closure order, demotion or possession. ' +
        'Bad input names the field: an end before the start (/endsOn), a party not of this case (/againstPartyId), an unknown kind (/kind) or status (/status). A closed case is a 409.',
      response: { 201: ToolSchema, ...errors },
    },
  }, async (req, reply) => {
    const body = await run(req, async (ctx) => presentTool(await addTool(ctx, req.params.id, req.body)));
    reply.code(201);
    return body;
  });

  api.post('/asb-cases/:id/tools/:toolId/status', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, params: ToolParams, body: ToolStatusBody, operationId: 'changeAsbToolStatus',
      summary: "Change a tool's status: in place, breached, ended or refused",
      description: 'Going in place sets its start, ending it sets its end (to `on`, default today). Proposed → in place, refused or ended; in place → breached or ended; ' +
        'breached → in place or ended. Ended and refused are final (409): add a new tool instead. An end before the start is a 400 naming /on.',
      response: { 200: ToolSchema, ...errors },
    },
  }, async (req) => run(req, async (ctx) => {
    const { status, ...change } = req.body;
    return presentTool(await changeToolStatus(ctx, req.params.id, req.params.toolId, status, change));
  }));

  api.post('/asb-cases/:id/close', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, params: IdParams, body: CloseBody, operationId: 'closeAsbCase',
      summary: 'Close a case: its reason and the complainant\'s satisfaction; open actions done, its alerts ended',
      description: 'Open actions are marked done "Closed with the case"; the person alerts the case raised are ended through the people module, so repairs stop telling operatives. ' +
        'A closed case is a 409. Audited as asb-case-closed.',
      response: { 200: ClosedSchema, ...errors },
    },
  }, async (req) => run(req, async (ctx) => presentClosed(await closeCase(ctx, req.params.id, req.body))));

  api.put('/asb-cases/:id/case-reviews/:reviewId', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, params: ReviewParams, body: CaseReviewBody, operationId: 'recordAsbCaseReview',
      summary: 'Record an ASB Case Review: when it is or was held, its outcome and recommendations',
      description: 'The case review the case was flagged with when it met the threshold (GET /asb-cases/{id} lists them in caseReviews). The date, outcome and ' +
        'recommendations are replaced as sent; sending the same again changes nothing. An outcome with a review date after today is a 400 naming /outcome; ' +
        'recommendations-made without recommendations names /recommendations. A closed case takes a review too: one may be asked for after it closed. ' +
        'A review that is not of this case, or a case not of your organisation, is a 404. ASB officers only. Audited as asb-case-review-recorded.',
      response: { 200: CaseReviewSchema, ...errors },
    },
  }, async (req) => run(req, async (ctx) => presentCaseReview(await recordCaseReview(ctx, req.params.id, req.params.reviewId, req.body))));
}
