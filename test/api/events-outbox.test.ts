// Issue 12: every write of a record appends exactly one event to the outbox in the writer's transaction (API creates
// and updates, imports, records linked when their home arrives); the sequencer gives committed events gap-free
// positions; a subscriber gets every event once, in order, and one that throws never fails a write: its event goes on
// the dead-letter list after its retries and can be replayed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { deadLetters, deliver, drain, replay, sequence, type Subscriber } from '../../src/platform/events/relay.ts';
import { appendEvents, cloudEvent, type StoredEvent } from '../../src/platform/events/outbox.ts';

let h: Harness;
let dir: string;
before(async () => { h = await harness(); dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-events-')); });
after(async () => { await h.close(); fs.rmSync(dir, { recursive: true, force: true }); });

type Row = { type: string; subject: string; actor: string; correlation_id: string | null; data: Record<string, unknown>; position: number | null };
const eventsOf = async (org: string) => (await h.store.withOrg(org, (tx) => tx.execute(sql`select type, subject, actor, correlation_id, data, position
  from events order by time, id`))).rows as Row[];

test('API writes: one event per create and per update that changes something; values only for facts about places', async () => {
  const l = await landlord(h);
  const made = await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home());
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.id as string;
  const changed = await api(h, 'PATCH', `/api/v1/homes/${id}`, { ...l.as['data-lead'], 'if-match': `"${made.body.version}"` }, { bedrooms: 3 });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  // The same value again changes nothing, and makes no event.
  await api(h, 'PATCH', `/api/v1/homes/${id}`, { ...l.as['data-lead'], 'if-match': `"${changed.body.version}"` }, { bedrooms: 3 });
  const person = await api(h, 'POST', '/api/v1/people', l.as['data-lead'], { givenName: 'Ann', familyName: 'Lee', dateOfBirth: '1971-03-21' });
  await api(h, 'PATCH', `/api/v1/people/${person.body.id}`, { ...l.as['data-lead'], 'if-match': `"${person.body.version}"` }, { familyName: 'Lee-Smith' });
  const got = await eventsOf(l.id);
  assert.deepEqual(got.map((e) => [e.type, e.subject]), [['uk.hearth.home.created', id], ['uk.hearth.home.updated', id],
    ['uk.hearth.person.created', person.body.id], ['uk.hearth.person.updated', person.body.id]]);
  assert.deepEqual(got[1]!.data, { fields: ['bedrooms'], changes: { bedrooms: [null, 3] } });
  assert.deepEqual(got[3]!.data, { fields: ['familyName'] }, 'a person\'s name never leaves in an event');
  assert.match(got[0]!.actor, /^token:/);
});

test("a change of a tenancy's members alone is a change of the tenancy: audited, with its event", async () => {
  const l = await landlord(h);
  const home = await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home());
  const [ann, bob] = [await api(h, 'POST', '/api/v1/people', l.as['data-lead'], { givenName: 'Ann', familyName: 'Lee' }),
    await api(h, 'POST', '/api/v1/people', l.as['data-lead'], { givenName: 'Bob', familyName: 'Lee' })];
  const made = await api(h, 'POST', '/api/v1/tenancies', l.as['data-lead'], { reference: 'T-1', tenancyType: 'secure', tenure: 'social-rent',
    startDate: '2020-01-01', homeId: home.body.id, members: [{ personId: ann.body.id, role: 'lead' }] });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const members = [{ personId: ann.body.id, role: 'joint' }, { personId: bob.body.id, role: 'joint' }];
  const changed = await api(h, 'PATCH', `/api/v1/tenancies/${made.body.id}`, { ...l.as['data-lead'], 'if-match': `"${made.body.version}"` }, { members });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  // The same members again (in another order) change nothing, and make no event.
  const same = await api(h, 'PATCH', `/api/v1/tenancies/${made.body.id}`, { ...l.as['data-lead'], 'if-match': `"${changed.body.version}"` }, { members: [...members].reverse() });
  assert.equal(same.status, 200, JSON.stringify(same.body));
  const got = (await eventsOf(l.id)).filter((e) => e.type.startsWith('uk.hearth.tenancy.'));
  assert.deepEqual(got.map((e) => [e.type, e.subject, (e.data.fields as string[]).includes('members')]), [
    ['uk.hearth.tenancy.created', made.body.id, true], ['uk.hearth.tenancy.updated', made.body.id, true]]);
  assert.deepEqual(got[1]!.data, { fields: ['members'] }, 'who the members are never leaves in an event');
  const audited = (await h.store.withOrg(l.id, (tx) => tx.execute(sql`select detail from audit_events where entity_id = ${made.body.id} and action = 'update'
    order by at, id`))).rows as { detail: { fields?: string[] } }[];
  assert.deepEqual(audited[0]!.detail.fields, ['members']);
});

test('imports: one event per record created or changed, naming the import; a second run of the same rows makes none', async () => {
  const l = await landlord(h);
  const file = (name: string, text: string) => { const f = path.join(dir, name); fs.writeFileSync(f, text); return f; };
  const first = await ingestFile(h.store, { organisationId: l.id, file: file('h1.csv', 'Prop Ref,House No,Street,Town,Post Code,Beds\nP1,1,Hill Street,Leeds,LS6 2BB,2\nP2,2,Hill Street,Leeds,LS6 2BB,3\n'), sourceSystem: 'housing', kind: 'homes' });
  const second = await ingestFile(h.store, { organisationId: l.id, file: file('h2.csv', 'Prop Ref,House No,Street,Town,Post Code,Beds\nP2,2,Hill Street,Leeds,LS6 2BB,3\nP1,1,Hill Street,Leeds,LS6 2BB,4\n'), sourceSystem: 'housing', kind: 'homes' });
  const got = await eventsOf(l.id);
  assert.deepEqual(got.map((e) => e.type), ['uk.hearth.home.created', 'uk.hearth.home.created', 'uk.hearth.home.updated']);
  assert.equal(got[0]!.actor, `import:${first.importId}`);
  assert.equal(got[2]!.correlation_id, second.importId);
  assert.deepEqual(got[2]!.data, { importId: second.importId, fields: ['bedrooms'], changes: { bedrooms: ['2', '4'] } });
});

test('the sequencer gives committed events gap-free positions in commit order, and a subscriber sees each once, in order', async () => {
  const l = await landlord(h);
  const seen: StoredEvent[] = [];
  const name = `test-${l.id}`;
  const sub: Subscriber = { name, types: ['uk.hearth.home.'], handle: async (_tx, batch) => { seen.push(...batch.filter((e) => e.organisationId === l.id)); } };
  await drain(h.store, [sub]); // catch up with other tests' events
  seen.length = 0;
  for (let i = 0; i < 5; i++) await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home());
  await api(h, 'POST', '/api/v1/people', l.as['data-lead'], { givenName: 'Bo', familyName: 'Li' });
  await sequence(h.store);
  const positions = (await eventsOf(l.id)).map((e) => e.position!);
  assert.ok(positions.every((p) => p !== null));
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
  await drain(h.store, [sub]);
  assert.deepEqual(seen.map((e) => e.type), Array(5).fill('uk.hearth.home.created'), 'homes only, each once');
  assert.equal(await deliver(h.store, sub), 0, 'nothing twice');
  const ce = cloudEvent(seen[0]!);
  assert.equal(ce.specversion, '1.0');
  assert.equal(ce.source, `/organisations/${l.id}`);
  // Positions over all organisations have no gaps.
  const all = (await h.store.system((tx) => tx.execute(sql`select position from events where position is not null order by position`))).rows.map((r) => Number(r.position));
  assert.deepEqual(all, all.map((_, i) => i + 1));
});

test('per record, events are numbered in the order of the writes, even when the later writer began its transaction first', {
  skip: !process.env.DATABASE_URL && 'PGlite runs one transaction at a time',
}, async () => {
  const l = await landlord(h);
  const home = (await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home())).body.id as string;
  const lockHome = (tx: Parameters<Parameters<typeof h.store.withOrg>[1]>[0]) =>
    tx.execute(sql`select id from homes where organisation_id = ${l.id} and id = ${home} for update`);
  const write = (tx: Parameters<Parameters<typeof h.store.withOrg>[1]>[0], writer: string) =>
    appendEvents(tx, 'home', l.id, [{ id: home, created: false, data: { fields: ['bedrooms'], writer } }], { actor: 'system:test' });
  let aHasId!: () => void;
  let bHasLock!: () => void;
  const [aStarted, bLocked] = [new Promise<void>((r) => { aHasId = r; }), new Promise<void>((r) => { bHasLock = r; })];
  // A takes its transaction id first, then waits for the home that B has locked; B writes, then commits; then A.
  const a = h.store.withOrg(l.id, async (tx) => {
    await tx.execute(sql`select pg_current_xact_id()`);
    aHasId();
    await bLocked;
    await lockHome(tx);
    await write(tx, 'second');
  });
  await aStarted;
  await h.store.withOrg(l.id, async (tx) => {
    await tx.execute(sql`select pg_current_xact_id()`);
    await lockHome(tx);
    bHasLock();
    await new Promise((r) => setTimeout(r, 200)); // A is waiting for the lock now
    await write(tx, 'first');
  });
  await a;
  await sequence(h.store);
  const got = (await h.store.withOrg(l.id, (tx) => tx.execute(sql`select data->>'writer' as writer from events
    where subject = ${home} and type = 'uk.hearth.home.updated' order by position`))).rows.map((r) => r.writer);
  assert.deepEqual(got, ['first', 'second']);
});

test('a subscriber that throws never fails a write: its event is dead-lettered after retries, the rest go on, and it can be replayed', async () => {
  const l = await landlord(h);
  let broken = true;
  const handled: string[] = [];
  const name = `flaky-${l.id}`;
  // Like a real subscriber, its work takes effect only when the batch succeeds (a failed batch is tried again event by event).
  const sub: Subscriber = { name, types: ['uk.hearth.home.'], attempts: 2, handle: async (tx, batch) => {
    const done: string[] = [];
    for (const e of batch) {
      if (e.organisationId !== l.id) continue;
      const [home] = (await tx.execute(sql`select bedrooms from homes where id = ${e.subject}`)).rows as { bedrooms: number | null }[];
      if (broken && home?.bedrooms === 13) throw new Error('bedrooms 13 is unlucky');
      done.push(e.subject);
    }
    handled.push(...done);
  } };
  await drain(h.store, [sub]);
  handled.length = 0;
  const ids: string[] = [];
  for (const bedrooms of [1, 13, 2]) {
    const r = await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home({ bedrooms }));
    assert.equal(r.status, 201, 'the write succeeds whatever the subscriber does');
    ids.push(r.body.id);
  }
  await drain(h.store, [sub]);
  assert.deepEqual(handled, [ids[0], ids[2]]);
  const dead = await h.store.withOrg(l.id, (tx) => deadLetters(tx, l.id));
  assert.equal(dead.length, 1);
  assert.equal(dead[0]!.attempts, 2);
  assert.match(dead[0]!.error, /unlucky/);
  broken = false;
  assert.deepEqual(await replay(h.store, [sub], l.id), { replayed: 1, failed: 0 });
  assert.deepEqual(handled, [ids[0], ids[2], ids[1]]);
  assert.equal((await h.store.withOrg(l.id, (tx) => deadLetters(tx, l.id))).length, 0);
});
