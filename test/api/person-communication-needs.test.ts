// A person's communication needs (issue 13) through the API as well as the page: created, read back, changed with
// If-Match, and a control character refused by field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness } from '../support/harness.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(() => h.close());

test('communication needs are a person field of the API: created, read, changed with If-Match', async () => {
  const l = await landlord(h);
  const H = l.as['housing-officer'];
  const created = await api(h, 'POST', '/api/v1/people', H, sample.person({ communicationNeeds: 'Polish interpreter' }));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.communicationNeeds, 'Polish interpreter');
  const read = await api(h, 'GET', `/api/v1/people/${created.body.id}`, H);
  assert.equal(read.body.communicationNeeds, 'Polish interpreter');
  const changed = await api(h, 'PATCH', `/api/v1/people/${created.body.id}`, { ...H, 'if-match': '"1"' }, { communicationNeeds: 'Large print letters' });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal(changed.body.communicationNeeds, 'Large print letters');
  const stale = await api(h, 'PATCH', `/api/v1/people/${created.body.id}`, { ...H, 'if-match': '"1"' }, { communicationNeeds: 'Text, not calls' });
  assert.equal(stale.status, 412);
  const bad = await api(h, 'POST', '/api/v1/people', H, sample.person({ communicationNeeds: 'Needs\u0007 help' }));
  assert.equal(bad.status, 400);
  assert.ok(JSON.stringify(bad.body).includes('communicationNeeds'), JSON.stringify(bad.body));
});
