// Issue 12, the NATS publisher (decision 0019): with HEARTH_NATS_URL set, the relay publishes every event as CloudEvents
// JSON to a JetStream stream (created when missing), subject hearth.<organisation>.<kind>.<created|updated>, the event
// id as Nats-Msg-Id, so a publish repeated after a crash is dropped as a duplicate; while NATS is down the events wait
// in the outbox, and nothing is dead-lettered. Against the local NATS server (JetStream on), 127.0.0.1:4222; each run
// has its own stream and subject prefix, so runs (PGlite, PostgreSQL, several at once) never meet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { sql } from 'drizzle-orm';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { harness, landlord, api, sample, type Harness } from '../support/harness.ts';
import { deadLetters, drain, settle } from '../../src/platform/events/relay.ts';
import { natsPublisher, type NatsPublisher } from '../../src/platform/events/nats.ts';

const NATS_URL = process.env.HEARTH_TEST_NATS_URL || 'nats://127.0.0.1:4222';
const run = `${process.pid}_${Date.now()}`;
const stream = `HEARTH_TEST_${run}`;
const prefix = `hearth_test_${run}`;

let h: Harness;
let nc: NatsConnection;
let jsm: JetStreamManager;
let pub: NatsPublisher;
before(async () => {
  h = await harness();
  nc = await connect({ servers: NATS_URL }).catch((err: Error) => {
    throw new Error(`NATS is not answering at ${NATS_URL} (${err.message}): start nats-server with JetStream (-js), as .ci/run does`);
  });
  jsm = await jetstreamManager(nc);
  pub = natsPublisher({ url: NATS_URL, stream, prefix });
});
after(async () => {
  await pub.close();
  await jsm.streams.delete(stream).catch(() => undefined);
  await nc.close();
  await h.close();
});

/** Every message in the stream on subjects matching `filter`, oldest first. */
async function messages(filter: string) {
  const consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: filter });
  const pending = (await consumer.info()).num_pending;
  const got: { subject: string; msgId: string | undefined; contentType: string | undefined; body: Record<string, unknown> }[] = [];
  if (!pending) return got;
  for await (const m of await consumer.fetch({ max_messages: pending, expires: 5000 })) {
    got.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), contentType: m.headers?.get('Content-Type'), body: m.json() });
    if (got.length === pending) break;
  }
  return got;
}

/**
 * Publish what has been written: every event committed so far sequenced first (on a PostgreSQL database shared with
 * other test files, another file's relay may hold the sequencer, and drain() does not wait for it), then delivered to
 * `subscribers` until they are caught up.
 */
async function publish(subscribers = [pub]) {
  await settle(h.store, []);
  await drain(h.store, subscribers);
}

type Row = { id: string; type: string; subject: string; position: number };
const eventsOf = async (org: string) => (await h.store.withOrg(org, (tx) => tx.execute(sql`select id, type, subject, position from events
  order by position`))).rows as Row[];
const natsPosition = async () => Number((await h.store.system((tx) => tx.execute(sql`select position from event_subscribers where name = 'nats'`))).rows[0]?.position ?? 0);

test('every event is published to a JetStream stream made when missing: subject, Nats-Msg-Id, CloudEvents body', async () => {
  await assert.rejects(jsm.streams.info(stream), 'no stream before the first publish');
  const l = await landlord(h);
  const made = await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home());
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const home = made.body.id as string;
  const changed = await api(h, 'PATCH', `/api/v1/homes/${home}`, { ...l.as['data-lead'], 'if-match': `"${made.body.version}"` }, { bedrooms: 3 });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  await publish();

  assert.deepEqual((await jsm.streams.info(stream)).config.subjects, [`${prefix}.>`]);
  const stored = await eventsOf(l.id);
  assert.equal(stored.length, 2);
  const got = await messages(`${prefix}.${l.id}.>`);
  assert.deepEqual(got.map((m) => [m.subject, m.msgId]), [
    [`${prefix}.${l.id}.home.created`, stored[0]!.id],
    [`${prefix}.${l.id}.home.updated`, stored[1]!.id],
  ]);
  assert.equal(got[0]!.contentType, 'application/cloudevents+json; charset=utf-8');
  const body = got[1]!.body;
  assert.equal(body.specversion, '1.0');
  assert.equal(body.id, stored[1]!.id);
  assert.equal(body.type, 'uk.hearth.home.updated');
  assert.equal(body.source, `/organisations/${l.id}`);
  assert.equal(body.subject, home);
  assert.equal(body.sequence, String(stored[1]!.position));
  assert.deepEqual(body.data, { fields: ['bedrooms'], changes: { bedrooms: [null, 3] } });
  assert.ok((await natsPosition()) >= stored[1]!.position, 'the relay moved on once JetStream acknowledged the batch');
});

test('the same events published again (a crash before the relay committed its position) are dropped as duplicates', async () => {
  const l = await landlord(h);
  for (let i = 0; i < 3; i++) assert.equal((await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home())).status, 201);
  await publish();
  const stored = await eventsOf(l.id);
  const before = (await messages(`${prefix}.${l.id}.>`)).map((m) => m.msgId);
  assert.deepEqual(before, stored.map((e) => e.id));
  // As after a crash between JetStream's acknowledgement and the relay's commit: the position is back before them.
  await h.store.system((tx) => tx.execute(sql`update event_subscribers set position = ${stored[0]!.position - 1} where name = 'nats'`));
  await publish();
  assert.ok((await natsPosition()) >= stored[2]!.position, 'published again');
  assert.deepEqual((await messages(`${prefix}.${l.id}.>`)).map((m) => m.msgId), before, 'each event once in the stream');
  const again = await jetstream(nc).publish(`${prefix}.${l.id}.home.created`, '{}', { msgID: stored[0]!.id });
  assert.equal(again.duplicate, true, 'JetStream knows the event id');
});

test("a sensitive kind's events (person alerts) are not published: they never leave Hearth", async () => {
  const l = await landlord(h);
  const person = await api(h, 'POST', '/api/v1/people', l.as['data-lead'], sample.person());
  assert.equal(person.status, 201, JSON.stringify(person.body));
  const alert = await api(h, 'POST', '/api/v1/alerts', l.as['housing-officer'], {
    personId: person.body.id, hactCode: '10', category: 'RISK', confidentiality: 'confidential', startDate: '2024-01-01', description: 'Dog in the property' });
  assert.equal(alert.status, 201, JSON.stringify(alert.body));
  await publish();
  assert.deepEqual((await eventsOf(l.id)).map((e) => e.type), ['uk.hearth.person.created', 'uk.hearth.person-alert.created']);
  assert.deepEqual((await messages(`${prefix}.${l.id}.>`)).map((m) => m.subject), [`${prefix}.${l.id}.person.created`]);
});

test('while NATS is down the events wait in the outbox (never dead-lettered), and are published when it answers', async () => {
  // A port nothing listens on.
  const port = await new Promise<number>((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); }); });
  const errors: string[] = [];
  const down = natsPublisher({ url: `nats://127.0.0.1:${port}`, stream, prefix, log: { error: (_o, msg) => errors.push(msg), info: () => undefined } });
  const l = await landlord(h);
  await publish(); // up to date before NATS goes away
  const from = await natsPosition();
  assert.equal((await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home())).status, 201, 'writes go on without NATS');
  await publish([down]);
  await publish([down]);
  await down.close();
  const [event] = await eventsOf(l.id);
  assert.equal(await natsPosition(), from, 'the relay stays before the event');
  assert.ok(event!.position > from);
  assert.equal((await h.store.withOrg(l.id, (tx) => deadLetters(tx, l.id))).length, 0, 'nothing dead-lettered');
  assert.equal(errors.length, 1, 'said once, not at every try');
  assert.match(errors[0]!, /wait in the outbox/);
  assert.deepEqual(await messages(`${prefix}.${l.id}.>`), []);
  await publish();
  assert.deepEqual((await messages(`${prefix}.${l.id}.>`)).map((m) => m.msgId), [event!.id]);
  assert.ok((await natsPosition()) >= event!.position);
});
