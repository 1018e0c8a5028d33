// Patches (issue 13): an administrator gives a housing officer the estates they look after, on /patches; one officer
// has one patch at most; a change made since the form was drawn is refused; each change is audited. The demo gives
// its housing officer a patch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { assignDemoPatches, DEMO_OFFICER_EMAIL, demoPatchId, patchesDemo } from '../../src/modules/patches/demo.ts';
import { DEMO_USERS } from '../../src/modules/demo/users.ts';
import { demoCopier } from '../../src/platform/demo.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import type { Role } from '../../src/platform/auth/roles.ts';

let h: Harness;
let a: Landlord;
const estates: Record<string, string> = {};
const password = 'a long test password 1';
const users: Record<string, { id: string; cookie: string }> = {};

async function signIn(who: string, role: Role, org = a.id) {
  const email = `${who}.${org.slice(-8)}@example.org`;
  const u = await h.auth.addUser({ organisationId: org, email, name: who.replace(/^./, (c) => c.toUpperCase()), role, password });
  return { id: (u as { id: string }).id, cookie: `hearth_session=${(await h.auth.signIn(email, password))!.token}` };
}

/** A page's form: its CSRF token and the cookies to post it with. */
async function formOf(url: string, cookie: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: { cookie } });
  assert.equal(res.statusCode, 200, res.body);
  return { body: res.body, csrf: /name="_csrf" value="([^"]+)"/.exec(res.body)![1]!, cookie: `${cookie}; ${res.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}` };
}

async function post(url: string, cookie: string, fields: [string, string][]) {
  const form = await formOf(url, cookie);
  return h.app.inject({
    method: 'POST', url, headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams([['_csrf', form.csrf], ...fields]).toString(),
  });
}

before(async () => {
  h = await harness();
  a = await landlord(h);
  for (const name of ['Woodberry Down', 'Kings Crescent', 'Nightingale']) {
    const e = await api(h, 'POST', '/api/v1/estates', a.as.administrator, { name });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    estates[name] = e.body.id;
  }
  for (const [estate, n] of [['Woodberry Down', 3], ['Kings Crescent', 2], ['Nightingale', 1]] as const) {
    for (let i = 0; i < n; i++) assert.equal((await api(h, 'POST', '/api/v1/homes', a.as.administrator, sample.home({ estateId: estates[estate] }))).status, 201);
  }
  users.admin = await signIn('alex', 'administrator');
  users.sam = await signIn('sam', 'housing-officer');
  users.kim = await signIn('kim', 'housing-officer');
  users.dana = await signIn('dana', 'compliance-lead');
});
after(() => h.close());

test('an administrator adds a patch: the list shows its officer, estates and homes, and it is audited', async () => {
  const empty = await h.app.inject({ method: 'GET', url: '/patches', headers: { cookie: users.admin!.cookie } });
  assert.equal(empty.statusCode, 200);
  assert.match(empty.body, /There are no patches yet/);

  const form = await formOf('/patches/new', users.admin!.cookie);
  // Housing officers only, in the officer select; every estate as a checkbox.
  assert.match(form.body, /<option value="[^"]+">Sam<\/option>/);
  assert.doesNotMatch(form.body, />Dana</);
  for (const name of Object.keys(estates)) assert.match(form.body, new RegExp(`value="${estates[name]}"`));

  const added = await post('/patches/new', users.admin!.cookie, [
    ['name', 'Woodberry'], ['officerUserId', users.sam!.id], ['estateIds', estates['Woodberry Down']!], ['estateIds', estates['Kings Crescent']!],
  ]);
  assert.equal(added.statusCode, 303, added.body);
  assert.equal(added.headers.location, '/patches');

  const list = await h.app.inject({ method: 'GET', url: '/patches', headers: { cookie: users.admin!.cookie } });
  const row = /<tr class="govuk-table__row">\s*<td class="govuk-table__cell"><a[^>]*>Woodberry<[\s\S]*?<\/tr>/.exec(list.body)?.[0] ?? '';
  assert.match(row, />Sam</);
  assert.match(row, /Kings Crescent<br>Woodberry Down/);
  assert.match(row, /govuk-table__cell--numeric">5</, 'the homes of both estates');

  const audited = await api(h, 'GET', '/api/v1/audit-events?entityKind=patch', a.as.administrator);
  assert.equal(audited.status, 200, JSON.stringify(audited.body));
  assert.ok(audited.body.items.some((e: { action: string; entityKind: string }) => e.action === 'create' && e.entityKind === 'patch'), JSON.stringify(audited.body));
});

test('one officer has one patch: a second is refused with a clear error, and nothing is written', async () => {
  const res = await post('/patches/new', users.admin!.cookie, [['name', 'Nightingale'], ['officerUserId', users.sam!.id], ['estateIds', estates.Nightingale!]]);
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /There is a problem/);
  assert.match(res.body, /href="#officerUserId">Sam already looks after Woodberry: an officer has one patch/);
  assert.match(res.body, /value="Nightingale"/, 'what was typed is kept');
  const [n] = await h.store.withOrg(a.id, async (tx) => (await tx.execute(sql`select count(*)::int as n from patches where name = 'Nightingale'`)).rows as { n: number }[]);
  assert.equal(n!.n, 0);
  // The same name twice is refused too.
  const same = await post('/patches/new', users.admin!.cookie, [['name', 'woodberry'], ['officerUserId', users.kim!.id]]);
  assert.equal(same.statusCode, 400);
  assert.match(same.body, /There is already a patch called woodberry/);
});

test('a change is guarded by the version the form was drawn from', async () => {
  const list = await h.app.inject({ method: 'GET', url: '/patches', headers: { cookie: users.admin!.cookie } });
  const id = /href="\/patches\/([0-9a-f-]{36})">Woodberry</.exec(list.body)![1]!;
  const page = await formOf(`/patches/${id}`, users.admin!.cookie);
  assert.match(page.body, /name="version" value="1"/);
  assert.match(page.body, /It covers 5 homes/);

  const changed = await post(`/patches/${id}`, users.admin!.cookie, [['version', '1'], ['name', 'Woodberry'], ['officerUserId', users.kim!.id], ['estateIds', estates['Woodberry Down']!]]);
  assert.equal(changed.statusCode, 303, changed.body);
  // A form drawn before that change (version 1) is refused, not applied over it.
  const stale = await post(`/patches/${id}`, users.admin!.cookie, [['version', '1'], ['name', 'Stale'], ['officerUserId', users.sam!.id]]);
  assert.equal(stale.statusCode, 400);
  assert.match(stale.body, /Someone changed this patch while you were looking at it/);

  const now = await formOf(`/patches/${id}`, users.admin!.cookie);
  assert.match(now.body, /name="version" value="2"/);
  assert.match(now.body, /value="Woodberry"/);
  assert.match(now.body, /It covers 3 homes/);
  assert.match(now.body, new RegExp(`<option value="${users.kim!.id}" selected>Kim</option>`));
  const audited = await api(h, 'GET', `/api/v1/audit-events?entityKind=patch&entityId=${id}`, a.as.administrator);
  assert.ok(audited.body.items.some((e: { action: string; detail: { fields?: string[] } }) => e.action === 'update' && e.detail.fields?.includes('estates')), JSON.stringify(audited.body));
});

test('only administrators manage patches', async () => {
  for (const who of [users.sam!, users.dana!]) {
    assert.equal((await h.app.inject({ method: 'GET', url: '/patches', headers: { cookie: who.cookie } })).statusCode, 403);
    assert.equal((await h.app.inject({ method: 'GET', url: '/patches/new', headers: { cookie: who.cookie } })).statusCode, 403);
  }
  // Another landlord's patch is not there.
  const b = await landlord(h);
  const other = await signIn('bea', 'administrator', b.id);
  const list = await h.app.inject({ method: 'GET', url: '/patches', headers: { cookie: users.admin!.cookie } });
  const id = /href="\/patches\/([0-9a-f-]{36})"/.exec(list.body)![1]!;
  assert.equal((await h.app.inject({ method: 'GET', url: `/patches/${id}`, headers: { cookie: other.cookie } })).statusCode, 404);
});

test('the demo writes a patch of its first two estates, and the start gives it to the demo housing officer', async () => {
  assert.equal(DEMO_OFFICER_EMAIL, DEMO_USERS.find((u) => u.role === 'housing-officer')!.email);
  const d = await landlord(h);
  const ids: string[] = [];
  for (const name of ['Alpha', 'Beta', 'Gamma']) ids.push((await api(h, 'POST', '/api/v1/estates', d.as.administrator, { name })).body.id);
  const writer = demoCopier({ actor: systemActor(d.id) });
  const world = { organisationId: d.id, records: (kind: string) => (kind === 'estates' ? ids.map((id, i) => ({ id, name: ['Alpha', 'Beta', 'Gamma'][i]! })) : []) };
  patchesDemo(world, writer.copy, { actor: systemActor(d.id) });
  patchesDemo(world, writer.copy, { actor: systemActor(d.id) }); // a second batch: no second patch
  await h.store.copy(writer.tables());

  const email = `officer.${d.id.slice(-8)}@demo.example`;
  await h.auth.addUser({ organisationId: d.id, email, name: 'Sam Okafor', role: 'housing-officer', password });
  assert.equal(await assignDemoPatches(h.store, email), 1);
  assert.equal(await assignDemoPatches(h.store, email), 0, 'once only');
  const rows = await h.store.withOrg(d.id, async (tx) => (await tx.execute(sql`
    select p.id, p.name, p.version, u.email, (select count(*)::int from patch_estates e where e.patch_id = p.id) as estates
    from patches p left join users u on u.id = p.officer_user_id`)).rows as { id: string; name: string; version: number; email: string; estates: number }[]);
  assert.deepEqual(rows, [{ id: demoPatchId(d.id), name: 'Alpha and Beta', version: 2, email, estates: 2 }]);
});

test("'my patch' is its homes and the people living in them: tenancy members with no home of their own recorded count", async () => {
  const { createPatch } = await import('../../src/modules/patches/service.ts');
  const { patchScope } = await import('../../src/platform/modules.ts');
  const { alertsToReview } = await import('../../src/modules/people/edits.ts');
  const b = await landlord(h);
  const estate = (await api(h, 'POST', '/api/v1/estates', b.as.administrator, { name: 'Hillthorpe' })).body.id as string;
  const inPatch = (await api(h, 'POST', '/api/v1/homes', b.as.administrator, sample.home({ estateId: estate }))).body.id as string;
  const elsewhere = (await api(h, 'POST', '/api/v1/homes', b.as.administrator, sample.home())).body.id as string;
  // Two tenants, neither with a home on their own record (as a housing system's people file has them): one in the patch.
  const tenant = (await api(h, 'POST', '/api/v1/people', b.as.administrator, sample.person({ givenName: 'Ada', familyName: 'Inside' }))).body.id as string;
  const other = (await api(h, 'POST', '/api/v1/people', b.as.administrator, sample.person({ givenName: 'Bea', familyName: 'Outside' }))).body.id as string;
  for (const [home, person, ref] of [[inPatch, tenant, 'T-IN'], [elsewhere, other, 'T-OUT']] as const) {
    const t = await api(h, 'POST', '/api/v1/tenancies', b.as.administrator, { reference: ref, tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: home, members: [{ personId: person, role: 'lead' }] });
    assert.equal(t.status, 201, JSON.stringify(t.body));
  }
  for (const personId of [tenant, other]) {
    const alert = await api(h, 'POST', '/api/v1/alerts', b.as.administrator, { personId, hactCode: '20-30', category: 'MED', confidentiality: 'confidential', startDate: '2024-01-01', reviewDate: '2024-06-01', description: 'Uses oxygen' });
    assert.equal(alert.status, 201, JSON.stringify(alert.body));
  }
  const officer = await h.auth.addUser({ organisationId: b.id, email: `jo.${b.id.slice(-8)}@example.org`, name: 'Jo', role: 'housing-officer', password }) as { id: string };
  await h.store.withOrg(b.id, (tx) => createPatch({ actor: systemActor(b.id), tx }, { name: 'Hillthorpe patch', officerUserId: officer.id, estateIds: [estate] }));
  const actor = { kind: 'user' as const, id: officer.id, name: 'Jo', organisationId: b.id, role: 'housing-officer' as const };
  await h.store.withOrg(b.id, async (tx) => {
    const scope = await patchScope({ actor, tx }, true);
    assert.deepEqual(scope.homeIds, [inPatch]);
    assert.deepEqual(scope.personIds, [tenant], 'the tenancy member, though their own record names no home');
    const review = await alertsToReview({ actor, tx }, { homeIds: scope.homeIds, personIds: scope.personIds, limit: 10 });
    assert.deepEqual(review.items.map((i) => i.person.id), [tenant]);
    const everywhere = await patchScope({ actor, tx }, false);
    assert.equal(everywhere.personIds, null);
    assert.equal((await alertsToReview({ actor, tx }, { homeIds: null, personIds: null, limit: 10 })).total, 2);
  });
});
