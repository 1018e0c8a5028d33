// npm run bench:webhooks — webhook deliveries per second to a local receiver (issue 12), on PostgreSQL.
//   One organisation, one endpoint for every home event, pointing at a node:http receiver on 127.0.0.1 (in this
//   process) that verifies each signature with the Standard Webhooks reference library and answers 204.
//   1. N homes written through the record service (12 writers, one home per transaction), then timed: the fan-out
//      (the relay's drain with the webhooks subscriber: sequencing and queueing the deliveries), and the worker's
//      send loop as a running server's tick does it (deliverDue with its defaults, batch after batch while full).
//   2. Commit to receipt: homes written at about 100 a second for 5 s while the relay and the worker run as in a
//      server (relay every 1 s, worker every 2 s); time from a home's commit to the receiver verifying its delivery.
//   BENCH_EVENTS=5000 (default)   DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE = '1'; // the receiver is on 127.0.0.1

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { withDatabase } from './database.ts';
import { openStore, type Store } from '../src/platform/db/store.ts';
import { createOrganisation } from '../src/modules/organisations/service.ts';
import { homeRecords } from '../src/modules/homes/service.ts';
import { systemActor } from '../src/platform/auth/actor.ts';
import { drain, startRelay } from '../src/platform/events/relay.ts';
import { createEndpoint } from '../src/modules/webhooks/service.ts';
import { checkDestination } from '../src/modules/webhooks/destination.ts';
import { webhookFanOut } from '../src/modules/webhooks/fan-out.ts';
import { deliverDue, startWebhookWorker } from '../src/modules/webhooks/worker.ts';
import '../src/modules/install-all.ts'; // the modules installed, as the app installs them

const events = Number(process.env.BENCH_EVENTS ?? 5000);
const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
const seconds = (t0: number) => (performance.now() - t0) / 1000;

/** The receiver: verifies each delivery's signature, notes when each home's event arrived, answers 204. */
async function receiver() {
  const state = { verified: 0, rejected: 0, received: new Map<string, number>(), wh: undefined as Webhook | undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const event = state.wh!.verify(body, req.headers as Record<string, string>) as { subject: string };
        state.verified++;
        if (!state.received.has(event.subject)) state.received.set(event.subject, performance.now());
        res.writeHead(204).end();
      } catch {
        state.rejected++;
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hearth-events`;
  const close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return { url, state, close };
}

/** Write homes with 12 writers, one home per transaction, each writer at most one home every `gapMs`; commit times by home. */
async function writeHomes(store: Store, organisationId: string, opts: { count?: number; untilMs?: number; gapMs?: number }, committed: Map<string, number>) {
  const actor = systemActor(organisationId, 'bench');
  let left = opts.count ?? Infinity;
  const until = opts.untilMs ?? Infinity;
  const writer = async (w: number) => {
    for (let i = 0; left > 0 && performance.now() < until; i++) {
      left--;
      const started = performance.now();
      const home = await store.withOrg(organisationId, (tx) => homeRecords.create({ actor, tx },
        { propertyType: 'house', buildingNumber: String(i + 1), street: `Webhook Street ${w}`, town: 'Leeds', postcode: 'LS6 1AA' }));
      committed.set(home.id, performance.now());
      const wait = (opts.gapMs ?? 0) - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };
  await Promise.all(Array.from({ length: 12 }, (_, w) => writer(w)));
}

const count = async (store: Store, status: string) => ((await store.system((tx) => tx.execute(sql`select count(*)::int as n from webhook_deliveries where status = ${status}`))).rows[0] as { n: number }).n;

console.log(`bench:webhooks on PostgreSQL, ${fmt(events)} homes`);
const rec = await receiver();
await withDatabase(serverUrl, async (url) => {
  const store = await openStore({ databaseUrl: url, dataDir: '' });
  await store.migrate();
  const org = await createOrganisation(store, { name: 'Bench landlord', kind: 'private-registered-provider' });
  const destination = await checkDestination(rec.url);
  const endpoint = await store.withOrg(org.id, (tx) => createEndpoint({ actor: systemActor(org.id, 'bench'), tx }, { url: destination, eventTypes: ['uk.hearth.home.'] }));
  rec.state.wh = new Webhook(endpoint.secret);

  // 1. Throughput.
  const committed = new Map<string, number>();
  let t0 = performance.now();
  await writeHomes(store, org.id, { count: events }, committed);
  console.log(`homes written               ${fmt(events / seconds(t0))} per second (${fmt(events)} in ${seconds(t0).toFixed(1)} s)`);
  t0 = performance.now();
  const sequenced = await drain(store, [webhookFanOut]);
  const fanOut = seconds(t0);
  const queued = await count(store, 'pending');
  console.log(`fan-out (relay drain)       ${fmt(sequenced / fanOut)} events/s: ${fmt(sequenced)} events, ${fmt(queued)} deliveries queued in ${fanOut.toFixed(2)} s`);
  t0 = performance.now();
  let sent = 0;
  let batches = 0;
  // As a server's worker tick does: another batch while the last one was full (batch 50, 10 sent at once).
  for (;;) {
    const done = await deliverDue(store);
    sent += done.length;
    batches++;
    if (done.length < 50) break;
  }
  const sending = seconds(t0);
  const delivered = await count(store, 'delivered');
  console.log(`delivery (worker)           ${fmt(delivered / sending)} deliveries/s: ${fmt(delivered)} of ${fmt(queued)} delivered in ${sending.toFixed(2)} s (${fmt(sent)} attempts, ${batches} batches)`);
  console.log(`receiver                    ${fmt(rec.state.verified)} verified, ${fmt(rec.state.rejected)} rejected`);
  console.log(`fan-out and delivery        ${fmt(delivered / (fanOut + sending))} deliveries/s end to end`);
  if (delivered !== events || rec.state.verified !== events || rec.state.rejected) throw new Error(`expected ${events} deliveries verified, got ${delivered} delivered and ${rec.state.verified} verified (${rec.state.rejected} rejected)`);

  // 2. Commit to receipt with the relay and the worker running as in a server.
  const live = new Map<string, number>();
  rec.state.received.clear();
  const log = { error: (obj: object, msg: string) => console.error(msg, obj) };
  const relay = startRelay(store, [webhookFanOut], log);
  const worker = startWebhookWorker(store, log);
  const liveSeconds = 5;
  await writeHomes(store, org.id, { untilMs: performance.now() + liveSeconds * 1000, gapMs: 120 }, live);
  const deadline = performance.now() + 30_000;
  while ([...live.keys()].some((id) => !rec.state.received.has(id)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await relay.stop();
  await worker.stop();
  const latencies = [...live].flatMap(([id, at]) => { const got = rec.state.received.get(id); return got === undefined ? [] : [got - at]; }).sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  console.log(`writes during the latency run ${fmt(live.size / liveSeconds)} per second (${fmt(live.size)} in ${liveSeconds} s), ${fmt(latencies.length)} received and verified`);
  console.log(`commit → receipt            p50 ${fmt(pct(50))} ms, p99 ${fmt(pct(99))} ms (relay every 1 s, worker every 2 s, as in a server)`);
  await store.close();
});
await rec.close();
