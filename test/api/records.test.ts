// Optimistic concurrency (ETag / If-Match), idempotent POST, validation of bad input, and provenance.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';

let h: Harness; let l: Landlord;
before(async () => { h = await harness(); l = await landlord(h); });
after(() => h.close());

const count = async (table: string) => h.store.withOrg(l.id, async (tx) =>
  Number(((await tx.execute(sql.raw(`select count(*)::int as n from "${table}"`))).rows[0] as { n: number }).n));

test('an update with the current ETag succeeds and returns the next ETag', async () => {
  const created = await api(h, 'POST', '/api/v1/homes', l.as['housing-officer'], sample.home());
  assert.equal(created.status, 201);
  assert.equal(created.headers.etag, '"1"');
  const updated = await api(h, 'PATCH', `/api/v1/homes/${created.body.id}`, { ...l.as['housing-officer'], 'if-match': '"1"' }, { bedrooms: 2 });
  assert.equal(updated.status, 200);
  assert.equal(updated.headers.etag, '"2"');
  assert.equal(updated.body.bedrooms, 2);
});

test('a stale ETag gets 412 and the record keeps the other change (no lost update)', async () => {
  const { body: home } = await api(h, 'POST', '/api/v1/homes', l.as['housing-officer'], sample.home());
  const H = l.as['housing-officer'];
  const first = await api(h, 'PATCH', `/api/v1/homes/${home.id}`, { ...H, 'if-match': '"1"' }, { bedrooms: 3 });
  const second = await api(h, 'PATCH', `/api/v1/homes/${home.id}`, { ...H, 'if-match': '"1"' }, { bedrooms: 1 });
  assert.equal(first.status, 200);
  assert.equal(second.status, 412);
  assert.equal(second.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal((await api(h, 'GET', `/api/v1/homes/${home.id}`, H)).body.bedrooms, 3);
});

test('two concurrent updates with the same ETag: exactly one wins', async () => {
  const H = l.as['housing-officer'];
  const { body: home } = await api(h, 'POST', '/api/v1/homes', H, sample.home());
  const results = await Promise.all([4, 5].map((n) => api(h, 'PATCH', `/api/v1/homes/${home.id}`, { ...H, 'if-match': '"1"' }, { bedrooms: n })));
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 412]);
});

test('an update without If-Match gets 428', async () => {
  const H = l.as['housing-officer'];
  const { body: home } = await api(h, 'POST', '/api/v1/homes', H, sample.home());
  const res = await api(h, 'PATCH', `/api/v1/homes/${home.id}`, H, { bedrooms: 2 });
  assert.equal(res.status, 428);
  assert.equal(res.body.errors[0].field, 'header:If-Match');
});

test('a POST retried with the same Idempotency-Key returns the first result and creates one record', async () => {
  const H = { ...l.as['housing-officer'], 'idempotency-key': crypto.randomUUID() };
  const before = await count('people');
  const body = sample.person({ givenName: 'Margaret' });
  const first = await api(h, 'POST', '/api/v1/people', H, body);
  const retry = await api(h, 'POST', '/api/v1/people', H, body);
  assert.equal(first.status, 201);
  assert.equal(retry.status, 201);
  assert.equal(retry.body.id, first.body.id);
  assert.equal(retry.headers['idempotent-replayed'], 'true');
  assert.equal(await count('people'), before + 1);
});

test('concurrent POSTs with one Idempotency-Key create one record', async () => {
  const H = { ...l.as['housing-officer'], 'idempotency-key': crypto.randomUUID() };
  const before = await count('estates');
  const results = await Promise.all([1, 2, 3].map(() => api(h, 'POST', '/api/v1/estates', H, { name: 'Concurrent Estate' })));
  assert.deepEqual(results.map((r) => r.status), [201, 201, 201]);
  assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
  assert.equal(await count('estates'), before + 1);
});

test('an Idempotency-Key reused for a different request gets 422 and creates nothing', async () => {
  const H = { ...l.as['housing-officer'], 'idempotency-key': crypto.randomUUID() };
  await api(h, 'POST', '/api/v1/estates', H, { name: 'First' });
  const before = await count('estates');
  const res = await api(h, 'POST', '/api/v1/estates', H, { name: 'Second' });
  assert.equal(res.status, 422);
  assert.equal(await count('estates'), before);
});

const badInput: [string, string, Record<string, unknown>, string][] = [
  ['a UPRN that is not 1-12 digits', '/api/v1/homes', sample.home({ uprn: '1.0002E+11' }), '/uprn'],
  ['a 13-digit UPRN', '/api/v1/homes', sample.home({ uprn: '1234567890123' }), '/uprn'],
  ['an invalid postcode', '/api/v1/homes', sample.home({ postcode: 'LS6 XYZ' }), '/postcode'],
  ['an unknown property type code', '/api/v1/homes', sample.home({ propertyType: 'castle' }), '/propertyType'],
  ['an unknown field', '/api/v1/homes', sample.home({ colour: 'red' }), '/colour'],
  ['a date of birth in the future', '/api/v1/people', sample.person({ dateOfBirth: '2999-01-01' }), '/dateOfBirth'],
  ['a date of birth that does not exist', '/api/v1/people', sample.person({ dateOfBirth: '1990-02-30' }), '/dateOfBirth'],
  ['an unknown HACT alert code', '/api/v1/alerts', { personId: crypto.randomUUID(), hactCode: '99', category: 'MED', confidentiality: 'standard', startDate: '2024-01-01' }, '/hactCode'],
  ['a missing required field', '/api/v1/people', { familyName: 'Morgan' }, '/givenName'],
];
for (const [what, url, body, field] of badInput) {
  test(`${what}: 400 problem+json naming ${field}, nothing written`, async () => {
    const table = url.endsWith('homes') ? 'homes' : url.endsWith('people') ? 'people' : 'person_alerts';
    const before = await count(table);
    const res = await api(h, 'POST', url, l.as.administrator, body);
    assert.equal(res.status, 400);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.ok(res.body.errors.some((e: { field: string }) => e.field === field), `errors ${JSON.stringify(res.body.errors)} name ${field}`);
    assert.match(res.body.detail, new RegExp(field.slice(1)));
    assert.equal(await count(table), before);
  });
}

test('an oversize body gets 413 problem+json and nothing is written', async () => {
  const before = await count('people');
  const res = await api(h, 'POST', '/api/v1/people', l.as.administrator, sample.person({ middleNames: 'x'.repeat(2 * 1024 * 1024) }));
  assert.equal(res.status, 413);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assert.equal(await count('people'), before);
});

test('an over-long field value gets 400 naming the field', async () => {
  const res = await api(h, 'POST', '/api/v1/people', l.as.administrator, sample.person({ givenName: 'x'.repeat(101) }));
  assert.equal(res.status, 400);
  assert.equal(res.body.errors[0].field, '/givenName');
});

test('postcodes are stored normalised and homes can be listed by postcode with a cursor', async () => {
  const H = l.as.administrator;
  for (let i = 0; i < 5; i++) await api(h, 'POST', '/api/v1/homes', H, sample.home({ postcode: 'm14 5rq', subBuilding: `Flat ${i}` }));
  const page1 = await api(h, 'GET', '/api/v1/homes?postcode=M145RQ&limit=3', H);
  assert.equal(page1.body.items.length, 3);
  assert.ok(page1.body.items.every((x: { postcode: string }) => x.postcode === 'M14 5RQ'));
  const page2 = await api(h, 'GET', `/api/v1/homes?postcode=M145RQ&limit=3&cursor=${page1.body.nextCursor}`, H);
  assert.equal(page2.body.items.length, 2);
  assert.equal(page2.body.nextCursor, null);
  const ids = [...page1.body.items, ...page2.body.items].map((x: { id: string }) => x.id);
  assert.equal(new Set(ids).size, 5);
});

test('a record keeps every source system it came from', async () => {
  const res = await api(h, 'POST', '/api/v1/people', l.as.administrator, sample.person({
    sourceReferences: [{ system: 'housing-system', id: 'P001' }, { system: 'asb-system', id: 'C-77' }],
  }));
  assert.equal(res.status, 201);
  const got = await api(h, 'GET', `/api/v1/people/${res.body.id}`, l.as.administrator);
  assert.deepEqual(got.body.sourceReferences.map((r: { system: string; id: string }) => `${r.system}:${r.id}`).sort(), ['asb-system:C-77', 'housing-system:P001']);
});

test('the OpenAPI document lists every endpoint with its schemas', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/api/openapi.json' });
  const doc = res.json();
  for (const kind of ['organisations', 'estates', 'blocks', 'homes', 'people', 'tenancies', 'alerts']) {
    assert.ok(doc.paths[`/api/v1/${kind}`]?.get, `${kind} list`);
    assert.ok(doc.paths[`/api/v1/${kind}/{id}`]?.get, `${kind} get`);
    assert.ok(doc.paths[`/api/v1/${kind}/{id}`]?.patch, `${kind} update`);
    if (kind !== 'organisations') assert.ok(doc.paths[`/api/v1/${kind}`]?.post, `${kind} create`);
  }
  assert.equal(doc.paths['/api/v1/homes'].post.requestBody.content['application/json'].schema.properties.uprn.anyOf[0].pattern, '^[0-9]{1,12}$');
  assert.equal((await h.app.inject({ method: 'GET', url: '/api/docs/' })).statusCode, 200);
  assert.deepEqual(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/v1/')), [], 'staff pages are not part of the API document');
});

test('an alert whose HACT code and category contradict each other is refused, naming the category', async () => {
  const person = (await api(h, 'POST', '/api/v1/people', l.as.administrator, sample.person())).body;
  const res = await api(h, 'POST', '/api/v1/alerts', l.as.administrator, { personId: person.id, hactCode: '20-60', category: 'PREG', confidentiality: 'standard', startDate: '2024-01-01' });
  assert.equal(res.status, 400);
  assert.equal(res.body.errors[0].field, '/category');
  assert.match(res.body.detail, /use AGE/);
});

test('a tenancy has at most one lead tenant', async () => {
  const H = l.as.administrator;
  const [p1, p2] = [(await api(h, 'POST', '/api/v1/people', H, sample.person())).body.id, (await api(h, 'POST', '/api/v1/people', H, sample.person())).body.id];
  const homeId = (await api(h, 'POST', '/api/v1/homes', H, sample.home())).body.id;
  const before = await count('tenancies');
  const res = await api(h, 'POST', '/api/v1/tenancies', H, { reference: 'T-2L', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId, members: [{ personId: p1, role: 'lead' }, { personId: p2, role: 'lead' }] });
  assert.equal(res.status, 400);
  assert.equal(res.body.errors[0].field, '/members/1/role');
  assert.equal(await count('tenancies'), before);
});

test('a source reference that already identifies another record is a 409 naming it, and nothing is created', async () => {
  const ref = { system: 'housing-system', id: `P-${crypto.randomUUID()}` };
  const first = await api(h, 'POST', '/api/v1/people', l.as.administrator, sample.person({ sourceReferences: [ref] }));
  assert.equal(first.status, 201);
  const before = await count('people');
  const second = await api(h, 'POST', '/api/v1/people', l.as.administrator, sample.person({ givenName: 'Other', sourceReferences: [ref] }));
  assert.equal(second.status, 409);
  assert.equal(second.body.errors[0].field, '/sourceReferences/0');
  assert.equal(await count('people'), before);
});

test('list filters match text literally: % and _ are not wildcards', async () => {
  await api(h, 'POST', '/api/v1/people', l.as.administrator, sample.person({ familyName: 'Underscore_Test' }));
  assert.equal((await api(h, 'GET', '/api/v1/people?familyName=%25', l.as.administrator)).body.items.length, 0);
  assert.equal((await api(h, 'GET', '/api/v1/people?familyName=underscore_test', l.as.administrator)).body.items.length, 1);
  assert.equal((await api(h, 'GET', '/api/v1/people?familyName=underscoreXtest', l.as.administrator)).body.items.length, 0);
});
