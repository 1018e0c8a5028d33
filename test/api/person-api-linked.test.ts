// The person API returns the person across every linked record, as the Person page does: alerts, tenancies and
// contacts from all the records linked as this person, each alert read audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { personView } from '../../src/modules/single-view/service.ts';
import { decide } from '../../src/modules/linkage/service.ts';

let h: Harness; let l: Landlord;
let housing: string; let crm: string; let alertId: string; let tenancyId: string;
before(async () => {
  h = await harness();
  l = await landlord(h);
  const A = l.as['housing-officer'];
  // The housing system's record: the tenancy and the alert.
  housing = (await api(h, 'POST', '/api/v1/people', A, sample.person({ sourceReferences: [{ system: 'northgate', id: 'N001' }] }))).body.id;
  const homeId = (await api(h, 'POST', '/api/v1/homes', A, sample.home())).body.id;
  tenancyId = (await api(h, 'POST', '/api/v1/tenancies', A, { reference: 'T-1', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId,
    members: [{ personId: housing, role: 'lead' }] })).body.id;
  alertId = (await api(h, 'POST', '/api/v1/alerts', A, { personId: housing, hactCode: '20-30', category: 'MED', confidentiality: 'confidential',
    startDate: '2024-01-01', description: 'Uses oxygen' })).body.id;
  // The CRM's record of the same person, with an email the housing system lacks.
  const r = await api(h, 'POST', '/api/v1/people', A, sample.person({ contactPoints: [{ system: 'phone', value: '+447700900123', use: 'mobile' },
    { system: 'email', value: 'bob.morgan@example.com' }], sourceReferences: [{ system: 'civica-crm', id: 'C-1' }] }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  crm = r.body.id;
  // A data lead's decision links them (the linking model itself is tested in linkage.test.ts).
  await h.store.withOrg(l.id, (tx) => decide({ actor: systemActor(l.id), tx }, housing, crm, 'accepted'));
});
after(() => h.close());

test('GET /api/v1/people/{id} of one record shows the alerts, tenancies and contacts of every record linked with it, as the Person page does', async () => {
  const page = await h.store.withOrg(l.id, (tx) => personView({ actor: systemActor(l.id), tx }, crm));
  assert.deepEqual(page.linkedRecords.map((x) => x.id).sort(), [housing, crm].sort(), 'the two records are linked (precondition)');
  assert.deepEqual(page.alerts?.map((a) => a.id), [alertId], 'the Person page shows the housing record’s alert');

  const before = await api(h, 'GET', `/api/v1/audit-events?limit=500&action=read-sensitive&entityId=${alertId}`, l.as.administrator);
  const r = await api(h, 'GET', `/api/v1/people/${crm}`, l.as['repairs-planner']);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.id, crm, 'the record asked for is as it is');
  assert.deepEqual(r.body.alerts.map((a: { id: string }) => a.id), [alertId]);
  assert.deepEqual(r.body.tenancies.map((t: { id: string; role: string }) => [t.id, t.role]), [[tenancyId, 'lead']]);
  assert.deepEqual(r.body.contacts.map((c: { system: string; value: string }) => `${c.system}:${c.value}`).sort(), ['email:bob.morgan@example.com', 'phone:+447700900123']);
  assert.ok(r.body.contacts.every((c: { personId: string; sourceSystem: string }) => [housing, crm].includes(c.personId) && c.sourceSystem));
  const after = await api(h, 'GET', `/api/v1/audit-events?limit=500&action=read-sensitive&entityId=${alertId}`, l.as.administrator);
  assert.equal(after.body.items.length, before.body.items.length + 1, 'the alert read through the linked record is audited');

  // A role that may not see alerts gets none, and no read is recorded.
  const analyst = await api(h, 'GET', `/api/v1/people/${crm}`, l.as.analyst);
  assert.equal(analyst.body.alerts, undefined);
  assert.equal(analyst.body.tenancies.length, 1);
});
