// Search across homes, people and tenancies; health and info endpoints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { search } from '../../src/modules/search/service.ts';

let h: Harness; let a: Landlord; let b: Landlord;
const ids: Record<string, string> = {};

before(async () => {
  h = await harness();
  a = await landlord(h);
  b = await landlord(h);
  const A = a.as['housing-officer'];
  ids.home = (await api(h, 'POST', '/api/v1/homes', A, sample.home({ uprn: '100023336956', reference: 'PR-77', subBuilding: 'Flat 3', buildingName: 'Kestrel Court', street: 'Moor Road', postcode: 'LS6 4QE' }))).body.id;
  ids.person = (await api(h, 'POST', '/api/v1/people', A, sample.person({ givenName: 'Chiamaka', familyName: 'Okafor' }))).body.id;
  ids.tenancy = (await api(h, 'POST', '/api/v1/tenancies', A, { reference: 'TEN-4242', tenancyType: 'assured', tenure: 'social-rent', startDate: '2021-05-01', homeId: ids.home, members: [{ personId: ids.person, role: 'lead' }] })).body.id;
  // The same names and postcode at landlord B, which A must never find.
  await api(h, 'POST', '/api/v1/homes', b.as['housing-officer'], sample.home({ uprn: '100023336957', street: 'Moor Road', postcode: 'LS6 4QE' }));
  await api(h, 'POST', '/api/v1/people', b.as['housing-officer'], sample.person({ givenName: 'Chiamaka', familyName: 'Okafor' }));
});
after(() => h.close());

const find = (term: string) => h.store.withOrg(a.id, (tx) => search({ tx, actor: { kind: 'user', id: 'u', name: 'Officer', organisationId: a.id, role: 'housing-officer' } }, term));

test('search finds a home by UPRN, by postcode in any form, by landlord reference and by address words', async () => {
  for (const term of ['100023336956', 'ls64qe', 'LS6 4QE', 'PR-77', 'kestrel moor', 'Flat 3 Kestrel']) {
    const r = await find(term);
    assert.deepEqual(r.homes.map((x) => x.id), [ids.home], term);
  }
});

test('search finds a person by name, in any case and order', async () => {
  for (const term of ['okafor', 'Chiamaka Okafor', 'OKAFOR chiamaka']) assert.deepEqual((await find(term)).people.map((x) => x.id), [ids.person], term);
});

test('search finds a tenancy by its reference, with its home address', async () => {
  const r = await find('ten-4242');
  assert.deepEqual(r.tenancies.map((t) => t.id), [ids.tenancy]);
  assert.match(r.tenancies[0]!.homeAddress!, /Kestrel Court/);
});

test('search treats % and _ literally and finds nothing for an empty term', async () => {
  assert.equal((await find('%')).homes.length, 0);
  assert.equal((await find('   ')).people.length, 0);
});

test('/health checks the database; /info says what is running', async () => {
  const health = await h.app.inject({ method: 'GET', url: '/health' });
  assert.equal(health.statusCode, 200);
  assert.deepEqual(health.json(), { status: 'UP', database: { status: 'UP', kind: h.store.kind } });
});

test('/info tells anyone the name, version and status, and only a signed-in administrator what it runs on', async () => {
  const info = (headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url: '/info', headers }).then((r) => r.json());
  const password = 'a long test password 1';
  const session = async (role: 'administrator' | 'housing-officer') => {
    const email = `info-${role}-${Date.now()}@example.org`;
    await h.auth.addUser({ organisationId: a.id, email, name: `Info ${role}`, role, password });
    return { cookie: `hearth_session=${(await h.auth.signIn(email, password))!.token}` };
  };
  const publicView = { name: 'hearth', version: JSON.parse(fs.readFileSync('package.json', 'utf8')).version, status: 'UP' };
  for (const headers of [{}, a.as['housing-officer'], a.as.analyst, await session('housing-officer'), { authorization: 'Bearer hearth_not-a-real-token-at-all' }, { cookie: 'hearth_session=forged' }]) {
    assert.deepEqual(await info(headers), publicView, JSON.stringify(headers));
  }
  for (const headers of [a.as.administrator, await session('administrator')]) {
    const full = await info(headers);
    assert.equal(full.name, 'hearth');
    assert.equal(full.status, 'UP');
    assert.equal(full.database, h.store.kind);
    assert.match(full.node, /^v24\./);
    assert.ok('commit' in full);
  }
});
