// The demo landlord's patch: its first two estates, for the demo's housing officer. The demo's staff accounts are made
// after every module has written its rows (main.ts: the accounts come last, in the same transaction), so the demo
// writes the patch unassigned, under an id of its own (derived from the organisation's), and main.ts gives it to the
// demo's housing officer once the accounts exist, in that transaction (assignDemoPatches).
import { and, eq, sql } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import type { DemoContribution } from '../../platform/demo.ts';
import type { Store } from '../../platform/db/store.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { patches, patchEstates } from './schema.ts';
import { patchRecords } from './service.ts';

/** The demo's housing officer (src/modules/demo/users.ts: DEMO_USERS; a test checks they agree). */
export const DEMO_OFFICER_EMAIL = 'officer@demo.hearth.example';

/** The demo patch's id in an organisation: the same every time, so the start can find it and nothing else. */
export const demoPatchId = (organisationId: string) => uuidv5('demo-patch', organisationId);

const given = new Set<string>();

/** The patch: the first two estates of the first batch that has estates, unassigned. */
export const patchesDemo: DemoContribution = (world, copy) => {
  const estates = world.records('estates').slice(0, 2);
  if (!estates.length || given.has(world.organisationId)) return;
  given.add(world.organisationId);
  const id = demoPatchId(world.organisationId);
  const name = estates.map((e) => String(e.name)).join(' and ');
  copy(patches, [{ organisationId: world.organisationId, id, version: 1, name, officerUserId: null }], 'patch');
  copy(patchEstates, estates.map((e) => ({ organisationId: world.organisationId, patchId: id, estateId: e.id ?? null })));
};

/**
 * Give each demo patch no administrator has touched (still version 1, unassigned) to the demo's housing officer of its
 * organisation, if they have no patch: so the officer's home page starts with "my patch". Idempotent; audited.
 */
export async function assignDemoPatches(store: Store, email = DEMO_OFFICER_EMAIL): Promise<number> {
  const officers = await store.system(async (tx) => (await tx.execute(sql`
    select id, organisation_id from users where email = ${email} and role = 'housing-officer' and disabled_at is null`))
    .rows as { id: string; organisation_id: string }[]);
  let assigned = 0;
  for (const o of officers) {
    assigned += await store.withOrg(o.organisation_id, async (tx) => {
      const org = o.organisation_id;
      const [has] = await tx.select({ id: patches.id }).from(patches).where(and(eq(patches.organisationId, org), eq(patches.officerUserId, o.id)));
      if (has) return 0;
      const id = demoPatchId(org);
      const [patch] = await tx.select().from(patches).where(and(eq(patches.organisationId, org), eq(patches.id, id)));
      if (!patch || patch.version !== 1 || patch.officerUserId) return 0;
      // Through the record service, as an administrator's change would be: version, audit, event.
      await patchRecords.update({ actor: systemActor(org), tx }, id, 1, { officerUserId: o.id });
      return 1;
    });
  }
  return assigned;
}
