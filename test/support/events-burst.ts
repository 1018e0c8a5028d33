// For test/cli/events-crash.test.ts: a burst of writes with the relay running, in a process of its own to be killed
// (kill -9) part-way. Run as `node test/support/events-burst.ts <organisation id>` with HEARTH_DATA_DIR or DATABASE_URL
// set; prints "wrote N" after each committed write. `counting` is the subscriber the test checks: it records each event
// it handles in a table, counting how many times, in the subscriber's own transaction.
import { sql } from 'drizzle-orm';
import { openStore, type Store } from '../../src/platform/db/store.ts';
import { homeRecords } from '../../src/modules/homes/service.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { deliver, sequence, type Subscriber } from '../../src/platform/events/relay.ts';
import '../../src/modules/install-all.ts'; // the modules installed, as the app installs them

export const counting: Subscriber = {
  name: 'crash-test-counter',
  types: ['uk.hearth.'],
  handle: async (tx, batch) => {
    for (const e of batch) {
      await tx.execute(sql`insert into crash_test_processed (event_id, times) values (${e.id}, 1)
        on conflict (event_id) do update set times = crash_test_processed.times + 1`);
    }
  },
};

export async function prepare(store: Store): Promise<void> {
  await store.exec('create table if not exists crash_test_processed (event_id uuid primary key, times integer not null)');
}

export const storeFromEnv = () => openStore({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.HEARTH_DATA_DIR! });

if (import.meta.main) {
  const organisationId = process.argv[2]!;
  const store = await storeFromEnv();
  const actor = systemActor(organisationId, 'burst');
  for (let i = 1; ; i++) {
    await store.withOrg(organisationId, (tx) => homeRecords.create({ actor, tx }, { propertyType: 'flat', subBuilding: `Flat ${i}`, buildingNumber: '1',
      street: 'Burst Street', town: 'Leeds', postcode: 'LS6 1AA' }));
    process.stdout.write(`wrote ${i}\n`);
    if (i % 7 === 0) { await sequence(store); await deliver(store, counting, 5); }
  }
}
