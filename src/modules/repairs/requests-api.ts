// JSON routes for repair requests and the landlord's repair settings (issue 14): report a repair for a resident (the
// staff or another system's channel, triaged and diagnosed as the resident's pages are), read one back, and read or
// replace the settings (validated; each save a new version).
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { ModuleDeps } from '../../platform/modules.ts';
import { API_ROUTE, createIdempotently } from '../../platform/records/api.ts';
import { literalUnion, ProblemSchema, strict } from '../../platform/http/schemas.ts';
import { submitRepairRequest, repairRequest, CONTACT_BY, DESCRIPTION_MAX, type RepairRequest, type ContactBy } from './requests.ts';
import { currentSettings, saveSettings } from './settings-service.ts';
import { RepairSettingsSchema } from './rules/settings.ts';
import type { WorkOrderRow } from './work-orders.ts';

const security = [{ bearer: [] }];
/** The tree's exits, named in words (the document's tree is recursive, so its values are listed here for the reference). */
const EXITS = 'An option of the tree is a question (`options`), a repair (`sorCode`, `priority`, `trade`, `minutes`) or an exit, whose `exit` is ' +
  '`emergency`, `cannot-book`, `not-responsible` or `contact-us`.';
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const nullable = (description: string, format?: 'date-time' | 'uuid') => Type.Union([Type.String(format ? { format } : {}), Type.Null()], { description });
const optionalText = (maxLength: number, description: string) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()], { description }));

const RequestBody = Type.Object({
  homeId: Type.String({ description: 'The home (one this landlord holds)' }),
  communal: Type.Optional(Type.Boolean({ description: 'The repair is in a shared area of the building' })),
  triagePath: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 6, description: 'The option values chosen through the landlord\'s triage tree, from the first question, ending at a repair' }),
  description: Type.String({ minLength: 1, maxLength: DESCRIPTION_MAX, description: 'What is wrong, in the resident\'s words (read for signs of damp and mould)' }),
  location: optionalText(200, 'Where in the home'),
  availability: optionalText(200, 'When the resident is in, in their words'),
  accessNotes: optionalText(500, 'How to get in'),
  contactName: optionalText(200, 'Who to contact'),
  contactPhone: optionalText(40, 'Their phone number'),
  contactEmail: optionalText(254, 'Their email address'),
  contactBy: Type.Optional(Type.Union([literalUnion(Object.keys(CONTACT_BY) as ContactBy[]), Type.Null()], { description: 'How they want to be contacted: email, text or phone' })),
  appointment: Type.Optional(Type.Union([Type.Object({
    date: Type.String({ format: 'date' }), slot: Type.String({ minLength: 1, maxLength: 10 }),
  }, strict), Type.Null()], { description: 'A slot from GET /api/v1/work-orders/{id}/availability or the resident\'s choice; taken meanwhile: 409' })),
}, strict);

const RequestSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  reference: Type.String({ description: 'The resident\'s reference (8 letters and digits, like 7KQ4-MX9C)' }),
  homeId: Type.String({ format: 'uuid' }),
  communal: Type.Boolean(),
  settingsVersion: Type.Integer({ description: 'The repair settings version it was triaged with (0: the shipped default)' }),
  triagePath: Type.Array(Type.String()),
  sorCode: Type.String(),
  trade: Type.String(),
  triagePriority: Type.String({ description: 'The priority the tree gave' }),
  priorityCode: Type.String({ description: 'The priority after diagnosis (damp and mould, household alerts)' }),
  reasons: Type.Array(Type.String(), { description: 'Why the priority is what it is' }),
  description: Type.String(),
  location: nullable('Where in the home'),
  availability: nullable('When the resident is in'),
  channel: Type.String({ description: 'online, staff or api' }),
  reportedAt: Type.String({ format: 'date-time' }),
  hazardReportId: nullable('The hazard report raised for a sign of damp or mould', 'uuid'),
  cancelledAt: nullable('When the resident cancelled it', 'date-time'),
  workOrder: Type.Union([Type.Object({
    id: Type.String({ format: 'uuid' }), jobReference: Type.String(), workStatus: nullable('Its status'),
    operativeWords: Type.Array(Type.String(), { description: 'Safety words for the operative ("Visit in pairs"), never the alerts' }),
    dueAt: nullable('When its target runs out', 'date-time'), self: Type.String(),
  }), Type.Null()]),
  appointment: Type.Optional(Type.Object({ date: Type.String({ format: 'date' }), slot: Type.String(), status: Type.String() })),
}, { $id: 'RepairRequest', description: 'A repair reported for a home, triaged and diagnosed, with the work order raised from it' });

function present(r: RepairRequest, wo: WorkOrderRow | null, appointment?: { date: string; slot: string; status: string }): Static<typeof RequestSchema> {
  return {
    id: r.id, reference: r.reference, homeId: r.homeId, communal: r.communal, settingsVersion: r.settingsVersion, triagePath: r.triagePath,
    sorCode: r.sorCode, trade: r.trade, triagePriority: r.triagePriority, priorityCode: r.priorityCode, reasons: r.reasons, description: r.description,
    location: r.location, availability: r.availability, channel: r.channel, reportedAt: r.reportedAt.toISOString(), hazardReportId: r.hazardReportId,
    cancelledAt: r.cancelledAt?.toISOString() ?? null,
    workOrder: wo ? { id: wo.id, jobReference: wo.jobReference, workStatus: wo.workStatus, operativeWords: wo.operativeWords ?? [], dueAt: wo.dueAt?.toISOString() ?? null, self: `/api/v1/work-orders/${wo.id}` } : null,
    ...(appointment ? { appointment: { date: appointment.date, slot: appointment.slot, status: appointment.status } } : {}),
  };
}

const SettingsSchema = Type.Object({
  version: Type.Integer({ description: 'The version (0: the shipped default, never saved)' }),
  createdAt: nullable('When it was saved', 'date-time'),
  createdBy: nullable('Who saved it'),
  settings: RepairSettingsSchema,
}, { $id: 'RepairSettingsVersion', description: 'A version of the landlord\'s repair settings' });

export function requestsApi(api: TypedFastify, deps: ModuleDeps): void {
  const { run } = deps;

  api.post('/repair-requests', {
    ...API_ROUTE,
    schema: {
      tags: ['Repairs'], security, body: RequestBody, operationId: 'createRepairRequest',
      summary: 'Report a repair for a resident: triaged, diagnosed, a work order raised (and a slot booked if given)',
      description: 'The triage path must end at a repair of the landlord\'s tree (an unknown step is a 400 naming /triagePath/N). ' +
        'A sign of damp or mould in the description raises an Awaab\'s Law hazard report and priority; household alerts raise the priority by the landlord\'s rules. ' +
        'A slot taken meanwhile is a 409 and nothing is kept. Idempotency-Key is honoured.',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'A unique key so a retried request reports nothing twice' })) }),
      response: { 201: RequestSchema, 409: ProblemSchema, ...errors },
    },
  }, async (req, reply) => createIdempotently(req, reply, run, { permission: 'repairs:raise' }, async (ctx) => {
    const sent = await submitRepairRequest(ctx, { ...req.body, channel: ctx.actor.kind === 'token' ? 'api' : 'staff' });
    const body = present(sent.request, sent.workOrder, sent.appointment);
    return { statusCode: 201, headers: { location: `/api/v1/repair-requests/${sent.request.id}` }, body };
  }));

  api.get('/repair-requests/:id', {
    ...API_ROUTE,
    schema: {
      tags: ['Repairs'], security, params: IdParams, operationId: 'getRepairRequest',
      summary: 'A repair request, with its diagnosis and the work order raised from it',
      description: 'The request as reported (triage path, SOR code, the priority the tree gave and the priority after diagnosis, with the reasons), and the work order raised from it.',
      response: { 200: RequestSchema, ...errors },
    },
  }, async (req) => run(req, async (ctx) => {
    const { request, workOrder } = await repairRequest(ctx, req.params.id);
    return present(request, workOrder);
  }));

  api.get('/repair-settings', {
    ...API_ROUTE,
    schema: {
      tags: ['Repairs'], security, operationId: 'getRepairSettings',
      summary: 'The landlord\'s current repair settings: triage tree, priorities, alert rules, emergency screen and slots',
      description: 'The newest saved version; version 0 (never saved) is the default Hearth ships. Every repair request keeps the version it was triaged with. ' + EXITS,
      response: { 200: SettingsSchema, ...errors },
    },
  }, async (req) => run(req, async (ctx) => presentSettings(await currentSettings(ctx))));

  api.put('/repair-settings', {
    ...API_ROUTE,
    schema: {
      tags: ['Repairs'], security, operationId: 'putRepairSettings',
      // The document is validated by the settings' own checks (errors by JSON path, all at once), not the route's schema.
      body: Type.Unknown({ description: 'A whole repair settings document (as GET gives in `settings`)' }),
      summary: 'Save a new version of the repair settings (administrators): validated, each error naming its JSON path',
      description: 'The whole document is checked (its shape, then what refers to what: priorities, trades, alert codes, slots) and saved as the next version. ' +
        'A 400 lists every error, each `field` a JSON pointer into the document (/tree/options/2/priority). Audited as repair-settings-saved. ' + EXITS,
      response: { 200: SettingsSchema, ...errors },
    },
  }, async (req) => run(req, async (ctx) => presentSettings(await saveSettings(ctx, req.body))));
}

function presentSettings(v: Awaited<ReturnType<typeof currentSettings>>): Static<typeof SettingsSchema> {
  return { version: v.version, createdAt: v.createdAt?.toISOString() ?? null, createdBy: v.createdBy, settings: v.settings };
}
