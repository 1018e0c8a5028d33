// The demo landlord's operatives: twelve across the trades, Monday to Friday 08:00–17:00, each based at one of the
// first batch's homes in the landlord's main town (spread through the list, so across its estates). The demo's staff accounts are made after every
// module's rows (main.ts), so the operative who is the demo's operative account (Kai Brennan) is written without an
// account, under an id of its own, and linkDemoOperative gives it the account once it exists, as patches do.
import { and, eq, sql } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import type { DemoContribution, DemoRecord } from '../../platform/demo.ts';
import type { Store } from '../../platform/db/store.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { operatives, type WorkingPattern } from './schema.ts';
import { operativeRecords, type Trade } from './service.ts';

/** The demo's operative account (src/modules/demo/users.ts DEMO_USERS). */
export const DEMO_OPERATIVE_EMAIL = 'operative@demo.hearth.example';

const DEMO_OPERATIVES: readonly { name: string; trades: Trade[] }[] = [
  // Kai (the demo's operative account) is the damp and mould specialist, so the demo's damp jobs are his.
  { name: 'Kai Brennan', trades: ['damp-and-mould', 'plastering', 'general'] },
  { name: 'Nadia Hussain', trades: ['plumbing'] },
  { name: 'Tom Whitaker', trades: ['plumbing', 'heating'] },
  { name: 'Grace Adeyemi', trades: ['electrical'] },
  { name: 'Owen Price', trades: ['heating', 'electrical'] },
  { name: 'Lena Kowalski', trades: ['carpentry', 'glazing'] },
  { name: 'Marcus Bell', trades: ['carpentry', 'general'] },
  { name: 'Aisha Rahman', trades: ['plastering', 'general'] },
  { name: 'Declan Murphy', trades: ['roofing', 'general'] },
  { name: 'Sophie Clarke', trades: ['plastering', 'roofing'] },
  { name: 'Ravi Mistry', trades: ['glazing', 'carpentry'] },
  { name: 'Ellie Thompson', trades: ['drainage', 'plumbing', 'general'] },
];

const PATTERN: WorkingPattern = { days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00' };

/** A demo operative's id in an organisation: the same every time, so the start can find the one to link. */
export const demoOperativeId = (organisationId: string, n: number) => uuidv5(`demo-operative-${n}`, organisationId);

const given = new Set<string>();

export const schedulingDemo: DemoContribution = (world, copy) => {
  const homes = world.records('homes');
  if (!homes.length || given.has(world.organisationId)) return;
  given.add(world.organisationId);
  // The operatives work where most of the landlord's homes are (its main town), based at homes spread through them.
  const located = homes.filter((h) => typeof h.latitude === 'number' && typeof h.longitude === 'number');
  const towns = new Map<unknown, number>();
  for (const h of located) towns.set(h.town, (towns.get(h.town) ?? 0) + 1);
  const mainTown = [...towns].sort((a, b) => b[1] - a[1])[0]?.[0];
  const placed = located.filter((h) => h.town === mainTown);
  const rows: DemoRecord[] = DEMO_OPERATIVES.map((o, i) => {
    const base = placed.length ? placed[Math.floor(((i + 0.5) * placed.length) / DEMO_OPERATIVES.length)]! : null;
    return {
      organisationId: world.organisationId, id: demoOperativeId(world.organisationId, i), version: 1, name: o.name, userId: null,
      trades: JSON.stringify(o.trades), pattern: JSON.stringify(PATTERN),
      basePostcode: typeof base?.postcode === 'string' ? base.postcode : null,
      baseLatitude: base?.latitude ?? null, baseLongitude: base?.longitude ?? null,
    };
  });
  copy(operatives, rows, 'operative');
};

/**
 * Give the demo's operative account to its operative (Kai Brennan) in each organisation where that operative is as
 * the demo wrote it (version 1, no account) and the account is no one's yet. Idempotent; audited.
 */
export async function linkDemoOperative(store: Store, email = DEMO_OPERATIVE_EMAIL): Promise<number> {
  const accounts = await store.system(async (tx) => (await tx.execute(sql`
    select id, organisation_id from users where email = ${email} and role = 'operative' and disabled_at is null`))
    .rows as { id: string; organisation_id: string }[]);
  let linked = 0;
  for (const a of accounts) {
    linked += await store.withOrg(a.organisation_id, async (tx) => {
      const org = a.organisation_id;
      const [taken] = await tx.select({ id: operatives.id }).from(operatives).where(and(eq(operatives.organisationId, org), eq(operatives.userId, a.id)));
      if (taken) return 0;
      const id = demoOperativeId(org, 0);
      const [op] = await tx.select().from(operatives).where(and(eq(operatives.organisationId, org), eq(operatives.id, id)));
      if (!op || op.version !== 1 || op.userId) return 0;
      await operativeRecords.update({ actor: systemActor(org), tx }, id, 1, { userId: a.id });
      return 1;
    });
  }
  return linked;
}
