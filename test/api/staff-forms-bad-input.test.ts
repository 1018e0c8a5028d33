// Issue 13's staff forms and bad input as real users send it: a NUL byte pasted into a note or a contact detail is
// refused with a 400 that names the field, and nothing is saved; control characters in a one-line field are a
// field error on the form; two officers saving one form at once (run on PostgreSQL too) save one change, not two.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { staffSession } from '../support/staff.ts';

let h: Harness;
let L: Landlord;
let person: string;
before(async () => {
  h = await harness();
  L = await landlord(h);
  person = (await api(h, 'POST', '/api/v1/people', L.as['housing-officer'], sample.person({ givenName: 'Ada', familyName: 'Lovelace' }))).body.id;
});
after(() => h.close());

const notesOf = async () => (await h.store.withOrg(L.id, (tx) => tx.execute(sql`select count(*)::int as n from notes where person_id = ${person}`))).rows[0] as { n: number };

test('a NUL byte in a note or in communication needs: 400 naming the field, nothing saved', async () => {
  const officer = await staffSession(h, L.id, 'housing-officer', 'Sam Okafor', `sam.${L.id.slice(-8)}@example.org`);
  const form = await officer.get(`/people/${person}/notes/new`);
  assert.equal(form.statusCode, 200);
  const note = await officer.post(`/people/${person}/notes/new`, { noteType: 'general', text: 'Called about\u0000 the rent', formToken: officer.field(form.body, 'formToken') });
  assert.equal(note.statusCode, 400);
  assert.match(note.body, /text/);
  assert.equal((await notesOf()).n, 0, 'no note saved');

  const contact = await officer.get(`/people/${person}/contact-details`);
  const version = officer.field(contact.body, 'version');
  const saved = await officer.post(`/people/${person}/contact-details`, { version, communicationNeeds: 'Large\u0000 print', formToken: officer.field(contact.body, 'formToken') });
  assert.equal(saved.statusCode, 400);
  assert.match(saved.body, /communicationNeeds/);
  const after = await api(h, 'GET', `/api/v1/people/${person}`, L.as['housing-officer']);
  assert.equal(after.body.communicationNeeds ?? null, null, 'nothing saved');
  assert.equal(after.body.version, 1);
});

test('a line break or control character in a one-line field is a field error on the form, nothing saved', async () => {
  const officer = await staffSession(h, L.id, 'housing-officer', 'Kim Lee', `kim.${L.id.slice(-8)}@example.org`);
  const contact = await officer.get(`/people/${person}/contact-details`);
  const res = await officer.post(`/people/${person}/contact-details`, { version: officer.field(contact.body, 'version'), preferredName: 'Ada\u0007', formToken: officer.field(contact.body, 'formToken') });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /govuk-error-summary/);
  assert.match(res.body, /href="#preferredName"/);
  const after = await api(h, 'GET', `/api/v1/people/${person}`, L.as['housing-officer']);
  assert.equal(after.body.version, 1, 'nothing saved');
});

test('two officers save the same contact details form at once: exactly one change is saved, the other is told', async () => {
  const [a, b] = await Promise.all(['Ann', 'Bea'].map((n) => staffSession(h, L.id, 'housing-officer', `${n} Officer`, `${n.toLowerCase()}.race.${L.id.slice(-8)}@example.org`)));
  const before = await api(h, 'GET', `/api/v1/people/${person}`, L.as['housing-officer']);
  const forms = await Promise.all([a!, b!].map((s) => s.get(`/people/${person}/contact-details`)));
  const results = await Promise.all([a!, b!].map((s, i) => s.post(`/people/${person}/contact-details`, {
    version: s.field(forms[i]!.body, 'version'), mobilePhone: i ? '07700 900 222' : '07700 900 111', formToken: s.field(forms[i]!.body, 'formToken'),
  })));
  const saved = results.filter((r) => r.statusCode === 303 || r.statusCode === 302);
  assert.equal(saved.length, 1, `one saved: ${results.map((r) => r.statusCode).join(', ')}`);
  const refused = results.find((r) => r !== saved[0])!;
  assert.match(refused.body, /Someone else changed these details/);
  const after = await api(h, 'GET', `/api/v1/people/${person}`, L.as['housing-officer']);
  assert.equal(after.body.version, before.body.version + 1, 'one change, not two');
});
