// Repair requests and settings through the API and the administrator's pages (issue 14): report for a resident
// (problem+json naming the field for an unknown tree path or a home not held), read it back; read the settings, save a
// new version (errors by JSON path; administrators only; audited); the settings page's upload; the resident's photos.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { staffSession, STAFF_PASSWORD } from '../support/staff.ts';
import { listAudit } from '../../src/platform/audit/service.ts';
import { repairPhotos, repairRequests } from '../../src/modules/repairs/schema.ts';
import { DEFAULT_REPAIR_SETTINGS } from '../../src/modules/repairs/rules/default-settings.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
let homeA: string;
let homeB: string;

async function post(who: Landlord, url: string, body: unknown): Promise<string> {
  const r = await api(h, 'POST', url, who.as.administrator, body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}
const put = (who: { authorization: string }, url: string, payload: unknown) =>
  h.app.inject({ method: 'PUT', url, headers: { ...who, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

before(async () => {
  h = await harness();
  a = await landlord(h);
  b = await landlord(h);
  homeA = await post(a, '/api/v1/homes', sample.home({ postcode: 'LS6 2BB', subBuilding: 'Flat 5' }));
  homeB = await post(b, '/api/v1/homes', sample.home({ postcode: 'LS6 2BB' }));
});
after(() => h.close());

const body = (extra: Record<string, unknown> = {}) => ({
  homeId: homeA, triagePath: ['bathroom', 'damp-or-mould', 'mould-walls-ceiling'], description: 'Black mould on the ceiling above the bath', contactName: 'Ada', contactBy: 'phone', contactPhone: '07700 900982', ...extra,
});

test('POST /api/v1/repair-requests: triaged and diagnosed, a work order raised; read back', async () => {
  const r = await api(h, 'POST', '/api/v1/repair-requests', a.as['housing-officer'], body());
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.channel, 'api');
  assert.equal(r.body.priorityCode, 'awaab-significant');
  assert.ok(r.body.hazardReportId);
  assert.match(r.body.workOrder.jobReference, /^WO-\d{4}-\d{6}$/);
  const got = await api(h, 'GET', `/api/v1/repair-requests/${r.body.id}`, a.as['housing-officer'], undefined);
  assert.equal(got.status, 200);
  assert.equal(got.body.reference, r.body.reference);
  const reads = await h.store.withOrg(a.id, (tx) => listAudit(tx, a.id, { action: 'repair-request-read', entityId: r.body.id, limit: 5 }));
  assert.equal(reads.length, 1, 'the read is audited');
  // Another landlord cannot read it.
  assert.equal((await api(h, 'GET', `/api/v1/repair-requests/${r.body.id}`, b.as.administrator, undefined)).status, 404);
  // A role that does not raise repairs may not report one.
  assert.equal((await api(h, 'POST', '/api/v1/repair-requests', a.as.operative, body())).status, 403);
});

test('POST /api/v1/repair-requests refuses, naming the field: an unknown tree path, a home not held, bad contact', async () => {
  const refuse = async (extra: Record<string, unknown>, field: string) => {
    const r = await api(h, 'POST', '/api/v1/repair-requests', a.as['housing-officer'], body(extra));
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(r.body.errors[0].field, field, JSON.stringify(r.body));
  };
  await refuse({ triagePath: ['bathroom', 'no-such-thing'] }, '/triagePath/1');
  await refuse({ homeId: homeB }, '/homeId');
  await refuse({ homeId: 'not-a-home' }, '/homeId');
  await refuse({ contactBy: 'email' }, '/contactEmail');
  const written = await h.store.withOrg(a.id, (tx) => tx.select().from(repairRequests).where(eq(repairRequests.homeId, homeB)));
  assert.equal(written.length, 0);
});

test('repair settings: version 0 is the default; a bad document is refused by JSON path; administrators save version 1, audited', async () => {
  const got = await api(h, 'GET', '/api/v1/repair-settings', a.as['housing-officer'], undefined);
  assert.equal(got.status, 200);
  assert.equal(got.body.version, 0);
  assert.deepEqual(got.body.settings, JSON.parse(JSON.stringify(DEFAULT_REPAIR_SETTINGS)));

  const bad = structuredClone(DEFAULT_REPAIR_SETTINGS) as unknown as { priorities: { target: { unit: string } }[] };
  bad.priorities[0]!.target.unit = 'fortnights';
  const refused = await put(a.as.administrator, '/api/v1/repair-settings', bad);
  assert.equal(refused.statusCode, 400);
  assert.ok(refused.json().errors.some((e: { field: string }) => e.field === '/priorities/0/target/unit'), refused.body);

  assert.equal((await put(a.as['housing-officer'], '/api/v1/repair-settings', DEFAULT_REPAIR_SETTINGS)).statusCode, 403);
  const changed = { ...structuredClone(DEFAULT_REPAIR_SETTINGS), slots: [{ code: 'AM', label: 'Morning (8am to midday)', start: '08:00', end: '12:00' }] };
  const saved = await put(a.as.administrator, '/api/v1/repair-settings', changed);
  assert.equal(saved.statusCode, 200, saved.body);
  assert.equal(saved.json().version, 1);
  const now = await api(h, 'GET', '/api/v1/repair-settings', a.as['housing-officer'], undefined);
  assert.equal(now.body.version, 1);
  assert.equal(now.body.settings.slots.length, 1);
  // Landlord B still has the default.
  assert.equal((await api(h, 'GET', '/api/v1/repair-settings', b.as.administrator, undefined)).body.version, 0);
  const audited = await h.store.withOrg(a.id, (tx) => listAudit(tx, a.id, { action: 'repair-settings-saved', limit: 5 }));
  assert.equal(audited.length, 1);
  assert.deepEqual(audited[0]!.detail, { version: 1 });
});

/** A multipart body of fields and files. */
function multipart(fields: Record<string, string>, files: { name: string; filename: string; type: string; bytes: Buffer }[]) {
  const boundary = `----hearth${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

test('the settings page: administrators see the tree and upload a new version; errors listed by JSON path; others refused', async () => {
  await h.auth.addUser({ organisationId: a.id, email: 'ada.admin@a.example', name: 'Ada Admin', role: 'administrator', password: STAFF_PASSWORD });
  const jar = new Map<string, string>([['hearth_session', (await h.auth.signIn('ada.admin@a.example', STAFF_PASSWORD))!.token]]);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const get = async (url: string) => {
    const r = await h.app.inject({ method: 'GET', url, headers: { cookie: cookie() } });
    for (const c of r.cookies) jar.set(c.name, c.value);
    return r;
  };
  const page = await get('/repairs/settings');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Mould on walls or ceiling/);
  assert.match(page.body, /Visit in pairs/);
  const json = await get('/repairs/settings.json');
  assert.equal(json.statusCode, 200);
  assert.match(String(json.headers['content-disposition']), /attachment/);
  const document = JSON.parse(json.body) as Record<string, unknown>;
  const send = async (fields: Record<string, string>, files: Parameters<typeof multipart>[1] = []) => {
    const fresh = await get('/repairs/settings');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(fresh.body)![1]!;
    const formToken = /name="formToken" value="([^"]+)"/.exec(fresh.body)![1]!;
    const m = multipart({ _csrf: csrf, formToken, ...fields }, files);
    return h.app.inject({ method: 'POST', url: '/repairs/settings', headers: { cookie: cookie(), 'content-type': m.type }, payload: m.payload });
  };
  const refused = await send({ document: JSON.stringify({ ...document, awaabPriority: 'someday' }) });
  assert.equal(refused.statusCode, 400, refused.body.slice(0, 300));
  assert.match(refused.body, /\/awaabPriority: must be one of the priorities/);
  const notJson = await send({}, [{ name: 'file', filename: 'settings.json', type: 'application/json', bytes: Buffer.from('{ nope') }]);
  assert.equal(notJson.statusCode, 400);
  assert.match(notJson.body, /not valid JSON/);
  const saved = await send({}, [{ name: 'file', filename: 'settings.json', type: 'application/json', bytes: Buffer.from(JSON.stringify(document)) }]);
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
  assert.match(String(saved.headers.location), /saved=2$/);
  assert.match((await get(String(saved.headers.location))).body, /Repair settings saved as version 2/);
  const officer = await staffSession(h, a.id, 'housing-officer', 'Olu Officer', 'olu@a.example');
  assert.equal((await officer.get('/repairs/settings')).statusCode, 403);
});

test('the resident\'s photos: a real photo is kept without its metadata; a file that is not one is refused by name', async () => {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let csrf = '';
  const get = async (url: string) => {
    const r = await h.app.inject({ method: 'GET', url, headers: { cookie: cookie() } });
    for (const c of r.cookies) jar.set(c.name, c.value);
    csrf = /name="_csrf" value="([^"]+)"/.exec(r.body)?.[1] ?? csrf;
    return r;
  };
  const form = async (url: string, fields: Record<string, string>) => h.app.inject({
    method: 'POST', url, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });
  const base = `/landlords/${a.id}/report-a-repair`;
  for (const [step, fields] of [['emergency', { emergency: 'none' }], ['where', { where: 'home' }], ['postcode', { postcode: 'LS6 2BB' }], ['address', { homeId: homeA }],
    ['problem/0', { answer: 'kitchen' }], ['problem/1', { answer: 'window' }], ['problem/2', { answer: 'window-will-not-open' }], ['describe', { description: 'Will not open', location: '' }]] as const) {
    await get(`${base}/${step}`);
    const r = await form(`${base}/${step}`, fields);
    assert.equal(r.statusCode, 303, `${step}: ${r.body.slice(0, 300)}`);
  }
  await get(`${base}/photos`);
  const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#884422' } }).jpeg().withMetadata({ exif: { IFD0: { Copyright: 'Ada at home' } } }).toBuffer();
  assert.ok((await sharp(photo).metadata()).exif, 'the photo sent carries EXIF');
  const bad = multipart({ _csrf: csrf }, [{ name: 'photos', filename: 'notes.txt', type: 'image/jpeg', bytes: Buffer.from('not a photo at all') }]);
  const refused = await h.app.inject({ method: 'POST', url: `${base}/photos`, headers: { cookie: cookie(), 'content-type': bad.type }, payload: bad.payload });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /notes\.txt: The selected file must be a JPG, PNG or WebP/);
  await get(`${base}/photos`);
  const good = multipart({ _csrf: csrf }, [{ name: 'photos', filename: 'wall.jpg', type: 'image/jpeg', bytes: photo }]);
  const kept = await h.app.inject({ method: 'POST', url: `${base}/photos`, headers: { cookie: cookie(), 'content-type': good.type }, payload: good.payload });
  assert.equal(kept.statusCode, 303, kept.body.slice(0, 300));
  assert.match((await get(`${base}/photos`)).body, /wall\.jpg/);
  const carryOn = multipart({ _csrf: csrf }, []);
  const next = await h.app.inject({ method: 'POST', url: `${base}/photos`, headers: { cookie: cookie(), 'content-type': carryOn.type }, payload: carryOn.payload });
  assert.equal(next.headers.location, `${base}/when`);
  await get(`${base}/when`);
  assert.equal((await form(`${base}/when`, { availability: 'Mornings' })).statusCode, 303);
  await get(`${base}/contact`);
  assert.equal((await form(`${base}/contact`, { name: 'Ada', phone: '07700 900982', email: '', contactBy: 'phone' })).statusCode, 303);
  const check = await get(`${base}/check`);
  const formToken = /name="formToken" value="([^"]+)"/.exec(check.body)![1]!;
  const sent = await form(`${base}/check`, { formToken });
  assert.equal(sent.headers.location, `${base}/confirmation`);
  const stored = await h.store.withOrg(a.id, (tx) => tx.select().from(repairPhotos));
  assert.equal(stored.length, 1);
  const meta = await sharp(stored[0]!.bytes).metadata();
  assert.equal(meta.exif, undefined, 'no metadata kept');
  assert.equal(stored[0]!.takenBy, 'resident');
});
