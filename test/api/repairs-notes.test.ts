// Repairs and notes through the API: create, read, list, update with ETag / If-Match; validation that names the
// field; organisation isolation (another landlord can neither read them nor point at its records); and the single
// view that shows them, newest first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { homeView, personView } from '../../src/modules/single-view/service.ts';

let h: Harness; let a: Landlord; let b: Landlord;
/** Records of landlord A and landlord B, made once. */
const A = { homeId: '', otherHomeId: '', personId: '', tenancyId: '' };
const B = { homeId: '', personId: '', tenancyId: '', repairId: '', noteId: '' };

const DESCRIPTION = 'Tenant reports black mould on the bedroom ceiling and around the window.\n' +
  'Condensation on windows every morning; child has asthma.  Extractor fan in bathroom not working — "please call before 10".';

async function household(l: Landlord) {
  const H = l.as.administrator;
  const homeId = (await api(h, 'POST', '/api/v1/homes', H, sample.home())).body.id as string;
  const personId = (await api(h, 'POST', '/api/v1/people', H, sample.person())).body.id as string;
  const tenancyId = (await api(h, 'POST', '/api/v1/tenancies', H, {
    reference: `TEN-${crypto.randomUUID().slice(0, 8)}`, tenancyType: 'secure', tenure: 'social-rent', startDate: '2019-04-01', homeId,
    members: [{ personId, role: 'lead' }],
  })).body.id as string;
  return { homeId, personId, tenancyId };
}

const count = async (l: Landlord, table: 'repairs' | 'notes') => h.store.withOrg(l.id, async (tx) =>
  Number(((await tx.execute(sql.raw(`select count(*)::int as n from "${table}"`))).rows[0] as { n: number }).n));

const repair = (extra: Record<string, unknown> = {}) => ({
  jobReference: `JOB-${crypto.randomUUID().slice(0, 8)}`, homeId: A.homeId, reportedDate: '2024-11-04', priority: 'Routine',
  status: 'Completed', description: DESCRIPTION, completedDate: '2024-11-20', targetDate: '2024-12-02', sorCode: '603105', trade: 'Damp and mould',
  location: 'Bedroom', ...extra,
});
const note = (extra: Record<string, unknown> = {}) => ({
  subjectKind: 'person', personId: A.personId, noteType: 'Phone call', text: 'Called about the mould in the bedroom. Visit booked.', ...extra,
});

before(async () => {
  h = await harness();
  a = await landlord(h, 'Repairs landlord A');
  b = await landlord(h, 'Repairs landlord B');
  Object.assign(A, await household(a));
  A.otherHomeId = (await api(h, 'POST', '/api/v1/homes', a.as.administrator, sample.home())).body.id;
  Object.assign(B, await household(b));
  B.repairId = (await api(h, 'POST', '/api/v1/repairs', b.as.administrator, { jobReference: 'B-1', homeId: B.homeId, description: 'Leak under sink' })).body.id;
  B.noteId = (await api(h, 'POST', '/api/v1/notes', b.as.administrator, { subjectKind: 'home', homeId: B.homeId, text: 'Secret note of B' })).body.id;
  for (const [k, v] of Object.entries({ ...A, ...B })) assert.match(v, /^[0-9a-f-]{36}$/, `set-up made ${k}`);
});
after(() => h.close());

// ---- repairs

test('a repair is created, read and listed with every word of its description, and updated with If-Match', async () => {
  const H = a.as['housing-officer'];
  const created = await api(h, 'POST', '/api/v1/repairs', H, repair({ jobReference: 'JOB-100', sourceReferences: [{ system: 'repairs-system', id: 'JOB-100' }] }));
  assert.equal(created.status, 201);
  assert.equal(created.headers.etag, '"1"');
  assert.equal(created.headers.location, `/api/v1/repairs/${created.body.id}`);
  assert.equal(created.body.description, DESCRIPTION);
  assert.deepEqual(created.body.sourceReferences, [{ system: 'repairs-system', id: 'JOB-100', description: null }]);

  const got = await api(h, 'GET', `/api/v1/repairs/${created.body.id}`, a.as.analyst);
  assert.equal(got.status, 200);
  assert.equal(got.headers.etag, '"1"');
  assert.equal(got.body.description, DESCRIPTION);
  assert.equal(got.body.homeId, A.homeId);
  assert.equal(got.body.reportedDate, '2024-11-04');

  const updated = await api(h, 'PATCH', `/api/v1/repairs/${created.body.id}`, { ...H, 'if-match': '"1"' }, { status: 'Recalled', completedDate: null });
  assert.equal(updated.status, 200);
  assert.equal(updated.headers.etag, '"2"');
  assert.equal(updated.body.status, 'Recalled');
  assert.equal(updated.body.completedDate, null);

  const stale = await api(h, 'PATCH', `/api/v1/repairs/${created.body.id}`, { ...H, 'if-match': '"1"' }, { status: 'Completed' });
  assert.equal(stale.status, 412);
  const missing = await api(h, 'PATCH', `/api/v1/repairs/${created.body.id}`, H, { status: 'Completed' });
  assert.equal(missing.status, 428);
  assert.equal((await api(h, 'GET', `/api/v1/repairs/${created.body.id}`, H)).body.status, 'Recalled');
});

test('repairs are listed by home, by job reference and by status (exact, any case)', async () => {
  const H = a.as.administrator;
  await api(h, 'POST', '/api/v1/repairs', H, repair({ jobReference: 'LIST-1', homeId: A.otherHomeId, status: 'In progress', completedDate: null }));
  await api(h, 'POST', '/api/v1/repairs', H, repair({ jobReference: 'LIST-2', homeId: A.otherHomeId, status: 'Completed' }));
  await api(h, 'POST', '/api/v1/repairs', H, repair({ jobReference: 'LIST-3', homeId: A.otherHomeId, status: 'Cancelled', completedDate: null }));
  const byHome = await api(h, 'GET', `/api/v1/repairs?homeId=${A.otherHomeId}`, H);
  assert.equal(byHome.status, 200);
  assert.deepEqual(byHome.body.items.map((r: { jobReference: string }) => r.jobReference).sort(), ['LIST-1', 'LIST-2', 'LIST-3']);
  const byRef = await api(h, 'GET', '/api/v1/repairs?jobReference=list-2', H);
  assert.deepEqual(byRef.body.items.map((r: { jobReference: string }) => r.jobReference), ['LIST-2']);
  const byStatus = await api(h, 'GET', `/api/v1/repairs?homeId=${A.otherHomeId}&status=in%20progress`, H);
  assert.deepEqual(byStatus.body.items.map((r: { jobReference: string }) => r.jobReference), ['LIST-1']);
  const page1 = await api(h, 'GET', `/api/v1/repairs?homeId=${A.otherHomeId}&limit=2`, H);
  assert.equal(page1.body.items.length, 2);
  const page2 = await api(h, 'GET', `/api/v1/repairs?homeId=${A.otherHomeId}&limit=2&cursor=${page1.body.nextCursor}`, H);
  assert.equal(page2.body.items.length, 1);
  assert.equal(page2.body.nextCursor, null);
});

test('a job whose home matched no record keeps what it named, and no home', async () => {
  const res = await api(h, 'POST', '/api/v1/repairs', a.as.administrator, repair({ homeId: null, homeNamed: 'PR009999 / 12 Unknown Road' }));
  assert.equal(res.status, 201);
  assert.equal(res.body.homeId, null);
  assert.equal(res.body.homeNamed, 'PR009999 / 12 Unknown Road');
});

const badRepairs: [string, Record<string, unknown>, string][] = [
  ['a completed date before the reported date', { completedDate: '2024-11-01' }, '/completedDate'],
  ['a target date before the reported date', { targetDate: '2024-10-01' }, '/targetDate'],
  ['a reported date in the future', { reportedDate: '2999-01-01', completedDate: null, targetDate: null }, '/reportedDate'],
  ['a reported date that does not exist', { reportedDate: '2024-02-30' }, '/reportedDate'],
  ['a target date that is not a date', { targetDate: 'next week' }, '/targetDate'],
  ['no home and nothing named', { homeId: null }, '/homeId'],
  ['a home id that is not an id', { homeId: 'PR000001' }, '/homeId'],
  ['a missing job reference', { jobReference: undefined }, '/jobReference'],
  ['an unknown field', { cost: 12 }, '/cost'],
];
for (const [what, extra, field] of badRepairs) {
  test(`a repair with ${what}: 400 problem+json naming ${field}, nothing written`, async () => {
    const before = await count(a, 'repairs');
    const res = await api(h, 'POST', '/api/v1/repairs', a.as.administrator, repair(extra));
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.ok(res.body.errors.some((e: { field: string }) => e.field === field), `errors ${JSON.stringify(res.body.errors)} name ${field}`);
    assert.match(res.body.detail, new RegExp(field.slice(1)));
    assert.equal(await count(a, 'repairs'), before);
  });
}

test('an update that would put the dates out of order is refused, naming the field, and changes nothing', async () => {
  const H = a.as.administrator;
  const { body: r } = await api(h, 'POST', '/api/v1/repairs', H, repair());
  const res = await api(h, 'PATCH', `/api/v1/repairs/${r.id}`, { ...H, 'if-match': '"1"' }, { reportedDate: '2024-12-01' });
  assert.equal(res.status, 400);
  assert.equal(res.body.errors[0].field, '/completedDate');
  const got = await api(h, 'GET', `/api/v1/repairs/${r.id}`, H);
  assert.equal(got.headers.etag, '"1"');
  assert.equal(got.body.reportedDate, '2024-11-04');
});

test('an analyst may read repairs and notes but not write them', async () => {
  assert.equal((await api(h, 'POST', '/api/v1/repairs', a.as.analyst, repair())).status, 403);
  assert.equal((await api(h, 'POST', '/api/v1/notes', a.as.analyst, note())).status, 403);
  assert.equal((await api(h, 'GET', '/api/v1/repairs', a.as.analyst)).status, 200);
  assert.equal((await api(h, 'GET', '/api/v1/notes', a.as.analyst)).status, 200);
});

// ---- notes

test('a note is created (by you, now, unless it says otherwise), read, listed and updated with If-Match', async () => {
  const H = a.as['housing-officer'];
  const t0 = Date.now();
  const created = await api(h, 'POST', '/api/v1/notes', H, note());
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.headers.etag, '"1"');
  assert.equal(created.body.author, 'API token: housing-officer test token');
  assert.ok(Math.abs(Date.parse(created.body.notedAt) - t0) < 60_000, `noted now (${created.body.notedAt})`);
  assert.equal(created.body.personId, A.personId);
  assert.equal(created.body.homeId, null);

  const dated = await api(h, 'POST', '/api/v1/notes', H, note({ author: 'J. Smith', notedAt: '2023-05-06T10:15:00+01:00', text: 'Older note.\nSecond line.' }));
  assert.equal(dated.status, 201);
  assert.equal(dated.body.notedAt, '2023-05-06T09:15:00.000Z');
  assert.equal(dated.body.author, 'J. Smith');
  assert.equal(dated.body.text, 'Older note.\nSecond line.');

  const got = await api(h, 'GET', `/api/v1/notes/${created.body.id}`, a.as.analyst);
  assert.equal(got.status, 200);
  assert.equal(got.body.text, note().text);
  assert.equal(got.headers.etag, '"1"');

  const listed = await api(h, 'GET', `/api/v1/notes?personId=${A.personId}`, H);
  assert.ok(listed.body.items.some((n: { id: string }) => n.id === created.body.id));
  assert.ok(listed.body.items.every((n: { personId: string }) => n.personId === A.personId));

  const updated = await api(h, 'PATCH', `/api/v1/notes/${created.body.id}`, { ...H, 'if-match': '"1"' }, { text: 'Called about the mould. Visit booked for Tuesday.' });
  assert.equal(updated.status, 200);
  assert.equal(updated.headers.etag, '"2"');
  assert.equal(updated.body.text, 'Called about the mould. Visit booked for Tuesday.');
  assert.equal((await api(h, 'PATCH', `/api/v1/notes/${created.body.id}`, { ...H, 'if-match': '"1"' }, { text: 'x' })).status, 412);
});

test('notes are listed by home, tenancy and kind of subject', async () => {
  const H = a.as.administrator;
  const home = await api(h, 'POST', '/api/v1/notes', H, { subjectKind: 'home', homeId: A.homeId, text: 'Gas safety check done.' });
  const tenancy = await api(h, 'POST', '/api/v1/notes', H, { subjectKind: 'tenancy', tenancyId: A.tenancyId, text: 'Rent arrears plan agreed.' });
  assert.equal(home.status, 201);
  assert.equal(tenancy.status, 201);
  assert.deepEqual((await api(h, 'GET', `/api/v1/notes?homeId=${A.homeId}`, H)).body.items.map((n: { id: string }) => n.id), [home.body.id]);
  assert.deepEqual((await api(h, 'GET', `/api/v1/notes?tenancyId=${A.tenancyId}`, H)).body.items.map((n: { id: string }) => n.id), [tenancy.body.id]);
  const kinds = (await api(h, 'GET', '/api/v1/notes?subjectKind=tenancy', H)).body.items.map((n: { subjectKind: string }) => n.subjectKind);
  assert.deepEqual([...new Set(kinds)], ['tenancy']);
});

test('a note whose subject matched no record keeps what it named', async () => {
  const res = await api(h, 'POST', '/api/v1/notes', a.as.administrator, { subjectKind: 'tenancy', subjectNamed: 'Rent account 99-1234', text: 'Arrears letter sent.' });
  assert.equal(res.status, 201);
  assert.equal(res.body.tenancyId, null);
  assert.equal(res.body.subjectNamed, 'Rent account 99-1234');
});

const badNotes: [string, () => Record<string, unknown>, string][] = [
  ['a home id on a note about a person', () => note({ homeId: A.homeId }), '/homeId'],
  ['a person id on a note about a home', () => note({ subjectKind: 'home', homeId: A.homeId }), '/personId'],
  ['no id for its kind and nothing named', () => note({ subjectKind: 'tenancy', personId: null }), '/tenancyId'],
  ['an unknown kind of subject', () => note({ subjectKind: 'block' }), '/subjectKind'],
  ['no text', () => note({ text: '' }), '/text'],
  ['a date without a time zone', () => note({ notedAt: 'yesterday' }), '/notedAt'],
  ['a person that does not exist', () => note({ personId: '00000000-0000-7000-8000-000000000000' }), '/personId'],
];
for (const [what, body, field] of badNotes) {
  test(`a note with ${what}: 400 problem+json naming ${field}, nothing written`, async () => {
    const before = await count(a, 'notes');
    const res = await api(h, 'POST', '/api/v1/notes', a.as.administrator, body());
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.ok(res.body.errors.some((e: { field: string }) => e.field === field), `errors ${JSON.stringify(res.body.errors)} name ${field}`);
    assert.match(res.body.detail, new RegExp(field.slice(1)));
    assert.equal(await count(a, 'notes'), before);
  });
}

test('moving a note to another subject must clear the old one: refused naming the field, then accepted', async () => {
  const H = a.as.administrator;
  const { body: n } = await api(h, 'POST', '/api/v1/notes', H, note());
  const refused = await api(h, 'PATCH', `/api/v1/notes/${n.id}`, { ...H, 'if-match': '"1"' }, { subjectKind: 'home', homeId: A.homeId });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.errors[0].field, '/personId');
  assert.equal((await api(h, 'GET', `/api/v1/notes/${n.id}`, H)).body.personId, A.personId);
  const moved = await api(h, 'PATCH', `/api/v1/notes/${n.id}`, { ...H, 'if-match': '"1"' }, { subjectKind: 'home', homeId: A.homeId, personId: null });
  assert.equal(moved.status, 200);
  assert.equal(moved.body.homeId, A.homeId);
  assert.equal(moved.body.personId, null);
});

// ---- isolation

for (const kind of ['repairs', 'notes'] as const) {
  test(`landlord A cannot read, list or change landlord B's ${kind}`, async () => {
    const id = kind === 'repairs' ? B.repairId : B.noteId;
    for (const role of ['administrator', 'analyst'] as const) {
      const res = await api(h, 'GET', `/api/v1/${kind}/${id}`, a.as[role]);
      assert.equal(res.status, 404);
      assert.doesNotMatch(JSON.stringify(res.body), new RegExp(id));
    }
    const list = await api(h, 'GET', `/api/v1/${kind}?limit=200&homeId=${B.homeId}`, a.as.administrator);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items, []);
    const all = await api(h, 'GET', `/api/v1/${kind}?limit=200`, a.as.administrator);
    assert.ok(!all.body.items.some((r: { id: string }) => r.id === id));
    const patch = await api(h, 'PATCH', `/api/v1/${kind}/${id}`, { ...a.as.administrator, 'if-match': '"1"' }, {});
    assert.equal(patch.status, 404);
    // Not absence: B sees its own.
    assert.equal((await api(h, 'GET', `/api/v1/${kind}/${id}`, b.as.analyst)).status, 200);
  });
}

const crossReferences: [string, string, () => Record<string, unknown>, string][] = [
  ["a repair for landlord B's home", 'repairs', () => repair({ homeId: B.homeId }), '/homeId'],
  ["a note about landlord B's person", 'notes', () => note({ personId: B.personId }), '/personId'],
  ["a note about landlord B's home", 'notes', () => note({ subjectKind: 'home', personId: null, homeId: B.homeId }), '/homeId'],
  ["a note about landlord B's tenancy", 'notes', () => note({ subjectKind: 'tenancy', personId: null, tenancyId: B.tenancyId }), '/tenancyId'],
];
for (const [what, kind, body, field] of crossReferences) {
  test(`landlord A cannot record ${what}: 400 naming ${field}, nothing written`, async () => {
    const before = await count(a, kind as 'repairs' | 'notes');
    const res = await api(h, 'POST', `/api/v1/${kind}`, a.as.administrator, body());
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.errors[0].field, field);
    assert.match(res.body.detail, /does not exist/);
    assert.equal(await count(a, kind as 'repairs' | 'notes'), before);
  });
}

test("landlord A cannot move its own repair or note onto landlord B's records", async () => {
  const H = a.as.administrator;
  const { body: r } = await api(h, 'POST', '/api/v1/repairs', H, repair());
  const res = await api(h, 'PATCH', `/api/v1/repairs/${r.id}`, { ...H, 'if-match': '"1"' }, { homeId: B.homeId });
  assert.equal(res.status, 400);
  assert.equal(res.body.errors[0].field, '/homeId');
  assert.equal((await api(h, 'GET', `/api/v1/repairs/${r.id}`, H)).body.homeId, A.homeId);
  const { body: n } = await api(h, 'POST', '/api/v1/notes', H, note());
  const moved = await api(h, 'PATCH', `/api/v1/notes/${n.id}`, { ...H, 'if-match': '"1"' }, { personId: B.personId });
  assert.equal(moved.status, 400);
  assert.equal(moved.body.errors[0].field, '/personId');
});

// ---- the single view and the API document

test('the home and person views show repair history and notes, newest first', async () => {
  const H = a.as.administrator;
  const { homeId, personId, tenancyId } = await household(a);
  for (const [ref, reported] of [['SV-1', '2023-01-10'], ['SV-3', '2025-02-01'], ['SV-2', '2024-06-15']] as const) {
    assert.equal((await api(h, 'POST', '/api/v1/repairs', H, repair({ jobReference: ref, homeId, reportedDate: reported, completedDate: null, targetDate: null }))).status, 201);
  }
  const at = (d: string) => `${d}T12:00:00Z`;
  await api(h, 'POST', '/api/v1/notes', H, { subjectKind: 'home', homeId, text: 'home note', notedAt: at('2024-01-01') });
  await api(h, 'POST', '/api/v1/notes', H, { subjectKind: 'tenancy', tenancyId, text: 'tenancy note', notedAt: at('2025-01-01') });
  await api(h, 'POST', '/api/v1/notes', H, { subjectKind: 'person', personId, text: 'person note', notedAt: at('2024-06-01') });
  await api(h, 'POST', '/api/v1/notes', H, { subjectKind: 'home', homeId: A.otherHomeId, text: 'another home' });

  const actor = systemActor(a.id);
  const home = await h.store.withOrg(a.id, (tx) => homeView({ actor, tx }, homeId));
  assert.deepEqual(home.repairs.map((r) => r.jobReference), ['SV-3', 'SV-2', 'SV-1']);
  assert.equal(home.repairs[0]!.description, DESCRIPTION);
  assert.deepEqual(home.notes.map((n) => n.text), ['tenancy note', 'home note']);
  const person = await h.store.withOrg(a.id, (tx) => personView({ actor, tx }, personId));
  assert.deepEqual(person.notes.map((n) => n.text), ['tenancy note', 'person note']);
});

test('the OpenAPI document describes the repairs and notes endpoints', async () => {
  const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  for (const kind of ['repairs', 'notes']) {
    assert.ok(doc.paths[`/api/v1/${kind}`]?.get && doc.paths[`/api/v1/${kind}`]?.post, `${kind} list and create`);
    assert.ok(doc.paths[`/api/v1/${kind}/{id}`]?.get && doc.paths[`/api/v1/${kind}/{id}`]?.patch, `${kind} get and update`);
  }
  const repairBody = doc.paths['/api/v1/repairs'].post.requestBody.content['application/json'].schema;
  assert.match(JSON.stringify(repairBody.properties.description), /word for word/);
  const noteBody = doc.paths['/api/v1/notes'].post.requestBody.content['application/json'].schema;
  assert.match(noteBody.properties.subjectKind.description, /person, home, tenancy/);
});
