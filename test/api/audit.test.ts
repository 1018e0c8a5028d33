// The audit log: every write and every read of person alerts, with who, what, when and which record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
