// Wires config → store → services → HTTP. Nothing else lives here.
import type { Config } from './config.ts';
import { openStore, inOneTransaction, withSearchIndexesDeferred, type Store } from './platform/db/store.ts';
import { startRelay } from './platform/events/relay.ts';
import { buildApp } from './app.ts';
import { sql } from 'drizzle-orm';
import { organisations } from './modules/organisations/schema.ts';
import { hashPassword } from './platform/auth/passwords.ts';
import { authService } from './platform/auth/service.ts';
import { crashPoint } from './platform/crash-points.ts';

export const DEMO_PASSWORD = 'hearth-demo-password';
export const DEMO_USERS = [
  { email: 'officer@demo.hearth.example', name: 'Sam Okafor', role: 'housing-officer' },
  { email: 'admin@demo.hearth.example', name: 'Alex Morgan', role: 'administrator' },
  { email: 'asb@demo.hearth.example', name: 'Priya Patel', role: 'asb-officer' },
  { email: 'repairs@demo.hearth.example', name: 'Jamie Evans', role: 'repairs-planner' },
  { email: 'compliance@demo.hearth.example', name: 'Dana Whitfield', role: 'compliance-lead' },
  { email: 'data@demo.hearth.example', name: 'Chris Nowak', role: 'data-lead' },
  { email: 'analyst@demo.hearth.example', name: 'Robin Shah', role: 'analyst' },
] as const;

export async function isEmpty(store: Store): Promise<boolean> {
  const [row] = await store.system((tx) => tx.select({ n: sql<number>`count(*)::int` }).from(organisations));
  return (row?.n ?? 0) === 0;
}

export interface Started {
  url: string;
  store: Store;
  close(): Promise<void>;
  demo?: { organisationId: string; homes: number; signIn: { email: string; password: string } };
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
  trace('migrated');
  const { app, jobs } = await buildApp(config, store);
  trace('app built');
  if (restoredIndexes.length) app.log.warn({ restoredIndexes }, 'indexes were missing or invalid and have been built again');
  let demo: Started['demo'];
  if (config.demoOnFirstStart && (await isEmpty(store))) {
    const { generateDemo } = await import('./modules/demo/generate.ts');
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
      return s;
    });
    trace('demo loaded');
    if (summary) demo = { organisationId: summary.organisationId, homes: summary.homes, signIn: { email: DEMO_USERS[0].email, password: DEMO_PASSWORD } };
  }
  const address = await app.listen({ host: config.host, port: config.port });
  trace('listening');
  // The background queue that runs imports, started once serving (its first start creates its tables); imports a
  // previous run left unfinished carry on from their checkpoint.
  jobs.start({ recover: true }).then(() => trace('jobs started'), (err: unknown) => app.log.error({ err }, 'the job queue did not start; imports wait until it does'));
  // The outbox relay: sequences the events every write appends, for subscribers, webhooks and the change feed.
  const relay = startRelay(store, [], app.log);
  return {
    url: address.replace('127.0.0.1', 'localhost'),
    store,
    demo,
    async close() {
      await relay.stop();
      await app.close();
      await store.close();
    },
  };
}
