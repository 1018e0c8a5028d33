// Hazard reports over the API: report a hazard in a home (Idempotency-Key), read a report with its Awaab's Law clocks,
// record what happened to it, and the organisation's overdue and due-soon lists with breach counts.
import { Type } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { API_ROUTE, createIdempotently, etagOf, type Run } from '../../platform/records/api.ts';
import { codeList, literalUnion, ProblemSchema, recordFields, strict, text } from '../../platform/http/schemas.ts';
import { HHSRS_LABELS } from './hhsrs.ts';
import { CLOCK_IDS } from './clocks.ts';
import { clockLists, EVENT_KINDS, hazardReport, OUTCOMES, recordEvent, reportHazard, type HazardReportView } from './service.ts';

const security = [{ bearer: [] }];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const literals = <const V extends string>(values: readonly V[], description: string) => literalUnion(values, { description: `${description}: ${values.join(', ')}` });
const nullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description });
const timestamp = (description: string) => Type.String({ format: 'date-time', description: `${description}: an ISO 8601 timestamp with Z or an offset` });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const HomeParams = Type.Object({ homeId: Type.String({ format: 'uuid' }) });
const STATUSES = ['met', 'breached', 'overdue', 'due-soon', 'due', 'not-started', 'not-applicable'] as const;
/** What an event row's kind (stored as text) can be: the report's own 'reported', or one recordEvent takes. */
const STORED_KINDS = ['reported', ...EVENT_KINDS] as const;

const ClockSchema = Type.Object({
  id: literals(CLOCK_IDS, 'Which deadline'),
  label: Type.String(),
  rule: Type.String({ description: 'The rule, in words, with its source' }),
  startsAt: nullableString('What the clock runs from: the report time (24-hour clocks) or the day-0 date; null until it starts'),
  deadlineKind: Type.Union([Type.Literal('instant'), Type.Literal('date')], { description: 'instant: deadline is a timestamp; date: the clock runs to the end of that UK day' }),
  deadline: nullableString('The deadline; null when not started or not applicable'),
  completedAt: nullableString('When it was done'),
  status: literals(STATUSES, 'met and breached: done in time or late; overdue, due-soon, due: not done; not-started: waits for the investigation; not-applicable: the investigation found no hazard'),
  skipped: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), name: Type.String() }), { description: 'Weekday bank holidays the working-day count skipped' }),
});

const EventSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: literals(STORED_KINDS, 'What happened'),
  occurredAt: Type.String({ format: 'date-time' }),
  recordedBy: Type.String(),
  recordedAt: Type.String({ format: 'date-time' }),
  outcome: nullableString('For investigated: confirmed or not-confirmed'),
  note: nullableString('Free text'),
});

const when = (description: string) => Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description });

export const HazardReportSchema = Type.Object({
  ...recordFields,
  homeId: Type.String({ format: 'uuid' }),
  reference: Type.String({ description: 'HZ-YYYY-NNNNNN, unique in the organisation' }),
  hazard: Type.String({ description: 'HHSRS hazard code' }),
  hazardLabel: Type.String(),
  severity: Type.String({ description: 'emergency or significant' }),
  reportedAt: Type.String({ format: 'date-time' }),
  reportedBy: nullableString('Who told the landlord, and how'),
  location: nullableString('Where in the home'),
  description: Type.String(),
  status: Type.String({ description: 'open or closed' }),
  investigatedAt: when('When the investigation ended'),
  investigationOutcome: nullableString('confirmed or not-confirmed'),
  summarySentAt: when('When the written summary was sent to the tenant'),
  madeSafeAt: when('When the home was made safe'),
  furtherWorksStartedAt: when('When further works started'),
  closedAt: when('When the report was closed'),
  awaab: Type.Object({
    phase: Type.Union([Type.Integer(), Type.Null()], { description: "Awaab's Law phase covering this hazard and severity; null: not covered" }),
    from: nullableString('When that phase is in force: a date, or a year when not yet fixed'),
    text: Type.String(),
  }, { description: "Whether Awaab's Law covers the report yet (information: the clocks are computed for every report)" }),
  home: Type.Object({ id: Type.String({ format: 'uuid' }), address: Type.String() }),
  events: Type.Array(EventSchema, { description: 'What happened, oldest first' }),
  asOf: Type.String({ format: 'date-time', description: 'The time the clocks were computed for' }),
  clocks: Type.Array(ClockSchema),
  worst: Type.String({ description: 'The most pressing clock status' }),
  warnings: Type.Array(Type.String(), { description: 'Recorded data that does not add up' }),
  self: Type.String({ description: 'The report’s page' }),
}, { $id: 'HazardReport', description: "A hazard reported in a home, with its Awaab's Law clocks" });

const iso = (d: Date | null) => d?.toISOString() ?? null;

const isStoredKind = (kind: string): kind is (typeof STORED_KINDS)[number] => STORED_KINDS.some((k) => k === kind);
function eventKind(kind: string) {
  // Only reportHazard and recordEvent write events, with these kinds; anything else would fail the response schema.
  if (!isStoredKind(kind)) throw new Error(`hazard event with an unknown kind: ${kind}`);
  return kind;
}

/** A report view as the API returns it (and as an idempotent replay stores it). */
export function presentReport(v: HazardReportView) {
  const r = v.report;
  return {
    id: r.id, organisationId: r.organisationId, version: r.version, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
    sourceReferences: r.sourceReferences, homeId: r.homeId, reference: r.reference, hazard: r.hazard, hazardLabel: v.hazardLabel, severity: r.severity,
    reportedAt: r.reportedAt.toISOString(), reportedBy: r.reportedBy, location: r.location, description: r.description, status: r.status,
    investigatedAt: iso(r.investigatedAt), investigationOutcome: r.investigationOutcome, summarySentAt: iso(r.summarySentAt), madeSafeAt: iso(r.madeSafeAt),
    furtherWorksStartedAt: iso(r.furtherWorksStartedAt), closedAt: iso(r.closedAt), awaab: v.awaab, home: v.home,
    events: v.events.map((e) => ({ id: e.id, kind: eventKind(e.kind), occurredAt: e.occurredAt.toISOString(), recordedBy: e.recordedBy, recordedAt: e.recordedAt.toISOString(), outcome: e.outcome, note: e.note })),
    asOf: v.asOf, clocks: v.clocks, worst: v.worst, warnings: v.warnings, self: `/hazards/${r.id}`,
  };
}

const ReportBody = Type.Object({
  hazard: codeList(HHSRS_LABELS, 'HHSRS hazard'),
  severity: literals(['emergency', 'significant'], 'emergency: imminent risk (24-hour clocks); significant: investigate within 10 working days'),
  // Required: the clocks start from it, so a missing time is a 400 naming the field, never "now" (issue 13, defect 1).
  reportedAt: timestamp('When the landlord was told; not in the future. Required: send the current time if it was just now'),
  reportedBy: text(200, 'Who told the landlord, and how, e.g. "Tenant, by phone"'),
  location: text(200, 'Where in the home, e.g. "Bathroom ceiling"'),
  description: Type.String({ minLength: 1, maxLength: 20_000, description: 'What the hazard is, in the words of whoever reported it' }),
}, strict);

const EventBody = Type.Object({
  kind: literals(EVENT_KINDS, 'What happened; each milestone once, notes any number of times'),
  occurredAt: timestamp('When it happened; not in the future, not before the report'),
  outcome: Type.Optional(Type.Union([literals(OUTCOMES, 'For investigated (required): was the hazard confirmed'), Type.Null()])),
  note: text(20_000, 'Free text; required for a note'),
}, strict);

const ClockEntrySchema = Type.Object({
  id: Type.String({ format: 'uuid' }), reference: Type.String(), homeId: Type.String({ format: 'uuid' }), homeAddress: Type.String(),
  hazard: Type.String(), hazardLabel: Type.String(), severity: Type.String(), reportedAt: Type.String({ format: 'date-time' }),
  clocks: Type.Array(ClockSchema, { description: 'The clocks that put the report on this list' }), self: Type.String(),
});

export const HazardClockListsSchema = Type.Object({
  asOf: Type.String({ format: 'date-time' }),
  overdue: Type.Array(ClockEntrySchema, { description: 'Open reports with a clock past its deadline, most overdue first' }),
  dueSoon: Type.Array(ClockEntrySchema, { description: 'Open reports with nothing overdue and a clock due within one working day' }),
  breaches: Type.Object({
    total: Type.Integer({ description: 'Clocks breached (done late) or overdue, over every report, open or closed' }),
    byClock: Type.Object(Object.fromEntries(CLOCK_IDS.map((id) => [id, Type.Integer()]))),
  }),
});

export function hazardsApi(app: TypedFastify, run: Run) {
  app.post('/homes/:homeId/hazard-reports', {
    ...API_ROUTE,
    schema: {
      tags: ['Hazards'], security, params: HomeParams, body: ReportBody, operationId: 'createHazardReport',
      description: "Reports a hazard (one of the 29 HHSRS hazards) in a home of your organisation and starts its Awaab's Law clocks. " +
        'Idempotency-Key is honoured. A home that is not in your organisation is a 404.',
      summary: "Report a hazard in a home (Awaab's Law): 201 with the report and its clocks",
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'A unique key (such as a UUID) so a retried request reports nothing twice' })) }),
      response: { 201: HazardReportSchema, 422: ProblemSchema, ...errors },
    },
  }, async (req, reply) => createIdempotently(req, reply, run, { permission: 'hazards:write' }, async (ctx) => {
    const row = await reportHazard(ctx, { ...req.body, homeId: req.params.homeId });
    const body = presentReport(await hazardReport(ctx, row.id));
    return { statusCode: 201, headers: { etag: etagOf(body), location: `/api/v1/hazard-reports/${row.id}` }, body };
  }));

  app.get('/hazard-reports/:id', {
    ...API_ROUTE,
    schema: {
      tags: ['Hazards'], security, params: IdParams, operationId: 'getHazardReport',
      summary: "A hazard report with its events and Awaab's Law clocks (each with its rule, deadline and status)",
      description: 'The report as it stands, with every event recorded and each clock worked out from them (met, running, due soon or missed).',
      response: { 200: HazardReportSchema, ...errors },
    },
  }, async (req, reply) => {
    const body = presentReport(await run(req, (ctx) => hazardReport(ctx, req.params.id)));
    reply.header('etag', etagOf(body));
    return body;
  });

  app.post('/hazard-reports/:id/events', {
    ...API_ROUTE,
    schema: {
      tags: ['Hazards'], security, params: IdParams, body: EventBody, operationId: 'recordHazardEvent',
      summary: 'Record what happened to a hazard report: 201 with the report; 200 when that milestone was already recorded at that time',
      description: 'A milestone (investigated, summary-sent, made-safe, further-works-started, closed) is recorded once: sent again at another time it is a 409. ' +
        'For a significant hazard, summary-sent, made-safe and further-works-started need the investigation recorded first (409). Idempotency-Key is honoured.',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'A unique key (such as a UUID) so a retried request records nothing twice' })) }),
      response: { 200: HazardReportSchema, 201: HazardReportSchema, 409: ProblemSchema, 422: ProblemSchema, ...errors },
    },
  }, async (req, reply) => createIdempotently(req, reply, run, { permission: 'hazards:write' }, async (ctx) => {
    const id = req.params.id;
    const { created } = await recordEvent(ctx, id, req.body);
    const body = presentReport(await hazardReport(ctx, id));
    return { statusCode: created ? 201 : 200, headers: { etag: etagOf(body), location: `/api/v1/hazard-reports/${id}` }, body };
  }));

  app.get('/insight/hazard-clocks', {
    ...API_ROUTE,
    schema: {
      tags: ['Insight'], security, operationId: 'listHazardClocks',
      description: 'Open hazard reports whose clocks have run out or will soon, each with the clock, its deadline and the rule it comes from; and how many deadlines each clock has missed.',
      summary: "Awaab's Law clocks across the organisation: open reports overdue and due soon, and breaches per clock",
      response: { 200: HazardClockListsSchema, 401: ProblemSchema, 403: ProblemSchema },
    },
  }, async (req) => run(req, (ctx) => clockLists(ctx)));
}
