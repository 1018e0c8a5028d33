// JSON routes for work orders and their appointments (issue 14): list (filters, SLA state), read one with its history,
// raise (Idempotency-Key), change status (If-Match), the slots that can be met, book or move the visit (409 with fresh
// slots when the slot was taken meanwhile) and cancel it.
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { ModuleDeps } from '../../platform/modules.ts';
import { API_ROUTE, createIdempotently, etagOf, parseIfMatch } from '../../platform/records/api.ts';
import { literalUnion, ProblemSchema, strict } from '../../platform/http/schemas.ts';
import { Problem } from '../../platform/http/problem.ts';
import {
  bookWorkOrder, cancelWorkOrderAppointment, changeStatus, raiseWorkOrder, workOrder, workOrderAvailability, workOrderList,
  type Appointment, type OfferedSlot, type WorkOrderEvent, type WorkOrderRow, type WorkOrderSla, type WorkOrderView,
} from './work-orders.ts';
import { WORK_STATUS_CODES } from './rules/work-status.ts';

const security = [{ bearer: [] }];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const nullableString = (description: string, format?: 'date-time' | 'date' | 'uuid') =>
  Type.Union([Type.String(format ? { format } : {}), Type.Null()], { description });
const SLA_STATES = ['met', 'missed', 'overdue', 'due-soon', 'on-time', 'cancelled'] as const;

const AppointmentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  date: Type.String({ format: 'date', description: 'The UK date of the visit' }),
  slot: Type.String({ description: "The slot's code in the landlord's settings (AM, PM)" }),
  windowStart: Type.String({ format: 'date-time' }),
  windowEnd: Type.String({ format: 'date-time' }),
  status: Type.String({ description: 'booked, attended, cancelled or rebooked' }),
  operativeId: nullableString('The operative, once a plan is built', 'uuid'),
  plannedStart: nullableString('When the operative should arrive, once a plan is built', 'date-time'),
}, { $id: 'WorkOrderAppointment' });

const EventSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.String({ description: 'status or note' }),
  fromStatus: nullableString('The status before (a status change)'),
  toStatus: nullableString('The status after (a status change)'),
  reason: nullableString('Why (on hold, no access, cancelled)'),
  note: nullableString('A note, or what was done'),
  actorName: Type.String(),
  at: Type.String({ format: 'date-time' }),
});

const WorkOrderFields = {
  id: Type.String({ format: 'uuid' }),
  organisationId: Type.String({ format: 'uuid' }),
  version: Type.Integer({ description: 'Increases on every change; the ETag is this number in quotes' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  jobReference: Type.String({ description: 'WO-YYYY-NNNNNN, unique in the organisation' }),
  homeId: nullableString('The home', 'uuid'),
  workStatus: Type.String({ description: `The work order status (OSCRE/HACT): ${WORK_STATUS_CODES.join(', ')}` }),
  status: nullableString('The status in words'),
  priorityCode: nullableString('The priority code in the repair settings'),
  priority: nullableString('The priority in words'),
  sorCode: nullableString('Schedule of Rates code'),
  trade: nullableString('The trade that does the work'),
  description: nullableString('What is wrong, word for word'),
  location: nullableString('Where in the home'),
  minutes: Type.Union([Type.Integer(), Type.Null()], { description: 'Estimated minutes on site' }),
  raisedAt: nullableString('When it was raised', 'date-time'),
  dueAt: nullableString("When the priority's target runs out", 'date-time'),
  completedAt: nullableString('When it was completed', 'date-time'),
  requestId: nullableString('The repair request it was raised from', 'uuid'),
  parentId: nullableString('The work order it follows on from', 'uuid'),
  firstTimeFix: Type.Union([Type.Boolean(), Type.Null()], { description: 'Completed at the first visit with no follow-on (null until complete)' }),
  workDone: nullableString('What the operative did'),
  holdReason: nullableString('Why it is on hold'),
  operativeWords: Type.Array(Type.String(), { description: 'Safety words for the operative ("Visit in pairs"), never the alerts themselves' }),
  accessNotes: nullableString('How to get in'),
  settingsVersion: Type.Union([Type.Integer(), Type.Null()], { description: 'The repair settings version it was triaged with' }),
  sla: literalUnion(SLA_STATES, { description: `Where the job stands against its target: ${SLA_STATES.join(', ')}` }),
  slaText: Type.String({ description: 'The same, in words ("Due soon: by 3 December 2026 at 2pm")' }),
  appointment: Type.Union([AppointmentSchema, Type.Null()], { description: 'The booked visit, if any' }),
  self: Type.String({ description: 'The job sheet page' }),
};
export const WorkOrderSchema = Type.Object(WorkOrderFields, { $id: 'WorkOrder', description: 'A work order: a repair raised in Hearth, with its status and target' });
export const WorkOrderDetailSchema = Type.Object({
  ...WorkOrderFields,
  address: Type.String({ description: 'The home, as an address' }),
  reasons: Type.Array(Type.String(), { description: "Why the priority is what it is (the request's diagnosis)" }),
  events: Type.Array(EventSchema, { description: 'Status changes and notes, oldest first' }),
  photos: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), contentType: Type.String(), width: Type.Integer(), height: Type.Integer(), takenBy: Type.String() })),
  followOns: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), jobReference: Type.String() })),
}, { $id: 'WorkOrderDetail', description: 'A work order with its history, photos and follow-ons' });

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function presentAppointment(a: Appointment | null) {
  if (!a) return null;
  return { id: a.id, date: a.date, slot: a.slot, windowStart: new Date(a.windowStart).toISOString(), windowEnd: new Date(a.windowEnd).toISOString(), status: a.status,
    operativeId: a.operativeId ?? null, plannedStart: a.plannedStart ? new Date(a.plannedStart).toISOString() : null };
}


export function presentWorkOrder(r: WorkOrderRow, sla: WorkOrderSla, appointment: Appointment | null): Static<typeof WorkOrderSchema> {
  return {
    id: r.id, organisationId: r.organisationId, version: r.version, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
    jobReference: r.jobReference, homeId: r.homeId, workStatus: r.workStatus ?? 'open', status: r.status, priorityCode: r.priorityCode, priority: r.priority,
    sorCode: r.sorCode, trade: r.trade, description: r.description, location: r.location, minutes: r.minutes, raisedAt: iso(r.raisedAt), dueAt: iso(r.dueAt),
    completedAt: iso(r.completedAt), requestId: r.requestId, parentId: r.parentId, firstTimeFix: r.firstTimeFix, workDone: r.workDone, holdReason: r.holdReason,
    operativeWords: r.operativeWords ?? [], accessNotes: r.accessNotes, settingsVersion: r.settingsVersion, sla: sla.state, slaText: sla.words,
    appointment: presentAppointment(appointment), self: `/repairs/work-orders/${r.id}`,
  };
}

const presentEvent = (e: WorkOrderEvent) => ({ id: e.id, kind: e.kind, fromStatus: e.fromStatus, toStatus: e.toStatus, reason: e.reason, note: e.note, actorName: e.actorName, at: e.at.toISOString() });

export function presentDetail(v: WorkOrderView): Static<typeof WorkOrderDetailSchema> {
  return {
    ...presentWorkOrder(v.workOrder, v.sla, v.appointment?.status === 'booked' || v.appointment?.status === 'attended' ? v.appointment : null),
    address: v.home?.address ?? v.workOrder.homeNamed ?? '', reasons: v.request?.reasons ?? [], events: v.events.map(presentEvent),
    photos: v.photos.map((p) => ({ id: p.id, contentType: p.contentType, width: p.width, height: p.height, takenBy: p.takenBy })),
    followOns: v.followOns.map((f) => ({ id: f.id, jobReference: f.jobReference })),
  };
}

const SlotSchema = Type.Object({
  date: Type.String({ format: 'date' }), slot: Type.String(), label: Type.String(),
  windowStart: Type.String({ format: 'date-time' }), windowEnd: Type.String({ format: 'date-time' }),
});
const presentSlot = (s: OfferedSlot) => ({ date: s.date, slot: s.slot, label: s.label, windowStart: new Date(s.windowStart).toISOString(), windowEnd: new Date(s.windowEnd).toISOString() });
const SlotTakenSchema = Type.Object({ ...ProblemSchema.properties, freshSlots: Type.Array(SlotSchema, { description: 'Slots that can still be booked' }) },
  { $id: 'SlotTaken', description: 'The slot was taken meanwhile: a 409 with the slots that are still free' });

const ListQuery = Type.Object({
  status: Type.Optional(literalUnion(WORK_STATUS_CODES, { description: 'Only work orders in this status' })),
  due: Type.Optional(literalUnion(['overdue', 'due-soon', 'all'] as const, { description: 'overdue: open and past the target; due-soon: open and due within 24 hours; all (default)' })),
  trade: Type.Optional(Type.String({ maxLength: 50 })),
  homeId: Type.Optional(Type.String({ format: 'uuid' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
}, strict);

const RaiseBody = Type.Object({
  homeId: Type.String({ format: 'uuid' }),
  parentId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The work order this follows on from' })),
  sorCode: Type.String({ minLength: 1, maxLength: 20, description: 'Schedule of Rates code' }),
  trade: Type.String({ minLength: 1, maxLength: 50 }),
  priorityCode: Type.String({ minLength: 1, maxLength: 40, description: "One of the landlord's priorities (immediate, emergency, urgent, routine…)" }),
  description: Type.String({ minLength: 1, maxLength: 20_000 }),
  location: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  minutes: Type.Integer({ minimum: 5, maximum: 480, description: 'Estimated minutes on site' }),
  operativeWords: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 10, description: 'Safety words for the operative' })),
  accessNotes: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
}, strict);

const StatusBody = Type.Object({
  status: literalUnion(WORK_STATUS_CODES, { description: 'The status to move to; the rules say which moves each role may make' }),
  reason: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()], { description: 'Required for on-hold, no-access and cancelled' })),
  workDone: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()], { description: 'Required for complete: what was done' })),
  note: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
}, strict);

const BookBody = Type.Object({
  date: Type.String({ format: 'date', description: 'The UK date of the visit' }),
  slot: Type.String({ minLength: 1, maxLength: 10, description: "The slot's code (AM, PM)" }),
}, strict);

type SlotTaken = Problem & { freshSlots?: OfferedSlot[] };

export function workOrdersApi(api: TypedFastify, deps: ModuleDeps): void {
  const { run } = deps;

  api.get('/work-orders', {
    ...API_ROUTE,
    schema: {
      tags: ['Repairs'], security, querystring: ListQuery, operationId: 'listWorkOrders',
      summary: 'Work orders, most pressing first, with their target state',
      description: 'Work orders raised in Hearth (not imported history), earliest due first, 50 a page; filter by status, due (overdue or due-soon) and trade.',
      response: { 200: Type.Object({ items: Type.Array(WorkOrderSchema), total: Type.Integer(), page: Type.Integer(), pages: Type.Integer() }), ...errors },
    },
  }, async (req) => run(req, async (ctx) => {
    const q = req.query;
    const list = await workOrderList(ctx, { status: q.status, due: q.due ?? 'all', trade: q.trade, homeId: q.homeId, page: q.page, limit: q.limit });
    return { items: list.items.map((i) => presentWorkOrder(i.workOrder, i.sla, i.appointment)), total: list.total, page: list.page, pages: list.pages };
  }));

  api.get('/work-orders/:id', {
    ...API_ROUTE,
    schema: {
      tags: ['Repairs'], security, params: IdParams, operationId: 'getWorkOrder',
      summary: 'A work order with its status history, photos, appointment and follow-ons; its version as the ETag',
      description: 'The work order as it stands, with where it is against its target, each status change and note oldest first, its photos, its booked visit and its follow-ons. ' +
        'Send the ETag as If-Match to change its status. 404 if there is no work order with that id in your organisation.',
      response: { 200: WorkOrderDetailSchema, ...errors },
    },
  }, async (req, reply) => {
    const body = presentDetail(await run(req, (ctx) => workOrder(ctx, req.params.id)));
    reply.header('etag', etagOf(body));
    return body;
  });

  api.post('/work-orders', {
    ...API_ROUTE,
    schema: {
      tags: ['Repairs'], security, body: RaiseBody, operationId: 'createWorkOrder',
      summary: 'Raise a work order for a home: 201 with it, its due time from the priority',
      description: "The due time is the priority's target from now (hours, or working days leaving out weekends and bank holidays in England and Wales). Idempotency-Key is honoured.",
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'A unique key so a retried request raises nothing twice' })) }),
      response: { 201: WorkOrderDetailSchema, ...errors },
    },
  }, async (req, reply) => createIdempotently(req, reply, run, { permission: 'repairs:raise' }, async (ctx) => {
    const created = await raiseWorkOrder(ctx, req.body);
    const body = presentDetail(await workOrder(ctx, created.id));
    return { statusCode: 201, headers: { etag: etagOf(body), location: `/api/v1/work-orders/${created.id}` }, body };
  }));

  api.post('/work-orders/:id/status', {
    ...API_ROUTE,
    schema: {
      tags: ['Repairs'], security, params: IdParams, body: StatusBody, operationId: 'changeWorkOrderStatus',
      summary: 'Move a work order to another status (send If-Match)',
      description: 'The moves each role may make are fixed (planners and operatives differ; an operative only on a job booked to them). A move not permitted is a 409 naming /status; ' +
        'a missing reason or workDone a 400 naming it; a stale If-Match a 412.',
      headers: Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'The ETag from your last read; required' })) }),
      response: { 200: WorkOrderDetailSchema, 409: ProblemSchema, 412: ProblemSchema, 428: ProblemSchema, ...errors },
    },
  }, async (req, reply) => {
    const expected = parseIfMatch(req.headers['if-match']);
    const body = await run(req, async (ctx) => {
      await changeStatus(ctx, req.params.id, expected, req.body.status, { reason: req.body.reason, workDone: req.body.workDone, note: req.body.note });
      return presentDetail(await workOrder(ctx, req.params.id));
    });
    reply.header('etag', etagOf(body));
    return body;
  });

  api.get('/work-orders/:id/availability', {
    ...API_ROUTE,
    schema: {
      tags: ['Repairs'], security, params: IdParams, operationId: 'getWorkOrderAvailability',
      summary: "Slots that can be booked for the work order: before its due time, with an operative of its trade free",
      description: "The landlord's slots (from the repair settings) on working days from now until the work order's due time in which an operative of its trade has time left for its minutes on site. Planners only.",
      response: { 200: Type.Object({ slots: Type.Array(SlotSchema) }), ...errors },
    },
  }, async (req) => ({ slots: (await run(req, (ctx) => workOrderAvailability(ctx, req.params.id))).map(presentSlot) }));

  api.post('/work-orders/:id/appointment', {
    ...API_ROUTE,
    schema: {
      tags: ['Repairs'], security, params: IdParams, body: BookBody, operationId: 'bookWorkOrderAppointment',
      summary: 'Book the visit in a slot, or move it there: 200 with the work order; 409 with fresh slots when the slot is no longer free',
      description: 'Books the work order\'s visit (a second booking moves it). The slot is checked again under a lock: taken meanwhile, or past the due time, it is a 409 whose freshSlots are those free now; nothing is half-booked. ' +
        'An open or assigned work order becomes scheduled. Planners only.',
      response: { 200: WorkOrderDetailSchema, 409: SlotTakenSchema, ...errors },
    },
  }, async (req, reply) => {
    try {
      return await run(req, async (ctx) => {
        await bookWorkOrder(ctx, req.params.id, req.body);
        return presentDetail(await workOrder(ctx, req.params.id));
      });
    } catch (err) {
      const taken = err as SlotTaken;
      if (err instanceof Problem && err.status === 409) {
        // The slots that are free now, read after the failed booking rolled back.
        const fresh = taken.freshSlots ?? await run(req, (ctx) => workOrderAvailability(ctx, req.params.id)).catch(() => []);
        return reply.code(409).type('application/problem+json').send({ type: err.type, title: err.title, status: 409, detail: err.message,
          ...(err.errors.length ? { errors: err.errors } : {}), freshSlots: fresh.map(presentSlot) });
      }
      throw err;
    }
  });

  api.delete('/work-orders/:id/appointment', {
    ...API_ROUTE,
    schema: {
      tags: ['Repairs'], security, params: IdParams, operationId: 'cancelWorkOrderAppointment',
      summary: 'Cancel the booked visit (the work order stays open, to be booked again)',
      description: 'Frees the slot. A scheduled work order goes back to assigned, to be booked again. 404 when no visit is booked. Planners only.',
      response: { 204: Type.Null(), ...errors },
    },
  }, async (req, reply) => {
    await run(req, (ctx) => cancelWorkOrderAppointment(ctx, req.params.id));
    return reply.code(204).send(null);
  });
}
