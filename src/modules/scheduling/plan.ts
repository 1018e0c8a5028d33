// A day's plan: the day's booked appointments and the operatives working that day become a vehicle routing problem
// with time windows (engine/: each operative a vehicle from and back to their base, within their hours, doing only
// jobs of their trades; each visit starts within its slot), solved for the fewest operatives; each appointment is then
// given its operative, its place in their day and when they should arrive, and the day's figures are kept in
// day_plans with the jobs that could not be placed and why. Building again replaces the plan.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, invalid } from '../../platform/http/problem.ts';
import { audit } from '../../platform/audit/service.ts';
import { recordsWritten } from '../../platform/records/events.ts';
import { originOf } from '../../platform/events/outbox.ts';
import { ukWallClock } from '../../platform/uk-time.ts';
import { bankHolidays } from '../hazards/index.ts';
import { solve, type Job, type Problem as RoutingProblem, type Vehicle } from './engine/index.ts';
import { appointments, dayPlans, operatives } from './schema.ts';
import { isIsoDate, londonInstant, minutesOfDay, tradeLabel, worksOn, type Appointment, type Operative } from './service.ts';

/** Road distance is about this much longer than the straight line between two homes. */
export const ROAD_FACTOR = 1.3;
/** Average speed between homes in a town, km/h. */
export const SPEED_KMH = 25;
/** Travel to or from a place with no coordinates. */
export const DEFAULT_TRAVEL_MINUTES = 15;
/** The most a build may search. */
export const MAX_PLAN_MS = 20_000;

export type DayPlanRow = typeof dayPlans.$inferSelect;

export interface PlanVisit {
  appointmentId: string;
  jobReference: string;
  label: string;
  href: string;
  trade: string;
  slot: string;
  windowStart: Date;
  windowEnd: Date;
  sequence: number;
  plannedStart: Date;
}

/** A day's plan as the planner sees it: the figures of the last build, each operative's visits, what was not placed. */
export interface DayPlanView {
  date: string;
  plan: DayPlanRow | null;
  routes: { operative: { id: string; name: string }; visits: PlanVisit[] }[];
  notPlaced: { appointmentId: string; jobReference: string; label: string; href: string; slot: string; reason: string }[];
}

const toRad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in km. */
export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = toRad(b.lat - a.lat), dLon = toRad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

type Place = { lat: number; lon: number } | null;
const placeOf = (lat: number | null, lon: number | null): Place => (lat === null || lon === null ? null : { lat, lon });

/** Minutes after London midnight of `date` at an instant (the engine's clock for the day). */
function minutesInDay(date: string, at: Date): number {
  return Math.round((at.getTime() - londonInstant(date, '00:00').getTime()) / 60_000);
}

/** Travel minutes and road km between places (a place without coordinates: the default travel either way). */
export function travelModel(places: readonly Place[]) {
  const km = (i: number, j: number): number => {
    if (i === j) return 0;
    const a = places[i], b = places[j];
    if (!a || !b) return (DEFAULT_TRAVEL_MINUTES / 60) * SPEED_KMH;
    return haversineKm(a, b) * ROAD_FACTOR;
  };
  return { distance: km, travel: (i: number, j: number) => (km(i, j) / SPEED_KMH) * 60 };
}

/** Why a job was not placed, in words for the planner. */
function reasonFor(a: Appointment, working: readonly Operative[], date: string): string {
  if (bankHolidays(Number(date.slice(0, 4))).has(date)) return 'It is a bank holiday';
  if (!working.length) return 'No operative works on this day';
  const skilled = working.filter((o) => o.trades.includes(a.trade));
  if (!skilled.length) return `No operative with the trade ${tradeLabel(a.trade).toLowerCase()} works on this day`;
  const start = minutesInDay(date, a.windowStart), end = minutesInDay(date, a.windowEnd);
  const fits = skilled.filter((o) => minutesOfDay(o.pattern.start) <= end && minutesOfDay(o.pattern.end) >= start + a.minutes);
  if (!fits.length) return `No operative with the trade ${tradeLabel(a.trade).toLowerCase()} works during the slot`;
  return `The operatives with the trade ${tradeLabel(a.trade).toLowerCase()} had no time left in the slot`;
}

export interface BuildOptions {
  /** The search's budget; at most MAX_PLAN_MS. Default: more for a bigger day. */
  timeLimitMs?: number;
  seed?: number;
}

/**
 * Build the plan for a date: every booked appointment of the day is given to an operative who has its trade and
 * works then, in an order they can keep, or reported as not placed with the reason. Replaces the day's last plan.
 */
export async function buildPlan(ctx: Ctx, date: string, options: BuildOptions = {}): Promise<DayPlanRow> {
  if (!can(ctx.actor.role, 'scheduling:plan')) throw forbidden('Your role does not allow you to build the day’s plan');
  if (!isIsoDate(date)) throw invalid('/date', 'must be a date, YYYY-MM-DD');
  const org = ctx.actor.organisationId;
  // One build of a day at a time: a second waits and then replaces the first's plan with its own.
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${org}::text || 'plan' || ${date}::text, 0))`);
  const jobsOfDay = await ctx.tx.select().from(appointments)
    .where(and(eq(appointments.organisationId, org), eq(appointments.date, date), eq(appointments.status, 'booked')))
    .orderBy(asc(appointments.windowStart), asc(appointments.id)).for('update');
  const holiday = bankHolidays(Number(date.slice(0, 4))).has(date);
  const working = holiday ? [] : (await ctx.tx.select().from(operatives).where(and(eq(operatives.organisationId, org), eq(operatives.active, true)))
    .orderBy(asc(operatives.id))).filter((o) => worksOn(o, date));

  const places: Place[] = [...jobsOfDay.map((a) => placeOf(a.latitude, a.longitude)), ...working.map((o) => placeOf(o.baseLatitude, o.baseLongitude))];
  const jobs: Job[] = jobsOfDay.map((a, i) => ({
    location: i, ready: minutesInDay(date, a.windowStart), due: minutesInDay(date, a.windowEnd), service: a.minutes, skill: a.trade,
  }));
  const vehicles: Vehicle[] = working.map((o, i) => ({
    start: jobsOfDay.length + i, end: jobsOfDay.length + i, ready: minutesOfDay(o.pattern.start), due: minutesOfDay(o.pattern.end), skills: o.trades,
  }));
  const problem: RoutingProblem = { jobs, vehicles, ...travelModel(places) };
  const timeLimitMs = Math.min(MAX_PLAN_MS, options.timeLimitMs ?? Math.max(500, jobs.length * 50));
  const started = performance.now();
  const solution = jobs.length && vehicles.length
    ? solve(problem, { objective: 'vehicles', timeLimitMs, seed: options.seed ?? 1, cost: 'travel' })
    : { routes: [], unassigned: jobs.map((_, i) => i), vehiclesUsed: 0, travel: 0, lateness: 0 };
  const milliseconds = Math.round(performance.now() - started);

  // What each appointment is given: its operative, its place in their day and when they should arrive (or nothing).
  const given = new Map<string, { operativeId: string; sequence: number; plannedStart: Date }>();
  const dayStart = londonInstant(date, '00:00').getTime();
  for (const route of solution.routes) {
    route.stops.forEach((stop, n) => {
      given.set(jobsOfDay[stop.job]!.id, { operativeId: working[route.vehicle]!.id, sequence: n + 1, plannedStart: new Date(dayStart + Math.round(stop.start) * 60_000) });
    });
  }
  const changed = jobsOfDay.filter((a) => {
    const g = given.get(a.id);
    return (g?.operativeId ?? null) !== a.operativeId || (g?.sequence ?? null) !== a.sequence || (g?.plannedStart.getTime() ?? null) !== (a.plannedStart?.getTime() ?? null);
  });
  if (changed.length) {
    const ids = changed.map((a) => a.id);
    await ctx.tx.execute(sql`
      update appointments as a set operative_id = v.operative_id, sequence = v.sequence, planned_start = v.planned_start,
        version = a.version + 1, updated_at = now()
      from unnest(${sql.param(ids)}::uuid[], ${sql.param(changed.map((a) => given.get(a.id)?.operativeId ?? null))}::uuid[],
        ${sql.param(changed.map((a) => given.get(a.id)?.sequence ?? null))}::int[],
        ${sql.param(changed.map((a) => given.get(a.id)?.plannedStart.toISOString() ?? null))}::timestamptz[]) as v(id, operative_id, sequence, planned_start)
      where a.organisation_id = ${org} and a.id = v.id`);
    const fields = ['operativeId', 'sequence', 'plannedStart'];
    await audit(ctx.tx, ctx.actor, ids.map((id) => ({ action: 'update', entityKind: 'appointment', entityId: id, detail: { fields } })));
    await recordsWritten(ctx.tx, 'appointment', org, ids.map((id) => ({ id, created: false, data: { fields } })), originOf(ctx.actor));
  }

  const notPlaced = solution.unassigned.map((i) => ({ appointmentId: jobsOfDay[i]!.id, reason: reasonFor(jobsOfDay[i]!, working, date) }));
  const figures = {
    builtAt: new Date(), builtBy: ctx.actor.name,
    jobs: jobsOfDay.length, unassigned: notPlaced.length, operativesUsed: solution.vehiclesUsed,
    travelMinutes: Math.round(solution.travel), latenessMinutes: Math.round(solution.lateness), milliseconds, notPlaced,
  };
  const [row] = await ctx.tx.insert(dayPlans).values({ organisationId: org, date, ...figures })
    .onConflictDoUpdate({ target: [dayPlans.organisationId, dayPlans.date], set: figures }).returning();
  await audit(ctx.tx, ctx.actor, { action: 'plan-built', entityKind: 'appointment', detail: { date, jobs: figures.jobs, unassigned: figures.unassigned, operativesUsed: figures.operativesUsed } });
  return row!;
}

/** The day's plan as it stands: the last build's figures, each operative's visits in order, and what was not placed. */
export async function dayPlan(ctx: Ctx, date: string): Promise<DayPlanView> {
  if (!can(ctx.actor.role, 'scheduling:read')) throw forbidden('Your role does not allow you to see the day’s plan');
  if (!isIsoDate(date)) throw invalid('/date', 'must be a date, YYYY-MM-DD');
  const org = ctx.actor.organisationId;
  const [plan] = await ctx.tx.select().from(dayPlans).where(and(eq(dayPlans.organisationId, org), eq(dayPlans.date, date)));
  const rows = await ctx.tx.select().from(appointments)
    .where(and(eq(appointments.organisationId, org), eq(appointments.date, date), sql`${appointments.status} in ('booked', 'attended')`))
    .orderBy(sql`${appointments.sequence} asc nulls last`, asc(appointments.windowStart));
  const ops = await ctx.tx.select({ id: operatives.id, name: operatives.name }).from(operatives).where(eq(operatives.organisationId, org));
  const names = new Map(ops.map((o) => [o.id, o.name]));
  const byOperative = new Map<string, PlanVisit[]>();
  for (const a of rows) {
    if (!a.operativeId || a.sequence === null || !a.plannedStart) continue;
    const list = byOperative.get(a.operativeId) ?? [];
    list.push({ appointmentId: a.id, jobReference: a.jobReference, label: a.label, href: a.href, trade: a.trade, slot: a.slot,
      windowStart: a.windowStart, windowEnd: a.windowEnd, sequence: a.sequence, plannedStart: a.plannedStart });
    byOperative.set(a.operativeId, list);
  }
  const routes = [...byOperative].map(([id, visits]) => ({ operative: { id, name: names.get(id) ?? 'An operative' }, visits }))
    .sort((a, b) => a.operative.name.localeCompare(b.operative.name));
  const byId = new Map(rows.map((a) => [a.id, a]));
  const notPlaced = (plan?.notPlaced ?? []).flatMap((n) => {
    const a = byId.get(n.appointmentId);
    // Only what is still booked and still without an operative: a job cancelled since is not the planner's worry.
    return a && a.status === 'booked' && !a.operativeId ? [{ appointmentId: a.id, jobReference: a.jobReference, label: a.label, href: a.href, slot: a.slot, reason: n.reason }] : [];
  });
  return { date, plan: plan ?? null, routes, notPlaced };
}

/** The London wall-clock time of an instant, hh:mm (for pages). */
export const londonTime = (at: Date): string => ukWallClock(at).time;
