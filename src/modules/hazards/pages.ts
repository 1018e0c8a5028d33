// Hazard pages: report a hazard in a home (a form with a one-time token, so a double-clicked form makes one report),
// a report with its deadlines, what happened and a form to record the next event, and the organisation's overdue
// and due-soon lists. Every form carries a CSRF token; no JavaScript needed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { IdParams, type PageRun } from '../../web/page.ts';
import { literalUnion } from '../../platform/http/schemas.ts';
import type { Run } from '../../platform/records/api.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { Problem } from '../../platform/http/problem.ts';
import { IdempotencyRace, storedResponse, storeResponse } from '../../platform/http/idempotency.ts';
import { formatAddress, homeRecords } from '../homes/index.ts';
import { HHSRS_CODES, HHSRS_GROUPS, HHSRS_HAZARDS } from './hhsrs.ts';
import { CLOCK_LABELS, STATUS_TAGS, type HazardClock } from './clocks.ts';
import { Type, type Static } from 'typebox';
import { longDate, longDateTime, skipsText, ukInstant } from './dates.ts';
import { cannotWrite, clockLists, EVENT_LABELS, hazardReport, nextEvents, recordEvent, reportHazard, type HazardReportView } from './service.ts';
import { hazardListPage, HazardListQuery } from './list-page.ts';
import { DateInput, defineForm, formTokenFor, oncePerFormToken, postedFormToken, TimeInput, type ErrorItem, type FormResult } from '../../web/forms/index.ts';
const SEVERITY_LABELS: Record<string, string> = { emergency: 'Emergency', significant: 'Significant' };
const OUTCOME_LABELS: Record<string, string> = { confirmed: 'Hazard confirmed', 'not-confirmed': 'No hazard found' };

function requireWrite(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'hazards:write')) throw cannotWrite();
}

/**
 * The rule across a date input and a time field (`<prefix>` and `<prefix>Time`): together a time UK clocks showed
 * that day, in the past.
 */
function whenRule<P extends 'reportedAt' | 'occurredAt'>(prefix: P, what: string) {
  return (values: Partial<Record<P | `${P}Time`, string>>, fail: (field: P | `${P}Time`, text: string, part?: 'day') => void) => {
    const date = values[prefix], time = values[`${prefix}Time`];
    if (!date || !time) return;
    const at = ukInstant(date, time);
    if (!at) fail(`${prefix}Time`, `${time} did not happen on that day: the clocks went forward an hour`);
    else if (at.getTime() > Date.now() + 60_000) fail(prefix, `The date and time ${what} must be in the past`, 'day');
  };
}

const SEVERITIES = Type.Union([Type.Literal('emergency'), Type.Literal('significant')]);

const ReportForm = defineForm({
  schema: Type.Object({
    hazard: literalUnion(HHSRS_CODES), // a tuple of literals: Type.Union over a mapped array is typed never
    severity: SEVERITIES,
    // Optional here, required by the check unless the user chose "now": a legal clock starts from what the reporter
    // says, so a blank date or time is never taken to mean now (issue 13, defect 1).
    reportedAt: Type.Optional(DateInput({ label: 'The date the hazard was reported' })),
    reportedAtTime: Type.Optional(TimeInput()),
    reportedNow: Type.Optional(Type.Boolean()),
    reportedBy: Type.Optional(Type.String({ maxLength: 200 })),
    location: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.String({ maxLength: 20_000 }),
  }),
  messages: {
    hazard: 'Select the hazard',
    severity: 'Select whether the hazard is an emergency or significant',
    reportedAt: 'Enter the date the hazard was reported',
    reportedAtTime: { required: 'Enter the time the hazard was reported', invalid: 'Enter the time like 14:30 or 2:30pm' },
    reportedNow: 'Select ‘It was reported just now’ or leave it unselected',
    reportedBy: 'Who reported it must be 200 characters or fewer',
    location: 'Where in the home must be 200 characters or fewer',
    description: { required: 'Enter a description of the hazard', tooLong: 'The description must be 20,000 characters or fewer' },
  },
  check: (values, fail) => {
    if (values.reportedNow) {
      if (values.reportedAt || values.reportedAtTime) fail('reportedNow', 'Enter when the hazard was reported, or select ‘It was reported just now’, not both');
      return;
    }
    if (!values.reportedAt) fail('reportedAt', 'Enter the date the hazard was reported', 'day');
    if (!values.reportedAtTime) fail('reportedAtTime', 'Enter the time the hazard was reported');
    whenRule('reportedAt', 'the hazard was reported')(values, fail);
  },
});

const EventForm = defineForm({
  schema: Type.Object({
    kind: Type.String({ maxLength: 50 }),
    outcome: Type.Optional(Type.String({ maxLength: 50 })),
    occurredAt: DateInput({ label: 'The date it happened' }),
    occurredAtTime: TimeInput(),
    note: Type.Optional(Type.String({ maxLength: 20_000 })),
  }),
  messages: {
    kind: 'Select what happened',
    outcome: 'Select whether the investigation confirmed the hazard',
    occurredAt: 'Enter the date it happened',
    occurredAtTime: { required: 'Enter the time it happened', invalid: 'Enter the time like 14:30 or 2:30pm' },
    note: { required: 'Enter the note', tooLong: 'The note must be 20,000 characters or fewer' },
  },
  check: (values, fail) => {
    if (values.kind === 'investigated' && !values.outcome) fail('outcome', 'Select whether the investigation confirmed the hazard');
    if (values.kind === 'note' && !values.note) fail('note', 'Enter the note');
    whenRule('occurredAt', 'it happened')(values, fail);
  },
});

type Raw = Record<string, unknown>;
const rawText = (raw: Raw | undefined, name: string) => (typeof raw?.[name] === 'string' ? (raw[name] as string) : '');

/**
 * The form's date and time fields, filled from what was posted, else empty. Never prefilled with today and now: an
 * untouched form would then date an event "now" without anyone saying so (issue 13, defect 1).
 */
function whenValues(raw: Raw | undefined, prefix: string) {
  const parts = (raw?.[prefix] ?? {}) as { day?: string; month?: string; year?: string };
  return { day: parts.day ?? '', month: parts.month ?? '', year: parts.year ?? '', time: rawText(raw, `${prefix}Time`) };
}

/** A service's problem as error summary items: each field it names, linked to the control that fixes it. */
function problemItems(err: Problem, hrefs: Record<string, string>, names: Record<string, string>): ErrorItem[] {
  if (err.status === 409 || !err.errors.length) return [{ text: err.message, href: hrefs[err.errors[0]?.field ?? ''] ?? '#kind' }];
  return err.errors.map((e) => ({ text: `${names[e.field] ?? e.field} ${e.message}`, href: hrefs[e.field] ?? '#main-content' }));
}

/**
 * Run work once per form token: the first post does it and stores where it led; a second post of the same form (a
 * double click, a resubmit) is sent there instead. Two posts at once: the one that commits second rolls back and
 * reads the first's answer.
 */
async function once(req: FastifyRequest, run: Run, token: string, work: (ctx: Ctx) => Promise<string>): Promise<string> {
  const key = `form:${token}`;
  const hash = 'page-form';
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(req, async (ctx) => {
        const stored = await storedResponse(ctx, key, hash, 'hazards:write');
        if (stored) return stored.headers.location!;
        const location = await work(ctx);
        if (!(await storeResponse(ctx, key, hash, { statusCode: 303, headers: { location }, body: {} }))) throw new IdempotencyRace();
        return location;
      });
    } catch (err) {
      if (err instanceof IdempotencyRace && attempt < 2) continue;
      throw err;
    }
  }
}

/** A clock as the deadlines table shows it. */
function clockRow(c: HazardClock) {
  let deadline: string;
  let detail = '';
  if (c.status === 'not-applicable') deadline = 'Not applicable: the investigation found no hazard';
  else if (!c.deadline) deadline = 'Starts when the investigation ends';
  else {
    deadline = c.deadlineKind === 'date' ? `By the end of ${longDate(c.deadline)}` : `By ${longDateTime(c.deadline)}`;
    detail = skipsText(c.skipped);
  }
  return { ...c, deadlineText: deadline, skipsText: detail ? `${detail.charAt(0).toUpperCase()}${detail.slice(1)}.` : '',
    completedText: c.completedAt ? `Done ${longDateTime(c.completedAt)}` : '', tag: STATUS_TAGS[c.status] };
}

function reportPageData(v: HazardReportView) {
  return {
    view: v,
    reportedText: longDateTime(v.report.reportedAt),
    severityLabel: SEVERITY_LABELS[v.report.severity] ?? v.report.severity,
    groupLabel: HHSRS_GROUPS[HHSRS_HAZARDS.find((x) => x.code === v.report.hazard)?.group ?? 'physiological'],
    outcomeLabel: v.report.investigationOutcome ? OUTCOME_LABELS[v.report.investigationOutcome] : null,
    clockRows: v.clocks.map(clockRow),
    worstTag: STATUS_TAGS[v.report.status === 'closed' ? 'closed' : v.worst],
    timeline: v.events.map((e) => ({ ...e, label: EVENT_LABELS[e.kind as keyof typeof EVENT_LABELS] ?? e.kind, when: longDateTime(e.occurredAt),
      outcomeLabel: e.outcome ? OUTCOME_LABELS[e.outcome] : null })),
    next: nextEvents(v.report),
  };
}

const EVENT_HREFS: Record<string, string> = { '/kind': '#kind', '/occurredAt': '#occurredAt-day', '/outcome': '#outcome', '/note': '#note' };
const EVENT_NAMES: Record<string, string> = { '/kind': 'What happened', '/occurredAt': 'The date and time it happened', '/outcome': 'The outcome', '/note': 'The note' };
const REPORT_HREFS: Record<string, string> = {
  '/hazard': '#hazard', '/severity': '#severity', '/reportedAt': '#reportedAt-day', '/reportedNow': '#reportedNow', '/reportedBy': '#reportedBy', '/location': '#location', '/description': '#description',
};
const REPORT_NAMES: Record<string, string> = {
  '/hazard': 'The hazard', '/severity': 'The severity', '/reportedAt': 'The date and time it was reported', '/reportedBy': 'Who reported it', '/location': 'Where in the home', '/description': 'The description',
};

export function hazardPages(app: TypedFastify, page: PageRun, run: Run) {
  // ---- Report a hazard
  async function showNew(req: FastifyRequest, reply: FastifyReply, homeId: string, result?: FormResult<Static<typeof ReportForm.schema>>) {
    requireWrite(req);
    const data = await page(req, async (ctx) => ({ home: await homeRecords.get(ctx, homeId) }));
    const raw = result?.raw;
    const values = { hazard: rawText(raw, 'hazard'), severity: rawText(raw, 'severity'), reportedBy: rawText(raw, 'reportedBy'),
      location: rawText(raw, 'location'), description: rawText(raw, 'description'), reportedAt: whenValues(raw, 'reportedAt'),
      reportedNow: ['yes', 'true', 'on'].includes(rawText(raw, 'reportedNow')) };
    const errors = result && !result.ok ? result.errors : [];
    return reply.code(errors.length ? 400 : 200).view('hazards/hazard-new.njk', {
      ...data, title: 'Report a hazard', backLink: `/homes/${homeId}`, address: formatAddress(data.home), values, errors, errorFor: result && !result.ok ? result.errorFor : {},
      // The token again after an error, so the corrected form is still the one report.
      formToken: formTokenFor(req, result ? postedFormToken(req) ?? '' : undefined),
      hazardItems: [{ value: '', text: 'Choose the hazard' }, ...HHSRS_HAZARDS.map((x) => ({ value: x.code, text: x.label, selected: x.code === values.hazard }))],
    });
  }

  app.get('/homes/:id/hazards/new', { schema: { params: IdParams } }, async (req, reply) => showNew(req, reply, req.params.id));

  app.post('/homes/:id/hazards/new', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const homeId = req.params.id;
    const result = ReportForm.parse(req.body);
    if (!result.ok) return showNew(req, reply, homeId, result);
    const v = result.values;
    // "Now" only when the user chose it; otherwise the date and time they gave (the form's check requires both).
    const reportedAt = v.reportedNow ? new Date() : ukInstant(v.reportedAt!, v.reportedAtTime!)!;
    const input = { homeId, hazard: v.hazard, severity: v.severity, reportedAt, reportedBy: v.reportedBy ?? '',
      location: v.location ?? '', description: v.description };
    const token = postedFormToken(req);
    try {
      // Once per form token in this process; the idempotency record (once) keeps it one report across processes too.
      const done = await oncePerFormToken(req, token, () => once(req, run, String(token), async (ctx) => `/hazards/${(await reportHazard(ctx, input)).id}`));
      if (done.kind === 'unknown') {
        return showNew(req, reply, homeId, ReportForm.fail(result.raw, [{ text: 'The form had expired. Check your answers and report the hazard again', href: '#hazard' }]));
      }
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && err.status === 400) return showNew(req, reply, homeId, ReportForm.fail(result.raw, problemItems(err, REPORT_HREFS, REPORT_NAMES)));
      throw err;
    }
  });

  // ---- A report: deadlines, what happened, and the next event
  async function showReport(req: FastifyRequest, reply: FastifyReply, id: string, result?: FormResult<Static<typeof EventForm.schema>>) {
    const data = await page(req, (ctx) => hazardReport(ctx, id).then((v) => ({ view: v })));
    const v = data.view;
    const raw = result?.raw;
    const errors = result && !result.ok ? result.errors : [];
    return reply.code(errors.length ? 400 : 200).view('hazards/hazard-report.njk', {
      ...data, ...reportPageData(v), title: `${v.report.reference}: ${v.hazardLabel}`, backLink: `/homes/${v.report.homeId}`,
      canWrite: can(req.actor!.role, 'hazards:write'), errors, errorFor: result && !result.ok ? result.errorFor : {}, EVENT_LABELS, OUTCOME_LABELS,
      values: { kind: rawText(raw, 'kind'), outcome: rawText(raw, 'outcome'), note: rawText(raw, 'note'), occurredAt: whenValues(raw, 'occurredAt') },
    });
  }

  app.get('/hazards/:id', { schema: { params: IdParams } }, async (req, reply) => showReport(req, reply, req.params.id));

  app.post('/hazards/:id/events', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const id = req.params.id;
    const result = EventForm.parse(req.body);
    if (!result.ok) return showReport(req, reply, id, result);
    const { kind, outcome, note, occurredAt, occurredAtTime } = result.values;
    try {
      await run(req, (ctx) => recordEvent(ctx, id, { kind, occurredAt: ukInstant(occurredAt, occurredAtTime)!, outcome: kind === 'investigated' ? outcome ?? null : null, note: note ?? null }));
      return reply.redirect(`/hazards/${id}#what-happened`, 303);
    } catch (err) {
      if (err instanceof Problem && (err.status === 400 || err.status === 409)) return showReport(req, reply, id, EventForm.fail(result.raw, problemItems(err, EVENT_HREFS, EVENT_NAMES)));
      throw err;
    }
  });

  // ---- Every hazard report of the organisation, filtered
  app.get('/hazards', { schema: { querystring: HazardListQuery } }, async (req, reply) => {
    const data = await page(req, (ctx) => hazardListPage(ctx, req.query));
    return reply.view('hazards/hazard-list.njk', { ...data, title: 'Hazard reports', section: 'hazards' });
  });

  // ---- The organisation's deadlines
  app.get('/insight/hazards', async (req, reply) => {
    const data = await page(req, async (ctx) => ({ lists: await clockLists(ctx) }));
    const rows = (entries: typeof data.lists.overdue) => entries.map((e) => ({ ...e, severityLabel: SEVERITY_LABELS[e.severity] ?? e.severity, clocks: e.clocks.map(clockRow) }));
    return reply.view('hazards/hazard-clocks.njk', {
      ...data, title: "Awaab's Law deadlines", section: 'hazards', overdue: rows(data.lists.overdue), dueSoon: rows(data.lists.dueSoon),
      breaches: Object.entries(data.lists.breaches.byClock).map(([id, n]) => ({ label: CLOCK_LABELS[id as keyof typeof CLOCK_LABELS], n })),
      asOfText: longDateTime(data.lists.asOf),
    });
  });
}
