// The hub operator's pages (src/modules/hub/operator) on the real app and database: administrators only (403 for an
// analyst, sign-in for nobody), CSRF on every form; a publisher added; a push key's secret shown once and never again
// (not on the publisher's page nor the list), audited without it; a revoked key refused by the push API (401); a
// source with an ftp:// address refused naming the field; an upload with bad rows answered with row and column errors
// while its good rows load; "pull now" pulling a feed from a real HTTP server on this machine.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { localServer, type LocalServer } from '../support/local-server.ts';
import { harness, landlord, type Harness, type Landlord } from '../support/harness.ts';
import { makeHubOperator } from '../../src/modules/hub/operator/service.ts';
import { staffSession, STAFF_PASSWORD, type StaffSession } from '../support/staff.ts';
import { EXAMPLE_HOME } from '../../src/modules/hub/standard/examples.ts';
import { standardCsv } from '../../src/modules/hub/standard/csv.ts';
import { pushHeaders, PUSH_PATH } from '../../src/modules/hub/push/client.ts';

let h: Harness;
let l: Landlord;
let admin: StaffSession;
let server: LocalServer;
let base: string;
const seed = String((process.pid * 17) % 10000).padStart(4, '0');
const unique = `${process.pid}-${Date.now() % 100000}`;
let counter = 0;
const registration = () => `O${String.fromCharCode(65 + (++counter % 26))}${seed}`;

before(async () => {
  // Private addresses refused, as in production (a test below allows them the webhooks' way, by its setting).
  h = await harness({ hubAllowPrivate: false });
  l = await landlord(h);
  await h.store.system((db) => makeHubOperator(db, l.id));
  admin = await staffSession(h, l.id, 'administrator', 'Ada Operator', `operator.${unique}@example.org`);
  server = await localServer((_req, res, url) => {
    if (url.pathname !== '/feed') return void res.writeHead(404).end();
    // An RPDE feed of two homes: the first page has them, the next (after the last) is empty.
    const items = url.searchParams.has('afterTimestamp') ? [] : [
      { state: 'updated', kind: 'home', id: 'F1', modified: 1, data: { ...EXAMPLE_HOME, landlordReference: 'F1', uprn: undefined } },
      { state: 'updated', kind: 'home', id: 'F2', modified: 2, data: { ...EXAMPLE_HOME, landlordReference: 'F2', uprn: undefined } },
    ];
    const body = JSON.stringify({ next: `${base}/feed?afterTimestamp=2&afterId=F2`, items, license: 'https://creativecommons.org/licenses/by/4.0/' });
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  base = server.base;
});
after(async () => {
  await server.close();
  await h.close();
});

const rows = async (q: ReturnType<typeof sql>) => (await h.store.system((db) => db.execute(q))).rows as Record<string, unknown>[];
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

/** Add a publisher through the form; its registration. */
async function addPublisher(name = `Operator test ${unique}`): Promise<string> {
  const reg = registration();
  await admin.get('/hub-operator/new');
  const r = await admin.post('/hub-operator/new', { registration: reg.toLowerCase(), name, kind: 'private-registered-provider', region: '' });
  assert.equal(r.statusCode, 303, r.body);
  assert.equal(r.headers.location, `/hub-operator/publishers/${reg}`);
  return reg;
}

/** A multipart upload as a browser sends it: a signed-in session's cookies, the CSRF token first, the kind, the file. */
async function upload(who: StaffSession, reg: string, fileName: string, body: string, kind = '') {
  const session = `hearth_session=${(await h.auth.signIn(who.email, STAFF_PASSWORD))!.token}`;
  const page = await h.app.inject({ method: 'GET', url: `/hub-operator/publishers/${reg}`, headers: { cookie: session } });
  const cookie = [session, ...page.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
  const csrf = who.field(page.body, '_csrf');
  const boundary = `----hub${unique}`;
  const part = (name: string, value: string, file?: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file}"\r\nContent-Type: text/csv` : ''}\r\n\r\n${value}\r\n`;
  const payload = `${part('_csrf', csrf)}${part('kind', kind)}${part('file', body, fileName)}--${boundary}--\r\n`;
  return h.app.inject({ method: 'POST', url: `/hub-operator/publishers/${reg}/upload`, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

test('the hub operator\'s administrators only: signed out goes to sign-in, an analyst or a landlord\'s administrator is refused, every form needs its CSRF token', async () => {
  const reg = await addPublisher();
  for (const url of ['/hub-operator', '/hub-operator/new', `/hub-operator/publishers/${reg}`]) {
    const anonymous = await h.app.inject({ method: 'GET', url });
    assert.equal(anonymous.statusCode, 302, url);
    assert.match(String(anonymous.headers.location), /^\/sign-in\?next=/);
  }
  const analyst = await staffSession(h, l.id, 'analyst', 'Ann Analyst', `analyst.${unique}@example.org`);
  await analyst.get('/'); // a page with a form, for a CSRF token: the refusal is for the role, not the token
  for (const url of ['/hub-operator', '/hub-operator/new', `/hub-operator/publishers/${reg}`]) assert.equal((await analyst.get(url)).statusCode, 403, url);
  assert.equal((await analyst.post(`/hub-operator/publishers/${reg}/keys`, {})).statusCode, 403);
  assert.equal((await analyst.post('/hub-operator/new', { registration: 'ZQ0001', name: 'Nope', kind: 'local-authority' })).statusCode, 403);
  // A landlord's administrator, whose organisation does not run the hub, is refused too: on a Hearth that is also a
  // hub, landlords must not make keys for anyone's registration.
  const other = await landlord(h);
  const landlordAdmin = await staffSession(h, other.id, 'administrator', 'Lana Landlord', `landlord-admin.${unique}@example.org`);
  await landlordAdmin.get('/');
  for (const url of ['/hub-operator', `/hub-operator/publishers/${reg}`]) assert.equal((await landlordAdmin.get(url)).statusCode, 403, url);
  assert.equal((await landlordAdmin.post(`/hub-operator/publishers/${reg}/keys`, {})).statusCode, 403);
  assert.equal((await rows(sql`SELECT 1 FROM hub.credentials WHERE publisher = ${reg}`)).length, 0);

  const page = await admin.get(`/hub-operator/publishers/${reg}`);
  assert.equal(page.statusCode, 200);
  assert.equal([...page.body.matchAll(/name="_csrf"/g)].length, [...page.body.matchAll(/<form method="post"/g)].length, 'every form carries the token');
  // A signed-in administrator whose form has no token: refused, nothing made.
  const tokenless = await staffSession(h, l.id, 'administrator', 'Tom Tokenless', `tokenless.${unique}@example.org`);
  assert.equal((await tokenless.post(`/hub-operator/publishers/${reg}/keys`, {})).statusCode, 403);
  assert.equal((await tokenless.post('/hub-operator/new', { registration: 'ZQ0002', name: 'Nope', kind: 'local-authority' })).statusCode, 403);
  assert.equal((await rows(sql`SELECT 1 FROM hub.credentials WHERE publisher = ${reg}`)).length, 0);
  assert.equal((await rows(sql`SELECT 1 FROM hub.publishers WHERE publisher = 'ZQ0002'`)).length, 0);

  // The list shows the publisher; a second add of it is refused naming the field.
  const list = text((await admin.get('/hub-operator')).body);
  assert.match(list, new RegExp(`Operator test ${unique} Private registered provider ${reg} 0 Never 0 No data yet`));
  await admin.get('/hub-operator/new');
  const twice = await admin.post('/hub-operator/new', { registration: reg, name: 'Again', kind: 'local-authority' });
  assert.equal(twice.statusCode, 400);
  assert.match(twice.body, new RegExp(`<a href="#registration">${reg} is already a publisher of this hub`));
  const bad = await admin.post('/hub-operator/new', { registration: 'L12', name: '', kind: 'neither' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#registration"/);
  assert.match(bad.body, /href="#name">Enter the landlord&#39;s name/);
  assert.match(bad.body, /href="#kind">Select the kind of landlord/);
});

test("a push key's secret is shown once, never again; a push with it works, and once revoked it is refused (401)", async () => {
  const reg = await addPublisher();
  await admin.get(`/hub-operator/publishers/${reg}`);
  const made = await admin.post(`/hub-operator/publishers/${reg}/keys`, {});
  assert.equal(made.statusCode, 200, made.body);
  const secret = /data-secret>(whsec_[^<]+)</.exec(made.body)?.[1];
  const keyId = /(hk_[A-Za-z0-9_-]{16})/.exec(made.body)?.[1];
  assert.ok(secret && keyId, 'the page shows the key id and its secret');
  assert.match(text(made.body), /It will not be shown again/);
  assert.equal(made.headers['cache-control'], 'no-store');
  const [stored] = await rows(sql`SELECT secret FROM hub.credentials WHERE publisher = ${reg} AND key_id = ${keyId}`);
  assert.equal(stored?.secret, secret);

  const again = await admin.get(`/hub-operator/publishers/${reg}`);
  assert.ok(again.body.includes(keyId), 'the key is listed');
  assert.ok(!again.body.includes(secret) && !again.body.includes('whsec_'), 'its secret is not');
  assert.ok(!(await admin.get('/hub-operator')).body.includes('whsec_'));
  const [event] = await rows(sql`SELECT action, detail::text AS detail FROM audit_events WHERE organisation_id = ${l.id} AND action = 'hub-key-created' AND detail->>'keyId' = ${keyId}`);
  assert.ok(event, 'the key is audited');
  assert.ok(!String(event.detail).includes('whsec_'), 'without its secret');

  const push = async (id: string) => {
    const body = JSON.stringify({ standard: '1.0', publisher: reg, records: [{ ...EXAMPLE_HOME, landlordReference: id, uprn: undefined }] });
    return h.app.inject({ method: 'POST', url: PUSH_PATH, headers: pushHeaders({ publisher: reg, keyId, secret, id, at: new Date(), body }), payload: body });
  };
  const ok = await push(`p1-${unique}`);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().accepted, 1);

  const revoked = await admin.post(`/hub-operator/publishers/${reg}/keys/${keyId}/revoke`, {});
  assert.equal(revoked.statusCode, 303);
  assert.match(text((await admin.get(`/hub-operator/publishers/${reg}`)).body), new RegExp(`${keyId} .* Revoked`));
  const refused = await push(`p2-${unique}`);
  assert.equal(refused.statusCode, 401);
  assert.match(refused.json().detail, /hub-key: was revoked/);
  assert.equal((await rows(sql`SELECT 1 FROM audit_events WHERE organisation_id = ${l.id} AND action = 'hub-key-revoked' AND detail->>'keyId' = ${keyId}`)).length, 1);
});

test('a source with an ftp:// address is refused naming the field; a private address too unless allowed', async () => {
  const reg = await addPublisher();
  await admin.get(`/hub-operator/publishers/${reg}`);
  const ftp = await admin.post(`/hub-operator/publishers/${reg}/sources`, { kind: 'file', url: 'ftp://landlord.example.org/homes.csv', fileKind: 'homes' });
  assert.equal(ftp.statusCode, 400);
  assert.match(ftp.body, /<a href="#url">The address must use https or http, not ftp<\/a>/);
  assert.match(ftp.body, /value="ftp:\/\/landlord.example.org\/homes.csv"/, 'what was typed is kept');
  const noKind = await admin.post(`/hub-operator/publishers/${reg}/sources`, { kind: 'file', url: 'https://landlord.example.org/homes.csv', fileKind: '' });
  assert.equal(noKind.statusCode, 400);
  assert.match(noKind.body, /href="#fileKind">What the file holds is missing/);
  const saved = process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE;
  delete process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE;
  try {
    const loopback = await admin.post(`/hub-operator/publishers/${reg}/sources`, { kind: 'feed', url: `${base}/feed` });
    assert.equal(loopback.statusCode, 400);
    assert.match(loopback.body, /href="#url">The address must use https/);
  } finally {
    if (saved !== undefined) process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE = saved;
  }
  assert.equal((await rows(sql`SELECT 1 FROM hub.sources WHERE publisher = ${reg}`)).length, 0);
});

test('an upload with bad rows shows each row and column at fault, and loads the good rows', async () => {
  const reg = await addPublisher();
  const csv = standardCsv('homes', [
    { ...EXAMPLE_HOME, landlordReference: 'U1', uprn: undefined },
    { ...EXAMPLE_HOME, landlordReference: 'U2', uprn: undefined, bedrooms: 2 },
    { ...EXAMPLE_HOME, landlordReference: 'U3', uprn: undefined },
    { ...EXAMPLE_HOME, landlordReference: 'U4', uprn: undefined },
  ]).split('\n');
  // Row 3 (U2): bedrooms 99; row 5 (U4): a rent type that is not one.
  const cols = csv[0]!.split(',');
  const set = (line: number, column: string, value: string) => { const cells = csv[line]!.split(','); cells[cols.indexOf(column)] = value; csv[line] = cells.join(','); };
  set(2, 'bedrooms', '99');
  set(4, 'rent_type', 'weekly');
  const res = await upload(admin, reg, 'homes.csv', csv.join('\n'));
  assert.equal(res.statusCode, 200, res.body);
  const page = text(res.body);
  assert.match(page, /homes\.csv: taken in/);
  assert.match(page, /Records 4 Accepted 2 Rejected 2/);
  assert.match(page, /Row 3 bedrooms bedrooms \(99\) must be 20 or less/);
  assert.match(page, /Row 5 rent_type rent_type \("weekly"\) must be one of/);
  assert.deepEqual((await rows(sql`SELECT landlord_reference FROM hub.homes WHERE publisher = ${reg} ORDER BY 1`)).map((r) => r.landlord_reference), ['U1', 'U3']);

  // The kind chosen wins over the name; a name that says nothing, with no kind, is refused naming the file.
  const chosen = await upload(admin, reg, 'stock-2026.csv', csv.join('\n'), 'homes');
  assert.match(text(chosen.body), /stock-2026\.csv: taken in before/);
  const unnamed = await upload(admin, reg, 'stock-2026.csv', csv.join('\n'));
  assert.equal(unnamed.statusCode, 400);
  assert.match(unnamed.body, /href="#file">stock-2026\.csv is not named as a file of the standard/);
});

test('pull now pulls the publisher\'s feed from a server on this machine and shows what it gave', async () => {
  const reg = await addPublisher();
  const saved = process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE;
  process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE = '1';
  try {
    await admin.get(`/hub-operator/publishers/${reg}`);
    const registered = await admin.post(`/hub-operator/publishers/${reg}/sources`, { kind: 'feed', url: `${base}/feed` });
    assert.equal(registered.statusCode, 303, registered.body);
    const page = await admin.get(`/hub-operator/publishers/${reg}`);
    assert.match(text(page.body), new RegExp(`Change feed Address ${base}/feed Status OK`));
    const pulled = await admin.post(`/hub-operator/publishers/${reg}/pull`, {});
    assert.equal(pulled.statusCode, 200, pulled.body);
    assert.match(text(pulled.body), new RegExp(`Pulled now .* ${base}/feed Taken in 2 2 0`));
    assert.deepEqual((await rows(sql`SELECT landlord_reference FROM hub.homes WHERE publisher = ${reg} ORDER BY 1`)).map((r) => r.landlord_reference), ['F1', 'F2']);

    // Paused, it is not pulled; resumed, it is again (nothing new); removed, it is gone.
    const [source] = await rows(sql`SELECT id FROM hub.sources WHERE publisher = ${reg}`);
    assert.equal((await admin.post(`/hub-operator/publishers/${reg}/sources/${source!.id}/pause`, {})).statusCode, 303);
    assert.match(text((await admin.post(`/hub-operator/publishers/${reg}/pull`, {})).body), /Nothing was pulled/);
    assert.equal((await admin.post(`/hub-operator/publishers/${reg}/sources/${source!.id}/resume`, {})).statusCode, 303);
    assert.match(text((await admin.post(`/hub-operator/publishers/${reg}/pull`, {})).body), /Nothing new/);
    assert.equal((await admin.post(`/hub-operator/publishers/${reg}/sources/${source!.id}/remove`, {})).statusCode, 303);
    assert.equal((await rows(sql`SELECT 1 FROM hub.sources WHERE publisher = ${reg}`)).length, 0);
  } finally {
    if (saved === undefined) delete process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE;
    else process.env.HEARTH_WEBHOOKS_ALLOW_PRIVATE = saved;
  }
});
