// The demo landlord's hazard reports (Awaab's Law): a handful in every state a compliance lead meets — due, due soon,
// overdue, dealt with in time, dealt with late, not confirmed, an emergency made safe overnight — made through the
// hazards service, so their events, references and damp and mould signs are the real ones.
import type { Ctx } from '../../platform/records/context.ts';
import { recordEvent, reportHazard } from '../hazards/index.ts';
import { homesWithDampSigns } from '../insight/index.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

interface Scenario {
  hazard: string;
  severity: 'emergency' | 'significant';
  /** Days before the as-of day that it was reported (at 10:00 UK time, give or take). */
  daysAgo: number;
  reportedBy: string;
  location: string;
  description: string;
  /** What happened, hours after the report. */
  events: { kind: string; afterHours: number; outcome?: string; note?: string }[];
}

const DAY = 24;
const SCENARIOS: Scenario[] = [
  { hazard: 'damp-and-mould', severity: 'significant', daysAgo: 2, reportedBy: 'Tenant, by phone', location: 'Back bedroom',
    description: 'Black mould spreading across the back bedroom ceiling and behind the wardrobe. Young child sleeps in that room.', events: [] },
  { hazard: 'damp-and-mould', severity: 'significant', daysAgo: 13, reportedBy: 'Housing officer, at a tenancy visit', location: 'Bathroom',
    description: 'Mould around the bath and on the ceiling; extractor fan not working. Tenant has asthma.', events: [] },
  { hazard: 'damp-and-mould', severity: 'significant', daysAgo: 30, reportedBy: 'Tenant, online form', location: 'Whole property',
    description: 'Condensation running down every window each morning, mould on the frames and curtains, musty smell throughout.', events: [] },
  { hazard: 'damp-and-mould', severity: 'significant', daysAgo: 45, reportedBy: 'Repairs operative', location: 'Kitchen',
    description: 'Damp patch spreading under the kitchen window, plaster blown and black spots on the wall.',
    events: [{ kind: 'investigated', afterHours: 5 * DAY, outcome: 'confirmed' }, { kind: 'summary-sent', afterHours: 7 * DAY },
      { kind: 'made-safe', afterHours: 8 * DAY }, { kind: 'further-works-started', afterHours: 11 * DAY }, { kind: 'closed', afterHours: 40 * DAY }] },
  { hazard: 'damp-and-mould', severity: 'significant', daysAgo: 90, reportedBy: 'Tenant, by email', location: 'Living room',
    description: 'Rain coming in around the living room window; mould growing on the reveal and the carpet is wet.',
    events: [{ kind: 'investigated', afterHours: 20 * DAY, outcome: 'confirmed' }, { kind: 'summary-sent', afterHours: 22 * DAY },
      { kind: 'made-safe', afterHours: 24 * DAY }, { kind: 'further-works-started', afterHours: 30 * DAY }, { kind: 'closed', afterHours: 60 * DAY }] },
  { hazard: 'electrical-hazards', severity: 'emergency', daysAgo: 10, reportedBy: 'Tenant, out-of-hours line', location: 'Kitchen',
    description: 'Water from the flat above coming through the kitchen light fitting; sparking.',
    events: [{ kind: 'investigated', afterHours: 3, outcome: 'confirmed' }, { kind: 'made-safe', afterHours: 6 }, { kind: 'closed', afterHours: 2 * DAY }] },
  { hazard: 'excess-cold', severity: 'significant', daysAgo: 20, reportedBy: 'Tenant, by phone', location: 'Front bedroom',
    description: 'Front bedroom very cold; radiator does not get warm.',
    events: [{ kind: 'investigated', afterHours: 4 * DAY, outcome: 'not-confirmed', note: 'Radiator bled and working; room reaches 20°C.' },
      { kind: 'summary-sent', afterHours: 5 * DAY }, { kind: 'closed', afterHours: 5 * DAY + 2 }] },
  { hazard: 'falling-on-stairs', severity: 'significant', daysAgo: 60, reportedBy: 'Housing officer', location: 'Stairs',
    description: 'Handrail on the stairs loose and coming away from the wall.',
    events: [{ kind: 'investigated', afterHours: 7 * DAY, outcome: 'confirmed' }, { kind: 'summary-sent', afterHours: 8 * DAY }] },
];

/** The scenarios on the landlord's homes with signs of damp (newest first), as of the morning of `asOf`. */
export async function demoHazardReports(ctx: Ctx, asOf: string, now = new Date()): Promise<number> {
  // The homes with the newest signs of damp, as the insight module has just worked them out.
  const homes = await homesWithDampSigns(ctx, SCENARIOS.length);
  const morning = Date.parse(`${asOf}T10:00:00Z`);
  const until = Math.min(now.getTime(), Date.parse(`${asOf}T23:59:59Z`));
  let made = 0;
  for (const [i, s] of SCENARIOS.entries()) {
    const homeId = homes[i];
    if (!homeId) break;
    const reportedAt = new Date(morning - s.daysAgo * DAY_MS + (i % 3) * 37 * 60_000);
    if (reportedAt.getTime() > until) continue;
    const row = await reportHazard(ctx, { homeId, hazard: s.hazard, severity: s.severity, reportedAt, reportedBy: s.reportedBy, location: s.location, description: s.description }, new Date(until));
    for (const e of s.events) {
      const occurredAt = new Date(reportedAt.getTime() + e.afterHours * HOUR_MS);
      if (occurredAt.getTime() > until) break;
      await recordEvent(ctx, row.id, { kind: e.kind, occurredAt, outcome: e.outcome ?? null, note: e.note ?? null }, new Date(until));
    }
    made++;
  }
  return made;
}
