// Staff pages for work orders (issue 14): the list (status, overdue / due soon, trade; 50 a page), the job sheet
// (home, SOR code, priority and due time, why, safety words, access, appointment, history, notes, photos, the status
// moves the role may make), raising one (directly or as a follow-on), and booking its visit from the slots that can be
// met. Every form carries a CSRF token; writes carry a one-time form token; no JavaScript needed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';
import { IdParams, QueryValue, type IdRequest } from '../../web/page.ts';
import { can } from '../../platform/auth/roles.ts';
import { Problem } from '../../platform/http/problem.ts';
import { govukDate, govukDateTime } from '../../platform/uk-time.ts';
import { defineForm, formTokenFor, oncePerFormToken, postedFormToken, type ErrorItem, type FormResult } from '../../web/forms/index.ts';
import { formatAddress, homeRecords, normalisePostcode } from '../homes/index.ts';
import { homesAtPostcode } from './requests.ts';
import { currentSettings } from './settings-service.ts';
import { TRADES } from './rules/settings.ts';
import { nextStatuses, WORK_STATUSES, type WorkStatus } from './rules/work-status.ts';
import {
  addWorkOrderNote, bookWorkOrder, cancelWorkOrderAppointment, changeStatus, DUE_FILTERS, raiseWorkOrder, workOrder, workOrderAvailability,
  workOrderList, workOrderPhoto, workOrderTrades, type Appointment, type OfferedSlot, type WorkOrderSla, type WorkOrderView,
} from './work-orders.ts';

type TagColour = 'red' | 'orange' | 'yellow' | 'green' | 'blue' | 'grey' | 'purple';
export const SLA_TAGS: Record<WorkOrderSla['state'], { text: string; colour: TagColour }> = {
  overdue: { text: 'Overdue', colour: 'red' },
  'due-soon': { text: 'Due soon', colour: 'orange' },
  'on-time': { text: 'On time', colour: 'blue' },
  met: { text: 'Met', colour: 'green' },
  missed: { text: 'Missed', colour: 'grey' },
  cancelled: { text: 'Cancelled', colour: 'grey' },
};
const tradeLabel = (code: string | null) => (code ? (TRADES as Record<string, string>)[code] ?? code : '');
export const slaTag = (s: WorkOrderSla) => ({ text: SLA_TAGS[s.state].text, classes: `govuk-tag--${SLA_TAGS[s.state].colour}` });

const STATUS_ACTIONS: Record<WorkStatus, string> = {
  open: 'Reopen', assigned: 'Mark as assigned', scheduled: 'Mark as scheduled', 'in-progress': 'Start the job', 'on-hold': 'Put on hold',
  complete: 'Complete the job', 'no-access': 'Record no access', cancelled: 'Cancel the job', 'variation-pending': 'Ask for a variation',
};

const EVENT_WORDS = (e: WorkOrderView['events'][number]) => e.kind === 'note' ? 'Note'
  : e.fromStatus ? `${WORK_STATUSES[e.fromStatus as WorkStatus] ?? e.fromStatus} to ${(WORK_STATUSES[e.toStatus as WorkStatus] ?? e.toStatus ?? '').toLowerCase()}` : 'Raised';

/** "Wednesday 3 December 2026, morning (8am to 1pm)" */
export function appointmentText(a: Pick<Appointment, 'date' | 'slot'> & { label?: string }, slotLabel?: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long' }).format(new Date(`${a.date}T00:00:00Z`));
  return `${day} ${govukDate(a.date)}, ${slotLabel ?? a.slot}`;
}

const ListQuery = Type.Object({ status: QueryValue, due: QueryValue, trade: QueryValue, visit: QueryValue, page: QueryValue });
const NewQuery = Type.Object({ homeId: QueryValue, parentId: QueryValue, postcode: QueryValue });
const PhotoParams = Type.Object({ id: Type.String({ format: 'uuid' }), photoId: Type.String({ format: 'uuid' }) });

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

const StatusForm = defineForm({
  schema: Type.Object({
    status: Type.String({ maxLength: 40 }),
    version: Type.Integer({ minimum: 1 }),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    workDone: Type.Optional(Type.String({ maxLength: 2000 })),
  }),
  messages: {
    status: 'Select what has happened to the job',
    version: 'The page was out of date: look at the job again and reapply your change',
    reason: 'The reason must be 2,000 characters or fewer',
    workDone: 'What was done must be 2,000 characters or fewer',
  },
});

const NoteForm = defineForm({
  schema: Type.Object({ note: Type.String({ maxLength: 5000 }) }),
  messages: { note: { required: 'Enter the note', tooLong: 'The note must be 5,000 characters or fewer' } },
});

const RaiseForm = defineForm({
  schema: Type.Object({
    homeId: Type.String({ format: 'uuid' }),
    parentId: Type.Optional(Type.String({ maxLength: 40 })),
    sorCode: Type.String({ maxLength: 20, pattern: '^[A-Za-z0-9][A-Za-z0-9./-]*$' }),
    trade: Type.String({ maxLength: 50 }),
    priorityCode: Type.String({ maxLength: 40 }),
    description: Type.String({ maxLength: 20_000 }),
    location: Type.Optional(Type.String({ maxLength: 200 })),
    minutes: Type.Integer({ minimum: 5, maximum: 480 }),
    accessNotes: Type.Optional(Type.String({ maxLength: 2000 })),
  }),
  messages: {
    homeId: 'Choose the home from its page: the link to raise a work order is there',
    parentId: 'The work order to follow on from is not known',
    sorCode: { required: 'Enter the Schedule of Rates code', invalid: 'The Schedule of Rates code can only use letters, numbers, dots, dashes and slashes, like 0330015' },
    trade: 'Select the trade',
    priorityCode: 'Select the priority',
    description: { required: 'Enter what is wrong', tooLong: 'The description must be 20,000 characters or fewer' },
    location: 'Where in the home must be 200 characters or fewer',
    minutes: { required: 'Enter the minutes on site', invalid: 'Enter the minutes on site as a whole number, like 60', tooSmall: 'The minutes on site must be 5 or more', tooBig: 'The minutes on site must be 480 or fewer' },
    accessNotes: 'The access notes must be 2,000 characters or fewer',
  },
});

const BookForm = defineForm({
  schema: Type.Object({ choice: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}\\|[A-Z0-9]{1,10}$' }) }),
  messages: { choice: 'Select a date and time for the visit' },
});

type Raw = Record<string, unknown>;
const rawText = (raw: Raw | undefined, name: string) => (typeof raw?.[name] === 'string' ? (raw[name] as string) : '');

/** A service's refusal as the form's errors, each linked to the control that fixes it. */
function refusal(err: Problem, hrefs: Record<string, string>): ErrorItem[] {
  if (!err.errors.length) return [{ text: err.message, href: Object.values(hrefs)[0] ?? '#main-content' }];
  return err.errors.map((e) => ({ text: e.message.charAt(0).toUpperCase() + e.message.slice(1), href: hrefs[e.field] ?? Object.values(hrefs)[0] ?? '#main-content' }));
}

function pagination(base: string, params: Record<string, string>, page: number, pages: number) {
  if (pages <= 1) return null;
  const href = (n: number) => `${base}?${new URLSearchParams({ ...params, ...(n > 1 ? { page: String(n) } : {}) }).toString()}`;
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 1) items.push({ number: n, href: href(n), current: n === page });
    else if (!('ellipsis' in (items[items.length - 1] ?? {}))) items.push({ ellipsis: true });
  }
  return { items, previous: page > 1 ? { href: href(page - 1) } : undefined, next: page < pages ? { href: href(page + 1) } : undefined };
}

function requirePlan(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'repairs:plan')) throw new Problem(403, 'Forbidden', 'Your role does not allow you to plan repairs. Ask a repairs planner.');
}
function requireRaise(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'repairs:raise') && !can(req.actor.role, 'repairs:plan')) throw new Problem(403, 'Forbidden', 'Your role does not allow you to raise work orders. Ask a repairs planner.');
}

/** What the job sheet shows of a work order, for staff and operatives alike. */
export function jobSheetData(v: WorkOrderView) {
  const wo = v.workOrder;
  const slotLabel = v.appointment ? v.settings.slots.find((s) => s.code === v.appointment!.slot)?.label : undefined;
  return {
    view: v, wo, address: v.home?.address ?? wo.homeNamed ?? 'Home not recorded', tradeText: tradeLabel(wo.trade), statusLabel: WORK_STATUSES[wo.workStatus as WorkStatus] ?? wo.status,
    slaTag: slaTag(v.sla), slaText: v.sla.words || (wo.dueAt ? `Due by ${govukDateTime(wo.dueAt)}` : ''),
    raisedText: wo.raisedAt ? govukDateTime(wo.raisedAt) : '', dueText: wo.dueAt ? govukDateTime(wo.dueAt) : '',
    appointment: v.appointment && (v.appointment.status === 'booked' || v.appointment.status === 'attended')
      ? { ...v.appointment, text: appointmentText(v.appointment, slotLabel), plannedText: v.appointment.plannedStart ? govukDateTime(v.appointment.plannedStart) : '' } : null,
    history: v.events.map((e) => ({ ...e, what: EVENT_WORDS(e), when: govukDateTime(e.at) })),
    safetyWords: wo.operativeWords ?? [],
  };
}

export function workOrderPages(app: TypedFastify, deps: PageDeps): void {
  const { page, run } = deps;

  // ---- The list
  app.get('/repairs/work-orders', { schema: { querystring: ListQuery } }, async (req, reply) => {
    const q = { status: one(req.query.status), due: one(req.query.due), trade: one(req.query.trade), page: Number(one(req.query.page)) || 1, unbooked: one(req.query.visit) === 'none' };
    const status = (Object.keys(WORK_STATUSES) as string[]).includes(q.status) ? q.status : '';
    const due = (DUE_FILTERS as readonly string[]).includes(q.due) ? q.due as (typeof DUE_FILTERS)[number] : 'all';
    const data = await page(req, async (ctx) => {
      const trades = await workOrderTrades(ctx);
      const trade = trades.includes(q.trade) ? q.trade : '';
      return { trades, trade, list: await workOrderList(ctx, { status: status || undefined, due, trade: trade || undefined, page: q.page, toSchedule: q.unbooked }) };
    });
    const params = { ...(status ? { status } : {}), ...(due !== 'all' ? { due } : {}), ...(data.trade ? { trade: data.trade } : {}), ...(q.unbooked ? { visit: 'none' } : {}) };
    const l = data.list;
    return reply.view('repairs/work-orders.njk', {
      ...data, title: 'Work orders', section: 'repairs', total: l.total, unbooked: q.unbooked,
      firstShown: l.total ? (l.page - 1) * l.limit + 1 : 0, lastShown: (l.page - 1) * l.limit + l.items.length,
      pagination: pagination('/repairs/work-orders', params, l.page, l.pages), canRaise: can(req.actor!.role, 'repairs:raise'),
      statusItems: [{ value: '', text: 'Any', selected: !status }, ...Object.entries(WORK_STATUSES).map(([value, text]) => ({ value, text, selected: value === status }))],
      dueItems: [{ value: 'all', text: 'Any', selected: due === 'all' }, { value: 'overdue', text: 'Overdue', selected: due === 'overdue' }, { value: 'due-soon', text: 'Due soon', selected: due === 'due-soon' }],
      tradeItems: [{ value: '', text: 'Any', selected: !data.trade }, ...data.trades.map((t) => ({ value: t, text: (TRADES as Record<string, string>)[t] ?? t, selected: t === data.trade }))],
      rows: l.items.map((i) => ({
        id: i.workOrder.id, reference: i.workOrder.jobReference, description: i.workOrder.description ?? '', address: i.address, trade: tradeLabel(i.workOrder.trade),
        priority: i.workOrder.priority ?? '', status: WORK_STATUSES[i.workOrder.workStatus as WorkStatus] ?? i.workOrder.status ?? '',
        dueText: i.workOrder.dueAt ? govukDateTime(i.workOrder.dueAt) : '', slaTag: slaTag(i.sla), appointmentText: i.appointment ? appointmentText(i.appointment) : 'Not booked',
      })),
    });
  });

  // ---- Raise a work order (directly for a home, or as a follow-on)
  async function showNew(req: FastifyRequest, reply: FastifyReply, q: { homeId: string; parentId: string }, result?: FormResult<Static<typeof RaiseForm.schema>>) {
    requireRaise(req);
    const data = await page(req, async (ctx) => {
      const parent = q.parentId ? (await workOrder(ctx, q.parentId)).workOrder : null;
      const homeId = parent?.homeId ?? q.homeId;
      if (!homeId) throw new Problem(404, 'Not found', 'Choose the home first: raise a work order from the home’s page');
      const home = await homeRecords.get(ctx, homeId);
      return { home, parent, settings: (await currentSettings(ctx)).settings };
    });
    const raw = result?.raw;
    const parent = data.parent;
    const values = {
      sorCode: rawText(raw, 'sorCode') || (parent?.sorCode ?? ''), trade: rawText(raw, 'trade') || (parent?.trade ?? ''), priorityCode: rawText(raw, 'priorityCode') || (parent?.priorityCode ?? ''),
      description: rawText(raw, 'description'), location: rawText(raw, 'location') || (parent?.location ?? ''), minutes: rawText(raw, 'minutes') || String(parent?.minutes ?? 60),
      accessNotes: rawText(raw, 'accessNotes') || (parent?.accessNotes ?? ''),
    };
    const errors = result && !result.ok ? result.errors : [];
    return reply.code(errors.length ? 400 : 200).view('repairs/work-order-new.njk', {
      ...data, title: parent ? `Raise a follow-on to ${parent.jobReference}` : 'Raise a work order', section: 'repairs',
      backLink: parent ? `/repairs/work-orders/${parent.id}` : `/homes/${data.home.id}`, address: formatAddress(data.home), values, errors,
      errorFor: result && !result.ok ? result.errorFor : {}, formToken: formTokenFor(req, result ? postedFormToken(req) ?? '' : undefined),
      priorityItems: [{ value: '', text: 'Choose the priority' }, ...data.settings.priorities.map((p) => ({ value: p.code, text: `${p.label} (${p.target.amount} ${p.target.unit === 'hours' ? 'hours' : 'working days'})`, selected: p.code === values.priorityCode }))],
      tradeItems: [{ value: '', text: 'Choose the trade' }, ...Object.entries(TRADES).map(([value, text]) => ({ value, text, selected: value === values.trade }))],
    });
  }

  /** Raising a work order directly: first the home, found by its postcode (a form sent with GET). */
  async function chooseHome(req: FastifyRequest, reply: FastifyReply, postcode: string) {
    requireRaise(req);
    const asked = postcode.trim() !== '';
    const normal = asked ? normalisePostcode(postcode) : null;
    const data = await page(req, async (ctx) => ({ homes: normal ? await homesAtPostcode(ctx, normal) : [] }));
    const errors: ErrorItem[] = !asked ? [] : !normal ? [{ text: 'Enter a real postcode, like LS6 1AA', href: '#postcode' }]
      : !data.homes.length ? [{ text: `No homes at ${normal} are held in Hearth: check the postcode`, href: '#postcode' }] : [];
    return reply.code(errors.length ? 400 : 200).view('repairs/work-order-home.njk', {
      ...data, title: 'Which home is the repair for?', section: 'repairs', backLink: '/repairs/work-orders', postcode, normal, errors,
      errorFor: Object.fromEntries(errors.map((e) => [e.href.slice(1), e.text])),
    });
  }

  app.get('/repairs/work-orders/new', { schema: { querystring: NewQuery } }, async (req, reply) => {
    const q = { homeId: one(req.query.homeId), parentId: one(req.query.parentId) };
    if (!q.homeId && !q.parentId) return chooseHome(req, reply, one(req.query.postcode));
    return showNew(req, reply, q);
  });

  app.post('/repairs/work-orders/new', { preHandler: app.csrfProtection }, async (req, reply) => {
    requireRaise(req);
    const result = RaiseForm.parse(req.body);
    const q = { homeId: rawText(result.raw, 'homeId'), parentId: rawText(result.raw, 'parentId') };
    if (!result.ok) return showNew(req, reply, q, result);
    const v = result.values;
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        const parent = v.parentId ? (await workOrder(ctx, v.parentId)).workOrder : null;
        const created = await raiseWorkOrder(ctx, {
          homeId: v.homeId, parentId: parent?.id ?? null, sorCode: v.sorCode, trade: v.trade, priorityCode: v.priorityCode, description: v.description,
          location: v.location ?? null, minutes: v.minutes, accessNotes: v.accessNotes ?? null, operativeWords: parent?.operativeWords ?? [],
        });
        return `/repairs/work-orders/${created.id}`;
      }));
      if (done.kind === 'unknown') return showNew(req, reply, q, RaiseForm.fail(result.raw, [{ text: 'The form had expired. Check your answers and raise the work order again', href: '#sorCode' }]));
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && err.status === 400) {
        return showNew(req, reply, q, RaiseForm.fail(result.raw, refusal(err, { '/sorCode': '#sorCode', '/trade': '#trade', '/priorityCode': '#priorityCode', '/description': '#description', '/minutes': '#minutes', '/location': '#location', '/accessNotes': '#accessNotes' })));
      }
      throw err;
    }
  });

  // ---- The job sheet
  async function showJob(req: IdRequest, reply: FastifyReply, forms: { status?: FormResult<Static<typeof StatusForm.schema>>; note?: FormResult<Static<typeof NoteForm.schema>> } = {}) {
    const data = await page(req, async (ctx) => ({ v: await workOrder(ctx, req.params.id) }));
    const role = req.actor!.role;
    const v = data.v;
    const moves = nextStatuses(v.workOrder.workStatus as WorkStatus, role);
    const errors = [...(forms.status && !forms.status.ok ? forms.status.errors : []), ...(forms.note && !forms.note.ok ? forms.note.errors : [])];
    const raw = forms.status?.raw;
    return reply.code(errors.length ? (forms.status && !forms.status.ok && forms.status.errors.some((e) => e.href === '#status') ? 409 : 400) : 200).view('repairs/work-order.njk', {
      ...data, ...jobSheetData(v), title: `${v.workOrder.jobReference}: ${v.workOrder.description?.slice(0, 60) ?? 'Work order'}`, section: 'repairs', backLink: '/repairs/work-orders',
      canPlan: can(role, 'repairs:plan'), canRaise: can(role, 'repairs:raise') || can(role, 'repairs:plan'),
      moveItems: moves.map((s) => ({ value: s, text: STATUS_ACTIONS[s], checked: rawText(raw, 'status') === s })),
      values: { reason: rawText(raw, 'reason'), workDone: rawText(raw, 'workDone'), note: rawText(forms.note?.raw, 'note') },
      errors, errorFor: { ...(forms.status && !forms.status.ok ? forms.status.errorFor : {}), ...(forms.note && !forms.note.ok ? forms.note.errorFor : {}) },
      statusToken: formTokenFor(req, forms.status ? postedFormToken(req) ?? '' : undefined), noteToken: formTokenFor(req, forms.note ? postedFormToken(req) ?? '' : undefined),
    });
  }

  app.get('/repairs/work-orders/:id', { schema: { params: IdParams } }, async (req, reply) => showJob(req, reply));

  app.post('/repairs/work-orders/:id/status', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requirePlan(req);
    const result = StatusForm.parse(req.body);
    if (!result.ok) return showJob(req, reply, { status: result });
    const v = result.values;
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        await changeStatus(ctx, req.params.id, v.version, v.status, { reason: v.reason ?? null, workDone: v.workDone ?? null });
        return `/repairs/work-orders/${req.params.id}`;
      }));
      if (done.kind === 'unknown') return showJob(req, reply, { status: StatusForm.fail(result.raw, [{ text: 'The form had expired. Choose what happened again', href: '#status' }]) });
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && [400, 409, 412].includes(err.status)) {
        const items = err.status === 412 ? [{ text: 'Someone else changed the job while you had it open. Check it below and choose again', href: '#status' }]
          : refusal(err, { '/status': '#status', '/reason': '#reason', '/workDone': '#workDone' });
        return showJob(req, reply, { status: StatusForm.fail(result.raw, items) });
      }
      throw err;
    }
  });

  app.post('/repairs/work-orders/:id/notes', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requirePlan(req);
    const result = NoteForm.parse(req.body);
    if (!result.ok) return showJob(req, reply, { note: result });
    const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
      await addWorkOrderNote(ctx, req.params.id, result.values.note);
      return `/repairs/work-orders/${req.params.id}#history`;
    }));
    if (done.kind === 'unknown') return showJob(req, reply, { note: NoteForm.fail(result.raw, [{ text: 'The form had expired. Add the note again', href: '#note' }]) });
    return reply.redirect(done.location, 303);
  });

  // ---- A photo of the job: only for those who may see the job (the operative whose job it is, staff who read records)
  app.get('/repairs/work-orders/:id/photos/:photoId', { schema: { params: PhotoParams } }, async (req, reply) => {
    if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
    // `run`, not `page`: no layout, and operatives (without records:read) see the photos of their own jobs.
    const photo = { p: await run(req, (ctx) => workOrderPhoto(ctx, req.params.id, req.params.photoId)) };
    return reply.type(photo.p.contentType).header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff').send(photo.p.bytes);
  });

  // ---- Book or change the visit
  async function showBook(req: IdRequest, reply: FastifyReply, errors: ErrorItem[] = [], status = 200, fresh?: OfferedSlot[]) {
    requirePlan(req);
    const data = await page(req, async (ctx) => {
      const v = await workOrder(ctx, req.params.id);
      return { v, slots: fresh ?? await workOrderAvailability(ctx, req.params.id) };
    });
    const byDate = new Map<string, OfferedSlot[]>();
    for (const s of data.slots.slice(0, 60)) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s]);
    const items: ({ value: string; text: string } | { divider: string })[] = [];
    for (const [, slots] of byDate) for (const s of slots) items.push({ value: `${s.date}|${s.slot}`, text: appointmentText(s, s.label) });
    return reply.code(status).view('repairs/work-order-book.njk', {
      ...data, ...jobSheetData(data.v), title: `Book a visit for ${data.v.workOrder.jobReference}`, section: 'repairs', backLink: `/repairs/work-orders/${req.params.id}`,
      slotItems: items, errors, errorFor: Object.fromEntries(errors.map((e) => [e.href.replace(/^#/, ''), e.text])), formToken: formTokenFor(req),
    });
  }

  app.get('/repairs/work-orders/:id/book', { schema: { params: IdParams } }, async (req, reply) => showBook(req, reply));

  app.post('/repairs/work-orders/:id/book', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requirePlan(req);
    const result = BookForm.parse(req.body);
    if (!result.ok) return showBook(req, reply, result.errors.map((e) => ({ ...e, href: '#choice' })), 400);
    const [date, slot] = result.values.choice.split('|') as [string, string];
    try {
      const done = await oncePerFormToken(req, postedFormToken(req), () => run(req, async (ctx) => {
        await bookWorkOrder(ctx, req.params.id, { date, slot });
        return `/repairs/work-orders/${req.params.id}#appointment`;
      }));
      if (done.kind === 'unknown') return showBook(req, reply, [{ text: 'The form had expired. Choose the date and time again', href: '#choice' }], 400);
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof Problem && err.status === 409) {
        const fresh = (err as Problem & { freshSlots?: OfferedSlot[] }).freshSlots;
        return showBook(req, reply, [{ text: 'That slot is no longer free. Choose another date and time', href: '#choice' }], 409, fresh);
      }
      if (err instanceof Problem && err.status === 400) return showBook(req, reply, refusal(err, { '/slot': '#choice', '/date': '#choice' }), 400);
      throw err;
    }
  });

  app.post('/repairs/work-orders/:id/appointment/cancel', { schema: { params: IdParams }, preHandler: app.csrfProtection }, async (req, reply) => {
    requirePlan(req);
    await run(req, (ctx) => cancelWorkOrderAppointment(ctx, req.params.id));
    return reply.redirect(`/repairs/work-orders/${req.params.id}#appointment`, 303);
  });
}
