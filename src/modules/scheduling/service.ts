// Operatives, the capacity of appointment slots, and bookings. Scheduling knows a job only by its kind, id and the facts
// given when it is booked (trade, minutes, place), and the landlord's slots are passed in by the caller (repairs keeps
// them in its settings): so any module's visits can be booked here, and this module imports none of them but hazards'
// bank holidays.
//
// Capacity is a pool, not a plan: for a date, slot and trade, each active operative with that trade who works that
// weekday gives the minutes their hours overlap the slot, less a quarter for travel between homes; the minutes of the
// appointments already booked use it. The same is checked for the slot as a whole (every trade), so an operative with
// two trades is not counted twice. The day's plan (plan.ts) then places each visit with a real operative.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { isValid as isValidPostcode } from 'postcode';
import type { Ctx } from '../../platform/records/context.ts';
import { defineRecords, type WithReferences } from '../../platform/records/service.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, invalid, notFound, Problem } from '../../platform/http/problem.ts';
import { users } from '../../platform/auth/schema.ts';
import { ukWallClock } from '../../platform/uk-time.ts';
import { bankHolidays } from '../hazards/index.ts';
import { appointments, operatives, type WorkingPattern } from './schema.ts';

export type Operative = typeof operatives.$inferSelect;
export type Appointment = typeof appointments.$inferSelect;

/**
 * The trades an operative can have: the same codes as the repairs settings' trades (repairs/rules), kept here because
 * scheduling never imports repairs. A job of a trade not listed here simply finds no operative.
 */
export const TRADES = {
  plumbing: 'Plumbing',
  heating: 'Heating and gas',
  electrical: 'Electrical',
  carpentry: 'Carpentry',
  'damp-and-mould': 'Damp and mould',
  roofing: 'Roofing',
  plastering: 'Plastering',
  glazing: 'Glazing',
  drainage: 'Drainage',
  general: 'General building',
} as const;
export type Trade = keyof typeof TRADES;
export const TRADE_CODES = Object.keys(TRADES) as Trade[];
export const tradeLabel = (code: string): string => (TRADES as Record<string, string>)[code] ?? code;

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** A landlord's appointment slot (repairs settings): its code, words for residents and its London wall-clock hours. */
export interface Slot {
  code: string;
  label: string;
  /** "08:00" */
  start: string;
  /** "13:00" */
  end: string;
}

/** A slot on a date that can still be booked. */
export interface OfferedSlot {
  date: string;
  slot: string;
  label: string;
  windowStart: Date;
  windowEnd: Date;
}

/** The share of an operative's time in a slot left for work once travel between homes is allowed for. */
export const WORKING_SHARE = 0.75;
/** How many days ahead availability looks when the caller does not say. */
export const DEFAULT_DAYS = 28;

// ---- dates and times (London)

const DAY_MS = 86_400_000;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const minutesOfDay = (hhmm: string): number => {
  const m = TIME.exec(hhmm);
  if (!m) throw new RangeError(`not a time (hh:mm): ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
};

export function isIsoDate(date: string): boolean {
  if (!DATE.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

export const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** 1 Monday … 7 Sunday, as WorkingPattern counts. */
export const weekdayOf = (date: string): number => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The instant UK clocks show `time` on `date` (for a time the clocks skip in spring, the instant an hour later). */
export function londonInstant(date: string, time: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const minutes = minutesOfDay(time);
  const wall = Date.UTC(y, mo - 1, d, Math.floor(minutes / 60), minutes % 60);
  // The offset of London from UTC at an instant (0 or an hour): what its clocks show, less the instant.
  const offsetAt = (t: number) => {
    const w = ukWallClock(new Date(t));
    const [wy, wm, wd] = w.date.split('-').map(Number) as [number, number, number];
    return Date.UTC(wy, wm - 1, wd, minutesOfDay(w.time) / 60 | 0, minutesOfDay(w.time) % 60) - t;
  };
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first));
}

const isBankHoliday = (date: string) => bankHolidays(Number(date.slice(0, 4))).has(date);

// ---- operatives

function requireRead(ctx: Ctx) {
  if (!can(ctx.actor.role, 'scheduling:read')) throw forbidden('Your role does not allow you to see operatives or appointments');
}
function requirePlan(ctx: Ctx) {
  if (!can(ctx.actor.role, 'scheduling:plan')) throw forbidden('Your role does not allow you to manage operatives or build plans');
}

export const operativeRecords = defineRecords<Operative>({
  kind: 'operative', label: 'operative', table: operatives, read: 'scheduling:read', write: 'scheduling:plan',
  filters: (q) => [q.active === undefined ? undefined : eq(operatives.active, q.active === true || q.active === 'true')],
});

/** What an operative is given as (the API's and the form's fields). */
export interface OperativeInput {
  name: string;
  trades: string[];
  pattern: WorkingPattern;
  basePostcode?: string | null;
  baseLatitude?: number | null;
  baseLongitude?: number | null;
  active?: boolean;
  /** The staff account they sign in with, by its email (null: none). */
  userEmail?: string | null;
}

/** "ls61aa" → "LS6 1AA". */
export const normalisePostcode = (p: string): string => {
  const s = p.replace(/\s+/g, '').toUpperCase();
  return `${s.slice(0, -3)} ${s.slice(-3)}`;
};

/** The rules an operative keeps, each refusal naming its field. */
function checkOperative(input: Partial<OperativeInput>): void {
  if (input.name !== undefined && !input.name.trim()) throw invalid('/name', 'Enter the operative’s name');
  if (input.trades !== undefined) {
    if (!input.trades.length) throw invalid('/trades', 'Select at least one trade');
    const unknown = input.trades.filter((t) => !Object.hasOwn(TRADES, t));
    if (unknown.length) throw invalid('/trades', `is not a trade: ${unknown.join(', ')} (trades are ${TRADE_CODES.join(', ')})`);
  }
  if (input.pattern !== undefined) {
    const p = input.pattern;
    if (!p.days.length || p.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) throw invalid('/pattern/days', 'Select the days they work (1 Monday to 7 Sunday)');
    if (!TIME.test(p.start)) throw invalid('/pattern/start', 'Enter the time they start, like 08:00');
    if (!TIME.test(p.end)) throw invalid('/pattern/end', 'Enter the time they finish, like 17:00');
    if (minutesOfDay(p.end) <= minutesOfDay(p.start)) throw invalid('/pattern/end', 'The time they finish must be after the time they start');
  }
  if (input.basePostcode && !isValidPostcode(input.basePostcode)) throw invalid('/basePostcode', 'Enter a real postcode, like LS6 1AA');
  const lat = input.baseLatitude, lon = input.baseLongitude;
  if ((lat === null || lat === undefined) !== (lon === null || lon === undefined)) throw invalid(lat == null ? '/baseLatitude' : '/baseLongitude', 'Give both the latitude and the longitude of the base, or neither');
  if (lat != null && (lat < 49 || lat > 61)) throw invalid('/baseLatitude', 'must be a latitude in the UK (49 to 61)');
  if (lon != null && (lon < -9 || lon > 2)) throw invalid('/baseLongitude', 'must be a longitude in the UK (-9 to 2)');
}

/** The staff account with this email in the actor's organisation (not disabled), or a refusal naming the field. */
async function userIdOfEmail(ctx: Ctx, email: string): Promise<string> {
  const [user] = await ctx.tx.select({ id: users.id }).from(users)
    .where(and(eq(users.organisationId, ctx.actor.organisationId), sql`lower(${users.email}) = lower(${email.trim()})`, sql`${users.disabledAt} is null`));
  if (!user) throw invalid('/userEmail', 'There is no staff account with that email address');
  return user.id;
}

async function valuesOf(ctx: Ctx, input: Partial<OperativeInput>, self?: string): Promise<Record<string, unknown>> {
  checkOperative(input);
  const { userEmail, ...rest } = input;
  const values: Record<string, unknown> = { ...rest };
  if (input.name !== undefined) values.name = input.name.trim();
  if (input.trades !== undefined) values.trades = [...new Set(input.trades)].sort();
  if (input.pattern !== undefined) values.pattern = { days: [...new Set(input.pattern.days)].sort(), start: input.pattern.start, end: input.pattern.end };
  if (input.basePostcode !== undefined) values.basePostcode = input.basePostcode ? normalisePostcode(input.basePostcode) : null;
  if (userEmail !== undefined) {
    const userId = userEmail ? await userIdOfEmail(ctx, userEmail) : null;
    if (userId) {
      const [other] = await ctx.tx.select({ id: operatives.id, name: operatives.name }).from(operatives)
        .where(and(eq(operatives.organisationId, ctx.actor.organisationId), eq(operatives.userId, userId)));
      if (other && other.id !== self) throw invalid('/userEmail', `That staff account is already ${other.name}’s`);
    }
    values.userId = userId;
  }
  return values;
}

export async function createOperative(ctx: Ctx, input: OperativeInput): Promise<WithReferences<Operative>> {
  requirePlan(ctx);
  return operativeRecords.create(ctx, await valuesOf(ctx, input));
}

export async function updateOperative(ctx: Ctx, id: string, expectedVersion: number, patch: Partial<OperativeInput>): Promise<WithReferences<Operative>> {
  requirePlan(ctx);
  return operativeRecords.update(ctx, id, expectedVersion, await valuesOf(ctx, patch, id));
}

/** Every operative of the organisation, by name (active first). */
export async function listOperatives(ctx: Ctx): Promise<Operative[]> {
  requireRead(ctx);
  return ctx.tx.select().from(operatives).where(eq(operatives.organisationId, ctx.actor.organisationId))
    .orderBy(desc(operatives.active), asc(operatives.name), asc(operatives.id));
}

/** The emails of the staff accounts operatives sign in with, by user id (for the planner's list and form). */
export async function emailsOfUsers(ctx: Ctx, userIds: readonly string[]): Promise<Map<string, string>> {
  requireRead(ctx);
  if (!userIds.length) return new Map();
  const rows = await ctx.tx.select({ id: users.id, email: users.email }).from(users)
    .where(and(eq(users.organisationId, ctx.actor.organisationId), inArray(users.id, [...userIds])));
  return new Map(rows.map((r) => [r.id, r.email]));
}

/** The operative a staff account is (to show them their own day), or null. */
export async function operativeOfUser(ctx: Ctx, userId: string): Promise<Operative | null> {
  requireRead(ctx);
  const [row] = await ctx.tx.select().from(operatives).where(and(eq(operatives.organisationId, ctx.actor.organisationId), eq(operatives.userId, userId)));
  return row ?? null;
}

// ---- capacity

const overlapMinutes = (pattern: WorkingPattern, slot: Slot) =>
  Math.max(0, Math.min(minutesOfDay(pattern.end), minutesOfDay(slot.end)) - Math.max(minutesOfDay(pattern.start), minutesOfDay(slot.start)));

/** Whether an operative works on a date at all (active, and the weekday is one of their days). */
export const worksOn = (op: Pick<Operative, 'active' | 'pattern'>, date: string) => op.active && op.pattern.days.includes(weekdayOf(date));

/** The minutes of work a slot on a date offers: of the operatives with `trade` (every operative when null). */
function slotCapacity(ops: readonly Operative[], date: string, slot: Slot, trade: string | null): number {
  let total = 0;
  for (const op of ops) {
    if (!worksOn(op, date) || (trade !== null && !op.trades.includes(trade))) continue;
    total += overlapMinutes(op.pattern, slot) * WORKING_SHARE;
  }
  return total;
}

/** Minutes already booked by date|slot, for a trade and for every trade; a job's own booking is left out (a rebook). */
async function bookedMinutes(ctx: Ctx, from: string, to: string, trade: string, except?: { jobKind: string; jobId: string }) {
  const rows = await ctx.tx.select({ date: appointments.date, slot: appointments.slot, trade: appointments.trade, minutes: sql<number>`sum(${appointments.minutes})::int` })
    .from(appointments)
    .where(and(eq(appointments.organisationId, ctx.actor.organisationId), sql`${appointments.date} between ${from} and ${to}`,
      inArray(appointments.status, ['booked', 'attended']),
      except ? sql`not (${appointments.jobKind} = ${except.jobKind} and ${appointments.jobId} = ${except.jobId})` : undefined))
    .groupBy(appointments.date, appointments.slot, appointments.trade);
  const all = new Map<string, number>(), ofTrade = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.date}|${r.slot}`;
    all.set(key, (all.get(key) ?? 0) + r.minutes);
    if (r.trade === trade) ofTrade.set(key, (ofTrade.get(key) ?? 0) + r.minutes);
  }
  return { all, ofTrade };
}

async function activeOperatives(ctx: Ctx): Promise<Operative[]> {
  return ctx.tx.select().from(operatives).where(and(eq(operatives.organisationId, ctx.actor.organisationId), eq(operatives.active, true)));
}

export interface AvailabilityQuery {
  trade: string;
  minutes: number;
  latitude?: number | null;
  longitude?: number | null;
  /** The slot must end by then (the priority's due time). */
  notAfter: Date;
  /** Only slots that start after this (now). */
  from: Date;
  slots: readonly Slot[];
  /** How many days from `from` to look at (default 28). */
  days?: number;
}

function offered(date: string, slot: Slot): OfferedSlot {
  return { date, slot: slot.code, label: slot.label, windowStart: londonInstant(date, slot.start), windowEnd: londonInstant(date, slot.end) };
}

async function freeSlots(ctx: Ctx, q: AvailabilityQuery, except?: { jobKind: string; jobId: string }): Promise<OfferedSlot[]> {
  const first = ukWallClock(q.from).date;
  const days = Math.min(Math.max(q.days ?? DEFAULT_DAYS, 1), 366);
  const last = [addDays(first, days - 1), ukWallClock(q.notAfter).date].sort()[0]!;
  if (last < first || !q.slots.length) return [];
  const ops = await activeOperatives(ctx);
  if (!ops.some((o) => o.trades.includes(q.trade))) return [];
  const used = await bookedMinutes(ctx, first, last, q.trade, except);
  const slots = [...q.slots].sort((a, b) => minutesOfDay(a.start) - minutesOfDay(b.start));
  const out: OfferedSlot[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    if (isBankHoliday(date)) continue;
    for (const slot of slots) {
      const o = offered(date, slot);
      if (o.windowStart <= q.from || o.windowEnd > q.notAfter) continue;
      const key = `${date}|${slot.code}`;
      if (slotCapacity(ops, date, slot, q.trade) - (used.ofTrade.get(key) ?? 0) < q.minutes) continue;
      if (slotCapacity(ops, date, slot, null) - (used.all.get(key) ?? 0) < q.minutes) continue;
      out.push(o);
    }
  }
  return out;
}

/**
 * The slots a job can still be booked into: an operative with the trade works that day and slot with time left for
 * the job's minutes, the slot starts after `from` and ends by `notAfter`, and the day is not a bank holiday.
 * (The place is not used yet: every operative is assumed to reach any home of the landlord.)
 */
export async function availability(ctx: Ctx, q: AvailabilityQuery): Promise<OfferedSlot[]> {
  requireRead(ctx);
  return freeSlots(ctx, q);
}

// ---- bookings

export const appointmentRecords = defineRecords<Appointment>({
  kind: 'appointment', label: 'appointment', table: appointments,
  // Booking is done for the job's own module, which checks its own permission to change the job (repairs:raise, …).
  read: 'scheduling:read', write: 'scheduling:read',
});

/** A booking refused because the slot filled up: the slots that are free now, for the caller to offer instead. */
export class SlotTaken extends Problem {
  readonly freshSlots: OfferedSlot[];
  constructor(freshSlots: OfferedSlot[]) {
    // The problem+json answer has no place for data beyond `errors`: each free slot is one, at /slot ("2026-12-03 AM").
    super(409, 'That slot is no longer free', 'That slot is no longer free: choose another',
      freshSlots.map((s) => ({ field: '/slot', message: `${s.date} ${s.slot}` })));
    this.freshSlots = freshSlots;
  }
}

export interface BookingInput {
  jobKind: string;
  jobId: string;
  jobReference: string;
  href: string;
  label: string;
  homeId?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  trade: string;
  minutes: number;
  date: string;
  slot: string;
  slots: readonly Slot[];
  /** The slot must end by then (the job's due time); null: no limit. */
  notAfter?: Date | null;
}

const FAR = new Date('9999-12-31T00:00:00Z');

/** The job's booked appointment, locked (so a rebook and a cancel of one job do not cross). */
async function bookedOf(ctx: Ctx, jobKind: string, jobId: string): Promise<Appointment | undefined> {
  const [row] = await ctx.tx.select().from(appointments)
    .where(and(eq(appointments.organisationId, ctx.actor.organisationId), eq(appointments.jobKind, jobKind), eq(appointments.jobId, jobId), eq(appointments.status, 'booked')))
    .for('update');
  return row;
}

/**
 * Book a job into a slot, in the caller's transaction. Bookings of one organisation, date and slot take turns (an
 * advisory lock held to the end of the transaction), and the capacity is counted again under it, so two bookings for
 * the last place cannot both succeed: the second is a SlotTaken (409) with the slots free now. A job has one booked
 * appointment: booking it again moves it (the old one becomes 'rebooked').
 */
export async function bookAppointment(ctx: Ctx, input: BookingInput, now = new Date()): Promise<Appointment> {
  requireRead(ctx);
  const slot = input.slots.find((s) => s.code === input.slot);
  if (!slot) throw invalid('/slot', `is not one of the slots: ${input.slots.map((s) => s.code).join(', ')}`);
  if (!isIsoDate(input.date)) throw invalid('/date', 'must be a date, YYYY-MM-DD');
  if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > 24 * 60) throw invalid('/minutes', 'must be a whole number of minutes, 1 to 1440');
  const org = ctx.actor.organisationId;
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${org}::text || ${input.date}::text || ${input.slot}::text, 0))`);
  const existing = await bookedOf(ctx, input.jobKind, input.jobId);
  const job = { jobKind: input.jobKind, jobId: input.jobId };
  const query: AvailabilityQuery = { trade: input.trade, minutes: input.minutes, notAfter: input.notAfter ?? FAR, from: now, slots: input.slots, days: 14 };
  const wanted = offered(input.date, slot);
  const free = wanted.windowStart > now && wanted.windowEnd <= query.notAfter
    && (await freeSlots(ctx, { ...query, from: new Date(wanted.windowStart.getTime() - 1), days: 1, slots: [slot] }, job)).length === 1;
  if (!free) throw new SlotTaken((await freeSlots(ctx, query, job)).slice(0, 10));
  if (existing) await appointmentRecords.update(ctx, existing.id, existing.version, { status: 'rebooked' });
  const row = await appointmentRecords.create(ctx, {
    jobKind: input.jobKind, jobId: input.jobId, jobReference: input.jobReference, href: input.href, label: input.label,
    homeId: input.homeId ?? null, latitude: input.latitude ?? null, longitude: input.longitude ?? null,
    trade: input.trade, minutes: input.minutes, date: input.date, slot: input.slot,
    windowStart: wanted.windowStart, windowEnd: wanted.windowEnd, status: 'booked',
  });
  const { sourceReferences: _refs, ...appointment } = row;
  return appointment;
}

/** Move a job's booked appointment to another date and slot (same checks as a booking). */
export async function rebookAppointment(ctx: Ctx, jobKind: string, jobId: string,
  to: { date: string; slot: string; slots: readonly Slot[]; notAfter?: Date | null }, now = new Date()): Promise<Appointment> {
  requireRead(ctx);
  const [current] = await ctx.tx.select().from(appointments)
    .where(and(eq(appointments.organisationId, ctx.actor.organisationId), eq(appointments.jobKind, jobKind), eq(appointments.jobId, jobId), eq(appointments.status, 'booked')));
  if (!current) throw notFound('booked appointment for that job');
  return bookAppointment(ctx, { ...current, ...to }, now);
}

/** Cancel a job's booked appointment; null when it had none. */
export async function cancelAppointment(ctx: Ctx, jobKind: string, jobId: string): Promise<Appointment | null> {
  requireRead(ctx);
  const current = await bookedOf(ctx, jobKind, jobId);
  if (!current) return null;
  const { sourceReferences: _refs, ...row } = await appointmentRecords.update(ctx, current.id, current.version, { status: 'cancelled' });
  return row;
}

/** The job's appointment now: the booked one, else the last one attended; null when neither. */
export async function appointmentOf(ctx: Ctx, jobKind: string, jobId: string): Promise<Appointment | null> {
  return (await appointmentsOf(ctx, jobKind, [jobId])).get(jobId) ?? null;
}

/** appointmentOf for many jobs of a kind: job id → appointment (jobs with none are absent). */
export async function appointmentsOf(ctx: Ctx, jobKind: string, jobIds: readonly string[]): Promise<Map<string, Appointment>> {
  requireRead(ctx);
  if (!jobIds.length) return new Map();
  const rows = await ctx.tx.select().from(appointments)
    .where(and(eq(appointments.organisationId, ctx.actor.organisationId), eq(appointments.jobKind, jobKind),
      sql`${appointments.jobId} = any(${sql.param([...jobIds])}::uuid[])`, inArray(appointments.status, ['booked', 'attended'])))
    .orderBy(asc(appointments.createdAt));
  const out = new Map<string, Appointment>();
  for (const r of rows) {
    const had = out.get(r.jobId);
    if (!had || had.status !== 'booked') out.set(r.jobId, r);
  }
  return out;
}

/** The day's appointments (booked or attended), in slot order then by label. */
export async function appointmentsOn(ctx: Ctx, date: string): Promise<Appointment[]> {
  requireRead(ctx);
  return ctx.tx.select().from(appointments)
    .where(and(eq(appointments.organisationId, ctx.actor.organisationId), eq(appointments.date, date), inArray(appointments.status, ['booked', 'attended'])))
    .orderBy(asc(appointments.windowStart), asc(appointments.slot), asc(appointments.jobReference));
}

/** An operative's visits on a date, in the planned order (visits not yet planned last). */
export async function operativeDay(ctx: Ctx, operativeId: string, date: string): Promise<Appointment[]> {
  requireRead(ctx);
  return ctx.tx.select().from(appointments)
    .where(and(eq(appointments.organisationId, ctx.actor.organisationId), eq(appointments.operativeId, operativeId), eq(appointments.date, date),
      inArray(appointments.status, ['booked', 'attended'])))
    .orderBy(sql`${appointments.sequence} asc nulls last`, asc(appointments.windowStart), asc(appointments.id));
}

/**
 * The visit was made. A planner may mark any appointment; anyone else only a visit planned for the operative their
 * own staff account is.
 */
export async function markAttended(ctx: Ctx, appointmentId: string): Promise<Appointment> {
  requireRead(ctx);
  const [row] = await ctx.tx.select().from(appointments)
    .where(and(eq(appointments.organisationId, ctx.actor.organisationId), eq(appointments.id, appointmentId))).for('update');
  if (!row) throw notFound('appointment');
  if (!can(ctx.actor.role, 'scheduling:plan')) {
    const mine = ctx.actor.kind === 'user' ? await operativeOfUser(ctx, ctx.actor.id) : null;
    if (!mine || row.operativeId !== mine.id) throw forbidden('Only the operative given this visit, or a planner, can mark it attended');
  }
  if (row.status === 'attended') return row;
  if (row.status !== 'booked') throw new Problem(409, 'Conflict', `The appointment was ${row.status}: it cannot be marked attended`);
  const { sourceReferences: _refs, ...updated } = await appointmentRecords.update(ctx, row.id, row.version, { status: 'attended' });
  return updated;
}
