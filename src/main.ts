// Wires config → store → services → HTTP, from the list of modules (src/modules/index.ts). Nothing else lives here.
import type { Config } from './config.ts';
import { openStore, inOneTransaction, withSearchIndexesDeferred, type Store } from './platform/db/store.ts';
import { startRelay } from './platform/events/relay.ts';
import { distribute, modulePlans, undistributedTables } from './platform/db/distribution.ts';
import { buildApp } from './app.ts';
import { sql } from 'drizzle-orm';
import { MODULES } from './modules/index.ts';
import { noOrganisations } from './modules/organisations/index.ts';
import { DEMO_PASSWORD, DEMO_USERS, generateDemo } from './modules/demo/index.ts';
import { assignDemoPatches } from './modules/patches/index.ts';
import { linkDemoOperative } from './modules/scheduling/index.ts';
import { raiseDemoWorkOrders } from './modules/repairs/index.ts';
import { openDemoAsbCases } from './modules/asb/index.ts';
import { seedHubDemo } from './modules/hub/index.ts';
import { listOrganisations } from './modules/organisations/index.ts';
import { hashPassword } from './platform/auth/passwords.ts';
import { authService } from './platform/auth/service.ts';
import { crashPoint } from './platform/crash-points.ts';

export { DEMO_PASSWORD, DEMO_USERS };

export const isEmpty = noOrganisations;

export interface Started {
  url: string;
  store: Store;
  close(): Promise<void>;
  demo?: { organisationId: string; homes: number; signIn: { email: string; password: string }; hub?: { publishers: number; homes: number } };
}

/** HEARTH_TRACE_START=1 prints how long each start-up phase took, since the process began. */
const trace = (phase: string) => {
  if (process.env.HEARTH_TRACE_START) console.error(`[start] ${phase.padEnd(22)} ${(performance.now() / 1000).toFixed(2)} s`);
};

export async function start(config: Config, options: { onDemoProgress?: (done: number, total: number) => void } = {}): Promise<Started> {
  trace('modules loaded');
  const store = await openStore(config);
  trace('database open');
  const { restoredIndexes } = await store.migrate();
  // On a database distributed over Citus (hearth migrate --distributed), a table a migration has just added is
  // distributed (or made a reference table) before the app serves it (docs/scaling.md).
  const plans = modulePlans(MODULES);
  if (store.kind === 'postgres' && (await undistributedTables(store, plans)).length) await distribute(store, plans);
  trace('migrated');
  const { app, jobs } = await buildApp(config, store);
  trace('app built');
  if (restoredIndexes.length) app.log.warn({ restoredIndexes }, 'indexes were missing or invalid and have been built again');
  let demo: Started['demo'];
  if (config.demoOnFirstStart && (await isEmpty(store))) {
    // scrypt runs on libuv's thread pool, so the demo accounts' hashes are made while the demo data loads.
    const hashes = Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD)));
    hashes.catch(() => undefined); // awaited below when the demo is loaded here; never an unhandled rejection when it is not
    // The whole demo — its rows, the search indexes dropped and built again around them, the staff accounts — in one
    // transaction: a start stopped part-way (even by kill -9) leaves the database empty, and the next loads it afresh.
    const summary = await inOneTransaction(store, async (one) => {
      // Two instances starting on one empty PostgreSQL: the second waits here, then finds the demo loaded.
      await one.system((tx) => tx.execute(sql`select pg_advisory_xact_lock(4712)`));
      if (!(await isEmpty(one))) return undefined;
      // The database is empty and not yet serving: build its search indexes once, after the load.
      const s = await withSearchIndexesDeferred(one, async () => {
        const loaded = await generateDemo(one, { homes: config.demoHomes, seed: 42, onProgress: options.onDemoProgress });
        crashPoint('demo-loaded');
        return loaded;
      });
      const auth = authService(one, { sessionMinutes: config.sessionMinutes });
      for (const [i, u] of DEMO_USERS.entries()) {
        await auth.addUser({ ...u, organisationId: s.organisationId, password: DEMO_PASSWORD, passwordHash: (await hashes)[i] });
      }
      // The demo's patch goes to its housing officer now that the account exists (in the same transaction).
      await assignDemoPatches(one);
      // And the demo's operative account is one of the demo's operatives, so "My jobs" has its jobs.
      await linkDemoOperative(one);
      // Then the repairs service in use: jobs done, late and booked for the next working day, with that day's plan.
      await raiseDemoWorkOrders(one, s.organisationId);
      // And the ASB service: cases at a block, one high risk with its alert, one at the case review threshold, one closed.
      await openDemoAsbCases(one, s.organisationId);
      return s;
    });
    trace('demo loaded');
    if (summary) demo = { organisationId: summary.organisationId, homes: summary.homes, signIn: { email: DEMO_USERS[0].email, password: DEMO_PASSWORD } };
  }
  const address = await app.listen({ host: config.host, port: config.port });
  trace('listening');
  // The hub's demo, now that the server's address is known: the demo landlord pushes to it and it federates a feed it serves.
  if (demo) {
    const org = (await listOrganisations(store)).find((o) => o.id === demo!.organisationId);
    const hub = await seedHubDemo(store, { hubUrl: address.replace('127.0.0.1', 'localhost'), landlord: org ? { organisationId: org.id, name: org.name, registration: org.registrationNumber, kind: org.kind } : undefined });
    trace('hub demo loaded');
    if (hub) demo.hub = hub;
  }
  // The background queue that runs imports, started once serving (its first start creates its tables); imports a
  // previous run left unfinished carry on from their checkpoint.
  jobs.start({ recover: true }).then(() => trace('jobs started'), (err: unknown) => app.log.error({ err }, 'the job queue did not start; imports wait until it does'));
  // The outbox relay: sequences the events every write appends, for subscribers, webhooks and the change feed.
  // With HEARTH_NATS_URL, every event is published to NATS JetStream too (loaded only then: the embedded start needs none of it).
  const nats = config.natsUrl ? (await import('./platform/events/nats.ts')).natsPublisher({ url: config.natsUrl, log: app.log }) : undefined;
  // The modules' subscribers (webhooks' fan-out), then NATS.
  const relay = startRelay(store, [...MODULES.flatMap((m) => m.subscribers ?? []), ...(nats ? [nats] : [])], app.log);
  // What the modules run while Hearth serves: the webhooks worker sends the deliveries the relay's 'webhooks'
  // subscriber queues (every 2 seconds; retries on their schedule).
  const workers = MODULES.flatMap((m) => (m.worker ? [m.worker({ store, config, log: app.log })] : []));
  return {
    url: address.replace('127.0.0.1', 'localhost'),
    store,
    demo,
    async close() {
      for (const w of workers) await w.stop();
      await relay.stop();
      await nats?.close();
      await app.close();
      await store.close();
    },
  };
}
