// Issue 12: the modules' subscribers run from the outbox. Damp and mould signals and record linkage follow the records
// written through the relay (docs/decisions/0020); a failing damp subscriber never fails the write: its event goes on
// the dead-letter list and can be replayed; events no reader needs are purged after 7 days, at most hourly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { drained } from '../support/events.ts';
import { deadLetters, purgeEvents, relayTicker, replay, sequence, settle, type Subscriber } from '../../src/platform/events/relay.ts';
import { installedSubscribers } from '../../src/platform/events/installed.ts';
import { dampSignalSubscriber } from '../../src/modules/insight/damp-signals.ts';
import { relinkAll } from '../../src/modules/linkage/service.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(() => h.close());

const signalsOf = async (l: Landlord) => (await h.store.withOrg(l.id, (tx) => tx.execute(sql`select source_kind, source_id, evidence from damp_mould_signals
  order by source_id`))).rows as { source_kind: string; source_id: string; evidence: string }[];
/** A subscriber of this test's own, starting from the events sequenced so far (not every event of the database). */
async function startAtTheEnd(name: string) {
  await sequence(h.store);
  await h.store.system((tx) => tx.execute(sql`insert into event_subscribers (name, position) select ${name}, coalesce(max(position), 0) from events`));
}
const forget = (name: string) => h.store.system((tx) => tx.execute(sql`delete from event_subscribers where name = ${name}`));

test('damp and mould signals follow repairs through the outbox: none until the relay runs, then one, and the same again when its events are handled twice', async () => {
  const l = await landlord(h);
  const home = (await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home())).body.id as string;
  const made = await api(h, 'POST', '/api/v1/repairs', l.as['data-lead'], { homeId: home, jobReference: 'J-1', description: 'Black mould on the bedroom ceiling.', reportedDate: '2025-01-10' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  // Not in the write's transaction: nothing yet (on PGlite only this file's process writes and drains; on a shared
  // PostgreSQL database another file's drain may already have handled it).
  if (!process.env.DATABASE_URL) assert.deepEqual(await signalsOf(l), []);
  await drained(h);
  const once = await signalsOf(l);
  assert.deepEqual(once.map((s) => [s.source_kind, s.source_id, s.evidence]), [['repair', made.body.id, 'Black mould on the bedroom ceiling.']]);
  // Idempotent: the same events handed over again (a retry, a replay) give the same signals.
  const events = (await h.store.withOrg(l.id, (tx) => tx.execute(sql`select organisation_id as "organisationId", id, type, entity_kind as "entityKind", subject,
    time, actor, correlation_id as "correlationId", data, position from events order by position`))).rows as never[];
  await h.store.system((tx) => dampSignalSubscriber.handle(tx, events));
  await h.store.system((tx) => dampSignalSubscriber.handle(tx, [...events, ...events]));
  assert.deepEqual(await signalsOf(l), once);
  // Edited to no longer show damp: the signal goes, once the relay has run.
  const changed = await api(h, 'PATCH', `/api/v1/repairs/${made.body.id}`, { ...l.as['data-lead'], 'if-match': made.headers.etag as string }, { description: 'Leak under the sink fixed.' });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  await drained(h);
  assert.deepEqual(await signalsOf(l), []);
});

test('a damp subscriber that throws never fails the write: the repair is committed, its event dead-lettered, and replayed once it works', async () => {
  const l = await landlord(h);
  const name = `damp-signals-broken-${randomUUID()}`;
  let broken = true;
  // The damp subscriber with a fault: its name is its own, so the real one (drained by other tests) is not disturbed.
  const sub: Subscriber = { ...dampSignalSubscriber, name, attempts: 2, handle: async (tx, batch) => {
    if (broken && batch.some((e) => e.organisationId === l.id)) throw new Error('damp signals are down');
    await dampSignalSubscriber.handle(tx, batch);
  } };
  await startAtTheEnd(name);
  try {
    const home = (await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home())).body.id as string;
    const made = await api(h, 'POST', '/api/v1/repairs', l.as['data-lead'], { homeId: home, jobReference: 'J-2', description: 'Condensation and mould in the kitchen.', reportedDate: '2025-02-01' });
    assert.equal(made.status, 201, 'the write succeeds whatever the subscriber does');
    await settle(h.store, [sub]);
    assert.equal((await api(h, 'GET', `/api/v1/repairs/${made.body.id}`, l.as.analyst)).status, 200, 'the repair is committed');
    const dead = (await h.store.withOrg(l.id, (tx) => deadLetters(tx, l.id))).filter((d) => d.subscriber === name);
    const [event] = (await h.store.withOrg(l.id, (tx) => tx.execute(sql`select id from events where subject = ${made.body.id}`))).rows as { id: string }[];
    assert.deepEqual(dead.map((d) => [d.eventId, d.error, d.attempts]), [[event!.id, 'damp signals are down', 2]]);

    broken = false;
    assert.deepEqual(await replay(h.store, [sub], l.id), { replayed: 1, failed: 0 });
    assert.deepEqual((await h.store.withOrg(l.id, (tx) => deadLetters(tx, l.id))).filter((d) => d.subscriber === name), [], 'resolved');
    assert.deepEqual((await signalsOf(l)).map((s) => [s.source_id, s.evidence]), [[made.body.id, 'Condensation and mould in the kitchen.']]);
  } finally {
    await forget(name);
  }
});

test('record linkage follows homes written through the API once linkage has run (before, only an import batch linked them)', async () => {
  const l = await landlord(h);
  const uprn = String(100000000000 + Math.floor(Math.random() * 1e9));
  const first = (await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home({ uprn }))).body.id as string;
  await drained(h);
  await relinkAll(h.store, l.id);
  const second = await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home({ uprn, subBuilding: 'Flat 12A' }));
  assert.equal(second.status, 201, JSON.stringify(second.body));
  await drained(h);
  const clusters = (await h.store.withOrg(l.id, (tx) => tx.execute(sql`select home_id, cluster_id from home_clusters`))).rows as { home_id: string; cluster_id: string }[];
  const clusterOf = new Map(clusters.map((c) => [c.home_id, c.cluster_id]));
  assert.ok(clusterOf.get(second.body.id), 'the new home is linked');
  assert.equal(clusterOf.get(second.body.id), clusterOf.get(first), 'with the home of the same UPRN');
});

test('retention: an event goes once every subscriber has passed it, it is more than 7 days old and a later event of its record exists', async () => {
  const l = await landlord(h);
  const headers = l.as['data-lead'];
  const home = async (extra: Record<string, unknown> = {}) => (await api(h, 'POST', '/api/v1/homes', headers, sample.home(extra))).body as { id: string; version: number };
  const edit = async (id: string, version: number, bedrooms: number) => {
    const r = await api(h, 'PATCH', `/api/v1/homes/${id}`, { ...headers, 'if-match': `"${version}"` }, { bedrooms });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as { version: number };
  };
  const a = await home();
  const a2 = await edit(a.id, a.version, 2);
  await edit(a.id, a2.version, 3); // a: created, updated, updated
  const b = await home(); // b: created only, its record's latest
  const c = await home();
  await edit(c.id, c.version, 4); // c: created, updated; c's created has an open dead letter
  const d = await home();
  await edit(d.id, d.version, 5); // d: created, updated, both recent
  await drained(h);
  const eventsOf = async () => (await h.store.withOrg(l.id, (tx) => tx.execute(sql`select id, subject, type, position from events order by position`))).rows
    .map((r) => ({ ...(r as { id: string; subject: string; type: string }), position: Number((r as { position: string }).position) }));
  const all = await eventsOf();
  const of = (id: string) => all.filter((e) => e.subject === id);
  // All but d's are older than the change feed's 7 days.
  const old = [...of(a.id), ...of(b.id), ...of(c.id)].map((e) => e.id);
  await h.store.system((tx) => tx.execute(sql`update events set sequenced_at = now() - interval '8 days', time = now() - interval '8 days'
    where organisation_id = ${l.id} and id = any(${sql.param(old)}::uuid[])`));
  await h.store.system((tx) => tx.execute(sql`insert into event_failures (organisation_id, event_id, subscriber, attempts, error)
    values (${l.id}, ${of(c.id)[0]!.id}, 'webhooks', 3, 'test: not yet replayed')`));
  // A subscriber still behind a's second event holds it (and everything after) back.
  const laggard = { name: `laggard-${randomUUID()}` };
  await h.store.system((tx) => tx.execute(sql`insert into event_subscribers (name, position) values (${laggard.name}, ${of(a.id)[1]!.position - 1})`));
  try {
    await purgeEvents(h.store, [...installedSubscribers(), laggard]);
    assert.deepEqual((await eventsOf()).map((e) => e.id), all.filter((e) => e.id !== of(a.id)[0]!.id).map((e) => e.id), 'only what every subscriber has passed');

    await purgeEvents(h.store, installedSubscribers());
    const left = new Set((await eventsOf()).map((e) => e.id));
    assert.deepEqual([...of(a.id)].map((e) => left.has(e.id)), [false, false, true], 'superseded events go; the record\'s latest stays (the change feed shows it)');
    assert.deepEqual(of(b.id).map((e) => left.has(e.id)), [true], 'a record\'s only event stays, however old');
    assert.deepEqual(of(c.id).map((e) => left.has(e.id)), [true, true], 'an event on an open dead-letter list stays (replay reads it)');
    assert.deepEqual(of(d.id).map((e) => left.has(e.id)), [true, true], 'events of the last 7 days stay');
  } finally {
    await forget(laggard.name);
    await h.store.system((tx) => tx.execute(sql`delete from event_failures where organisation_id = ${l.id}`));
  }
});

test('the relay purges at most once an hour', async () => {
  let now = Date.parse('2026-12-02T10:00:00Z');
  const tick = relayTicker(h.store, installedSubscribers(), { now: () => now });
  assert.equal(typeof (await tick()).purged, 'number', 'the first tick purges');
  now += 59 * 60_000;
  assert.equal((await tick()).purged, null, 'not again within the hour');
  now += 2 * 60_000;
  assert.equal(typeof (await tick()).purged, 'number', 'an hour on, it purges again');
});
