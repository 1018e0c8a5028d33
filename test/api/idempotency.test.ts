// Idempotency-Key belongs to the caller: a key is looked up only after the caller's permission is checked, never
// answers for someone else's request, and a replay of a sensitive record is audited like any other read of it.
// (Retries, concurrent POSTs and a key reused for another request: test/api/records.test.ts.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';

let h: Harness; let l: Landlord; let personId: string;
before(async () => {
  h = await harness();
  l = await landlord(h);
  personId = (await api(h, 'POST', '/api/v1/people', l.as['housing-officer'], sample.person())).body.id;
});
after(() => h.close());

const alert = (description: string) => ({ personId, hactCode: '10', category: 'RISK', confidentiality: 'confidential', startDate: '2024-01-01', description });

async function auditEvents(entityId: string, action: string) {
  const res = await api(h, 'GET', `/api/v1/audit-events?limit=500&action=${action}&entityId=${entityId}`, l.as.administrator);
  assert.equal(res.status, 200);
  return res.body.items as { actorName: string; entityKind: string }[];
}

test("an analyst replaying an officer's key and body gets the same 403 as for any other key, and none of the alert", async () => {
  const key = crypto.randomUUID();
  const body = alert('Officer safety: dog in the property');
  const first = await api(h, 'POST', '/api/v1/alerts', { ...l.as['housing-officer'], 'idempotency-key': key }, body);
  assert.equal(first.status, 201);
  const tries = [
    [key, body], [key, alert('Something else')], // the officer's key: same body, other body
    [crypto.randomUUID(), body], [crypto.randomUUID(), alert('Something else')], // keys no one has used
  ] as const;
  const answers = [];
  for (const [k, b] of tries) {
    const res = await api(h, 'POST', '/api/v1/alerts', { ...l.as.analyst, 'idempotency-key': k }, b);
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(res.headers['idempotent-replayed'], undefined);
    assert.doesNotMatch(JSON.stringify(res.body), new RegExp(`${first.body.id}|dog in the property`));
    answers.push(JSON.stringify(res.body));
  }
  assert.equal(new Set(answers).size, 1, `one answer whether or not the key exists: ${answers.join(' | ')}`);
});

test("the officer's own replay is a 201 marked replayed, and audited as a read of the alert", async () => {
  const key = crypto.randomUUID();
  const headers = { ...l.as['housing-officer'], 'idempotency-key': key };
  const body = alert('Lone worker: visit in pairs');
  const first = await api(h, 'POST', '/api/v1/alerts', headers, body);
  assert.equal(first.status, 201);
  const reads = (await auditEvents(first.body.id, 'read-sensitive')).length;
  const again = await api(h, 'POST', '/api/v1/alerts', headers, body);
  assert.equal(again.status, 201);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(again.body.id, first.body.id);
  const after = await auditEvents(first.body.id, 'read-sensitive');
  assert.equal(after.length, reads + 1, 'one read-sensitive audit row for the replay');
  assert.equal(after[0]!.actorName, 'API token: housing-officer test token');
  assert.equal(after[0]!.entityKind, 'person-alert');
});

test('two callers may use the same key string, each for their own request', async () => {
  const key = `shared-key-${crypto.randomUUID()}`;
  const officer = await api(h, 'POST', '/api/v1/alerts', { ...l.as['housing-officer'], 'idempotency-key': key }, alert('First caller'));
  const other = await api(h, 'POST', '/api/v1/alerts', { ...l.as['asb-officer'], 'idempotency-key': key }, alert('Second caller'));
  assert.equal(officer.status, 201);
  assert.equal(other.status, 201, JSON.stringify(other.body));
  assert.notEqual(other.body.id, officer.body.id);
  assert.equal(other.headers['idempotent-replayed'], undefined);
  // The same key and body from another caller is that caller's own first request: a new record, not a replay.
  const estateKey = crypto.randomUUID();
  const same = await api(h, 'POST', '/api/v1/estates', { ...l.as['housing-officer'], 'idempotency-key': estateKey }, { name: 'Shared key estate' });
  const mine = await api(h, 'POST', '/api/v1/estates', { ...l.as['data-lead'], 'idempotency-key': estateKey }, { name: 'Shared key estate' });
  assert.equal(same.status, 201);
  assert.equal(mine.status, 201);
  assert.equal(mine.headers['idempotent-replayed'], undefined);
  assert.notEqual(mine.body.id, same.body.id);
});

test("a hazard report replayed by someone who may not report hazards is a 403, not the first caller's report", async () => {
  const homeId = (await api(h, 'POST', '/api/v1/homes', l.as['housing-officer'], sample.home())).body.id;
  const key = crypto.randomUUID();
  const body = { hazard: 'damp-and-mould', severity: 'significant', description: 'Black mould in the bedroom', reportedAt: '2026-01-05T10:00:00Z' };
  const first = await api(h, 'POST', `/api/v1/homes/${homeId}/hazard-reports`, { ...l.as['housing-officer'], 'idempotency-key': key }, body);
  assert.equal(first.status, 201);
  const res = await api(h, 'POST', `/api/v1/homes/${homeId}/hazard-reports`, { ...l.as.analyst, 'idempotency-key': key }, body);
  assert.equal(res.status, 403);
  assert.doesNotMatch(JSON.stringify(res.body), new RegExp(first.body.id));
});

test('a replayed create of a tenancy (a service composed over the record service) is the first 201, marked replayed', async () => {
  // The tenancies service adds members to the plain record service; a replay must still reach its `replayed`.
  const homeId = (await api(h, 'POST', '/api/v1/homes', l.as['data-lead'], sample.home())).body.id;
  const headers = { ...l.as['data-lead'], 'idempotency-key': crypto.randomUUID() };
  const body = { reference: 'T-REPLAY', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId, members: [{ personId, role: 'lead' }] };
  const first = await api(h, 'POST', '/api/v1/tenancies', headers, body);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const again = await api(h, 'POST', '/api/v1/tenancies', headers, body);
  assert.equal(again.status, 201, JSON.stringify(again.body));
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(again.body.id, first.body.id);
});
