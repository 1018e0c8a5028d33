// JSON routes: operatives (list, get, add, change with If-Match), a day's appointments, and a day's plan (read it, build
// it). Bookings are made by the job's own module (repairs), not here.
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { ModuleDeps } from '../../platform/modules.ts';
import { API_ROUTE, presentRecord, recordRoutes } from '../../platform/records/api.ts';
import { dateField, line, literalUnion, nullable, pageQuery, ProblemSchema, recordFields, strict } from '../../platform/http/schemas.ts';
import { createOperative, operativeRecords, TRADE_CODES, updateOperative, appointmentsOn, type Appointment } from './service.ts';
import { buildPlan, dayPlan, type DayPlanView } from './plan.ts';

const security = [{ bearer: [] }];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };
const TIME = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

const Pattern = Type.Object({
  days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, description: 'Days of the week they work: 1 Monday … 7 Sunday' }),
  start: Type.String({ pattern: TIME, description: 'When they start, London time (08:00)' }),
  end: Type.String({ pattern: TIME, description: 'When they finish, London time (17:00)' }),
}, strict);

const operativeFields = {
  name: line(200, { minLength: 1 }),
  trades: Type.Array(literalUnion(TRADE_CODES), { minItems: 1, maxItems: TRADE_CODES.length, description: `Their trades: ${TRADE_CODES.join(', ')}` }),
  pattern: Pattern,
  basePostcode: nullable(Type.String({ format: 'uk-postcode', maxLength: 10, description: 'Where they start and finish the day' })),
  baseLatitude: nullable(Type.Number({ minimum: 49, maximum: 61, description: 'Latitude (WGS84) of their base, for travel estimates' })),
  baseLongitude: nullable(Type.Number({ minimum: -9, maximum: 2, description: 'Longitude (WGS84) of their base' })),
  active: Type.Optional(Type.Boolean({ description: 'false: no longer given work (kept for the history of their visits)' })),
};
const userEmail = nullable(Type.String({ format: 'email', maxLength: 320, description: 'The staff account they sign in with to see their own day (an operative’s), by its email; null for none' }));

const OperativeSchema = Type.Object({
  ...recordFields,
  name: Type.String(),
  userId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The staff account they sign in with' }),
  trades: Type.Array(Type.String()),
  pattern: Pattern,
  basePostcode: Type.Union([Type.String(), Type.Null()]),
  baseLatitude: Type.Union([Type.Number(), Type.Null()]),
  baseLongitude: Type.Union([Type.Number(), Type.Null()]),
  active: Type.Boolean(),
}, { $id: 'Operative', description: 'Someone who does the work: trades, working days and hours, base' });

const iso = (d: Date | null) => d?.toISOString() ?? null;
const when = (description: string) => Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description });

const AppointmentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  jobKind: Type.String({ description: 'What the visit is for: repair' }),
  jobId: Type.String({ format: 'uuid' }),
  jobReference: Type.String(),
  href: Type.String({ description: 'Where the job is seen in Hearth' }),
  label: Type.String(),
  homeId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  trade: Type.String(),
  minutes: Type.Integer({ description: 'Minutes on site' }),
  date: Type.String({ format: 'date' }),
  slot: Type.String({ description: 'The slot code in the landlord’s repairs settings (AM, PM)' }),
  windowStart: Type.String({ format: 'date-time' }),
  windowEnd: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('booked'), Type.Literal('cancelled'), Type.Literal('rebooked'), Type.Literal('attended')]),
  operativeId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'Given by the day’s plan' }),
  sequence: Type.Union([Type.Integer(), Type.Null()], { description: 'The visit’s place in the operative’s day (1 first)' }),
  plannedStart: when('When the operative should arrive, by the day’s plan'),
  version: Type.Integer(),
}, { $id: 'Appointment', description: 'A visit booked for a job: the day and slot promised, and its place in the day’s plan' });

const STATUSES = ['booked', 'cancelled', 'rebooked', 'attended'] as const;
type Status = (typeof STATUSES)[number];
const statusOf = (s: string): Status => (STATUSES as readonly string[]).includes(s) ? s as Status : 'booked';

function presentAppointment(a: Appointment): Static<typeof AppointmentSchema> {
  return {
    id: a.id, jobKind: a.jobKind, jobId: a.jobId, jobReference: a.jobReference, href: a.href, label: a.label, homeId: a.homeId,
    trade: a.trade, minutes: a.minutes, date: a.date, slot: a.slot, windowStart: a.windowStart.toISOString(), windowEnd: a.windowEnd.toISOString(),
    status: statusOf(a.status), operativeId: a.operativeId, sequence: a.sequence, plannedStart: iso(a.plannedStart), version: a.version,
  };
}

const DayPlanSchema = Type.Object({
  date: Type.String({ format: 'date' }),
  plan: Type.Union([Type.Object({
    builtAt: Type.String({ format: 'date-time' }),
    builtBy: Type.String(),
    jobs: Type.Integer({ description: 'Booked appointments of the day when it was built' }),
    unassigned: Type.Integer({ description: 'Of them, not placed' }),
    operativesUsed: Type.Integer(),
    travelMinutes: Type.Integer(),
    latenessMinutes: Type.Integer(),
    milliseconds: Type.Integer({ description: 'How long the search took' }),
  }), Type.Null()], { description: 'The figures of the last build; null if it was never built' }),
  routes: Type.Array(Type.Object({
    operative: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }),
    visits: Type.Array(Type.Object({
      appointmentId: Type.String({ format: 'uuid' }), jobReference: Type.String(), label: Type.String(), href: Type.String(), trade: Type.String(),
      slot: Type.String(), windowStart: Type.String({ format: 'date-time' }), windowEnd: Type.String({ format: 'date-time' }),
      sequence: Type.Integer(), plannedStart: Type.String({ format: 'date-time' }),
    })),
  }), { description: 'Each operative’s visits in order' }),
  notPlaced: Type.Array(Type.Object({
    appointmentId: Type.String({ format: 'uuid' }), jobReference: Type.String(), label: Type.String(), href: Type.String(), slot: Type.String(),
    reason: Type.String({ description: 'Why no operative could take it' }),
  })),
}, { $id: 'DayPlan', description: 'A day’s plan: who visits which home, in what order, and what could not be placed' });

function presentPlan(v: DayPlanView): Static<typeof DayPlanSchema> {
  const p = v.plan;
  return {
    date: v.date,
    plan: p ? { builtAt: p.builtAt.toISOString(), builtBy: p.builtBy, jobs: p.jobs, unassigned: p.unassigned, operativesUsed: p.operativesUsed,
      travelMinutes: p.travelMinutes, latenessMinutes: p.latenessMinutes, milliseconds: p.milliseconds } : null,
    routes: v.routes.map((r) => ({ operative: r.operative, visits: r.visits.map((x) => ({
      ...x, windowStart: x.windowStart.toISOString(), windowEnd: x.windowEnd.toISOString(), plannedStart: x.plannedStart.toISOString() })) })),
    notPlaced: v.notPlaced,
  };
}

const DateParams = Type.Object({ date: dateField('The day') }, strict);

export function schedulingApi(app: TypedFastify, { run }: ModuleDeps): void {
  recordRoutes(app, run, {
    path: '/operatives', tag: 'Operatives', name: 'operative', record: OperativeSchema, present: presentRecord,
    service: { ...operativeRecords, create: createOperative, update: updateOperative },
    create: Type.Object({ ...operativeFields, userEmail }, strict),
    update: Type.Partial(Type.Object({ ...operativeFields, userEmail }), strict),
    query: Type.Object({ ...pageQuery }, strict),
  });

  app.get('/appointments', {
    ...API_ROUTE,
    schema: {
      tags: ['Appointments'], security, operationId: 'listAppointments', summary: 'A day’s appointments',
      description: 'The booked and attended appointments of a day, in slot order, with the operative and time the day’s plan gave each.',
      querystring: Type.Object({ date: dateField('The day') }, strict),
      response: { 200: Type.Object({ items: Type.Array(AppointmentSchema) }), ...errors },
    },
  }, async (req) => ({ items: (await run(req, (ctx) => appointmentsOn(ctx, req.query.date))).map(presentAppointment) }));

  app.get('/plans/:date', {
    ...API_ROUTE,
    schema: {
      tags: ['Appointments'], security, operationId: 'getDayPlan', summary: 'A day’s plan',
      description: 'The figures of the day’s last build (null if never built), each operative’s visits in order, and the jobs not placed with the reason.',
      params: DateParams, response: { 200: DayPlanSchema, ...errors },
    },
  }, async (req) => presentPlan(await run(req, (ctx) => dayPlan(ctx, req.params.date))));

  app.post('/plans/:date', {
    ...API_ROUTE,
    schema: {
      tags: ['Appointments'], security, operationId: 'buildDayPlan', summary: 'Build a day’s plan (planners)',
      description: 'Gives each booked appointment of the day to an operative with its trade who works then, in an order they can keep, using as few ' +
        'operatives as it can; replaces the day’s last plan. Takes up to 20 seconds for a big day.',
      params: DateParams, response: { 200: DayPlanSchema, ...errors },
    },
  }, async (req) => presentPlan(await run(req, async (ctx) => {
    await buildPlan(ctx, req.params.date);
    return dayPlan(ctx, req.params.date);
  })));
}
