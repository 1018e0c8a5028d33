// The audit log: every write and every read of person alerts, with who, what, when and which record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';

let h: Harness; let l: Landlord; let personId: string; let alertIds: string[];
before(async () => {
  h = await harness();
  l = await landlord(h);
  const A = l.as['housing-officer'];
  personId = (await api(h, 'POST', '/api/v1/people', A, sample.person())).body.id;
  const homeId = (await api(h, 'POST', '/api/v1/homes', A, sample.home())).body.id;
  await api(h, 'POST', '/api/v1/tenancies', A, { reference: 'T-1', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId, members: [{ personId, role: 'lead' }] });
  alertIds = [];
  for (const [hactCode, category] of [['20-30', 'MED'], ['10', 'RISK']]) {
    alertIds.push((await api(h, 'POST', '/api/v1/alerts', A, { personId, hactCode, category, confidentiality: 'confidential', startDate: '2024-01-01', description: 'Asthma' })).body.id);
  }
});
after(() => h.close());

async function events(where: { action?: string; entityId?: string }) {
  const res = await api(h, 'GET', `/api/v1/audit-events?limit=500${where.action ? `&action=${where.action}` : ''}${where.entityId ? `&entityId=${where.entityId}` : ''}`, l.as.administrator);
  assert.equal(res.status, 200);
  return res.body.items as { action: string; actorName: string; actorKind: string; entityKind: string; entityId: string; at: string; detail: any }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

test('every create is audited with who, what, when and which record', async () => {
  const created = (await events({ action: 'create', entityId: personId }))[0];
  assert.ok(created);
  assert.equal(created.entityKind, 'person');
  assert.equal(created.actorName, 'API token: housing-officer test token');
  assert.ok(Date.now() - Date.parse(created.at) < 60_000);
});

test('an update is audited with the old and new values', async () => {
  const { body, headers } = await api(h, 'GET', `/api/v1/homes?limit=1`, l.as['housing-officer']);
  void headers;
  const home = body.items[0];
  await api(h, 'PATCH', `/api/v1/homes/${home.id}`, { ...l.as['housing-officer'], 'if-match': `"${home.version}"` }, { bedrooms: 4 });
  const [ev] = await events({ action: 'update', entityId: home.id });
  assert.deepEqual(ev!.detail.changes.bedrooms, { from: home.bedrooms ?? null, to: 4 });
});

test('reading a person with alerts audits one read per alert, by the reader', async () => {
  const before = (await events({ action: 'read-sensitive' })).length;
  const res = await api(h, 'GET', `/api/v1/people/${personId}`, l.as['repairs-planner']);
  assert.equal(res.status, 200);
  assert.equal(res.body.alerts.length, 2);
  const after = await events({ action: 'read-sensitive' });
  assert.equal(after.length, before + 2);
  const mine = after.filter((e) => e.actorName === 'API token: repairs-planner test token');
  assert.deepEqual(mine.map((e) => e.entityId).sort(), [...alertIds].sort());
  assert.ok(mine.every((e) => e.entityKind === 'person-alert'));
});

test('listing alerts is audited too', async () => {
  const before = (await events({ action: 'read-sensitive' })).length;
  const res = await api(h, 'GET', `/api/v1/alerts?personId=${personId}`, l.as['asb-officer']);
  assert.equal(res.body.items.length, 2);
  assert.equal((await events({ action: 'read-sensitive' })).length, before + 2);
});

test('an analyst sees the person without alerts, and no alert read is recorded', async () => {
  const before = (await events({ action: 'read-sensitive' })).length;
  const res = await api(h, 'GET', `/api/v1/people/${personId}`, l.as.analyst);
  assert.equal(res.status, 200);
  assert.equal(res.body.alerts, undefined);
  assert.equal((await api(h, 'GET', `/api/v1/alerts/${alertIds[0]}`, l.as.analyst)).status, 403);
  assert.equal((await events({ action: 'read-sensitive' })).length, before);
});

test('only administrators and data leads read the audit log', async () => {
  assert.equal((await api(h, 'GET', '/api/v1/audit-events', l.as['housing-officer'])).status, 403);
  assert.equal((await api(h, 'GET', '/api/v1/audit-events', l.as['data-lead'])).status, 200);
});

test('the application role cannot change or delete audit events', async () => {
  await assert.rejects(h.store.withOrg(l.id, (tx) => tx.execute(sql`update audit_events set actor_name = 'someone else'`)), (e: Error & { cause?: Error }) => /permission denied/.test(String(e.cause?.message ?? e.message)));
  await assert.rejects(h.store.withOrg(l.id, (tx) => tx.execute(sql`delete from audit_events`)), (e: Error & { cause?: Error }) => /permission denied/.test(String(e.cause?.message ?? e.message)));
});

test('a failed write leaves no audit event behind (audit and work commit together)', async () => {
  const before = (await events({ action: 'create' })).length;
  const res = await api(h, 'POST', '/api/v1/homes', l.as['housing-officer'], sample.home({ blockId: crypto.randomUUID() }));
  assert.equal(res.status, 400);
  assert.equal((await events({ action: 'create' })).length, before);
});

test('the audit of an alert update names the fields changed, never the old or new words', async () => {
  const A = l.as['housing-officer'];
  const oldText = 'Old words: lives with a violent partner';
  const newText = 'New words: carer visits daily, dementia';
  const made = await api(h, 'POST', '/api/v1/alerts', A, { personId, hactCode: '10', category: 'RISK', confidentiality: 'confidential', startDate: '2024-01-01', description: oldText });
  assert.equal(made.status, 201);
  const changed = await api(h, 'PATCH', `/api/v1/alerts/${made.body.id}`, { ...A, 'if-match': made.headers.etag as string }, { description: newText, reviewDate: '2025-01-01' });
  assert.equal(changed.status, 200);
  const res = await api(h, 'GET', `/api/v1/audit-events?limit=500&entityId=${made.body.id}`, l.as.administrator);
  assert.equal(res.status, 200);
  const text = JSON.stringify(res.body);
  assert.doesNotMatch(text, /Old words|New words/);
  const update = (res.body.items as { action: string; detail: { fields: string[] } }[]).find((e) => e.action === 'update');
  assert.deepEqual(update?.detail.fields.sort(), ['description', 'reviewDate']);
});

test('updates to people, notes and repairs are audited by field name only, and hazard report words stay out of the audit', async () => {
  const A = l.as['housing-officer'];
  const homeId = (await api(h, 'GET', '/api/v1/homes?limit=1', A)).body.items[0].id as string;
  const secret = 'Told me about her chemotherapy';
  const cases: { path: string; body: Record<string, unknown>; patch: Record<string, unknown> }[] = [
    { path: '/people', body: sample.person({ preferredName: 'Bobby' }), patch: { preferredName: secret } },
    { path: '/notes', body: { subjectKind: 'home', homeId, text: 'Called round' }, patch: { text: secret } },
    { path: '/repairs', body: { jobReference: 'JOB-AUDIT-1', homeId, description: 'Leak under sink' }, patch: { description: secret } },
  ];
  for (const c of cases) {
    const made = await api(h, 'POST', `/api/v1${c.path}`, A, c.body);
    assert.equal(made.status, 201, c.path);
    assert.equal((await api(h, 'PATCH', `/api/v1${c.path}/${made.body.id}`, { ...A, 'if-match': made.headers.etag as string }, c.patch)).status, 200, c.path);
    const [ev] = await events({ action: 'update', entityId: made.body.id });
    assert.doesNotMatch(JSON.stringify(ev), /chemotherapy/, c.path);
    assert.deepEqual(ev!.detail.fields, Object.keys(c.patch), c.path);
  }
  const report = await api(h, 'POST', `/api/v1/homes/${homeId}/hazard-reports`, A, { hazard: 'damp-and-mould', severity: 'significant', reportedAt: new Date().toISOString(), description: secret });
  assert.equal(report.status, 201, JSON.stringify(report.body));
  const note = await api(h, 'POST', `/api/v1/hazard-reports/${report.body.id}/events`, A, { kind: 'investigated', occurredAt: new Date().toISOString(), outcome: 'confirmed' });
  assert.equal(note.status, 201, JSON.stringify(note.body));
  assert.doesNotMatch(JSON.stringify(await events({ entityId: report.body.id })), /chemotherapy/);
});

test('migration 0008 rewrites audit rows written before it: alert words become field names, homes keep their values', async () => {
  // Rows as the old code wrote them, inserted as the owner (the application role cannot write audit rows by hand).
  const alertRow = crypto.randomUUID(); const homeRow = crypto.randomUUID();
  await h.store.system((tx) => tx.execute(sql`insert into audit_events (organisation_id, id, actor_kind, actor_id, actor_name, action, entity_kind, entity_id, detail) values
    (${l.id}, ${alertRow}, 'user', 'u', 'Old writer', 'update', 'person-alert', ${alertIds[0]}, ${JSON.stringify({ changes: { description: { from: 'Asthma', to: 'Severe asthma, uses oxygen' }, endDate: { from: null, to: '2025-01-01' } } })}::jsonb),
    (${l.id}, ${homeRow}, 'user', 'u', 'Old writer', 'update', 'home', ${alertIds[0]}, ${JSON.stringify({ changes: { bedrooms: { from: 2, to: 3 } } })}::jsonb)`));
  const migration = fs.readFileSync(new URL('../../drizzle/0008_audit_without_personal_values.sql', import.meta.url), 'utf8');
  await h.store.system((tx) => tx.execute(sql.raw(migration)));
  const rows = await h.store.system((tx) => tx.execute(sql`select id, detail from audit_events where id in (${alertRow}, ${homeRow})`));
  const detail = new Map((rows.rows as { id: string; detail: unknown }[]).map((r) => [r.id, r.detail]));
  assert.deepEqual(detail.get(alertRow), { fields: ['description', 'endDate'] });
  assert.deepEqual(detail.get(homeRow), { changes: { bedrooms: { from: 2, to: 3 } } });
});
