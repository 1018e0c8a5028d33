// Issue 16, publishing from Hearth: a landlord's Hearth builds the standard's records from what it holds and keeps a
// hub up to date. THE test the issue asks for: with people, tenancies, alerts, ASB cases and hazard reports in Hearth,
// no personal value appears anywhere in the records built, every key is one the standard names, and every record
// passes the standard's validator. Then: the settings pages are administrators' only and CSRF-protected, the secret
// is never shown back; a push reaches a real HTTP receiver on 127.0.0.1 that checks the Standard Webhooks signature;
// an edit sends the changed home, a home removed sends its deletion; a failed push moves nothing on.
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { staffSession } from '../support/staff.ts';
import { drain } from '../../src/platform/events/relay.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import { standardJsonSchema } from '../../src/modules/hub/standard/schema.ts';
import { personalMatch } from '../../src/modules/hub/standard/personal.ts';
import { validateRecords } from '../../src/modules/hub/standard/validate.ts';
import { buildHomeRecords, buildMeasuresRecords, tsmYearOf } from '../../src/modules/hub/publishing/build.ts';
import { savePublishing } from '../../src/modules/hub/publishing/settings.ts';
import { publishDue, publishingSubscriber } from '../../src/modules/hub/publishing/push.ts';
import { ukDate } from '../../src/platform/uk-time.ts';
import { openCase } from '../../src/modules/asb/service.ts';

let h: Harness;
let l: Landlord;
const unique = `${process.pid}${Date.now() % 100000}`;
let registrationCounter = 0;
/** A registration number no other test file uses (two letters and four digits). */
const registration = () => `HP${String((process.pid * 7 + ++registrationCounter) % 10000).padStart(4, '0')}`;

before(async () => {
  h = await harness();
  l = await landlord(h);
});
after(() => h.close());

const admin = () => l.as.administrator;
async function created(path: string, body: unknown, who = admin()): Promise<string> {
  const r = await api(h, 'POST', `/api/v1/${path}`, who, body);
  assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}
const system = <T>(who: Landlord, work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(who.id, (tx) => work({ actor: systemActor(who.id, 'test'), tx }));

/** The personal values this landlord holds: none may appear in anything published. */
const PERSONAL = {
  givenName: `Zephyrine${unique}`, familyName: `Quillfeather${unique}`, dateOfBirth: '1963-07-19', phone: '+447700900987', email: `zq${unique}@example.org`,
  alert: `Uses a wheelchair; fearful of visitors ${unique}`, asbSummary: `Threats shouted through the letterbox ${unique}`,
  asbIncident: `Neighbour kicked the door at 2am ${unique}`, asbParty: `Barnaby Crumpet ${unique}`, hazardText: `Black mould behind the cot ${unique}`,
  tenancyReference: `TEN-${unique}`,
};

interface World { estate: string; block: string; homes: string[] }
let world: World;

async function makeWorld(who: Landlord): Promise<World> {
  const estate = await created('estates', { name: `Moor Estate ${unique}`, localAuthority: 'E08000035' }, who.as.administrator);
  const block = await created('blocks', sample.block({ reference: `BLK-${unique}`, estateId: estate, storeys: 11, heightMetres: 31.5, residentialUnits: 66, yearBuilt: 1968 }), who.as.administrator);
  const homes: string[] = [];
  for (let i = 1; i <= 4; i++) {
    homes.push(await created('homes', sample.home({ reference: `HM-${unique}-${i}`, subBuilding: `Flat ${i}`, blockId: block, estateId: estate, bedrooms: 2 }), who.as.administrator));
  }
  // A home with no reference: reported, never sent.
  homes.push(await created('homes', sample.home({ subBuilding: 'Flat 99', estateId: estate }), who.as.administrator));
  const person = await created('people', sample.person({
    givenName: PERSONAL.givenName, familyName: PERSONAL.familyName, dateOfBirth: PERSONAL.dateOfBirth,
    contactPoints: [{ system: 'phone', value: PERSONAL.phone, use: 'mobile' }, { system: 'email', value: PERSONAL.email }],
  }), who.as.administrator);
  await created('tenancies', { reference: PERSONAL.tenancyReference, tenancyType: 'secure', tenure: 'affordable-rent', startDate: '2020-01-01', homeId: homes[0], members: [{ personId: person, role: 'lead' }] }, who.as.administrator);
  await created('tenancies', { reference: `${PERSONAL.tenancyReference}-2`, tenancyType: 'secure', tenure: 'supported-housing', startDate: '2021-01-01', homeId: homes[1], members: [{ personId: person, role: 'lead' }] }, who.as.administrator);
  await created('alerts', { personId: person, hactCode: '10', category: 'RISK', confidentiality: 'confidential', startDate: '2024-01-01', description: PERSONAL.alert }, who.as.administrator);
  await created(`homes/${homes[0]}/hazard-reports`, {
    hazard: 'damp-and-mould', severity: 'significant', description: PERSONAL.hazardText, reportedBy: `${PERSONAL.givenName}, by phone`, reportedAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
  }, who.as['compliance-lead']);
  const now = new Date();
  await h.store.withOrg(who.id, (tx) => openCase({ actor: { kind: 'user', id: crypto.randomUUID(), name: 'ASB officer', organisationId: who.id, role: 'asb-officer' }, tx }, {
    summary: PERSONAL.asbSummary, categories: ['hate-incident'], protectedCharacteristics: ['race'],
    parties: [{ role: 'complainant', kind: 'unknown', name: PERSONAL.asbParty }], places: [{ homeId: homes[2]! }],
    incident: { occurredOn: ukDate(now), description: PERSONAL.asbIncident, reportedByPartyIndex: 0 },
  }, now));
  return { estate, block, homes };
}

/** Every key anywhere in a record, with its path, and the schema it is checked against. */
function keysOf(value: unknown, path = ''): { path: string; key: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keysOf(v, `${path}/${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [{ path: `${path}/${k}`, key: k }, ...keysOf(v, `${path}/${k}`)]);
  return [];
}

/** The properties the standard names for a record of `type`, at each object path (walked from the published JSON Schema). */
function namedProperties(type: string): Map<string, Set<string>> {
  const defs = (standardJsonSchema().$defs as Record<string, Record<string, unknown>>)[type]!;
  const out = new Map<string, Set<string>>();
  const walk = (s: Record<string, unknown>, at: string) => {
    const props = s.properties as Record<string, Record<string, unknown>> | undefined;
    if (!props) return;
    assert.equal(s.additionalProperties, false, `the standard's ${type}${at || ' record'} is closed`);
    out.set(at, new Set(Object.keys(props)));
    for (const [k, sub] of Object.entries(props)) walk(sub, `${at}/${k}`);
  };
  walk(defs, '');
  return out;
}

test('no personal field can be published: every record passes the standard, names only its fields, and carries no personal value', async () => {
  world = await makeWorld(l);
  const now = new Date();
  const built = await system(l, (ctx) => buildHomeRecords(ctx, { now }));
  const measures = await system(l, (ctx) => buildMeasuresRecords(ctx, tsmYearOf(ukDate(now)), { publisher: 'L1234', now }));
  const records = [...built.homes.map((b) => b.record), ...measures.records];
  assert.equal(built.homes.length, 4, JSON.stringify(built.problems));
  assert.equal(measures.records.length, 1, JSON.stringify(measures.problems));

  // 1. Every record passes the standard's own validator.
  const checked = validateRecords(records);
  assert.deepEqual(checked.errors, []);
  assert.equal(checked.valid.length, records.length);

  // 2. No personal value anywhere in what would be sent.
  const json = JSON.stringify(records);
  for (const [what, value] of Object.entries(PERSONAL)) {
    assert.ok(!json.includes(value), `${what} (${value}) must not be published`);
    assert.ok(!json.toLowerCase().includes(value.toLowerCase().slice(0, 12)), `no part of ${what} is published`);
  }
  for (const digits of [PERSONAL.phone.replace(/\D/g, ''), PERSONAL.dateOfBirth.replaceAll('-', '')]) assert.ok(!json.replace(/\D/g, ' ').includes(digits));

  // 3. Every key is one the standard names, where it names it; none looks personal.
  for (const r of records) {
    const named = namedProperties(r.type);
    for (const { path, key } of keysOf(r)) {
      const parent = path.slice(0, path.lastIndexOf('/'));
      assert.ok(named.get(parent)?.has(key), `${r.type}${path}: the standard names no such property`);
      assert.equal(personalMatch(key), null, `${r.type}${path} looks personal`);
    }
  }

  // What was built, field by field from Hearth's facts.
  const first = built.homes.find((b) => b.homeId === world.homes[0])!.record;
  assert.deepEqual(first, {
    type: 'home', landlordReference: `HM-${unique}-1`, localAuthority: 'E08000035', rentType: 'affordable-rent', uprn: first.uprn,
    propertyType: 'flat', bedrooms: 2, buildYear: 1968,
    block: { blockReference: `BLK-${unique}`, storeys: 11, heightMetres: 31.5, residentialUnits: 66, higherRisk: true },
  });
  const second = built.homes.find((b) => b.homeId === world.homes[1])!.record;
  assert.equal(second.rentType, 'social-rent');
  assert.equal(second.needsType, 'supported-housing');
  assert.equal(built.homes.find((b) => b.homeId === world.homes[3])!.record.rentType, 'other', 'a home never let is "other"');
  assert.deepEqual(built.problems.map((p) => [p.homeId, p.field]), [[world.homes[4], '/landlordReference']]);
  const m = measures.records[0]!;
  assert.equal(m.dampAndMould?.openCases, 1);
  assert.equal(m.nm01_1?.numerator, 1);
  assert.equal(m.nm01_2?.numerator, 1, 'the hate-incident case');
});

interface Received { headers: http.IncomingHttpHeaders; body: string; batch: { publisher: string; records: { type: string; landlordReference?: string }[] } }

/** A hub on 127.0.0.1: verifies the signature with the Standard Webhooks library, answers a receipt, or `fail` with 503. */
async function receiver(t: TestContext, secret: string) {
  const received: Received[] = [];
  const state = { fail: false, badSignatures: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (state.fail) { res.writeHead(503, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ title: 'Service unavailable', detail: 'down for maintenance' })); return; }
      try {
        new Webhook(secret).verify(body, { 'webhook-id': String(req.headers['webhook-id']), 'webhook-timestamp': String(req.headers['webhook-timestamp']), 'webhook-signature': String(req.headers['webhook-signature']) });
      } catch {
        state.badSignatures++;
        res.writeHead(401).end('{}');
        return;
      }
      const batch = JSON.parse(body) as Received['batch'];
      received.push({ headers: req.headers, body, batch });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        id: req.headers['webhook-id'], records: batch.records.length, accepted: batch.records.length, rejected: 0, errors: [], replayed: false,
      }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, state };
}

const SECRET = `whsec_${Buffer.from('a test secret of thirty-two byte').toString('base64')}`;

test('the settings are administrators\' only, every form is CSRF-protected, the secret is never shown, and the preview shows what would be sent', async () => {
  const officer = await staffSession(h, l.id, 'housing-officer', 'Olive Officer', `officer.${unique}@example.org`);
  assert.equal((await officer.get('/hub-publishing')).statusCode, 403);
  assert.equal((await officer.get('/hub-publishing/preview')).statusCode, 403);
  assert.equal((await officer.post('/hub-publishing', { enabled: 'no', version: '0' })).statusCode, 403);

  const administrator = await staffSession(h, l.id, 'administrator', 'Ada Admin', `admin.${unique}@example.org`);
  const home = await administrator.get('/');
  assert.match(home.body, /href="\/hub-publishing"/, 'listed under Manage on the home page');
  const page = await administrator.get('/hub-publishing');
  assert.equal(page.statusCode, 200);
  assert.equal([...page.body.matchAll(/name="_csrf"/g)].length, [...page.body.matchAll(/<form method="post"/g)].length, 'every form carries the token');
  // Without the token: refused, nothing saved.
  const forged = await h.app.inject({ method: 'POST', url: '/hub-publishing', headers: { cookie: `hearth_session=${(await h.auth.signIn(`admin.${unique}@example.org`, 'a long test password 1'))!.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ enabled: 'yes', version: '0' }).toString() });
  assert.equal(forged.statusCode, 403);

  // Turning it on without a hub: the field is named.
  const missing = await administrator.post('/hub-publishing', { enabled: 'yes', publish: 'homes', version: '0' });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.body, /href="#hubUrl"/);

  const saved = await administrator.post('/hub-publishing', {
    enabled: 'no', publish: 'homes', hubUrl: 'https://hub.example.org', publisher: 'l1234', keyId: 'hk_test', secret: SECRET, defaultLocalAuthority: '', version: '0',
  });
  assert.equal(saved.statusCode, 303, saved.body);
  const after = await administrator.get('/hub-publishing');
  assert.ok(!after.body.includes(SECRET) && !after.body.includes(SECRET.slice(6, 30)), 'the secret is never shown again');
  assert.match(after.body, /hk_test/);
  assert.match(after.body, /A secret is saved/);
  // The same form again (a stale version): refused, not overwritten.
  const stale = await administrator.post('/hub-publishing', { enabled: 'yes', publish: 'homes', hubUrl: 'https://hub.example.org', publisher: 'L1234', keyId: 'hk_test', version: '0' });
  assert.equal(stale.statusCode, 400);
  assert.match(stale.body, /changed these settings/);

  const preview = await administrator.get('/hub-publishing/preview');
  assert.equal(preview.statusCode, 200);
  assert.match(preview.body, new RegExp(`HM-${unique}-1`));
  assert.match(preview.body, /4 of 5 homes would be published/);
  assert.match(preview.body, /landlordReference/, 'the home that fails is listed with its field');
  for (const value of Object.values(PERSONAL)) assert.ok(!preview.body.includes(value), 'the preview shows nothing personal');
});

test('a push reaches the hub signed; an edit sends the changed home, a removed home its deletion; a failed push moves nothing on', async (t) => {
  const hub = await receiver(t, SECRET);
  const publisher = registration();
  await system(l, async (ctx) => {
    const current = (await ctx.tx.execute(sql`select version from hub_publishing where organisation_id = ${l.id}`)).rows[0] as { version: number } | undefined;
    await savePublishing(ctx, { enabled: true, hubUrl: hub.url, publisher, keyId: 'hk_test', secret: SECRET, publishHomes: true, publishMeasures: false }, current?.version ?? 0);
  });
  let clock = new Date();
  const run = () => publishDue(h.store, { organisationId: l.id, now: () => clock });

  // First, every home (a full send).
  const first = await run();
  assert.equal(first.get(l.id)?.status, 'pushed', JSON.stringify(first.get(l.id)));
  assert.equal(hub.received.length, 1);
  assert.equal(hub.received[0]!.headers['hub-key'], 'hk_test');
  assert.equal(hub.received[0]!.batch.publisher, publisher);
  assert.deepEqual(hub.received[0]!.batch.records.map((r) => r.landlordReference).sort(), [1, 2, 3, 4].map((i) => `HM-${unique}-${i}`));
  assert.equal((await run()).size, 0, 'nothing more to send');

  // An edit: the home's event reaches the subscriber; the next run sends that home alone.
  const home = (await api(h, 'GET', `/api/v1/homes/${world.homes[2]}`, admin())).body;
  const edited = await api(h, 'PATCH', `/api/v1/homes/${world.homes[2]}`, { ...admin(), 'if-match': `"${home.version}"` }, { bedrooms: 3 });
  assert.equal(edited.status, 200, JSON.stringify(edited.body));
  await drain(h.store, [publishingSubscriber]);
  // (The records written before publishing was turned on are marked too, as their events reach the subscriber now:
  // the hub holds them unchanged, so they are not sent again.)
  const marked = (await h.store.system((tx) => tx.execute(sql`select record_id from hub_publishing_changes where organisation_id = ${l.id} and kind = 'home'`))).rows.map((r) => r.record_id);
  assert.ok(marked.includes(world.homes[2]), 'the edited home is marked as changed');
  const changesBefore = (await h.store.system((tx) => tx.execute(sql`select count(*)::int as n from hub_publishing_changes where organisation_id = ${l.id}`))).rows[0]!.n;

  // The hub is down: the run fails, and the change waits.
  hub.state.fail = true;
  const failed = (await run()).get(l.id);
  assert.equal(failed?.status, 'failed');
  const waiting = await h.store.system((tx) => tx.execute(sql`select p.last_position, p.failures_in_a_row, p.last_failure,
    (select count(*)::int from hub_publishing_changes c where c.organisation_id = p.organisation_id) as changes from hub_publishing p where p.organisation_id = ${l.id}`));
  const w = waiting.rows[0] as { last_position: string | number; failures_in_a_row: number; last_failure: string; changes: number };
  assert.equal(Number(w.last_position), 0, 'the position does not move on');
  assert.equal(w.changes, changesBefore, 'every change is kept');
  assert.equal(w.failures_in_a_row, 1);
  assert.match(w.last_failure, /503/);
  assert.equal((await run()).size, 0, 'not tried again before its backoff');

  hub.state.fail = false;
  clock = new Date(clock.getTime() + 10_000);
  const retried = (await run()).get(l.id);
  assert.equal(retried?.status, 'pushed');
  const sent = hub.received.at(-1)!.batch.records;
  assert.deepEqual(sent, [{ ...sent[0], type: 'home', landlordReference: `HM-${unique}-3`, bedrooms: 3 }]);
  const moved = (await h.store.system((tx) => tx.execute(sql`select last_position from hub_publishing where organisation_id = ${l.id}`))).rows[0] as { last_position: string };
  assert.ok(Number(moved.last_position) > 0, 'the position moves on after the hub\'s receipt');

  // A home removed from Hearth (no service deletes homes: as a data fix would) is withdrawn from the hub.
  await h.store.system(async (tx) => {
    await tx.execute(sql`delete from events where organisation_id = ${l.id} and subject = ${world.homes[3]}::uuid`);
    await tx.execute(sql`delete from homes where organisation_id = ${l.id} and id = ${world.homes[3]}`);
    await tx.execute(sql`insert into events (organisation_id, id, type, entity_kind, subject, actor, data)
      values (${l.id}, gen_random_uuid(), 'uk.hearth.home.deleted', 'home', ${world.homes[3]}::uuid, 'system:test', '{}'::jsonb)`);
  });
  await drain(h.store, [publishingSubscriber]);
  assert.equal((await run()).get(l.id)?.status, 'pushed');
  assert.deepEqual(hub.received.at(-1)!.batch.records, [{ type: 'deletion', kind: 'home', landlordReference: `HM-${unique}-4`, deleted: true }]);
  assert.equal(hub.state.badSignatures, 0);
});
