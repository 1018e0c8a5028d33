// Hazard pages: report a hazard in a home (a form with a one-time token, so a double-clicked form makes one report),
// a report with its deadlines, what happened and a form to record the next event, and the organisation's overdue
// and due-soon lists. Every form carries a CSRF token; no JavaScript needed.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IdParams, type PageRun } from '../../web/page.ts';
import type { Run } from '../../platform/records/api.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, Problem } from '../../platform/http/problem.ts';
import { IdempotencyRace, storedResponse, storeResponse } from '../../platform/http/idempotency.ts';
import { formatAddress, homeRecords } from '../homes/index.ts';
import { HHSRS_GROUPS, HHSRS_HAZARDS } from './hhsrs.ts';
import { CLOCK_LABELS, STATUS_TAGS, type HazardClock } from './clocks.ts';
import { longDate, longDateTime, parseDateParts, parseTime, skipsText, ukInstant, ukWallClock } from './dates.ts';
import { checkReport, clockLists, EVENT_LABELS, hazardReport, nextEvents, recordEvent, reportHazard, type HazardReportView } from './service.ts';
import { errorLookup, type ErrorItem } from '../../web/forms.ts';

type Body = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEVERITY_LABELS: Record<string, string> = { emergency: 'Emergency', significant: 'Significant' };
const OUTCOME_LABELS: Record<string, string> = { confirmed: 'Hazard confirmed', 'not-confirmed': 'No hazard found' };

const field = (body: Body, name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');

function requireWrite(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'hazards:write')) throw forbidden('Your role does not allow you to report hazards or record what happened to them');
}

/** Date and time fields (prefix-day, prefix-month, prefix-year, prefixTime) as an instant, or the errors naming them. */
function readWhen(body: Body, prefix: string, what: string, errors: ErrorItem[]): Date | undefined {
  const [day, month, year] = ['day', 'month', 'year'].map((p) => field(body, `${prefix}-${p}`).trim());
  const timeText = field(body, `${prefix}Time`).trim();
  let date: string | null = null;
  if (!day || !month || !year) errors.push({ text: `Enter the date ${what}, with a day, month and year`, href: `#${prefix}-${!day ? 'day' : !month ? 'month' : 'year'}` });
  else if (!(date = parseDateParts(day, month, year))) errors.push({ text: `The date ${what} must be a real date`, href: `#${prefix}-day` });
  const time = timeText ? parseTime(timeText) : null;
  if (!timeText) errors.push({ text: `Enter the time ${what}`, href: `#${prefix}Time` });
  else if (!time) errors.push({ text: 'Enter the time like 14:30 or 2:30pm', href: `#${prefix}Time` });
  if (!date || !time) return undefined;
  const at = ukInstant(date, time);
  if (!at) errors.push({ text: `${timeText} did not happen on that day: the clocks went forward an hour`, href: `#${prefix}Time` });
  else if (at.getTime() > Date.now() + 60_000) errors.push({ text: `The date and time ${what} must be in the past`, href: `#${prefix}-day` });
  return at ?? undefined;
}

/** The form's date and time fields, filled from what was posted, else from an instant (default: now). */
function whenValues(body: Body | undefined, prefix: string, at = new Date()) {
  if (body) return { day: field(body, `${prefix}-day`), month: field(body, `${prefix}-month`), year: field(body, `${prefix}-year`), time: field(body, `${prefix}Time`) };
  const { date, time } = ukWallClock(at);
  return { day: String(Number(date.slice(8, 10))), month: String(Number(date.slice(5, 7))), year: date.slice(0, 4), time };
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
  '/hazard': '#hazard', '/severity': '#severity', '/reportedAt': '#reportedAt-day', '/reportedBy': '#reportedBy', '/location': '#location', '/description': '#description',
};
const REPORT_NAMES: Record<string, string> = {
  '/hazard': 'The hazard', '/severity': 'The severity', '/reportedAt': 'The date and time it was reported', '/reportedBy': 'Who reported it', '/location': 'Where in the home', '/description': 'The description',
};

export function hazardPages(app: FastifyInstance, page: PageRun, run: Run) {
  // ---- Report a hazard
  async function showNew(req: FastifyRequest, reply: FastifyReply, body?: Body, errors: ErrorItem[] = []) {
    requireWrite(req);
    const homeId = (req.params as { id: string }).id;
    const data = await page(req, async (ctx) => ({ home: await homeRecords.get(ctx, homeId) }));
    const values = { hazard: field(body ?? {}, 'hazard'), severity: field(body ?? {}, 'severity'), reportedBy: field(body ?? {}, 'reportedBy'),
      location: field(body ?? {}, 'location'), description: field(body ?? {}, 'description'), reportedAt: whenValues(body, 'reportedAt') };
    const token = body && UUID.test(field(body, 'formToken')) ? field(body, 'formToken') : randomUUID();
    return reply.code(errors.length ? 400 : 200).view('hazard-new.njk', {
      ...data, title: 'Report a hazard', backLink: `/homes/${homeId}`, address: formatAddress(data.home), values, errors, errorFor: errorLookup(errors), formToken: token,
      hazardItems: [{ value: '', text: 'Choose the hazard' }, ...HHSRS_HAZARDS.map((x) => ({ value: x.code, text: x.label, selected: x.code === values.hazard }))],
    });
  }

  app.get('/homes/:id/hazards/new', { schema: { params: IdParams } }, async (req, reply) => showNew(req, reply));

  app.post('/homes/:id/hazards/new', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const homeId = (req.params as { id: string }).id;
    const body = (req.body ?? {}) as Body;
    const token = field(body, 'formToken');
    if (!UUID.test(token)) throw new Problem(400, 'Invalid request', 'The form has expired. Go back, reload the page and try again.');
    const errors: ErrorItem[] = [];
    const hazard = field(body, 'hazard');
    if (!HHSRS_HAZARDS.some((x) => x.code === hazard)) errors.push({ text: 'Select the hazard', href: '#hazard' });
    const severity = field(body, 'severity');
    if (severity !== 'emergency' && severity !== 'significant') errors.push({ text: 'Select whether the hazard is an emergency or significant', href: '#severity' });
    const reportedAt = readWhen(body, 'reportedAt', 'the hazard was reported', errors);
    const input = { homeId, hazard, severity, reportedAt, reportedBy: field(body, 'reportedBy'), location: field(body, 'location'), description: field(body, 'description') };
    if (!input.description.trim()) errors.push({ text: 'Enter a description of the hazard', href: '#description' });
    // Lengths and the rest, as the API checks them.
    const known = new Set(errors.map((e) => e.href));
    for (const e of checkReport({ ...input, reportedAt: reportedAt ?? null }, new Date())) {
      const href = REPORT_HREFS[e.field] ?? '#main-content';
      if (!known.has(href)) errors.push({ text: `${REPORT_NAMES[e.field] ?? e.field} ${e.message}`, href });
    }
    if (errors.length) return showNew(req, reply, body, errors);
    try {
      const location = await once(req, run, token, async (ctx) => `/hazards/${(await reportHazard(ctx, { ...input, reportedAt: reportedAt! })).id}`);
      return reply.redirect(location, 303);
    } catch (err) {
      if (err instanceof Problem && err.status === 400) return showNew(req, reply, body, problemItems(err, REPORT_HREFS, REPORT_NAMES));
      throw err;
    }
  });

  // ---- A report: deadlines, what happened, and the next event
  async function showReport(req: FastifyRequest, reply: FastifyReply, body?: Body, errors: ErrorItem[] = []) {
    const id = (req.params as { id: string }).id;
    const data = await page(req, (ctx) => hazardReport(ctx, id).then((v) => ({ view: v })));
    const v = data.view;
    return reply.code(errors.length ? 400 : 200).view('hazard-report.njk', {
      ...data, ...reportPageData(v), title: `${v.report.reference}: ${v.hazardLabel}`, backLink: `/homes/${v.report.homeId}`,
      canWrite: can(req.actor!.role, 'hazards:write'), errors, errorFor: errorLookup(errors), EVENT_LABELS, OUTCOME_LABELS,
      values: { kind: field(body ?? {}, 'kind'), outcome: field(body ?? {}, 'outcome'), note: field(body ?? {}, 'note'), occurredAt: whenValues(body, 'occurredAt') },
    });
  }

  app.get('/hazards/:id', { schema: { params: IdParams } }, async (req, reply) => showReport(req, reply));

  app.post('/hazards/:id/events', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requireWrite(req);
    const id = (req.params as { id: string }).id;
    const body = (req.body ?? {}) as Body;
    const errors: ErrorItem[] = [];
    const kind = field(body, 'kind');
    if (!kind) errors.push({ text: 'Select what happened', href: '#kind' });
    const outcome = kind === 'investigated' ? field(body, 'outcome') : '';
    if (kind === 'investigated' && !outcome) errors.push({ text: 'Select whether the investigation confirmed the hazard', href: '#outcome' });
    const occurredAt = readWhen(body, 'occurredAt', 'it happened', errors);
    const note = field(body, 'note');
    if (kind === 'note' && !note.trim()) errors.push({ text: 'Enter the note', href: '#note' });
    if (errors.length) return showReport(req, reply, body, errors);
    try {
      await run(req, (ctx) => recordEvent(ctx, id, { kind, occurredAt: occurredAt!, outcome: outcome || null, note: note || null }));
      return reply.redirect(`/hazards/${id}#what-happened`, 303);
    } catch (err) {
      if (err instanceof Problem && (err.status === 400 || err.status === 409)) return showReport(req, reply, body, problemItems(err, EVENT_HREFS, EVENT_NAMES));
      throw err;
    }
  });

  // ---- The organisation's deadlines
  app.get('/insight/hazards', async (req, reply) => {
    const data = await page(req, async (ctx) => ({ lists: await clockLists(ctx) }));
    const rows = (entries: typeof data.lists.overdue) => entries.map((e) => ({ ...e, severityLabel: SEVERITY_LABELS[e.severity] ?? e.severity, clocks: e.clocks.map(clockRow) }));
    return reply.view('hazard-clocks.njk', {
      ...data, title: "Awaab's Law deadlines", overdue: rows(data.lists.overdue), dueSoon: rows(data.lists.dueSoon),
      breaches: Object.entries(data.lists.breaches.byClock).map(([id, n]) => ({ label: CLOCK_LABELS[id as keyof typeof CLOCK_LABELS], n })),
      asOfText: longDateTime(data.lists.asOf),
    });
  });
}
