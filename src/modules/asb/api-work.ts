// JSON routes for the ASB officer's work (issue 15): the open actions of open cases (overdue, due soon, the officer's
// own cases), completing an action (the complainant's next update scheduled), an action of the officer's own, and
// linking two cases. The same services as the pages (work.ts); every case listed is audited as read.
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { ModuleDeps } from '../../platform/modules.ts';
import { API_ROUTE } from '../../platform/records/api.ts';
import { ProblemSchema, strict } from '../../platform/http/schemas.ts';
import { actionList, addAction, completeAction, linkCases, ACTION_DUE } from './work.ts';
import type { AsbActionRow } from './service.ts';

const TAG = 'ASB';
const security = [{ bearer: [] }];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 412: ProblemSchema };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ActionParams = Type.Object({ id: Type.String({ format: 'uuid' }), actionId: Type.String({ format: 'uuid' }) });
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const ActionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  caseId: Type.String({ format: 'uuid' }),
  kind: Type.String({ description: 'The plan\'s code (acknowledge, interview, visit, review, …), update-complainant, or own' }),
  label: Type.String(),
  dueAt: Type.String({ format: 'date-time', description: 'The end of the working day it is due by' }),
  doneAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  doneBy: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
});
const presentAction = (a: AsbActionRow): Static<typeof ActionSchema> => ({
  id: a.id, caseId: a.caseId, kind: a.kind, label: a.label, dueAt: a.dueAt.toISOString(), doneAt: iso(a.doneAt), doneBy: a.doneBy, note: a.note, version: a.version,
});

const ActionListQuery = Type.Object({
  due: Type.Optional(Type.Union(ACTION_DUE.map((d) => Type.Literal(d)), { description: 'overdue (due before now), due-soon (today or the next working day), all-open (default)' })),
  mine: Type.Optional(Type.Boolean({ description: 'Only cases where you are the officer or in the team' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });

const ActionListSchema = Type.Object({
  total: Type.Integer({ minimum: 0, description: 'Every action matching, across pages' }),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(Type.Object({
    action: ActionSchema,
    case: Type.Object({ id: Type.String({ format: 'uuid' }), reference: Type.String(), summary: Type.String(), priorityCode: Type.String(), riskLevel: Type.Union([Type.String(), Type.Null()]), hate: Type.Boolean() }),
    state: Type.Union([Type.Literal('overdue'), Type.Literal('due-soon'), Type.Literal('to-do')]),
    words: Type.String({ description: 'When it is due, in words' }),
  })),
});

const CompleteBody = Type.Object({
  note: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()], { description: 'What was done' })),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'The action\'s version as you read it: a stale one is a 412' })),
}, strict);
const CompletedSchema = Type.Object({
  action: ActionSchema,
  alreadyDone: Type.Boolean({ description: 'It was done before: nothing changed' }),
  nextUpdate: Type.Union([ActionSchema, Type.Null()], { description: 'The complainant\'s next update, when completing this contacted them' }),
});
const OwnBody = Type.Object({
  label: Type.String({ minLength: 1, maxLength: 200, description: 'What is to be done' }),
  dueOn: Type.String({ format: 'date', description: 'The UK date it is due by: today or later' }),
}, strict);
const LinkBody = Type.Object({
  linkedCaseId: Type.String({ format: 'uuid', description: 'Another case of yours' }),
  reason: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
}, strict);

export function asbWorkApi(api: TypedFastify, deps: ModuleDeps): void {
  const { run } = deps;

  api.get('/asb-actions', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, querystring: ActionListQuery, operationId: 'listAsbActions',
      summary: 'Open actions of open ASB cases, the soonest due first: overdue, due soon, or all; yours or everyone\'s',
      description: 'The officer\'s worklist as data: each action with its case (no parties). Every case listed is audited as read.',
      response: { 200: ActionListSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
    },
  }, async (req) => run(req, async (ctx) => {
    const got = await actionList(ctx, { due: req.query.due, mine: req.query.mine, limit: req.query.limit ?? 50, cursor: req.query.cursor });
    return { total: got.total, nextCursor: got.nextCursor, items: got.items.map((i) => ({ action: presentAction(i.action), case: i.case, state: i.state, words: i.words })) };
  }));

  api.post('/asb-cases/:id/actions/:actionId/done', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, params: ActionParams, body: CompleteBody, operationId: 'completeAsbAction',
      summary: 'Mark an action of an open case done; contacting the complainant schedules their next update',
      description: 'Completing the first contact or an update schedules the complainant\'s next update (every 10 working days, or the risk level\'s figure). ' +
        'Done already: nothing changes (alreadyDone). A closed case is a 409. Audited as asb-action-done.',
      response: { 200: CompletedSchema, ...errors },
    },
  }, async (req) => run(req, async (ctx) => {
    const done = await completeAction(ctx, req.params.id, req.params.actionId, req.body);
    return { action: presentAction(done.action), alreadyDone: done.alreadyDone, nextUpdate: done.nextUpdate ? presentAction(done.nextUpdate) : null };
  }));

  api.post('/asb-cases/:id/actions', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, params: IdParams, body: OwnBody, operationId: 'addAsbAction',
      summary: 'Add an action of your own to an open case, due by the end of a day',
      description: 'An action the plan does not have ("Ring the police SPOC"), due by the end of a UK date today or later (a past date names /dueOn). A closed case is a 409. Audited as asb-action-added.',
      response: { 201: ActionSchema, ...errors },
    },
  }, async (req, reply) => {
    const added = await run(req, async (ctx) => presentAction(await addAction(ctx, req.params.id, req.body)));
    return reply.code(201).send(added);
  });

  api.post('/asb-cases/:id/links', {
    ...API_ROUTE,
    schema: {
      tags: [TAG], security, params: IdParams, body: LinkBody, operationId: 'linkAsbCases',
      summary: 'Link two cases (the same problem seen from two households, a counter-allegation), both ways round, once',
      description: 'Both cases must be yours (404 otherwise) and not the same case; either may be closed. Linking again changes nothing (linked: false). Audited as asb-cases-linked.',
      response: { 200: Type.Object({ linked: Type.Boolean({ description: 'False when they were linked already' }) }), ...errors },
    },
  }, async (req) => run(req, (ctx) => linkCases(ctx, req.params.id, req.body.linkedCaseId, req.body.reason ?? null)));
}
