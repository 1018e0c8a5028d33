// JSON routes for anti-social behaviour cases (issue 15): open a case (Idempotency-Key), list and read cases (each read
// audited; complainants and witnesses named only to the case's team), find similar open cases, add incidents (with the
// ASB Case Review check), assess the complainant's risk, and read or replace the landlord's ASB settings.
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { ModuleDeps } from '../../platform/modules.ts';
import { API_ROUTE, createIdempotently } from '../../platform/records/api.ts';
import { line, literalUnion, ProblemSchema, strict } from '../../platform/http/schemas.ts';
import { audit } from '../../platform/audit/service.ts';
import {
  addIncident, assessCaseRisk, getCase, listCases, openCase, similarCases, CASE_STATUSES, PARTY_KINDS, PARTY_ROLES, REPORTED_VIA,
  type AsbIncident, type CaseReviewState, type CaseSummary, type CaseView, type RiskOutcome,
} from './service.ts';
import { currentAsbSettings, saveAsbSettings, type VersionedAsbSettings } from './settings-service.ts';
import { AsbSettingsSchema, RISK_LEVELS } from './rules/settings.ts';

const TAG = 'ASB';
const security = [{ bearer: [] }];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const uuid = (description: string) => Type.String({ format: 'uuid', description });
const nullableString = (description: string, format?: 'date-time' | 'date' | 'uuid') =>
  Type.Union([Type.String(format ? { format } : {}), Type.Null()], { description });
const optional = (maxLength: number, description: string) => Type.Optional(Type.Union([line(maxLength), Type.Null()], { description }));
const iso = (d: Date | null) => (d ? d.toISOString() : null);

// ---- Requests ----------------------------------------------------------------------------------------------------------

const IncidentFields = {
  occurredOn: Type.String({ format: 'date', description: 'The UK date it happened (YYYY-MM-DD): today or earlier' }),
  occurredTime: Type.Optional(Type.Union([Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }), Type.Null()], { description: 'The time it happened, HH:MM, when known' })),
  place: optional(200, 'Where it happened, in words (the stairwell, the car park)'),
  description: Type.String({ minLength: 1, maxLength: 20_000, description: 'What happened, in the words of whoever reported it' }),
  reportedVia: Type.Optional(Type.Union([literalUnion(REPORTED_VIA), Type.Null()], { description: `How it was reported: ${REPORTED_VIA.join(', ')}` })),
  reportedByName: optional(200, 'Who reported it, when not a party of the case (a police officer)'),
};

const OpenBody = Type.Object({
  summary: line(500, { minLength: 1, description: 'The problem in a line' }),
  categories: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 10, description: "Codes of the landlord's categories (GET /asb-settings): the case's priority is the most serious of theirs" }),
  priority: Type.Optional(Type.Union([Type.Object({
    code: Type.String({ maxLength: 40, description: "One of the landlord's priorities" }),
    reason: line(500, { minLength: 1, description: 'Why the case needs this priority rather than its categories\'' }),
  }, strict), Type.Null()], { description: 'An officer\'s choice of priority, with the reason' })),
  protectedCharacteristics: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 30, description: 'For a hate incident: the protected characteristics it was motivated by (codes of the settings)' })),
  parties: Type.Array(Type.Object({
    role: literalUnion(PARTY_ROLES, { description: PARTY_ROLES.join(', ') }),
    kind: literalUnion(PARTY_KINDS, { description: 'person (one of your people: give personId), group or unknown' }),
    personId: Type.Optional(Type.Union([uuid('One of your people'), Type.Null()])),
    name: optional(200, "A group's name, or how someone unknown was described"),
    notes: optional(2000, 'Anything else about them'),
  }, strict), { maxItems: 50 }),
  places: Type.Array(Type.Object({
    homeId: Type.Optional(Type.Union([uuid('A home of yours'), Type.Null()])),
    blockId: Type.Optional(Type.Union([uuid('A block of yours'), Type.Null()])),
    tenancyId: Type.Optional(Type.Union([uuid('A tenancy of yours'), Type.Null()])),
  }, { ...strict, description: 'Exactly one of homeId, blockId or tenancyId' }), { maxItems: 20 }),
  incident: Type.Object({
    ...IncidentFields,
    reportedByPartyIndex: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 49 }), Type.Null()], { description: 'Which of `parties` reported it (0 is the first)' })),
  }, { ...strict, description: 'The first incident' }),
  officerUserId: Type.Optional(Type.Union([uuid('The case officer (a staff account)'), Type.Null()], { description: 'The case officer; default: you, when signed in as a member of staff' })),
}, strict);

const IncidentBody = Type.Object({
  ...IncidentFields,
  reportedByPartyId: Type.Optional(Type.Union([uuid('A party of this case'), Type.Null()], { description: 'The party who reported it' })),
}, strict);

const SimilarBody = Type.Object({
  homeIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 50, description: 'Homes: cases at them, or at their blocks' })),
  blockIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 50, description: 'Blocks: cases at them or at any of their homes' })),
  personIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 50, description: 'People: cases with them as a party' })),
}, strict);

const RiskBody = Type.Object({
  answers: Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.Boolean(), Type.Integer({ minimum: 0, maximum: 3 })]), {
    description: "Answers by question id (the settings' riskMatrix): true or false for yes-no questions, 0 to 3 for scales. Leave a question out when not answered.",
  }),
  incidentId: Type.Optional(Type.Union([uuid('The incident this assessment follows'), Type.Null()])),
}, strict);

const ListQuery = Type.Object({
  status: Type.Optional(literalUnion(CASE_STATUSES, { description: 'Only cases with this status' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor from the page before' })),
}, strict);

// ---- Responses ---------------------------------------------------------------------------------------------------------

const SummaryFields = {
  id: Type.String({ format: 'uuid' }),
  reference: Type.String({ description: 'ASB-YYYY-NNNNNN, per landlord and year' }),
  status: Type.String({ description: CASE_STATUSES.join(' or ') }),
  summary: Type.String(),
  categories: Type.Array(Type.String(), { description: "Codes of the landlord's categories" }),
  priorityCode: Type.String(),
  hate: Type.Boolean({ description: 'A hate case (TSM NM01 counts these apart)' }),
  riskLevel: nullableString(`The complainant's risk: ${RISK_LEVELS.join(', ')} (null before the first assessment)`),
  officerUserId: nullableString('The case officer', 'uuid'),
  openedAt: Type.String({ format: 'date-time' }),
  caseReviewFlaggedAt: nullableString('When the ASB Case Review threshold was met', 'date-time'),
};
const CaseSummarySchema = Type.Object(SummaryFields, { $id: 'AsbCaseSummary', description: 'An ASB case without its parties' });

const CaseReviewSchema = Type.Object({
  met: Type.Boolean({ description: 'Whether any of the landlord\'s case review rules is met' }),
  flaggedAt: nullableString('When the case was flagged', 'date-time'),
  newlyFlagged: Type.Boolean({ description: 'Whether this incident flagged it' }),
  results: Type.Array(Type.Object({
    rule: Type.String(), met: Type.Boolean(), words: Type.String(),
    qualifying: Type.Array(Type.String(), { description: 'The incidents that qualified' }),
  })),
}, { $id: 'AsbCaseReviewCheck' });

const IncidentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  occurredOn: Type.String({ format: 'date' }),
  occurredTime: nullableString('HH:MM'),
  place: nullableString('Where, in words'),
  description: Type.String(),
  reportedByPartyId: nullableString('The party who reported it', 'uuid'),
  reportedByName: nullableString('Who reported it, when not a party (shown to the case\'s team only)'),
  reportedVia: nullableString('How it was reported'),
  reportedAt: Type.String({ format: 'date-time' }),
}, { $id: 'AsbIncident' });

const CaseDetailSchema = Type.Object({
  ...SummaryFields,
  version: Type.Integer(),
  priorityReason: nullableString('Why the priority is not its categories\''),
  protectedCharacteristics: Type.Array(Type.String()),
  teamUserIds: Type.Array(Type.String({ format: 'uuid' })),
  settingsVersion: Type.Integer({ description: 'The ASB settings version it was opened with' }),
  identitiesShown: Type.Boolean({ description: 'false: you are not in the case\'s team, so complainants and witnesses are shown as "Complainant 1", "Witness 1"' }),
  parties: Type.Array(Type.Object({
    id: Type.String({ format: 'uuid' }),
    role: Type.String({ description: PARTY_ROLES.join(', ') }),
    kind: Type.String({ description: PARTY_KINDS.join(', ') }),
    personId: nullableString('The person (hidden outside the case\'s team for complainants and witnesses)', 'uuid'),
    name: nullableString('A name or description; "Witness 1" when hidden'),
    hidden: Type.Boolean(),
  })),
  places: Type.Array(Type.Object({
    id: Type.String({ format: 'uuid' }),
    homeId: nullableString('A home', 'uuid'), blockId: nullableString('A block', 'uuid'), tenancyId: nullableString('A tenancy', 'uuid'),
  })),
  incidents: Type.Array(IncidentSchema, { description: 'Oldest first' }),
  actions: Type.Array(Type.Object({
    id: Type.String({ format: 'uuid' }), kind: Type.String(), label: Type.String(),
    dueAt: Type.String({ format: 'date-time' }), doneAt: nullableString('When it was done', 'date-time'),
  }), { description: 'The action plan, soonest due first' }),
  risk: Type.Union([Type.Object({
    id: Type.String({ format: 'uuid' }), level: Type.String(), score: Type.Integer(), assessedAt: Type.String({ format: 'date-time' }), assessedBy: Type.String(),
  }), Type.Null()], { description: 'The latest risk assessment' }),
  caseReviews: Type.Array(Type.Object({
    id: Type.String({ format: 'uuid' }), triggeredAt: Type.String({ format: 'date-time' }), reviewOn: nullableString('When the review is or was held', 'date'),
    outcome: nullableString('The review\'s outcome (PUT /asb-cases/{id}/case-reviews/{reviewId})'), recommendations: nullableString('What it recommended'),
  })),
}, { $id: 'AsbCase', description: 'An ASB case with its parties, places, incidents, action plan, risk and case reviews' });

const SimilarSchema = Type.Object({
  ...SummaryFields,
  reasons: Type.Array(Type.String(), { description: 'Why it matched ("same block: Bronte House")' }),
}, { $id: 'AsbSimilarCase' });

const RiskSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  level: Type.String({ description: RISK_LEVELS.join(', ') }),
  score: Type.Integer(),
  words: Type.String({ description: 'The assessment in words' }),
  rescheduled: Type.Array(Type.Object({
    actionId: Type.String({ format: 'uuid' }), kind: Type.String(), from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }),
  }), { description: 'Open actions brought forward by a higher risk level' }),
}, { $id: 'AsbRiskAssessment' });

const SettingsSchema = Type.Object({
  version: Type.Integer({ description: 'The version (0: the shipped default, never saved)' }),
  savedAt: nullableString('When it was saved', 'date-time'),
  savedBy: nullableString('Who saved it'),
  settings: AsbSettingsSchema,
}, { $id: 'AsbSettingsVersion', description: 'A version of the landlord\'s ASB settings' });

const presentSummary = (c: CaseSummary): Static<typeof CaseSummarySchema> => ({
  id: c.id, reference: c.reference, status: c.status, summary: c.summary, categories: c.categories, priorityCode: c.priorityCode, hate: c.hate,
  riskLevel: c.riskLevel, officerUserId: c.officerUserId, openedAt: c.openedAt.toISOString(), caseReviewFlaggedAt: iso(c.caseReviewFlaggedAt),
});

const presentIncident = (i: AsbIncident): Static<typeof IncidentSchema> => ({
  id: i.id, occurredOn: i.occurredOn, occurredTime: i.occurredTime, place: i.place, description: i.description, reportedByPartyId: i.reportedByPartyId,
  reportedByName: i.reportedByName, reportedVia: i.reportedVia, reportedAt: i.reportedAt.toISOString(),
});

function presentCase(v: CaseView): Static<typeof CaseDetailSchema> {
  const c = v.case;
  return {
    ...presentSummary(c), version: c.version, priorityReason: c.priorityReason, protectedCharacteristics: c.protectedCharacteristics, teamUserIds: c.teamUserIds,
    settingsVersion: c.settingsVersion, identitiesShown: v.identitiesShown,
    parties: v.parties.map((p) => ({ id: p.id, role: p.role, kind: p.kind, personId: p.personId, name: p.name, hidden: p.hidden })),
    places: v.places.map((p) => ({ id: p.id, homeId: p.homeId, blockId: p.blockId, tenancyId: p.tenancyId })),
    incidents: v.incidents.map(presentIncident),
    actions: v.actions.map((a) => ({ id: a.id, kind: a.kind, label: a.label, dueAt: a.dueAt.toISOString(), doneAt: iso(a.doneAt) })),
    risk: v.risk ? { id: v.risk.id, level: v.risk.level, score: v.risk.score, assessedAt: v.risk.assessedAt.toISOString(), assessedBy: v.risk.assessedBy } : null,
    caseReviews: v.caseReviews.map((r) => ({ id: r.id, triggeredAt: r.triggeredAt.toISOString(), reviewOn: r.reviewOn, outcome: r.outcome, recommendations: r.recommendations })),
  };
}

const presentReview = (r: CaseReviewState): Static<typeof CaseReviewSchema> => ({
  met: r.met, flaggedAt: iso(r.flaggedAt), newlyFlagged: r.newlyFlagged,
  results: r.results.map((x) => ({ rule: x.rule, met: x.met, words: x.words, qualifying: x.qualifying })),
});

const presentRisk = (r: RiskOutcome): Static<typeof RiskSchema> => ({
  id: r.assessment.id, level: r.assessment.level, score: r.assessment.score, words: r.words,
  rescheduled: r.rescheduled.map((m) => ({ actionId: m.actionId, kind: m.kind, from: m.from.toISOString(), to: m.to.toISOString() })),
});

const presentSettings = (v: VersionedAsbSettings): Static<typeof SettingsSchema> =>
  ({ version: v.version, savedAt: iso(v.savedAt), savedBy: v.savedBy, settings: v.settings });

const idempotencyKey = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'A unique key so a retried request writes nothing twice' })) });

export function asbApi(api: TypedFastify, deps: ModuleDeps): void {
  const { run } = deps;

  api.post('/asb-cases', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, body: OpenBody, operationId: 'createAsbCase',
      summary: 'Open an ASB case: 201 with its reference, priority, hate flag and action plan',
      description: "The priority is the most serious of its categories' (or the one given, with a reason); the action plan's due times count working days in England and Wales. " +
        'Bad input names the field: an unknown category (/categories/0), an incident in the future (/incident/occurredOn), a party who is not one of your people (/parties/0/personId), ' +
        'a place that is not yours (/places/0/homeId). ASB officers only. Idempotency-Key is honoured.',
      headers: idempotencyKey,
      response: { 201: CaseDetailSchema, ...errors },
    },
  }, async (req, reply) => createIdempotently(req, reply, run, {
    permission: 'asb:write',
    // A replay sends the case again: audited as the read it is.
    replayed: async (ctx, stored) => {
      const body = stored.body;
      if (body && typeof body === 'object' && 'id' in body) await audit(ctx.tx, ctx.actor, { action: 'read-sensitive', entityKind: 'asb-case', entityId: body.id, detail: { replayed: true } });
    },
  }, async (ctx) => {
    const body = presentCase(await openCase(ctx, req.body));
    return { statusCode: 201, headers: { location: `/api/v1/asb-cases/${body.id}` }, body };
  }));

  api.get('/asb-cases', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, querystring: ListQuery, operationId: 'listAsbCases',
      summary: 'ASB cases, oldest first, without their parties',
      description: 'A page of cases (50 unless limit says otherwise) in the order they were opened; nextCursor gives the next page. No party is named. Each case listed is audited as read.',
      response: { 200: Type.Object({ items: Type.Array(CaseSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors },
    },
  }, async (req) => run(req, async (ctx) => {
    const page = await listCases(ctx, { status: req.query.status, limit: req.query.limit ?? 50, cursor: req.query.cursor });
    return { items: page.items.map(presentSummary), nextCursor: page.nextCursor };
  }));

  api.post('/asb-cases/similar', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, body: SimilarBody, operationId: 'findSimilarAsbCases',
      summary: 'Open cases at the same homes or blocks, or with the same people as parties',
      description: 'Before opening a case: the open cases sharing a home, a block (a block\'s homes count, and a home\'s block) or a party person, each with why it matched. ' +
        'The person is never named in the reason.',
      response: { 200: Type.Object({ items: Type.Array(SimilarSchema) }), ...errors },
    },
  }, async (req) => run(req, async (ctx) => {
    const found = await similarCases(ctx, req.body);
    return { items: found.map((c) => ({ ...presentSummary(c), reasons: c.reasons })) };
  }));

  api.get('/asb-cases/:id', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, params: IdParams, operationId: 'getAsbCase',
      summary: 'An ASB case with its parties, places, incidents, action plan, risk and case reviews',
      description: 'Every read is audited. Complainants and witnesses are named only to the case\'s team (its officer, officers added to it, managers); ' +
        'anyone else sees "Complainant 1", "Witness 1". 404 if there is no case with that id in your organisation.',
      response: { 200: CaseDetailSchema, ...errors },
    },
  }, async (req) => run(req, async (ctx) => presentCase(await getCase(ctx, req.params.id))));

  api.post('/asb-cases/:id/incidents', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, params: IdParams, body: IncidentBody, operationId: 'addAsbIncident',
      summary: 'Add an incident to an open case: 201 with it and the ASB Case Review check',
      description: 'Each incident is a report. When the landlord\'s case review threshold is first met (by default 3 reports, each within a month of its incident, within 6 months), ' +
        'the case is flagged and a case review recorded. A date in the future is a 400 naming /occurredOn; a closed case a 409.',
      headers: idempotencyKey,
      response: { 201: Type.Object({ incident: IncidentSchema, caseReview: CaseReviewSchema }), 409: ProblemSchema, ...errors },
    },
  }, async (req, reply) => createIdempotently(req, reply, run, { permission: 'asb:write' }, async (ctx) => {
    const added = await addIncident(ctx, req.params.id, req.body);
    return { statusCode: 201, headers: {}, body: { incident: presentIncident(added.incident), caseReview: presentReview(added.caseReview) } };
  }));

  api.post('/asb-cases/:id/risk-assessments', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, params: IdParams, body: RiskBody, operationId: 'assessAsbRisk',
      summary: "Assess the complainant's risk: 201 with the level, and the actions brought forward",
      description: "Scored against the risk matrix of the settings version the case was opened with; an answer that does not fit is a 400 naming /answers/<question id>. " +
        "The case takes the level; when it rises, open actions with a tighter target at that level are rescheduled to the sooner due time.",
      response: { 201: RiskSchema, 409: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    const body = await run(req, async (ctx) => presentRisk(await assessCaseRisk(ctx, req.params.id, req.body.answers, req.body.incidentId ?? null)));
    reply.code(201);
    return body;
  });

  api.get('/asb-settings', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, operationId: 'getAsbSettings',
      summary: "The landlord's current ASB settings: categories, priorities, risk matrix, action targets, case review rules",
      description: 'The newest saved version; version 0 (never saved) is the default Hearth ships. Every case keeps the version it was opened with.',
      response: { 200: SettingsSchema, ...errors },
    },
  }, async (req) => run(req, async (ctx) => presentSettings(await currentAsbSettings(ctx))));

  api.put('/asb-settings', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, operationId: 'putAsbSettings',
      // The document is checked by the settings' own checks (every error by JSON path), not the route's schema.
      body: Type.Unknown({ description: 'A whole ASB settings document (as GET gives in `settings`)' }),
      summary: 'Save a new version of the ASB settings (administrators): checked, each error naming its JSON path',
      description: 'The whole document is checked (its shape, then what refers to what) and saved as the next version. A 400 lists every error, each `field` a JSON pointer ' +
        'into the document (/categories/2/priority). Audited as asb-settings-saved.',
      response: { 200: SettingsSchema, ...errors },
    },
  }, async (req) => run(req, async (ctx) => presentSettings(await saveAsbSettings(ctx, req.body))));
}
