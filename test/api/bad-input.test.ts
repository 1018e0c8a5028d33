// Hostile input: a NUL character (PostgreSQL text cannot hold one) anywhere in a request, or a number too big for its
// column, is a 400 naming the field, never a 500; and what the server logs never echoes request values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';

let h: Harness;
let a: Landlord;
let log = '';
let homeId: string;
const PERSONAL = 'Jane Doe 1971-03-02';
const NUL = `${PERSONAL}\u0000`;

before(async () => {
  h = await harness({}, {
    logStream: new Writable({ write(chunk, _enc, done) { log += String(chunk); done(); } }),
    // A route that fails in the database with a personal-looking value in the query's parameters and in the
    // database's own message (invalid input syntax for type integer: "Jane Doe …"): what a 500 is made of.
    beforeReady: (app) => app.get('/api/v1/test-database-failure', async () =>
      h.store.system((tx) => tx.execute(sql`select ${PERSONAL}::int as n`))),
  });
  a = await landlord(h);
  homeId = (await api(h, 'POST', '/api/v1/homes', a.as.administrator, sample.home())).body.id;
});
after(() => h.close());

type Parameter = { name: string; in: string; schema: { type?: string; anyOf?: { type?: string }[] } };
const isString = (s: Parameter['schema']) => s.type === 'string' || (s.anyOf ?? []).some((x) => x.type === 'string');

/** Assert a problem+json 400 that names `field` (in `errors` and in the detail). */
function namesField(res: Awaited<ReturnType<typeof api>>, field: string, what: string) {
  assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/, what);
  assert.ok(res.body.errors?.some((e: { field: string }) => e.field.endsWith(`/${field}`)), `${what} names ${field}: ${JSON.stringify(res.body)}`);
  assert.match(res.body.detail, new RegExp(`(?<!\\w)${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\w)`), what);
}

test('every string filter of every list route in the OpenAPI document: a NUL character is a 400 naming the filter', async () => {
  const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, { get?: { parameters?: Parameter[] } }> };
  const tried: string[] = [];
  for (const [route, ops] of Object.entries(doc.paths)) {
    const filters = (ops.get?.parameters ?? []).filter((p) => p.in === 'query' && isString(p.schema));
    // A path id is a well-formed id of nothing: the NUL must be refused before any lookup.
    const path = route.replace(/\{[^}]+\}/g, '00000000-0000-7000-8000-000000000000');
    for (const f of filters) {
      const res = await api(h, 'GET', `${path}?${f.name}=${encodeURIComponent(NUL)}`, a.as.administrator);
      namesField(res, f.name, `GET ${route}?${f.name}`);
      tried.push(`${route}?${f.name}`);
    }
  }
  // The walk really covers the list filters (a guard against the document changing shape under this test).
  for (const must of ['/api/v1/estates?name', '/api/v1/people?familyName', '/api/v1/repairs?status', '/api/v1/audit-events?action', '/api/v1/insight/damp-and-mould?estate'])
    assert.ok(tried.includes(must), must);
});

test('a NUL character in a POSTed text field is a 400 naming the field', async () => {
  const who = a.as.administrator;
  namesField(await api(h, 'POST', '/api/v1/estates', who, { name: NUL }), 'name', 'estate name');
  namesField(await api(h, 'POST', '/api/v1/notes', who, { subjectKind: 'home', homeId, text: NUL }), 'text', 'note text');
  namesField(await api(h, 'POST', `/api/v1/homes/${homeId}/hazard-reports`, who,
    { hazard: 'damp-and-mould', severity: 'significant', reportedAt: '2026-01-05T10:00:00Z', description: NUL }), 'description', 'hazard description');
  // Deep in the body, and in a key: the pointer says where.
  const deep = await api(h, 'POST', '/api/v1/people', who, sample.person({ contactPoints: [{ system: 'phone', value: NUL, use: 'mobile' }] }));
  namesField(deep, 'value', 'contact point value');
  assert.ok(deep.body.errors.some((e: { field: string }) => e.field === '/contactPoints/0/value'), JSON.stringify(deep.body));
  namesField(await api(h, 'POST', '/api/v1/estates', who, { ['na\u0000me']: 'x' }), 'na␀me', 'a key');
  assert.equal((await h.store.withOrg(a.id, (tx) => tx.execute(sql`select count(*)::int as n from estates`))).rows[0]!.n, 0, 'nothing written');
});

test('a NUL character in an upload\'s fields, or escaped in its mapping, is a 400 naming the field', async () => {
  const send = async (fields: Record<string, string>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob(['Prop Ref,UPRN,Street,Town,Post Code\r\nP1,100023336956,Moor Road,Leeds,LS6 1AA\r\n'], { type: 'text/csv' }), 'homes.csv');
    const request = new Request('http://hearth.test/', { method: 'POST', body: form });
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...a.as.administrator, 'content-type': request.headers.get('content-type')! },
      payload: Buffer.from(await request.arrayBuffer()) });
    return { status: res.statusCode, headers: res.headers, body: res.json() };
  };
  namesField(await send({ sourceSystem: 'northgate', kind: 'homes', sheet: NUL }), 'sheet', 'upload sheet');
  const mapping = JSON.stringify({ kind: 'homes', columns: { 'Prop Ref': 'reference', UPRN: 'uprn', Street: 'street', Town: 'town', 'Post Code': 'postcode' },
    values: { propertyType: { [NUL]: 'flat' } } });
  assert.ok(mapping.includes('\\u0000'), 'the NUL is a JSON escape in the field, a real NUL only once parsed');
  const escaped = await send({ sourceSystem: 'northgate', kind: 'homes', mapping });
  namesField(escaped, 'Jane Doe 1971-03-02␀', 'a mapping key');
  assert.ok(escaped.body.errors.some((e: { field: string }) => e.field.startsWith('/mapping/values/propertyType/')), JSON.stringify(escaped.body));
  const imports = await api(h, 'GET', '/api/v1/imports', a.as.administrator);
  assert.equal(imports.body.items.length, 0, 'no import started');
});

test('a number too large for its column is a 400 naming the field', async () => {
  for (const value of ['99999999999999999999', '2147483648']) {
    namesField(await api(h, 'GET', `/api/v1/blocks?minStoreys=${value}`, a.as.administrator), 'minStoreys', `minStoreys=${value}`);
  }
  assert.equal((await api(h, 'GET', '/api/v1/blocks?minStoreys=150', a.as.administrator)).status, 200);
});

test('a date in year 0000 (which PostgreSQL cannot read) is a 400 naming the field', async () => {
  const who = a.as.administrator;
  namesField(await api(h, 'GET', '/api/v1/people?dateOfBirth=0000-01-01', who), 'dateOfBirth', 'date filter');
  namesField(await api(h, 'GET', '/api/v1/audit-events?before=0000-01-01T00:00:00Z', who), 'before', 'date-time filter');
  namesField(await api(h, 'POST', '/api/v1/people', who, sample.person({ dateOfBirth: '0000-02-29' })), 'dateOfBirth', 'date of birth');
  namesField(await api(h, 'POST', '/api/v1/notes', who, { subjectKind: 'home', homeId, text: 'x', notedAt: '0000-01-01T00:00:00Z' }), 'notedAt', 'note time');
  assert.equal((await api(h, 'GET', '/api/v1/people?dateOfBirth=0001-01-01', who)).status, 200, 'year 1 is a date');
});

test('pages: a NUL character in the search box or a form is a 400 page naming the field', async () => {
  const email = `officer.${a.id.slice(-8)}@example.org`;
  const password = 'a long test password 1';
  await h.auth.addUser({ organisationId: a.id, email, name: 'Test officer', role: 'housing-officer', password });
  const session = `hearth_session=${(await h.auth.signIn(email, password))!.token}`;
  const search = await h.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent(NUL)}`, headers: { cookie: session } });
  assert.equal(search.statusCode, 400);
  assert.match(String(search.headers['content-type']), /^text\/html/);
  assert.match(search.body, /class="govuk-heading-l"/);
  assert.match(search.body, /\bq: must not contain the NUL character/);

  const form = await h.app.inject({ method: 'GET', url: `/homes/${homeId}/hazards/new`, headers: { cookie: session } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const formToken = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
  const cookie = `${session}; ${form.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`;
  const post = await h.app.inject({
    method: 'POST', url: `/homes/${homeId}/hazards/new`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, formToken, hazard: 'damp-and-mould', severity: 'significant', 'reportedAt-day': '1', 'reportedAt-month': '2',
      'reportedAt-year': '2026', reportedAtTime: '9:30am', description: NUL }).toString(),
  });
  assert.equal(post.statusCode, 400);
  assert.match(post.body, /\bdescription: must not contain the NUL character/);

  // A date the database cannot read (year 0000) is the form's own error, linked to the field.
  const yearZero = await h.app.inject({
    method: 'POST', url: `/homes/${homeId}/hazards/new`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, formToken, hazard: 'damp-and-mould', severity: 'significant', 'reportedAt-day': '1', 'reportedAt-month': '2',
      'reportedAt-year': '0000', reportedAtTime: '9:30am', description: 'Mould' }).toString(),
  });
  assert.equal(yearZero.statusCode, 400);
  assert.ok(yearZero.body.includes('href="#reportedAt-day"'), 'the error summary links to the date');
});

test('the server log never echoes request values, even for a database failure', async () => {
  const before = log.length;
  const res = await api(h, 'GET', '/api/v1/test-database-failure', a.as.administrator);
  assert.equal(res.status, 500);
  assert.equal(res.body.detail, 'Something went wrong');
  const written = log.slice(before);
  type Logged = { type: string; code?: string; message: string; stack: string; cause?: Logged };
  const entry = written.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; err?: Logged }).find((e) => e.msg === 'request failed');
  assert.ok(entry?.err, `the failure is logged: ${written}`);
  assert.equal(entry.err.code, '22P02', 'with the database error code');
  assert.match(entry.err.message, /^Failed query: select \$1::int as n$/, 'the statement, without its parameters');
  assert.match(entry.err.cause?.message ?? '', /invalid input syntax for type integer/, 'and the database message');
  assert.match(entry.err.stack, /\n\s+at /, 'and where it happened');
  assert.ok(!log.includes('Jane Doe'), `no request value in the log: ${written}`);
});
