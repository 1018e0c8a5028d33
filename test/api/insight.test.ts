// The higher-risk buildings register against the real database: every block assessed, none silently left out,
// another landlord's blocks never seen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { higherRiskRegister } from '../../src/modules/insight/higher-risk.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
before(async () => { h = await harness(); a = await landlord(h); b = await landlord(h); });
after(() => h.close());

test('the register lists higher-risk blocks and the ones that need data, from the record', async () => {
  const add = async (who: Landlord, facts: Record<string, unknown>) => {
    const r = await api(h, 'POST', '/api/v1/blocks', who.as.administrator, sample.block(facts));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const tower = await add(a, { name: 'Tower', storeys: 12, heightMetres: 36, residentialUnits: 48 });
  const onStoreys = await add(a, { name: 'Seven Storeys', storeys: 7, heightMetres: undefined, heightMethod: undefined, heightSource: undefined, residentialUnits: 14 });
  const unknown = await add(a, { name: 'Unknown Height', storeys: undefined, heightMetres: undefined, heightMethod: undefined, heightSource: undefined, residentialUnits: 6 });
  const low = await add(a, { name: 'Low Rise', storeys: 3, heightMetres: 9, residentialUnits: 6 });
  await add(b, { name: 'Other landlord tower', storeys: 20, heightMetres: 60, residentialUnits: 80 });

  const reg = await h.store.withOrg(a.id, (tx) => higherRiskRegister({ actor: systemActor(a.id), tx }));
  assert.deepEqual(reg.higherRisk.map((x) => x.id).sort(), [tower, onStoreys].sort());
  assert.deepEqual(reg.dataNeeded.map((x) => x.id), [unknown]);
  assert.deepEqual(reg.notHigherRisk.map((x) => x.id), [low]);
  assert.match(reg.dataNeeded[0]!.assessment.reasons[0]!, /neither height nor storeys/);
  assert.ok(![...reg.higherRisk, ...reg.dataNeeded, ...reg.notHigherRisk].some((x) => x.name === 'Other landlord tower'));
});

test('the API returns the register for the caller’s organisation only', async () => {
  const r = await api(h, 'GET', '/api/v1/insight/higher-risk-buildings', a.as.analyst);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const all = [...r.body.higherRisk, ...r.body.dataNeeded, ...r.body.notHigherRisk] as { name: string; self: string; id: string }[];
  assert.deepEqual(r.body.counts, { blocks: all.length, higherRisk: r.body.higherRisk.length, dataNeeded: r.body.dataNeeded.length, notHigherRisk: r.body.notHigherRisk.length });
  assert.ok(r.body.higherRisk.some((x: { name: string }) => x.name === 'Tower'));
  assert.ok(!all.some((x) => x.name === 'Other landlord tower'), 'another landlord’s blocks are never listed');
  assert.ok(all.every((x) => x.self === `/blocks/${x.id}`));
  const other = await api(h, 'GET', '/api/v1/insight/higher-risk-buildings', b.as.analyst);
  assert.deepEqual(other.body.higherRisk.map((x: { name: string }) => x.name), ['Other landlord tower']);
  assert.equal((await api(h, 'GET', '/api/v1/insight/higher-risk-buildings', {})).status, 401);
});

test('residents per block are the members of current tenancies of its homes, not past ones', async () => {
  const A = a.as.administrator;
  const block = (await api(h, 'POST', '/api/v1/blocks', A, sample.block({ name: 'Residents Court', storeys: 8, heightMetres: 24, residentialUnits: 10 }))).body.id as string;
  const home = async (flat: string) => (await api(h, 'POST', '/api/v1/homes', A, sample.home({ blockId: block, subBuilding: flat }))).body.id as string;
  const person = async (givenName: string) => (await api(h, 'POST', '/api/v1/people', A, sample.person({ givenName }))).body.id as string;
  const [h1, h2] = [await home('Flat 1'), await home('Flat 2')];
  const [p1, p2, p3, p4] = [await person('Ann'), await person('Ben'), await person('Cat'), await person('Dev')];
  const tenancy = async (reference: string, homeId: string, members: unknown[], endDate?: string) => {
    const r = await api(h, 'POST', '/api/v1/tenancies', A, { reference, tenancyType: 'secure', tenure: 'social-rent', startDate: '2019-01-01', homeId, members, ...(endDate ? { endDate } : {}) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  };
  await tenancy('R-1', h1, [{ personId: p1, role: 'lead' }, { personId: p2, role: 'household-member', relationship: 'son' }]);
  await tenancy('R-2', h2, [{ personId: p3, role: 'lead' }], '2020-06-30'); // ended: nobody from it lives there now
  await tenancy('R-3', h2, [{ personId: p4, role: 'lead' }, { personId: p1, role: 'household-member', endDate: '2021-01-01' }]);
  const r = await api(h, 'GET', '/api/v1/insight/higher-risk-buildings', a.as.analyst);
  const entry = r.body.higherRisk.find((x: { id: string }) => x.id === block);
  assert.equal(entry.homes, 2);
  assert.equal(entry.residents, 3, 'Ann and Ben in flat 1, Dev in flat 2; Cat moved out and Ann left flat 2');
});

test('the CSV has the registration header and neutralises a block name that starts a formula', async () => {
  const made = await api(h, 'POST', '/api/v1/blocks', a.as.administrator, sample.block({ name: '=HYPERLINK("http://evil.example","x")', storeys: 10, heightMetres: 30, residentialUnits: 20 }));
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const email = `officer.${a.id.slice(-8)}@example.org`;
  const password = 'a long test password 1';
  await h.auth.addUser({ organisationId: a.id, email, name: 'Test officer', role: 'housing-officer', password });
  const cookie = `hearth_session=${(await h.auth.signIn(email, password))!.token}`;

  const page = await h.app.inject({ method: 'GET', url: '/insight/higher-risk-buildings', headers: { cookie } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h1[^>]*>Higher-risk buildings<\/h1>/);
  assert.match(page.body, new RegExp(`href="/blocks/${made.body.id}"`));

  const res = await h.app.inject({ method: 'GET', url: '/insight/higher-risk-buildings.csv', headers: { cookie } });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /^text\/csv/);
  assert.match(res.headers['content-disposition'] as string, /^attachment; filename="higher-risk-buildings-.*\.csv"$/);
  const lines = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  assert.equal(lines[0], 'block id,block reference,name,status,storeys,height (m),height method,residential units,year built,address,postcode,homes,residents,reasons');
  const row = lines.find((l) => l.startsWith(made.body.id));
  assert.ok(row, 'the block is in the CSV');
  assert.ok(row.startsWith(`${made.body.id},,"'=HYPERLINK(""http://evil.example"",""x"")",higher-risk,10,30,measured,20,`), row);
  assert.ok(!res.body.includes('Other landlord tower'));
});
