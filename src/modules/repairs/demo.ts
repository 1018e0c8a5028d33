// The demo landlord's repairs service in use: work orders raised through the repairs service (so each has its events,
// target and history like any other), some already done (RP02 has figures), some past their target, most booked for
// the next working day with the day's plan built, so the repairs planner, the operative and the insight dashboard all
// have something true to show on a first start. Run once, after the demo's accounts exist (main.ts), in the demo's
// transaction.
import type { Store } from '../../platform/db/store.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { ukDate } from '../../platform/uk-time.ts';
import { homeRecords, type Home } from '../homes/index.ts';
import { addWorkingDays } from '../hazards/index.ts';
import { buildPlan, listOperatives, type Operative } from '../scheduling/index.ts';
import { raiseWorkOrder, changeStatus, bookWorkOrder, workOrderAvailability } from './work-orders.ts';

interface DemoJob { sorCode: string; trade: string; priorityCode: string; minutes: number; description: string; location: string }

const JOBS: readonly DemoJob[] = [
  { sorCode: 'PLB001', trade: 'plumbing', priorityCode: 'urgent', minutes: 60, description: 'Leak under the kitchen sink, the cupboard floor is soaked', location: 'Kitchen' },
  { sorCode: 'DMP001', trade: 'damp-and-mould', priorityCode: 'awaab-significant', minutes: 90, description: 'Black mould on the bedroom ceiling above the window, it keeps coming back', location: 'Bedroom' },
  { sorCode: 'ELE003', trade: 'electrical', priorityCode: 'urgent', minutes: 45, description: 'Bathroom extractor fan stopped working', location: 'Bathroom' },
  { sorCode: 'CRP010', trade: 'carpentry', priorityCode: 'urgent', minutes: 60, description: 'Back door will not lock properly', location: 'Kitchen' },
  { sorCode: 'PLB003', trade: 'plumbing', priorityCode: 'routine', minutes: 30, description: 'Bath tap dripping all the time', location: 'Bathroom' },
  { sorCode: 'DRN004', trade: 'drainage', priorityCode: 'urgent', minutes: 45, description: 'Shower tray drains very slowly', location: 'Bathroom' },
  { sorCode: 'GLZ001', trade: 'glazing', priorityCode: 'urgent', minutes: 60, description: 'Cracked pane in the living room window', location: 'Living room' },
  { sorCode: 'CRP001', trade: 'carpentry', priorityCode: 'routine', minutes: 45, description: 'Kitchen cupboard door hanging off its hinge', location: 'Kitchen' },
  { sorCode: 'DMP003', trade: 'damp-and-mould', priorityCode: 'awaab-significant', minutes: 60, description: 'Condensation running down the windows every morning and mould on the sills', location: 'Bedroom' },
  { sorCode: 'ELE002', trade: 'electrical', priorityCode: 'routine', minutes: 45, description: 'Hallway light not working, bulb already changed', location: 'Hallway' },
  { sorCode: 'PLB015', trade: 'plumbing', priorityCode: 'urgent', minutes: 60, description: 'Electric shower not heating', location: 'Bathroom' },
  { sorCode: 'CRP012', trade: 'carpentry', priorityCode: 'routine', minutes: 90, description: 'Draughty bedroom window frame, wood is soft at the bottom', location: 'Bedroom' },
];

/** Straight-line km between a home and an operative's base (enough to keep the demo's jobs near its operatives). */
function kmBetween(h: Home, o: Operative): number {
  const rad = Math.PI / 180;
  const dLat = (Number(o.baseLatitude) - Number(h.latitude)) * rad;
  const dLon = (Number(o.baseLongitude) - Number(h.longitude)) * rad * Math.cos(Number(h.latitude) * rad);
  return 6371 * Math.hypot(dLat, dLon);
}

/** The next working day (England and Wales) after a UK date. */
const nextWorkingDay = (date: string) => addWorkingDays(date, 1);

/**
 * Raise the demo's work orders for the organisation: 4 done last month (within or past target), 3 past their target,
 * the rest booked for the next working day with that day's plan built. Returns how many were raised.
 */
export async function raiseDemoWorkOrders(store: Store, organisationId: string, now = new Date()): Promise<number> {
  return store.withOrg(organisationId, async (tx) => {
    const ctx: Ctx = { actor: systemActor(organisationId, 'Demo repairs planner'), tx };
    const homes = (await homeRecords.list(ctx, { limit: 1000 })).items.filter((h: Home) => h.latitude !== null && h.longitude !== null);
    const operatives = await listOperatives(ctx);
    if (homes.length < JOBS.length * 2 || !operatives.length) return 0;
    const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000);
    // Each job at a home near an operative of its trade (the demo landlord's homes are in more than one town).
    const used = new Set<string>();
    const homeFor = (i: number, trade: string): Home => {
      const skilled = operatives.filter((o: Operative) => o.trades.includes(trade) && o.baseLatitude !== null && o.baseLongitude !== null);
      const near = (h: Home) => Math.min(...skilled.map((o) => kmBetween(h, o)));
      const free = homes.filter((h) => !used.has(h.id));
      const close = skilled.length ? free.filter((h) => near(h) < 6) : free;
      const home = close.length ? close[(i * 7) % close.length]! : free.sort((a, b) => near(a) - near(b))[0]!;
      used.add(home.id);
      return home;
    };
    const raise = (i: number, at: Date) => {
      const job = JOBS[i % JOBS.length]!;
      return raiseWorkOrder(ctx, { homeId: homeFor(i, job.trade).id, ...job }, at);
    };
    let n = 0;
    // Done: raised 30–40 days ago; three within the target, one late.
    for (let i = 0; i < 4; i++) {
      const raised = day(-40 + i * 3);
      const wo = await raise(i, raised);
      const done = day(i === 3 ? -5 : -36 + i * 3);
      // Done by a contractor and recorded by the office (scheduled, then complete with what was done).
      const scheduled = await changeStatus(ctx, wo.id, wo.version, 'scheduled', {}, new Date(raised.getTime() + 3_600_000));
      await changeStatus(ctx, wo.id, scheduled.version, 'complete', { workDone: 'Repaired and tested; the resident is happy with the work' }, done);
      n++;
    }
    // Past their target and not yet booked: raised 45 days ago.
    for (let i = 4; i < 7; i++) { await raise(i, day(-45)); n++; }
    // Raised today and booked for the next working day (as many as the operatives have room for), then planned.
    const date = nextWorkingDay(ukDate(now));
    for (let i = 7; i < 7 + 18; i++) {
      const wo = await raise(i, now);
      n++;
      const offered = (await workOrderAvailability(ctx, wo.id, now)).filter((s) => s.date === date);
      const slot = offered[i % Math.max(offered.length, 1)];
      if (slot) await bookWorkOrder(ctx, wo.id, { date: slot.date, slot: slot.slot }, now);
    }
    await buildPlan(ctx, date, { timeLimitMs: 300 });
    return n;
  });
}
