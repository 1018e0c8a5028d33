// Search (issue 13, defects 3 and 4): a person linked across source records is one result, shown as their best record
// has them, with their address and why they matched; an exact family name ranks above a double-barrelled one; phone
// numbers, postcodes, tenancy references and hazard report references find things; "my patch" narrows homes, people
// and tenancies to the officer's patch; another organisation's records never appear.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { search } from '../../src/modules/search/service.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { decide } from '../../src/modules/linkage/service.ts';
import type { Role } from '../../src/platform/auth/roles.ts';

let h: Harness; let a: Landlord; let b: Landlord;
const ids: Record<string, string> = {};
let officer: { cookie: string; userId: string };

/** A person unlike any other but in the name given (record linkage links people with the same date of birth and phone). */
let n = 0;
const someone = (extra: Record<string, unknown>) => {
  n++;
  return sample.person({ dateOfBirth: `19${50 + (n % 40)}-0${1 + (n % 9)}-1${n % 10}`, contactPoints: [{ system: 'phone', value: `+4477009${String(10000 + n).slice(-5)}` }], ...extra });
};

async function post(who: Landlord, url: string, body: Record<string, unknown>): Promise<string> {
  const r = await api(h, 'POST', url, who.as['housing-officer'], body);
  assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
  return r.body.id;
}

/** People are placed at a home by imports (the API does not set it). */
async function atHome(who: Landlord, personId: string, homeId: string) {
  await h.store.withOrg(who.id, (tx) => tx.execute(sql`update people set home_id = ${homeId} where organisation_id = ${who.id} and id = ${personId}`));
  return personId;
}

async function signIn(who: Landlord, role: Role): Promise<{ cookie: string; userId: string }> {
  const email = `${role}.${uuidv7().slice(-12)}@example.org`;
  const password = 'a long test password 1';
  const user = await h.auth.addUser({ organisationId: who.id, email, name: `Test ${role}`, role, password });
  return { cookie: `hearth_session=${(await h.auth.signIn(email, password))!.token}`, userId: user.id };
}

before(async () => {
  h = await harness();
  a = await landlord(h);
  b = await landlord(h);
  ids.homeIn = await post(a, '/api/v1/homes', sample.home({ subBuilding: 'Flat 1', buildingName: 'Kestrel Court', street: 'Moor Road', postcode: 'LS6 4QE' }));
  ids.homeOut = await post(a, '/api/v1/homes', sample.home({ subBuilding: 'Flat 2', buildingName: 'Heron Court', street: 'Moor Road', postcode: 'LS7 2AB' }));
  // Double-barrelled names made first, so neither the order made nor the alphabet puts the Smiths first.
  ids.blackburnSmith = await atHome(a, await post(a, '/api/v1/people', someone({ givenName: 'Aaron', familyName: 'Blackburn-Smith' })), ids.homeIn);
  ids.smithJones = await atHome(a, await post(a, '/api/v1/people', someone({ givenName: 'Abel', familyName: 'Smith-Jones' })), ids.homeOut);
  ids.zoeSmith = await atHome(a, await post(a, '/api/v1/people', someone({ givenName: 'Zoe', familyName: 'Smith' })), ids.homeOut);
  ids.johnSmith = await atHome(a, await post(a, '/api/v1/people', someone({ givenName: 'John', familyName: 'Smith' })), ids.homeIn);
  // One person in two systems: the housing system's record and the CRM's, linked.
  ids.housing = await post(a, '/api/v1/people', sample.person({ givenName: 'Maria', familyName: 'Kowalska', dateOfBirth: '1980-06-09',
    contactPoints: [{ system: 'phone', value: '+447700900555', use: 'mobile' }], sourceReferences: [{ system: 'northgate-housing', id: 'N-1' }] }));
  await atHome(a, ids.housing, ids.homeIn);
  ids.crm = await post(a, '/api/v1/people', sample.person({ givenName: 'Marie', familyName: 'Kowalska', dateOfBirth: '1980-06-09',
    contactPoints: [{ system: 'phone', value: '+447700900555', use: 'home' }], sourceReferences: [{ system: 'dynamics-crm', id: 'C-1' }] }));
  await h.store.withOrg(a.id, (tx) => decide({ actor: systemActor(a.id), tx }, ids.housing, ids.crm, 'accepted'));
  ids.tenancyIn = await post(a, '/api/v1/tenancies', { reference: 'TEN-7001', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: ids.homeIn,
    members: [{ personId: ids.johnSmith, role: 'lead' }] });
  ids.tenancyOut = await post(a, '/api/v1/tenancies', { reference: 'TEN-7002', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: ids.homeOut,
    members: [{ personId: ids.zoeSmith, role: 'lead' }] });
  const report = await api(h, 'POST', `/api/v1/homes/${ids.homeIn}/hazard-reports`, a.as['housing-officer'],
    { hazard: 'damp-and-mould', severity: 'significant', reportedAt: '2026-03-02T10:00:00Z', description: 'Mould in the bedroom' });
  assert.equal(report.status, 201, JSON.stringify(report.body));
  ids.hazard = report.body.id; ids.hazardRef = report.body.reference;

  // Landlord B: the same names, phone number, postcode, tenancy reference and hazard reference, which A must never find.
  const bHome = await post(b, '/api/v1/homes', sample.home({ street: 'Moor Road', postcode: 'LS6 4QE' }));
  const bSmith = await atHome(b, await post(b, '/api/v1/people', sample.person({ givenName: 'John', familyName: 'Smith' })), bHome);
  await post(b, '/api/v1/people', sample.person({ givenName: 'Maria', familyName: 'Kowalska', contactPoints: [{ system: 'phone', value: '+447700900555' }] }));
  await post(b, '/api/v1/tenancies', { reference: 'TEN-7001', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: bHome, members: [{ personId: bSmith, role: 'lead' }] });
  await api(h, 'POST', `/api/v1/homes/${bHome}/hazard-reports`, b.as['housing-officer'], { hazard: 'damp-and-mould', severity: 'significant', reportedAt: '2026-03-02T10:00:00Z' });

  // A housing officer whose patch is the one home, Kestrel Court.
  officer = await signIn(a, 'housing-officer');
  await h.store.withOrg(a.id, (tx) => tx.execute(sql`with p as (insert into patches (organisation_id, id, version, name, officer_user_id)
    values (${a.id}, ${uuidv7()}, 1, 'Kestrel patch', ${officer.userId}) returning id)
    insert into patch_homes (organisation_id, patch_id, home_id) select ${a.id}, p.id, ${ids.homeIn} from p`));
});
after(() => h.close());

const find = (term: string, options: { mine?: boolean; userId?: string } = {}) => h.store.withOrg(a.id, (tx) => search({ tx,
  actor: { kind: 'user', id: options.userId ?? officer.userId, name: 'Officer', organisationId: a.id, role: 'housing-officer' } }, term, { mine: options.mine }));
const page = (url: string) => h.app.inject({ method: 'GET', url, headers: { cookie: officer.cookie } });
const names = (r: Awaited<ReturnType<typeof find>>) => r.people.map((p) => `${p.givenName} ${p.familyName}`);

test('two linked records of one person are one result, named as the best record has them, with the address of their home', async () => {
  const r = await find('Kowalska');
  assert.equal(r.people.length, 1, JSON.stringify(r.people));
  const [p] = r.people;
  assert.equal(p!.id, [ids.housing, ids.crm].sort()[0], 'the person’s one id: the golden record’s');
  assert.equal(p!.givenName, 'Maria', 'the housing system is trusted first for the name');
  assert.equal(p!.dateOfBirth, '1980-06-09');
  assert.equal(p!.records, 2);
  assert.match(p!.address!, /Flat 1, Kestrel Court, Moor Road.*LS6 4QE/);
  assert.deepEqual(p!.reasons, ['Family name matches']);
  // Found through either record's name, still once.
  assert.equal((await find('Marie')).people.length, 1);
  assert.equal((await find('Maria')).people.length, 1);
});

test('an exact family name ranks above a double-barrelled one, then the given name typed', async () => {
  assert.deepEqual(names(await find('Smith')), ['John Smith', 'Zoe Smith', 'Aaron Blackburn-Smith', 'Abel Smith-Jones']);
  assert.deepEqual(names(await find('smith zoe')), ['Zoe Smith']);
  assert.deepEqual(names(await find('Smith-Jones')), ['Abel Smith-Jones']);
  const r = await find('Smith');
  assert.deepEqual(r.people[0]!.reasons, ['Family name matches']);
  assert.deepEqual(r.people[3]!.reasons, ['Family name partly matches']);
});

test('each result says why it matched: phone number however written, postcode, tenancy reference', async () => {
  for (const term of ['07700 900555', '07700900555', '+44 7700 900555']) {
    const r = await find(term);
    assert.deepEqual(r.people.map((p) => p.id), [[ids.housing, ids.crm].sort()[0]], term);
    assert.deepEqual(r.people[0]!.reasons, ['Phone number matches'], term);
    assert.equal(r.people[0]!.phone, '07700 900555', 'shown as UK people write it');
  }
  const byPostcode = await find('ls64qe');
  assert.deepEqual(byPostcode.homes.map((x) => x.id), [ids.homeIn]);
  assert.deepEqual(new Set(names(byPostcode)), new Set(['John Smith', 'Aaron Blackburn-Smith', 'Maria Kowalska']));
  assert.ok(byPostcode.people.every((p) => p.reasons.includes('Postcode matches')));
  const byTenancy = await find('ten-7001');
  assert.deepEqual(byTenancy.tenancies.map((t) => t.id), [ids.tenancyIn]);
  assert.deepEqual(byTenancy.people.map((p) => [p.id, p.reasons]), [[ids.johnSmith, ['Tenancy reference matches']]]);
});

test('search finds a hazard report by its reference, and the page links to it', async () => {
  const r = await find(ids.hazardRef!.toLowerCase());
  assert.deepEqual(r.hazards.map((x) => x.id), [ids.hazard]);
  const html = (await page(`/search?q=${encodeURIComponent(ids.hazardRef!)}`)).body;
  assert.match(html, /Hazard reports \(1\)/);
  assert.ok(html.includes(`href="/hazards/${ids.hazard}"`));
});

test('“my patch” limits homes, people (by their home) and tenancies to the officer’s patch', async () => {
  const all = await find('Moor Road');
  assert.deepEqual(new Set(all.homes.map((x) => x.id)), new Set([ids.homeIn, ids.homeOut]));
  const mine = await find('Moor Road', { mine: true });
  assert.deepEqual(mine.homes.map((x) => x.id), [ids.homeIn]);
  assert.deepEqual(names(await find('Smith', { mine: true })), ['John Smith', 'Aaron Blackburn-Smith']);
  assert.deepEqual((await find('TEN-7002', { mine: true })).tenancies, []);
  assert.deepEqual((await find('TEN-7002')).tenancies.map((t) => t.id), [ids.tenancyOut]);
  // Someone with no patch: the box cannot narrow anything, and the page says so.
  const lead = await signIn(a, 'data-lead');
  const noPatch = await find('Smith', { mine: true, userId: lead.userId });
  assert.equal(noPatch.people.length, 4);
  assert.equal(noPatch.patchless, true);

  const html = (await page('/search?q=Smith&patch=mine')).body;
  assert.match(html, /name="patch" type="checkbox" value="mine" checked/);
  assert.match(html, /People \(2\)/);
  assert.match(html, /Why it matched/);
  assert.doesNotMatch(html, /Smith-Jones/);
  const unticked = (await page('/search?q=Smith')).body;
  assert.match(unticked, /name="patch" type="checkbox" value="mine"(?! checked)/);
  assert.match(unticked, /Smith-Jones/);
});

test('the results page shows each person’s address and why they matched, and the 25 limit is kept', async () => {
  const html = (await page('/search?q=Kowalska')).body;
  assert.match(html, /People \(1\)/);
  assert.match(html, /Flat 1, Kestrel Court, Moor Road/);
  assert.match(html, /Family name matches/);
  assert.equal(html.match(/href="\/people\//g)?.length, 1, 'the linked person is listed once');
  // 30 more Smiths: 25 are shown and the page says so.
  for (let i = 0; i < 30; i++) await post(a, '/api/v1/people', someone({ givenName: `Given${i}`, familyName: 'Smith' }));
  const many = await find('Smith');
  assert.equal(many.people.length, 25);
  assert.ok(many.people.every((p) => p.familyName === 'Smith'), 'every exact Smith before any double-barrelled name');
  assert.match((await page('/search?q=Smith')).body, /Showing the first 25 people/);
});

test('another organisation’s people, homes, tenancies and hazard reports never appear', async () => {
  for (const term of ['Smith', 'Kowalska', '07700 900555', 'LS6 4QE', 'TEN-7001', ids.hazardRef!]) {
    const r = await find(term);
    const everything = [...r.people.map((p) => p.id), ...r.homes.map((x) => x.id), ...r.tenancies.map((t) => t.id), ...r.hazards.map((x) => x.id)];
    const own = await h.store.withOrg(a.id, (tx) => tx.execute(sql`select id from people where organisation_id = ${a.id}
      union all select id from homes where organisation_id = ${a.id} union all select id from tenancies where organisation_id = ${a.id}
      union all select id from hazard_reports where organisation_id = ${a.id}`));
    const ownIds = new Set((own.rows as { id: string }[]).map((x) => x.id));
    assert.ok(everything.length > 0, term);
    assert.ok(everything.every((id) => ownIds.has(id)), `${term}: only landlord A’s records`);
  }
  const bView = await h.store.withOrg(b.id, (tx) => search({ tx, actor: systemActor(b.id) }, 'Kowalska'));
  assert.equal(bView.people.length, 1);
  assert.ok(![ids.housing, ids.crm].includes(bView.people[0]!.id));
});
