// Work orders (issue 14): a job raised in Hearth is a `repairs` row with a work status, a priority from the landlord's
// repair settings and the time its target runs out. Every write goes through the repair record service (audit and an
// outbox event per change); each status change and note is also a work_order_events row, the job's own history.
// Who may do what: planners (repairs:plan) raise, move and book any job; officers (repairs:raise) raise; an operative
// (repairs:work) sees and works only the jobs booked to them — `jobAccess` is the one place that decides that.
import { and, asc, desc, eq, inArray, isNotNull, notInArray, sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { audit } from '../../platform/audit/service.ts';
import { forbidden, invalid, notFound, Problem } from '../../platform/http/problem.ts';
import { govukDate, ukDate } from '../../platform/uk-time.ts';
import { formatAddress, homeRecords, type Home } from '../homes/index.ts';
import {
  appointmentOf, appointmentsOf, availability, bookAppointment, cancelAppointment, listOperatives, markAttended, operativeDay, operativeOfUser, rebookAppointment,
  type Appointment, type OfferedSlot, type Slot,
} from '../scheduling/index.ts';
import { repairRecords, type Repair } from './service.ts';
import { repairPhotos, repairRequests, repairs, workOrderEvents } from './schema.ts';
import { checkTransition, isWorkStatus, WORK_STATUSES, type WorkStatus } from './rules/work-status.ts';
import { dueAt as dueAtOf, slaState, type SlaState as RuleSla } from './rules/priorities.ts';
import type { RepairSettings, Priority } from './rules/settings.ts';
import { checkPhoto } from './rules/photos.ts';
import { currentSettings, settingsVersion } from './settings-service.ts';

export type WorkOrderRow = Repair;
export type WorkOrderEvent = typeof workOrderEvents.$inferSelect;

/** Statuses after which nothing more is done on the job. */
export const CLOSED_STATUSES: readonly WorkStatus[] = ['complete', 'cancelled'];
/** Statuses of a job still waiting for a visit to be booked (with no booked appointment). */
const TO_SCHEDULE: readonly WorkStatus[] = ['open', 'assigned', 'no-access', 'on-hold', 'variation-pending'];

// ---- Scheduling: appointments are its records; repairs books, reads and closes them through its index.ts. ----------

export type { Appointment, OfferedSlot, Slot };
const schedule = { availability, bookAppointment, rebookAppointment, cancelAppointment, appointmentOf, appointmentsOf, operativeOfUser, operativeDay, markAttended };
export const JOB_KIND = 'repair';

/** A job's booked appointments by job id (whatever shape scheduling answers in). */
async function bookedOf(ctx: Ctx, ids: readonly string[]): Promise<Map<string, Appointment>> {
  if (!ids.length) return new Map();
  const got = await schedule.appointmentsOf(ctx, JOB_KIND, ids);
  return new Map([...got.values()].filter((a) => a.status === 'booked').map((a) => [a.jobId, a]));
}

// ---- Who may do what ------------------------------------------------------------------------------------------------

/**
 * The record service writes with records:write, which planners and operatives lack: once this service has checked
 * the actor may make the change, it writes as the same person (their name and id in the audit and the event) with the
 * record service's rights.
 */
const writer = (ctx: Ctx): Ctx => ({ actor: { ...ctx.actor, role: 'administrator' }, tx: ctx.tx });

export const isPlanner = (ctx: Ctx) => can(ctx.actor.role, 'repairs:plan');
const isOperative = (ctx: Ctx) => can(ctx.actor.role, 'repairs:work');

const notYours = () => new Problem(403, 'Forbidden', 'This job is not booked to you. You can only see and work the jobs on your own list: ask the repairs planner if it should be yours.');

/**
 * How the actor may reach a job: planners and anyone who reads records; an operative only when the job's booked (or
 * attended) appointment is theirs. The one check: past it, the job is read (and, as each caller allows, written) with
 * the returned context, in the actor's name.
 */
export async function jobAccess(ctx: Ctx, id: string): Promise<{ ctx: Ctx; planner: boolean; operative: boolean }> {
  if (isPlanner(ctx)) return { ctx: writer(ctx), planner: true, operative: false };
  if (isOperative(ctx)) {
    const mine = await schedule.operativeOfUser(ctx, ctx.actor.id);
    const appointment = mine ? await schedule.appointmentOf(writer(ctx), JOB_KIND, id) : null;
    if (!mine || !appointment || appointment.operativeId !== mine.id) throw notYours();
    return { ctx: writer(ctx), planner: false, operative: true };
  }
  // Readers of records (officers, analysts) see the job whole, its visit included, though they lack scheduling:read.
  if (can(ctx.actor.role, 'records:read')) return { ctx: writer(ctx), planner: false, operative: false };
  throw forbidden();
}

// ---- Reading ---------------------------------------------------------------------------------------------------------

async function row(ctx: Ctx, id: string): Promise<WorkOrderRow> {
  const [r] = await repairRecords.getMany(ctx, [id]);
  if (!r || !r.workStatus) throw notFound('work order');
  return r;
}

export function priorityOf(settings: RepairSettings, code: string): Priority {
  const p = settings.priorities.find((x) => x.code === code);
  if (!p) throw invalid('/priorityCode', `must be one of the landlord's priorities: ${settings.priorities.map((x) => x.code).join(', ')}`);
  return p;
}

// ---- Raising ---------------------------------------------------------------------------------------------------------

export interface RaiseWorkOrderInput {
  homeId: string;
  requestId?: string | null;
  parentId?: string | null;
  sorCode: string;
  trade: string;
  priorityCode: string;
  description: string;
  location?: string | null;
  minutes: number;
  /** Words for the operative from the household's alerts ("Visit in pairs"), never the alerts themselves. */
  operativeWords?: readonly string[];
  accessNotes?: string | null;
  /** The repair settings version the job was triaged with (its priorities give the target). */
  settingsVersion?: number;
}

/**
 * The next job reference for the year the job was raised (UK date): WO-2026-000001, … per organisation. A
 * transaction-scoped lock per organisation makes two jobs raised at once take different numbers.
 */
async function nextReference(ctx: Ctx, at: Date): Promise<string> {
  const year = ukDate(at).slice(0, 4);
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`work-order-reference:${ctx.actor.organisationId}`}))`);
  const [r] = await ctx.tx.select({ last: sql<string | null>`max(${repairs.jobReference})` }).from(repairs)
    .where(and(eq(repairs.organisationId, ctx.actor.organisationId), sql`${repairs.jobReference} ~ ${`^WO-${year}-[0-9]{6}$`}`));
  const next = r?.last ? Number(r.last.slice(`WO-${year}-`.length)) + 1 : 1;
  return `WO-${year}-${String(next).padStart(6, '0')}`;
}

function checkRaise(input: RaiseWorkOrderInput) {
  const errors: { field: string; message: string }[] = [];
  const need = (field: keyof RaiseWorkOrderInput, what: string, max: number) => {
    const v = input[field];
    if (typeof v !== 'string' || !v.trim()) errors.push({ field: `/${field}`, message: `is required: ${what}` });
    else if (v.length > max) errors.push({ field: `/${field}`, message: `must be at most ${max} characters` });
  };
  need('homeId', 'the home the job is for', 100);
  need('sorCode', 'the Schedule of Rates code of the work', 50);
  need('trade', 'the trade that does the work, such as plumbing', 50);
  need('priorityCode', 'the priority, such as routine', 50);
  need('description', 'what is wrong, in the words of whoever reported it', 20_000);
  if (!Number.isInteger(input.minutes) || input.minutes < 5 || input.minutes > 8 * 60) errors.push({ field: '/minutes', message: 'must be a whole number of minutes on site from 5 to 480' });
  for (const w of input.operativeWords ?? []) if (typeof w !== 'string' || w.length > 200) errors.push({ field: '/operativeWords', message: 'must be a list of short phrases of at most 200 characters' });
  if ((input.location?.length ?? 0) > 200) errors.push({ field: '/location', message: 'must be at most 200 characters' });
  if ((input.accessNotes?.length ?? 0) > 2000) errors.push({ field: '/accessNotes', message: 'must be at most 2000 characters' });
  if (errors.length) throw new Problem(400, 'Invalid request', errors.map((e) => `${e.field.slice(1)}: ${e.message}`).join('; '), errors);
}

async function addEvent(ctx: Ctx, repairId: string, e: { kind: 'status' | 'note'; fromStatus?: string | null; toStatus?: string | null; reason?: string | null; note?: string | null }, at: Date) {
  await ctx.tx.insert(workOrderEvents).values({
    organisationId: ctx.actor.organisationId, id: uuidv7(), repairId, kind: e.kind, fromStatus: e.fromStatus ?? null, toStatus: e.toStatus ?? null,
    reason: e.reason ?? null, note: e.note ?? null, actorName: ctx.actor.name, at,
  });
}

/** Raise a work order for a home (from a request, directly, or as the follow-on of another job). */
export async function raiseWorkOrder(ctx: Ctx, input: RaiseWorkOrderInput, now = new Date(), given?: { version: number; settings: RepairSettings }): Promise<WorkOrderRow> {
  if (!can(ctx.actor.role, 'repairs:raise') && !isPlanner(ctx)) {
    // An operative raises a follow-on of their own job only (through needsFollowOn, which checks that).
    if (!(isOperative(ctx) && input.parentId)) throw new Problem(403, 'Forbidden', 'Your role does not allow you to raise work orders. Ask a repairs planner to raise it.');
    await jobAccess(ctx, input.parentId);
  }
  checkRaise(input);
  const w = writer(ctx);
  const { version, settings } = given ?? (input.settingsVersion === undefined ? await currentSettings(w) : await settingsVersion(w, input.settingsVersion));
  const priority = priorityOf(settings, input.priorityCode);
  const home = await homeRecords.getMany(w, [input.homeId]);
  if (!home.length) throw invalid('/homeId', 'is not a home of your organisation');
  const parent = input.parentId ? await row(w, input.parentId) : null;
  if (input.parentId && parent?.homeId !== input.homeId) throw invalid('/parentId', 'must be a work order for the same home');
  const due = dueAtOf(priority, now);
  const reference = await nextReference(w, now);
  const created = await repairRecords.create(w, {
    jobReference: reference, homeId: input.homeId, reportedDate: ukDate(now), priority: priority.label, status: WORK_STATUSES.open,
    description: input.description.trim(), targetDate: ukDate(due), sorCode: input.sorCode.trim(), trade: input.trade.trim(), location: input.location?.trim() || null,
    workStatus: 'open', requestId: input.requestId ?? null, parentId: input.parentId ?? null, priorityCode: priority.code, raisedAt: now, dueAt: due,
    minutes: input.minutes, operativeWords: [...(input.operativeWords ?? [])], accessNotes: input.accessNotes?.trim() || null, settingsVersion: version,
  });
  await addEvent(w, created.id, { kind: 'status', fromStatus: null, toStatus: 'open', reason: parent ? `Follow-on from ${parent.jobReference}` : null }, now);
  if (parent && parent.firstTimeFix !== false) await repairRecords.update(w, parent.id, parent.version, { firstTimeFix: false });
  return created;
}

// ---- Status ----------------------------------------------------------------------------------------------------------

export interface StatusChange { reason?: string | null; workDone?: string | null; note?: string | null }

/** Move a job to another status, as the rules allow the actor's role; `expectedVersion` is the version last read. */
export async function changeStatus(ctx: Ctx, id: string, expectedVersion: number, to: string, change: StatusChange = {}, now = new Date()): Promise<WorkOrderRow> {
  const access = await jobAccess(ctx, id);
  // Officers who raise jobs may cancel them (the rules say which moves each role makes); others only read.
  if (!access.planner && !access.operative && !can(ctx.actor.role, 'repairs:raise')) {
    throw new Problem(403, 'Forbidden', 'Your role does not allow you to change the status of work orders. Ask a repairs planner.');
  }
  const w = writer(ctx);
  const current = await row(w, id);
  if (current.version !== expectedVersion) {
    throw new Problem(412, 'Precondition failed', `The work order has changed since you read it (version ${current.version}, you sent ${expectedVersion}). Read it again and reapply your change.`);
  }
  const from = current.workStatus as WorkStatus;
  if (!isWorkStatus(to)) throw invalid('/status', `must be one of ${Object.keys(WORK_STATUSES).join(', ')}`);
  const check = checkTransition(from, to, ctx.actor.role, { reason: change.reason, workDone: change.workDone });
  if (!check.ok) {
    // A move the rules do not allow is a conflict with the job's state (409); a missing reason or account of the work, a 400.
    const field = `/${check.field}`;
    throw check.field === 'status'
      ? new Problem(409, 'Conflict', `status: ${check.message}`, [{ field, message: check.message }])
      : new Problem(400, 'Invalid request', `${check.field}: ${check.message}`, [{ field, message: check.message }]);
  }
  const status = to as WorkStatus;
  const patch: Partial<WorkOrderRow> = { workStatus: status, status: WORK_STATUSES[status] };
  if (status === 'on-hold') patch.holdReason = change.reason?.trim() || null;
  else if (from === 'on-hold') patch.holdReason = null;
  if (status === 'complete') {
    const [child] = await w.tx.select({ id: repairs.id }).from(repairs).where(and(eq(repairs.organisationId, w.actor.organisationId), eq(repairs.parentId, id))).limit(1);
    const [missed] = await w.tx.select({ id: workOrderEvents.id }).from(workOrderEvents)
      .where(and(eq(workOrderEvents.organisationId, w.actor.organisationId), eq(workOrderEvents.repairId, id), eq(workOrderEvents.toStatus, 'no-access'))).limit(1);
    Object.assign(patch, { completedAt: now, completedDate: ukDate(now), workDone: change.workDone?.trim() ?? null, firstTimeFix: !child && !missed && current.firstTimeFix !== false });
  }
  const updated = await repairRecords.update(w, id, expectedVersion, patch);
  await addEvent(w, id, { kind: 'status', fromStatus: from, toStatus: status, reason: change.reason?.trim() || null, note: change.note?.trim() || (status === 'complete' ? change.workDone?.trim() : null) || null }, now);
  await audit(w.tx, ctx.actor, { action: 'work-order-status', entityKind: 'repair', entityId: id, detail: { from, to: status } });
  // The visit: done (complete), or the slot freed (no access, cancelled) so the job can be booked again.
  if (status === 'complete' || status === 'no-access' || status === 'cancelled') {
    const appointment = await schedule.appointmentOf(w, JOB_KIND, id);
    if (appointment?.status === 'booked') {
      if (status === 'complete') await schedule.markAttended(w, appointment.id);
      else await schedule.cancelAppointment(w, JOB_KIND, id);
    }
  }
  return updated;
}

/**
 * The operative needs another visit (another trade, parts): a follow-on work order for the same home is raised and
 * this one completed, not as a first-time fix.
 */
export async function needsFollowOn(ctx: Ctx, id: string, expectedVersion: number, what: string, now = new Date()): Promise<{ workOrder: WorkOrderRow; followOn: WorkOrderRow }> {
  const access = await jobAccess(ctx, id);
  if (!what.trim()) throw invalid('/followOn', 'is required: what the next visit needs to do');
  const current = await row(access.ctx, id);
  if (current.version !== expectedVersion) throw new Problem(412, 'Precondition failed', `The work order has changed since you read it (version ${current.version}, you sent ${expectedVersion}). Read it again and reapply your change.`);
  const followOn = await raiseWorkOrder(ctx, {
    homeId: current.homeId!, parentId: id, requestId: null, sorCode: current.sorCode ?? 'FOLLOW-ON', trade: current.trade ?? 'general', priorityCode: current.priorityCode!,
    description: what.trim(), location: current.location, minutes: current.minutes ?? 60, operativeWords: current.operativeWords ?? [], accessNotes: current.accessNotes,
    settingsVersion: current.settingsVersion ?? undefined,
  }, now);
  let fresh = await row(access.ctx, id);
  // Finished on site: a job not yet started is started first, so the operative's moves are the rules' own.
  if (fresh.workStatus === 'scheduled' && checkTransition('scheduled', 'in-progress', ctx.actor.role).ok) {
    await changeStatus(ctx, id, fresh.version, 'in-progress', {}, now);
    fresh = await row(access.ctx, id);
  }
  const workOrder = await changeStatus(ctx, id, fresh.version, 'complete', { workDone: `Needs a follow-on (${followOn.jobReference}): ${what.trim()}` }, now);
  return { workOrder, followOn };
}

/** A note on a job (planners, and an operative on their own job). */
export async function addWorkOrderNote(ctx: Ctx, id: string, note: string, now = new Date()): Promise<WorkOrderEvent> {
  const access = await jobAccess(ctx, id);
  if (!access.planner && !access.operative) throw new Problem(403, 'Forbidden', 'Your role does not allow you to add notes to work orders.');
  if (!note.trim()) throw invalid('/note', 'is required: the note');
  if (note.length > 5000) throw invalid('/note', 'must be at most 5000 characters');
  await row(access.ctx, id);
  await addEvent(access.ctx, id, { kind: 'note', note: note.trim() }, now);
  const [e] = await access.ctx.tx.select().from(workOrderEvents).where(and(eq(workOrderEvents.organisationId, ctx.actor.organisationId), eq(workOrderEvents.repairId, id)))
    .orderBy(desc(workOrderEvents.at), desc(workOrderEvents.id)).limit(1);
  return e!;
}

// ---- Photos ----------------------------------------------------------------------------------------------------------

export interface PhotoSummary { id: string; contentType: string; width: number; height: number; takenBy: string; createdAt: Date }

/** A photo of the job, checked and re-encoded without its metadata (rules/photos.ts). */
export async function addWorkOrderPhoto(ctx: Ctx, id: string, bytes: Buffer, fileName = 'photo'): Promise<PhotoSummary> {
  const access = await jobAccess(ctx, id);
  if (!access.planner && !access.operative) throw new Problem(403, 'Forbidden', 'Your role does not allow you to add photos to work orders.');
  await row(access.ctx, id);
  const photo = await checkPhoto(bytes, fileName);
  if (!photo.ok) throw invalid('/photo', photo.message);
  const values = { organisationId: ctx.actor.organisationId, id: uuidv7(), repairId: id, requestId: null, contentType: photo.contentType, bytes: photo.bytes,
    width: photo.width, height: photo.height, takenBy: access.operative ? 'operative' : 'staff' };
  const [saved] = await access.ctx.tx.insert(repairPhotos).values(values).returning({ id: repairPhotos.id, contentType: repairPhotos.contentType, width: repairPhotos.width,
    height: repairPhotos.height, takenBy: repairPhotos.takenBy, createdAt: repairPhotos.createdAt });
  return saved!;
}

/** A photo's bytes, for someone who may see the job it belongs to (or its request's job). */
export async function workOrderPhoto(ctx: Ctx, id: string, photoId: string): Promise<{ contentType: string; bytes: Buffer }> {
  const access = await jobAccess(ctx, id);
  const current = await row(access.ctx, id);
  const [p] = await access.ctx.tx.select({ contentType: repairPhotos.contentType, bytes: repairPhotos.bytes }).from(repairPhotos)
    .where(and(eq(repairPhotos.organisationId, ctx.actor.organisationId), eq(repairPhotos.id, photoId),
      current.requestId ? sql`(${repairPhotos.repairId} = ${id} or ${repairPhotos.requestId} = ${current.requestId})` : eq(repairPhotos.repairId, id)));
  if (!p) throw notFound('photo');
  return p;
}

// ---- The job, whole ---------------------------------------------------------------------------------------------------

export interface WorkOrderView {
  workOrder: WorkOrderRow;
  home: { id: string; address: string; postcode: string | null; latitude: number | null; longitude: number | null } | null;
  request: { id: string; reference: string; reasons: string[]; triagePath: string[]; availability: string | null; channel: string } | null;
  parent: { id: string; jobReference: string } | null;
  followOns: { id: string; jobReference: string; workStatus: string | null }[];
  events: WorkOrderEvent[];
  photos: PhotoSummary[];
  appointment: Appointment | null;
  /** The operative given the visit (once a plan is built). */
  operativeName: string | null;
  sla: WorkOrderSla;
  settings: RepairSettings;
}

const homeSummary = (h: Home) => ({ id: h.id, address: formatAddress(h), postcode: h.postcode ?? null, latitude: h.latitude ?? null, longitude: h.longitude ?? null });

/** A work order with what its job sheet shows: home, request's reasons, history, photos, appointment, SLA state. */
export async function workOrder(ctx: Ctx, id: string, now = new Date()): Promise<WorkOrderView> {
  const access = await jobAccess(ctx, id);
  const r = access.ctx;
  const wo = await row(r, id);
  const org = ctx.actor.organisationId;
  const [home] = wo.homeId ? await homeRecords.getMany(r, [wo.homeId]) : [];
  const [request] = wo.requestId ? await r.tx.select().from(repairRequests).where(and(eq(repairRequests.organisationId, org), eq(repairRequests.id, wo.requestId))) : [];
  const [parent] = wo.parentId ? await r.tx.select({ id: repairs.id, jobReference: repairs.jobReference }).from(repairs).where(and(eq(repairs.organisationId, org), eq(repairs.id, wo.parentId))) : [];
  const followOns = await r.tx.select({ id: repairs.id, jobReference: repairs.jobReference, workStatus: repairs.workStatus }).from(repairs)
    .where(and(eq(repairs.organisationId, org), eq(repairs.parentId, id))).orderBy(asc(repairs.jobReference));
  const events = await r.tx.select().from(workOrderEvents).where(and(eq(workOrderEvents.organisationId, org), eq(workOrderEvents.repairId, id))).orderBy(asc(workOrderEvents.at), asc(workOrderEvents.id));
  const photos = await r.tx.select({ id: repairPhotos.id, contentType: repairPhotos.contentType, width: repairPhotos.width, height: repairPhotos.height, takenBy: repairPhotos.takenBy, createdAt: repairPhotos.createdAt })
    .from(repairPhotos).where(and(eq(repairPhotos.organisationId, org),
      wo.requestId ? sql`(${repairPhotos.repairId} = ${id} or ${repairPhotos.requestId} = ${wo.requestId})` : eq(repairPhotos.repairId, id)))
    .orderBy(asc(repairPhotos.createdAt));
  const appointment = (await schedule.appointmentOf(r, JOB_KIND, id)) ?? null;
  const settings = await settingsReader(ctx)(wo.settingsVersion);
  const operativeName = appointment?.operativeId ? (await listOperatives(r)).find((o) => o.id === appointment.operativeId)?.name ?? null : null;
  return {
    workOrder: wo, home: home ? homeSummary(home) : null,
    request: request ? { id: request.id, reference: request.reference, reasons: request.reasons, triagePath: request.triagePath, availability: request.availability, channel: request.channel } : null,
    parent: parent ?? null, followOns, events, photos, appointment, operativeName, sla: slaFor(wo, settings, now), settings,
  };
}

export type SlaStateName = RuleSla['state'] | 'cancelled';
export interface WorkOrderSla { state: SlaStateName; due: Date | null; words: string }

/** Reads each settings version once per call (a list's jobs share a few). */
function settingsReader(ctx: Ctx): (version: number | null) => Promise<RepairSettings> {
  const seen = new Map<number | 'current', Promise<RepairSettings>>();
  const w = writer(ctx);
  return (version) => {
    const key = version ?? 'current';
    if (!seen.has(key)) seen.set(key, (version === null ? currentSettings(w) : settingsVersion(w, version)).then((v) => v.settings));
    return seen.get(key)!;
  };
}

/** Where the job stands against its priority's target (rules/priorities.ts); a cancelled job has none. */
export function slaFor(wo: Pick<WorkOrderRow, 'dueAt' | 'raisedAt' | 'completedAt' | 'workStatus' | 'priorityCode'>, settings: RepairSettings, now = new Date()): WorkOrderSla {
  if (wo.workStatus === 'cancelled') return { state: 'cancelled', due: wo.dueAt, words: 'Cancelled' };
  const priority = settings.priorities.find((p) => p.code === wo.priorityCode);
  if (priority && wo.raisedAt) return slaState(priority, wo.raisedAt, wo.completedAt, now);
  // A priority no longer in its settings: judged by the due time it was given.
  const late = wo.dueAt && (wo.completedAt ?? now).getTime() > wo.dueAt.getTime();
  return { due: wo.dueAt, state: wo.completedAt ? (late ? 'missed' : 'met') : late ? 'overdue' : 'on-time', words: '' };
}

// ---- Lists -----------------------------------------------------------------------------------------------------------

export const PAGE_SIZE = 50;
export const DUE_FILTERS = ['overdue', 'due-soon', 'all'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

export interface WorkOrderFilter {
  status?: string;
  due?: DueFilter;
  trade?: string;
  homeId?: string;
  /** Only open jobs with no booked appointment ("Repairs to schedule"). */
  toSchedule?: boolean;
  page?: number;
  limit?: number;
}

export interface WorkOrderListItem {
  workOrder: WorkOrderRow;
  address: string;
  sla: WorkOrderSla;
  appointment: Appointment | null;
}

/**
 * Work orders of the organisation, filtered, most pressing first (earliest due), `limit` a page. Overdue and due soon
 * are the rules' (slaState): the database narrows to open jobs due by the end of the next working day, the rules decide.
 */
export async function workOrderList(ctx: Ctx, filter: WorkOrderFilter = {}, now = new Date()): Promise<{ items: WorkOrderListItem[]; total: number; page: number; pages: number; limit: number }> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const limit = Math.min(Math.max(filter.limit ?? PAGE_SIZE, 1), 200);
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  const org = ctx.actor.organisationId;
  const settingsOf = settingsReader(ctx);
  const where: (SQL | undefined)[] = [eq(repairs.organisationId, org), isNotNull(repairs.workStatus)];
  if (filter.status) where.push(eq(repairs.workStatus, filter.status));
  if (filter.trade) where.push(eq(repairs.trade, filter.trade));
  if (filter.homeId) where.push(eq(repairs.homeId, filter.homeId));
  const due = filter.due ?? 'all';
  if (due !== 'all' || filter.toSchedule) where.push(notInArray(repairs.workStatus, [...CLOSED_STATUSES]));
  if (due === 'overdue') where.push(sql`${repairs.dueAt} < ${now}`);
  if (due === 'due-soon') where.push(sql`${repairs.dueAt} >= ${now} and ${repairs.dueAt} <= ${dueAtOf({ target: { amount: 1, unit: 'working-days' } }, now)}`);
  if (filter.toSchedule) where.push(inArray(repairs.workStatus, [...TO_SCHEDULE]));
  const order = [asc(repairs.dueAt), asc(repairs.jobReference)];

  let rows: WorkOrderRow[];
  let total: number;
  if (filter.toSchedule || due === 'due-soon') {
    // Decided outside the database (scheduling knows the appointments; the rules know "due soon"): the candidates, then the page.
    let candidates = await ctx.tx.select().from(repairs).where(and(...where)).orderBy(...order).limit(10_000);
    if (due === 'due-soon') {
      const kept: WorkOrderRow[] = [];
      for (const c of candidates) if (slaFor(c, await settingsOf(c.settingsVersion), now).state === 'due-soon') kept.push(c);
      candidates = kept;
    }
    if (filter.toSchedule) {
      const booked = await bookedOf(writer(ctx), candidates.map((c) => c.id));
      candidates = candidates.filter((c) => !booked.has(c.id));
    }
    total = candidates.length;
    rows = candidates.slice((page - 1) * limit, page * limit);
  } else {
    const [count] = await ctx.tx.select({ n: sql<number>`count(*)::int` }).from(repairs).where(and(...where));
    total = count?.n ?? 0;
    rows = await ctx.tx.select().from(repairs).where(and(...where)).orderBy(...order).limit(limit).offset((page - 1) * limit);
  }
  const homes = await homeRecords.getMany(ctx, [...new Set(rows.map((r) => r.homeId).filter((x): x is string => !!x))]);
  const addressOf = new Map(homes.map((h) => [h.id, formatAddress(h)]));
  const booked = await bookedOf(writer(ctx), rows.map((r) => r.id));
  const items: WorkOrderListItem[] = [];
  for (const r of rows) {
    items.push({ workOrder: r, address: (r.homeId && addressOf.get(r.homeId)) || r.homeNamed || '', sla: slaFor(r, await settingsOf(r.settingsVersion), now), appointment: booked.get(r.id) ?? null });
  }
  return { items, total, page, pages: Math.max(1, Math.ceil(total / limit)), limit };
}

/** The distinct trades of the organisation's work orders, for the list's filter. */
export async function workOrderTrades(ctx: Ctx): Promise<string[]> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const rows = await ctx.tx.selectDistinct({ trade: repairs.trade }).from(repairs)
    .where(and(eq(repairs.organisationId, ctx.actor.organisationId), isNotNull(repairs.workStatus), isNotNull(repairs.trade))).orderBy(asc(repairs.trade));
  return rows.map((r) => r.trade!).filter(Boolean);
}

// ---- The operative's day ---------------------------------------------------------------------------------------------

export interface OperativeJob { appointment: Appointment; workOrder: WorkOrderRow; address: string }

/** The signed-in operative's jobs on a day, in the planned order (scheduling's), with what each job sheet line needs. */
export async function myJobs(ctx: Ctx, date: string): Promise<{ operative: { id: string; name: string } | null; jobs: OperativeJob[] }> {
  if (!isOperative(ctx) && !isPlanner(ctx)) throw forbidden('Your role does not have a list of jobs to work');
  const mine = await schedule.operativeOfUser(ctx, ctx.actor.id);
  if (!mine) return { operative: null, jobs: [] };
  const w = writer(ctx);
  const day = (await schedule.operativeDay(ctx, mine.id, date)).filter((a) => a.status === 'booked' || a.status === 'attended');
  const rows = await repairRecords.getMany(w, day.map((a) => a.jobId));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const homes = await homeRecords.getMany(w, [...new Set(rows.map((r) => r.homeId).filter((x): x is string => !!x))]);
  const addressOf = new Map(homes.map((h) => [h.id, formatAddress(h)]));
  const jobs = day.filter((a) => byId.has(a.jobId)).map((a) => {
    const wo = byId.get(a.jobId)!;
    return { appointment: a, workOrder: wo, address: (wo.homeId && addressOf.get(wo.homeId)) || '' };
  });
  return { operative: mine, jobs };
}

// ---- Appointments ----------------------------------------------------------------------------------------------------

/** What a booking needs of the job and its settings: the slots, and the time by which the visit must be done. */
async function bookingFacts(ctx: Ctx, id: string) {
  if (!isPlanner(ctx)) throw new Problem(403, 'Forbidden', 'Your role does not allow you to book appointments. Ask a repairs planner.');
  const w = writer(ctx);
  const wo = await row(w, id);
  if (CLOSED_STATUSES.includes(wo.workStatus as WorkStatus)) throw new Problem(409, 'Conflict', `The work order is ${WORK_STATUSES[wo.workStatus as WorkStatus].toLowerCase()}: it cannot be booked`, [{ field: '/workStatus', message: 'is closed' }]);
  const { settings } = wo.settingsVersion === null ? await currentSettings(w) : await settingsVersion(w, wo.settingsVersion);
  const [home] = wo.homeId ? await homeRecords.getMany(w, [wo.homeId]) : [];
  return { w, wo, settings, home: home ?? null };
}

/** Slots that can still be met for the job (before its due time; emergencies: the next ones only). */
export async function workOrderAvailability(ctx: Ctx, id: string, now = new Date()): Promise<OfferedSlot[]> {
  const { w, wo, settings, home } = await bookingFacts(ctx, id);
  return schedule.availability(w, {
    trade: wo.trade ?? 'general', minutes: wo.minutes ?? 60, latitude: home?.latitude ?? null, longitude: home?.longitude ?? null,
    notAfter: wo.dueAt ?? new Date(now.getTime() + 28 * 86400_000), from: now, slots: settings.slots,
  });
}

/**
 * Book (or move) the job's visit to a slot. Scheduling guards the slot (409 "That slot is no longer free" with fresh
 * slots when it was taken); a job still open or assigned becomes scheduled.
 */
export async function bookWorkOrder(ctx: Ctx, id: string, choice: { date: string; slot: string }, now = new Date()): Promise<Appointment> {
  const { w, wo, settings, home } = await bookingFacts(ctx, id);
  if (!settings.slots.some((s) => s.code === choice.slot)) throw invalid('/slot', `must be one of the landlord's slots: ${settings.slots.map((s) => s.code).join(', ')}`);
  const notAfter = wo.dueAt ?? new Date(now.getTime() + 28 * 86400_000);
  const existing = await schedule.appointmentOf(w, JOB_KIND, id);
  const appointment = existing?.status === 'booked'
    ? await schedule.rebookAppointment(w, JOB_KIND, id, { date: choice.date, slot: choice.slot, slots: settings.slots, notAfter }, now)
    : await schedule.bookAppointment(w, {
      jobKind: JOB_KIND, jobId: id, jobReference: wo.jobReference, href: `/repairs/work-orders/${id}`,
      label: `${wo.description?.slice(0, 60) ?? wo.sorCode ?? 'Repair'}${home ? ` · ${formatAddress(home)}` : ''}`,
      homeId: wo.homeId, latitude: home?.latitude ?? null, longitude: home?.longitude ?? null, trade: wo.trade ?? 'general', minutes: wo.minutes ?? 60,
      date: choice.date, slot: choice.slot, slots: settings.slots, notAfter,
    }, now);
  if (wo.workStatus === 'open' || wo.workStatus === 'assigned' || wo.workStatus === 'no-access') {
    if (checkTransition(wo.workStatus as WorkStatus, 'scheduled', ctx.actor.role).ok) {
      const fresh = await row(w, id);
      await repairRecords.update(w, id, fresh.version, { workStatus: 'scheduled', status: WORK_STATUSES.scheduled });
      await addEvent(w, id, { kind: 'status', fromStatus: wo.workStatus, toStatus: 'scheduled', reason: `Booked for ${govukDate(choice.date)}, ${settings.slots.find((x) => x.code === choice.slot)?.label ?? choice.slot}` }, now);
    }
  }
  return appointment;
}

/** Cancel the job's booked visit (the job stays open, to be booked again). */
export async function cancelWorkOrderAppointment(ctx: Ctx, id: string, now = new Date()): Promise<void> {
  const { w, wo } = await bookingFacts(ctx, id);
  const existing = await schedule.appointmentOf(w, JOB_KIND, id);
  if (existing?.status !== 'booked') throw new Problem(404, 'Not found', 'The work order has no booked appointment');
  await schedule.cancelAppointment(w, JOB_KIND, id);
  // Scheduled without a visit is not scheduled: back to assigned (the rules' move for a planner), to be booked again.
  if (wo.workStatus === 'scheduled' && checkTransition('scheduled', 'assigned', ctx.actor.role).ok) {
    await repairRecords.update(w, id, wo.version, { workStatus: 'assigned', status: WORK_STATUSES.assigned });
    await addEvent(w, id, { kind: 'status', fromStatus: 'scheduled', toStatus: 'assigned', reason: 'Appointment cancelled' }, now);
  }
}
