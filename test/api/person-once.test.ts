// Issue 13, defect 3: the pages of two linked records of one person showed two different people (the phone type, a
// correspondence address "Same as home" beside a different best-record address, "Source records: 1" beside "Linked
// source records: 2"). Every page of a linked person is now the same page: the best record, every contact detail once
// (phones as UK people write them), the source records once. And the person and home pages link to the everyday edit
// forms for the roles that may use them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { decide } from '../../src/modules/linkage/service.ts';
import type { Role } from '../../src/platform/auth/roles.ts';

let h: Harness; let l: Landlord;
const ids: Record<string, string> = {};
const cookies: Partial<Record<Role, string>> = {};

async function post(url: string, body: Record<string, unknown>): Promise<string> {
  const r = await api(h, 'POST', url, l.as['housing-officer'], body);
  assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
  return r.body.id;
}
const run = (q: ReturnType<typeof sql>) => h.store.withOrg(l.id, (tx) => tx.execute(q));

before(async () => {
  h = await harness();
  l = await landlord(h);
  ids.home = await post('/api/v1/homes', sample.home({ subBuilding: 'Flat 1', buildingName: 'Kestrel Court', street: 'Moor Road', postcode: 'LS6 4QE' }));
  // The housing system's record: the tenancy, a mobile number, no separate address.
  ids.housing = await post('/api/v1/people', sample.person({ givenName: 'Maria', familyName: 'Kowalska', dateOfBirth: '1980-06-09',
    contactPoints: [{ system: 'phone', value: '+447700900555', use: 'mobile' }], sourceReferences: [{ system: 'northgate-housing', id: 'N-1' }] }));
  // The CRM's record of her: the same number as a home phone, an email, and a correspondence address.
  ids.crm = await post('/api/v1/people', sample.person({ givenName: 'Marie', familyName: 'Kowalska', dateOfBirth: '1980-06-09', preferredName: 'Marysia',
    contactPoints: [{ system: 'phone', value: '+447700900555', use: 'home' }, { system: 'email', value: 'maria.k@example.com' }],
    address: { buildingNumber: '12', street: 'Elm Street', town: 'Leeds', postcode: 'LS7 2AB' },
    sourceReferences: [{ system: 'dynamics-crm', id: 'C-1' }] }));
  await run(sql`update people set communication_needs = 'Polish interpreter' where organisation_id = ${l.id} and id = ${ids.crm}`);
  await h.store.withOrg(l.id, (tx) => decide({ actor: systemActor(l.id), tx }, ids.housing, ids.crm, 'accepted'));
  ids.golden = [ids.housing, ids.crm].sort()[0]!;
  ids.tenancy = await post('/api/v1/tenancies', { reference: 'TEN-8001', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: ids.home,
    members: [{ personId: ids.housing, role: 'lead' }] });
  ids.alert = await post('/api/v1/alerts', { personId: ids.housing, hactCode: '20-30', category: 'MED', confidentiality: 'confidential', startDate: '2024-01-01', description: 'Uses oxygen' });
  // A note on the CRM record asking for something by a date, not yet done.
  ids.note = await post('/api/v1/notes', { subjectKind: 'person', personId: ids.crm, text: 'Call back about the boiler', notedAt: '2026-05-01T09:00:00Z' });
  await run(sql`update notes set action_due = '2026-06-09' where organisation_id = ${l.id} and id = ${ids.note}`);
  for (const role of ['housing-officer', 'analyst', 'repairs-planner'] as const) {
    const email = `${role}.${uuidv7().slice(-12)}@example.org`;
    const password = 'a long test password 1';
    await h.auth.addUser({ organisationId: l.id, email, name: `Test ${role}`, role, password });
    cookies[role] = `hearth_session=${(await h.auth.signIn(email, password))!.token}`;
  }
});
after(() => h.close());

/** The page's main content, without the form tokens (new on every page). */
async function main(url: string, role: Role = 'housing-officer'): Promise<string> {
  const r = await h.app.inject({ method: 'GET', url, headers: { cookie: cookies[role]! } });
  assert.equal(r.statusCode, 200, `${url}: ${r.body.slice(0, 500)}`);
  const m = /<main[\s\S]*<\/main>/.exec(r.body);
  assert.ok(m, 'a main element');
  return m[0].replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
}
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ');
const count = (s: string, part: string) => s.split(part).length - 1;

test('the pages of two linked records are the same page, of the same person', async () => {
  const [a, b] = [await main(`/people/${ids.housing}`), await main(`/people/${ids.crm}`)];
  assert.equal(a, b, 'whichever record the page is opened from');
  const t = text(a);
  assert.match(a, /<h1 class="govuk-heading-l">Maria Kowalska<\/h1>/, 'the best record’s name (the housing system is trusted first)');
  assert.match(t, /Known as Marysia/);
});

test('the contact details are every record’s, once each, phones as UK people write them', async () => {
  const t = text(await main(`/people/${ids.crm}`));
  assert.match(t, /Phone \(mobile\): 07700 900555/, 'the number once, as the most trusted record has it');
  assert.doesNotMatch(t, /Phone \(home\)/);
  assert.doesNotMatch(t, /\+447700900555/);
  assert.match(t, /Email: maria\.k@example\.com/);
});

test('the correspondence address is the best record’s, never “Same as home” beside another address', async () => {
  const t = text(await main(`/people/${ids.housing}`));
  assert.match(t, /Correspondence address 12 Elm Street, Leeds, LS7 2AB/);
  assert.doesNotMatch(t, /Same as home/);
  // A person with no separate address: letters go to their home, and the page says which.
  const alone = await post('/api/v1/people', sample.person({ givenName: 'Tomasz', familyName: 'Nowak', dateOfBirth: '1990-01-01', contactPoints: [] }));
  const home = await post('/api/v1/homes', sample.home({ subBuilding: 'Flat 9', buildingName: 'Heron Court', street: 'Park Lane', postcode: 'LS7 1AA' }));
  await post('/api/v1/tenancies', { reference: 'TEN-8002', tenancyType: 'secure', tenure: 'social-rent', startDate: '2021-01-01', homeId: home, members: [{ personId: alone, role: 'lead' }] });
  assert.match(text(await main(`/people/${alone}`)), /Correspondence address No separate address recorded: letters go to their home, Flat 9, Heron Court, Park Lane/);
});

test('the source records are counted and listed once, and communication needs and preferred name are shown', async () => {
  const html = await main(`/people/${ids.housing}`);
  const t = text(html);
  assert.match(t, /Source records 2 /, 'the count in the summary');
  assert.equal(count(html, '<h2 class="govuk-heading-m">Source records</h2>'), 1);
  assert.doesNotMatch(t, /Linked source records|Source records: 1/);
  assert.ok(t.includes('northgate-housing N-1') && t.includes('dynamics-crm C-1'));
  assert.match(t, /Communication needs Polish interpreter/);
  assert.match(t, /Preferred name Marysia/);
  assert.match(t, /Call back about the boiler/, 'notes about either record');
});

test('the person page links to the everyday forms for roles that may write, alerts ones for alerts:write', async () => {
  const officer = await main(`/people/${ids.crm}`);
  // Changes go to the most trusted record (the housing system's), whose values the page shows.
  for (const href of [`/people/${ids.housing}/contact-details`, `/people/${ids.housing}/alerts/new`, `/people/${ids.housing}/alerts/${ids.alert}`, `/people/${ids.housing}/notes/new`]) {
    assert.ok(officer.includes(`href="${href}"`), href);
  }
  assert.match(text(officer), /Review or end/);
  assert.match(text(officer), /Action due 9 June 2026/);
  assert.match(officer, new RegExp(`<form method="post" action="/notes/${ids.note}/actioned"[^>]*>\\s*<input type="hidden" name="_csrf"[^>]*>\\s*<input type="hidden" name="version" value="1">\\s*<input type="hidden" name="returnTo" value="/people/${ids.golden}">`));

  // An analyst reads but may not change: the due date, no links, no button.
  const analyst = await main(`/people/${ids.crm}`, 'analyst');
  assert.match(text(analyst), /Action due 9 June 2026/);
  for (const part of ['/contact-details', '/alerts/new', 'Review or end', '/notes/new', '/actioned']) assert.ok(!analyst.includes(part), part);
  // A repairs planner sees alerts but may neither record them nor change records.
  const planner = await main(`/people/${ids.crm}`, 'repairs-planner');
  assert.ok(planner.includes('Uses oxygen'));
  for (const part of ['/alerts/new', 'Review or end', '/contact-details']) assert.ok(!planner.includes(part), part);
});

test('the home page links to notes and to changing who is in the tenancy, for roles that may write', async () => {
  const officer = await main(`/homes/${ids.home}`);
  for (const href of [`/homes/${ids.home}/notes/new`, `/tenancies/${ids.tenancy}/notes/new`, `/tenancies/${ids.tenancy}/members/new`]) {
    assert.ok(officer.includes(`href="${href}"`), href);
  }
  // The lead tenant does not "leave" (that is the tenancy ending, or a succession): no such link for them.
  assert.ok(!officer.includes(`/tenancies/${ids.tenancy}/members/${ids.housing}/end`), 'no leaving link for the lead tenant');
  const analyst = await main(`/homes/${ids.home}`, 'analyst');
  for (const part of ['/notes/new', '/members/new', '/end"']) assert.ok(!analyst.includes(part), part);
});

test('“Mark as done” on the person page marks the note’s action done and comes back to the page', async () => {
  const session = cookies['housing-officer']!;
  const first = await h.app.inject({ method: 'GET', url: `/people/${ids.crm}`, headers: { cookie: session } });
  const cookie = first.cookies.length ? `${session}; ${first.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}` : session;
  const form = new RegExp(`<form method="post" action="/notes/${ids.note}/actioned"[\\s\\S]*?</form>`).exec(first.body)?.[0];
  assert.ok(form, 'the form');
  const fields = Object.fromEntries([...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
  const r = await h.app.inject({ method: 'POST', url: `/notes/${ids.note}/actioned`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString() });
  assert.equal(r.statusCode, 303, r.body.slice(0, 500));
  assert.equal(r.headers.location, `/people/${ids.golden}`);
  const t = text(await main(`/people/${ids.golden}`));
  assert.doesNotMatch(t, /Action due 9 June 2026/);
  assert.match(t, /Action done \d+ \w+ \d{4} by Test housing-officer/);
  assert.ok(!(await main(`/people/${ids.golden}`)).includes('/actioned'));
});
